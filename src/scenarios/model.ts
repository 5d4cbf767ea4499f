/** A loaded, checked scenario with every default filled in. */

export type CategoryKey = '1' | '2' | '3' | '4' | '5' | 'dispense'

export interface Mix {
  /** relative weights of the registration categories; 'dispense' leaves the category blank */
  categories: Readonly<Record<CategoryKey, number>>
  /** share with a cessation of registration */
  cessation: number
  /** share with a radiation (never with a cessation) */
  radiation: number
  /** share followed by a delegated structure */
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
  /** size of a daily (Q) file as a share of the population */
  dailyEntrants: number
}

export const DEFAULT_MIX: Mix = Object.freeze({
  categories: Object.freeze({ 1: 0.42, 2: 0.07, 3: 0.16, 4: 0.09, 5: 0.14, dispense: 0.12 }),
  cessation: 0.07,
  radiation: 0.03,
  delegated: 0.2,
  crossBorder: 0.005,
  marriedName: 0.28,
  longNames: 0.01,
  certified: 0.93,
  caf: 0.9,
  msa: 0.03,
  young: 0.12,
  cer: 0.7,
  eightDigitIdentifiers: 0.15,
  dailyEntrants: 0.02
})

/** What a département may keep of the files it sent (its CGPEM and their reports); the server's own deposits never count. */
export interface Quotas {
  uploadedFiles: number
  uploadedBytes: number
}

export const DEFAULT_QUOTAS: Quotas = Object.freeze({ uploadedFiles: 1000, uploadedBytes: 5 * 1024 ** 3 })

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
  individuals: readonly Individual[]
  qualification: QualificationOptions
  /** the quotas of a département the scenario does not list (one the admin created) */
  quotas: Quotas
  /** where it was read from, for messages */
  source: string
}

export function findDepartement (scenario: Scenario, code: string): Departement | undefined {
  return scenario.departements.find((d) => d.code === code)
}
