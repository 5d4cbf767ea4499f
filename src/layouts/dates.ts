/**
 * Dates as the convention writes them: SSAAMMJJ (YYYYMMDD). A day number
 * counts days since 1970-01-01 (UTC), which makes date arithmetic exact.
 */

export const MS_PER_DAY = 86_400_000

export function isLeapYear (y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0
}

export function daysInMonth (y: number, m: number): number {
  return m === 2 ? (isLeapYear(y) ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31
}

/** Why an 8-digit string is not a calendar date, or null when it is one. */
export function checkDate (s: string): string | null {
  if (!/^[0-9]{8}$/.test(s)) return 'huit chiffres attendus'
  const y = Number(s.slice(0, 4))
  const m = Number(s.slice(4, 6))
  const d = Number(s.slice(6, 8))
  if (y < 1900) return 'année avant 1900'
  if (m < 1 || m > 12) return `mois ${s.slice(4, 6)} inexistant`
  if (d < 1 || d > daysInMonth(y, m)) return `jour ${s.slice(6, 8)} inexistant en ${s.slice(4, 6)}/${y}`
  return null
}

/**
 * The day number of year `y`, month `m` (1–12), day `d`; like Date.UTC, a
 * month or a day out of range carries over (day 0 is the last of the month
 * before). Integer arithmetic on the proleptic Gregorian calendar (days from
 * 1 March of year 0, by 400-year eras), since this runs for every generated
 * person; Date.UTC for what it reads differently (years 0–99, non-integers).
 */
export function dayFromYmd (y: number, m: number, d: number): number {
  if (!(y >= 100 && Number.isSafeInteger(y) && Number.isSafeInteger(m) && Number.isSafeInteger(d))) return Math.floor(Date.UTC(y, m - 1, d) / MS_PER_DAY)
  const carry = Math.floor((m - 1) / 12)
  const month = m - 1 - carry * 12 // 0–11
  const year = y + carry - (month < 2 ? 1 : 0) // years begin in March, so that 29 February ends one
  const era = Math.floor(year / 400)
  const yearOfEra = year - era * 400
  const dayOfYear = Math.floor((153 * ((month + 10) % 12) + 2) / 5) + d - 1
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear
  return era * 146_097 + dayOfEra - 719_468
}

export function dayFromCompact (s: string): number {
  return dayFromYmd(Number(s.slice(0, 4)), Number(s.slice(4, 6)), Number(s.slice(6, 8)))
}

/** 'YYYY-MM-DD' (the command line's form) to a day number, or null when it is not a real date. */
export function parseIsoDate (s: string): number | null {
  const m = /^([0-9]{4})-([0-9]{2})-([0-9]{2})$/.exec(s)
  if (!m) return null
  const compact = `${m[1]}${m[2]}${m[3]}`
  return checkDate(compact) ? null : dayFromCompact(compact)
}

export function compactFromDay (day: number): string {
  const d = new Date(day * MS_PER_DAY)
  const y = d.getUTCFullYear()
  const mo = d.getUTCMonth() + 1
  const da = d.getUTCDate()
  return `${y}${mo < 10 ? '0' : ''}${mo}${da < 10 ? '0' : ''}${da}`
}

export function isoFromDay (day: number): string {
  const c = compactFromDay(day)
  return `${c.slice(0, 4)}-${c.slice(4, 6)}-${c.slice(6, 8)}`
}

/** The UTC day of an instant (the benches' « today »); the commands and the server count Paris's days (clock.ts, calendarDay). */
export function todayDay (now = Date.now()): number {
  return Math.floor(now / MS_PER_DAY)
}

/** Year, month (1–12) and day of a day number. */
export function ymdFromDay (day: number): [number, number, number] {
  const d = new Date(day * MS_PER_DAY)
  return [d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate()]
}

/** The same day `years` years earlier, 28 February for a 29 February. */
export function minusYears (day: number, years: number): number {
  const [y, m, d] = ymdFromDay(day)
  return dayFromYmd(y - years, m, Math.min(d, daysInMonth(y - years, m)))
}

/** The first day of the month that holds `day`. */
export function firstOfMonth (day: number): number {
  const [y, m] = ymdFromDay(day)
  return dayFromYmd(y, m, 1)
}

/**
 * The days an exchange may be dated (a reference date, a clock's day): from
 * 1980 to 2099. The generated people are 18 to 66 years old and dated from
 * their registrations, the oldest of them pinned in 1950: before 1980 some
 * would be born before 1900, which a PECGM refuses, and the generator's
 * tables end with 2100.
 */
export const EXCHANGE_FIRST_DAY = dayFromYmd(1980, 1, 1)
export const EXCHANGE_LAST_DAY = dayFromYmd(2099, 12, 31)
export const EXCHANGE_RANGE_TEXT = 'du 1980-01-01 au 2099-12-31'

/** Whether `day` is one an exchange may be dated (EXCHANGE_FIRST_DAY to EXCHANGE_LAST_DAY). */
export function isExchangeDay (day: number): boolean {
  return day >= EXCHANGE_FIRST_DAY && day <= EXCHANGE_LAST_DAY
}
