import { CESSATION_CATEGORY_RULES } from '../../generators/employment.js'
import { makeNir, NirRanks, writeNir } from '../../generators/nir.js'
import { compactFromDay, dayFromYmd, minusYears } from '../layouts/dates.js'
import type { DepartementContext } from './context.js'
import { writePoolEntry, type Pool } from './pools.js'
import type { Rng } from './rng.js'
import { digits, monthOfDay, writeDate, writeDigits, yearOfDay } from './write.js'

/**
 * One person of a population, as the choices that make it (indices into the
 * pools, day numbers). drawPerson() makes the choices from the person's own
 * random stream; writePerson() turns them into the bytes of a detail record;
 * personValues() into the field values, for tests, samples and CGPEM files.
 *
 * A PersonDraw is also the state of one stream of people drawn 0, 1, 2… in
 * order: the NIR ranks already given (see generators/nir.ts). Every consumer
 * that draws people 0..n-1 of the same inputs thus gives each the same NIR.
 */
export class PersonDraw {
  index = 0
  sex: 1 | 2 = 1
  birthDay = 0
  birthYear = 0
  birthMonth = 0
  /** rank among the people of this stream of the same sex, birth year and month: the NIR's place and order */
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
  /** the index the next draw of this stream must have */
  next = 0
  readonly nirRanks = new NirRanks()
}

const NO_DISPENSE_AFTER = dayFromYmd(2011, 12, 31)
const DISPENSE_FROM = dayFromYmd(2003, 1, 1)
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ'

/** For a reference day, the first and last birth day of each age 0–80: computed once, used for every person. */
const ageBoundsCache = new Map<number, Int32Array>()

function ageBounds (referenceDay: number): Int32Array {
  let b = ageBoundsCache.get(referenceDay)
  if (!b) {
    b = new Int32Array(162)
    for (let age = 0; age <= 80; age++) {
      b[age * 2] = minusYears(referenceDay, age + 1) + 1
      b[age * 2 + 1] = minusYears(referenceDay, age)
    }
    if (ageBoundsCache.size > 64) ageBoundsCache.clear()
    ageBoundsCache.set(referenceDay, b)
  }
  return b
}

/** Ages of RSA beneficiaries: 18–24 for the `young` share, else 25–64 weighted towards 30–50. */
function drawBirthDay (rng: Rng, ctx: DepartementContext, referenceDay: number): number {
  const young = rng.chance(ctx.mix.young)
  const age = young ? rng.between(18, 24) : 25 + Math.floor((rng.float() + rng.float()) * 20)
  const b = ageBounds(referenceDay)
  return rng.between(b[age * 2] as number, b[age * 2 + 1] as number)
}

/** 18 years and a day at most after birth: 18 × 365.25 rounded up (never before the 18th birthday). */
const ADULT_DAYS = 6575

/**
 * Fills `p` with person `index`. `daily` draws a new entrant of a daily flux
 * (registered in the last days, no end, no PPAE yet for most).
 * People are drawn in order: index 0 starts a new stream, any other index
 * must follow the previous one (a person's NIR depends on those before it).
 */
export function drawPerson (rng: Rng, ctx: DepartementContext, index: number, referenceDay: number, p: PersonDraw, daily = false): void {
  if (index === 0) p.nirRanks.clear()
  else if (index !== p.next) throw new RangeError(`drawPerson: person ${index} drawn after person ${p.next - 1}; people are drawn in order from 0`)
  p.next = index + 1
  const mix = ctx.mix
  p.index = index
  p.sex = rng.chance(0.5) ? 2 : 1
  p.birthDay = drawBirthDay(rng, ctx, referenceDay)
  p.birthYear = yearOfDay(p.birthDay)
  p.birthMonth = monthOfDay(p.birthDay)
  p.nirRank = p.nirRanks.take(p.sex, p.birthYear, p.birthMonth, ctx.departement.code, index)
  p.longSurname = rng.chance(mix.longNames)
  p.surname = rng.int(p.longSurname ? ctx.surnames.long.size : ctx.surnames.birth.size)
  p.married = rng.chance(mix.marriedName * (p.sex === 2 ? 1.8 : 0.2)) ? rng.int(ctx.surnames.married.size) : -1
  p.firstName = rng.int(ctx.firstNames[p.sex].size)
  p.certified = rng.chance(mix.certified)
  p.commune = rng.chance(mix.crossBorder) ? -1 : ctx.communes.index.pick(rng)
  p.caf = rng.chance(mix.caf) ? (index * 7_919 + ctx.key) % 10_000_000 : -1
  p.msa = rng.chance(mix.msa)
  p.identifier = (index * 3_331 + (ctx.key & 0xffff)) % 10_000_000

  const adult = p.birthDay + ADULT_DAYS
  let category = ctx.category.index.pick(rng)
  const dispensed = ctx.category.keys[category] === 'dispense'
  if (daily) {
    p.registrationDay = referenceDay - rng.int(7)
    if (dispensed) category = 0
  } else if (dispensed && adult <= NO_DISPENSE_AFTER) {
    p.registrationDay = rng.between(Math.max(adult, DISPENSE_FROM), NO_DISPENSE_AFTER)
  } else {
    if (dispensed) category = 0
    p.registrationDay = rng.between(Math.max(adult, referenceDay - 2_200), referenceDay)
  }
  p.category = category
  p.situation = ctx.situation.index.pick(rng)

  p.end = 0
  p.endDay = -1
  if (!daily && p.registrationDay < referenceDay) {
    const x = rng.float()
    if (x < mix.cessation) p.end = 1
    else if (x < mix.cessation + mix.radiation) p.end = 2
  }
  if (p.end === 1) p.endMotif = drawCessationMotif(rng, ctx, ctx.category.keys[category] ?? '')
  else if (p.end === 2) p.endMotif = ctx.radiation.index.pick(rng)
  if (p.end !== 0) p.endDay = rng.between(p.registrationDay + 1, referenceDay)
  const last = p.end !== 0 ? p.endDay : referenceDay

  p.principal = rng.int(ctx.principal.size)
  p.delegated = ctx.delegated.size > 0 && rng.chance(mix.delegated) ? rng.int(ctx.delegated.size) : -1
  p.training = ctx.training.index.pick(rng)
  p.sector = ctx.sector.index.pick(rng)
  p.rome = ctx.rome.index.pick(rng)
  p.adviser = rng.int(ctx.adviser.size)
  p.axis = ctx.axis.index.pick(rng)
  p.modality = ctx.modality.index.pick(rng)

  // birth < registration ≤ PPAE ≤ CER ≤ last contact ≤ end or reference
  p.ppaeDay = daily && rng.chance(0.7) ? -1 : rng.between(p.registrationDay, Math.min(last, p.registrationDay + 90))
  p.cerDay = p.ppaeDay >= 0 && rng.chance(mix.cer) ? rng.between(p.ppaeDay, Math.min(last, p.ppaeDay + 60)) : -1
  const from = Math.max(p.ppaeDay, p.cerDay, p.registrationDay)
  p.contactDay = rng.between(from, last)
}

function drawCessationMotif (rng: Rng, ctx: DepartementContext, category: string): number {
  for (;;) {
    const i = ctx.cessation.index.pick(rng)
    const only = CESSATION_CATEGORY_RULES.get(ctx.cessation.pool.values[i]?.MOTIF_CESSATION_IDE ?? '')
    if (!only || only.includes(category)) return i
  }
}

/** Writes person `p` as a detail record at `at` (the template is copied first). */
export function writePerson (out: Buffer, at: number, ctx: DepartementContext, p: PersonDraw): void {
  out.set(ctx.template, at)
  const f = ctx.at
  writeNir(out, at + f.NIR.offset, p.sex, p.birthYear, p.birthMonth, p.nirRank)
  writePoolEntry(out, at, p.longSurname ? ctx.surnames.long : ctx.surnames.birth, p.surname)
  if (p.married >= 0) writePoolEntry(out, at, ctx.surnames.married, p.married)
  writePoolEntry(out, at, ctx.firstNames[p.sex], p.firstName)
  writeDate(out, at + f.DATE_NAISSANCE.offset, p.birthDay)
  out[at + f.STATUT_CERTIFICATION_IDENTITE.offset] = p.certified ? 0x4F : 0x4E
  if (p.commune >= 0) writePoolEntry(out, at, ctx.communes.pool, p.commune)
  if (p.caf >= 0) writeDigits(out, at + f.NUMERO_ALLOCATAIRE_CAF.offset, p.caf, 7)
  if (p.msa) writeNir(out, at + f.NUMERO_ALLOCATAIRE_MSA.offset, p.sex, p.birthYear, p.birthMonth, p.nirRank)
  writeDate(out, at + f.DATE_DEBUT_IDE.offset, p.registrationDay)
  writePoolEntry(out, at, ctx.category.pool, p.category)
  writeIdentifier(out, at + f.IDENTIFIANT_PE.offset, ctx, p.identifier)
  writePoolEntry(out, at, ctx.situation.pool, p.situation)
  if (p.end === 1) {
    writeDate(out, at + f.DATE_CESSATION_IDE.offset, p.endDay)
    writePoolEntry(out, at, ctx.cessation.pool, p.endMotif)
  } else if (p.end === 2) {
    writeDate(out, at + f.DATE_RADIATION.offset, p.endDay)
    writePoolEntry(out, at, ctx.radiation.pool, p.endMotif)
  }
  writePoolEntry(out, at, ctx.principal, p.principal)
  if (p.delegated >= 0) writePoolEntry(out, at, ctx.delegated, p.delegated)
  writePoolEntry(out, at, ctx.training.pool, p.training)
  writePoolEntry(out, at, ctx.sector.pool, p.sector)
  writePoolEntry(out, at, ctx.rome.pool, p.rome)
  writePoolEntry(out, at, ctx.adviser, p.adviser)
  if (p.ppaeDay >= 0) writeDate(out, at + f.DATE_SIGNATURE_PPAE.offset, p.ppaeDay)
  if (p.cerDay >= 0) writeDate(out, at + f.DATE_NOTIFICATION_PPAE_CER.offset, p.cerDay)
  writePoolEntry(out, at, ctx.axis.pool, p.axis)
  writePoolEntry(out, at, ctx.modality.pool, p.modality)
  writeDate(out, at + f.DATE_DERNIER_CONTACT.offset, p.contactDay)
}

/** IDENTIFIANT_PE: 7 digits and a letter, or 8 digits in the départements that use them (Annexe 4). */
function writeIdentifier (out: Buffer, at: number, ctx: DepartementContext, n: number): void {
  if (ctx.eightDigits) {
    writeDigits(out, at, n + 10_000_000 * (1 + (n % 9)), 8)
  } else {
    writeDigits(out, at, n, 7)
    out[at + 7] = LETTERS.charCodeAt(n % LETTERS.length)
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
