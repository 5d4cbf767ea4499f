import { compactFromDay, dayFromYmd, isLeapYear, ymdFromDay } from '../layouts/dates.js'

/**
 * Writers for the values that change with every record: digits and dates,
 * written byte by byte at fixed offsets (no string is made on the hot path).
 */

/** '00' to '99', two ASCII bytes each: digits are written by pairs, one division for two. */
const PAIRS = Buffer.from(Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0')).join(''), 'latin1')
/** The same pairs, each as the little-endian 16-bit word of its two bytes: a pair is one store through a DataView. */
export const PAIRS16 = Uint16Array.from({ length: 100 }, (_, n) => (PAIRS[n * 2] as number) | (PAIRS[n * 2 + 1] as number) << 8)

/**
 * Days from 1900 to 2100 (every date the generator writes, but for odd
 * requests, which go through compactFromDay) are found from small tables:
 * each year's first day and its digits SSAA, and the digits MMJJ of each day
 * of a common and of a leap year. They are made in well under a millisecond
 * as the module loads, where a table of every day took a tenth of a second
 * of each thread's start.
 */
const FIRST_YEAR = 1900
const LAST_YEAR = 2100
const FIRST_DAY = dayFromYmd(FIRST_YEAR, 1, 1)
const LAST_DAY = dayFromYmd(LAST_YEAR, 12, 31)
/** the day number of 1 January of each year, and of the year after the last */
const yearStarts = Int32Array.from({ length: LAST_YEAR - FIRST_YEAR + 2 }, (_, i) => dayFromYmd(FIRST_YEAR + i, 1, 1))
/** SSAA of each year, as the little-endian 32-bit word of its four ASCII digits */
const yearWords = Int32Array.from({ length: LAST_YEAR - FIRST_YEAR + 1 }, (_, i) => asciiWord(Math.floor((FIRST_YEAR + i) / 100), (FIRST_YEAR + i) % 100))
/** MMJJ of each day of a year, the same way: days 0–364 of a common year, then 0–365 of a leap year from LEAP */
const LEAP = 365
const dayWords = Int32Array.from([2001, 2000].flatMap((y) => Array.from({ length: isLeapYear(y) ? 366 : 365 }, (_, d) => {
  const [, m, j] = ymdFromDay(dayFromYmd(y, 1, 1) + d)
  return asciiWord(m, j)
})))

/** The four ASCII digits of two numbers below 100, as the little-endian 32-bit word they make. */
function asciiWord (high: number, low: number): number {
  return (PAIRS16[high] as number) | (PAIRS16[low] as number) << 16
}

/** Days from 1 January to the first of each month: of a common year (0–11), then of a leap year (12–23) */
const MONTH_STARTS = Int32Array.from([2001, 2000].flatMap((y) => Array.from({ length: 12 }, (_, m) => dayFromYmd(y, m + 1, 1) - dayFromYmd(y, 1, 1))))

/**
 * dayFromYmd for a real date (month 1–12, day within it), from the tables
 * from 1900 to 2100: a birth day is drawn for every person.
 */
export function dayOfDate (y: number, m: number, d: number): number {
  if (!(y >= FIRST_YEAR && y <= LAST_YEAR)) return dayFromYmd(y, m, d)
  const start = yearStarts[y - FIRST_YEAR] as number
  const leap = (yearStarts[y - FIRST_YEAR + 1] as number) - start === 366 ? 12 : 0
  return start + (MONTH_STARTS[leap + m - 1] as number) + d - 1
}

/** The year (its index in the tables) of the first day of each block of 32 days from FIRST_DAY: a block spans two years at most. */
const yearOfBlock = new Uint8Array(((LAST_DAY - FIRST_DAY) >> 5) + 1)
for (let k = 1, i = 0; k < yearOfBlock.length; k++) {
  while ((yearStarts[i + 1] as number) <= FIRST_DAY + k * 32) i++
  yearOfBlock[k] = i
}

/** Which year of the tables holds `day` (FIRST_DAY to LAST_DAY). */
function yearIndex (day: number): number {
  const i = yearOfBlock[(day - FIRST_DAY) >> 5] as number
  return day >= (yearStarts[i + 1] as number) ? i + 1 : i
}

/** The year of a day number. */
export function yearOfDay (day: number): number {
  return day >= FIRST_DAY && day <= LAST_DAY ? FIRST_YEAR + yearIndex(day) : Number(compactFromDay(day).slice(0, 4))
}

/** Writes `day` as SSAAMMJJ at `at` of `out`, through a DataView of it (see viewOf): two 32-bit stores. */
export function writeDateTo (view: DataView, out: Buffer, at: number, day: number): void {
  if (day < FIRST_DAY || day > LAST_DAY) {
    out.write(compactFromDay(day), at, 8, 'latin1')
    return
  }
  const i = yearIndex(day)
  const start = yearStarts[i] as number
  // a leap year is 366 days long
  const inYear = day - start + ((yearStarts[i + 1] as number) - start === 366 ? LEAP : 0)
  view.setInt32(at, yearWords[i] as number, true)
  view.setInt32(at + 4, dayWords[inYear] as number, true)
}

/**
 * Writes `value` (a non-negative integer) as `width` decimal digits,
 * zero-padded on the left (its last `width` digits when longer), through
 * `view`, a DataView of `out` (viewOf): a 16-bit store a pair of digits from
 * a table, and an integer division (V8 makes it a multiplication by a
 * constant's inverse) where Math.floor(v / 100) chained a floating-point
 * one per pair. The generator writes a number or two like this a record
 * (CAF, identifier).
 */
export function writeDigits (out: Buffer, at: number, value: number, width: number, view: DataView = viewOf(out)): void {
  if (value > 0x7fffffff) {
    out.write(String(value).slice(-width).padStart(width, '0'), at, width, 'latin1')
    return
  }
  let v = value
  let k = at + width - 2
  for (; k >= at; k -= 2) {
    const q = (v / 100) | 0
    view.setUint16(k, PAIRS16[v - q * 100] as number, true)
    v = q
  }
  if (k === at - 1) out[at] = 0x30 + (v % 10)
}

export function digits (value: number, width: number): string {
  return String(value).padStart(width, '0')
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
