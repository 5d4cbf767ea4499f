import { Type } from 'typebox'
import { BASIC_AUTH, BinarySchema, described, errorResponses, media } from './common.js'

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
  final: Type.Boolean(),
  answer: Type.Union([Type.Object({
    name: Type.String({ description: 'nom du PECGM (décision D9), à télécharger par GET /api/v1/files/{name}' }),
    size: Type.Integer({ description: 'octets' }),
    sha256: Type.String(),
    at: Type.String({ format: 'date-time', description: 'quand il a été déposé' }),
    answerTo: Type.String({ description: 'le nom du CGPEM auquel il répond : le premier accepté de l\'itération' })
  }), Type.Null()], { description: 'le PECGM de réponse que cite l\'itération, le premier qu\'elle a reçu (celui de son premier CGPEM accepté) ; null avant' })
}, { title: 'Qualification' })

const tags = ['qualification']
/** Pôle emploi's side of the campaign: with the other admin routes */
const adminTags = ['admin']
const security = BASIC_AUTH

/** The bilan as JSON: described in docs/qualification.md. */
const BilanSchema = Type.Object({}, { additionalProperties: true, title: 'Bilan', description: 'le bilan de l\'itération (docs/qualification.md)' })

/** The bilan as an answer: sent already serialised, as the bilan route sends its JSON form. */
const BilanAnswer = media('le bilan de l\'itération', { 'application/json': BilanSchema })

export const GetQualificationSchema = {
  operationId: 'getQualification',
  tags,
  security,
  summary: 'La campagne de qualification du département, ses contrôles et le verdict',
  response: { 200: described('la campagne', QualificationStateSchema), ...errorResponses(401, 403, 404, 429) }
}

export const StartSchema = {
  operationId: 'startQualification',
  tags,
  security,
  summary: 'Commence la qualification : une nouvelle itération, dont seul ce qui suit est une preuve (l\'itération ouverte, s\'il y en a une, est close avec son bilan)',
  response: { 201: described('la campagne, sa nouvelle itération ouverte', QualificationStateSchema), ...errorResponses(401, 403, 404, 409, 429) }
}

export const GetSampleSchema = {
  operationId: 'getSample',
  tags,
  security,
  summary: 'L\'échantillon d\'individus : JSON, ou CSV ISO-8859-1 séparé par « ; » avec Accept: text/csv',
  response: {
    200: media('l\'échantillon : JSON (une liste de personnes), ou CSV (text/csv; charset=ISO-8859-1, en pièce jointe echantillon.csv) avec Accept: text/csv', {
      'application/json': Type.Array(Type.Object({}, { additionalProperties: true }), { description: 'les personnes de l\'échantillon' }),
      'text/csv': Type.String({ description: 'une ligne d\'en-tête puis une personne par ligne, séparées par « ; »' })
    }),
    ...errorResponses(401, 403, 404, 429)
  }
}

export const GetBilanSchema = {
  operationId: 'getBilan',
  tags,
  security,
  summary: 'Le bilan de qualification : JSON, HTML (Accept: text/html) ou PDF (Accept: application/pdf)',
  response: {
    200: media('le bilan, dans la forme que demande Accept', {
      'application/json': BilanSchema,
      'text/html': Type.String({ description: 'une page autonome, imprimable' }),
      'application/pdf': BinarySchema
    }),
    ...errorResponses(401, 403, 404, 409, 429, 503)
  }
}

/** The bilan an approval is of, named by its seal (optional). */
export const ApproveQuerySchema = Type.Object({
  seal: Type.Optional(Type.String({ pattern: '^[0-9a-f]{64}$', description: 'le sceau du bilan lu, que la validation approuve : s\'il a changé depuis, rien n\'est validé (409 PHEBUS_QUALIFICATION_BILAN_CHANGED)' }))
}, { additionalProperties: false })

export const ApproveSchema = {
  operationId: 'approveBilan',
  tags,
  security,
  summary: 'Le département valide le bilan (celui de son sceau, avec ?seal=)',
  querystring: ApproveQuerySchema,
  response: { 200: BilanAnswer, ...errorResponses(400, 401, 403, 404, 409, 429) }
}

/** Iterations per page of the history when the client says nothing. */
export const HISTORY_LIMIT = 20

export const HistoryQuerySchema = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100, default: HISTORY_LIMIT, description: 'itérations par page' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'la page suivante : la valeur next de la précédente' }))
}, { additionalProperties: false })

export const HistorySchema = {
  operationId: 'listIterations',
  tags,
  security,
  summary: 'Les itérations de la campagne et leurs bilans, la plus récente d\'abord',
  querystring: HistoryQuerySchema,
  response: {
    200: Type.Object({ iterations: Type.Array(Type.Object({}, { additionalProperties: true })), next: Type.Union([Type.Integer(), Type.Null()]) }, { description: 'une page de l\'historique' }),
    ...errorResponses(400, 401, 403, 404, 429)
  }
}

export const AdminQualificationParamsSchema = Type.Object({ departement: Type.String({ maxLength: 3 }) })

export const AdminApproveSchema = {
  operationId: 'approveBilanForPoleEmploi',
  tags: adminTags,
  security,
  summary: 'Pôle emploi valide le bilan du département (celui de son sceau, avec ?seal=)',
  params: AdminQualificationParamsSchema,
  querystring: ApproveQuerySchema,
  response: { 200: BilanAnswer, ...errorResponses(400, 401, 403, 404, 409, 429) }
}

export const AdminRestartSchema = {
  operationId: 'restartQualification',
  tags: adminTags,
  security,
  summary: 'Retour à l\'étape 2 : l\'itération ouverte est close avec son bilan ; le département commence la suivante quand il est prêt',
  params: AdminQualificationParamsSchema,
  response: { 200: described('la campagne, revenue à l\'étape 2', QualificationStateSchema), ...errorResponses(400, 401, 403, 404, 429) }
}
