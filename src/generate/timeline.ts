import { isWeekend, isWorkingDay, publicHolidays, type LocalHolidays } from '../calendar.js'
import { dayFromYmd, daysInMonth } from '../layouts/dates.js'
import type { Rates } from '../scenarios/model.js'
import { CARRY_DAYS, FIRST_YEAR, HORIZON_YEARS, NEVER, PER_YEAR } from './kernel-shared.js'
import { mix32, mix32i, urem } from './rng.js'
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
 * monthly stocks carry it as ended, then drop it: once, or twice when the
 * end comes less than CARRY_DAYS before the second first-of-month after it
 * (after a February or a 30-day month, an end on a 1st). Decided to stay so:
 * making it once always would change the people of every file already
 * made (docs/scenarios.md).
 *
 * Nothing is walked from the beginning of time: the registration that holds
 * a slot at a date is found from the years around that date only, so a
 * stock, a daily flux or a person costs the same whatever the date, and the
 * same inputs give the same people at every date.
 */

/**
 * The calendar's bitmap runs to the last year a registration's next event is
 * searched in: the last exchange day's year (2099) plus HORIZON_YEARS, and a
 * year more. Beyond it each day is computed (isWorkingDay), which a stock dated
 * in 2099 asked for its every person: 20,000 records took 0.6 s, against 0.05.
 */
const LAST_YEAR = 2099 + HORIZON_YEARS + 1
const FIRST_DAY = dayFromYmd(FIRST_YEAR, 1, 1)
const LAST_DAY = dayFromYmd(LAST_YEAR, 12, 31)

/** The working days of a calendar (weekends, French public holidays and a département's own), as a bitmap for fast tests. */
export class WorkCalendar {
  /** a byte a day from `firstDay`, 1 for a working day, to the last day of LAST_YEAR */
  readonly working: Uint8Array
  readonly firstDay = FIRST_DAY
  /** the working days of each year from FIRST_YEAR to LAST_YEAR, made when first asked for */
  private readonly years: (Int32Array | undefined)[] = new Array(LAST_YEAR - FIRST_YEAR + 1)

  constructor (readonly holidays: LocalHolidays) {
    // isWorkingDay() for each day, a year at a time: weekdays, less each year's public holidays and local ones
    const w = new Uint8Array(LAST_DAY - FIRST_DAY + 1)
    for (let d = FIRST_DAY; d < FIRST_DAY + 7; d++) w[d - FIRST_DAY] = isWeekend(d) ? 0 : 1
    // the first week, then the weeks so far copied after them until the end: a loop over 55,000 days made
    // V8 compile this constructor on every thread, for one run
    for (let filled = 7; filled < w.length; filled *= 2) w.copyWithin(filled, 0, Math.min(filled, w.length - filled))
    // a local holiday is written "MM-DD", and is one only in the years that have that day
    const local = holidays.filter((h) => /^[0-9]{2}-[0-9]{2}$/.test(h)).map((h) => [Number(h.slice(0, 2)), Number(h.slice(3, 5))] as const)
    for (let y = FIRST_YEAR; y <= LAST_YEAR; y++) {
      for (const h of publicHolidays(y)) w[h - FIRST_DAY] = 0
      for (const [m, d] of local) if (m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) w[dayFromYmd(y, m, d) - FIRST_DAY] = 0
    }
    this.working = w
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
    const inRange = year >= FIRST_YEAR && year <= LAST_YEAR
    let days = inRange ? this.years[year - FIRST_YEAR] : undefined
    if (days === undefined) {
      const out: number[] = []
      for (let d = dayFromYmd(year, 1, 1), last = dayFromYmd(year, 12, 31); d <= last; d++) if (this.isWorking(d)) out.push(d)
      days = Int32Array.from(out)
      if (inRange) this.years[year - FIRST_YEAR] = days
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

/** The events of a Poisson process of a slot, year by year, from a hash: the same for everyone who asks. */
export class EventProcess {
  private readonly buffer = new Int32Array(PER_YEAR)
  /** below this hash, a year has no event; below `two`, one; below `three`, two; else three */
  readonly none: number
  readonly two: number
  readonly three: number
  readonly key: number

  constructor (key: number, monthlyRate: number, private readonly calendar: WorkCalendar) {
    this.key = key
    const t = poissonThresholds(Math.max(0, monthlyRate) * 12)
    this.none = t[0] as number
    this.two = t[1] as number
    this.three = t[2] as number
  }

  /** The events of `slot` in `year` into `out` (sorted, distinct); their number. */
  eventsIn (slot: number, year: number, out: Int32Array = this.buffer): number {
    const h = this.hash(slotPart(slot), year)
    return h >>> 0 < this.none ? 0 : this.days(h, year, out)
  }

  /**
   * The hash of a slot's year that draws its events, from the slot's part
   * of it (slotPart): a year whose hash is below `none` has none, else
   * days() gives them. Walks over the years of one slot (Lives) compute the
   * slot's part once and test each year's hash in place: most years have no
   * event, and cost a hash and a comparison. Signed (mix32i): the hash is its
   * value `>>> 0`, taken where it is compared.
   */
  hash (slotHash: number, year: number): number {
    return mix32i(this.key ^ mix32i((slotHash + Math.imul(year, 0x85ebca77)) | 0))
  }

  /** The days of a year whose hash `h` (signed, see hash()) gives it events: one to three (a Poisson count capped at PER_YEAR), each from the hash, sorted, repeats dropped. */
  days (h: number, year: number, out: Int32Array): number {
    const days = this.calendar.daysOf(year)
    const u = h >>> 0
    const a = dayOf(days, (h + 1) | 0)
    if (u < this.two) {
      out[0] = a
      return 1
    }
    const b = dayOf(days, (h + 2) | 0)
    // sorted with min and max: a swap written [x, y] = [y, x] may build an array each time
    let first = Math.min(a, b)
    let second = Math.max(a, b)
    let third = second
    if (u >= this.three) {
      const c = dayOf(days, (h + 3) | 0)
      third = Math.max(second, c)
      second = Math.min(second, c)
      const low = Math.min(first, second)
      second = Math.max(first, second)
      first = low
    }
    out[0] = first
    let m = 1
    if (second !== first) out[m++] = second
    if (third !== second) out[m++] = third
    return m
  }
}

/** A slot's (or a registration's) part of its years' hashes (EventProcess#hash). */
export function slotPart (slot: number): number {
  return Math.imul(slot, 0x9e3779b1)
}

/** The working day of `days` a hash picks: `x`, its bits (signed or not). */
function dayOf (days: Int32Array, x: number): number {
  return days[urem(mix32i(x), days.length)] as number
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
  readonly firstStart: number

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
    // back from the day's year to the last event on or before it; the day's year also gives the next one when it holds it
    let next = NEVER
    const entries = this.entries
    const none = entries.none
    const part = slotPart(slot)
    for (let y = y0; y >= FIRST_YEAR; y--) {
      const h = entries.hash(part, y)
      if (h >>> 0 < none) continue
      const n = entries.days(h, y, buf)
      let found = -1
      for (let e = n - 1; e >= 0; e--) if ((buf[e] as number) <= day) { found = e; break }
      if (y === y0 && found + 1 < n) next = buf[found + 1] as number
      if (found >= 0) {
        r.start = buf[found] as number
        r.ordinal = (y - FIRST_YEAR + 1) * PER_YEAR + found
        break
      }
    }
    // the next event after the start, HORIZON_YEARS at most after its year (years up to the day's hold none)
    const horizon = yearOfDay(r.start) + HORIZON_YEARS
    if (next !== NEVER && y0 > horizon) next = NEVER
    for (let y = Math.max(y0 + 1, FIRST_YEAR); next === NEVER && y <= horizon; y++) {
      const h = entries.hash(part, y)
      if (h >>> 0 < none) continue
      const n = entries.days(h, y, buf)
      for (let e = 0; e < n; e++) if ((buf[e] as number) > r.start) { next = buf[e] as number; break }
    }
    r.next = next
    r.end = next === NEVER ? NEVER : this.endBefore(r.start, next)
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

  /** The day a registration from `start` ends when the slot's next one begins at `next`: a working day CARRY_DAYS before it, and after its start. */
  private endBefore (start: number, next: number): number {
    const c = this.calendar
    // every step taken on every path, the rare ones' too (a registration shorter than CARRY_DAYS): an operation
    // only they reached had no type feedback when V8 compiled at(), and cost a thread a deoptimisation of at()
    // and a second compilation of it
    const after = start + 1
    const before = c.onOrBefore(next - CARRY_DAYS)
    const soon = c.onOrAfter(after)
    const short = soon >= next ? after : soon
    return before > start ? before : short
  }

  /**
   * The day of the last category move of a registration (identified by
   * `id`) between `from` and `to` inclusive, NEVER when none: what
   * categoryChanges() keeps in an array of one, found from the last year
   * back, so that the years before the last move are never drawn.
   */
  lastCategoryChange (id: number, from: number, to: number): number {
    if (to < from) return NEVER
    const buf = this.buffer
    const moves = this.moves
    const part = slotPart(id)
    for (let y = yearOfDay(to), first = yearOfDay(from); y >= first; y--) {
      const h = moves.hash(part, y)
      if (h >>> 0 < moves.none) continue
      for (let e = moves.days(h, y, buf) - 1; e >= 0; e--) {
        const d = buf[e] as number
        if (d >= from && d <= to) return d
      }
    }
    return NEVER
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
