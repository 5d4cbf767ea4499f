import { Type } from 'typebox'
import { DAMAGE_CODES, FAULT_LIMITS, HTTP_FAULT_CODES } from '../../faults/model.js'
import { BASIC_AUTH, errorResponses } from './common.js'

/** The admin API of faults on demand (docs/pannes.md): list, set, lift, and the correct deposits after damaged ones. */

const tags = ['admin']
const security = BASIC_AUTH
const CODES = [...Object.keys(DAMAGE_CODES), ...Object.keys(HTTP_FAULT_CODES)]
const Departement = Type.String({ pattern: '^(0[1-9]|1[0-9]|2[1-9ABab]|[3-8][0-9]|9[0-5]|97[1-6])$', description: 'code du département (77, 2A, 971…)' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(t: T): ReturnType<typeof Type.Union<[T, ReturnType<typeof Type.Null>]>> => Type.Union([t, Type.Null()])

export const FaultSchema = Type.Object({
  id: Type.Integer(),
  code: Type.String({ enum: CODES }),
  family: Type.String({ enum: ['deposit', 'http'], description: 'deposit : un dépôt endommagé ; http : ce qui passe sur le fil' }),
  title: Type.String(),
  departement: Type.String(),
  deposit: Nullable(Type.String({ enum: ['stock', 'flux', 'any'] })),
  route: Nullable(Type.String({ enum: ['download', 'upload', 'list', 'any'] })),
  file: Nullable(Type.String()),
  remaining: Nullable(Type.Integer({ description: 'dépôts ou requêtes qu\'elle touchera encore ; null : jusqu\'à ce qu\'elle soit levée' })),
  share: Nullable(Type.Number()),
  seed: Type.Integer({ description: 'la graine de ses tirages (l\'enregistrement endommagé, les requêtes touchées)' }),
  retryAfterSeconds: Nullable(Type.Integer()),
  delayMs: Nullable(Type.Integer()),
  bytesPerSecond: Nullable(Type.Integer()),
  afterBytes: Nullable(Type.Integer()),
  hits: Type.Integer({ description: 'dépôts ou requêtes touchés jusqu\'ici' }),
  setBy: Type.String({ description: 'scenario, ou l\'utilisateur qui l\'a posée' }),
  setAt: Type.String({ format: 'date-time' }),
  liftedAt: Nullable(Type.String({ format: 'date-time' })),
  liftedBy: Nullable(Type.String({ description: 'used quand son nombre de fois est épuisé, sinon qui l\'a levée' })),
  active: Type.Boolean(),
  target: Type.String({ description: 'sa cible, en mots' })
})

export const ListFaultsSchema = {
  operationId: 'listFaults',
  tags,
  summary: 'Les pannes posées : les actives, puis les levées, les plus récentes d\'abord, par pages',
  security,
  querystring: Type.Object({
    departement: Type.Optional(Departement),
    active: Type.Optional(Type.Boolean({ description: 'true : les actives seulement ; false : les levées seulement' })),
    before: Type.Optional(Type.Integer({ minimum: 1, description: 'la page suivante : la valeur next de la précédente (des pannes levées seulement)' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 500, description: 'pannes levées par page' }))
  }),
  response: {
    200: Type.Object({
      faults: Type.Array(FaultSchema),
      next: Nullable(Type.Integer({ description: 'valeur de before pour la page suivante ; null à la dernière' }))
    }, { description: 'les pannes : à la première page, toutes les actives (100 au plus par département), puis les levées, les plus récentes d\'abord (limit par page)' }),
    ...errorResponses(400, 401, 404, 429)
  }
}

export const CreateFaultSchema = {
  operationId: 'createFault',
  tags,
  summary: 'Poser une panne : un dépôt endommagé ou une panne HTTP, pour un département',
  description: 'Une panne de dépôt touche les prochains dépôts (deposit) ou dépose tout de suite une copie endommagée d\'un PECGM déjà déposé (file). Une panne HTTP touche les requêtes du département (route, file), les N prochaines (times), une part tirée de la graine (share), ou jusqu\'à ce qu\'elle soit levée (times: null). Codes et effets : docs/pannes.md.',
  security,
  body: Type.Object({
    code: Type.String({ enum: CODES }),
    departement: Departement,
    deposit: Type.Optional(Type.String({ enum: ['stock', 'flux', 'any'], description: 'une panne de dépôt : par défaut any' })),
    route: Type.Optional(Type.String({ enum: ['download', 'upload', 'list', 'any'], description: 'une panne HTTP : par défaut any' })),
    file: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    // null as a constant, tried first: a branch of type null would coerce 0, false and "" into null (a fault without end)
    times: Type.Optional(Type.Union([Type.Unsafe<null>({ const: null }), Type.Integer({ minimum: 1, maximum: FAULT_LIMITS.times })], { description: 'par défaut 1 ; null : jusqu\'à ce qu\'elle soit levée' })),
    share: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
    seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
    retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: FAULT_LIMITS.retryAfterSeconds, description: 'par défaut 30' })),
    delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: FAULT_LIMITS.delayMs, description: 'par défaut 5000' })),
    bytesPerSecond: Type.Optional(Type.Integer({ minimum: FAULT_LIMITS.bytesPerSecond.min, maximum: FAULT_LIMITS.bytesPerSecond.max, description: 'par défaut 10000' })),
    afterBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: FAULT_LIMITS.afterBytes, description: 'par défaut 1024' }))
  }, { additionalProperties: false }),
  response: {
    201: Type.Object({ fault: FaultSchema }, { description: 'posée (une copie endommagée d\'un fichier nommé est déjà déposée)' }),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 503, 507)
  }
}

export const LiftFaultSchema = {
  operationId: 'liftFault',
  tags,
  summary: 'Lever une panne active',
  security,
  params: Type.Object({ id: Type.Integer({ minimum: 1 }) }),
  response: {
    200: Type.Object({ fault: FaultSchema }, { description: 'levée' }),
    ...errorResponses(400, 401, 403, 404, 429)
  }
}

export const RepairSchema = {
  operationId: 'repairDeposits',
  tags,
  summary: 'Déposer maintenant la version correcte des dépôts endommagés d\'un département',
  description: 'Sans cette demande, elle est déposée au prochain dépôt du département.',
  security,
  body: Type.Object({ departement: Departement }, { additionalProperties: false }),
  response: {
    200: Type.Object({ deposited: Type.Array(Type.Object({ departement: Type.String(), name: Type.String(), sha256: Type.String(), size: Type.Integer() })) }, { description: 'les fichiers déposés (aucun si rien n\'attendait)' }),
    ...errorResponses(400, 401, 403, 404, 413, 415, 429, 503, 507)
  }
}
