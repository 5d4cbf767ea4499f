import { PhebusError } from '../src/errors.js'
import { writeDigits } from '../src/generate/write.js'

/**
 * NIRs that can never be a real person's. A NIR (without its key) is
 * sex (1) · year (2) · month (2) · place of birth (5) · order (3). For a person
 * born abroad the place is 99 followed by the INSEE code of the country, and
 * INSEE country codes run from 99100 up: 99001–99099 are never assigned.
 * Every generated NIR uses one of those places, so it is fictitious by
 * construction, and well-formed by the rules any reader applies.
 *
 * As in reality, the order number is the rank of the birth among the people
 * of the same sex born the same month of the same (two-digit) year: the
 * (place, order) pair of a person is its rank in that bucket, counted in
 * generation order by NirRanks. NIRs are therefore unique for up to
 * NIR_RANKS_PER_BUCKET people per bucket, millions of people in all.
 */

export const FICTITIOUS_PLACE_MIN = 1
export const FICTITIOUS_PLACE_MAX = 99
const ORDERS = 999
const PLACES = FICTITIOUS_PLACE_MAX - FICTITIOUS_PLACE_MIN + 1

/** How many people of the same sex, birth year and birth month get distinct (place, order) pairs. */
export const NIR_RANKS_PER_BUCKET = PLACES * ORDERS

/** sex (2) × two-digit birth year (100) × birth month (12) */
const BUCKETS = 2 * 100 * 12

const BORN = { 1: 'hommes nés', 2: 'femmes nées' } as const

/**
 * The ranks already given in each (sex, birth year, birth month) bucket of
 * one stream of people. A stream that starts again clears them.
 */
export class NirRanks {
  private readonly taken = new Uint32Array(BUCKETS)

  clear (): void {
    this.taken.fill(0)
  }

  /**
   * The rank of the next person of this bucket, counted. `departement` and
   * `index` (0-based) name the person in the error thrown when the bucket is
   * full (primitives, so that nothing is allocated per person).
   */
  take (sex: 1 | 2, birthYear: number, birthMonth: number, departement = '', index = -1): number {
    const bucket = ((sex - 1) * 100 + (birthYear % 100)) * 12 + (birthMonth - 1)
    const rank = this.taken[bucket] as number
    if (rank >= NIR_RANKS_PER_BUCKET) throw capacityError(sex, birthYear, birthMonth, departement, index)
    this.taken[bucket] = rank + 1
    return rank
  }
}

function capacityError (sex: 1 | 2, birthYear: number, birthMonth: number, departement: string, index: number): PhebusError {
  const month = `${String(birthMonth).padStart(2, '0')}/${birthYear}`
  const limit = NIR_RANKS_PER_BUCKET.toLocaleString('fr-FR')
  const who = [departement && `département ${departement}`, index >= 0 && `personne n° ${(index + 1).toLocaleString('fr-FR')}`].filter(Boolean).join(', ')
  return new PhebusError('PHEBUS_GENERATE_CAPACITY',
    `${who ? `${who} : ` : ''}plus de NIR fictif libre pour les ${BORN[sex]} en ${month}. ` +
    `Un NIR fictif distingue au plus ${limit} personnes de même sexe nées le même mois de la même année ` +
    `(lieux de naissance 99001 à 99099, numéros d'ordre 001 à ${ORDERS}), et ${limit} en ont déjà reçu un. ` +
    'Demandez moins d\'enregistrements (--records) ou réduisez la population du département dans le scénario.')
}

/** The (place, order) of the person of rank `rank` in its bucket. */
export function nirPlaceOrder (rank: number): [number, number] {
  if (!Number.isInteger(rank) || rank < 0 || rank >= NIR_RANKS_PER_BUCKET) throw new RangeError(`NIR rank ${rank} outside 0–${NIR_RANKS_PER_BUCKET - 1}`)
  return [FICTITIOUS_PLACE_MIN + (rank % PLACES), 1 + Math.floor(rank / PLACES)]
}

export function writeNir (out: Buffer, at: number, sex: 1 | 2, birthYear: number, birthMonth: number, rank: number): void {
  const [place, order] = nirPlaceOrder(rank)
  out[at] = 0x30 + sex
  writeDigits(out, at + 1, birthYear % 100, 2)
  writeDigits(out, at + 3, birthMonth, 2)
  out[at + 5] = 0x39
  out[at + 6] = 0x39
  writeDigits(out, at + 7, place, 3)
  writeDigits(out, at + 10, order, 3)
}

export function makeNir (sex: 1 | 2, birthYear: number, birthMonth: number, rank: number): string {
  const b = Buffer.alloc(13)
  writeNir(b, 0, sex, birthYear, birthMonth, rank)
  return b.toString('latin1')
}

/** True when the NIR's place of birth is one INSEE never assigns (99001–99099). */
export function isFictitiousNir (nir: string): boolean {
  if (!/^[12][0-9]{4}99[0-9]{6}$/.test(nir)) return false
  const place = Number(nir.slice(7, 10))
  return place >= FICTITIOUS_PLACE_MIN && place <= FICTITIOUS_PLACE_MAX
}
