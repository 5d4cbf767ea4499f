import type { FaultInput } from '../faults/model.js'
/** A loaded, checked scenario with every default filled in. */

export type CategoryKey = '1' | '2' | '3' | '4' | '5' | 'dispense'

export interface Mix {
  /**
   * relative weights of the registration categories 1–5; 'dispense' is the
   * share of the people who could be dispensed (aged 57 or more, registered
   * before 2012) who are (their category is blank)
   */
  categories: Readonly<Record<CategoryKey, number>>
  /** share followed by a delegated structure at a time */
  delegated: number
  /** share of cross-border workers (blank residence) */
  crossBorder: number
  /** share with a married name */
  marriedName: number
  /** share whose birth name is one of the long ones (cut to 25) */
  longNames: number
  /** share whose identity is certified ('O') */
  certified: number
  /** share with a CAF number */
  caf: number
  /** share known to the MSA (its number is the NIR) */
  msa: number
  /** share aged 18–24 (the others 25–64) */
  young: number
  /** share with a CER notification (PPAE valant CER) */
  cer: number
  /** share of agency identifiers written as 8 digits rather than 7 digits and a letter */
  eightDigitIdentifiers: number
}

export const DEFAULT_MIX: Mix = Object.freeze({
  categories: Object.freeze({ 1: 0.42, 2: 0.07, 3: 0.16, 4: 0.09, 5: 0.14, dispense: 0.5 }),
  delegated: 0.2,
  crossBorder: 0.005,
  marriedName: 0.28,
  longNames: 0.01,
  certified: 0.93,
  caf: 0.9,
  msa: 0.03,
  young: 0.12,
  cer: 0.7,
  eightDigitIdentifiers: 0.15
})

/**
 * How a département's population moves, per month (docs/scenarios.md says
 * how the defaults were chosen). The population is stationary: as many
 * people enter as leave, so a stock keeps the size the scenario gives.
 */
export interface Rates {
  /** share of the registered who leave each month (a cessation or a radiation); as many enter */
  exits: number
  /** share of those exits that are radiations (the others are cessations) */
  radiations: number
  /** share of the registered whose category changes each month */
  categoryMoves: number
  /** share of the people who left that register again later (once at most) */
  reRegistration: number
}

export const DEFAULT_RATES: Rates = Object.freeze({ exits: 0.03, radiations: 0.3, categoryMoves: 0.02, reRegistration: 0.25 })

/** What a département may keep of the files it sent (its CGPEM and their reports); the server's own deposits never count. */
export interface Quotas {
  uploadedFiles: number
  uploadedBytes: number
}

export const DEFAULT_QUOTAS: Quotas = Object.freeze({ uploadedFiles: 1000, uploadedBytes: 5 * 1024 ** 3 })

/**
 * The server's lock-out: `failures` failed logins of a user from one address
 * within `windowMinutes` lock that user from that address for `lockMinutes`;
 * `addressFailures` failed logins from one address, whatever the user, lock
 * the address (null: the server's own setting, --max-address-failures).
 */
export interface Lockout {
  failures: number
  windowMinutes: number
  lockMinutes: number
  addressFailures: number | null
}

export const DEFAULT_LOCKOUT: Lockout = Object.freeze({ failures: 5, windowMinutes: 15, lockMinutes: 15, addressFailures: null })

export interface Departement {
  code: string
  name: string
  population: number
  /** the scenario's quotas, with this département's own changes */
  quotas: Quotas
  /** its own public holidays beside the national ones, "MM-DD" (none when the scenario gives none) */
  holidays: readonly string[]
  /** the server deposits its daily flux each working day */
  daily: boolean
}

export interface Individual {
  departement: string
  label: string
  /** PECGM detail field → value; null or '' writes the field blank */
  fields: Readonly<Record<string, string | null>>
  /** line in the scenario file, for messages */
  line: number
}

export interface PecgmOptions {
  version: string
  terminator: 'LF' | 'CRLF' | 'none'
  case: 'upper' | 'mixed'
}

export type CheckId = 'connexion' | 'echantillon' | 'cgpem-accepte' | 'natures' | 'rapprochement' | 'pecgm-telecharge' | 'aller-retour'

export interface PlanOverride {
  id: CheckId
  required?: boolean
  enabled?: boolean
  params?: { natures?: string[], threshold?: number }
}

/** What the qualification of Annexe 2 (steps 2 and 3) uses from the scenario. */
export interface QualificationOptions {
  /** people in the sample handed to the département */
  sampleSize: number
  /** share of the sample known to Pôle emploi as job seekers */
  knownShare: number
  /** planned length of the qualification, in days */
  durationDays: number
  /** changes to the default plan */
  plan: readonly PlanOverride[]
}

export const DEFAULT_QUALIFICATION: QualificationOptions = Object.freeze({ sampleSize: 60, knownShare: 0.7, durationDays: 45, plan: [] })

export interface Scenario {
  name: string
  description: string
  seed: number
  pecgm: PecgmOptions
  departements: readonly Departement[]
  mix: Mix
  rates: Rates
  individuals: readonly Individual[]
  qualification: QualificationOptions
  /** the quotas of a département the scenario does not list (one the admin created) */
  quotas: Quotas
  /** the server's lock-out after failed logins */
  lockout: Lockout
  /** the faults set from the start (docs/pannes.md) */
  faults: readonly FaultInput[]
  /** where it was read from, for messages */
  source: string
}

export function findDepartement (scenario: Scenario, code: string): Departement | undefined {
  return scenario.departements.find((d) => d.code === code)
}

/**
 * The département `code` as the generator sees it: the scenario's own, or,
 * for one it does not list (created by the admin, `stored` being its
 * account), one drawn with the scenario's defaults: its quotas, the median
 * population of its départements, no holidays of its own, no daily flux.
 */
export function departementFor (scenario: Scenario, code: string, stored: { name: string }): Departement {
  const listed = findDepartement(scenario, code)
  if (listed !== undefined) return listed
  const sizes = scenario.departements.map((d) => d.population).sort((a, b) => a - b)
  const mid = sizes.length >> 1
  const population = sizes.length % 2 === 1 ? sizes[mid] ?? 0 : Math.round(((sizes[mid - 1] ?? 0) + (sizes[mid] ?? 0)) / 2)
  return { code, name: stored.name, population, quotas: scenario.quotas, holidays: [], daily: false }
}
