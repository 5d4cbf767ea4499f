import { daysInMonth, MS_PER_DAY } from './layouts/dates.js'
import { lazyDateFormat } from './text/french.js'

/**
 * The exchange's clock: what « today » is for deposits, retention, expiry
 * dates, campaign planning and validation. The wall clock by default; or a
 * start given once, after which time runs normally; or frozen, moving only
 * when told. It never goes back past a time it has shown. The wall clock
 * itself is passed in: nothing here reads it.
 */

export type ClockMode = 'wall' | 'running' | 'frozen'

export interface ClockState {
  mode: ClockMode
  /** the exchange time (ms) at wall time `wallAt` ('wall': unused) */
  at: number
  wallAt: number
  /** the zone of calendar days: 'Europe/Paris', or a fixed offset in minutes east of UTC (a --now that carried one) */
  zone: Zone
}

export type Zone = 'Europe/Paris' | number

export class Clock {
  private state: ClockState

  constructor (state: ClockState, private readonly wall: () => number) {
    this.state = { ...state }
  }

  now (): number {
    return this.at(this.wall())
  }

  /** The exchange time when the wall clock reads `wall`. */
  private at (wall: number): number {
    const s = this.state
    if (s.mode === 'wall') return wall
    if (s.mode === 'frozen') return s.at
    return s.at + (wall - s.wallAt)
  }

  get mode (): ClockMode {
    return this.state.mode
  }

  get zone (): Zone {
    return this.state.zone
  }

  /** The state to keep, as of now (a running clock is pinned to the present moment). */
  snapshot (): ClockState {
    return { ...this.state, at: this.now(), wallAt: this.wall() }
  }

  /** Moves to `to` (ms), keeping the mode ('wall' becomes 'running'); refuses to go back. */
  set (to: number, mode: ClockMode = this.state.mode === 'wall' ? 'running' : this.state.mode): void {
    const now = this.now()
    if (to < now) throw new RangeError(`l'horloge ne recule pas : ${new Date(to).toISOString()} est avant ${new Date(now).toISOString()}`)
    this.state = { ...this.state, mode, at: to, wallAt: this.wall() }
  }

  /**
   * Moves to `to`, or stays at now if a running clock has already passed it
   * (it was read a moment ago, and a millisecond may have gone by since);
   * the instant it is set to.
   */
  setAtLeast (to: number, mode: ClockMode = this.state.mode === 'wall' ? 'running' : this.state.mode): number {
    // one reading of the wall clock for « now » and for the state, so that no millisecond slips between them
    const wall = this.wall()
    const at = Math.max(to, this.at(wall))
    this.state = { ...this.state, mode, at, wallAt: wall }
    return at
  }

  /** The calendar day (days since 1970-01-01) of an instant, in the clock's zone. */
  day (at = this.now()): number {
    return calendarDay(at, this.state.zone)
  }
}

/**
 * Date.UTC for every year as written: Date.UTC reads a year from 0 to 99 as
 * 1900 to 1999, so that « 0026-03-01 » was answered as 1926.
 */
function utcInstant (year: number, month: number, day: number, h = 0, mi = 0, s = 0): number {
  const at = new Date(Date.UTC(2000, 0, 1, h, mi, s))
  at.setUTCFullYear(year, month - 1, day)
  return at.getTime()
}

/**
 * Minutes east of UTC of a zone at an instant (Paris: 60 in winter, 120 in
 * summer). Paris by the European Union's rule from 1996 to 2099 (rule
 * zoneDataOffset() holds to, test/clock.test.ts), from ICU's zone data
 * outside it: loading those takes some 25 ms, which the server paid before
 * it was ready (its first calendar day) and a command given no date at all.
 */
export function offsetMinutes (at: number, zone: Zone): number {
  if (typeof zone === 'number') return zone
  return parisRuleOffset(at) ?? zoneDataOffset(at)
}

/** The years parisRuleOffset() answers for: the European Union's rule of summer time, the same since 1996. */
export const PARIS_RULE_YEARS = { first: 1996, last: 2099 } as const

/**
 * Europe/Paris's offset at an instant by the European Union's rule
 * (directive 2000/84/EC, in force since 1996): summer time, UTC+2, from the
 * last Sunday of March to the last Sunday of October, both at 01:00 UTC;
 * UTC+1 otherwise. Null outside PARIS_RULE_YEARS.
 */
export function parisRuleOffset (at: number): number | null {
  const year = new Date(at).getUTCFullYear()
  if (!(year >= PARIS_RULE_YEARS.first && year <= PARIS_RULE_YEARS.last)) return null
  return at >= lastSundayAtOneUtc(year, 3) && at < lastSundayAtOneUtc(year, 10) ? 120 : 60
}

/** The last Sunday of `month` (1–12) of `year` (from 100 on), at 01:00 UTC. */
function lastSundayAtOneUtc (year: number, month: number): number {
  // day 0 of the next month: the month's last day
  const last = new Date(Date.UTC(year, month, 0, 1))
  return last.getTime() - last.getUTCDay() * MS_PER_DAY
}

const paris = lazyDateFormat('en-CA', { timeZone: 'Europe/Paris', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })

/** Europe/Paris's offset at an instant, from ICU's zone data (the IANA database Node carries). */
export function zoneDataOffset (at: number): number {
  const p = Object.fromEntries(paris().formatToParts(new Date(at)).map((x) => [x.type, x.value])) as Record<string, string>
  const asUtc = utcInstant(Number(p.year), Number(p.month), Number(p.day), Number(p.hour), Number(p.minute), Number(p.second))
  return Math.round((asUtc - Math.floor(at / 1000) * 1000) / 60_000)
}

export function calendarDay (at: number, zone: Zone = 'Europe/Paris'): number {
  return Math.floor((at + offsetMinutes(at, zone) * 60_000) / MS_PER_DAY)
}

/** The instant of a local time (ms since midnight) of a calendar day, in a zone. */
export function instantOf (day: number, msOfDay: number, zone: Zone): number {
  const local = day * MS_PER_DAY + msOfDay
  // the offset at the guessed instant, then again at the corrected one (a change of offset that day)
  let at = local - offsetMinutes(local, zone) * 60_000
  at = local - offsetMinutes(at, zone) * 60_000
  return at
}

const NOW_FORMAT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:\d{2})?$/

/**
 * `--now`: a date or a local date and time, read in Europe/Paris
 * ("2026-11-02T08:00:00"), or an instant with its offset
 * ("2026-11-02T08:00:00+04:00", whose offset then sets the calendar days).
 * `local`: the zone of a time given without an offset (the clock's, for a
 * time the admin asks it to reach). Null when not understood.
 */
export function parseNow (text: string, local: Zone = 'Europe/Paris'): { at: number, zone: Zone } | null {
  const m = NOW_FORMAT.exec(text.trim())
  if (m === null) return null
  const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1, 7) as string[]
  const year = Number(y)
  const month = Number(mo)
  const dayOfMonth = Number(d)
  if (month < 1 || month > 12 || dayOfMonth < 1 || dayOfMonth > daysInMonth(year, month) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null
  const msOfDay = ((Number(h) * 60 + Number(mi)) * 60 + Number(s)) * 1000
  const day = Math.floor(utcInstant(year, month, dayOfMonth) / MS_PER_DAY)
  const offset = m[7]
  if (offset === undefined) return { at: instantOf(day, msOfDay, local), zone: local }
  const minutes = offset === 'Z' ? 0 : (offset.startsWith('-') ? -1 : 1) * (Number(offset.slice(1, 3)) * 60 + Number(offset.slice(4, 6)))
  // the offsets that exist: from −12:00 to +14:00, minutes below 60
  if (Number(offset.slice(4, 6)) > 59 || minutes < -720 || minutes > 840) return null
  return { at: day * MS_PER_DAY + msOfDay - minutes * 60_000, zone: minutes }
}

const STEP = /^\+(\d+)(min|h|d|M)$/

/** A step as read: "+12h" → 12 h. */
export interface Step { count: number, unit: 'min' | 'h' | 'd' | 'M' }

/** "+1d", "+12h", "+30min", "+1M" read, whatever its size (how far a move may go is the caller's to say); null when not understood. */
export function readStep (step: string): Step | null {
  const m = STEP.exec(step.trim())
  if (m === null) return null
  return { count: Number(m[1]), unit: m[2] as Step['unit'] }
}

/** "+1d", "+12h", "+30min", "+1M" (calendar months, at the same local time) from `at`: the instant reached; null when not understood. */
export function advanceBy (at: number, step: string, zone: Zone): number | null {
  const read = readStep(step)
  if (read === null) return null
  const { count: n, unit } = read
  if (unit === 'min') return at + n * 60_000
  if (unit === 'h') return at + n * 3_600_000
  const day = calendarDay(at, zone)
  const msOfDay = at + offsetMinutes(at, zone) * 60_000 - day * MS_PER_DAY
  if (unit === 'd') return instantOf(day + n, msOfDay, zone)
  return addMonths(at, n, zone)
}

/**
 * `n` calendar months (negative: back) from `at`, in a zone's days and at
 * the same local time: the same day of the month reached, or its last day
 * (31 January + 1 month: 28 February).
 */
export function addMonths (at: number, n: number, zone: Zone): number {
  const day = calendarDay(at, zone)
  const msOfDay = at + offsetMinutes(at, zone) * 60_000 - day * MS_PER_DAY
  const d = new Date(day * MS_PER_DAY)
  const total = d.getUTCMonth() + n
  const year = d.getUTCFullYear() + Math.floor(total / 12)
  const month = ((total % 12) + 12) % 12
  const dom = Math.min(d.getUTCDate(), daysInMonth(year, month + 1))
  return instantOf(Math.floor(utcInstant(year, month + 1, dom) / MS_PER_DAY), msOfDay, zone)
}

/** "Europe/Paris", or a fixed offset as "+04:00". */
export function zoneName (zone: Zone): string {
  if (typeof zone !== 'number') return zone
  const m = Math.abs(zone)
  return `${zone >= 0 ? '+' : '-'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`
}

/** "2026-11-02 08:00 (Europe/Paris)": an instant as the messages say it. */
export function localText (at: number, zone: Zone): string {
  const shifted = new Date(at + offsetMinutes(at, zone) * 60_000).toISOString()
  return `${shifted.slice(0, 10)} ${shifted.slice(11, 16)} (${typeof zone === 'number' ? `UTC${zoneName(zone)}` : zone})`
}
