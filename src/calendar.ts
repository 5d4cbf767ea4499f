import { dayFromYmd, ymdFromDay } from './layouts/dates.js'

/**
 * The exchange's working days: Monday to Friday, but the French public
 * holidays (Code du travail, art. L3133-1) and any a scenario adds for a
 * département (the abolition of slavery overseas, for one). Days are day
 * numbers (days since 1970-01-01).
 */

/** Easter Sunday of a year (Gregorian computus, Meeus/Jones/Butcher). */
export function easterSunday (year: number): number {
  const a = year % 19
  const b = Math.floor(year / 100)
  const c = year % 100
  const d = Math.floor(b / 4)
  const e = b % 4
  const f = Math.floor((b + 8) / 25)
  const g = Math.floor((b - f + 1) / 3)
  const h = (19 * a + b - d - g + 15) % 30
  const i = Math.floor(c / 4)
  const k = c % 4
  const l = (32 + 2 * e + 2 * i - h - k) % 7
  const m = Math.floor((a + 11 * h + 22 * l) / 451)
  const month = Math.floor((h + l - 7 * m + 114) / 31)
  const day = ((h + l - 7 * m + 114) % 31) + 1
  return dayFromYmd(year, month, day)
}

const FIXED: readonly [number, number][] = [[1, 1], [5, 1], [5, 8], [7, 14], [8, 15], [11, 1], [11, 11], [12, 25]]

const cache = new Map<number, ReadonlySet<number>>()

/** The eleven public holidays of metropolitan France in a year: the fixed ones, Easter Monday, Ascension and Whit Monday. */
export function publicHolidays (year: number): ReadonlySet<number> {
  let set = cache.get(year)
  if (set === undefined) {
    const easter = easterSunday(year)
    set = new Set([...FIXED.map(([m, d]) => dayFromYmd(year, m, d)), easter + 1, easter + 39, easter + 50])
    cache.set(year, set)
  }
  return set
}

/** A département's extra holidays, as "MM-DD" each year (a scenario's `holidays`). */
export type LocalHolidays = readonly string[]

/** Whether a day number falls on a Saturday or a Sunday (1970-01-01, day 0, was a Thursday). */
export function isWeekend (day: number): boolean {
  const weekday = (((day + 4) % 7) + 7) % 7 // 0 on Sundays, 6 on Saturdays
  return weekday === 0 || weekday === 6
}

export function isWorkingDay (day: number, local: LocalHolidays = []): boolean {
  if (isWeekend(day)) return false
  const [y, m, d] = ymdFromDay(day)
  if (publicHolidays(y).has(day)) return false
  return !local.includes(`${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`)
}

/** The first working day on or after `day`. */
export function nextWorkingDay (day: number, local: LocalHolidays = []): number {
  let d = day
  while (!isWorkingDay(d, local)) d++
  return d
}

/** The first working day of the month of `day`: when its monthly stock is deposited. */
export function firstWorkingDayOfMonth (day: number, local: LocalHolidays = []): number {
  const [y, m] = ymdFromDay(day)
  return nextWorkingDay(dayFromYmd(y, m, 1), local)
}
