import { compactFromDay } from '../layouts/dates.js'
import { FICTITIOUS_PLACE_MAX, FICTITIOUS_PLACE_MIN, NIR_RANKS_PER_BUCKET } from '../../generators/nir.js'
import { DISPENSE_MIN_AGE, DISPENSE_UNTIL, OLDEST_AGE, RETIREMENT_AGE, type RuleTable } from '../../generators/rules.js'
import type { DepartementContext } from './context.js'
import * as K from './kernel-shared.js'
import type { Population } from './person.js'
import type { Pool } from './pools.js'
import type { WeightedIndex } from './rng.js'
import { STOCK_KERNEL_WASM } from './stock-kernel-wasm.js'
import type { WorkCalendar } from './timeline.js'

/**
 * A monthly stock's people made in WebAssembly: the kernel
 * (kernel/stock.ts, AssemblyScript, compiled by scripts/build-kernel.mjs)
 * makes the records of a range of slots as Population#stock and
 * writePersonFields make them, the same draws and the same bytes, from an
 * image of the département's context in its memory. Why: the generator in
 * TypeScript spends its first 30,000 records or so in V8's interpreter, on
 * each thread, before TurboFan's code arrives (docs/performance.md), and a
 * million records a fifth of their time so; the kernel's code is compiled
 * before the first record. The TypeScript generator stays the reference
 * (samples, movements, the daily flux, named individuals), and the tests
 * compare the kernel's bytes with it (test/generate/stock-kernel.test.ts).
 *
 * Each thread has its own instance (this module is loaded once a thread).
 * Its memory holds, once each, the images of the pools, indices, rule
 * tables, calendars and contexts it has been given, found again by their
 * content: it grows with the different départements and scenarios a thread
 * has made, never with the number of files.
 */

// What this module uses of the WebAssembly global (Node's; TypeScript declares it with the DOM's libraries only)
declare namespace WebAssembly {
  class Module { constructor (bytes: Uint8Array) }
  class Instance {
    constructor (module: Module, imports: Record<string, Record<string, (...args: number[]) => unknown>>)
    readonly exports: unknown
  }
  interface Memory { readonly buffer: ArrayBuffer }
}

interface KernelExports {
  memory: WebAssembly.Memory
  alloc: (size: number) => number
  writeStock: (context: number, populationStride: number, generations: number, from: number, to: number, day: number, out: number, stride: number) => void
  calendar: (bitmap: number, firstDay: number, days: number) => number
}

/** Bytes of an array as a key of the images by content, tagged with its kind. */
function contentKey (tag: string, a: ArrayBufferView): string {
  return `${tag}:${Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('latin1')}`
}

class StockKernel {
  private readonly exports: KernelExports
  private bytes: Uint8Array
  /** images by content (pools by their number in the table of entries, which is by content: pools.ts) */
  private readonly images = new Map<string, number>()
  /** per calendar, its block, and the room where the host writes the working days of a year the block does not hold */
  private readonly calendars = new WeakMap<WorkCalendar, { block: number, yearDays: number }>()
  private readonly populations = new WeakMap<Population, number>()
  /** the calendar the kernel asks the host about, for days and years its image does not hold */
  private calendar: WorkCalendar | null = null
  private yearDaysAt = 0
  private scratchAt = 0
  private scratchSize = 0
  /** buffer()s given back (release), taken again before any new one */
  private readonly spare: KernelBuffer[] = []

  constructor () {
    const module = new WebAssembly.Module(Buffer.from(STOCK_KERNEL_WASM, 'base64'))
    const instance = new WebAssembly.Instance(module, {
      env: {
        abort: () => { throw new Error('stock kernel: abort') },
        isWorkingDay: (day: number) => (this.calendar as WorkCalendar).isWorking(day),
        yearDays: (year: number) => {
          const days = (this.calendar as WorkCalendar).daysOf(year)
          new Int32Array(this.memory().buffer, this.yearDaysAt, 366).set(days)
          return days.length
        },
        writeDate: (to: number, day: number) => { Buffer.from(this.memory().buffer).write(compactFromDay(day), to, 8, 'latin1') }
      }
    })
    this.exports = instance.exports as KernelExports
    this.bytes = new Uint8Array(this.exports.memory.buffer)
  }

  /** The kernel's memory, as bytes (taken again after it grew). */
  memory (): Uint8Array {
    if (this.bytes.buffer !== this.exports.memory.buffer) this.bytes = new Uint8Array(this.exports.memory.buffer)
    return this.bytes
  }

  /** Copies `data` into the kernel's memory, 8-byte aligned: its address. */
  private place (data: ArrayBufferView): number {
    const at = this.exports.alloc(Math.max(8, data.byteLength))
    this.memory().set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at)
    return at
  }

  /** `data`'s image, once for each content. */
  private image (tag: string, data: ArrayBufferView): number {
    const key = contentKey(tag, data)
    let at = this.images.get(key)
    if (at === undefined) this.images.set(key, at = this.place(data))
    return at
  }

  private poolImage (pool: Pool): number {
    const key = `pool:${pool.base}`
    let at = this.images.get(key)
    if (at === undefined) {
      const bytes = this.place(pool.bytes)
      const used = this.place(pool.used)
      this.images.set(key, at = this.place(Int32Array.of(pool.offset, pool.width, bytes, used)))
    }
    return at
  }

  private indexImage (index: WeightedIndex): number {
    return this.image('index', Int32Array.of(index.size, index.slices, this.image('f64', index.cumulated), this.image('i32', index.guide)))
  }

  private rulesImage (rules: RuleTable): number {
    return this.image('rules', Int32Array.of(
      this.image('i32', rules.from), this.image('i32', rules.to), this.image('i32', rules.categories),
      this.image('i32', Int32Array.from(rules.sex)), this.image('i32', rules.minAge), this.image('i32', rules.maxAge)))
  }

  private calendarOf (calendar: WorkCalendar): { block: number, yearDays: number } {
    let image = this.calendars.get(calendar)
    if (image === undefined) {
      const block = this.exports.calendar(this.place(calendar.working), calendar.firstDay, calendar.working.length)
      // the block's eighth word (see calendar() in kernel/stock.ts)
      image = { block, yearDays: new Int32Array(this.memory().buffer, block, 8)[7] as number }
      this.calendars.set(calendar, image)
    }
    return image
  }

  /** The image of `population`'s context, made when first asked for. */
  contextOf (population: Population): number {
    let at = this.populations.get(population)
    if (at !== undefined) return at
    const ctx: DepartementContext = population.ctx
    const lives = population.lives
    const w = new Int32Array(K.C_WORDS)
    w[K.C_SEED] = ctx.scenario.seed | 0
    w[K.C_KEY] = ctx.key | 0
    for (const [process, base] of [[lives.entries, K.C_ENTRIES_KEY], [lives.moves, K.C_MOVES_KEY]] as const) {
      w[base] = process.key | 0
      w[base + 1] = process.none | 0
      w[base + 2] = process.two | 0
      w[base + 3] = process.three | 0
    }
    w[K.C_CALENDAR] = this.calendarOf(lives.calendar).block
    w[K.C_ODDS] = this.image('f64', ctx.odds)
    w[K.C_FIRST_START] = lives.firstStart
    w[K.C_CATEGORY_BLANK] = ctx.category.blank
    w[K.C_ADVISERS] = ctx.adviser.size
    w[K.C_DELEGATED] = ctx.delegated.size
    w[K.C_SITUATION_FALLBACK] = ctx.situation.fallback
    w[K.C_CESSATION_FALLBACK] = ctx.cessation.fallback
    w[K.C_RADIATION_FALLBACK] = ctx.radiation.fallback
    w[K.C_RETIREMENT] = ctx.cessation.retirement
    w[K.C_DEATH] = ctx.cessation.death
    w[K.C_AGENCY_OF_COMMUNE] = this.image('i32', ctx.agencyOfCommune)
    w[K.C_EIGHT_DIGITS] = ctx.eightDigits ? 1 : 0
    w[K.C_LONG_SIZE] = ctx.surnames.long.size
    w[K.C_BIRTH_SIZE] = ctx.surnames.birth.size
    w[K.C_MARRIED_SIZE] = ctx.surnames.married.size
    w[K.C_FIRST1_SIZE] = ctx.firstNames[1].size
    w[K.C_FIRST2_SIZE] = ctx.firstNames[2].size
    w[K.C_NIR_RANKS] = NIR_RANKS_PER_BUCKET
    w[K.C_NIR_FIRST_PLACE] = FICTITIOUS_PLACE_MIN
    w[K.C_NIR_PLACES] = FICTITIOUS_PLACE_MAX - FICTITIOUS_PLACE_MIN + 1
    w[K.C_RETIREMENT_AGE] = RETIREMENT_AGE
    w[K.C_OLDEST_AGE] = OLDEST_AGE
    w[K.C_DISPENSE_MIN_AGE] = DISPENSE_MIN_AGE
    w[K.C_DISPENSE_UNTIL] = DISPENSE_UNTIL
    const indices = [
      [K.C_W_CATEGORY, ctx.category.index], [K.C_W_TRAINING, ctx.training.index], [K.C_W_SECTOR, ctx.sector.index], [K.C_W_ROME, ctx.rome.index],
      [K.C_W_AXIS, ctx.axis.index], [K.C_W_MODALITY, ctx.modality.index], [K.C_W_COMMUNES, ctx.communes.index], [K.C_W_SITUATION, ctx.situation.index],
      [K.C_W_CESSATION, ctx.cessation.index], [K.C_W_RADIATION, ctx.radiation.index]
    ] as const
    for (const [i, index] of indices) w[i] = this.indexImage(index)
    w[K.C_R_SITUATION] = this.rulesImage(ctx.situation.rules)
    w[K.C_R_CESSATION] = this.rulesImage(ctx.cessation.rules)
    w[K.C_R_RADIATION] = this.rulesImage(ctx.radiation.rules)
    const pools = [
      [K.C_P_LONG, ctx.surnames.long], [K.C_P_BIRTH, ctx.surnames.birth], [K.C_P_MARRIED, ctx.surnames.married], [K.C_P_FIRST1, ctx.firstNames[1]],
      [K.C_P_FIRST2, ctx.firstNames[2]], [K.C_P_COMMUNES, ctx.communes.pool], [K.C_P_CATEGORY, ctx.category.pool], [K.C_P_SITUATION, ctx.situation.pool],
      [K.C_P_CESSATION, ctx.cessation.pool], [K.C_P_RADIATION, ctx.radiation.pool], [K.C_P_PRINCIPAL, ctx.principal], [K.C_P_DELEGATED, ctx.delegated],
      [K.C_P_TRAINING, ctx.training.pool], [K.C_P_SECTOR, ctx.sector.pool], [K.C_P_ROME, ctx.rome.pool], [K.C_P_ADVISER, ctx.adviser],
      [K.C_P_AXIS, ctx.axis.pool], [K.C_P_MODALITY, ctx.modality.pool]
    ] as const
    for (const [i, pool] of pools) w[i] = this.poolImage(pool)
    const f = ctx.at
    const fields = [
      [K.C_AT_NIR, f.NIR], [K.C_AT_BIRTH, f.DATE_NAISSANCE], [K.C_AT_CERTIFIED, f.STATUT_CERTIFICATION_IDENTITE], [K.C_AT_CAF, f.NUMERO_ALLOCATAIRE_CAF],
      [K.C_AT_MSA, f.NUMERO_ALLOCATAIRE_MSA], [K.C_AT_START, f.DATE_DEBUT_IDE], [K.C_AT_IDENTIFIER, f.IDENTIFIANT_PE], [K.C_AT_CESSATION, f.DATE_CESSATION_IDE],
      [K.C_AT_RADIATION, f.DATE_RADIATION], [K.C_AT_PPAE, f.DATE_SIGNATURE_PPAE], [K.C_AT_CER, f.DATE_NOTIFICATION_PPAE_CER], [K.C_AT_CONTACT, f.DATE_DERNIER_CONTACT]
    ] as const
    for (const [i, field] of fields) w[i] = field.offset
    at = this.image('context', w)
    this.populations.set(population, at)
    return at
  }

  /** Whether `out` lies in the kernel's memory (writeStock() writes there in place). */
  holds (out: Uint8Array): boolean {
    return out.buffer === this.exports.memory.buffer
  }

  /**
   * `size` bytes of the kernel's memory to make `population`'s records in,
   * when the caller's buffer is not there (then copied to it once made, see
   * writeSlots): the same room from one call to the next, valid until the
   * next call (its images are made first, which may grow the memory and take
   * every view of it away).
   */
  scratchFor (population: Population, size: number): Buffer {
    this.contextOf(population)
    if (size > this.scratchSize) {
      this.scratchAt = this.exports.alloc(size)
      this.scratchSize = size
    }
    return Buffer.from(this.memory().buffer, this.scratchAt, size)
  }

  /**
   * Writes the records of slots `from` to `to` (excluded) of `population`'s
   * stock of `day` at `at` of `out`, `stride` bytes apart: `out` lies in the
   * kernel's memory (a KernelBuffer's bytes, or scratchFor()'s) and holds their
   * template already (writeSlots).
   */
  writeStock (population: Population, day: number, from: number, to: number, out: Uint8Array, at: number, stride: number): void {
    const context = this.contextOf(population)
    if (!this.holds(out)) throw new RangeError('StockKernel#writeStock: a buffer outside the kernel\'s memory')
    this.calendar = population.lives.calendar
    this.yearDaysAt = this.calendarOf(this.calendar).yearDays
    this.exports.writeStock(context, population.stride, population.generations, from, to, day, out.byteOffset + at, stride)
  }

  /**
   * `size` bytes of the kernel's memory for records, kept: a writer that
   * fills the same buffers task after task (pecgm-parallel.ts) gives them to
   * writeStock() without a copy. Its bytes are taken again from `bytes()`
   * after any image is made (the memory may have grown, which takes every
   * view of it away).
   */
  buffer (size: number): KernelBuffer {
    // one given back (release) that holds `size`, else a new one: the memory never gives room back
    const i = this.spare.findIndex((b) => b.size >= size)
    if (i >= 0) return this.spare.splice(i, 1)[0] as KernelBuffer
    return new KernelBuffer(this, this.exports.alloc(size), size)
  }

  /**
   * Gives back a buffer() its writer is done with (its file written or given
   * up), for the next writer's buffer(): a writer a file took new ones, and
   * the memory grew with the number of files written.
   */
  release (buffer: KernelBuffer): void {
    if (!this.spare.includes(buffer)) this.spare.push(buffer)
  }
}

export class KernelBuffer {
  private view: Buffer = Buffer.alloc(0)

  constructor (private readonly kernel: StockKernel, readonly address: number, readonly size: number) {}

  /** Its bytes, as a Buffer over the kernel's memory as it is now. */
  bytes (): Buffer {
    const memory = this.kernel.memory()
    if (this.view.buffer !== memory.buffer) this.view = Buffer.from(memory.buffer, this.address, this.size)
    return this.view
  }
}

let kernel: StockKernel | null = null
let enabled = true

/** This thread's kernel, made when first asked for; null when it is switched off (useStockKernel). */
export function stockKernel (): StockKernel | null {
  if (!enabled) return null
  kernel ??= new StockKernel()
  return kernel
}

/** Switches the kernel on or off for this thread (the tests compare both ways); what it was. */
export function useStockKernel (on: boolean): boolean {
  const was = enabled
  enabled = on
  return was
}

export type { StockKernel }
