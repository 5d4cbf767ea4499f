import { Type } from 'typebox'
import { BASIC_AUTH, described, errorResponses } from './common.js'

/** One finding of the validator (src/validate/report.ts), positions 1-based and counted in bytes. */
export const FindingSchema = Type.Object({
  code: Type.String(),
  severity: Type.Union([Type.Literal('error'), Type.Literal('warning'), Type.Literal('info')]),
  message: Type.String(),
  line: Type.Optional(Type.Integer()),
  column: Type.Optional(Type.Integer()),
  record: Type.Optional(Type.Integer({ description: 'numéro de l\'orientation' })),
  field: Type.Optional(Type.String()),
  value: Type.Optional(Type.String({ description: 'valeur lue, masquée pour les identifiants' })),
  expected: Type.Optional(Type.String()),
  firstRecord: Type.Optional(Type.Integer({ description: 'pour un doublon : la première orientation' }))
}, { title: 'Constat' })

const CountsSchema = Type.Record(Type.String(), Type.Integer())

export const ReportSchema = Type.Object({
  id: Type.String({ description: 'identifiant du rapport' }),
  fileName: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  valid: Type.Boolean({ description: 'vrai quand aucun constat n\'est une erreur' }),
  format: Type.Union([Type.Literal('xml'), Type.Literal('fixed'), Type.Null()]),
  stats: Type.Object({
    bytes: Type.Integer(),
    records: Type.Integer(),
    errors: Type.Integer(),
    warnings: Type.Integer(),
    infos: Type.Integer(),
    byCode: CountsSchema
  }),
  findings: Type.Array(FindingSchema),
  truncated: Type.Boolean({ description: 'vrai quand des constats ont été comptés mais pas listés' }),
  omitted: Type.Optional(CountsSchema)
}, { title: 'Rapport de validation' })

export const ReportParamsSchema = Type.Object({ id: Type.String({ maxLength: 100 }) })

export const GetReportSchema = {
  operationId: 'getReport',
  tags: ['rapports'],
  summary: 'Un rapport de validation d\'un fichier envoyé par le département',
  security: BASIC_AUTH,
  params: ReportParamsSchema,
  response: {
    200: described('le rapport', ReportSchema),
    ...errorResponses(400, 401, 403, 404, 429)
  }
}
