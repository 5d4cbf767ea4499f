import { planPecgm } from '../generate/pecgm-file.js'
import { PersonDraw, personValues } from '../generate/person.js'
import { hashString, Rng } from '../generate/rng.js'
import { findDepartement, type Scenario } from '../scenarios/model.js'
import { latin1Csv } from '../text/csv.js'

/**
 * The sample of individuals of Annexe 2, step 2: fictitious RSA
 * beneficiaries the département loads into its test system. They are the
 * first people of the département's population; a share of them, set by the
 * scenario, is known to Pôle emploi as job seekers (the département is not
 * told which: it learns it from the PECGM it gets in return).
 */

export const SAMPLE_COLUMNS = ['NIR', 'NOM_NAISSANCE', 'NOM_MARITAL', 'PRENOM', 'DATE_NAISSANCE', 'CODE_INSEE_RESIDENCE', 'NUMERO_ALLOCATAIRE_CAF'] as const

export type SamplePerson = Record<(typeof SAMPLE_COLUMNS)[number], string>

export interface SampleMember {
  index: number
  person: SamplePerson
  /** known to Pôle emploi as a job seeker */
  known: boolean
  /** the whole detail record Pôle emploi holds for the person */
  record: Record<string, string>
}

/**
 * How many people a département's sample has: qualification.sampleSize,
 * and never more than its population, of which they are the first (a
 * département of 21 people gets a sample of 21, all in its stocks, where
 * 39 of 60 were people none of its files holds).
 */
export function sampleSizeOf (scenario: Scenario, departement: string): number {
  const population = findDepartement(scenario, departement)?.population ?? 0
  return Math.min(scenario.qualification.sampleSize, population)
}

export function buildSample (scenario: Scenario, departement: string, referenceDay: number): SampleMember[] {
  const q = scenario.qualification
  const plan = planPecgm({ scenario, departement, referenceDay, records: sampleSizeOf(scenario, departement) })
  const known = new Rng()
  const p = new PersonDraw()
  const out: SampleMember[] = []
  for (let i = 0; i < plan.count; i++) {
    plan.population.stock(i, referenceDay, p)
    const record = personValues(plan.context, p)
    known.reseed(scenario.seed, hashString(`known:${departement}`), i)
    const person = Object.fromEntries(SAMPLE_COLUMNS.map((c) => [c, record[c] ?? ''])) as SamplePerson
    out.push({ index: i, person, known: known.chance(q.knownShare), record })
  }
  return out
}

/** The sample as CSV (RFC 4180: CRLF line ends), ';'-separated, ISO-8859-1, with a header line. */
export function sampleCsv (sample: readonly SampleMember[]): Buffer {
  return latin1Csv([SAMPLE_COLUMNS, ...sample.map((m) => SAMPLE_COLUMNS.map((c) => m.person[c]))])
}

export function sampleJson (sample: readonly SampleMember[]): SamplePerson[] {
  return sample.map((m) => m.person)
}
