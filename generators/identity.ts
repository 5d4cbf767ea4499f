import { fr } from '@faker-js/faker'
import {
  ACCENTED_FIRST_NAMES_FEMALE, ACCENTED_FIRST_NAMES_MALE, APOSTROPHE_SURNAMES, COMPOUND_FIRST_NAMES_FEMALE,
  COMPOUND_FIRST_NAMES_MALE, LONG_SURNAMES, OE_SURNAMES, PARTICLE_SURNAMES
} from './data/names.js'

/**
 * Name parts for a synthetic population: faker's French lists (with their
 * accents), widened with apostrophes, particles, œ, hyphenated compounds, and
 * names longer than the 25 characters of the field. A generated identity is a
 * free combination of these parts with a NIR that cannot exist (nir.ts): it
 * describes nobody.
 */

interface FakerPersonDefinitions {
  first_name: { female: readonly string[], male: readonly string[] }
  last_name: { generic: readonly string[] }
}

const person = fr.person as unknown as FakerPersonDefinitions

function unique (list: readonly string[]): string[] {
  return [...new Set(list)]
}

/** Plain French surnames with hyphenated compounds made from them. */
export function surnames (): string[] {
  const base = person.last_name.generic
  const compounds: string[] = []
  for (let i = 0; i + 1 < base.length; i += 7) compounds.push(`${base[i]}-${base[i + 1]}`)
  return unique([...base, ...APOSTROPHE_SURNAMES, ...PARTICLE_SURNAMES, ...OE_SURNAMES, ...compounds])
}

/** Surnames longer than the 25 characters of NOM_NAISSANCE: written cut. */
export function longSurnames (): string[] {
  return unique([...LONG_SURNAMES])
}

export function firstNames (sex: 1 | 2): string[] {
  return sex === 2
    ? unique([...person.first_name.female, ...ACCENTED_FIRST_NAMES_FEMALE, ...COMPOUND_FIRST_NAMES_FEMALE])
    : unique([...person.first_name.male, ...ACCENTED_FIRST_NAMES_MALE, ...COMPOUND_FIRST_NAMES_MALE])
}
