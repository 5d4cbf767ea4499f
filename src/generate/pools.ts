import { encodeValuesInto, type Field, type RecordLayout, type RecordValues } from '../layouts/engine.js'

/**
 * A pool of values ready to be written: each value is encoded once, through
 * the ISO-8859-1 pipeline and fitted to its field(s), when the pool is built;
 * writing one is a copy of bytes at a fixed offset. A pool may cover several
 * consecutive fields (an address block), so one copy writes them all.
 */
export interface Pool {
  /** 0-based offset in the record of the first byte covered */
  readonly offset: number
  readonly width: number
  readonly size: number
  /** size × width bytes */
  readonly bytes: Buffer
  /** each entry's bytes up to its last one that is not a space: what a blank record needs written */
  readonly used: Uint16Array
  /**
   * Each entry's used bytes as little-endian 32-bit words, `wordStride` a
   * entry: words at 0, 4, 8… of the pool's first byte, the last one moved
   * back to end at the pool's width when it would go past it (it then
   * writes again bytes of the word before, the same ones). Empty (stride 0)
   * for a pool narrower than a word.
   */
  readonly words: Int32Array
  readonly wordStride: number
  /** per entry: its number of words (0 for an empty entry), and where its last word goes */
  readonly wordCount: Uint8Array
  readonly lastWordAt: Uint16Array
  /**
   * The values of each entry, by field name, as written (fitted, cased),
   * read back from `bytes` when first asked for: records are written from
   * the bytes, and only samples, tests and rules read these strings.
   */
  readonly values: readonly Readonly<Record<string, string>>[]
}

export interface PoolOptions {
  upper: boolean
}

/**
 * Builds a pool over the fields named in `fields` (consecutive in `layout`)
 * from entries giving their values. The text written is exactly what
 * encodeRecord would write: one pipeline for the whole project.
 */
export function buildPool (layout: RecordLayout, fields: readonly string[], entries: readonly RecordValues[], options: PoolOptions): Pool {
  const first = layout.byName.get(fields[0] ?? '')
  const last = layout.byName.get(fields[fields.length - 1] ?? '')
  if (!first || !last) throw new RangeError(`buildPool: unknown field in ${fields.join(', ')}`)
  const offset = first.offset
  const width = last.offset + last.length - offset
  const covered = fields.map((f) => {
    const field = layout.byName.get(f)
    if (!field || field.offset < offset || field.offset + field.length > offset + width) throw new RangeError(`buildPool: unknown field ${f}, or not between ${fields[0] ?? ''} and ${fields[fields.length - 1] ?? ''}`)
    return field
  })
  // each entry encoded in place, as its fields would be in a record
  const bytes = Buffer.alloc(Math.max(1, entries.length) * width, 0x20)
  entries.forEach((entry, i) => {
    const only: Record<string, string | null | undefined> = {}
    for (const f of fields) only[f] = entry[f]
    encodeValuesInto(bytes, i * width - offset, layout, only, { upper: options.upper })
  })
  const used = new Uint16Array(Math.max(1, entries.length))
  for (let i = 0; i < entries.length; i++) {
    let n = width
    while (n > 0 && bytes[i * width + n - 1] === 0x20) n--
    used[i] = n
  }
  const wordStride = width >= 4 ? Math.ceil(width / 4) : 0
  const words = new Int32Array(Math.max(1, entries.length * wordStride))
  const wordCount = new Uint8Array(Math.max(1, entries.length))
  const lastWordAt = new Uint16Array(Math.max(1, entries.length))
  for (let i = 0; i < (wordStride > 0 ? entries.length : 0); i++) {
    const count = Math.ceil((used[i] as number) / 4)
    for (let w = 0; w < count; w++) {
      const at = Math.min(w * 4, width - 4)
      words[i * wordStride + w] = bytes.readInt32LE(i * width + at)
      lastWordAt[i] = at
    }
    wordCount[i] = count
  }
  return Object.freeze(new EncodedPool(offset, width, entries.length, bytes, used, words, wordStride, wordCount, lastWordAt, covered))
}

/**
 * A pool as buildPool makes it. Its values are read back from `bytes` when
 * first asked for (a field's text is its bytes in the entry, without the
 * padding): records are written from the bytes, only samples, tests and
 * rules read the strings. The getter is the class's, so that a pool keeps
 * the fast shape of a plain object, which the record writer reads from.
 */
class EncodedPool implements Pool {
  private readonly read: { values?: readonly Readonly<Record<string, string>>[] } = {}

  constructor (
    readonly offset: number, readonly width: number, readonly size: number, readonly bytes: Buffer, readonly used: Uint16Array,
    readonly words: Int32Array, readonly wordStride: number, readonly wordCount: Uint8Array, readonly lastWordAt: Uint16Array,
    private readonly fields: readonly Field[]
  ) {}

  get values (): readonly Readonly<Record<string, string>>[] {
    this.read.values ??= Object.freeze(Array.from({ length: this.size }, (_, i) => {
      const entry: Record<string, string> = {}
      for (const field of this.fields) {
        const from = i * this.width + field.offset - this.offset
        entry[field.name] = this.bytes.toString('latin1', from, from + field.length).replace(/ +$/, '')
      }
      return entry
    }))
    return this.read.values
  }
}

/**
 * Writes entry `i` of `pool` into the record starting at `recordStart`, a
 * blank record (spaces where the pool writes, as the generator's template
 * is): only the entry's bytes up to its trailing spaces are copied, a word
 * at a time through `view` (a DataView of `out`, see viewOf).
 */
export function writePoolEntry (out: Buffer, recordStart: number, pool: Pool, i: number, view: DataView = viewOf(out)): void {
  const to = recordStart + pool.offset
  if (pool.wordStride > 0) {
    // unaligned 32-bit stores, which V8 compiles inline, beat a byte loop, and TypedArray#set's call even for
    // the longest entries (an address block, 30 words): one path for all keeps this function small
    const last = (pool.wordCount[i] as number) - 1
    if (last < 0) return
    const words = pool.words
    const from = i * pool.wordStride
    for (let w = 0; w < last; w++) view.setInt32(to + w * 4, words[from + w] as number, true)
    view.setInt32(to + (pool.lastWordAt[i] as number), words[from + last] as number, true)
  } else {
    const n = pool.used[i] as number
    const src = pool.bytes
    const from = i * pool.width
    for (let k = 0; k < n; k++) out[to + k] = src[from + k] as number
  }
}

let viewed: Uint8Array | null = null
let viewedAs: DataView = new DataView(new ArrayBuffer(0))

/** A DataView of `out`: the same one while the same buffer is asked for (a generator fills one buffer a chunk). */
export function viewOf (out: Uint8Array): DataView {
  if (out !== viewed) {
    viewedAs = new DataView(out.buffer, out.byteOffset, out.byteLength)
    viewed = out
  }
  return viewedAs
}
