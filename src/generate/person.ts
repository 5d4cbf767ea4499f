import { DISPENSE_MIN_AGE, DISPENSE_UNTIL, OLDEST_AGE, RETIREMENT_AGE } from '../../generators/rules.js'
import { makeNir, NIR_RANKS_PER_BUCKET, writeNir } from '../../generators/nir.js'
import { PhebusError } from '../errors.js'
import { frenchNumber } from '../text/french.js'
import { compactFromDay, daysInMonth } from '../layouts/dates.js'
import type { DepartementContext } from './context.js'
import {
  ADULT_DAYS, DAYS_PER_YEAR, NEVER, ODDS_CAF, ODDS_CER, ODDS_CERTIFIED, ODDS_CROSS_BORDER, ODDS_DELEGATED, ODDS_DISPENSE,
  ODDS_LONG_NAMES, ODDS_MARRIED_MAN, ODDS_MARRIED_WOMAN, ODDS_MSA, ODDS_RADIATION, ODDS_RE_REGISTRATION, ODDS_YOUNG, RANK_STEP, SPREAD,
  STREAM_END, STREAM_ID, STREAM_MOVE, STREAM_RE, STREAM_REG
} from './kernel-shared.js'
import { writeEntries, type Pool } from './pools.js'
import { mix32i, Rng, urem } from './rng.js'
import { emptyRegistration, Lives, type Registration } from './timeline.js'
import { dayOfDate, digits, viewOf, writeDateTo, writeDigits, yearOfDay } from './write.js'

/**
 * One person of a population at a date, as the choices that make it
 * (indices into the pools, day numbers). A Population fills it from the
 * person's life (timeline.ts); writePerson() turns it into the bytes of a
 * detail record; personValues() into the field values, for tests, samples
 * and CGPEM files.
 */
export class PersonDraw {
  /** its slot in the population: person n of a stock */
  index = 0
  /** the identity's number in the département (stable over its whole history) */
  identity = 0
  /** a number for the identity that NIR and identifier are made from (see identityCode) */
  code = 0
  sex: 1 | 2 = 1
  birthDay = 0
  birthYear = 0
  birthMonth = 0
  /** rank of the NIR among those of its sex, birth year and month: the NIR's place and order */
  nirRank = 0
  surname = 0
  longSurname = false
  married = -1
  firstName = 0
  certified = true
  commune = -1
  caf = -1
  msa = false
  registrationDay = 0
  /** the registration is the identity's second (it left and registered again) */
  reRegistered = false
  /** the registration's number, for the category moves */
  registrationId = 0
  category = 0
  identifier = 0
  situation = 0
  /** 0 none, 1 cessation, 2 radiation */
  end: 0 | 1 | 2 = 0
  endDay = -1
  endMotif = 0
  principal = 0
  delegated = -1
  training = 0
  sector = 0
  rome = 0
  adviser = 0
  ppaeDay = -1
  cerDay = -1
  contactDay = -1
  axis = 0
  modality = 0
}

const LETTERS = Buffer.from('ABCDEFGHJKLMNPRSTUVWXYZ', 'latin1')

/** Identity codes a département has: every one gives a different NIR. */
export const IDENTITY_CODES = NIR_RANKS_PER_BUCKET * SPREAD
/** Slots numbered below this keep their identities whatever the population's size. */
const STRIDE = 65_536

function ageOn (birthDay: number, day: number): number {
  // an integer for V8 (| 0, exact: an age is far below 2³¹), which it then passes to the rules' checks as one,
  // where a number it knows only as a floating-point one is allocated on the heap for each call
  return Math.floor((day - birthDay) / DAYS_PER_YEAR) | 0
}

/**
 * A département's population of `size` people (slots) at any date: who holds
 * each slot then, with the identity, registration and state of that day.
 * NIRs never repeat over the département's history (up to IDENTITY_CODES
 * identities; see identityCode).
 */
export class Population {
  readonly lives: Lives
  /** identities per slot before a NIR is given again (a century of registrations at the national scenario's sizes) */
  readonly generations: number
  readonly stride: number
  private readonly rng = new Rng()
  private readonly side = new Rng()
  private readonly reg = emptyRegistration()
  private readonly other = emptyRegistration()
  private readonly creating = emptyRegistration()
  private readonly yearEvents = new Int32Array(3)
  private readonly scratch = new PersonDraw()
  private readonly codeOut: IdentityCode = { code: 0, rank: 0, spread: 0 }

  constructor (readonly ctx: DepartementContext, readonly size: number) {
    this.lives = new Lives(ctx.key, ctx.scenario.rates, ctx.departement.holidays)
    this.stride = Math.max(STRIDE, size)
    this.generations = Math.floor(IDENTITY_CODES / this.stride)
    if (this.generations < 1) throw capacityError(ctx.departement.code, size)
  }

  /** Fills `p` with the person slot `slot` lists in a stock of `day`. */
  stock (slot: number, day: number, p: PersonDraw): void {
    this.fill(slot, this.lives.at(slot, day, this.reg), day, p)
  }

  /** Fills `p` with the person slot `slot` registers on `day`, if it registers someone that day. */
  entrant (slot: number, day: number, p: PersonDraw): boolean {
    const ev = this.yearEvents
    const n = this.lives.entries.eventsIn(slot, yearOfDay(day), ev)
    let found = false
    for (let e = 0; e < n; e++) if (ev[e] === day) found = true
    if (!found) return false
    this.fill(slot, this.lives.at(slot, day, this.reg), day, p)
    return true
  }

  /** Fills `p` with registration `r` of slot `slot` as it stands on `day` (between its start and its next). */
  fill (slot: number, r: Registration, day: number, p: PersonDraw): void {
    this.fillIdentity(slot, r, p)
    this.fillRegistration(r, day, p)
  }

  /**
   * The first half of fill(): who holds registration `r` of slot `slot`,
   * its identity. A stock's writer (writeSlots) makes a task's identities
   * one after the other, then their registrations: each loop's code stays
   * hot, and V8 compiles each half with its own budget of inlining.
   */
  fillIdentity (slot: number, r: Registration, p: PersonDraw): void {
    p.index = slot
    p.registrationDay = r.start
    p.registrationId = this.number(slot, r.ordinal)
    const creating = this.identityOf(slot, r)
    p.reRegistered = creating !== r
    // a re-registration's identity is the one identityOf() has just made for its check
    if (p.reRegistered) copyIdentity(this.scratch, p)
    else this.identify(slot, creating, p)
  }

  /** The second half of fill(), once fillIdentity() has filled `p` for `r`: the registration as it stands on `day`. */
  fillRegistration (r: Registration, day: number, p: PersonDraw): void {
    const ctx = this.ctx
    // the registration's own draws, always the same sequence whatever the date
    const rng = this.rng
    rng.reseed(ctx.scenario.seed, ctx.key ^ STREAM_REG, p.registrationId)
    const ageAtStart = ageOn(p.birthDay, r.start)
    const odds = ctx.odds
    const dispensed = r.start <= DISPENSE_UNTIL && ageAtStart >= DISPENSE_MIN_AGE && rng.chanceOf(odds, ODDS_DISPENSE)
    p.category = dispensed ? ctx.category.blank : ctx.category.index.pick(rng)
    p.situation = this.situation(rng, p.category, r.start, p.sex, ageAtStart)
    p.training = ctx.training.index.pick(rng)
    p.sector = ctx.sector.index.pick(rng)
    p.rome = ctx.rome.index.pick(rng)
    p.adviser = rng.int(ctx.adviser.size)
    p.axis = ctx.axis.index.pick(rng)
    p.modality = ctx.modality.index.pick(rng)
    const ppaeFirst = rng.between(2, 45)
    const ppaePeriod = rng.between(300, 400)
    const cer = rng.chanceOf(odds, ODDS_CER)
    const cerAfter = rng.between(3, 30)
    // both draws' bits as signed integers, read unsigned where it matters: an unsigned one above 2³¹ kept across
    // the calls below is a number V8 allocates on the heap (see mix32i)
    const delegation = rng.int32()
    const contact = rng.int32()

    const cal = this.lives.calendar
    const ended = r.end <= day
    const last = ended ? r.end : day
    // the category moves up to that day (never for the dispensed)
    const moved = dispensed ? NEVER : this.lives.lastCategoryChange(p.registrationId, r.start + 1, last)
    if (moved !== NEVER) {
      const side = this.side
      side.reseed(ctx.scenario.seed, ctx.key ^ STREAM_MOVE, p.registrationId ^ Math.imul(moved, 0x9e3779b1))
      let c = ctx.category.index.pick(side)
      if (c === p.category) c = ctx.category.index.pick(side)
      p.category = c
      p.situation = this.situation(side, c, moved, p.sex, ageOn(p.birthDay, moved))
    }

    // the most recent PPAE (renewed about once a year), its CER, the last contact: office days up to that day
    p.ppaeDay = -1
    p.cerDay = -1
    const first = cal.onOrAfter(r.start + ppaeFirst)
    if (first <= last) {
      let renewals = Math.floor((last - first) / ppaePeriod)
      let ppae = renewals === 0 ? first : cal.onOrAfter(first + renewals * ppaePeriod)
      while (ppae > last && renewals > 0) ppae = renewals-- === 1 ? first : cal.onOrAfter(first + renewals * ppaePeriod)
      p.ppaeDay = ppae
      if (cer) {
        const c = cal.onOrAfter(ppae + cerAfter)
        if (c <= last) p.cerDay = c
      }
    }
    const from = Math.max(r.start, p.ppaeDay, p.cerDay)
    const back = urem(contact, Math.min(last - from + 1, 45))
    let contactDay = cal.onOrBefore(last - back)
    if (contactDay < from) contactDay = from
    p.contactDay = contactDay

    // delegated follow-up: in each half-year of the registration, a share is delegated for three months, half of them renewed once
    p.delegated = -1
    if (ctx.delegated.size > 0) {
      const elapsed = last - r.start
      const half = Math.floor(elapsed / 182)
      const h = mix32i(delegation ^ Math.imul(half + 1, 0x85ebca77)) >>> 0
      const length = (h & 1) === 1 ? 182 : 91
      if (h / 4294967296 < (odds[ODDS_DELEGATED] as number) && elapsed - half * 182 < length) p.delegated = (h >>> 8) % ctx.delegated.size
    }

    p.end = 0
    p.endDay = -1
    if (ended) this.ending(r, p)
  }

  /**
   * What happens to slot `slot` after `from` and up to `to` (days, both
   * included), in order: registrations (new or again), category changes,
   * cessations and radiations, and the day an ended registration leaves the
   * stocks. Each with the person as it stands that day.
   */
  * movements (slot: number, from: number, to: number): Generator<Movement> {
    const r = emptyRegistration()
    this.lives.at(slot, from, r)
    const p = new PersonDraw()
    const before = new PersonDraw()
    const changes = new Int32Array(64)
    for (;;) {
      if (r.start > to) return
      if (r.start >= from) {
        this.fill(slot, r, r.start, p)
        yield { day: r.start, kind: p.reRegistered ? 'reinscription' : 'entree', person: p }
      }
      // up to the day it ends, that day included: fillRegistration() counts a move of that day in the ended record
      const last = Math.min(to, r.end, r.next - 1)
      const n = this.lives.categoryChanges(this.number(slot, r.ordinal), Math.max(from, r.start + 1), last, changes)
      for (let c = 0; c < n; c++) {
        const day = changes[c] as number
        this.fill(slot, r, day - 1, before)
        this.fill(slot, r, day, p)
        // a draw may give the same category again: only real changes are movements
        if (before.category !== p.category || before.situation !== p.situation) yield { day, kind: 'categorie', person: p, before }
      }
      if (r.end >= from && r.end <= to) {
        this.fill(slot, r, r.end, p)
        yield { day: r.end, kind: p.end === 2 ? 'radiation' : 'cessation', person: p }
      }
      if (r.next >= from && r.next <= to) {
        this.fill(slot, r, r.next - 1, p)
        yield { day: r.next, kind: 'sortie', person: p }
      }
      const next = emptyRegistration()
      if (!this.lives.following(slot, r, next)) return
      Object.assign(r, next)
    }
  }

  /** The cessation or radiation that ends registration `r` (it has ended): its kind and a motif that fits the day, the category and the age. */
  private ending (r: Registration, p: PersonDraw): void {
    const ctx = this.ctx
    const side = this.side
    side.reseed(ctx.scenario.seed, ctx.key ^ STREAM_END, p.registrationId)
    const age = ageOn(p.birthDay, r.end)
    p.endDay = r.end
    if (age >= RETIREMENT_AGE && side.chance(0.85)) {
      p.end = 1
      p.endMotif = ctx.cessation.retirement
      return
    }
    p.end = side.chanceOf(ctx.odds, ODDS_RADIATION) ? 2 : 1
    const pool = p.end === 1 ? ctx.cessation : ctx.radiation
    // a death ends the identity: it is not the motif of one that registers again (asked only when drawn: rare)
    const death = p.end === 1 ? ctx.cessation.death : -1
    for (let tries = 0; tries < 40; tries++) {
      const i = pool.index.pick(side)
      if (pool.rules.fitsAt(i, r.end, p.category, p.sex, age) && (i !== death || !this.registersAgain(p.index, r, p.birthDay))) {
        p.endMotif = i
        return
      }
    }
    p.endMotif = pool.fallback
  }

  /** A situation that fits the category, the day it begins, the sex and the age. */
  private situation (rng: Rng, category: number, day: number, sex: 1 | 2, age: number): number {
    const situation = this.ctx.situation
    for (let tries = 0; tries < 40; tries++) {
      const i = situation.index.pick(rng)
      if (situation.rules.fitsAt(i, day, category, sex, age)) return i
    }
    return situation.fallback
  }

  /** A registration's number: slot and ordinal, unique in the département for `generations` registrations a slot. */
  private number (slot: number, ordinal: number): number {
    return slot + this.stride * (ordinal % this.generations)
  }

  /**
   * The registration that made the identity of `r`: `r` itself, or the one
   * before it in its slot when `r` is a re-registration (once at most: the
   * one before must not be one itself, and the person must still be of an
   * age to register). When it is the one before, this.scratch holds its identity.
   */
  private identityOf (slot: number, r: Registration): Registration {
    if (!this.reRegisters(slot, r.ordinal)) return r
    const before = this.creating
    if (!this.lives.previous(slot, r, before) || this.reRegisters(slot, before.ordinal)) return r
    const scratch = this.scratch
    this.identify(slot, before, scratch)
    return youngEnough(scratch.birthDay, r) ? before : r
  }

  /**
   * Whether the identity of registration `r` of slot `slot`, born on
   * `birthDay`, registers again: the slot's next registration is its second,
   * as identityOf() finds it from that one (it re-registers, `r` does not,
   * and the person is of an age to hold it).
   */
  private registersAgain (slot: number, r: Registration, birthDay: number): boolean {
    const next = this.other
    return this.lives.following(slot, r, next) && this.reRegisters(slot, next.ordinal) && !this.reRegisters(slot, r.ordinal) &&
      youngEnough(birthDay, next)
  }

  private reRegisters (slot: number, ordinal: number): boolean {
    return (mix32i(this.ctx.key ^ STREAM_RE ^ mix32i((Math.imul(slot, 0x9e3779b1) + ordinal) | 0)) >>> 0) / 4294967296 < (this.ctx.odds[ODDS_RE_REGISTRATION] as number)
  }

  /** The identity made by registration `r` of slot `slot`: NIR, names, birth, residence, numbers. */
  private identify (slot: number, r: Registration, p: PersonDraw): void {
    const ctx = this.ctx
    const id = this.number(slot, r.ordinal)
    p.identity = id
    const { code, rank, spread } = identityCode(id, ctx.key, this.codeOut)
    p.code = code
    p.nirRank = rank
    p.sex = (spread & 1) === 1 ? 2 : 1
    p.birthMonth = 1 + ((spread >> 1) % 12)
    const digit = Math.floor(spread / 24)
    const rng = this.side
    rng.reseed(ctx.scenario.seed, ctx.key ^ STREAM_ID, id)
    const odds = ctx.odds
    p.birthDay = drawBirth(rng, odds, digit, p.birthMonth, r.start, r.next)
    p.birthYear = yearOfDay(p.birthDay)
    p.longSurname = rng.chanceOf(odds, ODDS_LONG_NAMES)
    p.surname = rng.int(p.longSurname ? ctx.surnames.long.size : ctx.surnames.birth.size)
    p.married = rng.chanceOf(odds, p.sex === 2 ? ODDS_MARRIED_WOMAN : ODDS_MARRIED_MAN) ? rng.int(ctx.surnames.married.size) : -1
    p.firstName = rng.int(ctx.firstNames[p.sex].size)
    p.certified = rng.chanceOf(odds, ODDS_CERTIFIED)
    p.commune = rng.chanceOf(odds, ODDS_CROSS_BORDER) ? -1 : ctx.communes.index.pick(rng)
    p.principal = p.commune >= 0 ? ctx.agencyOfCommune[p.commune] ?? 0 : 0
    // the remainder of a number above 2³² (not urem's), written out: % would be a floating-point one, which V8
    // compiles as a slow x87 loop, and the number passed to a call it did not inline is allocated on the heap
    const caf = code * 7_919 + ctx.key
    p.caf = rng.chanceOf(odds, ODDS_CAF) ? (caf - Math.floor(caf / 10_000_000) * 10_000_000) | 0 : -1
    p.msa = rng.chanceOf(odds, ODDS_MSA)
    p.identifier = code
  }
}

/** Whether a person born on `birthDay` is still of an age to be registered until registration `r` gives way to the next (OLDEST_AGE). */
function youngEnough (birthDay: number, r: Registration): boolean {
  return ageOn(birthDay, r.next === NEVER ? r.start : r.next) <= OLDEST_AGE
}

/** The fields identify() fills, from `from` to `to`. */
function copyIdentity (from: PersonDraw, to: PersonDraw): void {
  to.identity = from.identity
  to.code = from.code
  to.nirRank = from.nirRank
  to.sex = from.sex
  to.birthMonth = from.birthMonth
  to.birthDay = from.birthDay
  to.birthYear = from.birthYear
  to.longSurname = from.longSurname
  to.surname = from.surname
  to.married = from.married
  to.firstName = from.firstName
  to.certified = from.certified
  to.commune = from.commune
  to.principal = from.principal
  to.caf = from.caf
  to.msa = from.msa
  to.identifier = from.identifier
}

/** Kinds of movement, as the movements CSV names them. */
export type MovementKind = 'entree' | 'reinscription' | 'categorie' | 'cessation' | 'radiation' | 'sortie'

/** One movement of a person; `person` (and `before`) are reused: read them before asking for the next. */
export interface Movement {
  day: number
  kind: MovementKind
  person: PersonDraw
  /** for a category change, the person the day before */
  before?: PersonDraw
}

/**
 * An identity's code: a bijection of its number onto [0, IDENTITY_CODES),
 * split into the NIR's rank (place and order) and its spread (sex, birth
 * month, last digit of the birth year). Two identities of a département
 * never share a code, hence never a NIR nor an identifier.
 */
export interface IdentityCode { code: number, rank: number, spread: number }

/** `out`: where to write it (the generator passes one it reuses, so that no person allocates). */
export function identityCode (id: number, key: number, out: IdentityCode = { code: 0, rank: 0, spread: 0 }): IdentityCode {
  const low = id % NIR_RANKS_PER_BUCKET
  const high = (Math.floor(id / NIR_RANKS_PER_BUCKET) | 0) % SPREAD
  out.spread = (high + urem(mix32i(low ^ key), SPREAD)) % SPREAD
  out.rank = (RANK_STEP * low + urem(key, NIR_RANKS_PER_BUCKET)) % NIR_RANKS_PER_BUCKET
  out.code = out.rank * SPREAD + out.spread
  return out
}

/**
 * A birth day for an identity first registered on `start` until `next`: of
 * age at the start (18–24 for the `young` share, else 25–64 weighted towards
 * 45), never older than OLDEST_AGE while registered, in the month and with
 * the year's last digit that its code gives.
 */
function drawBirth (rng: Rng, odds: Float64Array, digit: number, month: number, start: number, next: number): number {
  // (float() + float()) × 20 from the steps' bits, the same number: a sum of two multiples of 2⁻³² below 1, then
  // times 20, is exact either way; a fraction returned by a call V8 did not inline is allocated on the heap
  let age = rng.chanceOf(odds, ODDS_YOUNG) ? rng.between(18, 24) : 25 + Math.floor(((rng.int32() >>> 0) + (rng.int32() >>> 0)) * 20 / 4294967296)
  const stay = next === NEVER ? 0 : (next - start) / DAYS_PER_YEAR
  const oldest = Math.max(18, Math.floor(OLDEST_AGE - stay))
  if (age > oldest) age = 18 + (age - 18) % (oldest - 17)
  const startYear = yearOfDay(start)
  let y = startYear - age
  // the year with the code's last digit, from 4 years older to 5 years younger than drawn
  const off = (((y - digit) % 10) + 10) % 10
  y = off >= 5 ? y - off + 10 : y - off
  if (startYear - y > oldest + 1 && startYear - y - 10 >= 18) y += 10
  const dom = 1 + rng.int(daysInMonth(y, month))
  let birth = dayOfDate(y, month, dom)
  if (birth + ADULT_DAYS > start) birth = dayOfDate(y - 10, month, Math.min(dom, daysInMonth(y - 10, month)))
  return birth
}

function capacityError (departement: string, size: number): PhebusError {
  const limit = frenchNumber(IDENTITY_CODES)
  return new PhebusError('PHEBUS_GENERATE_CAPACITY',
    `département ${departement} : ${frenchNumber(size)} personnes, plus que les ${limit} NIR fictifs distincts qu'un département peut donner ` +
    '(lieux de naissance 99001 à 99099, numéros d\'ordre 001 à 999, deux sexes, douze mois, dix chiffres d\'année). ' +
    'Demandez moins d\'enregistrements (--records) ou réduisez la population du département dans le scénario.')
}

/**
 * Writes person `p` as a detail record at `at` (the template is copied first).
 * `v`: viewOf(out), which its callers take once per buffer (writeSlots,
 * pecgmChunks): taken here, in a function TurboFan compiles early, a new
 * buffer's view had no feedback yet, and cost each thread a deoptimisation
 * and a second compilation of this function.
 */
export function writePerson (out: Buffer, at: number, ctx: DepartementContext, p: PersonDraw, v: DataView): void {
  out.set(ctx.template, at)
  writePersonFields(out, at, ctx, p, v)
}

/** writePerson() on a record that holds the template already (a stock's writer copies it for a whole task at once). */
export function writePersonFields (out: Buffer, at: number, ctx: DepartementContext, p: PersonDraw, v: DataView): void {
  const f = ctx.at
  const ids = ENTRY_IDS
  const dateAt = DATE_OFFSETS
  const dates = DATE_DAYS
  // the entries (each its number in the table of entries, pools.ts) and the dates to write, listed, then written by
  // one loop each: a call site each, where a call for each of them left most to real calls (this function's budget
  // of inlining spent on the first few), 16 calls a record to write an entry alone. Written out: a helper that lists
  // one entry (listEntry(n, pool, i)) took that budget again, and a record 10 % longer (455 ns against 410)
  let n = 0
  let d = 0
  ids[n++] = (p.longSurname ? ctx.surnames.long : ctx.surnames.birth).base + p.surname
  if (p.married >= 0) ids[n++] = ctx.surnames.married.base + p.married
  ids[n++] = ctx.firstNames[p.sex].base + p.firstName
  dateAt[d] = f.DATE_NAISSANCE.offset
  dates[d++] = p.birthDay
  if (p.commune >= 0) ids[n++] = ctx.communes.pool.base + p.commune
  dateAt[d] = f.DATE_DEBUT_IDE.offset
  dates[d++] = p.registrationDay
  ids[n++] = ctx.category.pool.base + p.category
  ids[n++] = ctx.situation.pool.base + p.situation
  if (p.end !== 0) {
    const cessation = p.end === 1
    dateAt[d] = cessation ? f.DATE_CESSATION_IDE.offset : f.DATE_RADIATION.offset
    dates[d++] = p.endDay
    ids[n++] = (cessation ? ctx.cessation.pool : ctx.radiation.pool).base + p.endMotif
  }
  ids[n++] = ctx.principal.base + p.principal
  if (p.delegated >= 0) ids[n++] = ctx.delegated.base + p.delegated
  ids[n++] = ctx.training.pool.base + p.training
  ids[n++] = ctx.sector.pool.base + p.sector
  ids[n++] = ctx.rome.pool.base + p.rome
  ids[n++] = ctx.adviser.base + p.adviser
  if (p.ppaeDay >= 0) {
    dateAt[d] = f.DATE_SIGNATURE_PPAE.offset
    dates[d++] = p.ppaeDay
  }
  if (p.cerDay >= 0) {
    dateAt[d] = f.DATE_NOTIFICATION_PPAE_CER.offset
    dates[d++] = p.cerDay
  }
  ids[n++] = ctx.axis.pool.base + p.axis
  ids[n++] = ctx.modality.pool.base + p.modality
  dateAt[d] = f.DATE_DERNIER_CONTACT.offset
  dates[d++] = p.contactDay
  writeEntries(out, at, ids, n, v)
  for (let k = 0; k < d; k++) writeDateTo(v, out, at + (dateAt[k] as number), dates[k] as number)
  writeNir(out, at + f.NIR.offset, p.sex, p.birthYear, p.birthMonth, p.nirRank, v)
  out[at + f.STATUT_CERTIFICATION_IDENTITE.offset] = p.certified ? 0x4F : 0x4E
  if (p.caf >= 0) writeDigits(out, at + f.NUMERO_ALLOCATAIRE_CAF.offset, p.caf, 7, v)
  if (p.msa) writeNir(out, at + f.NUMERO_ALLOCATAIRE_MSA.offset, p.sex, p.birthYear, p.birthMonth, p.nirRank, v)
  writeIdentifier(out, at + f.IDENTIFIANT_PE.offset, ctx, p.identifier, v)
}

/** writePerson's lists: the entries a record has (16 at most), each its number in the table of entries, and its dates (6 at most). */
const ENTRY_IDS = new Int32Array(16)
const DATE_OFFSETS = new Int32Array(6)
const DATE_DAYS = new Int32Array(6)

/** IDENTIFIANT_PE: 7 digits and a letter, or 8 digits in the départements that use them (Annexe 4). */
function writeIdentifier (out: Buffer, at: number, ctx: DepartementContext, n: number, view: DataView = viewOf(out)): void {
  // n < 23 736 240: its low seven digits and its high part (0–2) make it whole again
  const low = n % 10_000_000
  const high = Math.floor(n / 10_000_000)
  if (ctx.eightDigits) {
    writeDigits(out, at, low + 10_000_000 * (1 + high * 3 + (low % 3)), 8, view)
  } else {
    writeDigits(out, at, low, 7, view)
    out[at + 7] = LETTERS[(high + 3 * (low % 7)) % LETTERS.length] as number
  }
}

export function identifierText (ctx: DepartementContext, n: number): string {
  const b = Buffer.alloc(8)
  writeIdentifier(b, 0, ctx, n)
  return b.toString('latin1')
}

function entry (pool: Pool, i: number): Readonly<Record<string, string>> {
  return pool.values[i] ?? {}
}

/** The values of person `p`'s detail record, as written (cased, cut), blank fields as ''. */
export function personValues (ctx: DepartementContext, p: PersonDraw): Record<string, string> {
  const nir = makeNir(p.sex, p.birthYear, p.birthMonth, p.nirRank)
  const date = (day: number): string => day >= 0 ? compactFromDay(day) : ''
  const blankIf = (cond: boolean, fields: string[]): Record<string, string> => cond ? Object.fromEntries(fields.map((k) => [k, ''])) : {}
  return {
    TYPE_ENREGISTREMENT: 'D',
    NIR: nir,
    ...entry(p.longSurname ? ctx.surnames.long : ctx.surnames.birth, p.surname),
    NOM_MARITAL: p.married >= 0 ? entry(ctx.surnames.married, p.married).NOM_MARITAL ?? '' : '',
    ...entry(ctx.firstNames[p.sex], p.firstName),
    DATE_NAISSANCE: compactFromDay(p.birthDay),
    STATUT_CERTIFICATION_IDENTITE: p.certified ? 'O' : 'N',
    CODE_INSEE_RESIDENCE: p.commune >= 0 ? entry(ctx.communes.pool, p.commune).CODE_INSEE_RESIDENCE ?? '' : '',
    NUMERO_ALLOCATAIRE_CAF: p.caf >= 0 ? digits(p.caf, 7) : '',
    NUMERO_ALLOCATAIRE_MSA: p.msa ? nir : '',
    DATE_DEBUT_IDE: date(p.registrationDay),
    ...entry(ctx.category.pool, p.category),
    CODE_INSTITUTION_PE: ctx.zone,
    IDENTIFIANT_PE: identifierText(ctx, p.identifier),
    ...entry(ctx.situation.pool, p.situation),
    DATE_CESSATION_IDE: p.end === 1 ? date(p.endDay) : '',
    ...(p.end === 1 ? entry(ctx.cessation.pool, p.endMotif) : blankIf(true, ['MOTIF_CESSATION_IDE', 'LIBELLE_MOTIF_CESSATION_IDE'])),
    DATE_RADIATION: p.end === 2 ? date(p.endDay) : '',
    ...(p.end === 2 ? entry(ctx.radiation.pool, p.endMotif) : blankIf(true, ['MOTIF_RADIATION', 'LIBELLE_MOTIF_RADIATION'])),
    ...entry(ctx.principal, p.principal),
    ...(p.delegated >= 0 ? entry(ctx.delegated, p.delegated) : blankIf(true, Object.keys(entry(ctx.delegated, 0)))),
    ...entry(ctx.training.pool, p.training),
    ...entry(ctx.sector.pool, p.sector),
    ...entry(ctx.rome.pool, p.rome),
    ...entry(ctx.adviser, p.adviser),
    DATE_SIGNATURE_PPAE: date(p.ppaeDay),
    DATE_NOTIFICATION_PPAE_CER: date(p.cerDay),
    ...entry(ctx.axis.pool, p.axis),
    ...entry(ctx.modality.pool, p.modality),
    DATE_DERNIER_CONTACT: date(p.contactDay),
    FILLER: ''
  }
}
