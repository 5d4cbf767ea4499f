import { Type, type Static } from 'typebox'
import { ReportSchema } from './reports.js'
import { BASIC_AUTH, BinarySchema, described, errorResponses, media } from './common.js'

const FILE_KINDS = ['PECGM', 'CGPEM'] as const

export const FileSchema = Type.Object({
  name: Type.String({ description: 'nom du fichier (décision D9)' }),
  kind: Type.Enum(FILE_KINDS, { description: 'PECGM : déposé par Pôle emploi ; CGPEM : envoyé par le département' }),
  periodicity: Type.Union([Type.Literal('M'), Type.Literal('Q'), Type.Null()], { description: 'M : stock mensuel, Q : flux quotidien (PECGM) ; null pour un CGPEM' }),
  size: Type.Integer({ description: 'octets' }),
  sha256: Type.String({ description: 'empreinte SHA-256 (hexadécimal), aussi l\'ETag' }),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Type.String({ format: 'date-time', description: 'date de suppression (durée de conservation, Annexe 1)' }),
  status: Type.Optional(Type.Union([Type.Literal('accepted'), Type.Literal('rejected')], { description: 'CGPEM : accepté ou rejeté par la validation' })),
  reportId: Type.Optional(Type.String({ description: 'CGPEM : identifiant du rapport de validation' })),
  role: Type.Optional(Type.Union([Type.Literal('stock'), Type.Literal('flux'), Type.Literal('answer')], { description: 'PECGM : stock mensuel, flux quotidien, ou réponse à un CGPEM de la qualification' }))
}, { title: 'Fichier' })

/** Files per page of the list: at most, and when the client says nothing (the whole list of a département within its default quota). */
export const LIST_LIMIT = 1000

export const ListFilesQuerySchema = Type.Object({
  kind: Type.Optional(Type.Enum(FILE_KINDS, { description: 'un seul genre : PECGM (déposés par Pôle emploi) ou CGPEM (envoyés par le département)' })),
  since: Type.Optional(Type.String({ format: 'date-time', maxLength: 40, description: 'les fichiers créés à cet instant ou après (createdAt ≥ since), date et heure ISO 8601 avec fuseau : 2026-11-27T08:00:00Z' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIST_LIMIT, default: LIST_LIMIT, description: 'fichiers par page, 1 à 1000' })),
  cursor: Type.Optional(Type.String({ minLength: 1, maxLength: 400, pattern: '^[A-Za-z0-9_-]+$', description: 'la page suivante : la valeur next de la réponse précédente, telle quelle (avec les mêmes kind et since)' }))
})

export const ListFilesSchema = {
  operationId: 'listFiles',
  tags: ['fichiers'],
  summary: 'Les fichiers du département, des plus anciens aux plus récents (createdAt, puis nom)',
  description: 'Sans paramètre : toute la liste (jusqu\'à 1000 fichiers par page). Pour un logiciel qui interroge régulièrement : kind, since et limit, puis cursor = next tant que next n\'est pas null.',
  security: BASIC_AUTH,
  querystring: ListFilesQuerySchema,
  response: {
    200: Type.Object({
      files: Type.Array(FileSchema),
      next: Type.Union([Type.String(), Type.Null()], { description: 'la valeur de cursor pour la page suivante ; null sur la dernière' })
    }, { description: 'une page de la liste' }),
    ...errorResponses(400, 401, 403, 429)
  }
}

export const FileParamsSchema = Type.Object({ name: Type.String({ maxLength: 2048, description: 'le nom du fichier ; un nom contraire à la décision D9 ne désigne aucun fichier (404)' }) })

export const DownloadFileSchema = {
  operationId: 'downloadFile',
  tags: ['fichiers'],
  summary: 'Les octets d\'un fichier, tels que déposés',
  description: 'PECGM en text/plain; charset=ISO-8859-1, avec ETag (SHA-256) et Content-Length. If-None-Match donne 304 ; If-Match qui ne désigne pas la version présente, 412.',
  security: BASIC_AUTH,
  params: FileParamsSchema,
  headers: Type.Object({
    'if-none-match': Type.Optional(Type.String({ description: 'l\'ETag déjà reçu : 304 s\'il n\'a pas changé' })),
    'if-match': Type.Optional(Type.String({ description: 'l\'ETag de la version voulue (celui de la liste) : 412 si le fichier présent en a un autre' }))
  }),
  response: {
    200: media('le fichier, tel que déposé : PECGM et CGPEM en largeur fixe en text/plain; charset=ISO-8859-1, CGPEM XML en application/xml, autre contenu en application/octet-stream', {
      'text/plain': BinarySchema,
      'application/xml': BinarySchema,
      'application/octet-stream': BinarySchema
    }),
    304: Type.Null({ description: 'inchangé (If-None-Match)' }),
    ...errorResponses(400, 401, 403, 404, 410, 412, 429)
  }
}

export const UploadQuerySchema = Type.Object({
  name: Type.Optional(Type.String({ maxLength: 255, description: 'le nom du fichier, pour un envoi brut (sans multipart)' }))
})

export const UploadResultSchema = Type.Object({ file: FileSchema, report: ReportSchema })
export type UploadResult = Static<typeof UploadResultSchema>

export const UploadFileSchema = {
  operationId: 'uploadFile',
  tags: ['fichiers'],
  summary: 'Envoyer un fichier CGPEM, validé pendant sa réception',
  description: 'multipart/form-data avec une partie « file » (son nom est gardé, décision D9), ou les octets bruts avec ?name=. ' +
    '201 si le fichier est accepté, 422 s\'il est rejeté : les deux sont conservés avec leur rapport.',
  security: BASIC_AUTH,
  querystring: UploadQuerySchema,
  consumes: ['multipart/form-data', 'application/octet-stream'],
  body: {
    content: {
      'multipart/form-data': { schema: Type.Object({ file: BinarySchema }, { required: ['file'] }) },
      'application/octet-stream': { schema: BinarySchema }
    }
  },
  response: {
    201: described('accepté : le fichier, gardé, et son rapport', UploadResultSchema),
    422: described('rejeté par la validation : le fichier, gardé quand même, et son rapport (ses constats)', UploadResultSchema),
    ...errorResponses(400, 401, 403, 409, 413, 415, 429, 503, 507)
  }
}

export const DeleteFileSchema = {
  operationId: 'deleteFile',
  tags: ['fichiers'],
  summary: 'Supprimer un fichier envoyé par le département (CGPEM), avec son rapport',
  description: 'Un PECGM déposé par Pôle emploi ne se supprime pas (403) : il expire. Avec If-Match, seule la version qu\'il désigne est supprimée (412 sinon) ; avec If-None-Match, aucune version qu\'il désigne (412).',
  security: BASIC_AUTH,
  params: FileParamsSchema,
  headers: Type.Object({
    'if-match': Type.Optional(Type.String({ description: 'l\'ETag de la version à supprimer (celui de la liste) : 412 si le fichier présent en a un autre' })),
    'if-none-match': Type.Optional(Type.String({ description: 'un ETag à ne pas supprimer, ou * : 412 si le fichier présent l\'a (ou existe)' }))
  }),
  response: {
    204: Type.Null({ description: 'supprimé' }),
    ...errorResponses(400, 401, 403, 404, 412, 429)
  }
}
