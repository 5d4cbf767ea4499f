// AssemblyScript: the monthly stock's people, made and written in WebAssembly (see ../stock-kernel.ts).
// Every draw, every rule and every byte is the one person.ts, timeline.ts, rng.ts and write.ts make: the
// generator in TypeScript stays the reference, and test/generate/stock-kernel.test.ts compares the two.

// the numbers the generator in TypeScript uses too, and the context block's words (which stock-kernel.ts writes)
import {
  FIRST_YEAR, PER_YEAR, HORIZON_YEARS, CARRY_DAYS, NEVER, ADULT_DAYS,
  DAYS_PER_YEAR, SPREAD, RANK_STEP, STREAM_ID, STREAM_REG, STREAM_MOVE,
  STREAM_END, STREAM_RE,
  ODDS_CAF, ODDS_CER, ODDS_CERTIFIED, ODDS_CROSS_BORDER, ODDS_DISPENSE, ODDS_LONG_NAMES,
  ODDS_MARRIED_MAN, ODDS_MARRIED_WOMAN, ODDS_MSA, ODDS_RADIATION, ODDS_YOUNG, ODDS_RE_REGISTRATION, ODDS_DELEGATED,
  C_ADVISERS, C_AGENCY_OF_COMMUNE, C_AT_BIRTH, C_AT_CAF, C_AT_CER, C_AT_CERTIFIED,
  C_AT_CESSATION, C_AT_CONTACT, C_AT_IDENTIFIER, C_AT_MSA, C_AT_NIR, C_AT_PPAE,
  C_AT_RADIATION, C_AT_START, C_BIRTH_SIZE, C_CALENDAR, C_CATEGORY_BLANK, C_CESSATION_FALLBACK,
  C_DEATH, C_DELEGATED, C_DISPENSE_MIN_AGE, C_DISPENSE_UNTIL, C_EIGHT_DIGITS, C_ENTRIES_KEY,
  C_ENTRIES_NONE, C_ENTRIES_THREE, C_ENTRIES_TWO, C_FIRST1_SIZE, C_FIRST2_SIZE, C_FIRST_START,
  C_KEY, C_LONG_SIZE, C_MARRIED_SIZE, C_MOVES_KEY, C_MOVES_NONE,
  C_MOVES_THREE, C_MOVES_TWO, C_NIR_FIRST_PLACE, C_NIR_PLACES, C_NIR_RANKS, C_ODDS,
  C_OLDEST_AGE, C_P_ADVISER, C_P_AXIS, C_P_BIRTH, C_P_CATEGORY, C_P_CESSATION,
  C_P_COMMUNES, C_P_DELEGATED, C_P_FIRST1, C_P_FIRST2, C_P_LONG, C_P_MARRIED,
  C_P_MODALITY, C_P_PRINCIPAL, C_P_RADIATION, C_P_ROME, C_P_SECTOR, C_P_SITUATION,
  C_P_TRAINING, C_RADIATION_FALLBACK, C_RETIREMENT, C_RETIREMENT_AGE, C_R_CESSATION, C_R_RADIATION,
  C_R_SITUATION, C_SEED, C_SITUATION_FALLBACK, C_W_AXIS,
  C_W_CATEGORY, C_W_CESSATION, C_W_COMMUNES, C_W_MODALITY, C_W_RADIATION, C_W_ROME,
  C_W_SECTOR, C_W_SITUATION, C_W_TRAINING
} from '../kernel-shared'

let ctx: usize = 0
/** the population's (Population#stride, #generations): not the context's, whose image is shared by every size */
let slotStride: i32 = 0
let generations: i32 = 1

@inline function word (i: i32): i32 {
  return load<i32>(ctx + (<usize>i << 2))
}

// ---- hashes and the sfc32 generator (rng.ts) ----
@inline function mix32i (h: i32): i32 {
  h ^= <i32>(<u32>h >> 16)
  h = h * 0x85ebca6b
  h ^= <i32>(<u32>h >> 13)
  h = h * 0xc2b2ae35
  return h ^ <i32>(<u32>h >> 16)
}

@inline function urem (x: i32, n: i32): i32 {
  return <i32>(<u32>x % <u32>n)
}

// the generator's state. Population has two (rng, side), but each is reseeded before its draws and none is drawn from
// once the other has been reseeded, until it is reseeded itself: one state here gives the same draws
let ra: i32 = 0
let rb: i32 = 0
let rc: i32 = 0
let rd: i32 = 0

function reseed (k0: i32, k1: i32, k2: i32): void {
  let a = mix32i(k0 ^ 0x9e3779b9)
  let b = mix32i(k1 + 0x7f4a7c15)
  let c = mix32i((k2 ^ 0x2545f491) + k0)
  let d: i32 = 1
  for (let i = 0; i < 12; i++) {
    const t = a + b + d
    d++
    a = b ^ <i32>(<u32>b >> 9)
    b = c + (c << 3)
    c = ((c << 21) | <i32>(<u32>c >> 11)) + t
  }
  ra = a
  rb = b
  rc = c
  rd = d
}

@inline function step (): i32 {
  const b = rb
  const c = rc
  const t = ra + b + rd
  rd++
  ra = b ^ <i32>(<u32>b >> 9)
  rb = c + (c << 3)
  rc = ((c << 21) | <i32>(<u32>c >> 11)) + t
  return t
}

@inline function unit (bits: i32): f64 {
  return <f64><u32>bits / 4294967296.0
}

@inline function drawInt (n: i32): i32 {
  return <i32>Math.floor(unit(step()) * <f64>n)
}

@inline function between (min: i32, max: i32): i32 {
  return min + <i32>Math.floor(unit(step()) * <f64>(max - min + 1))
}

@inline function chance (p: f64): bool {
  return unit(step()) < p
}

@inline function odds (i: i32): f64 {
  return load<f64>(oddsAt + (<usize>i << 3))
}

// a weighted index's block: size, slices, address of the cumulated shares (f64), address of the guide (i32)
@inline function pick (index: i32): i32 {
  const at = <usize>word(index)
  const bits = step()
  const slices = load<i32>(at + 4)
  const g = load<i32>(<usize>load<i32>(at + 12) + (<usize>(<i32>(unit(bits) * <f64>slices)) << 2))
  if (g >= 0) return g
  const x = unit(bits)
  const c = <usize>load<i32>(at + 8)
  const last = load<i32>(at) - 1
  let i = -1 - g
  while (i > 0 && load<f64>(c + (<usize>(i - 1) << 3)) > x) i--
  while (i < last && load<f64>(c + (<usize>i << 3)) <= x) i++
  return i
}

// a rule table's block: address of from, to, categories (i32 each), sex (i32), minAge, maxAge (i32)
@inline function fitsAt (table: i32, i: i32, day: i32, category: i32, sex: i32, age: i32): bool {
  const t = <usize>word(table)
  const k = <usize>i << 2
  const only = load<i32>(<usize>load<i32>(t + 12) + k)
  return day >= load<i32>(<usize>load<i32>(t) + k) && day <= load<i32>(<usize>load<i32>(t + 4) + k) &&
    (load<i32>(<usize>load<i32>(t + 8) + k) & (1 << category)) != 0 && (only == 0 || only == sex) &&
    age >= load<i32>(<usize>load<i32>(t + 16) + k) && age <= load<i32>(<usize>load<i32>(t + 20) + k)
}

// ---- days (dates.ts, write.ts) ----
function floorDiv (a: i32, b: i32): i32 {
  const q = a / b
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q
}

function isLeap (y: i32): bool {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

function daysInMonth (y: i32, m: i32): i32 {
  return m == 2 ? (isLeap(y) ? 29 : 28) : m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31
}

/** dayFromYmd for a real date (month 1–12, day within it, year ≥ 100). */
function dayOfDate (y: i32, m: i32, d: i32): i32 {
  const month = m - 1
  const year = y - (month < 2 ? 1 : 0)
  const era = floorDiv(year, 400)
  const yearOfEra = year - era * 400
  const dayOfYear = (153 * ((month + 10) % 12) + 2) / 5 + d - 1
  const dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
  return era * 146097 + dayOfEra - 719468
}

// the civil date of a day number, into these
let cy: i32 = 0
let cm: i32 = 0
let cd: i32 = 0

function civil (day: i32): void {
  const z = day + 719468
  const era = floorDiv(z, 146097)
  const doe = z - era * 146097
  const yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
  const doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
  const mp = (5 * doy + 2) / 153
  cd = doy - (153 * mp + 2) / 5 + 1
  cm = mp < 10 ? mp + 3 : mp - 9
  cy = yoe + era * 400 + (cm <= 2 ? 1 : 0)
}

// Days from 1800 to 2399 (every one the generator meets, but for odd requests, which civil() answers) are found
// from small tables, as write.ts does: each year's first day and its digits SSAA, the digits MMJJ of each day of a
// common and of a leap year, and the year of the first day of each block of 32 days.
const TABLE_FIRST_YEAR: i32 = 1800
const TABLE_YEARS: i32 = 600
const TABLE_FIRST_DAY: i32 = dayOfDate(TABLE_FIRST_YEAR, 1, 1)
const TABLE_LAST_DAY: i32 = dayOfDate(TABLE_FIRST_YEAR + TABLE_YEARS - 1, 12, 31)
const yearStarts = new StaticArray<i32>(TABLE_YEARS + 1)
const yearWords = new StaticArray<u32>(TABLE_YEARS)
const yearOfBlock = new StaticArray<i32>(((TABLE_LAST_DAY - TABLE_FIRST_DAY) >> 5) + 1)
/** MMJJ of days 0–364 of a common year, then 0–365 of a leap year from 365 */
const dayWords = new StaticArray<u32>(731)

@inline function pair (n: i32): u16 {
  return <u16>(0x30 + n / 10) | (<u16>(0x30 + n % 10) << 8)
}

@inline function quad (high: i32, low: i32): u32 {
  return <u32>pair(high) | (<u32>pair(low) << 16)
}

for (let i = 0; i <= TABLE_YEARS; i++) unchecked(yearStarts[i] = dayOfDate(TABLE_FIRST_YEAR + i, 1, 1))
for (let i = 0; i < TABLE_YEARS; i++) unchecked(yearWords[i] = quad((TABLE_FIRST_YEAR + i) / 100, (TABLE_FIRST_YEAR + i) % 100))
for (let k = 0, i = 0; k < yearOfBlock.length; k++) {
  while (unchecked(yearStarts[i + 1]) <= TABLE_FIRST_DAY + k * 32) i++
  unchecked(yearOfBlock[k] = i)
}
for (let d = 0; d < 365; d++) {
  civil(dayOfDate(2001, 1, 1) + d)
  unchecked(dayWords[d] = quad(cm, cd))
}
for (let d = 0; d < 366; d++) {
  civil(dayOfDate(2000, 1, 1) + d)
  unchecked(dayWords[365 + d] = quad(cm, cd))
}

/** The index in the tables of the year that holds `day` (TABLE_FIRST_DAY to TABLE_LAST_DAY). */
@inline function yearIndex (day: i32): i32 {
  const i = unchecked(yearOfBlock[(day - TABLE_FIRST_DAY) >> 5])
  return day >= unchecked(yearStarts[i + 1]) ? i + 1 : i
}

@inline function yearOfDay (day: i32): i32 {
  if (day >= TABLE_FIRST_DAY && day <= TABLE_LAST_DAY) return TABLE_FIRST_YEAR + yearIndex(day)
  civil(day)
  return cy
}

@inline function ageOn (birthDay: i32, day: i32): i32 {
  return <i32>Math.floor(<f64>(day - birthDay) / DAYS_PER_YEAR)
}

// ---- the calendar block: first day, last day of its bitmap, address of the bitmap (a byte a day, 1 working),
// first year, last year of its lists, address of each year's list start (i32, one more than the years), address of
// the days (i32), address of room for a year's days that the host fills (yearDaysOutside)
@inline function cal (i: i32): i32 {
  return load<i32>(<usize>word(C_CALENDAR) + (<usize>i << 2))
}

// the calendar block's words, read once a call of writeStock (see useContext): a day's test is then a load
let calFirstDay: i32 = 0
let calLastDay: i32 = 0
let calBitmap: usize = 0
let calFirstYear: i32 = 0
let calLastYear: i32 = 0
let calStarts: usize = 0
let calDays: usize = 0
let calScratch: usize = 0
let oddsAt: usize = 0

/** Takes the context block at `context` for the calls that follow. */
function useContext (context: usize): void {
  ctx = context
  calFirstDay = cal(0)
  calLastDay = cal(1)
  calBitmap = <usize>cal(2)
  calFirstYear = cal(3)
  calLastYear = cal(4)
  calStarts = <usize>cal(5)
  calDays = <usize>cal(6)
  calScratch = <usize>cal(7)
  oddsAt = <usize>word(C_ODDS)
}

@external('env', 'isWorkingDay')
declare function isWorkingOutside (day: i32): bool

@external('env', 'yearDays')
declare function yearDaysOutside (year: i32): i32

@inline function isWorking (day: i32): bool {
  if (day >= calFirstDay && day <= calLastDay) return load<u8>(calBitmap + <usize>(day - calFirstDay)) == 1
  return isWorkingOutside(day)
}

@inline function onOrBefore (day: i32): i32 {
  let d = day
  while (!isWorking(d)) d--
  return d
}

@inline function onOrAfter (day: i32): i32 {
  let d = day
  while (!isWorking(d)) d++
  return d
}

// the working days of a year: their address and number, into these
let daysAt: usize = 0
let daysCount: i32 = 0

@inline function yearDays (year: i32): void {
  if (year >= calFirstYear && year <= calLastYear) {
    const starts = calStarts + (<usize>(year - calFirstYear) << 2)
    const first = load<i32>(starts)
    daysAt = calDays + (<usize>first << 2)
    daysCount = load<i32>(starts + 4) - first
    return
  }
  // written by the host into its scratch (rare: years the lists do not hold)
  daysCount = yearDaysOutside(year)
  daysAt = calScratch
}

// ---- the event processes (timeline.ts) ----

// the events of a year, at most three
let ev0: i32 = 0
let ev1: i32 = 0
let ev2: i32 = 0

@inline function evAt (e: i32): i32 {
  return e == 0 ? ev0 : e == 1 ? ev1 : ev2
}

@inline function eventHash (key: i32, slotHash: i32, year: i32): i32 {
  return mix32i(key ^ mix32i(slotHash + year * 0x85ebca77))
}

@inline function dayOf (x: i32): i32 {
  return load<i32>(daysAt + (<usize>urem(mix32i(x), daysCount) << 2))
}

/** EventProcess#days: the events of a year whose hash `h` gives it some, into ev0–ev2; their number. */
function eventDays (h: i32, year: i32, two: i32, three: i32): i32 {
  yearDays(year)
  const u = <u32>h
  const a = dayOf(h + 1)
  if (u < <u32>two) {
    ev0 = a
    return 1
  }
  const b = dayOf(h + 2)
  let first = min(a, b)
  let second = max(a, b)
  let third = second
  if (u >= <u32>three) {
    const c = dayOf(h + 3)
    third = max(second, c)
    second = min(second, c)
    const low = min(first, second)
    second = max(first, second)
    first = low
  }
  // sorted, repeats dropped
  ev0 = first
  let m = 1
  if (second != first) {
    ev1 = second
    m = 2
  }
  if (third != second) {
    if (m == 1) ev1 = third
    else ev2 = third
    m++
  }
  return m
}

// a registration: start, next, end, ordinal
class Reg {
  start: i32 = 0
  next: i32 = NEVER
  end: i32 = NEVER
  ordinal: i32 = 0
}

const reg = new Reg()
const before = new Reg()
const other = new Reg()

function endBefore (start: i32, next: i32): i32 {
  const after = start + 1
  const b = onOrBefore(next - CARRY_DAYS)
  const soon = onOrAfter(after)
  const short = soon >= next ? after : soon
  return b > start ? b : short
}

/** Lives#at */
function at (slot: i32, day: i32, r: Reg): void {
  const y0 = yearOfDay(day)
  r.start = word(C_FIRST_START)
  r.ordinal = 0
  let next = NEVER
  const key = word(C_ENTRIES_KEY)
  const none = <u32>word(C_ENTRIES_NONE)
  const two = word(C_ENTRIES_TWO)
  const three = word(C_ENTRIES_THREE)
  const part = slot * 0x9e3779b1
  for (let y = y0; y >= FIRST_YEAR; y--) {
    const h = eventHash(key, part, y)
    if (<u32>h < none) continue
    const n = eventDays(h, y, two, three)
    let found = -1
    for (let e = n - 1; e >= 0; e--) if (evAt(e) <= day) { found = e; break }
    if (y == y0 && found + 1 < n) next = evAt(found + 1)
    if (found >= 0) {
      r.start = evAt(found)
      r.ordinal = (y - FIRST_YEAR + 1) * PER_YEAR + found
      break
    }
  }
  const horizon = yearOfDay(r.start) + HORIZON_YEARS
  if (next != NEVER && y0 > horizon) next = NEVER
  for (let y = max(y0 + 1, FIRST_YEAR); next == NEVER && y <= horizon; y++) {
    const h = eventHash(key, part, y)
    if (<u32>h < none) continue
    const n = eventDays(h, y, two, three)
    for (let e = 0; e < n; e++) if (evAt(e) > r.start) { next = evAt(e); break }
  }
  r.next = next
  r.end = next == NEVER ? NEVER : endBefore(r.start, next)
}

function previous (slot: i32, r: Reg, out: Reg): bool {
  if (r.ordinal < PER_YEAR) return false
  at(slot, r.start - 1, out)
  return out.ordinal != r.ordinal
}

function following (slot: i32, r: Reg, out: Reg): bool {
  if (r.next == NEVER) return false
  at(slot, r.next, out)
  return true
}

function lastCategoryChange (id: i32, from: i32, to: i32): i32 {
  if (to < from) return NEVER
  const key = word(C_MOVES_KEY)
  const none = <u32>word(C_MOVES_NONE)
  const two = word(C_MOVES_TWO)
  const three = word(C_MOVES_THREE)
  const part = id * 0x9e3779b1
  for (let y = yearOfDay(to), first = yearOfDay(from); y >= first; y--) {
    const h = eventHash(key, part, y)
    if (<u32>h < none) continue
    for (let e = eventDays(h, y, two, three) - 1; e >= 0; e--) {
      const d = evAt(e)
      if (d >= from && d <= to) return d
    }
  }
  return NEVER
}

// ---- a person (person.ts) ----
class Person {
  sex: i32 = 1
  birthDay: i32 = 0
  birthYear: i32 = 0
  birthMonth: i32 = 0
  nirRank: i32 = 0
  surname: i32 = 0
  longSurname: bool = false
  married: i32 = -1
  firstName: i32 = 0
  certified: bool = true
  commune: i32 = -1
  caf: i32 = -1
  msa: bool = false
  registrationDay: i32 = 0
  registrationId: i32 = 0
  category: i32 = 0
  identifier: i32 = 0
  situation: i32 = 0
  end: i32 = 0
  endDay: i32 = -1
  endMotif: i32 = 0
  principal: i32 = 0
  delegated: i32 = -1
  training: i32 = 0
  sector: i32 = 0
  rome: i32 = 0
  adviser: i32 = 0
  ppaeDay: i32 = -1
  cerDay: i32 = -1
  contactDay: i32 = -1
  axis: i32 = 0
  modality: i32 = 0
}

const p = new Person()

@inline function number (slot: i32, ordinal: i32): i32 {
  return slot + slotStride * (ordinal % generations)
}

@inline function reRegisters (slot: i32, ordinal: i32): bool {
  return unit(mix32i(word(C_KEY) ^ STREAM_RE ^ mix32i(slot * 0x9e3779b1 + ordinal))) < odds(ODDS_RE_REGISTRATION)
}

function youngEnough (birthDay: i32, r: Reg): bool {
  return ageOn(birthDay, r.next == NEVER ? r.start : r.next) <= word(C_OLDEST_AGE)
}

function drawBirth (digit: i32, month: i32, start: i32, next: i32): i32 {
  let age = chance(odds(ODDS_YOUNG)) ? between(18, 24) : 25 + <i32>Math.floor((<f64><u32>step() + <f64><u32>step()) * 20.0 / 4294967296.0)
  const stay = next == NEVER ? 0.0 : <f64>(next - start) / DAYS_PER_YEAR
  const oldest = max(18, <i32>Math.floor(<f64>word(C_OLDEST_AGE) - stay))
  if (age > oldest) age = 18 + (age - 18) % (oldest - 17)
  const startYear = yearOfDay(start)
  let y = startYear - age
  const off = (((y - digit) % 10) + 10) % 10
  y = off >= 5 ? y - off + 10 : y - off
  if (startYear - y > oldest + 1 && startYear - y - 10 >= 18) y += 10
  const dom = 1 + drawInt(daysInMonth(y, month))
  let birth = dayOfDate(y, month, dom)
  if (birth + ADULT_DAYS > start) birth = dayOfDate(y - 10, month, min(dom, daysInMonth(y - 10, month)))
  return birth
}

function identify (slot: i32, r: Reg, q: Person): void {
  const key = word(C_KEY)
  const id = number(slot, r.ordinal)
  // identityCode
  const low = id % word(C_NIR_RANKS)
  const high = (id / word(C_NIR_RANKS)) % SPREAD
  const spread = (high + urem(mix32i(low ^ key), SPREAD)) % SPREAD
  const rank = (RANK_STEP * low + urem(key, word(C_NIR_RANKS))) % word(C_NIR_RANKS)
  const code = rank * SPREAD + spread
  q.nirRank = rank
  q.sex = (spread & 1) == 1 ? 2 : 1
  q.birthMonth = 1 + ((spread >> 1) % 12)
  const digit = spread / 24
  reseed(word(C_SEED), key ^ STREAM_ID, id)
  q.birthDay = drawBirth(digit, q.birthMonth, r.start, r.next)
  q.birthYear = yearOfDay(q.birthDay)
  q.longSurname = chance(odds(ODDS_LONG_NAMES))
  q.surname = drawInt(q.longSurname ? word(C_LONG_SIZE) : word(C_BIRTH_SIZE))
  q.married = chance(odds(q.sex == 2 ? ODDS_MARRIED_WOMAN : ODDS_MARRIED_MAN)) ? drawInt(word(C_MARRIED_SIZE)) : -1
  q.firstName = drawInt(q.sex == 2 ? word(C_FIRST2_SIZE) : word(C_FIRST1_SIZE))
  q.certified = chance(odds(ODDS_CERTIFIED))
  q.commune = chance(odds(ODDS_CROSS_BORDER)) ? -1 : pick(C_W_COMMUNES)
  q.principal = q.commune >= 0 ? load<i32>(<usize>word(C_AGENCY_OF_COMMUNE) + (<usize>q.commune << 2)) : 0
  const caf = <f64>code * 7919.0 + <f64><u32>key
  q.caf = chance(odds(ODDS_CAF)) ? <i32>(caf - Math.floor(caf / 10000000.0) * 10000000.0) : -1
  q.msa = chance(odds(ODDS_MSA))
  q.identifier = code
}

/**
 * Population#fillIdentity: `p` gets the identity that holds registration `r`,
 * made by `r` itself or, when `r` re-registers it, by the registration before
 * it (Population#identityOf). identify() writes every field of an identity,
 * so a try with the one before that proves too old is simply written over.
 */
function identifyHolder (slot: i32, r: Reg): void {
  if (reRegisters(slot, r.ordinal) && previous(slot, r, before) && !reRegisters(slot, before.ordinal)) {
    identify(slot, before, p)
    if (youngEnough(p.birthDay, r)) return
  }
  identify(slot, r, p)
}

function registersAgain (slot: i32, r: Reg, birthDay: i32): bool {
  return following(slot, r, other) && reRegisters(slot, other.ordinal) && !reRegisters(slot, r.ordinal) && youngEnough(birthDay, other)
}

function situation (category: i32, day: i32, sex: i32, age: i32): i32 {
  for (let tries = 0; tries < 40; tries++) {
    const i = pick(C_W_SITUATION)
    if (fitsAt(C_R_SITUATION, i, day, category, sex, age)) return i
  }
  return word(C_SITUATION_FALLBACK)
}

function ending (slot: i32, r: Reg): void {
  reseed(word(C_SEED), word(C_KEY) ^ STREAM_END, p.registrationId)
  const age = ageOn(p.birthDay, r.end)
  p.endDay = r.end
  if (age >= word(C_RETIREMENT_AGE) && chance(0.85)) {
    p.end = 1
    p.endMotif = word(C_RETIREMENT)
    return
  }
  p.end = chance(odds(ODDS_RADIATION)) ? 2 : 1
  const index = p.end == 1 ? C_W_CESSATION : C_W_RADIATION
  const rules = p.end == 1 ? C_R_CESSATION : C_R_RADIATION
  const death = p.end == 1 ? word(C_DEATH) : -1
  for (let tries = 0; tries < 40; tries++) {
    const i = pick(index)
    // registersAgain() reseeds nothing: the draws go on
    if (fitsAt(rules, i, r.end, p.category, p.sex, age) && (i != death || !registersAgain(slot, r, p.birthDay))) {
      p.endMotif = i
      return
    }
  }
  p.endMotif = word(p.end == 1 ? C_CESSATION_FALLBACK : C_RADIATION_FALLBACK)
}

function fillRegistration (slot: i32, r: Reg, day: i32): void {
  reseed(word(C_SEED), word(C_KEY) ^ STREAM_REG, p.registrationId)
  const ageAtStart = ageOn(p.birthDay, r.start)
  const dispensed = r.start <= word(C_DISPENSE_UNTIL) && ageAtStart >= word(C_DISPENSE_MIN_AGE) && chance(odds(ODDS_DISPENSE))
  p.category = dispensed ? word(C_CATEGORY_BLANK) : pick(C_W_CATEGORY)
  p.situation = situation(p.category, r.start, p.sex, ageAtStart)
  p.training = pick(C_W_TRAINING)
  p.sector = pick(C_W_SECTOR)
  p.rome = pick(C_W_ROME)
  p.adviser = drawInt(word(C_ADVISERS))
  p.axis = pick(C_W_AXIS)
  p.modality = pick(C_W_MODALITY)
  const ppaeFirst = between(2, 45)
  const ppaePeriod = between(300, 400)
  const cer = chance(odds(ODDS_CER))
  const cerAfter = between(3, 30)
  const delegation = step()
  const contact = step()

  const ended = r.end <= day
  const last = ended ? r.end : day
  const moved = dispensed ? NEVER : lastCategoryChange(p.registrationId, r.start + 1, last)
  if (moved != NEVER) {
    reseed(word(C_SEED), word(C_KEY) ^ STREAM_MOVE, p.registrationId ^ (moved * 0x9e3779b1))
    let c = pick(C_W_CATEGORY)
    if (c == p.category) c = pick(C_W_CATEGORY)
    p.category = c
    p.situation = situation(c, moved, p.sex, ageOn(p.birthDay, moved))
  }

  p.ppaeDay = -1
  p.cerDay = -1
  const first = onOrAfter(r.start + ppaeFirst)
  if (first <= last) {
    let renewals = (last - first) / ppaePeriod
    let ppae = renewals == 0 ? first : onOrAfter(first + renewals * ppaePeriod)
    while (ppae > last && renewals > 0) {
      const was = renewals
      renewals--
      ppae = was == 1 ? first : onOrAfter(first + renewals * ppaePeriod)
    }
    p.ppaeDay = ppae
    if (cer) {
      const c = onOrAfter(ppae + cerAfter)
      if (c <= last) p.cerDay = c
    }
  }
  const from = max(r.start, max(p.ppaeDay, p.cerDay))
  const back = urem(contact, min(last - from + 1, 45))
  let contactDay = onOrBefore(last - back)
  if (contactDay < from) contactDay = from
  p.contactDay = contactDay

  p.delegated = -1
  const delegatedSize = word(C_DELEGATED)
  if (delegatedSize > 0) {
    const elapsed = last - r.start
    const half = floorDiv(elapsed, 182)
    const h = <u32>mix32i(delegation ^ ((half + 1) * 0x85ebca77))
    const length = (h & 1) == 1 ? 182 : 91
    if (<f64>h / 4294967296.0 < odds(ODDS_DELEGATED) && elapsed - half * 182 < length) p.delegated = <i32>((h >> 8) % <u32>delegatedSize)
  }

  p.end = 0
  p.endDay = -1
  if (ended) ending(slot, r)
}

// ---- writing (person.ts writePersonFields, write.ts, nir.ts) ----
// a pool's block: offset in the record, width, address of its bytes, address of its used lengths (u16)
@inline function entry (out: usize, pool: i32, i: i32): void {
  const b = <usize>word(pool)
  const offset = load<i32>(b)
  const width = load<i32>(b + 4)
  const n = <i32>load<u16>(<usize>load<i32>(b + 12) + (<usize>i << 1))
  const src = <usize>load<i32>(b + 8) + <usize>(i * width)
  const to = out + <usize>offset
  // the entry's bytes up to its trailing spaces (the record has spaces there already), a word at a time, the last
  // word moved back to end at the pool's width when it would go past it (it writes again bytes of the word before)
  if (width < 8) {
    for (let k = 0; k < n; k++) store<u8>(to + <usize>k, load<u8>(src + <usize>k))
    return
  }
  const words = (n + 7) >> 3
  for (let w = 0; w < words - 1; w++) store<u64>(to + (<usize>w << 3), load<u64>(src + (<usize>w << 3)))
  if (words > 0) {
    const last = <usize>min((words - 1) << 3, width - 8)
    store<u64>(to + last, load<u64>(src + last))
  }
}

@inline function writeDate (out: usize, field: i32, day: i32): void {
  const to = out + <usize>word(field)
  if (day >= TABLE_FIRST_DAY && day <= TABLE_LAST_DAY) {
    const i = yearIndex(day)
    const start = unchecked(yearStarts[i])
    const inYear = day - start + (unchecked(yearStarts[i + 1]) - start == 366 ? 365 : 0)
    store<u32>(to, unchecked(yearWords[i]))
    store<u32>(to + 4, unchecked(dayWords[inYear]))
    return
  }
  civil(day)
  if (cy < 0 || cy > 9999) {
    writeDateOutside(<i32>to, day)
    return
  }
  store<u16>(to, pair(cy / 100))
  store<u16>(to + 2, pair(cy % 100))
  store<u16>(to + 4, pair(cm))
  store<u16>(to + 6, pair(cd))
}

@external('env', 'writeDate')
declare function writeDateOutside (to: i32, day: i32): void

function writeDigits (to: usize, value: i32, width: i32): void {
  let v = value
  for (let k = width - 1; k >= 0; k--) {
    store<u8>(to + <usize>k, <u8>(0x30 + v % 10))
    v /= 10
  }
}

function writeNir (to: usize, sex: i32, birthYear: i32, birthMonth: i32, rank: i32): void {
  const places = word(C_NIR_PLACES)
  const order = 1 + rank / places
  const place = word(C_NIR_FIRST_PLACE) + rank % places
  store<u8>(to, <u8>(0x30 + sex))
  store<u16>(to + 1, pair(((birthYear % 100) + 100) % 100))
  store<u16>(to + 3, pair(birthMonth))
  store<u16>(to + 5, 0x3939)
  store<u8>(to + 7, 0x30)
  store<u16>(to + 8, pair(place))
  store<u8>(to + 10, <u8>(0x30 + order / 100))
  store<u16>(to + 11, pair(order % 100))
}

// ABCDEFGHJKLMNPRSTUVWXYZ
const LETTERS: StaticArray<u8> = [65, 66, 67, 68, 69, 70, 71, 72, 74, 75, 76, 77, 78, 80, 82, 83, 84, 85, 86, 87, 88, 89, 90]

function writeIdentifier (to: usize, n: i32): void {
  const low = n % 10000000
  const high = n / 10000000
  if (word(C_EIGHT_DIGITS) != 0) {
    writeDigits(to, low + 10000000 * (1 + high * 3 + (low % 3)), 8)
  } else {
    writeDigits(to, low, 7)
    store<u8>(to + 7, LETTERS[(high + 3 * (low % 7)) % 23])
  }
}

function writeFields (out: usize): void {
  entry(out, p.longSurname ? C_P_LONG : C_P_BIRTH, p.surname)
  if (p.married >= 0) entry(out, C_P_MARRIED, p.married)
  entry(out, p.sex == 2 ? C_P_FIRST2 : C_P_FIRST1, p.firstName)
  writeDate(out, C_AT_BIRTH, p.birthDay)
  if (p.commune >= 0) entry(out, C_P_COMMUNES, p.commune)
  writeDate(out, C_AT_START, p.registrationDay)
  entry(out, C_P_CATEGORY, p.category)
  entry(out, C_P_SITUATION, p.situation)
  if (p.end != 0) {
    const cessation = p.end == 1
    writeDate(out, cessation ? C_AT_CESSATION : C_AT_RADIATION, p.endDay)
    entry(out, cessation ? C_P_CESSATION : C_P_RADIATION, p.endMotif)
  }
  entry(out, C_P_PRINCIPAL, p.principal)
  if (p.delegated >= 0) entry(out, C_P_DELEGATED, p.delegated)
  entry(out, C_P_TRAINING, p.training)
  entry(out, C_P_SECTOR, p.sector)
  entry(out, C_P_ROME, p.rome)
  entry(out, C_P_ADVISER, p.adviser)
  if (p.ppaeDay >= 0) writeDate(out, C_AT_PPAE, p.ppaeDay)
  if (p.cerDay >= 0) writeDate(out, C_AT_CER, p.cerDay)
  entry(out, C_P_AXIS, p.axis)
  entry(out, C_P_MODALITY, p.modality)
  writeDate(out, C_AT_CONTACT, p.contactDay)
  writeNir(out + <usize>word(C_AT_NIR), p.sex, p.birthYear, p.birthMonth, p.nirRank)
  store<u8>(out + <usize>word(C_AT_CERTIFIED), p.certified ? 0x4F : 0x4E)
  if (p.caf >= 0) writeDigits(out + <usize>word(C_AT_CAF), p.caf, 7)
  if (p.msa) writeNir(out + <usize>word(C_AT_MSA), p.sex, p.birthYear, p.birthMonth, p.nirRank)
  writeIdentifier(out + <usize>word(C_AT_IDENTIFIER), p.identifier)
}

/**
 * The records of slots `from` to `to` (excluded) of a stock of `day` (a
 * population whose identities are numbered with `populationStride` and
 * `populationGenerations`, see Population#number), at
 * `out`, `stride` bytes apart, which hold the template already: each the
 * person that slot lists that day, as Population#stock and writePersonFields make it.
 */
export function writeStock (context: i32, populationStride: i32, populationGenerations: i32, from: i32, to: i32, day: i32, out: i32, stride: i32): void {
  useContext(<usize>context)
  slotStride = populationStride
  generations = populationGenerations
  for (let slot = from; slot < to; slot++) {
    at(slot, day, reg)
    p.registrationDay = reg.start
    p.registrationId = number(slot, reg.ordinal)
    identifyHolder(slot, reg)
    fillRegistration(slot, reg, day)
    writeFields(<usize>out + <usize>((slot - from) * stride))
  }
}

/** Room for `size` bytes in this memory, which grows when it must (the host then takes its views again): their address. */
export function alloc (size: i32): i32 {
  return <i32>heap.alloc(<usize>size)
}

/**
 * The calendar block of the working days in the bitmap at `bitmap` (a byte
 * a day from `firstDay`, 1 for a working day, whole years from 1 January):
 * each of its years' working days in order, as WorkCalendar#daysOf lists them.
 */
export function calendar (bitmap: i32, firstDay: i32, days: i32): i32 {
  const lastDay = firstDay + days - 1
  const firstYear = yearOfDay(firstDay)
  const lastYear = yearOfDay(lastDay)
  let working = 0
  for (let d = 0; d < days; d++) working += <i32>load<u8>(<usize>bitmap + <usize>d)
  const starts = heap.alloc(<usize>(lastYear - firstYear + 2) << 2)
  const list = heap.alloc(<usize>max(1, working) << 2)
  let n = 0
  for (let y = firstYear; y <= lastYear; y++) {
    store<i32>(starts + (<usize>(y - firstYear) << 2), n)
    const last = min(lastDay, dayOfDate(y, 12, 31))
    for (let d = max(firstDay, dayOfDate(y, 1, 1)); d <= last; d++) {
      if (load<u8>(<usize>bitmap + <usize>(d - firstDay)) == 1) {
        store<i32>(list + (<usize>n << 2), d)
        n++
      }
    }
  }
  store<i32>(starts + (<usize>(lastYear - firstYear + 1) << 2), n)
  const block = heap.alloc(32)
  store<i32>(block, firstDay)
  store<i32>(block + 4, lastDay)
  store<i32>(block + 8, bitmap)
  store<i32>(block + 12, firstYear)
  store<i32>(block + 16, lastYear)
  store<i32>(block + 20, <i32>starts)
  store<i32>(block + 24, <i32>list)
  store<i32>(block + 28, <i32>heap.alloc(366 << 2))
  return <i32>block
}
