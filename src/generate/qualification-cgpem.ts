import { compactFromDay } from '../layouts/dates.js'
import { NATURES_ACCOMPAGNEMENT, NATURES_POLE_EMPLOI } from '../layouts/cgpem.js'
import { SampleIndex } from '../qualification/matching.js'
import type { Orientation } from './cgpem-file.js'

/**
 * The CGPEMs of a qualification (Annexe 2, step 2), as a département that
 * does everything right sends them: one orientation per person of the sample,
 * the six natures in turn, and, once Pôle emploi has answered with its PECGM,
 * the agency code and identifier it gives for each person oriented to
 * Pôle emploi. `phebus-mock qualify` and `phebus-mock sample cgpem
 * --qualification` both build their files here, so that the same inputs give
 * the same file.
 */

/** What an orientation takes of a person of the sample (columns of GET /api/v1/qualification/sample). */
export interface SampleIdentity {
  NIR: string
  NOM_NAISSANCE: string
  NOM_MARITAL: string
  PRENOM: string
  DATE_NAISSANCE: string
}

/** What a PECGM detail gives to carry back in CGPEM: CODE_INSTITUTION_PE becomes CODE_PE. */
export interface AgencyIdentifiers {
  CODE_PE: string
  IDENTIFIANT_PE: string
}

/** The natures 01 to 06, in order. */
export const ALL_NATURES: readonly string[] = [...NATURES_ACCOMPAGNEMENT.keys()]

/** Decisions are dated from `today` back over this many days. */
const DECISION_DAYS = 20

export interface QualificationCgpemOptions<T> {
  /** the natures given in turn (default: all six) */
  natures?: readonly string[]
  /** the agency code and identifier of each person, read from the answer PECGM (see PecgmIdentifiers) */
  identifiers?: ReadonlyMap<T, AgencyIdentifiers>
}

/**
 * One orientation per person of the sample, in its order: person i gets
 * nature i modulo the natures, a decision i modulo 20 days before `today`,
 * and, when oriented to Pôle emploi (05, 06), its identifiers if known.
 */
export function qualificationOrientations<T extends SampleIdentity> (sample: readonly T[], today: number, options: QualificationCgpemOptions<T> = {}): Orientation[] {
  const natures = options.natures ?? ALL_NATURES
  if (natures.length === 0) throw new RangeError('qualificationOrientations: no nature to give')
  return sample.map((p, i) => {
    const nature = natures[i % natures.length] as string
    const ids = NATURES_POLE_EMPLOI.has(nature) ? options.identifiers?.get(p) : undefined
    return {
      NIR: p.NIR || undefined,
      NOM_NAISSANCE: p.NOM_NAISSANCE,
      NOM_MARITAL: p.NOM_MARITAL || undefined,
      PRENOM: p.PRENOM,
      DATE_NAISSANCE: p.DATE_NAISSANCE,
      ...(ids ?? {}),
      NATURE_ACCOMPAGNEMENT: nature,
      DATE_DECISION_ORIENTATION: compactFromDay(today - (i % DECISION_DAYS)),
      SERVICE_CORRESPONDANT: 'Service insertion RSA'
    }
  })
}

/**
 * The agency code and identifier a PECGM gives for the people of the
 * sample, matched as Pôle emploi matches them (matching.ts). Details can be
 * added chunk by chunk, as a PECGM is read.
 */
export class PecgmIdentifiers<T extends SampleIdentity> {
  readonly byPerson = new Map<T, AgencyIdentifiers>()
  private readonly index: SampleIndex<T>

  constructor (sample: Iterable<T>) {
    this.index = new SampleIndex(sample)
  }

  /** Takes the identifiers of the details that name a person of the sample; returns how many did. */
  add (details: Iterable<Readonly<Record<string, string>>>): number {
    let matched = 0
    for (const d of details) {
      const p = this.index.match(d)
      if (!p) continue
      this.byPerson.set(p, { CODE_PE: d.CODE_INSTITUTION_PE ?? '', IDENTIFIANT_PE: d.IDENTIFIANT_PE ?? '' })
      matched++
    }
    return matched
  }
}
