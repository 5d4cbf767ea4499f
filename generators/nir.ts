import { PAIRS16, viewOf } from '../src/generate/write.js'

/**
 * NIRs that can never be a real person's. A NIR (without its key) is
 * sex (1) · year (2) · month (2) · place of birth (5) · order (3). For a person
 * born abroad the place is 99 followed by the INSEE code of the country, and
 * INSEE country codes run from 99100 up: 99001–99099 are never assigned.
 * Every generated NIR uses one of those places, so it is fictitious by
 * construction, and well-formed by the rules any reader applies.
 *
 * The (place, order) pair of a person is its rank among the NIRs of its sex,
 * birth year and month: src/generate/person.ts (identityCode) gives each
 * identity of a département its own (sex, month, last digit of the birth
 * year, rank), so NIRs never repeat over a département's history.
 */

export const FICTITIOUS_PLACE_MIN = 1
export const FICTITIOUS_PLACE_MAX = 99
const ORDERS = 999
const PLACES = FICTITIOUS_PLACE_MAX - FICTITIOUS_PLACE_MIN + 1

/** How many people of the same sex, birth year and birth month get distinct (place, order) pairs. */
export const NIR_RANKS_PER_BUCKET = PLACES * ORDERS

/** The (place, order) of the person of rank `rank` in its bucket. */
export function nirPlaceOrder (rank: number): [number, number] {
  if (!Number.isInteger(rank) || rank < 0 || rank >= NIR_RANKS_PER_BUCKET) throw new RangeError(`NIR rank ${rank} outside 0–${NIR_RANKS_PER_BUCKET - 1}`)
  return [placeOf(rank), orderOf(rank)]
}

// one formula for both nirPlaceOrder and writeNir, which runs for every person and allocates nothing
function placeOf (rank: number): number {
  return FICTITIOUS_PLACE_MIN + (rank % PLACES)
}

function orderOf (rank: number): number {
  return 1 + Math.floor(rank / PLACES)
}

/**
 * Writes the NIR at `at` of `out`: its pairs of digits in 16-bit stores
 * from a table, through `view`, a DataView of `out` (viewOf).
 */
export function writeNir (out: Buffer, at: number, sex: 1 | 2, birthYear: number, birthMonth: number, rank: number, view: DataView = viewOf(out)): void {
  const order = orderOf(rank) // 1–999
  const hundreds = (order / 100) | 0
  out[at] = 0x30 + sex
  view.setUint16(at + 1, PAIRS16[birthYear % 100] as number, true)
  view.setUint16(at + 3, PAIRS16[birthMonth] as number, true)
  view.setUint16(at + 5, 0x3939, true) // 99: born abroad
  out[at + 7] = 0x30 // the place: 001–099
  view.setUint16(at + 8, PAIRS16[placeOf(rank)] as number, true)
  out[at + 10] = 0x30 + hundreds
  view.setUint16(at + 11, PAIRS16[order - hundreds * 100] as number, true)
}

export function makeNir (sex: 1 | 2, birthYear: number, birthMonth: number, rank: number): string {
  nirPlaceOrder(rank) // a rank outside the bucket is an error (writeNir trusts its caller: it runs for every person)
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
