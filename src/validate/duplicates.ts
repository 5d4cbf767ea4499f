/**
 * Who is oriented twice in the file, in bounded memory: for each orientation
 * checked, the hashes of its NIR and of its identity (identity.ts) and where
 * it is, never the values. The hashes go to blocks of typed arrays, 16 bytes
 * an orientation; the place, as differences from the orientation before, to
 * blocks of bytes, about 6 an orientation. Memory grows by fixed-size blocks,
 * never by doubling an array. At the end, two passes over the hashes find
 * the repeated ones (repeatedKeysIn); one pass in file order then names, for
 * each repetition, the orientation that came first. Appending and reading
 * go through memory in order: a hash table probed at random for every
 * orientation costs a cache miss each, and was the largest single cost of
 * the checks.
 */

export interface Repeat {
  kind: 'nir' | 'identity'
  record: number
  line: number
  column: number
  /** the orientation that came first */
  first: number
  /** the NIR's first three characters, for a NIR */
  nirPrefix: string
}

/**
 * The hashes that occur more than once among the first `n` of `keys` (0
 * means none). See repeatedKeysIn.
 */
export function repeatedKeys (keys: Float64Array, n: number): Set<number> {
  return repeatedKeysIn([keys], n)
}

/**
 * The hashes that occur more than once among the first `n` keys of
 * `blocks`, read in order (0 means none). A first pass marks, in a bitmap of
 * 16 bits per key, the slot of each key's high bits, and in a second bitmap
 * the slots met twice. The keys of those slots (about one in sixteen, and
 * every repeated one) are then counted, copied and sorted: equal neighbours
 * are the repeated hashes. Every pass reads the keys in order; the bitmaps,
 * 4 bytes a key in all, and the copy are the only memory taken, and only at
 * the end (`bitmaps` may lend them, twice the size bitmapWords gives).
 */
export function repeatedKeysIn (blocks: readonly Float64Array[], n: number, bitmaps = new Int32Array(2 * bitmapWords(n))): Set<number> {
  const words = bitmapWords(n)
  const shift = 32 - Math.log2(words * 32)
  const once = bitmaps.subarray(0, words).fill(0)
  const twice = bitmaps.subarray(words, 2 * words).fill(0)
  // the loops are written out: a callback would cost a call a key
  let left = n
  for (let b = 0; left > 0 && b < blocks.length; b++) {
    const block = blocks[b] as Float64Array
    const m = Math.min(left, block.length)
    left -= m
    for (let j = 0; j < m; j++) {
      const k = block[j] as number
      if (k === 0) continue
      const slot = ((k / 0x100000) >>> 0) >>> shift
      const w = slot >>> 5
      const bit = 1 << (slot & 31)
      if (((once[w] as number) & bit) === 0) once[w] = (once[w] as number) | bit
      else twice[w] = (twice[w] as number) | bit
    }
  }
  // the keys of the slots met twice, copied (about n / 16: the copy rarely grows), sorted
  let candidates = new Float64Array(Math.max(16, n >>> 3))
  let count = 0
  left = n
  for (let b = 0; left > 0 && b < blocks.length; b++) {
    const block = blocks[b] as Float64Array
    const m = Math.min(left, block.length)
    left -= m
    for (let j = 0; j < m; j++) {
      const k = block[j] as number
      if (k === 0) continue
      const slot = ((k / 0x100000) >>> 0) >>> shift
      if (((twice[slot >>> 5] as number) & (1 << (slot & 31))) === 0) continue
      if (count === candidates.length) {
        const more = new Float64Array(count * 2)
        more.set(candidates)
        candidates = more
      }
      candidates[count++] = k
    }
  }
  const sorted = candidates.subarray(0, count).sort()
  const out = new Set<number>()
  for (let i = 1; i < count; i++) if (sorted[i] === sorted[i - 1]) out.add(sorted[i] as number)
  return out
}

/** Int32 words of each bitmap of repeatedKeysIn for `n` keys: 16 bits a key, a power of two, from 2^16 to 2^31 bits. */
export function bitmapWords (n: number): number {
  let bits = 16
  while (bits < 31 && 2 ** bits < n * 16) bits++
  return 2 ** (bits - 5)
}

/** Keys in a hash block: 64 KiB. */
const KEYS = 8192
/** Bytes in a block of places: 64 KiB. */
const PLACE_BYTES = 65_536

/** A difference as an unsigned number: 0, -1, 1, -2… as 0, 1, 2, 3… */
function zigzag (d: number): number {
  return d >= 0 ? d * 2 : -d * 2 - 1
}

function unzigzag (z: number): number {
  return z % 2 === 0 ? z / 2 : -(z + 1) / 2
}

/** Bytes appended to fixed-size blocks, and read back in the same order. */
class ByteLog {
  private readonly blocks: Uint8Array[] = []
  private block: Uint8Array = new Uint8Array(0)
  private at = 0

  byte (b: number): void {
    if (this.at === this.block.length) {
      this.block = new Uint8Array(PLACE_BYTES)
      this.blocks.push(this.block)
      this.at = 0
    }
    this.block[this.at++] = b
  }

  /** A number ≥ 0, seven bits a byte, the lowest first. */
  varint (v: number): void {
    while (v >= 0x80) {
      this.byte(v % 0x80 + 0x80)
      v = Math.floor(v / 0x80)
    }
    this.byte(v)
  }

  reader (): ByteLogReader {
    return new ByteLogReader(this.blocks)
  }
}

class ByteLogReader {
  private readonly blocks: readonly Uint8Array[]
  private k = -1
  private block: Uint8Array = new Uint8Array(0)
  private at = 0

  constructor (blocks: readonly Uint8Array[]) {
    this.blocks = blocks
  }

  byte (): number {
    if (this.at === this.block.length) {
      this.block = this.blocks[++this.k] as Uint8Array
      this.at = 0
    }
    return this.block[this.at++] as number
  }

  varint (): number {
    let v = 0
    let scale = 1
    for (;;) {
      const b = this.byte()
      v += (b & 0x7F) * scale
      if (b < 0x80) return v
      scale *= 0x80
    }
  }
}

export class DuplicateLog {
  private size = 0
  private readonly nirs: Float64Array[] = []
  private readonly identities: Float64Array[] = []
  /** per orientation, the differences from the one before of its number, line and column, then its NIR's first three bytes when it has one */
  private readonly places = new ByteLog()
  private record = 0
  private line = 0
  private column = 0

  /** One orientation: its number, place, and hashes (0 when it has no NIR, or no whole identity). */
  add (record: number, line: number, column: number, nirKey: number, nir: string, identityKey: number): void {
    this.addWithPrefix(record, line, column, nirKey, (nir.charCodeAt(0) & 0xFF) | ((nir.charCodeAt(1) & 0xFF) << 8) | ((nir.charCodeAt(2) & 0xFF) << 16), identityKey)
  }

  /** add(), the NIR's first three characters given as bytes: the first, then the second << 8 and the third << 16. */
  addWithPrefix (record: number, line: number, column: number, nirKey: number, prefix: number, identityKey: number): void {
    const j = this.size % KEYS
    if (j === 0) {
      this.nirs.push(new Float64Array(KEYS))
      this.identities.push(new Float64Array(KEYS))
    }
    const last = this.nirs.length - 1
    const nirs = this.nirs[last] as Float64Array
    const identities = this.identities[last] as Float64Array
    nirs[j] = nirKey
    identities[j] = identityKey
    this.size++
    const places = this.places
    places.varint(zigzag(record - this.record))
    places.varint(zigzag(line - this.line))
    places.varint(zigzag(column - this.column))
    this.record = record
    this.line = line
    this.column = column
    if (nirKey !== 0) {
      places.byte(prefix & 0xFF)
      places.byte((prefix >> 8) & 0xFF)
      places.byte((prefix >> 16) & 0xFF)
    }
  }

  /**
   * The orientations that repeat an earlier one, in file order. A repeated
   * NIR is named first; an orientation named for its NIR is not named again
   * for its identity.
   */
  * repeats (): Generator<Repeat> {
    const n = this.size
    const bitmaps = new Int32Array(2 * bitmapWords(n))
    const nirs = repeatedKeysIn(this.nirs, n, bitmaps)
    const identities = repeatedKeysIn(this.identities, n, bitmaps)
    if (nirs.size === 0 && identities.size === 0) return
    const firstNir = new Map<number, number>()
    const firstIdentity = new Map<number, number>()
    // a key's high 16 bits, marked for each repeated hash: most keys are passed over without a lookup
    const marked = new Uint8Array(0x10000)
    for (const k of nirs) marked[Math.floor(k / 2 ** 36)] = 1
    for (const k of identities) marked[Math.floor(k / 2 ** 36)] = 1
    const places = this.places.reader()
    let record = 0
    let line = 0
    let column = 0
    for (let i = 0; i < n; i++) {
      record += unzigzag(places.varint())
      line += unzigzag(places.varint())
      column += unzigzag(places.varint())
      const b = (i - i % KEYS) / KEYS
      const k = (this.nirs[b] as Float64Array)[i % KEYS] as number
      let prefix = 0
      if (k !== 0) prefix = places.byte() | (places.byte() << 8) | (places.byte() << 16)
      const q = (this.identities[b] as Float64Array)[i % KEYS] as number
      if (marked[Math.floor(k / 2 ** 36)] === 0 && marked[Math.floor(q / 2 ** 36)] === 0) continue
      if (!nirs.has(k) && !identities.has(q)) continue
      const where = { record, line, column }
      let named = false
      if (nirs.has(k)) {
        const first = firstNir.get(k)
        if (first === undefined) firstNir.set(k, record)
        else {
          yield { kind: 'nir', ...where, first, nirPrefix: String.fromCharCode(prefix & 0xFF, (prefix >> 8) & 0xFF, prefix >> 16) }
          named = true
        }
      }
      if (identities.has(q)) {
        const first = firstIdentity.get(q)
        if (first === undefined) firstIdentity.set(q, record)
        else if (!named) yield { kind: 'identity', ...where, first, nirPrefix: '' }
      }
    }
  }
}
