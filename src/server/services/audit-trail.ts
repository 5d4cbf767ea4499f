import type { AuditEntry, AuditQuery, AuditRepository, StoredAuditEntry } from '../../storage/audit.js'

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
