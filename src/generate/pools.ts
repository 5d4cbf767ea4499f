import { encodeRecordInto, type RecordLayout, type RecordValues } from '../layouts/engine.js'

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
  /** one view of each entry's used bytes, so that writing a long one is a single set() */
  readonly views: readonly Uint8Array[]
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
  /** the values of each entry, by field name, as written (fitted, cased) */
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
  const scratch = Buffer.alloc(layout.length)
  const bytes = Buffer.alloc(Math.max(1, entries.length) * width)
  const values: Record<string, string>[] = []
  entries.forEach((entry, i) => {
    const only: Record<string, string | null | undefined> = {}
    for (const f of fields) only[f] = entry[f]
    encodeRecordInto(scratch, 0, layout, only, { upper: options.upper })
    scratch.copy(bytes, i * width, offset, offset + width)
    const read: Record<string, string> = {}
    for (const f of fields) {
      const field = layout.byName.get(f)
      if (!field) throw new RangeError(`buildPool: unknown field ${f}`)
      read[f] = scratch.toString('latin1', field.offset, field.offset + field.length).replace(/ +$/, '')
    }
    values.push(read)
  })
  const used = new Uint16Array(Math.max(1, entries.length))
  for (let i = 0; i < entries.length; i++) {
    let n = width
    while (n > 0 && bytes[i * width + n - 1] === 0x20) n--
    used[i] = n
  }
  const views = values.map((_, i) => bytes.subarray(i * width, i * width + (used[i] as number)))
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
  return Object.freeze({ offset, width, size: entries.length, bytes, used, views: Object.freeze(views), values: Object.freeze(values), words, wordStride, wordCount, lastWordAt })
}

/**
 * Writes entry `i` of `pool` into the record starting at `recordStart`, a
 * blank record (spaces where the pool writes, as the generator's template
 * is): only the entry's bytes up to its trailing spaces are copied, a word
 * at a time through `view` (a DataView of `out`, see viewOf).
 */
export function writePoolEntry (out: Buffer, recordStart: number, pool: Pool, i: number, view: DataView = viewOf(out)): void {
  const n = pool.used[i] as number
  const to = recordStart + pool.offset
  if (n > 32) {
    // TypedArray#set from a ready view: a memcpy, where Buffer#copy pays its argument checks on every call
    out.set(pool.views[i] as Uint8Array, to)
  } else if (pool.wordStride > 0) {
    // a few unaligned 32-bit stores, which V8 compiles inline, beat both a call and a byte loop
    const last = (pool.wordCount[i] as number) - 1
    if (last < 0) return
    const words = pool.words
    const from = i * pool.wordStride
    for (let w = 0; w < last; w++) view.setInt32(to + w * 4, words[from + w] as number, true)
    view.setInt32(to + (pool.lastWordAt[i] as number), words[from + last] as number, true)
  } else {
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
