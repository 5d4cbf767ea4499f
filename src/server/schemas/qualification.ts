import { Type } from 'typebox'
import { errorResponses } from './common.js'

/** The qualification routes. Their bodies are described loosely: the documents are in docs/qualification.md. */

const Evidence = Type.Object({
  what: Type.String(),
  at: Type.Optional(Type.String()),
  file: Type.Optional(Type.String()),
  sha256: Type.Optional(Type.String()),
  reportId: Type.Optional(Type.String())
})

export const CheckSchema = Type.Object({
  id: Type.String({ description: 'identifiant stable du contrôle' }),
  title: Type.String(),
  required: Type.Boolean(),
  params: Type.Object({}, { additionalProperties: true }),
  status: Type.Union([Type.Literal('todo'), Type.Literal('passed'), Type.Literal('failed')]),
  evidence: Type.Array(Evidence),
  reason: Type.Optional(Type.String({ description: 'pourquoi le contrôle a échoué, et quoi corriger' }))
}, { title: 'Contrôle' })

const Approval = Type.Union([Type.Object({ by: Type.String(), at: Type.String() }), Type.Null()])

export const QualificationStateSchema = Type.Object({
  departement: Type.String(),
  started: Type.Boolean({ description: 'false dans le bac à sable : rien ne compte avant POST /api/v1/qualification/start' }),
  iteration: Type.Integer({ description: 'l\'itération ouverte, ou celle que le prochain départ ouvrira' }),
  step: Type.Union([Type.Literal(2), Type.Literal(3)], { description: 'étape de l\'annexe 2' }),
  planning: Type.Object({ debut: Type.String(), fin: Type.String() }),
  correspondents: Type.Array(Type.Object({}, { additionalProperties: true })),
  sampleSize: Type.Integer(),
  checks: Type.Array(CheckSchema),
  verdict: Type.Union([Type.Literal('positif'), Type.Literal('négatif'), Type.Literal('en cours')]),
  approvals: Type.Object({ departement: Approval, poleEmploi: Approval }),
  final: Type.Boolean()
}, { title: 'Qualification' })

const tags = ['qualification']
const security = [{ basic: [] }]

export const GetQualificationSchema = {
  tags,
  security,
  summary: 'La campagne de qualification du département, ses contrôles et le verdict',
  response: { 200: QualificationStateSchema, ...errorResponses(401, 403, 404, 429) }
}

export const StartSchema = {
  tags,
  security,
  summary: 'Commence la qualification : une nouvelle itération, dont seul ce qui suit est une preuve (l\'itération ouverte, s\'il y en a une, est close avec son bilan)',
  response: { 201: QualificationStateSchema, ...errorResponses(401, 403, 404, 429) }
}

export const GetSampleSchema = {
  tags,
  security,
  summary: 'L\'échantillon d\'individus : JSON, ou CSV ISO-8859-1 séparé par « ; » avec Accept: text/csv',
  response: { 200: Type.Unsafe({ description: 'JSON (liste de personnes) ou CSV' }), ...errorResponses(401, 403, 404, 429) }
}

export const GetBilanSchema = {
  tags,
  security,
  summary: 'Le bilan de qualification : JSON, HTML (Accept: text/html) ou PDF (Accept: application/pdf)',
  response: { 200: Type.Unsafe({ description: 'le bilan' }), ...errorResponses(401, 403, 404, 409, 429, 503) }
}

export const ApproveSchema = {
  tags,
  security,
  summary: 'Le département valide le bilan',
  response: { 200: Type.Unsafe({ description: 'le bilan' }), ...errorResponses(401, 403, 404, 409, 429) }
}

export const HistoryQuerySchema = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20, description: 'itérations par page' }),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'la page suivante : la valeur next de la précédente' }))
}, { additionalProperties: false })

export const HistorySchema = {
  tags,
  security,
  summary: 'Les itérations de la campagne et leurs bilans, la plus récente d\'abord',
  querystring: HistoryQuerySchema,
  response: {
    200: Type.Object({ iterations: Type.Array(Type.Object({}, { additionalProperties: true })), next: Type.Union([Type.Integer(), Type.Null()]) }),
    ...errorResponses(400, 401, 403, 404, 429)
  }
}

export const AdminQualificationParamsSchema = Type.Object({ departement: Type.String({ maxLength: 3 }) })

export const AdminApproveSchema = {
  tags,
  security,
  summary: 'Pôle emploi valide le bilan du département',
  params: AdminQualificationParamsSchema,
  response: { 200: Type.Unsafe({ description: 'le bilan' }), ...errorResponses(401, 404, 409, 429) }
}

export const AdminRestartSchema = {
  tags,
  security,
  summary: 'Retour à l\'étape 2 : l\'itération ouverte est close avec son bilan ; le département commence la suivante quand il est prêt',
  params: AdminQualificationParamsSchema,
  response: { 200: QualificationStateSchema, ...errorResponses(401, 404, 429) }
}
