import type Database from 'better-sqlite3'
import type { Db } from './database.js'

/** What an audit entry records: a request, or an event of the server itself. */
export type AuditKind = 'request' | 'deposit' | 'purge' | 'reconcile' | 'start' | 'stop' | 'clock' | 'fault'

export interface AuditEntry {
  /** ms since the epoch */
  at: number
  kind: AuditKind
  username: string | null
  address: string | null
  method: string | null
  /** the route pattern, e.g. /api/v1/files/:name (null when no route matched) */
  route: string | null
  /** the URL path, without its query */
  path: string | null
  fileName: string | null
  status: number | null
  bytesIn: number | null
  bytesOut: number | null
  durationMs: number | null
  sha256: string | null
  departement: string | null
  /** an error code, or a few words on a system event */
  detail: string | null
  /** the request's id (its X-Request-Id), or null for an event of the server */
  requestId?: string | null
  /** the exchange clock's time then (ms), beside `at`, the wall clock's (they differ once a trainer sets the clock) */
  exchangeAt?: number | null
  /** the fault injected into this request or deposit (src/faults), if any: never the département's doing */
  faultId?: number | null
  /** a request that gave a password to the login guard (Basic, the login form), refused or accepted; not one opened by a session */
  login?: boolean | null
}

/**
 * A request of the trail as the replay of the locks reads it. `login`: 1
 * when it gave a password to the login guard, 0 when not (a page opened by
 * a session), null for an entry written before the trail said so (schema 14).
 */
export interface LoginEntry {
  at: number
  username: string
  address: string
  status: number
  detail: string | null
  login: number | null
}

export interface StoredAuditEntry extends AuditEntry {
  id: number
}

/** A status to match: one (404), or a class (4: 400 to 499). */
export type StatusFilter = { exact: number } | { class: number }

export interface AuditQuery {
  departement?: string
  username?: string
  kind?: AuditKind
  requestId?: string
  /** the route pattern, /api/v1/files/:name */
  route?: string
  status?: StatusFilter
  /** entries recorded at or after this wall time (ms) */
  from?: number
  /** entries recorded before this wall time (ms) */
  to?: number
  /** entries with an id below this one (the next page, newest first) */
  before?: number
  limit: number
}

interface AuditRow {
  id: number
  at: number
  kind: AuditKind
  username: string | null
  address: string | null
  method: string | null
  route: string | null
  path: string | null
  file_name: string | null
  status: number | null
  bytes_in: number | null
  bytes_out: number | null
  duration_ms: number | null
  sha256: string | null
  departement: string | null
  detail: string | null
  request_id: string | null
  exchange_at: number | null
  fault_id: number | null
  login: number | null
}

/** The first entry at or after a wall time, the last one before it: a time range as a range of ids (a test reads their plans). */
export const TIME_BOUND_SQL = Object.freeze({
  first: 'SELECT id FROM audit WHERE at >= ? ORDER BY at, id LIMIT 1',
  last: 'SELECT id FROM audit WHERE at < ? ORDER BY at DESC, id DESC LIMIT 1'
})

/** The audit trail's table: written in batches, read newest first. */
export class AuditRepository {
  private readonly insertMany
  private readonly db: Db
  private readonly loginsStmt
  private readonly purgeStmt
  private readonly firstFromStmt
  private readonly lastBeforeStmt
  private readonly activityStmt
  /** one prepared statement per combination of filters */
  private readonly queries = new Map<string, Database.Statement<unknown[], AuditRow>>()

  constructor (db: Db) {
    const insert = db.prepare<unknown[]>(
      'INSERT INTO audit (at, kind, username, address, method, route, path, file_name, status, bytes_in, bytes_out, duration_ms, sha256, departement, detail, request_id, exchange_at, fault_id, login) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    // the département's activity, when the request was its own account's (the WHERE also keeps ON CONFLICT from reading as a join)
    const touch = db.prepare<[string, number, string, string]>(
      'INSERT INTO activity (departement, last_at) SELECT ?, ? WHERE EXISTS (SELECT 1 FROM accounts WHERE username = ? AND departement = ?) ' +
      'ON CONFLICT (departement) DO UPDATE SET last_at = max(last_at, excluded.last_at)')
    this.insertMany = db.transaction((entries: readonly AuditEntry[]) => {
      for (const e of entries) {
        insert.run(e.at, e.kind, e.username, e.address, e.method, e.route, e.path, e.fileName, e.status, e.bytesIn, e.bytesOut, e.durationMs, e.sha256, e.departement, e.detail, e.requestId ?? null, e.exchangeAt ?? null, e.faultId ?? null, e.login === undefined || e.login === null ? null : e.login ? 1 : 0)
      }
      for (const a of latestRequests(entries)) touch.run(a.departement, a.at, a.username, a.departement)
    })
    this.db = db
    this.purgeStmt = db.prepare<[number, number]>('DELETE FROM audit WHERE id IN (SELECT id FROM audit WHERE at < ? ORDER BY at LIMIT ?)')
    this.loginsStmt = db.prepare<[number], LoginEntry>(
      "SELECT at, username, address, status, detail, login FROM audit WHERE kind = 'request' AND at >= ? AND username IS NOT NULL AND address IS NOT NULL AND status IS NOT NULL ORDER BY id")
    // a time range as a range of ids (entries are written in the order of their wall time): two searches of audit_by_at
    this.firstFromStmt = db.prepare<[number], number>(TIME_BOUND_SQL.first).pluck()
    this.lastBeforeStmt = db.prepare<[number], number>(TIME_BOUND_SQL.last).pluck()
    this.activityStmt = db.prepare<[], { departement: string, last_at: number }>('SELECT departement, last_at FROM activity')
  }

  /** Each département's last request (wall time, ms): one row each, kept by a trigger (migration 12). */
  lastActivity (): Map<string, number> {
    return new Map(this.activityStmt.all().map((r) => [r.departement, r.last_at]))
  }

  /** Deletes up to `limit` of the entries older than `before` (ms), the oldest first; returns how many went. */
  purgeBefore (before: number, limit: number): number {
    return this.purgeStmt.run(before, limit).changes
  }

  /** The authenticated or refused requests since `since` (ms), oldest first: what the login guard replays at start. */
  loginsSince (since: number): LoginEntry[] {
    return this.loginsStmt.all(since)
  }

  append (entries: readonly AuditEntry[]): void {
    if (entries.length > 0) this.insertMany(entries)
  }

  /**
   * A page of entries, newest first. Each filter has its index ((x, id), so
   * that a page is a range read in order, never a sort); a time range
   * becomes a range of ids, then the times are checked entry by entry.
   */
  query (q: AuditQuery): StoredAuditEntry[] {
    const { sql, params } = this.plan(q)
    if (sql === null) return []
    let stmt = this.queries.get(sql)
    if (!stmt) {
      stmt = this.db.prepare<unknown[], AuditRow>(sql)
      this.queries.set(sql, stmt)
    }
    return stmt.all(...params).map(entryOf)
  }

  /** The statement of a query and its parameters; null when the time range holds no entry. */
  plan (q: AuditQuery): { sql: string | null, params: unknown[] } {
    const where: string[] = []
    const params: unknown[] = []
    if (q.departement !== undefined) { where.push('departement = ?'); params.push(q.departement) }
    if (q.username !== undefined) { where.push('username = ?'); params.push(q.username) }
    if (q.kind !== undefined) { where.push('kind = ?'); params.push(q.kind) }
    if (q.requestId !== undefined) { where.push('request_id = ?'); params.push(q.requestId) }
    if (q.route !== undefined) { where.push('route = ?'); params.push(q.route) }
    if (q.status !== undefined) {
      // an exact status reads its class's index (audit_by_status_class), then checks the status
      if ('exact' in q.status) { where.push('status / 100 = ? AND +status = ?'); params.push(Math.floor(q.status.exact / 100), q.status.exact) } else { where.push('status / 100 = ?'); params.push(q.status.class) }
    }
    if (q.from !== undefined) {
      const first = this.firstFromStmt.get(q.from)
      if (first === undefined) return { sql: null, params: [] }
      // unary + keeps the planner on the id range rather than on audit_by_at
      where.push('id >= ? AND +at >= ?'); params.push(first, q.from)
    }
    if (q.to !== undefined) {
      const last = this.lastBeforeStmt.get(q.to)
      if (last === undefined) return { sql: null, params: [] }
      where.push('id <= ? AND +at < ?'); params.push(last, q.to)
    }
    if (q.before !== undefined) { where.push('id < ?'); params.push(q.before) }
    params.push(q.limit)
    return { sql: `SELECT * FROM audit${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`, params }
  }
}

function entryOf (r: AuditRow): StoredAuditEntry {
  return {
    id: r.id,
    at: r.at,
    kind: r.kind,
    username: r.username,
    address: r.address,
    method: r.method,
    route: r.route,
    path: r.path,
    fileName: r.file_name,
    status: r.status,
    bytesIn: r.bytes_in,
    bytesOut: r.bytes_out,
    durationMs: r.duration_ms,
    sha256: r.sha256,
    departement: r.departement,
    detail: r.detail,
    requestId: r.request_id,
    exchangeAt: r.exchange_at,
    faultId: r.fault_id
  }
}

/**
 * The latest request in `entries` of each account about each département
 * (events and anonymous requests aside): one activity write each per batch,
 * kept only when the account is that département's own (the admin's
 * requests about a département are not its activity).
 */
export function latestRequests (entries: readonly AuditEntry[]): { username: string, departement: string, at: number }[] {
  const latest = new Map<string, { username: string, departement: string, at: number }>()
  for (const e of entries) {
    if (e.kind !== 'request' || e.departement === null || e.username === null) continue
    const key = `${e.username}\u0000${e.departement}`
    const seen = latest.get(key)
    if (seen === undefined) latest.set(key, { username: e.username, departement: e.departement, at: e.at })
    else if (e.at > seen.at) seen.at = e.at
  }
  return [...latest.values()]
}
