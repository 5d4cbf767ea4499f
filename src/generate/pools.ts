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
  return Object.freeze({ offset, width, size: entries.length, bytes, used, views: Object.freeze(views), values: Object.freeze(values) })
}

/**
 * Writes entry `i` of `pool` into the record starting at `recordStart`, a
 * blank record (spaces where the pool writes, as the generator's template
 * is): only the entry's bytes up to its trailing spaces are copied.
 */
export function writePoolEntry (out: Buffer, recordStart: number, pool: Pool, i: number): void {
  const n = pool.used[i] as number
  if (n <= 32) {
    // a short loop beats any call for a few bytes
    const src = pool.bytes
    const from = i * pool.width
    const to = recordStart + pool.offset
    for (let k = 0; k < n; k++) out[to + k] = src[from + k] as number
  } else {
    // TypedArray#set from a ready view: a memcpy, where Buffer#copy pays its argument checks on every call
    out.set(pool.views[i] as Uint8Array, recordStart + pool.offset)
  }
}
