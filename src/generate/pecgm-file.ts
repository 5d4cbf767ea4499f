import { encodeRecord, encodeRecordInto } from '../layouts/engine.js'
import { compactFromDay } from '../layouts/dates.js'
import { departementField, getPecgmLayouts } from '../layouts/pecgm.js'
import type { Individual, Scenario } from '../scenarios/model.js'
import { PhebusError } from '../errors.js'
import { findDepartement } from '../scenarios/model.js'
import { buildDepartementContext, type DepartementContext } from './context.js'
import { PersonDraw, personValues, Population, writePerson, writePersonFields } from './person.js'
import { emptyRegistration, type Registration } from './timeline.js'
import { stockKernel } from './stock-kernel.js'
import { viewOf } from './write.js'

/**
 * A whole PECGM file as a sequence of chunks (header, details, footer),
 * made on demand: memory stays flat whatever the number of records, and the
 * same inputs give the same bytes.
 */

export type Periodicity = 'M' | 'Q'

export interface PecgmRequest {
  scenario: Scenario
  departement: string
  /** the reference date (day number) */
  referenceDay: number
  /** the day the file is made (defaults to the reference day, so output depends on inputs only) */
  fabricationDay?: number
  periodicity?: Periodicity
  /** overrides the population size: the number of people in a stock (a daily flux holds the entrants of a population that size) */
  records?: number
  /** overrides the scenario's seed */
  seed?: number
  /** bytes per chunk (about) */
  chunkSize?: number
  /**
   * Cycle through this many output buffers instead of allocating one per
   * chunk: a chunk then stays valid only until `ring - 1` more chunks have
   * been taken. For consumers that are done with a chunk by then (see
   * writeFileAtomically); writing into warm memory is about twice as fast.
   */
  ring?: number
}

const TERMINATORS = { LF: Buffer.from('\n'), CRLF: Buffer.from('\r\n'), none: Buffer.alloc(0) } as const

export interface PecgmPlan {
  context: DepartementContext
  /** the population: its size is the number of records of a stock */
  population: Population
  /** people in the population (a stock's records) */
  count: number
  periodicity: Periodicity
  referenceDay: number
  fabricationDay: number
  terminator: Buffer
  individuals: readonly Individual[]
}

/** Checks the request and builds what every record shares. */
export function planPecgm (req: PecgmRequest): PecgmPlan {
  const base = req.seed === undefined ? req.scenario : { ...req.scenario, seed: req.seed }
  const departement = findDepartement(base, req.departement)
  if (!departement) {
    throw new PhebusError('PHEBUS_SCENARIO_UNKNOWN_DEPARTEMENT',
      `Le département ${req.departement} n'est pas dans le scénario ${base.name} (départements : ${base.departements.map((d) => d.code).join(', ')}).`)
  }
  const periodicity = req.periodicity ?? 'M'
  const context = buildDepartementContext(base, departement)
  const individuals = base.individuals.filter((i) => i.departement === departement.code)
  const count = req.records ?? departement.population
  return {
    context,
    population: new Population(context, count),
    count,
    periodicity,
    referenceDay: req.referenceDay,
    fabricationDay: req.fabricationDay ?? req.referenceDay,
    terminator: TERMINATORS[base.pecgm.terminator],
    individuals
  }
}

/** The values of the named edge-case individual at `index` of the population, merged over what was drawn for it. */
export function individualValues (plan: PecgmPlan, p: PersonDraw, individual: Individual): Record<string, string> {
  const merged: Record<string, string> = personValues(plan.context, p)
  const given = (group: readonly string[]): boolean => group.some((k) => k in individual.fields)
  // an individual given a cessation is not also radiated by the draw, and the other way round
  if (given(CESSATION_FIELDS)) for (const k of RADIATION_FIELDS) merged[k] = ''
  if (given(RADIATION_FIELDS)) for (const k of CESSATION_FIELDS) merged[k] = ''
  for (const [k, v] of Object.entries(individual.fields)) merged[k] = v ?? ''
  return merged
}

const CESSATION_FIELDS = ['DATE_CESSATION_IDE', 'MOTIF_CESSATION_IDE', 'LIBELLE_MOTIF_CESSATION_IDE'] as const
const RADIATION_FIELDS = ['DATE_RADIATION', 'MOTIF_RADIATION', 'LIBELLE_MOTIF_RADIATION'] as const

/** `plan`: the one planPecgm(req) made, when the caller already has it (building a context is the costly part of a start). */
export function * pecgmChunks (req: PecgmRequest, plan: PecgmPlan = planPecgm(req)): Generator<Buffer> {
  const { context: ctx, terminator } = plan
  const layouts = getPecgmLayouts(ctx.scenario.pecgm.version)
  const stride = layouts.detail.length + terminator.length
  const perChunk = Math.max(1, Math.floor((req.chunkSize ?? 1 << 20) / stride))

  yield frameRecord(pecgmFrame(plan), 'header', plan.count)

  const p = new PersonDraw()
  const ring = req.ring !== undefined && req.ring > 0 ? Array.from({ length: req.ring }, () => Buffer.allocUnsafe(perChunk * stride)) : null
  let turn = 0
  let slot = 0
  let written = 0
  // a stock lists every slot; a daily flux the slots whose registration begins that day (never an individual's: they are pinned)
  while (slot < plan.count) {
    const out = ring ? (ring[turn++ % ring.length] as Buffer) : Buffer.allocUnsafe(perChunk * stride)
    const view = viewOf(out)
    let k = 0
    if (plan.periodicity === 'M') {
      // a stock: the chunk's slots, each a record
      k = writeSlots(plan, out, slot, Math.min(plan.count, slot + perChunk), p, view)
      slot += k
    } else {
      for (; k < perChunk && slot < plan.count; slot++) {
        if (writeSlot(plan, out, k * stride, slot, p, view)) k++
      }
    }
    written += k
    if (k > 0) yield out.subarray(0, k * stride)
  }

  yield frameRecord(pecgmFrame(plan), 'footer', written)
}

/**
 * The detail record of slot `slot` at `at` of `out`, with its terminator,
 * when the file lists that slot (every one in a stock, the day's entrants in
 * a daily flux): whether it wrote one. `p` is scratch; `view`, viewOf(out)
 * (see writePerson).
 */
export function writeSlot (plan: PecgmPlan, out: Buffer, at: number, slot: number, p: PersonDraw, view: DataView): boolean {
  const ctx = plan.context
  const detail = ctx.layouts.detail
  if (plan.periodicity === 'Q') {
    if (slot < plan.individuals.length || !plan.population.entrant(slot, plan.referenceDay, p)) return false
    writePerson(out, at, ctx, p, view)
  } else {
    plan.population.stock(slot, plan.referenceDay, p)
    if (slot < plan.individuals.length) encodeRecordInto(out, at, detail, individualValues(plan, p, plan.individuals[slot] as Individual), { upper: ctx.upper })
    else writePerson(out, at, ctx, p, view)
  }
  const terminator = plan.terminator
  for (let b = 0; b < terminator.length; b++) out[at + detail.length + b] = terminator[b] as number
  return true
}

/**
 * The detail records of slots `from` to `to` (excluded) written from the
 * start of `out`, which holds `to - from` records: how many (all of them in
 * a stock, the day's entrants in a daily flux). Slots are
 * independent of each other, so ranges can be written in any order, by any
 * thread, and put end to end (pecgm-parallel.ts). `view`: viewOf(out), taken
 * by the caller once per buffer: taken here, a buffer seen for the first time
 * after V8 had compiled this function cost each thread a deoptimisation.
 */
export function writeSlots (plan: PecgmPlan, out: Buffer, from: number, to: number, p: PersonDraw, view: DataView): number {
  const ctx = plan.context
  const stride = ctx.layouts.detail.length + plan.terminator.length
  if (plan.periodicity !== 'M') {
    let k = 0
    for (let slot = from; slot < to; slot++) if (writeSlot(plan, out, k * stride, slot, p, view)) k++
    return k
  }
  // a stock: a record for every slot. Every record's template and terminator first, in a few copies (each doubles
  // what is there, where one copy a record was a call a record); then the named individuals, whole, then the others
  const bytes = Math.max(0, to - from) * stride
  if (bytes === 0) return 0
  // made by the stock kernel (stock-kernel.ts) in its memory: in `out` when it lies there (pecgm-parallel.ts), else in
  // the kernel's room for it, then copied to `out` once
  const kernel = stockKernel()
  const into = kernel === null || kernel.holds(out) ? out : kernel.scratchFor(plan.population, bytes)
  const intoView = into === out ? view : viewOf(into)
  into.set(ctx.template, 0)
  plan.terminator.copy(into, ctx.layouts.detail.length)
  for (let done = stride; done < bytes; done *= 2) into.copyWithin(done, 0, Math.min(done, bytes - done))
  let slot = from
  for (; slot < to && slot < plan.individuals.length; slot++) writeSlot(plan, into, (slot - from) * stride, slot, p, intoView)
  if (kernel === null) {
    // the generator in TypeScript, a batch at a time
    for (; slot < to; slot += BATCH) writeBatch(plan, into, (slot - from) * stride, slot, Math.min(to, slot + BATCH), intoView)
  } else {
    if (slot < to) kernel.writeStock(plan.population, plan.referenceDay, slot, to, into, (slot - from) * stride, stride)
    if (into !== out) out.set(into)
  }
  return to - from
}

/** People a stock's writer makes at once (writeBatch): the scratch of a task of 256 KiB (pecgm-parallel.ts), 218 records. */
const BATCH = 256
/** writeBatch's scratch: a thread's (each has its own copy of this module) */
const batchPeople = Array.from({ length: BATCH }, () => new PersonDraw())
const batchRegistrations = Array.from({ length: BATCH }, () => emptyRegistration())

/**
 * The stock's records of slots `from` to `to` (BATCH at most, none an
 * individual's) at `at` of `out`, which holds their template already, as the
 * generator in TypeScript makes them, the stock kernel's reference: each
 * step for every slot before the next (the registration of each, then the
 * identities, the registrations' draws, the records' fields). Each loop runs
 * one function, whose code and type feedback stay hot from one person to
 * the next, where a person made whole, then the next, ran them all in turn:
 * with the template copied a task at a time, `generate` of a million
 * records 7 % sooner, 9 % less processor time, the same bytes
 * (docs/performance.md).
 */
function writeBatch (plan: PecgmPlan, out: Buffer, at: number, from: number, to: number, view: DataView): void {
  const { context: ctx, population, referenceDay: day } = plan
  const stride = ctx.layouts.detail.length + plan.terminator.length
  const lives = population.lives
  const n = to - from
  for (let k = 0; k < n; k++) lives.at(from + k, day, batchRegistrations[k] as Registration)
  for (let k = 0; k < n; k++) population.fillIdentity(from + k, batchRegistrations[k] as Registration, batchPeople[k] as PersonDraw)
  for (let k = 0; k < n; k++) population.fillRegistration(batchRegistrations[k] as Registration, day, batchPeople[k] as PersonDraw)
  for (let k = 0; k < n; k++) writePersonFields(out, at + k * stride, ctx, batchPeople[k] as PersonDraw, view)
}

/** The header's and footer's inputs of a plan. */
export function pecgmFrame (plan: PecgmPlan): PecgmFrame {
  const ctx = plan.context
  return { scenario: ctx.scenario, departement: ctx.departement.code, periodicity: plan.periodicity, referenceDay: plan.referenceDay, fabricationDay: plan.fabricationDay }
}

/** What the header and footer of a PECGM say. */
export interface PecgmFrame {
  scenario: Scenario
  departement: string
  periodicity: Periodicity
  referenceDay: number
  fabricationDay: number
}

/** The header (E) or footer (F) record of a file, with its terminator. */
export function frameRecord (frame: PecgmFrame, which: 'header' | 'footer', details: number): Buffer {
  const layouts = getPecgmLayouts(frame.scenario.pecgm.version)
  const terminator = TERMINATORS[frame.scenario.pecgm.terminator]
  const dept = departementField(frame.departement)
  const ref = compactFromDay(frame.referenceDay)
  const layout = which === 'header' ? layouts.header : layouts.footer
  const out = Buffer.alloc(layout.length + terminator.length)
  encodeRecordInto(out, 0, layout, which === 'header'
    ? { TYPE_ENREGISTREMENT: 'E', FICHIER: 'PECG', PERIODICITE: frame.periodicity, DEPARTEMENT: dept, DATE_REFERENCE: ref, DATE_FABRICATION: compactFromDay(frame.fabricationDay), VERSION: layouts.version }
    : { TYPE_ENREGISTREMENT: 'F', DEPARTEMENT: dept, DATE_REFERENCE: ref, NB_ENREGISTREMENTS: String(details) })
  terminator.copy(out, layout.length)
  return out
}

/** A whole PECGM from ready detail values (a few thousand at most: each goes through encodeRecord). */
export function pecgmFromDetails (frame: PecgmFrame, details: readonly Readonly<Record<string, string>>[]): Buffer {
  const layouts = getPecgmLayouts(frame.scenario.pecgm.version)
  const terminator = TERMINATORS[frame.scenario.pecgm.terminator]
  const upper = frame.scenario.pecgm.case === 'upper'
  const body = details.map((d) => Buffer.concat([encodeRecord(layouts.detail, { ...d, TYPE_ENREGISTREMENT: 'D' }, { upper }), terminator]))
  return Buffer.concat([frameRecord(frame, 'header', details.length), ...body, frameRecord(frame, 'footer', details.length)])
}

/** Decision D9: PECGM_<dept>_<M|Q>_<reference>_<made>.txt, a sequence number before the extension when taken. */
export function pecgmFileName (departement: string, periodicity: Periodicity, referenceDay: number, fabricationDay: number, sequence = 1): string {
  const base = `PECGM_${departement}_${periodicity}_${compactFromDay(referenceDay)}_${compactFromDay(fabricationDay)}`
  return sequence > 1 ? `${base}_${sequence}.txt` : `${base}.txt`
}
