import Type, { type Static } from 'typebox'
import { DAMAGE_CODES, FAULT_LIMITS, HTTP_FAULT_CODES } from '../faults/model.js'

/**
 * What a scenario may say. Shares are between 0 and 1; category weights are
 * relative (they need not add up to 1). Every key is known: a typo is an
 * error, not a silently ignored line.
 */

const Share = Type.Number({ minimum: 0, maximum: 1 })
/** The largest population of a département; also the most records a command generates. */
export const MAX_POPULATION = 10_000_000

const DepartementCode = Type.String({ pattern: '^(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-46])$' })

/** What a département may keep of the files it sent: the server's own deposits never count. */
export const QuotasSchema = Type.Object({
  uploadedFiles: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 })),
  uploadedBytes: Type.Optional(Type.Union([Type.Integer({ minimum: 1 }), Type.String({ pattern: '^[0-9]{1,15}[kKMG]?$' })]))
}, { additionalProperties: false })

export const DepartementSchema = Type.Object({
  code: DepartementCode,
  name: Type.String({ minLength: 1, maxLength: 60 }),
  population: Type.Integer({ minimum: 0, maximum: MAX_POPULATION }),
  quotas: Type.Optional(QuotasSchema),
  /** the server deposits its daily flux (Q) each working day */
  daily: Type.Optional(Type.Boolean()),
  /** the département's own public holidays, beside the national ones: "MM-DD" each year */
  holidays: Type.Optional(Type.Array(Type.String({ pattern: '^(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' }), { maxItems: 20 }))
}, { additionalProperties: false })

export const MixSchema = Type.Object({
  categories: Type.Optional(Type.Object({
    1: Type.Optional(Type.Number({ minimum: 0 })),
    2: Type.Optional(Type.Number({ minimum: 0 })),
    3: Type.Optional(Type.Number({ minimum: 0 })),
    4: Type.Optional(Type.Number({ minimum: 0 })),
    5: Type.Optional(Type.Number({ minimum: 0 })),
    dispense: Type.Optional(Type.Number({ minimum: 0, maximum: 1 }))
  }, { additionalProperties: false })),
  delegated: Type.Optional(Share),
  crossBorder: Type.Optional(Share),
  marriedName: Type.Optional(Share),
  longNames: Type.Optional(Share),
  certified: Type.Optional(Share),
  caf: Type.Optional(Share),
  msa: Type.Optional(Share),
  young: Type.Optional(Share),
  cer: Type.Optional(Share),
  eightDigitIdentifiers: Type.Optional(Share)
}, { additionalProperties: false })

export const RatesSchema = Type.Object({
  exits: Type.Optional(Type.Number({ minimum: 0, maximum: 0.5 })),
  radiations: Type.Optional(Share),
  categoryMoves: Type.Optional(Type.Number({ minimum: 0, maximum: 0.5 })),
  reRegistration: Type.Optional(Share)
}, { additionalProperties: false })

export const PecgmOptionsSchema = Type.Object({
  version: Type.Optional(Type.String({ minLength: 5, maxLength: 5 })),
  terminator: Type.Optional(Type.Enum(['LF', 'CRLF', 'none'])),
  case: Type.Optional(Type.Enum(['upper', 'mixed']))
}, { additionalProperties: false })

export const IndividualSchema = Type.Object({
  departement: DepartementCode,
  label: Type.String({ minLength: 1, maxLength: 200 }),
  fields: Type.Record(Type.String({ pattern: '^[A-Z_]+$' }), Type.Union([Type.String(), Type.Null()]))
}, { additionalProperties: false })

export const PlanItemSchema = Type.Object({
  id: Type.Enum(['connexion', 'echantillon', 'cgpem-accepte', 'natures', 'rapprochement', 'pecgm-telecharge', 'aller-retour']),
  required: Type.Optional(Type.Boolean()),
  enabled: Type.Optional(Type.Boolean()),
  params: Type.Optional(Type.Object({
    natures: Type.Optional(Type.Array(Type.Enum(['01', '02', '03', '04', '05', '06']), { minItems: 1 })),
    threshold: Type.Optional(Share)
  }, { additionalProperties: false }))
}, { additionalProperties: false })

export const QualificationSchema = Type.Object({
  sampleSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  knownShare: Type.Optional(Share),
  durationDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 365 })),
  plan: Type.Optional(Type.Array(PlanItemSchema))
}, { additionalProperties: false })

/**
 * The server's lock-out after failed logins (docs/serveur.md): a training
 * room that shares one address sets it high.
 */
export const LockoutSchema = Type.Object({
  failures: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
  windowMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  lockMinutes: Type.Optional(Type.Integer({ minimum: 1, maximum: 1440 })),
  addressFailures: Type.Optional(Type.Integer({ minimum: 1, maximum: 1_000_000 }))
}, { additionalProperties: false })

/**
 * A fault set from the start (docs/pannes.md): a damaged deposit or an HTTP
 * fault, for a CI job that must meet it on every run. The rules between keys
 * are src/faults/model.ts's faultSpec, the same for the admin API.
 */
export const FaultSchema = Type.Object({
  code: Type.Enum([...Object.keys(DAMAGE_CODES), ...Object.keys(HTTP_FAULT_CODES)]),
  departement: DepartementCode,
  deposit: Type.Optional(Type.Enum(['stock', 'flux', 'any'])),
  route: Type.Optional(Type.Enum(['download', 'upload', 'list', 'any'])),
  file: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
  times: Type.Optional(Type.Union([Type.Integer({ minimum: 1, maximum: FAULT_LIMITS.times }), Type.Null()])),
  share: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1 })),
  seed: Type.Optional(Type.Integer({ minimum: 0, maximum: 4294967295 })),
  retryAfterSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: FAULT_LIMITS.retryAfterSeconds })),
  delayMs: Type.Optional(Type.Integer({ minimum: 0, maximum: FAULT_LIMITS.delayMs })),
  bytesPerSecond: Type.Optional(Type.Integer({ minimum: FAULT_LIMITS.bytesPerSecond.min, maximum: FAULT_LIMITS.bytesPerSecond.max })),
  afterBytes: Type.Optional(Type.Integer({ minimum: 0, maximum: FAULT_LIMITS.afterBytes }))
}, { additionalProperties: false })

export const ScenarioSchema = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 80, pattern: '^[a-z0-9][a-z0-9-]*$' }),
  description: Type.String({ minLength: 1 }),
  seed: Type.Integer({ minimum: 0, maximum: 4294967295 }),
  pecgm: Type.Optional(PecgmOptionsSchema),
  departements: Type.Array(DepartementSchema, { minItems: 1 }),
  mix: Type.Optional(MixSchema),
  rates: Type.Optional(RatesSchema),
  individuals: Type.Optional(Type.Array(IndividualSchema)),
  qualification: Type.Optional(QualificationSchema),
  quotas: Type.Optional(QuotasSchema),
  lockout: Type.Optional(LockoutSchema),
  faults: Type.Optional(Type.Array(FaultSchema, { maxItems: 1000 }))
}, { additionalProperties: false })

export type ScenarioInput = Static<typeof ScenarioSchema>
export type QuotasInput = Static<typeof QuotasSchema>
export type MixInput = Static<typeof MixSchema>
export type PlanItemInput = Static<typeof PlanItemSchema>
