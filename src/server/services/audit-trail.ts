import { calendarDay, instantOf, parseNow } from '../../clock.js'
import type { AuditEntry, AuditKind, AuditQuery, AuditRepository, StoredAuditEntry } from '../../storage/audit.js'

/**
 * The audit trail's write path: entries are kept in memory and inserted in
 * one transaction every `flushIntervalMs`, or as soon as `flushRows` wait,
 * and on close. A crash loses at most that window (documented). A failed
 * insert keeps the entries for the next attempt, up to a bound.
 */

export interface AuditTrailOptions {
  flushIntervalMs: number
  flushRows: number
  onError: (err: unknown) => void
  /** the wall clock: every entry's `at` */
  wall: () => number
}

/** Entries held when the database refuses them, before the oldest are dropped. */
const MAX_PENDING = 100_000
/** Entries deleted per transaction by a purge: a few milliseconds each. */
const PURGE_BATCH = 5_000

export class AuditTrail {
  private pending: AuditEntry[] = []
  private timer: NodeJS.Timeout | null = null
  private closed = false

  /** the exchange clock, once there is one: every entry's `exchangeAt` beside its wall time */
  exchange: (() => number) | null = null

  constructor (private readonly repository: AuditRepository, private readonly options: AuditTrailOptions) {}

  /** Keeps an entry, stamped with both clocks: the wall's (`at`) and the exchange's (`exchangeAt`). */
  record (given: AuditEntry): void {
    const entry: AuditEntry = { ...given, at: this.options.wall(), exchangeAt: this.exchange?.() ?? null }
    if (this.closed) {
      try { this.repository.append([entry]) } catch (err) { this.options.onError(err) }
      return
    }
    this.pending.push(entry)
    if (this.pending.length >= this.options.flushRows) this.flush()
    else if (this.timer === null) {
      this.timer = setTimeout(() => { this.timer = null; this.flush() }, this.options.flushIntervalMs)
      this.timer.unref()
    }
  }

  flush (): void {
    if (this.timer !== null) {
      clearTimeout(this.timer)
      this.timer = null
    }
    if (this.pending.length === 0) return
    const batch = this.pending
    this.pending = []
    try {
      this.repository.append(batch)
    } catch (err) {
      this.pending = batch.concat(this.pending).slice(-MAX_PENDING)
      this.options.onError(err)
    }
  }

  /** Newest first; what is still in memory is written first, so that a reader sees everything. */
  query (q: AuditQuery): StoredAuditEntry[] {
    this.flush()
    return this.repository.query(q)
  }

  /** A page of the trail and where the next one starts (the last id shown, when the page is full). */
  page (q: AuditQuery): { entries: StoredAuditEntry[], next: number | null } {
    const entries = this.query(q)
    return { entries, next: entries.length === q.limit ? (entries.at(-1)?.id ?? null) : null }
  }

  /** Each département's last request (wall time, ms), pending entries included. */
  lastActivity (): ReadonlyMap<string, number> {
    this.flush()
    return this.repository.lastActivity()
  }

  /**
   * Deletes the entries older than `before`, a batch at a time with the event
   * loop free between batches; returns how many went.
   */
  async purge (before: number): Promise<number> {
    this.flush()
    let total = 0
    for (;;) {
      const n = this.repository.purgeBefore(before, PURGE_BATCH)
      total += n
      if (n < PURGE_BATCH) return total
      await new Promise((resolve) => setImmediate(resolve))
    }
  }

  /** Writes what is pending; later entries go straight to the database. */
  close (): void {
    this.flush()
    this.closed = true
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
