/**
 * Who is oriented twice in the file, in bounded memory: for each orientation
 * checked, the hashes of its NIR and of its identity (identity.ts) and where
 * it is, 32 bytes in typed arrays, never the values. At the end, sorting
 * each list finds the repeated hashes; one pass in file order then
 * names, for each repetition, the orientation that came first. Appending and
 * sorting read memory in order: a hash table probed at random for every
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

/** `values` sorted, by three passes of a radix sort on 11 bits (much faster than TypedArray.sort). */
export function radixSorted (values: Uint32Array): Uint32Array {
  let from: Uint32Array = values
  let to: Uint32Array = new Uint32Array(values.length)
  const counts = new Uint32Array(1 << 11)
  for (const shift of [0, 11, 22]) {
    counts.fill(0)
    for (let i = 0; i < from.length; i++) (counts[((from[i] as number) >>> shift) & 0x7FF] as number)++
    let sum = 0
    for (let d = 0; d < counts.length; d++) {
      const c = counts[d] as number
      counts[d] = sum
      sum += c
    }
    for (let i = 0; i < from.length; i++) {
      const v = from[i] as number
      const d = (v >>> shift) & 0x7FF
      to[counts[d] as number] = v
      counts[d] = (counts[d] as number) + 1
    }
    const t = from
    from = to
    to = t === values ? new Uint32Array(values.length) : t
  }
  return from
}

/**
 * The hashes that occur more than once among the first `n` of `keys` (0
 * means none): the high 32 bits are sorted to find candidates, which the
 * whole 52-bit hashes then confirm.
 */
export function repeatedKeys (keys: Float64Array, n: number): Set<number> {
  const high = new Uint32Array(n)
  for (let i = 0; i < n; i++) high[i] = Math.floor((keys[i] as number) / 0x100000)
  const sorted = radixSorted(high)
  const candidates = new Set<number>()
  for (let i = 1; i < n; i++) {
    const h = sorted[i] as number
    if (h === sorted[i - 1]) candidates.add(h)
  }
  candidates.delete(0)
  const out = new Set<number>()
  if (candidates.size === 0) return out
  const seen = new Set<number>()
  for (let i = 0; i < n; i++) {
    const k = keys[i] as number
    if (k === 0 || !candidates.has(Math.floor(k / 0x100000))) continue
    if (seen.has(k)) out.add(k)
    else seen.add(k)
  }
  return out
}

export class DuplicateLog {
  private size = 0
  private records = new Int32Array(1024)
  private lines = new Int32Array(1024)
  private columns = new Int32Array(1024)
  private prefixes = new Int32Array(1024)
  private nirs = new Float64Array(1024)
  private identities = new Float64Array(1024)

  /** One orientation: its number, place, and hashes (0 when it has no NIR, or no whole identity). */
  add (record: number, line: number, column: number, nirKey: number, nir: string, identityKey: number): void {
    if (this.size === this.records.length) this.grow()
    const i = this.size++
    this.records[i] = record
    this.lines[i] = line
    this.columns[i] = column
    this.prefixes[i] = (nir.charCodeAt(0) & 0xFF) | ((nir.charCodeAt(1) & 0xFF) << 8) | ((nir.charCodeAt(2) & 0xFF) << 16)
    this.nirs[i] = nirKey
    this.identities[i] = identityKey
  }

  /**
   * The orientations that repeat an earlier one, in file order. A repeated
   * NIR is named first; an orientation named for its NIR is not named again
   * for its identity.
   */
  * repeats (): Generator<Repeat> {
    const n = this.size
    const nirs = repeatedKeys(this.nirs, n)
    const identities = repeatedKeys(this.identities, n)
    if (nirs.size === 0 && identities.size === 0) return
    const firstNir = new Map<number, number>()
    const firstIdentity = new Map<number, number>()
    for (let i = 0; i < n; i++) {
      const record = this.records[i] as number
      const where = { record, line: this.lines[i] as number, column: this.columns[i] as number }
      let named = false
      const k = this.nirs[i] as number
      if (nirs.has(k)) {
        const first = firstNir.get(k)
        if (first === undefined) firstNir.set(k, record)
        else {
          const p = this.prefixes[i] as number
          yield { kind: 'nir', ...where, first, nirPrefix: String.fromCharCode(p & 0xFF, (p >> 8) & 0xFF, (p >> 16) & 0xFF) }
          named = true
        }
      }
      const q = this.identities[i] as number
      if (identities.has(q)) {
        const first = firstIdentity.get(q)
        if (first === undefined) firstIdentity.set(q, record)
        else if (!named) yield { kind: 'identity', ...where, first, nirPrefix: '' }
      }
    }
  }

  private grow (): void {
    const n = this.records.length * 2
    const more = <T extends Int32Array | Float64Array>(a: T, b: T): T => {
      b.set(a)
      return b
    }
    this.records = more(this.records, new Int32Array(n))
    this.lines = more(this.lines, new Int32Array(n))
    this.columns = more(this.columns, new Int32Array(n))
    this.prefixes = more(this.prefixes, new Int32Array(n))
    this.nirs = more(this.nirs, new Float64Array(n))
    this.identities = more(this.identities, new Float64Array(n))
  }
}
