import { compactFromDay, dayFromYmd } from '../layouts/dates.js'

/**
 * Writers for the values that change with every record: digits and dates,
 * written byte by byte at fixed offsets (no string is made on the hot path).
 */

const DATE_TABLE_FIRST = dayFromYmd(1900, 1, 1)
const DATE_TABLE_LAST = dayFromYmd(2100, 12, 31)
let dateTable: Buffer | null = null
let dateWords: Int32Array | null = null
let yearTable: Uint16Array | null = null
let monthTable: Uint8Array | null = null

/** 8 ASCII bytes SSAAMMJJ per day from 1900 to 2100, built once. */
function dates (): Buffer {
  if (dateTable === null) {
    const n = DATE_TABLE_LAST - DATE_TABLE_FIRST + 1
    const t = Buffer.alloc(n * 8)
    for (let i = 0; i < n; i++) t.write(compactFromDay(DATE_TABLE_FIRST + i), i * 8, 8, 'latin1')
    dateTable = t
  }
  return dateTable
}

/** Year and month (1–12) of a day number, from a table for 1900–2100. */
export function yearOfDay (day: number): number {
  if (yearTable === null) buildYearMonth()
  const i = day - DATE_TABLE_FIRST
  return i >= 0 && i < (yearTable as Uint16Array).length ? (yearTable as Uint16Array)[i] as number : Number(compactFromDay(day).slice(0, 4))
}

export function monthOfDay (day: number): number {
  if (monthTable === null) buildYearMonth()
  const i = day - DATE_TABLE_FIRST
  return i >= 0 && i < (monthTable as Uint8Array).length ? (monthTable as Uint8Array)[i] as number : Number(compactFromDay(day).slice(4, 6))
}

function buildYearMonth (): void {
  const t = dates()
  const n = t.length / 8
  yearTable = new Uint16Array(n)
  monthTable = new Uint8Array(n)
  for (let i = 0; i < n; i++) {
    yearTable[i] = Number(t.toString('latin1', i * 8, i * 8 + 4))
    monthTable[i] = Number(t.toString('latin1', i * 8 + 4, i * 8 + 6))
  }
}

/** The date table as two little-endian 32-bit words a day. */
function dateWordTable (): Int32Array {
  if (dateWords === null) {
    const t = dates()
    const w = new Int32Array(t.length / 4)
    for (let i = 0; i < w.length; i++) w[i] = t.readInt32LE(i * 4)
    dateWords = w
  }
  return dateWords
}

/** writeDate() through a DataView of `out` (see viewOf in pools.ts): two 32-bit stores. */
export function writeDateTo (view: DataView, out: Buffer, at: number, day: number): void {
  if (day < DATE_TABLE_FIRST || day > DATE_TABLE_LAST) {
    out.write(compactFromDay(day), at, 8, 'latin1')
    return
  }
  const w = dateWords ?? dateWordTable()
  const from = (day - DATE_TABLE_FIRST) * 2
  view.setInt32(at, w[from] as number, true)
  view.setInt32(at + 4, w[from + 1] as number, true)
}

export function writeDate (out: Buffer, at: number, day: number): void {
  if (day < DATE_TABLE_FIRST || day > DATE_TABLE_LAST) {
    out.write(compactFromDay(day), at, 8, 'latin1')
    return
  }
  const t = dates()
  const from = (day - DATE_TABLE_FIRST) * 8
  for (let k = 0; k < 8; k++) out[at + k] = t[from + k] as number
}

/** '00' to '99', two ASCII bytes each: digits are written by pairs, one division for two. */
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')).join(''), 'latin1')

/** Writes `value` (a non-negative integer) as `width` decimal digits, zero-padded on the left. */
export function writeDigits (out: Buffer, at: number, value: number, width: number): void {
  let v = value
  let k = width - 1
  for (; k > 0; k -= 2) {
    const q = Math.floor(v / 100)
    const pair = (v - q * 100) * 2
    out[at + k] = PAIRS[pair + 1] as number
    out[at + k - 1] = PAIRS[pair] as number
    v = q
  }
  if (k === 0) out[at] = 0x30 + (v % 10)
}

export function digits (value: number, width: number): string {
  return String(value).padStart(width, '0')
}
