import { fr } from '@faker-js/faker'
import type { Rng } from '../src/generate/rng.js'
import { upperLatin1 } from '../src/text/latin1.js'
import { ADDRESS_COMPLEMENTS, DELEGATED_KINDS } from './data/structures.js'
import type { Commune } from './geography.js'

/**
 * The follow-up structures of a département (Annexe 4): the agencies that
 * follow a job seeker (main) and the partners some are delegated to, each
 * with a postal address in one of the département's communes. Streets are
 * faker's; the post office label is the commune in upper case, as La Poste
 * writes it.
 */

interface FakerLocationDefinitions {
  street_prefix: readonly string[]
  street_suffix: readonly string[]
}

const location = fr.location as unknown as FakerLocationDefinitions

export type StructurePrefix = 'SUIVI_PRINCIPAL' | 'SUIVI_DELEGUE'

export function address (rng: Rng, commune: Commune, prefix: StructurePrefix, name: string): Record<string, string> {
  const cedex = rng.chance(0.3)
  const street = `${rng.between(1, 180)} ${rng.pick(location.street_prefix).toLowerCase()} ${rng.pick(location.street_suffix)}`
  const complement = cedex ? `BP ${rng.between(10, 990)}` : rng.chance(0.4) ? rng.pick(ADDRESS_COMPLEMENTS) : ''
  return {
    [`${prefix}_STRUCTURE`]: name,
    [`${prefix}_VOIE`]: street,
    [`${prefix}_COMPLEMENT`]: complement,
    [`${prefix}_CODE_POSTAL`]: commune.postcodes[0] ?? '',
    [`${prefix}_CEDEX`]: cedex ? String(rng.between(1, 9)) : '',
    [`${prefix}_BUREAU_DISTRIBUTEUR`]: upperLatin1(commune.name)
  }
}

/** One agency in each of the département's most populous communes. */
export function mainStructures (rng: Rng, communes: readonly Commune[], count = 12): Record<string, string>[] {
  return communes.slice(0, count).map((c) => address(rng, c, 'SUIVI_PRINCIPAL', `Pôle emploi ${c.name}`))
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
