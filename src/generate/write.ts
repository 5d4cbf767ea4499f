import { compactFromDay, dayFromYmd } from '../layouts/dates.js'

/**
 * Writers for the values that change with every record: digits and dates,
 * written byte by byte at fixed offsets (no string is made on the hot path).
 */

const DATE_TABLE_FIRST = dayFromYmd(1900, 1, 1)
const DATE_TABLE_LAST = dayFromYmd(2100, 12, 31)
let dateTable: Buffer | null = null

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

export function writeDate (out: Buffer, at: number, day: number): void {
  if (day < DATE_TABLE_FIRST || day > DATE_TABLE_LAST) {
    out.write(compactFromDay(day), at, 8, 'latin1')
    return
  }
  const t = dates()
  const from = (day - DATE_TABLE_FIRST) * 8
  for (let k = 0; k < 8; k++) out[at + k] = t[from + k] as number
}

/** Writes `value` as `width` decimal digits, zero-padded on the left. */
export function writeDigits (out: Buffer, at: number, value: number, width: number): void {
  let v = value
  for (let k = width - 1; k >= 0; k--) {
    out[at + k] = 0x30 + (v % 10)
    v = Math.floor(v / 10)
  }
}

export function digits (value: number, width: number): string {
  return String(value).padStart(width, '0')
}
