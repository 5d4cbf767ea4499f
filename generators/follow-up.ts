import type { Rng } from '../src/generate/rng.js'
import { getField } from '../src/layouts/engine.js'
import { DEFAULT_PECGM_VERSION, getPecgmLayouts } from '../src/layouts/pecgm.js'
import { prepareText, upperLatin1 } from '../src/text/latin1.js'
import { ADDRESS_COMPLEMENTS, DELEGATED_KINDS, MAIN_STRUCTURE_PREFIXES, STREET_NAMES, STREET_TYPES } from './data/structures.js'
import type { Commune } from './geography.js'

/**
 * The follow-up structures of a département (Annexe 4): the agencies that
 * follow a job seeker (main) and the partners some are delegated to, each
 * with a postal address in one of the département's communes. Names and
 * streets come from the project's tables (data/structures.ts) and are built
 * to fit their fields; the post office label is the commune in upper case,
 * as La Poste writes it.
 */

export type StructurePrefix = 'SUIVI_PRINCIPAL' | 'SUIVI_DELEGUE'

const detail = getPecgmLayouts(DEFAULT_PECGM_VERSION).detail
/** SUIVI_*_STRUCTURE and SUIVI_*_VOIE, the same for both prefixes. */
export const STRUCTURE_WIDTH = getField(detail, 'SUIVI_PRINCIPAL_STRUCTURE').length
export const STREET_WIDTH = getField(detail, 'SUIVI_PRINCIPAL_VOIE').length

/** Characters once written: NFC, œ as "oe" (D8). */
function writtenLength (s: string): number {
  return prepareText(s).length
}

/** Number, type and name; a type that makes the street too long for its field is not drawn. */
function street (rng: Rng): string {
  const number = rng.between(1, 180)
  const name = rng.pick(STREET_NAMES)
  const fitting = STREET_TYPES.filter((type) => writtenLength(`${number} ${type} ${name}`) <= STREET_WIDTH)
  return `${number} ${rng.pick(fitting.length > 0 ? fitting : ['rue'])} ${name}`
}

export function address (rng: Rng, commune: Commune, prefix: StructurePrefix, name: string): Record<string, string> {
  const cedex = rng.chance(0.3)
  const complement = cedex ? `BP ${rng.between(10, 990)}` : rng.chance(0.4) ? rng.pick(ADDRESS_COMPLEMENTS) : ''
  return {
    [`${prefix}_STRUCTURE`]: name,
    [`${prefix}_VOIE`]: street(rng),
    [`${prefix}_COMPLEMENT`]: complement,
    [`${prefix}_CODE_POSTAL`]: commune.postcodes[0] ?? '',
    [`${prefix}_CEDEX`]: cedex ? String(rng.between(1, 9)) : '',
    [`${prefix}_BUREAU_DISTRIBUTEUR`]: upperLatin1(commune.name)
  }
}

/** "Saint" and "Sainte" shortened as on signs and in La Poste's labels. */
function shortened (commune: string): string {
  return commune.replace(/\bSainte\b/g, 'Ste').replace(/\bSaint\b/g, 'St')
}

/**
 * "<prefix> <commune>" within SUIVI_*_STRUCTURE: the département's
 * `preferred` prefix (one information system names its agencies one way),
 * or else the shortest one ("PE"); failing both, the same with Saint(e)
 * shortened; cut as a last resort (a handful of communes:
 * Château-Gontier-sur-Mayenne, Auneau-Bleury-Saint-Symphorien…).
 */
export function agencyName (commune: string, preferred: string): string {
  const shortest = MAIN_STRUCTURE_PREFIXES.reduce((a, b) => writtenLength(b) < writtenLength(a) ? b : a)
  for (const place of [commune, shortened(commune)]) {
    const prefix = [preferred, shortest].find((p) => writtenLength(`${p} ${place}`) <= STRUCTURE_WIDTH)
    if (prefix !== undefined) return `${prefix} ${place}`
  }
  return prepareText(`${shortest} ${shortened(commune)}`).slice(0, STRUCTURE_WIDTH).trimEnd()
}

export interface MainAgencies {
  /** one SUIVI_PRINCIPAL_* record per agency */
  structures: Record<string, string>[]
  /** for each agency, the index of its commune in the communes given */
  communeOfAgency: Int32Array
  /** for each commune index, the index in `structures` of the agency competent for it */
  agencyOfCommune: Int32Array
  /** the agency of a person with no residence commune (cross-border): the most populous commune's; -1 with no commune */
  crossBorder: number
}

/** Length of the longest prefix one postcode of `a` shares with one of `b`. */
export function sharedPostcodePrefix (a: readonly string[], b: readonly string[]): number {
  let best = 0
  for (const x of a) {
    for (const y of b) {
      let n = 0
      while (n < x.length && x[n] === y[n]) n++
      if (n > best) best = n
    }
  }
  return best
}

/**
 * One agency in each of the département's `count` most populous communes
 * (ties: the first listed), named with one prefix drawn for the
 * département, and the agency competent for each commune
 * (Annexe 4: the main structure is the agency competent for the job
 * seeker's address). An agency's commune is its own; any other goes to the
 * agency whose commune shares the longest postcode prefix with it, the more
 * populous on a tie: postcodes follow the delivery areas, the closest thing
 * to the agencies' territories the data has (it has no coordinates), and a
 * coarse one (docs/donnees-de-reference.md).
 */
export function mainAgencies (rng: Rng, communes: readonly Commune[], count = 12): MainAgencies {
  const seats = communes.map((_, i) => i)
    .sort((a, b) => (communes[b]?.population ?? 0) - (communes[a]?.population ?? 0) || a - b)
    .slice(0, count)
  const preferred = rng.pick(MAIN_STRUCTURE_PREFIXES)
  const structures = seats.map((i) => {
    const c = communes[i] as Commune
    return address(rng, c, 'SUIVI_PRINCIPAL', agencyName(c.name, preferred))
  })
  const seatCommunes = seats.map((s) => communes[s] as Commune)
  const agencyOfCommune = new Int32Array(communes.length)
  communes.forEach((c, i) => {
    const own = seats.indexOf(i)
    agencyOfCommune[i] = own >= 0 ? own : competentAgency(c, seatCommunes)
  })
  return { structures, communeOfAgency: Int32Array.from(seats), agencyOfCommune, crossBorder: seats.length > 0 ? 0 : -1 }
}

/** The seat sharing the longest postcode prefix with `commune`; seats are in decreasing population, so the first wins a tie. */
function competentAgency (commune: Commune, seats: readonly Commune[]): number {
  let best = 0
  let bestLength = -1
  seats.forEach((seat, k) => {
    const n = sharedPostcodePrefix(commune.postcodes, seat.postcodes)
    if (n > bestLength) {
      best = k
      bestLength = n
    }
  })
  return best
}

/** The agency of a person living in commune `commune` (an index of the communes), or -1 for a cross-border person. */
export function agencyOf (agencies: MainAgencies, commune: number): number {
  return commune < 0 ? agencies.crossBorder : agencies.agencyOfCommune[commune] ?? agencies.crossBorder
}

/** One agency in each of the département's most populous communes (the structures of mainAgencies). */
export function mainStructures (rng: Rng, communes: readonly Commune[], count = 12): Record<string, string>[] {
  return mainAgencies(rng, communes, count).structures
}

/** Delegated partners: mission locale, Cap emploi, private placement operators, service providers. */
export function delegatedStructures (rng: Rng, communes: readonly Commune[], departement: string): Record<string, string>[] {
  const out: Record<string, string>[] = []
  const places = communes.slice(0, 6)
  for (const kind of DELEGATED_KINDS) {
    const c = places.length > 0 ? rng.pick(places) : undefined
    if (!c) break
    const name = kind.name.replace('{commune}', c.name).replace('{departement}', departement)
    out.push(address(rng, c, 'SUIVI_DELEGUE', name))
  }
  return out
}
