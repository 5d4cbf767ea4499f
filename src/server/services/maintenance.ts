import type { Scenario } from '../../scenarios/model.js'
import type { StoredFile } from '../../storage/files.js'
import { depositDue, DepositQueue, DepositsGivenUp, scheduledDepartements, type GivenUp } from './deposits.js'
import { ServerError } from '../errors.js'
import type { FaultService } from './faults.js'
import { systemEntry, type FileService } from './files.js'
import { addDuration, formatDuration, type Duration } from '../options.js'

export interface MaintenanceOptions {
  intervalMs: number
  /** how long an entry of the audit trail is kept (by the wall clock: the trail is the server's own record) */
  auditRetention: Duration
  /** the wall clock */
  wall: () => number
  onError: (err: unknown) => void
}

/**
 * The server's own work: the monthly deposits (at start, in the background,
 * then at each run so that a new month gets its stock) and the purge of
 * expired files (at start and at each run, every hour by default).
 *
 * The server is ready once its first deposits are under way: from then on,
 * a request of a département whose start deposits are not yet made waits
 * for them (its département goes next), and the admin's for all of them
 * (startDeposits, plugins/app/files.ts). Nobody sees a stock missing, and
 * nobody waits for the 101 stocks of the national scenario to ask for one.
 *
 * Readiness follows the runs' outcomes: a run that fails (the start's, or
 * a later month's) makes the server not ready, with its reason, until a run
 * succeeds; a run that begins changes nothing, but for the very first, under
 * way. A stop gives up the run under way (stop()).
 */
export class Maintenance {
  /** /readyz: the first deposits are under way or made, and none has failed since the last that succeeded */
  ready = false
  /** why the latest deposits failed (French, for /readyz and the start's output), while no run has succeeded since */
  error: string | null = null
  /** what the stop gave up of the run under way (stop()), once it has; null when it gave up nothing */
  givenUp: GivenUp | null = null
  /** the deposits of the start (the runs until one succeeds), while they are being made */
  private starting: DepositQueue | null = null
  /** the run's deposits under way, and how to give them up */
  private current: AbortController | null = null
  private deposited = false
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private firstRun: Promise<void> | null = null
  private stopped = false
  private readonly purges: (() => void)[] = []
  /** the faults that damage deposits, once they are set up (plugins/app/faults.ts) */
  faults: FaultService | null = null
  private becomeReady: () => void = () => {}
  private readonly readyOnce = new Promise<void>((resolve) => { this.becomeReady = resolve })

  constructor (private readonly files: FileService, private readonly scenario: Scenario, private readonly options: MaintenanceOptions) {}

  /** Starts the first deposits without waiting for them, and the periodic runs. */
  start (): void {
    this.firstRun = this.run(false)
    this.timer = setInterval(() => { this.run(true).catch(this.options.onError) }, this.options.intervalMs)
    this.timer.unref()
  }

  /** Resolves once the first deposits are done (or have failed). */
  async settled (): Promise<void> {
    await this.firstRun
  }

  /** Resolves once the server is ready (its first deposits under way), however many runs that takes; never if it never is. */
  async whenReady (): Promise<void> {
    await this.readyOnce
  }

  /**
   * Resolves once the start's deposits of `departement` are made or have
   * failed (every département's, for null: the admin); null when none is
   * being made, which is every request's case once the server has started.
   */
  startDeposits (departement: string | null): Promise<void> | null {
    return this.starting === null ? null : this.starting.whenDone(departement)
  }

  async deposit (): Promise<StoredFile[]> {
    if (this.stopped) throw stopping()
    const queue = new DepositQueue(scheduledDepartements(this.files, this.scenario))
    const abort = new AbortController()
    this.current = abort
    if (!this.deposited) {
      this.starting = queue
      // the very first run: ready once under way; a retry after a failure changes nothing until it ends
      if (this.error === null) this.markReady()
    }
    let made: StoredFile[]
    try {
      made = await depositDue(this.files, this.scenario, this.faults, queue, abort.signal)
    } catch (err) {
      if (err instanceof DepositsGivenUp) {
        const { files, notBegun } = err.givenUp
        if (files.length + notBegun.length > 0) this.givenUp = err.givenUp
        throw stopping(err)
      }
      this.ready = false
      this.error = depositFailure(err)
      throw err
    } finally {
      if (this.starting === queue) this.starting = null
      if (this.current === abort) this.current = null
    }
    this.deposited = true
    this.markReady()
    return made
  }

  private markReady (): void {
    this.ready = true
    this.error = null
    this.becomeReady()
  }

  /** Another purge to run with the files' (the ended sessions). */
  also (purge: () => void): void {
    this.purges.push(purge)
  }

  /** Deletes the files past their retention, then the trail's entries past theirs (traced as a purge). */
  async purge (): Promise<{ files: StoredFile[], auditEntries: number }> {
    const files = await this.files.purgeExpired()
    for (const p of this.purges) p()
    const now = this.options.wall()
    const keep = this.options.auditRetention
    const auditEntries = await this.files.trail.purge(addDuration(now, 'months' in keep ? { months: -keep.months } : { ms: -keep.ms }))
    if (auditEntries > 0) this.files.trail.record(systemEntry(now, 'purge', null, null, null, null, `journal d'audit : ${auditEntries} entrée(s) de plus de ${formatDuration(keep)} supprimée(s)`))
    return { files, auditEntries }
  }

  /**
   * Runs the purge (when asked) and the deposits now, once the run in
   * progress (if any) is over: what a clock moved forward calls at each day
   * it crosses, and what the timer calls.
   */
  async runNow (purge = true): Promise<{ deposited: StoredFile[], purged: StoredFile[] }> {
    while (this.running !== null) await this.running
    if (this.stopped) throw stopping()
    const work = (async () => ({ purged: purge ? (await this.purge()).files : [], deposited: await this.deposit() }))()
    this.running = work.then(() => {}, () => {})
    try {
      return await work
    } finally {
      this.running = null
    }
  }

  /**
   * Stops the timer and gives up the run in progress, if any: no
   * département more, the files being made abandoned (their temporaries
   * removed, nothing recorded: the next start makes them, as after a kill),
   * which takes no longer than their writers take to notice; `givenUp` then
   * says what was. A run asked for after is refused (503).
   */
  async stop (): Promise<void> {
    this.stopped = true
    if (this.timer !== null) clearInterval(this.timer)
    this.timer = null
    this.current?.abort()
    await this.running
  }

  /** A run of the timer (or the first one): skipped while another runs; an error is logged (the deposits' failure is kept for /readyz by deposit()), a run given up by the stop is not. */
  private async run (purge: boolean): Promise<void> {
    if (this.stopped || this.running !== null) return
    try {
      await this.runNow(purge)
    } catch (err) {
      if (this.stopped && err instanceof ServerError && err.code === 'PHEBUS_HTTP_UNAVAILABLE') return
      this.options.onError(err)
    }
  }
}

/** A run refused or given up because the server stops: 503 to a request that asked for it (the admin moving the clock…). */
function stopping (cause?: unknown): ServerError {
  return new ServerError('PHEBUS_HTTP_UNAVAILABLE', 'Le serveur s\'arrête : les dépôts ne sont pas faits (le prochain démarrage les fera).', cause === undefined ? {} : { cause })
}

/** Why the deposits failed, in French (/readyz, the start's output): what the system's code says, never Node's English. */
export function depositFailure (err: unknown): string {
  const code = (err as { code?: unknown } | null)?.code
  switch (code) {
    case 'ENOSPC':
    case 'SQLITE_FULL':
    case 'PHEBUS_STORAGE_FULL': return 'le disque est plein'
    case 'EDQUOT': return 'le quota de disque est atteint'
    case 'EACCES':
    case 'EPERM': return 'permission refusée dans le dossier de données'
    case 'EROFS': return 'le dossier de données est en lecture seule'
    case 'EIO': return 'erreur matérielle du disque'
    case 'EMFILE':
    case 'ENFILE': return 'trop de fichiers ouverts'
    default: return typeof code === 'string' ? `erreur ${code}, détaillée dans le journal du serveur` : 'erreur interne, détaillée dans le journal du serveur'
  }
}
