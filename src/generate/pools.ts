import { fieldText, type Field, type RecordLayout, type RecordValues } from '../layouts/engine.js'
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
  /** the number of its first entry in this thread's table of entries (writeEntries): entry i is base + i */
  readonly base: number
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
  const covered = fields.map((f, i) => {
    const field = layout.byName.get(f)
    if (!field || field.offset < offset || field.offset + field.length > offset + width) throw new RangeError(`buildPool: unknown field ${f}, or not between ${fields[0] ?? ''} and ${fields[fields.length - 1] ?? ''}`)
    // each field's text is written once, end to end with the others: a field named twice would be written over itself
    if (fields.indexOf(f) !== i) throw new RangeError(`buildPool: field ${f} named twice`)
    return field
  })
  // each entry's fields as encodeValuesInto would write them in a blank record, end to end in one text, written once:
  // a write a field (Buffer#write, a call into C++ for each) took 6.6 of the 10.7 ms a cold plan spent encoding its pools
  const inOrder = [...covered].sort((a, b) => a.offset - b.offset)
  const texts: string[] = []
  for (const entry of entries) {
    let at = offset
    for (const field of inOrder) {
      const text = fieldText(field, entry[field.name], options)
      if (text === null) continue
      texts.push(' '.repeat(field.offset - at), text)
      at = field.offset + field.length
    }
    texts.push(' '.repeat(offset + width - at))
  }
  const bytes = Buffer.alloc(Math.max(1, entries.length) * width, 0x20)
  bytes.write(texts.join(''), 0, 'latin1')
  const used = usedBytes(bytes, entries.length, width)
  const base = ENTRIES.add(bytes, entries.length, width, offset, used)
  return Object.freeze(new EncodedPool(offset, width, entries.length, bytes, used, base, covered))
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
    readonly base: number, private readonly fields: readonly Field[]
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
 * Every pool's entries as the record writer copies them, end to end: one
 * table a thread (each has its own copy of this module), an entry numbered
 * by its pool's base plus its index. An entry's used bytes are written as
 * 8-byte words (the doubles they make: unaligned 8-byte stores, which V8
 * compiles inline, beat a byte loop and TypedArray#set's call even for the
 * longest entries, an address block of 16 words) at 0, 8, 16… of its
 * pool's first byte, the last one moved back to end at the pool's width
 * when it would go past it (it then writes again bytes of the word before,
 * the same ones); an entry narrower than a word, or one of whose words would
 * read as a NaN, is written a byte at a time. The bytes of any other double
 * come back the same from a Float64Array to a DataView; a NaN's may not (the
 * language lets an engine give any NaN). A text's bytes make a NaN only with
 * 0x7F or 0xFF as the word's last byte after one of 0xF0–0xFF (« ôÿ »):
 * never in practice. Writing an entry reads the same few typed arrays
 * whatever its pool, where reading a pool object's own arrays for each
 * entry (and listing a record's pools as objects) took more than the copies
 * themselves.
 */
class EntryTable {
  /** per entry: where its words start in `words` (its bytes in `bytes`) */
  from = new Int32Array(1024)
  /** per entry: its number of words, or minus its number of bytes when written a byte at a time, 0 when it has none to write */
  count = new Int32Array(1024)
  /** per entry: where its first word (or byte) goes in a record, and its last word */
  at = new Int32Array(1024)
  lastAt = new Int32Array(1024)
  words = new Float64Array(8192)
  bytes = new Uint8Array(1024)
  size = 0
  private wordsUsed = 0
  private bytesUsed = 0
  /**
   * The pools added, by where they go and their bytes: a pool made again with
   * the same bytes (a département's context is made for each of its files, in
   * the server's threads as in the commands) is given the entries it was
   * given the first time, so that the table grows with the different pools a
   * thread has seen, never with the number of files made.
   */
  private readonly known = new Map<string, number>()

  /** Adds the `size` entries of `width` bytes each in `source`, written at `offset` of a record, `used` bytes each: the first's number. */
  add (source: Buffer, size: number, width: number, offset: number, used: Uint16Array): number {
    const key = `${offset}/${width}/${size}/${source.toString('latin1')}`
    const known = this.known.get(key)
    if (known !== undefined) return known
    const base = this.size
    this.known.set(key, base)
    this.reserve(size, size * Math.ceil(width / 8), size * width)
    // read through a DataView: Buffer#readDoubleLE checks its offset in JavaScript, a function that a pool of names
    // read a word at a time made hot enough for V8 to compile, on every thread, for nothing past the start
    const view = new DataView(source.buffer, source.byteOffset, source.length)
    for (let i = 0; i < size; i++) {
      const id = base + i
      const n = used[i] as number
      const words = width >= 8 ? Math.ceil(n / 8) : 0
      // its words, taken back (and its bytes written instead) should one read as a NaN
      const first = this.wordsUsed
      let w = 0
      for (; w < words; w++) {
        const word = view.getFloat64(i * width + Math.min(w * 8, width - 8), true)
        if (Number.isNaN(word)) break
        this.words[this.wordsUsed++] = word
      }
      this.at[id] = offset
      if (words > 0 && w === words) {
        this.from[id] = first
        this.count[id] = words
        this.lastAt[id] = offset + Math.min((words - 1) * 8, width - 8)
      } else {
        this.wordsUsed = first
        this.from[id] = this.bytesUsed
        this.count[id] = -n
        this.bytes.set(source.subarray(i * width, i * width + n), this.bytesUsed)
        this.bytesUsed += n
      }
    }
    this.size += size
    return base
  }

  /** Room for `entries` more entries, `words` more words and `bytes` more bytes. */
  private reserve (entries: number, words: number, bytes: number): void {
    const grown = <T extends Int32Array | Float64Array | Uint8Array>(a: T, need: number): T => {
      if (need <= a.length) return a
      const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2))
      b.set(a)
      return b
    }
    this.from = grown(this.from, this.size + entries)
    this.count = grown(this.count, this.size + entries)
    this.at = grown(this.at, this.size + entries)
    this.lastAt = grown(this.lastAt, this.size + entries)
    this.words = grown(this.words, this.wordsUsed + words)
    this.bytes = grown(this.bytes, this.bytesUsed + bytes)
  }
}

const ENTRIES = new EntryTable()

/** How many entries this thread's table holds: the different pools it has been given, whatever the number of files made. */
export function entriesHeld (): number {
  return ENTRIES.size
}

/**
 * Writes the entries numbered `ids[0]` to `ids[n - 1]` (a pool's base plus
 * the entry's index) into the record starting at `recordStart`, a blank
 * record (spaces where the pools write, as the generator's template is):
 * only each entry's bytes up to its trailing spaces, through `view` (a
 * DataView of `out`, see viewOf).
 */
export function writeEntries (out: Buffer, recordStart: number, ids: Int32Array, n: number, view: DataView): void {
  const { from, count, at, lastAt, words, bytes } = ENTRIES
  for (let k = 0; k < n; k++) {
    const id = ids[k] as number
    const c = count[id] as number
    const to = recordStart + (at[id] as number)
    const first = from[id] as number
    if (c > 0) {
      for (let w = 0; w < c - 1; w++) view.setFloat64(to + w * 8, words[first + w] as number, true)
      view.setFloat64(recordStart + (lastAt[id] as number), words[first + c - 1] as number, true)
    } else {
      for (let b = 0; b < -c; b++) out[to + b] = bytes[first + b] as number
    }
  }
}

/** How entry `i` of `pool` is written: in 8-byte words, a byte at a time, or not at all (only spaces). */
export function entryForm (pool: Pool, i: number): 'words' | 'bytes' | 'none' {
  const c = ENTRIES.count[pool.base + i] as number
  return c > 0 ? 'words' : c < 0 ? 'bytes' : 'none'
}

const ONE = new Int32Array(1)

/** Writes entry `i` of `pool` into the record starting at `recordStart` (see writeEntries). */
export function writePoolEntry (out: Buffer, recordStart: number, pool: Pool, i: number, view: DataView = viewOf(out)): void {
  ONE[0] = pool.base + i
  writeEntries(out, recordStart, ONE, 1, view)
}
