import { firstOfMonth } from '../../layouts/dates.js'
import { calendarDay, instantOf, type Zone } from '../../clock.js'
import { firstWorkingDayOfMonth, isWorkingDay } from '../../calendar.js'
import { pecgmFileName, type Periodicity } from '../../generate/pecgm-file.js'
import { departementFor, findDepartement, type Departement, type Scenario } from '../../scenarios/model.js'
import { communesOf } from '../../../generators/geography.js'
import type { StoredFile } from '../../storage/files.js'
import type { TempFile } from '../../storage/file-store.js'
import { createReadStream } from 'node:fs'
import { DamageError, PecgmDamager, type DamageResult } from '../../faults/damage.js'
import { ServerError } from '../errors.js'
import { storedChunks, type DamageOrder, type FaultService } from './faults.js'
import { systemEntry, type FileService } from './files.js'

export interface DepositRequest {
  departement: string
  periodicity: Periodicity
  referenceDay: number
  fabricationDay: number
  records?: number
  /** the file's bytes when they are made elsewhere (a PECGM answered to a qualification); otherwise generated from the scenario */
  chunks?: Iterable<Buffer> | AsyncIterable<Buffer>
  /** a PECGM answered to a CGPEM of the qualification */
  answer?: boolean
  /** when it is deposited (ms): its scheduled time; by default now */
  at?: number
  /** a fault's damage to make on the file's bytes (src/faults/damage.ts): the file is stored as damaged */
  damage?: DamageOrder
  /** the correct file a duplicate-file copy repeats */
  copyOf?: string
  /** aborted when the server stops: the file is given up (DepositGivenUp), its temporary removed */
  signal?: AbortSignal
  /** what else records the file, in the transaction of its row (an answer's record in its campaign) */
  recorded?: (file: StoredFile) => void
}

/**
 * A deposit given up because the server stops: nothing of it is kept (its
 * temporary file is removed, nothing recorded), its sequence number given
 * back (the file was never one: the next of its name takes it; after a kill,
 * the number is lost). `file`: the name of the file it was making,
 * if it had begun one. The server's own deposits are made at the next start
 * (Maintenance tells a request that moved the clock so); one an admin's
 * request asked for, given up once the stop waits for it no more, answers
 * this 503 when its connection is still there to take it.
 */
export class DepositGivenUp extends ServerError {
  constructor (readonly departement: string, readonly file: string | null, options: { cause?: unknown } = {}) {
    super('PHEBUS_HTTP_STOPPING', `Le serveur s'arrête : le dépôt ${file ?? `du département ${departement}`} est abandonné, rien n'en est gardé ; demandez-le de nouveau une fois le serveur redémarré.`, options)
    this.name = 'DepositGivenUp'
  }
}

/** Names tried before giving up: only files from before the sequences were kept can stand in the way. */
const MAX_TRIES = 10_000

/**
 * Deposits a PECGM for a département, as Pôle emploi would: generated from
 * the scenario into a temporary file (hashed as it is written), renamed into
 * place, recorded, and traced with its SHA-256.
 */
export async function depositPecgm (files: FileService, scenario: Scenario, req: DepositRequest): Promise<StoredFile> {
  const signal = req.signal
  // read each time: the server may stop at any await
  const stopping = (): boolean => signal?.aborted === true
  if (stopping()) throw new DepositGivenUp(req.departement, null)
  const { name, release, giveBack } = reserveName(files, req)
  let temp: TempFile | null = null
  let correct: TempFile | null = null
  let committed = false
  try {
    temp = await files.storage.store.createTemp()
    // generated chunks come from a ring of 2 buffers: write() returns once the previous chunk is written, so each stays valid long enough
    const chunks = req.chunks ?? generated(files, scenario, req)
    let damage: DamageResult | null = null
    if (req.damage === undefined || req.damage.code === 'duplicate-file') {
      await writeAll(chunks, temp, signal)
    } else {
      // the correct bytes first (the damager needs their size), then damaged into the file kept
      correct = temp
      await writeAll(chunks, correct, signal)
      await correct.finish()
      const damaged = await files.storage.store.createTemp()
      try {
        damage = await damageInto(correct, damaged, req.damage, signal)
        temp = damaged
      } catch (err) {
        await damaged.discard()
        if (!(err instanceof DamageError) || err.code !== 'DAMAGE_NOT_APPLICABLE') throw err
        // a damage this file cannot take (a NIR to copy in a flux of one person…): deposited correct, the fault waits for the next deposit
        files.trail.record({ ...systemEntry(files.now, 'fault', req.departement, name, null, null, `panne n° ${req.damage.faultId} (${req.damage.code}) reportée au dépôt suivant : ${err.message}`), faultId: req.damage.faultId })
        temp = correct
        correct = null
      }
    }
    const applied = req.damage !== undefined && (damage !== null || req.damage.code === 'duplicate-file')
    const createdAt = req.at ?? files.now
    // written whole, not yet synced nor renamed: a stop gives it up still (the sync of a large file is long)
    if (stopping()) throw new DepositGivenUp(req.departement, name)
    const file = await files.commit(temp, {
      departement: req.departement,
      name,
      kind: 'PECGM',
      periodicity: req.periodicity,
      referenceDay: req.referenceDay,
      format: null,
      createdAt,
      status: null,
      reportId: null,
      answer: req.answer === true,
      fabricationDay: req.fabricationDay,
      damage: applied ? req.damage?.code ?? null : null,
      damageDetail: !applied ? null : damage?.detail ?? `copie de ${req.copyOf ?? ''}, déposée une seconde fois sous un autre nom`
    }, null, req.recorded)
    committed = true
    if (req.copyOf !== undefined) files.storage.files.setRepaired(file.departement, file.name, req.copyOf)
    const what = `PECGM ${req.periodicity === 'M' ? 'mensuel' : 'quotidien'} déposé`
    files.trail.record({
      ...systemEntry(createdAt, 'deposit', file.departement, file.name, file.sha256, file.size, !applied || req.damage === undefined ? what : `${what}, endommagé par la panne n° ${req.damage.faultId} (${req.damage.code}) : ${file.damageDetail ?? ''}`),
      faultId: applied ? req.damage?.faultId ?? null : null
    })
    return file
  } catch (err) {
    // whatever broke once the server stops (the generator's thread closed, the write cut short) is the stop's doing
    if (stopping() && !(err instanceof DepositGivenUp)) throw new DepositGivenUp(req.departement, name, { cause: err })
    throw err
  } finally {
    if (!committed) {
      await temp?.discard()
      // never a file: its name goes to the next deposit (D9 numbers only a second file of a name); a database that
      // cannot take it (a full disk) keeps the number spent, and the error that matters is the one already thrown
      try { giveBack() } catch {}
    }
    await correct?.discard()
    release()
  }
}

/** Writes every chunk into `temp`, each valid until the next is taken; stops at once (DepositGivenUp, by the caller) when `signal` is aborted. */
async function writeAll (chunks: Iterable<Buffer> | AsyncIterable<Buffer>, temp: TempFile, signal: AbortSignal | undefined): Promise<void> {
  for await (const chunk of chunks) {
    signal?.throwIfAborted()
    await temp.write(chunk)
  }
}

/** A deposit's bytes from the scenario: each chunk valid until the next is taken. */
function generated (files: FileService, scenario: Scenario, req: DepositRequest): Iterable<Buffer> | AsyncIterable<Buffer> {
  const from = generatedFrom(files, scenario, req.departement)
  const population = req.records ?? findDepartement(from, req.departement)?.population ?? 0
  return files.pecgm.chunks({ scenario: from, departement: req.departement, referenceDay: req.referenceDay, fabricationDay: req.fabricationDay, periodicity: req.periodicity, records: req.records }, population, req.signal)
}

/** The correct file's bytes, damaged as the order says, written into `into`. */
async function damageInto (correct: TempFile, into: TempFile, order: DamageOrder, signal: AbortSignal | undefined): Promise<DamageResult> {
  const damager = new PecgmDamager(order.code, order.seed, correct.size)
  for await (const chunk of createReadStream(correct.path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    signal?.throwIfAborted()
    for (const out of damager.push(chunk)) await into.write(out)
  }
  for (const out of damager.end()) await into.write(out)
  return damager.result
}

/**
 * A deposit the server makes by itself or at the admin's request (not a
 * qualification's answer): the correct version of the département's damaged
 * deposits first, when any wait for one, then the file, damaged when a fault
 * asks for it (a duplicate-file fault deposits it twice, under two names).
 */
export async function depositScheduled (files: FileService, scenario: Scenario, faults: FaultService | null, req: DepositRequest): Promise<{ file: StoredFile, deposited: StoredFile[] }> {
  // one at a time for a département: two deposits at once (two admin requests, one and the clock's) both took a damage set for one
  return faults === null ? await depositWithRepairs(files, scenario, null, req) : await faults.oneDepositAtATime(req.departement, async () => await depositWithRepairs(files, scenario, faults, req))
}

async function depositWithRepairs (files: FileService, scenario: Scenario, faults: FaultService | null, req: DepositRequest): Promise<{ file: StoredFile, deposited: StoredFile[] }> {
  const made = await repairDeposits(files, scenario, req.departement, req.at, req.signal)
  const damage = faults?.nextDamage(req.departement, req.periodicity) ?? null
  const file = await depositPecgm(files, scenario, damage === null || damage.code === 'duplicate-file' ? req : { ...req, damage })
  if (damage === null) return { file, deposited: [...made, file] }
  if (damage.code !== 'duplicate-file') {
    // spent only once made: a damage the file could not take waits for the next deposit
    if (file.damage != null) faults?.spend(damage)
    return { file, deposited: [...made, file] }
  }
  const again = await depositPecgm(files, scenario, { ...req, chunks: storedChunks(files, file), damage, copyOf: file.name })
  faults?.spend(damage)
  return { file, deposited: [...made, file, again] }
}

/** The correct version of each damaged deposit of the département not yet followed by one: the same file, made again, under the next name. */
export async function repairDeposits (files: FileService, scenario: Scenario, departement: string, at?: number, signal?: AbortSignal): Promise<StoredFile[]> {
  const made: StoredFile[] = []
  for (const f of files.storage.files.toRepair(departement)) {
    if (f.periodicity === null || f.referenceDay === null) continue
    const fixed = await depositPecgm(files, scenario, { departement, periodicity: f.periodicity, referenceDay: f.referenceDay, fabricationDay: f.fabricationDay ?? f.referenceDay, ...(at === undefined ? {} : { at }), ...(signal === undefined ? {} : { signal }) })
    files.storage.files.setRepaired(departement, f.name, fixed.name)
    made.push(fixed)
  }
  return made
}

/** A damaged copy of a PECGM already deposited, deposited now under the next name of its sequence (a fault that names a file); given up when `signal` is aborted. */
export async function depositDamagedCopy (files: FileService, scenario: Scenario, f: StoredFile, order: DamageOrder, signal?: AbortSignal): Promise<StoredFile[]> {
  if (f.periodicity === null || f.referenceDay === null) return []
  const req: DepositRequest = { departement: f.departement, periodicity: f.periodicity, referenceDay: f.referenceDay, fabricationDay: f.fabricationDay ?? f.referenceDay, chunks: storedChunks(files, f), damage: order, ...(signal === undefined ? {} : { signal }) }
  if (order.code === 'duplicate-file') req.copyOf = f.name
  return [await depositPecgm(files, scenario, req)]
}

/**
 * A PECGM deposited now at the admin's request (the API, the console): the
 * month's stock (reference: the 1st) or today's flux, made today; null when
 * the server deposits nothing for `code`. Given up (DepositGivenUp) when
 * `signal` is aborted: the stop waits for the request no more.
 */
export async function depositNow (files: FileService, scenario: Scenario, faults: FaultService | null, code: string, periodicity: Periodicity, today: number, signal?: AbortSignal): Promise<{ file: StoredFile, deposited: StoredFile[] } | null> {
  if (scheduledDepartement(files, scenario, code) === null) return null
  return await depositScheduled(files, scenario, faults, { departement: code, periodicity, referenceDay: periodicity === 'M' ? firstOfMonth(today) : today, fabricationDay: today, ...(signal === undefined ? {} : { signal }) })
}

/** The hour a scheduled deposit is made at on its day, local time: 06:00. */
export const DEPOSIT_HOUR_MS = 6 * 3_600_000

/** When a scheduled deposit of a day is made: 06:00 in the exchange's zone (Paris, or the offset a --now carried). */
function depositTime (day: number, zone: Zone): number {
  return instantOf(day, DEPOSIT_HOUR_MS, zone)
}

/**
 * The départements the server deposits for: the scenario's, then each one
 * the admin created, drawn with the scenario's defaults (see departementFor).
 * An account whose code has no commune (one made before such codes were
 * refused) is left out: no file could be made for it.
 */
export function scheduledDepartements (files: FileService, scenario: Scenario): Departement[] {
  const created = files.storage.accounts.departements().flatMap((a) =>
    a.departement === null || findDepartement(scenario, a.departement) !== undefined || !hasCommunes(a.departement)
      ? []
      : [departementFor(scenario, a.departement, a)])
  return [...scenario.departements, ...created]
}

/** The département `code` if the server deposits for it (the scenario's, or one the admin created), else null. */
export function scheduledDepartement (files: FileService, scenario: Scenario, code: string): Departement | null {
  const listed = findDepartement(scenario, code)
  if (listed !== undefined) return listed
  const account = files.storage.accounts.findByDepartement(code)
  return account === null || !hasCommunes(code) ? null : departementFor(scenario, code, account)
}

/** Refuses a code the generator has no commune for (975: Saint-Pierre-et-Miquelon is no département of the geography): its PECGM could not be made. */
export function checkDepositable (code: string): void {
  if (hasCommunes(code)) return
  throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Département ${code} refusé : aucune commune n'est connue pour lui dans la géographie du générateur (les 101 départements du code officiel géographique : 01 à 95, 2A, 2B, 971 à 974, 976), le serveur ne pourrait pas lui déposer de PECGM.`)
}

function hasCommunes (code: string): boolean {
  return communesOf(code).length > 0
}

/** The scenario a PECGM of `code` is generated from: for a département the admin created, the scenario with it added. */
export function generatedFrom (files: FileService, scenario: Scenario, code: string): Scenario {
  if (findDepartement(scenario, code) !== undefined) return scenario
  const departement = scheduledDepartement(files, scenario, code)
  return departement === null ? scenario : { ...scenario, departements: [...scenario.departements, departement] }
}

/**
 * The monthly stock of a département due by now and not yet deposited: the
 * stock of a month is deposited on its first working day at 06:00 (that day
 * is its fabrication date, and its time its deposit time, however late the
 * server makes it); before that, the previous month's is the one due. A
 * stock deposited once is never deposited again, even once expired; one
 * already past its retention is not made. Null when there is none to make.
 */
function monthlyStockToMake (files: FileService, d: Departement, now: number): DepositRequest | null {
  const due = dueMonthlyStock(now, d.holidays, files.zone)
  if (files.storage.files.stockDeposited(d.code, due.referenceDay)) return null
  if (files.expiresAt({ kind: 'PECGM', periodicity: 'M', status: null, createdAt: due.at }) <= now) return null
  return { departement: d.code, periodicity: 'M', referenceDay: due.referenceDay, fabricationDay: due.fabricationDay, at: due.at }
}

/**
 * The daily flux due by now for a département whose scenario asks for one,
 * and not yet deposited: the flux of a working day is deposited that day at
 * 06:00 (reference and fabrication date: that day). Only the latest is made
 * at a start (the days a moved clock crosses are each lived in turn); never
 * twice, never one already past its retention. Null when there is none.
 */
function dailyFluxToMake (files: FileService, d: Departement, now: number): DepositRequest | null {
  if (!d.daily) return null
  const zone = files.zone
  let day = calendarDay(now, zone)
  while (!isWorkingDay(day, d.holidays) || depositTime(day, zone) > now) day--
  const at = depositTime(day, zone)
  if (files.storage.files.fluxDeposited(d.code, day)) return null
  if (files.expiresAt({ kind: 'PECGM', periodicity: 'Q', status: null, createdAt: at }) <= now) return null
  return { departement: d.code, periodicity: 'Q', referenceDay: day, fabricationDay: day, at }
}

async function depositIfDue (files: FileService, scenario: Scenario, faults: FaultService | null, req: DepositRequest | null, signal: AbortSignal | undefined): Promise<StoredFile[]> {
  if (req === null) return []
  return (await depositScheduled(files, scenario, faults, signal === undefined ? req : { ...req, signal })).deposited
}

/** Départements whose deposits are made at once: one's file is generated while another's is written and synced. */
const DEPOSITS_AT_ONCE = 3

/**
 * Several départements' deposits failed in one run: the first failure is
 * the cause, and gives its code (ENOSPC: a full disk stays a 507, and the
 * reason /readyz gives); `errors` has them all, in the order they came.
 */
export class DepositsFailed extends AggregateError {
  readonly code: string | undefined
  constructor (readonly departements: readonly string[], errors: readonly unknown[]) {
    const first = errors[0] as { code?: unknown } | undefined
    // the first failure's words come with it, as its cause (the log writes them after these)
    super(errors, `dépôts impossibles pour ${departements.length} départements (${departements.join(', ')})`, { cause: first })
    this.name = 'DepositsFailed'
    this.code = typeof first?.code === 'string' ? first.code : undefined
  }
}

/** What a stop gave up of a run (DepositsGivenUp): the files being made (by département), and the départements not begun that had something due. */
export interface GivenUp {
  files: { departement: string, file: string | null }[]
  notBegun: string[]
}

/** The run was given up because the server stops (Maintenance.stop): what it did not make, the next start makes. */
export class DepositsGivenUp extends Error {
  constructor (readonly givenUp: GivenUp) {
    super('dépôts abandonnés : le serveur s\'arrête')
    this.name = 'DepositsGivenUp'
  }
}

/**
 * What is due by now for each département of `queue` (the server's:
 * scheduledDepartements), in the order the queue hands them out: its monthly
 * stock, then its daily flux, a few départements at a time. The files made
 * are listed the stocks first, then the fluxes, each in the départements'
 * order, whatever order they were made in.
 *
 * A failure stops the run from taking another département, and the run
 * ends once every deposit under way has ended too (made, or failed): then
 * it rejects with the failure (DepositsFailed for several). Nothing of it
 * is still being written once it has settled, so that the next run never
 * makes a stock a run before it is still making.
 *
 * `signal` aborted (the server stops): no département more, and the files
 * being made are given up (their temporaries removed, nothing recorded);
 * the run rejects with DepositsGivenUp once they are.
 */
export async function depositDue (files: FileService, scenario: Scenario, faults: FaultService | null, queue: DepositQueue, signal?: AbortSignal): Promise<StoredFile[]> {
  const now = files.now
  const made = new Map<string, { stock: StoredFile[], flux: StoredFile[] }>()
  const failures: { departement: string, error: unknown }[] = []
  const givenUp: GivenUp['files'] = []
  const worker = async (): Promise<void> => {
    for (let d = queue.take(); d !== undefined; d = queue.take()) {
      try {
        const stock = await depositIfDue(files, scenario, faults, monthlyStockToMake(files, d, now), signal)
        made.set(d.code, { stock, flux: await depositIfDue(files, scenario, faults, dailyFluxToMake(files, d, now), signal) })
      } catch (err) {
        if (signal?.aborted === true) {
          givenUp.push({ departement: d.code, file: err instanceof DepositGivenUp ? err.file : null })
        } else {
          failures.push({ departement: d.code, error: err })
          // no département more: those under way end, then the run tells its failure
          queue.stop()
        }
      } finally {
        queue.done(d.code)
      }
    }
  }
  const stop = (): void => { queue.stop() }
  signal?.addEventListener('abort', stop)
  try {
    await Promise.all(Array.from({ length: Math.min(DEPOSITS_AT_ONCE, queue.departements.length) }, worker))
  } finally {
    signal?.removeEventListener('abort', stop)
    queue.close()
  }
  if (signal?.aborted === true) {
    const notBegun = queue.dropped.filter((d) => monthlyStockToMake(files, d, now) !== null || dailyFluxToMake(files, d, now) !== null).map((d) => d.code)
    const order = queue.departements.map((d) => d.code)
    givenUp.sort((a, b) => order.indexOf(a.departement) - order.indexOf(b.departement))
    throw new DepositsGivenUp({ files: givenUp, notBegun })
  }
  const [first] = failures
  if (first !== undefined) throw failures.length === 1 ? first.error : new DepositsFailed(failures.map((f) => f.departement), failures.map((f) => f.error))
  const inOrder = queue.departements.map((d) => made.get(d.code) ?? { stock: [], flux: [] })
  return [...inOrder.flatMap((m) => m.stock), ...inOrder.flatMap((m) => m.flux)]
}

/**
 * The départements whose deposits are due, in the order they are made: the
 * scenario's, except that a département asked for (a request of its own
 * waits for its deposits: Maintenance.startDeposits) goes next. Each one's
 * deposits can be waited for, until they are made or have failed.
 */
export class DepositQueue {
  private readonly waiting: Departement[]
  /** the départements left out by stop(), never taken */
  readonly dropped: Departement[] = []
  private readonly pending = new Map<string, { promise: Promise<void>, resolve: () => void }>()
  private all: Promise<void> | null = null

  constructor (readonly departements: readonly Departement[]) {
    this.waiting = [...departements]
    for (const d of departements) {
      let settle: () => void = () => {}
      const promise = new Promise<void>((resolve) => { settle = resolve })
      this.pending.set(d.code, { promise, resolve: settle })
    }
  }

  /** The next département to make, or none left. */
  take (): Departement | undefined {
    return this.waiting.shift()
  }

  /** `code`'s deposits are made, or have failed. */
  done (code: string): void {
    this.pending.get(code)?.resolve()
    this.pending.delete(code)
  }

  /**
   * No département more is taken (a failure, a stop): those still waiting
   * their turn are let go at once, those being made once done.
   */
  stop (): void {
    const left = this.waiting.splice(0)
    this.dropped.push(...left)
    for (const d of left) this.done(d.code)
  }

  /** Nothing more will be made (all done, or the run over): whoever waits goes on. */
  close (): void {
    this.waiting.length = 0
    for (const code of [...this.pending.keys()]) this.done(code)
  }

  /**
   * Resolves once `code`'s deposits are made or have failed (every
   * département's, for null), `code` made next if it still waits its turn;
   * null when there is nothing to wait for.
   */
  whenDone (code: string | null): Promise<void> | null {
    if (this.pending.size === 0) return null
    if (code === null) {
      this.all ??= Promise.all([...this.pending.values()].map(async (p) => { await p.promise })).then(() => {})
      return this.all
    }
    const p = this.pending.get(code)
    if (p === undefined) return null
    const i = this.waiting.findIndex((d) => d.code === code)
    if (i > 0) this.waiting.unshift(...this.waiting.splice(i, 1))
    return p.promise
  }
}

/** The latest monthly stock whose deposit time is past: its reference day (the 1st), fabrication day (the first working day) and deposit time. */
export function dueMonthlyStock (now: number, holidays: readonly string[], zone: Zone = 'Europe/Paris'): { referenceDay: number, fabricationDay: number, at: number } {
  let referenceDay = firstOfMonth(calendarDay(now, zone))
  for (;;) {
    const fabricationDay = firstWorkingDayOfMonth(referenceDay, holidays)
    const at = depositTime(fabricationDay, zone)
    if (at <= now) return { referenceDay, fabricationDay, at }
    referenceDay = firstOfMonth(referenceDay - 1)
  }
}

/**
 * D9's name, with the next number of its sequence (kept in the database: a
 * name is never given twice, even once its file is gone); `giveBack` for a
 * deposit that made no file.
 */
function reserveName (files: FileService, req: DepositRequest): { name: string, release: () => void, giveBack: () => void } {
  const base = pecgmFileName(req.departement, req.periodicity, req.referenceDay, req.fabricationDay)
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const sequence = files.storage.files.nextSequence(req.departement, base)
    const name = pecgmFileName(req.departement, req.periodicity, req.referenceDay, req.fabricationDay, sequence)
    const release = files.reserve(req.departement, name)
    if (release !== null) return { name, release, giveBack: () => { files.storage.files.giveBackSequence(req.departement, base, sequence) } }
  }
  throw new Error(`no free PECGM name for ${req.departement} after ${MAX_TRIES} sequence numbers`)
}
