import { Type } from 'typebox'
import { BASIC_AUTH, described, errorResponses } from './common.js'

/**
 * The admin API (conventions: common.ts). To anyone but the admin every one
 * of these routes answers 404, as a route that does not exist.
 */

const AdminErrors = errorResponses(401, 404, 429)

/** Entries of the trail, or messages, per page when the admin says nothing. */
export const DEFAULT_PAGE = 100
const tags = ['admin']
const security = BASIC_AUTH

export const DepartementSchema = Type.Object({
  code: Type.String(),
  name: Type.String(),
  username: Type.String(),
  demo: Type.Boolean({ description: 'compte de démonstration (mot de passe demo-<code>)' }),
  createdAt: Type.String({ format: 'date-time' }),
  files: Type.Integer({ description: 'fichiers présents' })
}, { title: 'Département' })

export const ListDepartementsSchema = {
  operationId: 'listDepartements',
  tags,
  summary: 'Les départements et leurs comptes',
  security,
  response: {
    200: Type.Object({ departements: Type.Array(DepartementSchema) }, { description: 'les comptes des départements, par code' }),
    ...AdminErrors
  }
}

/** A password the admin chooses: the rule is checked by the service (400 PHEBUS_ADMIN_PASSWORD_INVALID, in French). */
const ChosenPasswordSchema = Type.String({ description: '12 caractères au moins, 1024 au plus, sans caractère de contrôle ; jamais renvoyé ni écrit dans le journal' })

export const CreateDepartementBodySchema = Type.Object({
  code: Type.String({ minLength: 2, maxLength: 3, description: '01 à 95, 2A, 2B, 971 à 974, 976 : un département dont le générateur connaît les communes' }),
  name: Type.String({ minLength: 1, maxLength: 100, description: 'sans caractère de contrôle (C0, DEL, C1) ni de mise en forme bidirectionnelle (U+200E, U+200F, U+202A à U+202E, U+2066 à U+2069) : 400 qui nomme le caractère et sa position' }),
  password: Type.Optional(ChosenPasswordSchema)
}, { additionalProperties: false })

export const CreateDepartementSchema = {
  operationId: 'createDepartement',
  tags,
  summary: 'Créer le compte d\'un département, avec le mot de passe choisi ou un mot de passe aléatoire montré une seule fois ; son stock PECGM dû est déposé aussitôt, les suivants à leur heure',
  security,
  body: CreateDepartementBodySchema,
  response: {
    201: Type.Object({
      departement: DepartementSchema,
      password: Type.Optional(Type.String({ description: 'le mot de passe tiré au hasard, montré cette fois seulement (seule son empreinte scrypt est gardée) ; absent quand il a été choisi' }))
    }, { description: 'créé : le compte, et son mot de passe s\'il a été tiré au hasard' }),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429)
  }
}

export const DepartementParamsSchema = Type.Object({ code: Type.String({ maxLength: 3, description: 'le code du département : 77, 2A, 971…' }) })

export const ResetPasswordSchema = {
  operationId: 'resetDepartementPassword',
  tags,
  summary: 'Changer le mot de passe d\'un département : celui choisi, ou un mot de passe aléatoire montré une seule fois ; l\'ancien ne sert plus, ses sessions sont fermées aussitôt',
  description: 'Corps facultatif : {} ou sans corps, un mot de passe est tiré au hasard et renvoyé ; { "password": "…" } le choisit (il n\'est pas renvoyé). Le compte n\'est plus un compte de démonstration. Le journal d\'audit dit qui l\'a changé, jamais le mot de passe.',
  security,
  params: DepartementParamsSchema,
  body: Type.Object({ password: Type.Optional(ChosenPasswordSchema) }, { additionalProperties: false }),
  response: {
    200: Type.Object({
      departement: DepartementSchema,
      password: Type.Optional(Type.String({ description: 'le mot de passe tiré au hasard, montré cette fois seulement ; absent quand il a été choisi' })),
      sessionsClosed: Type.Integer({ description: 'sessions de l\'interface partenaire fermées' })
    }, { description: 'changé : l\'ancien mot de passe n\'ouvre plus rien' }),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429)
  }
}

export const AuditKindSchema = Type.Union([Type.Literal('request'), Type.Literal('deposit'), Type.Literal('purge'), Type.Literal('reconcile'), Type.Literal('start'), Type.Literal('stop'), Type.Literal('clock'), Type.Literal('fault')])

export const AuditQuerySchema = Type.Object({
  departement: Type.Optional(Type.String({ maxLength: 3 })),
  user: Type.Optional(Type.String({ maxLength: 100 })),
  kind: Type.Optional(AuditKindSchema),
  request: Type.Optional(Type.String({ maxLength: 64, description: 'l\'identifiant d\'une requête (X-Request-Id, requestId d\'une erreur)' })),
  route: Type.Optional(Type.String({ maxLength: 200, description: 'le modèle de route, tel que le journal le note : /api/v1/files/:name' })),
  status: Type.Optional(Type.String({ pattern: '^[1-5]([0-9]{2}|[xX]{2})$', description: 'un statut (404) ou une classe (4xx, 5xx)' })),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'les entrées écrites à partir de cette heure de la machine (at) : 2026-11-27 ou 2026-11-27T11:00, heure de Paris, ou avec un décalage (2026-11-27T10:00:00Z)' })),
  to: Type.Optional(Type.String({ maxLength: 40, description: 'jusqu\'à cette heure de la machine, comprise à sa précision : 2026-11-27 va jusqu\'à la fin du jour, 2026-11-27T11:00 jusqu\'à 11:00:59' })),
  before: Type.Optional(Type.Integer({ minimum: 1, description: 'les entrées d\'identifiant inférieur (page suivante)' })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, default: DEFAULT_PAGE, description: 'entrées par page, 1 à 10 000' }))
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
  exchangeAt: Nullable(Type.String({ format: 'date-time', description: 'l\'heure de l\'horloge de l\'échange à ce moment (at est celle de la machine) ; null avant la version qui la note' })),
  faultId: Nullable(Type.Integer({ description: 'la panne simulée que cette requête ou ce dépôt a rencontrée (GET /api/v1/admin/faults), sinon null' }))
}, { title: 'Entrée du journal d\'audit' })

export const ReadAuditSchema = {
  operationId: 'listAuditEntries',
  tags,
  summary: 'Le journal d\'audit, du plus récent au plus ancien',
  security,
  querystring: AuditQuerySchema,
  response: {
    200: Type.Object({
      entries: Type.Array(AuditEntrySchema),
      next: Nullable(Type.Integer({ description: 'valeur de before pour la page suivante' }))
    }, { description: 'une page du journal' }),
    ...errorResponses(400, 401, 404, 429)
  }
}

export const PurgeSchema = {
  operationId: 'purgeExpiredFiles',
  tags,
  summary: 'Supprimer maintenant les fichiers dont la durée de conservation est passée',
  security,
  response: {
    200: Type.Object({
      count: Type.Integer(),
      auditEntries: Type.Integer({ description: 'entrées du journal d\'audit supprimées (plus anciennes que sa durée de conservation)' }),
      purged: Type.Array(Type.Object({ departement: Type.String(), name: Type.String(), kind: Type.String(), expiresAt: Type.String({ format: 'date-time' }) }))
    }, { description: 'les fichiers et les entrées du journal supprimés' }),
    ...errorResponses(401, 403, 404, 429)
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
  fileSha256: Nullable(Type.String({ description: 'l\'empreinte de ce fichier quand le message a été écrit' })),
  readAt: Nullable(Type.String({ format: 'date-time', description: 'quand l\'admin l\'a marqué lu ; null tant qu\'il ne l\'est pas' })),
  answeredAt: Nullable(Type.String({ format: 'date-time', description: 'quand l\'admin l\'a marqué répondu ; null sinon' })),
  answeredBy: Nullable(Type.String({ description: 'l\'admin qui l\'a marqué répondu' }))
}, { title: 'Message (« Nous écrire »)' })

export const ReadMessagesSchema = {
  operationId: 'listMessages',
  tags,
  summary: 'Les messages écrits par les départements (« Nous écrire »), du plus récent au plus ancien',
  security,
  querystring: Type.Object({
    departement: Type.Optional(Type.String({ maxLength: 3 })),
    unread: Type.Optional(Type.Boolean({ default: false, description: 'true : les messages non lus seulement' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'les messages d\'identifiant inférieur (page suivante)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, default: DEFAULT_PAGE, description: 'messages par page, 1 à 1000' }))
  }, { additionalProperties: false }),
  response: {
    200: Type.Object({ messages: Type.Array(MessageSchema), next: Nullable(Type.Integer({ description: 'valeur de before pour la page suivante' })) }, { description: 'une page des messages' }),
    ...errorResponses(400, 401, 404, 429)
  }
}

export const MarkMessageSchema = {
  operationId: 'markMessage',
  tags,
  summary: 'Marquer un message lu ou non lu, répondu ou non',
  description: 'read : true le marque lu (la première lecture est gardée), false non lu (et donc non répondu) ; answered : true le marque répondu par l\'admin (et lu), false non répondu. Le journal d\'audit dit ce qui a changé et qui l\'a fait. 404 pour un message qui n\'existe pas.',
  security,
  params: Type.Object({ id: Type.Integer({ minimum: 1, description: 'le numéro du message' }) }),
  body: Type.Object({
    read: Type.Optional(Type.Boolean()),
    answered: Type.Optional(Type.Boolean())
  }, { additionalProperties: false, minProperties: 1 }),
  response: {
    200: described('le message, marqué', MessageSchema),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429)
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
  operationId: 'getClock',
  tags,
  summary: 'L\'horloge de l\'échange (dépôts, conservation, « aujourd\'hui »)',
  security,
  response: { 200: described('l\'horloge de l\'échange', ClockSchema), ...AdminErrors }
}

export const MoveClockSchema = {
  operationId: 'moveClock',
  tags,
  summary: 'Avancer l\'horloge de l\'échange : chaque jour franchi est vécu dans l\'ordre (purges et dépôts datés de ce jour)',
  description: 'advance : +30min, +12h, +1d, +1M (mois du calendrier) ; ou to : une date ou une date et heure locales (2026-12-01T08:00:00), ou avec décalage. mode : frozen (arrêtée) ou running (elle avance ensuite normalement). Elle ne recule jamais (409) ; au plus 366 jours d\'un coup (400), un déplacement à la fois (409). Les délais de sécurité (sessions, blocages) restent sur l\'horloge de la machine.',
  security,
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
    }, { description: 'l\'horloge avancée, ce qui a été déposé et purgé en chemin' }),
    ...errorResponses(400, 401, 403, 404, 409, 413, 415, 429, 503, 507)
  }
}

export const DepositNowSchema = {
  operationId: 'depositPecgm',
  tags,
  summary: 'Déposer maintenant, sans toucher à l\'horloge : le stock du mois (M) ou le flux du jour (Q) d\'un département du scénario ou créé par l\'admin',
  description: 'Fabriqué le jour de l\'horloge de l\'échange ; un stock déjà déposé ce jour-là prend le numéro suivant de son nom (décision D9).',
  security,
  body: Type.Object({
    departement: Type.String({ minLength: 2, maxLength: 3 }),
    periodicity: Type.Union([Type.Literal('M'), Type.Literal('Q')], { description: 'M : le stock du mois ; Q : le flux du jour' })
  }, { additionalProperties: false }),
  response: {
    201: Type.Object({
      departement: Type.String(),
      name: Type.String(),
      size: Type.Integer(),
      sha256: Type.String(),
      createdAt: Type.String({ format: 'date-time' }),
      deposited: Type.Array(Type.String(), { description: 'tous les fichiers déposés par cette requête, dans l\'ordre : la version correcte d\'un dépôt endommagé qui l\'attendait, le PECGM demandé, sa copie si une panne duplicate-file le dépose deux fois' })
    }, { description: 'déposé : le PECGM' }),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 503, 507)
  }
}

export const LockSchema = Type.Object({
  id: Type.String({ description: 'stable et sûr dans une URL : le même blocage (identifiant et adresse, ou adresse) a toujours le même' }),
  scope: Type.Union([Type.Literal('user'), Type.Literal('address')], { description: 'user : un identifiant bloqué depuis une adresse ; address : une adresse bloquée, tous identifiants confondus' }),
  user: Nullable(Type.String({ description: 'l\'identifiant bloqué ; null pour une adresse' })),
  departement: Nullable(Type.String({ description: 'le département de ce compte ; null pour une adresse ou un identifiant inconnu' })),
  address: Type.String({ description: 'l\'adresse IP d\'où venaient les échecs' }),
  failures: Type.Integer({ description: 'échecs de connexion qui ont fait le blocage' }),
  lockedAt: Type.String({ format: 'date-time' }),
  until: Type.String({ format: 'date-time', description: 'fin du blocage (UTC)' }),
  untilLocal: Type.String({ description: 'la même, en heure de Paris, arrondie à la minute suivante, « 2026-11-27 11:15 (Europe/Paris) »' }),
  retryAfter: Type.Integer({ description: 'secondes avant la fin (Retry-After d\'un 429)' })
}, { title: 'Blocage' })

export const ListLocksSchema = {
  operationId: 'listLocks',
  tags,
  summary: 'Les blocages en cours après des échecs de connexion, le plus récent d\'abord',
  description: 'Les délais de blocage suivent l\'horloge de la machine, jamais celle de l\'échange.',
  security,
  response: {
    200: Type.Object({ locks: Type.Array(LockSchema) }, { description: 'les blocages en cours' }),
    ...AdminErrors
  }
}

export const LiftLockSchema = {
  operationId: 'liftLock',
  tags,
  summary: 'Lever un blocage : l\'identifiant (ou l\'adresse) peut réessayer aussitôt ; les autres blocages restent',
  description: 'La levée est dans le journal d\'audit (qui, quoi) ; un redémarrage ne ramène pas le blocage. 404 pour un blocage qui n\'existe pas ou plus (fini, déjà levé).',
  security,
  params: Type.Object({ id: Type.String({ maxLength: 1024, description: 'l\'id donné par GET /api/v1/admin/locks' }) }),
  response: {
    204: Type.Null({ description: 'levé' }),
    ...errorResponses(400, 401, 403, 404, 429)
  }
}
