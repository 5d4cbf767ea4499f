import type { Db } from './database.js'
import type { DepositTarget, FaultCode, FaultSpec, RouteTarget } from '../faults/model.js'

/** A fault as kept: what it is and targets (its spec), how much of it is left, who set it and lifted it. */
export interface StoredFault extends FaultSpec {
  id: number
  hits: number
  /** matching requests seen (the draws of a share are numbered by it) */
  seen: number
  setBy: string
  setAt: number
  liftedAt: number | null
  liftedBy: string | null
}

export type NewFault = FaultSpec & Pick<StoredFault, 'setBy' | 'setAt'>

interface FaultRow {
  id: number
  code: FaultCode
  departement: string
  deposit: DepositTarget | null
  route: RouteTarget | null
  file: string | null
  remaining: number | null
  share: number | null
  seed: number | null
  retry_after_s: number | null
  delay_ms: number | null
  bytes_per_second: number | null
  after_bytes: number | null
  hits: number
  seen: number
  set_by: string
  set_at: number
  lifted_at: number | null
  lifted_by: string | null
}

function fromRow (r: FaultRow): StoredFault {
  return {
    id: r.id,
    code: r.code,
    departement: r.departement,
    deposit: r.deposit,
    route: r.route,
    file: r.file,
    remaining: r.remaining,
    share: r.share,
    seed: r.seed,
    retryAfterSeconds: r.retry_after_s,
    delayMs: r.delay_ms,
    bytesPerSecond: r.bytes_per_second,
    afterBytes: r.after_bytes,
    hits: r.hits,
    seen: r.seen,
    setBy: r.set_by,
    setAt: r.set_at,
    liftedAt: r.lifted_at,
    liftedBy: r.lifted_by
  }
}

/** Who lifts a fault whose count is spent. */
export const USED_UP = 'used'

/** The faults set on the départements: active ones read by département (an index on the active ones only), all of them paged for the admin. */
export class FaultRepository {
  /** bumped by every change: a reader's cache of the active faults is good while it is the same */
  version = 0
  private readonly insertStmt
  private readonly findStmt
  private readonly activeStmt
  private readonly activeAllStmt
  private readonly countActiveStmt
  private readonly liftedStmt
  private readonly liftedOfStmt
  private readonly liftStmt
  private readonly hitStmt
  private readonly seenStmt
  private readonly anySetByStmt

  constructor (db: Db) {
    this.insertStmt = db.prepare<[string, string, string | null, string | null, string | null, number | null, number | null, number | null, number | null, number | null, number | null, number | null, string, number], number>(
      'INSERT INTO faults (code, departement, deposit, route, file, remaining, share, seed, retry_after_s, delay_ms, bytes_per_second, after_bytes, set_by, set_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id').pluck()
    this.findStmt = db.prepare<[number], FaultRow>('SELECT * FROM faults WHERE id = ?')
    this.activeStmt = db.prepare<[string], FaultRow>('SELECT * FROM faults WHERE departement = ? AND lifted_at IS NULL ORDER BY id')
    // the active ones through their index; the lifted ones newest first from a cursor, through the primary key or the
    // index of a département's (migration 20): a page costs what it holds, however many faults were set before it
    this.activeAllStmt = db.prepare<[], FaultRow>('SELECT * FROM faults WHERE lifted_at IS NULL ORDER BY id DESC')
    this.countActiveStmt = db.prepare<[string], number>('SELECT count(*) FROM faults WHERE departement = ? AND lifted_at IS NULL').pluck()
    this.liftedStmt = db.prepare<[number, number], FaultRow>('SELECT * FROM faults WHERE lifted_at IS NOT NULL AND id < ? ORDER BY id DESC LIMIT ?')
    this.liftedOfStmt = db.prepare<[string, number, number], FaultRow>('SELECT * FROM faults WHERE departement = ? AND lifted_at IS NOT NULL AND id < ? ORDER BY id DESC LIMIT ?')
    this.liftStmt = db.prepare<[number, string, number]>('UPDATE faults SET lifted_at = ?, lifted_by = ? WHERE id = ? AND lifted_at IS NULL')
    // a hit spends one of a counted fault; the last one lifts it, in the same statement
    this.hitStmt = db.prepare<[{ at: number, id: number }]>(`UPDATE faults SET hits = hits + 1, seen = seen + 1,
      remaining = CASE WHEN remaining IS NULL THEN NULL ELSE remaining - 1 END,
      lifted_at = CASE WHEN remaining = 1 THEN @at ELSE lifted_at END,
      lifted_by = CASE WHEN remaining = 1 THEN '${USED_UP}' ELSE lifted_by END
      WHERE id = @id AND lifted_at IS NULL`)
    this.seenStmt = db.prepare<[number]>('UPDATE faults SET seen = seen + 1 WHERE id = ?')
    this.anySetByStmt = db.prepare<[string], number>('SELECT 1 FROM faults WHERE set_by = ? LIMIT 1').pluck()
  }

  /** Whether `by` ever set a fault, lifted or not (the scenario's are set once per data folder). */
  anySetBy (by: string): boolean {
    return this.anySetByStmt.get(by) !== undefined
  }

  insert (f: NewFault): StoredFault {
    this.version++
    const id = this.insertStmt.get(f.code, f.departement, f.deposit, f.route, f.file, f.remaining, f.share, f.seed, f.retryAfterSeconds, f.delayMs, f.bytesPerSecond, f.afterBytes, f.setBy, f.setAt) as number
    return { ...f, id, hits: 0, seen: 0, liftedAt: null, liftedBy: null }
  }

  find (id: number): StoredFault | null {
    const r = this.findStmt.get(id)
    return r === undefined ? null : fromRow(r)
  }

  /** The active faults of a département, oldest first (the first set applies first). */
  active (departement: string): StoredFault[] {
    return this.activeStmt.all(departement).map(fromRow)
  }

  /** The active faults, newest first; of a département, or of all. */
  activeNewestFirst (departement: string | null): StoredFault[] {
    return departement === null ? this.activeAllStmt.all().map(fromRow) : this.activeStmt.all(departement).map(fromRow).reverse()
  }

  /** How many faults of the département are active. */
  countActive (departement: string): number {
    return this.countActiveStmt.get(departement) as number
  }

  /** A page of lifted faults, newest first, of id below `before` (the next page). */
  lifted (departement: string | null, before: number, limit: number): StoredFault[] {
    const rows = departement === null ? this.liftedStmt.all(before, limit) : this.liftedOfStmt.all(departement, before, limit)
    return rows.map(fromRow)
  }

  /** Lifts an active fault; false when it was not active. */
  lift (id: number, at: number, by: string): boolean {
    this.version++
    return this.liftStmt.run(at, by, id).changes === 1
  }

  /** The fault applied once: its count spent by one (lifted at the last); false when it was no longer active. */
  hit (id: number, at: number): boolean {
    this.version++
    return this.hitStmt.run({ at, id }).changes === 1
  }

  /** A matching request the fault let through (its share): counted, so that the next draw is the next one. */
  seen (id: number): void {
    this.version++
    this.seenStmt.run(id)
  }
}
