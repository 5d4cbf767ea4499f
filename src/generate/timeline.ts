import { isWorkingDay, type LocalHolidays } from '../calendar.js'
import { dayFromYmd } from '../layouts/dates.js'
import type { Rates } from '../scenarios/model.js'
import { mix32 } from './rng.js'
import { yearOfDay } from './write.js'

/**
 * The lives of a département's population, in time.
 *
 * A population of N people is N places (« slots »): slot k is always held by
 * one registration, and when it ends another begins, so a stock keeps the
 * size the scenario gives at every date. The registrations of a slot begin
 * at the events of a Poisson process (the rate of exits a month), drawn
 * year by year from a hash of (slot, year): at most three a year, each on a
 * working day of that year. A registration lasts from its event to the next
 * one; it ends (cessation or radiation) CARRY_DAYS before that, so that the
 * monthly stocks carry it once as ended and then drop it.
 *
 * Nothing is walked from the beginning of time: the registration that holds
 * a slot at a date is found from the years around that date only, so a
 * stock, a daily flux or a person costs the same whatever the date, and the
 * same inputs give the same people at every date.
 */

/** Events are counted from this year: registrations older than it are pinned to its first working day. */
export const FIRST_YEAR = 1950
/** How long an ended registration stays in the stocks before the slot's next one begins. */
export const CARRY_DAYS = 31
/** Events of a slot in one year, at most. */
const PER_YEAR = 3
/** How far forward the next event of a slot is searched for; beyond, the registration never ends. */
const HORIZON_YEARS = 60
export const NEVER = 2_147_483_647

const LAST_YEAR = 2100
const FIRST_DAY = dayFromYmd(FIRST_YEAR, 1, 1)
const LAST_DAY = dayFromYmd(LAST_YEAR, 12, 31)

/** The working days of a calendar (weekends, French public holidays and a département's own), as a bitmap for fast tests. */
export class WorkCalendar {
  private readonly working: Uint8Array
  private readonly years = new Map<number, Int32Array>()

  constructor (readonly holidays: LocalHolidays) {
    this.working = new Uint8Array(LAST_DAY - FIRST_DAY + 1)
    for (let d = FIRST_DAY; d <= LAST_DAY; d++) this.working[d - FIRST_DAY] = isWorkingDay(d, holidays) ? 1 : 0
  }

  isWorking (day: number): boolean {
    return day >= FIRST_DAY && day <= LAST_DAY ? this.working[day - FIRST_DAY] === 1 : isWorkingDay(day, this.holidays)
  }

  /** The working day on or before `day`. */
  onOrBefore (day: number): number {
    let d = day
    while (!this.isWorking(d)) d--
    return d
  }

  /** The working day on or after `day`. */
  onOrAfter (day: number): number {
    let d = day
    while (!this.isWorking(d)) d++
    return d
  }

  /** The working days of a year, in order. */
  daysOf (year: number): Int32Array {
    let days = this.years.get(year)
    if (days === undefined) {
      const out: number[] = []
      for (let d = dayFromYmd(year, 1, 1), last = dayFromYmd(year, 12, 31); d <= last; d++) if (this.isWorking(d)) out.push(d)
      days = Int32Array.from(out)
      this.years.set(year, days)
    }
    return days
  }
}

const calendars = new Map<string, WorkCalendar>()

/** One calendar per set of local holidays, shared by the départements that have the same. */
export function workCalendar (holidays: LocalHolidays): WorkCalendar {
  const key = holidays.join(',')
  let c = calendars.get(key)
  if (c === undefined) {
    c = new WorkCalendar(holidays)
    calendars.set(key, c)
  }
  return c
}

/** One registration of a slot: from `start` (its event) until the slot's next one at `next`. */
export interface Registration {
  start: number
  next: number
  /** the day it ends (cessation or radiation), NEVER when it does not end */
  end: number
  /** its number among the slot's registrations: (year − FIRST_YEAR + 1) × 3 + rank in the year; 0–2 for one pinned at the start */
  ordinal: number
}

export function emptyRegistration (): Registration {
  return { start: 0, next: NEVER, end: NEVER, ordinal: 0 }
}

/** Integer thresholds of a Poisson law, capped at PER_YEAR events. */
function poissonThresholds (lambda: number): Uint32Array {
  const t = new Uint32Array(PER_YEAR)
  let p = Math.exp(-lambda)
  let cumulated = p
  for (let n = 0; n < PER_YEAR; n++) {
    t[n] = Math.min(4294967295, Math.floor(cumulated * 4294967296))
    p = p * lambda / (n + 1)
    cumulated += p
  }
  return t
}

function countOf (u: number, t: Uint32Array): number {
  let n = 0
  while (n < PER_YEAR && u >= (t[n] as number)) n++
  return n
}

/** The events of a Poisson process of a slot, year by year, from a hash: the same for everyone who asks. */
export class EventProcess {
  private readonly thresholds: Uint32Array
  private readonly buffer = new Int32Array(PER_YEAR)

  constructor (private readonly key: number, monthlyRate: number, private readonly calendar: WorkCalendar) {
    this.thresholds = poissonThresholds(Math.max(0, monthlyRate) * 12)
  }

  private hash (slot: number, year: number): number {
    return mix32((this.key ^ mix32((Math.imul(slot, 0x9e3779b1) + Math.imul(year, 0x85ebca77)) | 0)) >>> 0)
  }

  /** The events of `slot` in `year` into `out` (sorted, distinct); their number. */
  eventsIn (slot: number, year: number, out: Int32Array = this.buffer): number {
    const h = this.hash(slot, year)
    const n = countOf(h, this.thresholds)
    if (n === 0) return 0
    const days = this.calendar.daysOf(year)
    for (let e = 0; e < n; e++) out[e] = days[mix32((h + e + 1) >>> 0) % days.length] as number
    // sort the two or three days, then drop repeats
    if (n > 1 && (out[0] as number) > (out[1] as number)) swap(out, 0, 1)
    if (n > 2) {
      if ((out[1] as number) > (out[2] as number)) swap(out, 1, 2)
      if ((out[0] as number) > (out[1] as number)) swap(out, 0, 1)
    }
    let m = 1
    for (let e = 1; e < n; e++) if (out[e] !== out[m - 1]) out[m++] = out[e] as number
    return m
  }
}

function swap (a: Int32Array, i: number, j: number): void {
  const x = a[i] as number
  a[i] = a[j] as number
  a[j] = x
}

/**
 * The registrations of a département's slots, found from an event process.
 * Also the process of category moves inside a registration (same law, its
 * own key), see Lives#categoryChanges.
 */
export class Lives {
  readonly calendar: WorkCalendar
  readonly entries: EventProcess
  readonly moves: EventProcess
  private readonly buffer = new Int32Array(PER_YEAR)
  private readonly firstStart: number

  constructor (key: number, readonly rates: Rates, holidays: LocalHolidays) {
    this.calendar = workCalendar(holidays)
    this.entries = new EventProcess(key, rates.exits, this.calendar)
    this.moves = new EventProcess(mix32(key ^ 0x6d6f7665), rates.categoryMoves, this.calendar)
    this.firstStart = this.calendar.onOrAfter(FIRST_DAY)
  }

  /** The registration that holds `slot` on `day` (listed in a stock of that date), into `r`. */
  at (slot: number, day: number, r: Registration): Registration {
    const buf = this.buffer
    const y0 = yearOfDay(day)
    r.start = this.firstStart
    r.ordinal = 0
    for (let y = y0; y >= FIRST_YEAR; y--) {
      const n = this.entries.eventsIn(slot, y, buf)
      let found = -1
      for (let e = n - 1; e >= 0; e--) if ((buf[e] as number) <= day) { found = e; break }
      if (found >= 0) {
        r.start = buf[found] as number
        r.ordinal = (y - FIRST_YEAR + 1) * PER_YEAR + found
        break
      }
    }
    this.finish(slot, r)
    return r
  }

  /** The registration before `r` in its slot (false when `r` is the first one counted). */
  previous (slot: number, r: Registration, out: Registration): boolean {
    if (r.ordinal < PER_YEAR) return false
    return this.at(slot, r.start - 1, out).ordinal !== r.ordinal
  }

  /** The registration after `r` in its slot (false when it never ends). */
  following (slot: number, r: Registration, out: Registration): boolean {
    if (r.next === NEVER) return false
    this.at(slot, r.next, out)
    return true
  }

  /** Sets next and end from start: the next event after it. */
  private finish (slot: number, r: Registration): void {
    const buf = this.buffer
    const y0 = yearOfDay(r.start)
    r.next = NEVER
    for (let y = Math.max(y0, FIRST_YEAR); y <= y0 + HORIZON_YEARS; y++) {
      const n = this.entries.eventsIn(slot, y, buf)
      let found = -1
      for (let e = 0; e < n; e++) if ((buf[e] as number) > r.start) { found = e; break }
      if (found >= 0) {
        r.next = buf[found] as number
        break
      }
    }
    r.end = r.next === NEVER ? NEVER : this.endBefore(r.start, r.next)
  }

  /** The day a registration from `start` ends when the slot's next one begins at `next`: a working day CARRY_DAYS before it, and after its start. */
  private endBefore (start: number, next: number): number {
    const c = this.calendar
    let end = c.onOrBefore(next - CARRY_DAYS)
    if (end <= start) {
      end = c.onOrAfter(start + 1)
      if (end >= next) end = start + 1
    }
    return end
  }

  /**
   * The category moves of a registration (identified by `id`) between
   * `from` and `to` inclusive, into `out` in order; their number (at most
   * out.length: the latest are kept).
   */
  categoryChanges (id: number, from: number, to: number, out: Int32Array): number {
    let count = 0
    if (to < from) return 0
    const buf = this.buffer
    for (let y = yearOfDay(from), last = yearOfDay(to); y <= last; y++) {
      const n = this.moves.eventsIn(id, y, buf)
      for (let e = 0; e < n; e++) {
        const d = buf[e] as number
        if (d < from || d > to) continue
        if (count === out.length) {
          out.copyWithin(0, 1)
          count--
        }
        out[count++] = d
      }
    }
    return count
  }
}
