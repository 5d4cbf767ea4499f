import { encodeValuesInto, type Field, type RecordLayout, type RecordValues } from '../layouts/engine.js'
import { viewOf } from './write.js'

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
   * Each entry's used bytes as words of `wordBytes` bytes (8, or 4 when
   * some 8-byte word of the pool would read as a NaN, see entryWords),
   * `wordStride` an entry: words at 0, 8, 16… (or 0, 4, 8…) of the pool's
   * first byte, the last one moved back to end at the pool's width when it
   * would go past it (it then writes again bytes of the word before, the
   * same ones). The 8-byte words are kept as the doubles their bytes make
   * (`eights`), the 4-byte ones as 32-bit integers (`fours`): a record is
   * written with half as many stores. Stride 0 for a pool narrower than a
   * word, written a byte at a time.
   */
  readonly eights: Float64Array
  readonly fours: Int32Array
  readonly wordBytes: 4 | 8
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
  const used = usedBytes(bytes, entries.length, width)
  const wordCount = new Uint8Array(Math.max(1, entries.length))
  const lastWordAt = new Uint16Array(Math.max(1, entries.length))
  const source: WordSource = { bytes, size: entries.length, width, used, wordCount, lastWordAt }
  // in 8-byte words, unless one reads as a NaN (entryWords): then in 4-byte ones. Both widths compared for
  // every pool: a comparison that only a narrow pool reached had no type feedback when V8 had compiled this
  // function (its loops make it hot), and cost each thread a deoptimisation and a second compilation
  const eightWide = width >= 8
  const fourWide = width >= 4
  const eights = eightWide ? entryWords(source, 8) : null
  const fours = eights === null && fourWide ? entryWords(source, 4) : null
  const wordBytes = eights !== null ? 8 : 4
  const wordStride = eights !== null || fours !== null ? Math.ceil(width / wordBytes) : 0
  return Object.freeze(new EncodedPool(offset, width, entries.length, bytes, used, eights ?? new Float64Array(1), fours ?? new Int32Array(1),
    wordBytes, wordStride, wordCount, lastWordAt, covered))
}

/**
 * Each of `size` entries' bytes up to its last one that is not a space. A
 * function of its own: its loop, hot for a pool of names, made V8 compile the
 * whole of buildPool on every thread, and again after a pool unlike the first
 * ones; this loop alone costs little to compile.
 */
function usedBytes (bytes: Buffer, size: number, width: number): Uint16Array {
  const used = new Uint16Array(Math.max(1, size))
  for (let i = 0; i < size; i++) {
    let n = width
    while (n > 0 && bytes[i * width + n - 1] === 0x20) n--
    used[i] = n
  }
  return used
}

/** What entryWords reads a pool's entries from, and writes each one's count of words and last word's place into. */
interface WordSource { bytes: Buffer, size: number, width: number, used: Uint16Array, wordCount: Uint8Array, lastWordAt: Uint16Array }

/**
 * A pool's entries' used bytes as words of `size` bytes, as the Pool
 * describes them, each entry's count and last word's place written into
 * `wordCount` and `lastWordAt`; null for 8-byte words when one of them
 * reads as a NaN. The bytes of any other double come back the same from a
 * Float64Array to a DataView; a NaN's may not (the language lets an engine
 * give any NaN). A text's bytes make a NaN only with 0x7F or 0xFF as the
 * word's last byte after one of 0xF0–0xFF (« ôÿ »): never in practice.
 */
function entryWords (pool: WordSource, size: 8): Float64Array | null
function entryWords (pool: WordSource, size: 4): Int32Array | null
function entryWords (pool: WordSource, size: 4 | 8): Float64Array | Int32Array | null {
  const { bytes, width, used, wordCount, lastWordAt } = pool
  const stride = Math.ceil(width / size)
  const words = size === 8 ? new Float64Array(Math.max(1, pool.size * stride)) : new Int32Array(Math.max(1, pool.size * stride))
  // read through a DataView: Buffer#readDoubleLE checks its offset in JavaScript, a function that a pool of names
  // read a word at a time made hot enough for V8 to compile, on every thread, for nothing past the start
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length)
  for (let i = 0; i < pool.size; i++) {
    const count = Math.ceil((used[i] as number) / size)
    for (let w = 0; w < count; w++) {
      const at = Math.min(w * size, width - size)
      const word = size === 8 ? view.getFloat64(i * width + at, true) : view.getInt32(i * width + at, true)
      if (Number.isNaN(word)) return null
      words[i * stride + w] = word
      lastWordAt[i] = at
    }
    wordCount[i] = count
  }
  return words
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
    readonly eights: Float64Array, readonly fours: Int32Array, readonly wordBytes: 4 | 8, readonly wordStride: number,
    readonly wordCount: Uint8Array, readonly lastWordAt: Uint16Array,
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
  const stride = pool.wordStride
  if (stride > 0) {
    // unaligned 8-byte stores, which V8 compiles inline, beat a byte loop, and TypedArray#set's call even for
    // the longest entries (an address block, 16 words): 17 ns for 83 bytes, against 28-47 in 4-byte words and
    // 68 through set (a micro-benchmark on this machine)
    const last = (pool.wordCount[i] as number) - 1
    if (last < 0) return
    const from = i * stride
    const lastAt = to + (pool.lastWordAt[i] as number)
    if (pool.wordBytes === 8) {
      const words = pool.eights
      for (let w = 0; w < last; w++) view.setFloat64(to + w * 8, words[from + w] as number, true)
      view.setFloat64(lastAt, words[from + last] as number, true)
    } else {
      const words = pool.fours
      for (let w = 0; w < last; w++) view.setInt32(to + w * 4, words[from + w] as number, true)
      view.setInt32(lastAt, words[from + last] as number, true)
    }
  } else {
    const n = pool.used[i] as number
    const src = pool.bytes
    const from = i * pool.width
    for (let k = 0; k < n; k++) out[to + k] = src[from + k] as number
  }
}
