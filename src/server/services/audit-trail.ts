import { calendarDay, instantOf, parseNow } from '../../clock.js'
import type { AuditEntry, AuditKind, AuditQuery, AuditRepository, StoredAuditEntry } from '../../storage/audit.js'

/**
 * The audit trail's write path: entries are kept in memory and inserted in
 * one transaction every `flushIntervalMs`, or as soon as `flushRows` wait,
 * and on close. A crash loses at most that window (documented).
 *
 * When the database refuses a write (a full disk), an outage begins: the
 * entries wait in memory, in order, and no request pays for an attempt; the
 * timer retries with the oldest `flushRows` of them, every
 * `flushIntervalMs`, then twice as long each time, up to MAX_RETRY_MS. A
 * reader tries too, once, before it reads. The outage is reported twice:
 * its first error, then its end (how many entries waited, how many were
 * dropped). Once a write goes through, the timer writes the backlog
 * `flushRows` at a time, the event loop free between (a reader writes a few
 * batches of it first, see catchUp). Past `maxPending`
 * entries waiting, the oldest are dropped (counted, said at the end): the
 * memory stays bounded, and the newest entries, which the lock-out's replay
 * at start reads, are kept. What is in the database is never touched.
 */

export interface AuditTrailOptions {
  flushIntervalMs: number
  flushRows: number
  /** A write refused: the first of an outage (those after it are not reported until it ends), or an entry after close. */
  onError: (err: unknown) => void
  /** the end of an outage: the database took the entries again */
  onRecovered?: (outage: AuditOutage) => void
  /** at close, during an outage: the entries the database still refuses (lost), and those dropped before; onError when not given */
  onLost?: (lost: { waiting: number, dropped: number }, err: unknown) => void
  /** the wall clock: every entry's `at` */
  wall: () => number
  /** entries held while the database refuses them, before the oldest are dropped (MAX_PENDING) */
  maxPending?: number
}

/** An outage of the trail, as its end reports it. */
export interface AuditOutage {
  /** the wall time of its first refused write (ms) */
  since: number
  /** the refused writes, the first included */
  attempts: number
  /** the entries waiting when a write went through again: all written since, in order */
  waited: number
  /** the oldest entries dropped, past the bound */
  dropped: number
}

/** Entries held when the database refuses them, before the oldest are dropped. */
const MAX_PENDING = 100_000
/** The longest wait between two attempts while the database refuses the trail (ms). */
export const MAX_RETRY_MS = 5_000
/** Batches a reader writes before it reads: 2 000 entries (some 30 ms), all of them but after an outage. */
const READ_BATCHES = 4
/** Entries deleted per transaction by a purge: a few milliseconds each. */
const PURGE_BATCH = 5_000
/** Written or dropped entries left at the head of `pending` before it is copied (a quarter of it at most). */
const COMPACT_AFTER = 1024

export class AuditTrail {
  /** the entries waiting are `pending[head..]`, oldest first */
  private pending: AuditEntry[] = []
  private head = 0
  private timer: NodeJS.Timeout | null = null
  private closed = false
  /** the database refuses the trail: since when, how many attempts, the wait before the next one */
  private outage: { since: number, attempts: number, delay: number } | null = null
  /** entries dropped past the bound, not yet reported */
  private dropped = 0
  private lastError: unknown = null
  private readonly maxPending: number

  /** the exchange clock, once there is one: every entry's `exchangeAt` beside its wall time */
  exchange: (() => number) | null = null

  constructor (private readonly repository: AuditRepository, private readonly options: AuditTrailOptions) {
    this.maxPending = Math.max(options.maxPending ?? MAX_PENDING, options.flushRows)
  }

  /** Keeps an entry, stamped with both clocks: the wall's (`at`) and the exchange's (`exchangeAt`). */
  record (given: AuditEntry): void {
    const entry: AuditEntry = { ...given, at: this.options.wall(), exchangeAt: this.exchange?.() ?? null }
    if (this.closed) {
      try { this.repository.append([entry]) } catch (err) { this.options.onError(err) }
      return
    }
    this.pending.push(entry)
    if (this.waiting() > this.maxPending) {
      this.head++
      this.dropped++
      this.compact()
    }
    // during an outage the retry's timer is set: a request never pays for an attempt
    if (this.outage !== null) return
    const waiting = this.waiting()
    if (waiting === this.options.flushRows) this.write()
    // more: a backlog after an outage, which the timer writes a batch at a time
    else if (this.timer === null) this.retime(waiting > this.options.flushRows ? 0 : this.options.flushIntervalMs)
  }

  /** The entries waiting to be written. */
  waiting (): number {
    return this.pending.length - this.head
  }

  /** Writes what is pending, `flushRows` at a time, up to the first refusal (then the timer retries): the stop's, whatever the backlog. */
  flush (): void {
    this.cancelTimer()
    while (this.waiting() > 0 && this.write()) { /* the next batch */ }
  }

  /**
   * A reader's flush: what waits, up to READ_BATCHES batches. Enough for
   * all of it but after an outage, when the timer writes the rest a batch at
   * a time (100 000 entries at once would hold the event loop a second).
   */
  private catchUp (): void {
    this.cancelTimer()
    for (let i = 0; i < READ_BATCHES && this.waiting() > 0; i++) if (!this.write()) return
    if (this.waiting() > 0) this.retime(0)
  }

  /** Newest first; what is still in memory is written first, so that a reader sees everything (but the end of a backlog, see catchUp). */
  query (q: AuditQuery): StoredAuditEntry[] {
    this.catchUp()
    return this.repository.query(q)
  }

  /** A page of the trail and where the next one starts (the last id shown, when the page is full). */
  page (q: AuditQuery): { entries: StoredAuditEntry[], next: number | null } {
    const entries = this.query(q)
    return { entries, next: entries.length === q.limit ? (entries.at(-1)?.id ?? null) : null }
  }

  /** Each département's last request (wall time, ms), pending entries included. */
  lastActivity (): ReadonlyMap<string, number> {
    this.catchUp()
    return this.repository.lastActivity()
  }

  /**
   * Deletes the entries older than `before`, a batch at a time with the event
   * loop free between batches; returns how many went.
   */
  async purge (before: number): Promise<number> {
    this.catchUp()
    let total = 0
    for (;;) {
      const n = this.repository.purgeBefore(before, PURGE_BATCH)
      total += n
      if (n < PURGE_BATCH) return total
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  /**
   * Writes what is pending; later entries go straight to the database. What
   * the database still refuses is lost, and said so.
   */
  close (): void {
    this.flush()
    this.cancelTimer()
    this.closed = true
    const lost = this.waiting()
    if (lost > 0 || this.dropped > 0) {
      const what = { waiting: lost, dropped: this.dropped }
      if (this.options.onLost !== undefined) this.options.onLost(what, this.lastError)
      else this.options.onError(new Error(`audit trail: ${lost} entries lost at close, ${this.dropped} dropped before`, { cause: this.lastError }))
    }
    this.pending = []
    this.head = 0
    this.dropped = 0
  }

  /** The timer: the next batch of a backlog, or the retry of an outage. */
  private tick (): void {
    this.timer = null
    if (this.closed || this.waiting() === 0) return
    if (this.write() && this.waiting() > 0) this.retime(0)
  }

  /** Writes the oldest `flushRows` entries in one transaction; false when the database refuses them (the outage then begins or goes on). */
  private write (): boolean {
    const waited = this.waiting()
    const end = this.head + Math.min(waited, this.options.flushRows)
    try {
      this.repository.append(this.pending.slice(this.head, end))
    } catch (err) {
      this.lastError = err
      if (this.outage === null) {
        this.outage = { since: this.options.wall(), attempts: 1, delay: this.options.flushIntervalMs }
        this.options.onError(err)
      } else {
        this.outage.attempts++
        this.outage.delay = Math.min(this.outage.delay * 2, MAX_RETRY_MS)
      }
      this.retime(this.outage.delay)
      return false
    }
    this.head = end
    this.compact()
    if (this.outage !== null) {
      const outage: AuditOutage = { since: this.outage.since, attempts: this.outage.attempts, waited, dropped: this.dropped }
      this.outage = null
      this.dropped = 0
      this.options.onRecovered?.(outage)
    }
    return true
  }

  /** Lets the written or dropped entries go, once they are a quarter of the array (each entry is copied a few times at most). */
  private compact (): void {
    if (this.head === this.pending.length) {
      this.pending = []
      this.head = 0
    } else if (this.head >= COMPACT_AFTER && this.head * 4 >= this.pending.length) {
      this.pending = this.pending.slice(this.head)
      this.head = 0
    }
  }

  private retime (ms: number): void {
    this.cancelTimer()
    this.timer = setTimeout(() => { this.tick() }, ms)
    this.timer.unref()
  }

  private cancelTimer (): void {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
  }
}

/** The trail's filters as a person or a program writes them (the admin API's query, the console's form). */
export interface AuditFilterText {
  departement?: string | undefined
  user?: string | undefined
  kind?: AuditKind | undefined
  request?: string | undefined
  route?: string | undefined
  /** 404, or a class: 4xx */
  status?: string | undefined
  /** a date or a date and time, Paris time unless an offset is given */
  from?: string | undefined
  /** the same; up to the end of the day, minute or second it names */
  to?: string | undefined
}

export interface AuditFilterError { field: 'status' | 'from' | 'to', message: string }

const STATUS = /^([1-5])(\d\d|xx)$/i
const PRECISION = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(:\d{2})?)?/
const TIME_EXPECTED = '2026-11-27, 2026-11-27T11:00 (heure de Paris), ou avec un décalage, 2026-11-27T10:00:00Z'

/**
 * The filters read once for both doors: a status or its class, a time range
 * (`to` covers the day, minute or second it names). Empty texts are no
 * filter; what cannot be read is an error at its field.
 */
export function readAuditFilter (f: AuditFilterText): { query: Omit<AuditQuery, 'before' | 'limit'>, errors: AuditFilterError[] } {
  const query: Omit<AuditQuery, 'before' | 'limit'> = {}
  const errors: AuditFilterError[] = []
  const text = (v: string | undefined): string | undefined => (v === undefined || v.trim() === '' ? undefined : v.trim())
  const departement = text(f.departement)
  if (departement !== undefined) query.departement = departement.toUpperCase()
  const user = text(f.user)
  if (user !== undefined) query.username = user
  if (f.kind !== undefined) query.kind = f.kind
  const request = text(f.request)
  if (request !== undefined) query.requestId = request
  const route = text(f.route)
  if (route !== undefined) query.route = route
  const status = text(f.status)
  if (status !== undefined) {
    const m = STATUS.exec(status)
    if (m === null) errors.push({ field: 'status', message: `Statut illisible : « ${status} » (attendu : un statut comme 404, ou une classe comme 4xx).` })
    else query.status = (m[2] ?? '').toLowerCase() === 'xx' ? { class: Number(m[1]) } : { exact: Number(status) }
  }
  const from = text(f.from)
  if (from !== undefined) {
    const at = timeBound(from, false)
    if (at === null) errors.push({ field: 'from', message: `Début illisible : « ${from} » (attendu : ${TIME_EXPECTED}).` })
    else query.from = at
  }
  const to = text(f.to)
  if (to !== undefined) {
    const at = timeBound(to, true)
    if (at === null) errors.push({ field: 'to', message: `Fin illisible : « ${to} » (attendu : ${TIME_EXPECTED}).` })
    else if (query.from !== undefined && at <= query.from) errors.push({ field: 'to', message: 'La fin est avant le début : donnez une fin plus tardive.' })
    else query.to = at
  }
  return { query, errors }
}

/** A time as a bound: its instant, or for an end, the instant after the day, minute or second it names. */
function timeBound (text: string, end: boolean): number | null {
  const p = parseNow(text)
  if (p === null) return null
  if (!end) return p.at
  const m = PRECISION.exec(text)
  if (m === null) return null
  if (!m[0].includes(':')) return instantOf(calendarDay(p.at, p.zone) + 1, 0, p.zone)
  return p.at + (m[1] === undefined ? 60_000 : 1000)
}
