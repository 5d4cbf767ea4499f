// faker's French lists, copied out of it by generators/tools/build-person-names.ts: importing faker
// itself cost each of the generator's threads 25–60 ms at start for these three lists
import { FAKER_FIRST_NAMES_FEMALE, FAKER_FIRST_NAMES_MALE, FAKER_SURNAMES } from './data/faker-names.js'
import {
  ACCENTED_FIRST_NAMES_FEMALE, ACCENTED_FIRST_NAMES_MALE, APOSTROPHE_SURNAMES, COMPOUND_FIRST_NAMES_FEMALE,
  COMPOUND_FIRST_NAMES_MALE, LONG_SURNAMES, OE_SURNAMES, OVERSEAS_NAMES, PARTICLE_SURNAMES
} from './data/names.js'

/**
 * Name parts for a synthetic population: faker's French lists (with their
 * accents), widened with apostrophes, particles, œ, hyphenated compounds, and
 * names longer than the 25 characters of the field. A generated identity is a
 * free combination of these parts with a NIR that cannot exist (nir.ts): it
 * describes nobody.
 *
 * surnames() and firstNames() are the metropolitan lists; surnamesFor() and
 * firstNamesFor() give a département its own: the overseas ones mix their
 * lists (OVERSEAS_NAMES) with the metropolitan ones.
 */

function unique (list: readonly string[]): string[] {
  return [...new Set(list)]
}

/**
 * Each list is made once per process and shared (callers only read it):
 * the generator's pools are cached by list (src/generate/context.ts), so the
 * same list must come back for the same département.
 */
const lists = new Map<string, string[]>()
function once (key: string, make: () => string[]): string[] {
  let list = lists.get(key)
  if (list === undefined) lists.set(key, list = make())
  return list
}

/** Plain French surnames with hyphenated compounds made from them. */
export function surnames (): string[] {
  return once('surnames', () => {
    const base = FAKER_SURNAMES
    const compounds: string[] = []
    for (let i = 0; i + 1 < base.length; i += 7) compounds.push(`${base[i]}-${base[i + 1]}`)
    return unique([...base, ...APOSTROPHE_SURNAMES, ...PARTICLE_SURNAMES, ...OE_SURNAMES, ...compounds])
  })
}

/** Surnames longer than the 25 characters of NOM_NAISSANCE: written cut. */
export function longSurnames (): string[] {
  return once('long', () => unique([...LONG_SURNAMES]))
}

/** Metropolitan first names (faker's, accented ones, hyphenated compounds). */
export function firstNames (sex: 1 | 2): string[] {
  return once(`first ${sex}`, () => sex === 2
    ? unique([...FAKER_FIRST_NAMES_FEMALE, ...ACCENTED_FIRST_NAMES_FEMALE, ...COMPOUND_FIRST_NAMES_FEMALE])
    : unique([...FAKER_FIRST_NAMES_MALE, ...ACCENTED_FIRST_NAMES_MALE, ...COMPOUND_FIRST_NAMES_MALE]))
}

/** The surnames of a département: the metropolitan list, or an overseas mix. */
export function surnamesFor (departement: string): string[] {
  const local = OVERSEAS_NAMES[departement]
  return local ? once(`surnames ${departement}`, () => mixed(local.surnames, surnames(), local.localShare)) : surnames()
}

/** The first names of a département for one sex: the metropolitan list, or an overseas mix. */
export function firstNamesFor (departement: string, sex: 1 | 2): string[] {
  const local = OVERSEAS_NAMES[departement]
  if (!local) return firstNames(sex)
  return once(`first ${sex} ${departement}`, () => mixed(sex === 2 ? local.female : local.male, firstNames(sex), local.localShare))
}

/**
 * The local names, then metropolitan ones taken at even steps through their
 * list, as many as make the local ones `localShare` of the whole: a uniform
 * draw then meets a local name with that probability. No randomness, so
 * the same list, in the same order, every call.
 */
function mixed (local: readonly string[], metropolitan: readonly string[], localShare: number): string[] {
  const own = unique(local)
  const seen = new Set(own)
  const others = metropolitan.filter((n) => !seen.has(n))
  const wanted = Math.min(others.length, Math.round(own.length * (1 - localShare) / localShare))
  const step = others.length / Math.max(1, wanted)
  const taken = Array.from({ length: wanted }, (_, i) => others[Math.floor(i * step)] as string)
  return [...own, ...taken]
}
