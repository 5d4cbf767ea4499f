import { Type } from 'typebox'
import { errorResponses } from './common.js'

const AdminErrors = errorResponses(401, 404, 429)

export const DepartementSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  username: Type.String(),
  demo: Type.Boolean({ description: 'compte de démonstration (mot de passe demo-<code>)' }),
  createdAt: Type.String({ format: 'date-time' }),
  files: Type.Integer({ description: 'fichiers présents' })
}, { title: 'Département' })

export const ListDepartementsSchema = {
  tags: ['admin'],
  summary: 'Les départements et leurs comptes',
  security: [{ basic: [] }],
  response: {
    200: Type.Object({ departements: Type.Array(DepartementSchema) }),
    ...AdminErrors
  }
}

export const CreateDepartementBodySchema = Type.Object({
  code: Type.String({ minLength: 2, maxLength: 3, description: '01 à 95, 2A, 2B, 971 à 974, 976 : un département dont le générateur connaît les communes' }),
  name: Type.String({ minLength: 1, maxLength: 100 })
}, { additionalProperties: false })

export const CreateDepartementSchema = {
  tags: ['admin'],
  summary: 'Créer le compte d\'un département (mot de passe aléatoire, montré une seule fois) ; son stock PECGM dû est déposé aussitôt, les suivants à leur heure',
  security: [{ basic: [] }],
  body: CreateDepartementBodySchema,
  response: {
    201: Type.Object({
      departement: DepartementSchema,
      password: Type.String({ description: 'montré cette fois seulement : seule son empreinte scrypt est gardée' })
    }),
    ...errorResponses(400, 401, 404, 409, 429)
  }
}

export const AuditKindSchema = Type.Union([Type.Literal('request'), Type.Literal('deposit'), Type.Literal('purge'), Type.Literal('reconcile'), Type.Literal('start'), Type.Literal('stop'), Type.Literal('clock')])

export const AuditQuerySchema = Type.Object({
  departement: Type.Optional(Type.String({ maxLength: 3 })),
  user: Type.Optional(Type.String({ maxLength: 100 })),
  kind: Type.Optional(AuditKindSchema),
  request: Type.Optional(Type.String({ maxLength: 64, description: 'l\'identifiant d\'une requête (X-Request-Id, requestId d\'une erreur)' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'les entrées d\'identifiant inférieur (page suivante)' })),
  limit: Type.Integer({ minimum: 1, maximum: 10000, default: 100 })
}, { additionalProperties: false })

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T) => Type.Union([t, Type.Null()])

export const AuditEntrySchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  kind: AuditKindSchema,
  user: Nullable(Type.String()),
  address: Nullable(Type.String()),
  method: Nullable(Type.String()),
  route: Nullable(Type.String({ description: 'le modèle de route, /api/v1/files/:name' })),
  path: Nullable(Type.String()),
  fileName: Nullable(Type.String()),
  status: Nullable(Type.Integer()),
  bytesIn: Nullable(Type.Integer()),
  bytesOut: Nullable(Type.Integer()),
  durationMs: Nullable(Type.Number()),
  sha256: Nullable(Type.String()),
  departement: Nullable(Type.String()),
  detail: Nullable(Type.String()),
  requestId: Nullable(Type.String({ description: 'l\'identifiant de la requête (son en-tête X-Request-Id)' })),
  exchangeAt: Nullable(Type.String({ format: 'date-time', description: 'l\'heure de l\'horloge de l\'échange à ce moment (at est celle de la machine) ; null avant la version qui la note' }))
}, { title: 'Entrée du journal d\'audit' })

export const ReadAuditSchema = {
  tags: ['admin'],
  summary: 'Le journal d\'audit, du plus récent au plus ancien',
  security: [{ basic: [] }],
  querystring: AuditQuerySchema,
  response: {
    200: Type.Object({
      entries: Type.Array(AuditEntrySchema),
      next: Nullable(Type.Integer({ description: 'valeur de before pour la page suivante' }))
    }),
    ...errorResponses(400, 401, 404, 429)
  }
}

export const PurgeSchema = {
  tags: ['admin'],
  summary: 'Supprimer maintenant les fichiers dont la durée de conservation est passée',
  security: [{ basic: [] }],
  response: {
    200: Type.Object({
      count: Type.Integer(),
      auditEntries: Type.Integer({ description: 'entrées du journal d\'audit supprimées (plus anciennes que sa durée de conservation)' }),
      purged: Type.Array(Type.Object({ departement: Type.String(), name: Type.String(), kind: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }))
    }),
    ...AdminErrors
  }
}

export const MessageSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  departement: Type.String(),
  user: Type.String({ description: 'le compte qui a écrit' }),
  subject: Type.String(),
  body: Type.String(),
  fileName: Nullable(Type.String({ description: 'le fichier du département dont parle le message' })),
  fileSha256: Nullable(Type.String({ description: 'l\'empreinte de ce fichier quand le message a été écrit' }))
}, { title: 'Message (« Nous écrire »)' })

export const ReadMessagesSchema = {
  tags: ['admin'],
  summary: 'Les messages écrits par les départements (« Nous écrire »), du plus récent au plus ancien',
  security: [{ basic: [] }],
  querystring: Type.Object({
    departement: Type.Optional(Type.String({ maxLength: 3 })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'les messages d\'identifiant inférieur (page suivante)' })),
    limit: Type.Integer({ minimum: 1, maximum: 1000, default: 100 })
  }, { additionalProperties: false }),
  response: {
    200: Type.Object({ messages: Type.Array(MessageSchema), next: Nullable(Type.Integer()) }),
    ...errorResponses(400, 401, 404, 429)
  }
}

export const ClockSchema = Type.Object({
  now: Type.String({ format: 'date-time', description: 'l\'heure de l\'échange (UTC)' }),
  local: Type.String({ description: 'la même, en heure locale de l\'échange, « 2026-11-02 08:00 (Europe/Paris) »' }),
  today: Type.String({ format: 'date', description: 'le jour de l\'échange (Europe/Paris, ou le décalage donné à --now)' }),
  mode: Type.Union([Type.Literal('wall'), Type.Literal('running'), Type.Literal('frozen')], { description: 'wall : l\'horloge de la machine ; running : partie d\'une heure donnée, elle avance normalement ; frozen : arrêtée, elle n\'avance que sur demande' }),
  zone: Type.String({ description: 'Europe/Paris, ou un décalage fixe ±HH:MM' })
}, { title: 'Horloge de l\'échange' })

export const GetClockSchema = {
  tags: ['admin'],
  summary: 'L\'horloge de l\'échange (dépôts, conservation, « aujourd\'hui »)',
  security: [{ basic: [] }],
  response: { 200: ClockSchema, ...AdminErrors }
}

export const MoveClockSchema = {
  tags: ['admin'],
  summary: 'Avancer l\'horloge de l\'échange : chaque jour franchi est vécu dans l\'ordre (purges et dépôts datés de ce jour)',
  description: 'advance : +30min, +12h, +1d, +1M (mois du calendrier) ; ou to : une date ou une date et heure locales (2026-12-01T08:00:00), ou avec décalage. mode : frozen (arrêtée) ou running (elle avance ensuite normalement). Elle ne recule jamais (409). Les délais de sécurité (sessions, blocages) restent sur l\'horloge de la machine.',
  security: [{ basic: [] }],
  body: Type.Object({
    advance: Type.Optional(Type.String({ maxLength: 16 })),
    to: Type.Optional(Type.String({ maxLength: 40 })),
    mode: Type.Optional(Type.Union([Type.Literal('running'), Type.Literal('frozen')]))
  }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      clock: ClockSchema,
      from: Type.String({ format: 'date-time' }),
      deposited: Type.Array(Type.Object({ departement: Type.String(), name: Type.String() })),
      purged: Type.Array(Type.Object({ departement: Type.String(), name: Type.String() }))
    }),
    ...errorResponses(400, 401, 404, 409, 429)
  }
}

export const DepositNowSchema = {
  tags: ['admin'],
  summary: 'Déposer maintenant, sans toucher à l\'horloge : le stock du mois (M) ou le flux du jour (Q) d\'un département du scénario ou créé par l\'admin',
  description: 'Fabriqué le jour de l\'horloge de l\'échange ; un stock déjà déposé ce jour-là prend le numéro suivant de son nom (décision D9).',
  security: [{ basic: [] }],
  body: Type.Object({
    departement: Type.String({ minLength: 2, maxLength: 3 }),
    periodicity: Type.Union([Type.Literal('M'), Type.Literal('Q')], { description: 'M : le stock du mois ; Q : le flux du jour' })
  }, { additionalProperties: false }),
  response: {
    201: Type.Object({ departement: Type.String(), name: Type.String(), size: Type.Integer(), sha256: Type.String(), createdAt: Type.String({ format: 'date-time' }) }),
    ...errorResponses(400, 401, 404, 429)
  }
}
