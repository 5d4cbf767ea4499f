import t, { type Test } from 'tap'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { AuditRepository, TIME_BOUND_SQL, type AuditEntry, type AuditQuery } from '../../src/storage/audit.js'
import { openDatabase, type Db } from '../../src/storage/database.js'
import { MIGRATIONS } from '../../src/storage/migrations.js'
import { AuditTrail } from '../../src/server/services/audit-trail.js'

/** The version before the console's migration (12): the activity table is made from the rows already there. */
const BEFORE_CONSOLE = 11
/** The version before the trail said which requests gave a password (14). */
const BEFORE_LOGIN = 13

function entry (over: Partial<AuditEntry>): AuditEntry {
  return { at: 0, kind: 'request', username: null, address: null, method: 'GET', route: '/fichiers', path: '/fichiers', fileName: null, status: 200, bytesIn: null, bytesOut: null, durationMs: 1, sha256: null, departement: null, detail: null, ...over }
}

function open (t: Test): Db {
  const db = openDatabase(join(t.testdir(), 'phebus.sqlite'))
  t.teardown(() => db.close())
  return db
}

/** The accounts the trail's requests come from: a département's own, and the admin. */
function accounts (db: Db, ...codes: string[]): void {
  const insert = db.prepare("INSERT INTO accounts (username, role, departement, name, password_hash, created_at) VALUES (?, ?, ?, 'x', 'x', 0)")
  insert.run('admin', 'admin', null)
  for (const code of codes) insert.run(`dept${code}`, 'departement', code)
}

t.test('the last activity of each département: its own account\'s latest request, one row each; events, the admin\'s requests about it and anonymous ones aside', async (t) => {
  const db = open(t)
  accounts(db, '77', '93', '971')
  const repo = new AuditRepository(db)
  t.same([...repo.lastActivity()], [], 'nothing before any request')
  repo.append([
    entry({ at: 1000, username: 'dept77', departement: '77' }),
    entry({ at: 3000, username: 'dept77', departement: '77' }),
    entry({ at: 2000, username: 'dept93', departement: '93' }),
    entry({ at: 9000, departement: null }),
    entry({ at: 8000, kind: 'deposit', departement: '971' }),
    entry({ at: 8500, username: 'admin', departement: '971' }),
    entry({ at: 9500, username: 'dept77', departement: '93' }),
    entry({ at: 2500, username: 'dept77', departement: '77' })
  ])
  t.same(Object.fromEntries(repo.lastActivity()), { 77: 3000, 93: 2000 }, 'the latest request of each, an earlier one after it changes nothing; a deposit, the admin\'s request and another account\'s are not its activity')
  t.equal(db.prepare('SELECT count(*) FROM activity').pluck().get(), 2, 'one row per département')
  t.match((db.prepare('EXPLAIN QUERY PLAN SELECT departement, last_at FROM activity').all() as { detail: string }[])[0]?.detail, /^SCAN activity$/, 'read whole: a row per département, never the trail')
})

t.test('the migration fills the activity from the trail already there', async (t) => {
  const path = join(t.testdir(), 'phebus.sqlite')
  const old = new Database(path)
  for (const m of MIGRATIONS.slice(0, BEFORE_CONSOLE)) old.exec(m)
  old.pragma(`user_version = ${BEFORE_CONSOLE}`)
  accounts(old, '77', '2A')
  const insert = old.prepare('INSERT INTO audit (at, kind, username, departement) VALUES (?, ?, ?, ?)')
  for (const [at, kind, user, d] of [[10, 'request', 'dept77', '77'], [30, 'request', 'dept77', '77'], [20, 'request', 'dept2A', '2A'], [99, 'deposit', null, '2A'], [60, 'request', 'admin', '2A'], [50, 'request', null, null]] as const) insert.run(at, kind, user, d)
  old.close()
  const db = openDatabase(path)
  t.teardown(() => db.close())
  t.same(Object.fromEntries(new AuditRepository(db).lastActivity()), { 77: 30, '2A': 20 })
})

t.test('the logins the replay reads say whether a password was given: 1, 0 for a page opened by a session, null for entries from before schema 14', async (t) => {
  const path = join(t.testdir(), 'phebus.sqlite')
  const old = new Database(path)
  for (const m of MIGRATIONS.slice(0, BEFORE_LOGIN)) old.exec(m)
  old.pragma(`user_version = ${BEFORE_LOGIN}`)
  old.prepare("INSERT INTO audit (at, kind, username, address, status) VALUES (10, 'request', 'dept77', '10.0.0.1', 200)").run()
  old.close()
  const db = openDatabase(path)
  t.teardown(() => db.close())
  const repo = new AuditRepository(db)
  repo.append([
    entry({ at: 20, username: 'dept77', address: '10.0.0.1', login: true }),
    entry({ at: 30, username: 'dept77', address: '10.0.0.1', login: false }),
    entry({ at: 40, username: 'dept77', address: '10.0.0.1', status: 401, detail: 'PHEBUS_AUTH_REQUIRED', login: true })
  ])
  t.same(repo.loginsSince(0).map((l) => [l.at, l.login]), [[10, null], [20, 1], [30, 0], [40, 1]])
})

t.test('the trail service flushes what is pending before it reads the activity', async (t) => {
  const db = open(t)
  accounts(db, '77')
  let wall = 5000
  const trail = new AuditTrail(new AuditRepository(db), { flushIntervalMs: 60_000, flushRows: 1000, onError: (err) => { throw err }, wall: () => wall })
  t.teardown(() => trail.close())
  trail.record(entry({ username: 'dept77', departement: '77' }))
  wall = 6000
  trail.record(entry({ username: 'dept77', departement: '77' }))
  t.same(Object.fromEntries(trail.lastActivity()), { 77: 6000 })
})

t.test('the trail filters by route, status, status class and time, newest first, a page at a time', async (t) => {
  const db = open(t)
  const repo = new AuditRepository(db)
  const rows: AuditEntry[] = []
  for (let i = 0; i < 60; i++) {
    rows.push(entry({ at: 1000 * i, departement: i % 2 === 0 ? '77' : '93', route: i % 3 === 0 ? '/api/v1/files/:name' : '/fichiers', status: i % 10 === 0 ? 503 : i % 5 === 0 ? 404 : 200 }))
  }
  repo.append(rows)
  const ids = (q: Partial<AuditQuery>): number[] => repo.query({ limit: 100, ...q }).map((e) => e.id)
  const expect = (keep: (i: number) => boolean): number[] => rows.map((_, i) => i).filter(keep).map((i) => i + 1).reverse()
  const cases: { name: string, q: Partial<AuditQuery>, keep: (i: number) => boolean }[] = [
    { name: 'route', q: { route: '/api/v1/files/:name' }, keep: (i) => i % 3 === 0 },
    { name: 'exact status', q: { status: { exact: 404 } }, keep: (i) => i % 5 === 0 && i % 10 !== 0 },
    { name: 'status class', q: { status: { class: 5 } }, keep: (i) => i % 10 === 0 },
    { name: 'class 4 and a département', q: { status: { class: 4 }, departement: '93' }, keep: (i) => i % 5 === 0 && i % 10 !== 0 && i % 2 === 1 },
    { name: 'from', q: { from: 50_000 }, keep: (i) => i >= 50 },
    { name: 'to (before)', q: { to: 3000 }, keep: (i) => i < 3 },
    { name: 'from and to', q: { from: 10_500, to: 20_000 }, keep: (i) => i >= 11 && i < 20 },
    { name: 'a range after every entry', q: { from: 1e9 }, keep: () => false },
    { name: 'a range before every entry', q: { to: 0 }, keep: () => false }
  ]
  for (const c of cases) t.same(ids(c.q), expect(c.keep), c.name)
  // pages of 4 by keyset, until a short page
  const walked: number[] = []
  let before: number | undefined
  for (;;) {
    const page = ids({ status: { class: 4 }, limit: 4, ...(before === undefined ? {} : { before }) })
    walked.push(...page)
    if (page.length < 4) break
    before = page.at(-1)
  }
  t.same(walked, expect((i) => i % 5 === 0 && i % 10 !== 0), 'the pages, each once, in order')
})

t.test('a page of the trail costs its rows: every filter reads an index in id order, never a sort nor a scan of the trail', async (t) => {
  const db = open(t)
  const repo = new AuditRepository(db)
  repo.append([entry({ at: 1000, departement: '77' }), entry({ at: 2000, departement: '77' })])
  const plan = (q: Partial<AuditQuery>): string => {
    const { sql, params } = repo.plan({ limit: 50, ...q })
    return (db.prepare(`EXPLAIN QUERY PLAN ${sql ?? ''}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ')
  }
  const cases: { name: string, q: Partial<AuditQuery>, plan: RegExp }[] = [
    { name: 'nothing (the newest first)', q: {}, plan: /^SCAN audit$/ },
    { name: 'the next page', q: { before: 10 }, plan: /^SEARCH audit USING INTEGER PRIMARY KEY \(rowid<\?\)$/ },
    { name: 'département', q: { departement: '77', before: 10 }, plan: /^SEARCH audit USING INDEX audit_by_departement \(departement=\? AND id<\?\)$/ },
    { name: 'user', q: { username: 'dept77', before: 10 }, plan: /^SEARCH audit USING INDEX audit_by_username \(username=\? AND id<\?\)$/ },
    { name: 'kind', q: { kind: 'clock', before: 10 }, plan: /^SEARCH audit USING INDEX audit_by_kind \(kind=\? AND id<\?\)$/ },
    { name: 'route', q: { route: '/api/v1/files/:name', before: 10 }, plan: /^SEARCH audit USING INDEX audit_by_route \(route=\? AND id<\?\)$/ },
    { name: 'status class', q: { status: { class: 4 }, before: 10 }, plan: /^SEARCH audit USING INDEX audit_by_status_class \(<expr>=\? AND id<\?\)$/ },
    { name: 'exact status', q: { status: { exact: 404 }, before: 10 }, plan: /^SEARCH audit USING INDEX audit_by_status_class \(<expr>=\? AND id<\?\)$/ },
    { name: 'time range', q: { from: 1000, to: 2000 }, plan: /^SEARCH audit USING INTEGER PRIMARY KEY \(rowid>\? AND rowid<\?\)$/ },
    { name: 'time range and département', q: { departement: '77', from: 1000, to: 2000 }, plan: /^SEARCH audit USING INDEX audit_by_departement \(departement=\? AND id>\? AND id<\?\)$/ }
  ]
  for (const c of cases) t.match(plan(c.q), c.plan, c.name)
  // a time range becomes a range of ids by two searches of audit_by_at
  for (const sql of [TIME_BOUND_SQL.first, TIME_BOUND_SQL.last]) {
    t.match((db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(1) as { detail: string }[]).map((r) => r.detail).join(' | '), /^SEARCH audit USING COVERING INDEX audit_by_at \(at[<>]\?\)$/, sql)
  }
})
