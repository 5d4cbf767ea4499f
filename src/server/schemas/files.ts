import type { Readable } from 'node:stream'
import { Type, type Static } from 'typebox'
import { ReportSchema } from './reports.js'
import { errorResponses } from './common.js'

export const FileSchema = Type.Object({
  name: Type.String({ description: 'nom du fichier (décision D9)' }),
  kind: Type.Union([Type.Literal('PECGM'), Type.Literal('CGPEM')], { description: 'PECGM : déposé par Pôle emploi ; CGPEM : envoyé par le département' }),
  periodicity: Type.Union([Type.Literal('M'), Type.Literal('Q'), Type.Null()], { description: 'M : stock mensuel, Q : flux quotidien (PECGM) ; null pour un CGPEM' }),
  size: Type.Integer({ description: 'octets' }),
  sha256: Type.String({ description: 'empreinte SHA-256 (hexadécimal), aussi l\'ETag' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time', description: 'date de suppression (durée de conservation, Annexe 1)' }),
  status: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('rejected')], { description: 'CGPEM : accepté ou rejeté par la validation' })),
  reportId: Type.Optional(Type.String({ description: 'CGPEM : identifiant du rapport de validation' })),
  role: Type.Optional(Type.Union([Type.Literal('stock'), Type.Literal('flux'), Type.Literal('answer')], { description: 'PECGM : stock mensuel, flux quotidien, ou réponse à un CGPEM de la qualification' }))
}, { title: 'Fichier' })

export const ListFilesSchema = {
  tags: ['fichiers'],
  summary: 'Les fichiers du département',
  security: [{ basic: [] }],
  response: {
    200: Type.Object({ files: Type.Array(FileSchema) }),
    ...errorResponses(401, 403, 429)
  }
}

export const FileParamsSchema = Type.Object({ name: Type.String({ maxLength: 2048, description: 'le nom du fichier ; un nom contraire à la décision D9 ne désigne aucun fichier (404)' }) })

const BinarySchema = Type.Unsafe<Buffer | Readable>({ type: 'string', format: 'binary' })

export const DownloadFileSchema = {
  tags: ['fichiers'],
  summary: 'Les octets d\'un fichier, tels que déposés',
  description: 'PECGM en text/plain; charset=ISO-8859-1, avec ETag (SHA-256) et Content-Length. If-None-Match donne 304.',
  security: [{ basic: [] }],
  params: FileParamsSchema,
  headers: Type.Object({ 'if-none-match': Type.Optional(Type.String()) }),
  response: {
    200: {
      description: 'le fichier',
      content: {
        'text/plain': { schema: BinarySchema },
        'application/xml': { schema: BinarySchema },
        'application/octet-stream': { schema: BinarySchema }
      }
    },
    304: Type.Null({ description: 'inchangé (If-None-Match)' }),
    ...errorResponses(401, 403, 404, 429)
  }
}

export const UploadQuerySchema = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255, description: 'le nom du fichier, pour un envoi brut (sans multipart)' }))
})

export const UploadResultSchema = Type.Object({ file: FileSchema, report: ReportSchema })
export type UploadResult = Static<typeof UploadResultSchema>

export const UploadFileSchema = {
  tags: ['fichiers'],
  summary: 'Envoyer un fichier CGPEM, validé pendant sa réception',
  description: 'multipart/form-data avec une partie « file » (son nom est gardé, décision D9), ou les octets bruts avec ?name=. ' +
    '201 si le fichier est accepté, 422 s\'il est rejeté : les deux sont conservés avec leur rapport.',
  security: [{ basic: [] }],
  querystring: UploadQuerySchema,
  consumes: ['multipart/form-data', 'application/octet-stream'],
  body: {
    content: {
      'multipart/form-data': { schema: Type.Object({ file: BinarySchema }, { required: ['file'] }) },
      'application/octet-stream': { schema: BinarySchema }
    }
  },
  response: {
    201: UploadResultSchema,
    422: UploadResultSchema,
    ...errorResponses(400, 401, 403, 409, 413, 429, 503, 507)
  }
}

export const DeleteFileSchema = {
  tags: ['fichiers'],
  summary: 'Supprimer un fichier envoyé par le département (CGPEM), avec son rapport',
  description: 'Un PECGM déposé par Pôle emploi ne se supprime pas (403) : il expire.',
  security: [{ basic: [] }],
  params: FileParamsSchema,
  response: {
    204: Type.Null({ description: 'supprimé' }),
    ...errorResponses(401, 403, 404, 429)
  }
}
