import { firstOfMonth } from '../../layouts/dates.js'
import { calendarDay, instantOf } from '../../clock.js'
import { firstWorkingDayOfMonth, isWorkingDay } from '../../calendar.js'
import { pecgmChunks, pecgmFileName, type Periodicity } from '../../generate/pecgm-file.js'
import { departementFor, findDepartement, type Departement, type Scenario } from '../../scenarios/model.js'
import { communesOf } from '../../../generators/geography.js'
import type { StoredFile } from '../../storage/files.js'
import type { TempFile } from '../../storage/file-store.js'
import { ServerError } from '../errors.js'
import { systemEntry, type FileService } from './files.js'

export interface DepositRequest {
  departement: string
  periodicity: Periodicity
  referenceDay: number
  fabricationDay: number
  records?: number
  /** the file's bytes when they are made elsewhere (a PECGM answered to a qualification); otherwise generated from the scenario */
  chunks?: Iterable<Buffer>
  /** a PECGM answered to a CGPEM of the qualification */
  answer?: boolean
  /** when it is deposited (ms): its scheduled time; by default now */
  at?: number
}

/** Names tried before giving up: only files from before the sequences were kept can stand in the way. */
const MAX_TRIES = 10_000

/**
 * Deposits a PECGM for a département, as Pôle emploi would: generated from
 * the scenario into a temporary file (hashed as it is written), renamed into
 * place, recorded, and traced with its SHA-256.
 */
export async function depositPecgm (files: FileService, scenario: Scenario, req: DepositRequest): Promise<StoredFile> {
  const { name, release } = reserveName(files, req)
  let temp: TempFile | null = null
  let committed = false
  try {
    temp = await files.storage.store.createTemp()
    // generated chunks come from a ring of 2 buffers: write() returns once the previous chunk is written, so each stays valid long enough
    const chunks = req.chunks ?? pecgmChunks({ scenario: generatedFrom(files, scenario, req.departement), departement: req.departement, referenceDay: req.referenceDay, fabricationDay: req.fabricationDay, periodicity: req.periodicity, records: req.records, ring: 2 })
    for (const chunk of chunks) await temp.write(chunk)
    const createdAt = req.at ?? files.now
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
      answer: req.answer === true
    }, null)
    committed = true
    files.trail.record(systemEntry(createdAt, 'deposit', file.departement, file.name, file.sha256, file.size, `PECGM ${req.periodicity === 'M' ? 'mensuel' : 'quotidien'} déposé`))
    return file
  } finally {
    if (!committed) await temp?.discard()
    release()
  }
}

/**
 * A PECGM deposited now at the admin's request (the API, the console): the
 * month's stock (reference: the 1st) or today's flux, made today; null when
 * the server deposits nothing for `code`.
 */
export async function depositNow (files: FileService, scenario: Scenario, code: string, periodicity: Periodicity, today: number): Promise<StoredFile | null> {
  if (scheduledDepartement(files, scenario, code) === null) return null
  return await depositPecgm(files, scenario, { departement: code, periodicity, referenceDay: periodicity === 'M' ? firstOfMonth(today) : today, fabricationDay: today })
}

/** The hour a scheduled deposit is made at on its day, local time: 06:00. */
export const DEPOSIT_HOUR_MS = 6 * 3_600_000

/** When a scheduled deposit of a day is made: 06:00 in Paris. */
function depositTime (day: number): number {
  return instantOf(day, DEPOSIT_HOUR_MS, 'Europe/Paris')
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
function generatedFrom (files: FileService, scenario: Scenario, code: string): Scenario {
  if (findDepartement(scenario, code) !== undefined) return scenario
  const departement = scheduledDepartement(files, scenario, code)
  return departement === null ? scenario : { ...scenario, departements: [...scenario.departements, departement] }
}

/**
 * The monthly stock due by now for each département the server deposits
 * for (scheduledDepartements): the
 * stock of a month is deposited on its first working day at 06:00 (that
 * day is its fabrication date, and its time its deposit time, however late
 * the server makes it); before that, the previous month's is the one due.
 * A stock deposited once is never deposited again, even once expired; one
 * already past its retention is not made.
 */
export async function depositMonthlyStocks (files: FileService, scenario: Scenario): Promise<StoredFile[]> {
  const now = files.now
  const made: StoredFile[] = []
  for (const d of scheduledDepartements(files, scenario)) {
    const due = dueMonthlyStock(now, d.holidays)
    if (files.storage.files.stockDeposited(d.code, due.referenceDay)) continue
    if (files.expiresAt({ kind: 'PECGM', periodicity: 'M', status: null, createdAt: due.at }) <= now) continue
    made.push(await depositPecgm(files, scenario, { departement: d.code, periodicity: 'M', referenceDay: due.referenceDay, fabricationDay: due.fabricationDay, at: due.at }))
  }
  return made
}

/**
 * The daily flux due by now for each département whose scenario asks for
 * one: the flux of a working day is deposited that day at 06:00 (reference
 * and fabrication date: that day). Only the latest is made at a start (the
 * days a moved clock crosses are each lived in turn); never twice, never one
 * already past its retention.
 */
export async function depositDailyFluxes (files: FileService, scenario: Scenario): Promise<StoredFile[]> {
  const now = files.now
  const made: StoredFile[] = []
  for (const d of scheduledDepartements(files, scenario)) {
    if (!d.daily) continue
    let day = calendarDay(now)
    while (!isWorkingDay(day, d.holidays) || depositTime(day) > now) day--
    const at = depositTime(day)
    if (files.storage.files.fluxDeposited(d.code, day)) continue
    if (files.expiresAt({ kind: 'PECGM', periodicity: 'Q', status: null, createdAt: at }) <= now) continue
    made.push(await depositPecgm(files, scenario, { departement: d.code, periodicity: 'Q', referenceDay: day, fabricationDay: day, at }))
  }
  return made
}

/** The latest monthly stock whose deposit time is past: its reference day (the 1st), fabrication day (the first working day) and deposit time. */
export function dueMonthlyStock (now: number, holidays: readonly string[]): { referenceDay: number, fabricationDay: number, at: number } {
  let referenceDay = firstOfMonth(calendarDay(now))
  for (;;) {
    const fabricationDay = firstWorkingDayOfMonth(referenceDay, holidays)
    const at = depositTime(fabricationDay)
    if (at <= now) return { referenceDay, fabricationDay, at }
    referenceDay = firstOfMonth(referenceDay - 1)
  }
}

/** D9's name, with the next number of its sequence (kept in the database: a name is never given twice, even once its file is gone). */
function reserveName (files: FileService, req: DepositRequest): { name: string, release: () => void } {
  const base = pecgmFileName(req.departement, req.periodicity, req.referenceDay, req.fabricationDay)
  for (let tries = 0; tries < MAX_TRIES; tries++) {
    const sequence = files.storage.files.nextSequence(req.departement, base)
    const name = pecgmFileName(req.departement, req.periodicity, req.referenceDay, req.fabricationDay, sequence)
    const release = files.reserve(req.departement, name)
    if (release !== null) return { name, release }
  }
  throw new Error(`no free PECGM name for ${req.departement} after ${MAX_TRIES} sequence numbers`)
}
