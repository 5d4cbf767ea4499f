import t, { type Test } from 'tap'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import { buildServer } from '../../src/server/build.js'
import { AuditTrail, type AuditOutage, type AuditTrailOptions } from '../../src/server/services/audit-trail.js'
import { AuditRepository, type AuditEntry } from '../../src/storage/audit.js'
import { openDatabase, type Db } from '../../src/storage/database.js'
import { AS, appOptions, Clock, monthlyName, raw, testApp, validCgpem } from './helpers.js'

interface Entry {
  id: number
  at: string
  kind: string
  user: string | null
  address: string | null
  method: string | null
  route: string | null
  path: string | null
  fileName: string | null
  status: number | null
  bytesIn: number | null
  bytesOut: number | null
  durationMs: number | null
  sha256: string | null
  departement: string | null
  detail: string | null
}

async function audit (app: Awaited<ReturnType<typeof testApp>>, query = ''): Promise<{ entries: Entry[], next: number | null }> {
  const res = await app.inject({ url: `/api/v1/admin/audit?limit=1000${query}`, headers: AS.admin, remoteAddress: '10.0.0.99' })
  if (res.statusCode !== 200) throw new Error(`audit: ${res.statusCode} ${res.body}`)
  return res.json()
}

t.test('every request is in the trail with its fields: answered, refused, unauthenticated, unknown', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const cgpem = await validCgpem('77', 5)
  await app.inject({ url: '/livez', remoteAddress: '10.0.0.1' })
  await app.inject({ url: '/api/v1/files', remoteAddress: '10.0.0.2' })
  await app.inject({ url: `/api/v1/files/${monthlyName('77')}`, headers: AS.dept77, remoteAddress: '10.0.0.3' })
  const up = await app.inject({ method: 'POST', url: '/api/v1/files?name=sent.xml', headers: { ...AS.dept77, ...raw() }, payload: cgpem, remoteAddress: '10.0.0.4' })
  await app.inject({ url: '/nowhere', remoteAddress: '10.0.0.5' })
  const sha = up.json<{ file: { sha256: string } }>().file.sha256

  const { entries } = await audit(app)
  const byAddress = (a: string): Entry | undefined => entries.find((e) => e.address === a)
  t.match(byAddress('10.0.0.1'), { kind: 'request', method: 'GET', route: '/livez', path: '/livez', status: 200, user: null })
  t.match(byAddress('10.0.0.2'), { route: /^\/api\/v1\/files\/?$/, status: 401, user: null, detail: 'PHEBUS_AUTH_REQUIRED' })
  const download = byAddress('10.0.0.3')
  t.match(download, { user: 'dept77', departement: '77', route: '/api/v1/files/:name', path: `/api/v1/files/${monthlyName('77')}`, fileName: monthlyName('77'), status: 200, at: '2026-11-27T10:00:00.000Z' })
  t.ok((download?.bytesOut ?? 0) > 300 * 1200, 'bytes out: the file')
  t.equal(typeof download?.durationMs, 'number')
  t.match(byAddress('10.0.0.4'), { method: 'POST', fileName: 'sent.xml', status: 201, bytesIn: cgpem.length, sha256: sha, departement: '77' })
  t.match(byAddress('10.0.0.5'), { path: '/nowhere', status: 404, detail: 'PHEBUS_HTTP_NOT_FOUND' })

  const deposits = entries.filter((e) => e.kind === 'deposit')
  const deposited = deposits.map((e) => e.fileName)
  t.ok(['77', '93', '971'].map(monthlyName).every((n) => deposited.includes(n)), 'the start deposits are traced')
  t.ok(deposits.every((e) => /^[0-9a-f]{64}$/.test(e.sha256 ?? '')), 'with their SHA-256')
  t.ok(entries.some((e) => e.kind === 'start'), 'the start is traced')
})

t.test('the trail survives a restart and is read through the admin API with its filters', async (t) => {
  const dataDir = t.testdir()
  const first = await buildServer(appOptions(dataDir))
  await first.maintenance.settled()
  for (let i = 0; i < 3; i++) await first.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.0.1.1' })
  await first.inject({ url: '/api/v1/files', headers: AS.dept93, remoteAddress: '10.0.1.2' })
  await first.close()

  const app = await testApp(t, { dataDir })
  const all = await audit(app)
  t.ok(all.entries.some((e) => e.kind === 'stop'), 'the stop was traced')
  t.equal(all.entries.filter((e) => e.address === '10.0.1.1').length, 3, 'the requests before the restart are there')

  const cases = [
    { name: 'by département', query: '&departement=93', check: (e: Entry) => e.departement === '93', count: 2 },
    { name: 'by user', query: '&user=dept77', check: (e: Entry) => e.user === 'dept77', count: 3 },
    { name: 'by kind', query: '&kind=deposit', check: (e: Entry) => e.kind === 'deposit', count: 3 }
  ]
  for (const c of cases) {
    const { entries } = await audit(app, c.query)
    t.ok(entries.length >= c.count, `${c.name}: found`)
    t.ok(entries.every(c.check), `${c.name}: only those`)
  }
  const page1 = (await app.inject({ url: '/api/v1/admin/audit?limit=2', headers: AS.admin })).json<{ entries: Entry[], next: number }>()
  t.equal(page1.entries.length, 2)
  t.ok(page1.entries[0] !== undefined && page1.entries[1] !== undefined && page1.entries[0].id > page1.entries[1].id, 'newest first')
  const page2 = (await app.inject({ url: `/api/v1/admin/audit?limit=2&before=${page1.next}`, headers: AS.admin })).json<{ entries: Entry[] }>()
  t.ok(page2.entries.every((e) => e.id < page1.next), 'the next page is older')
  const bad = await app.inject({ url: '/api/v1/admin/audit?limit=0', headers: AS.admin })
  t.equal(bad.statusCode, 400)
  t.equal(bad.json<{ code: string }>().code, 'PHEBUS_HTTP_BAD_REQUEST')
})

t.test('the admin creates a département: random password shown once, stored hashed, usable at once', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: AS.admin, payload: { code: '2a', name: 'Corse-du-Sud' } })
  t.equal(res.statusCode, 201)
  const { departement, password } = res.json<{ departement: { code: string, username: string, demo: boolean }, password: string }>()
  t.match(departement, { code: '2A', username: 'dept2A', demo: false })
  t.match(password, /^[A-Za-z0-9_-]{24}$/)
  t.notOk(app.storage.db.prepare('SELECT password_hash FROM accounts WHERE username = ?').pluck().get('dept2A') === password, 'only the hash is stored')
  const auth = { authorization: `Basic ${Buffer.from(`dept2A:${password}`).toString('base64')}` }
  const files = await app.inject({ url: '/api/v1/files', headers: auth })
  t.equal(files.statusCode, 200)
  t.same(files.json<{ files: { name: string }[] }>().files.map((f) => f.name), ['PECGM_2A_M_20261101_20261102.txt'], 'a new département gets the month\'s stock, drawn with the scenario\'s defaults')
  const list = (await app.inject({ url: '/api/v1/admin/departements', headers: AS.admin })).json<{ departements: { code: string, files: number }[] }>()
  t.same(list.departements.map((d) => [d.code, d.files]), [['2A', 1], ['77', 1], ['93', 1], ['971', 2]], '971 has its daily flux too')
  const cases = [
    { name: 'twice', payload: { code: '2A', name: 'x' }, status: 409, code: 'PHEBUS_ADMIN_DEPARTEMENT_EXISTS' },
    { name: 'a scenario département', payload: { code: '77', name: 'x' }, status: 409, code: 'PHEBUS_ADMIN_DEPARTEMENT_EXISTS' },
    { name: 'no such code', payload: { code: '20', name: 'x' }, status: 400, code: 'PHEBUS_HTTP_BAD_REQUEST' },
    { name: 'a field missing', payload: { code: '13' }, status: 400, code: 'PHEBUS_HTTP_BAD_REQUEST' }
  ]
  for (const c of cases) {
    const r = await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: AS.admin, payload: c.payload })
    t.equal(r.statusCode, c.status, c.name)
    t.equal(r.json<{ code: string }>().code, c.code, c.name)
  }
})

/**
 * A full disk, for real and everywhere: SQLite's max_page_count held at the
 * database's size, filled until it refuses a row (SQLITE_FULL), then raised
 * when the test gives the space back. No mount, no root. The last rows are
 * the smallest an audit entry can be, at the end of the table and of each of
 * its indexes, where a test's entries go: none of them fits after.
 */
function fill (db: Db): void {
  db.exec('CREATE TABLE IF NOT EXISTS filler (x BLOB)')
  db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`)
  const untilFull = (sql: string): void => {
    const insert = db.prepare(sql)
    for (;;) {
      try { insert.run() } catch (err) {
        if ((err as { code?: string }).code === 'SQLITE_FULL') return
        throw err
      }
    }
  }
  for (const size of [1024, 64, 1]) untilFull(`INSERT INTO filler (x) VALUES (randomblob(${size}))`)
  untilFull("INSERT INTO audit (at, kind) VALUES (0, 'request')")
}
function giveSpaceBack (db: Db): void {
  db.pragma('max_page_count = 1073741823')
}

function entry (n: number): AuditEntry {
  return { at: 0, kind: 'request', username: null, address: '10.0.0.1', method: 'GET', route: '/t', path: '/t', fileName: null, status: 200, bytesIn: null, bytesOut: null, durationMs: 1, sha256: null, departement: null, detail: `n${n}` }
}

/** The entries the test recorded that the database holds, in the order of their ids. */
function written (db: Db): string[] {
  return db.prepare<[], string>("SELECT detail FROM audit WHERE path = '/t' ORDER BY id").pluck().all()
}

/** A trail on a real database, every append counted (its batch's size), every report kept. */
function fullTrail (t: Test, options: Partial<AuditTrailOptions>): { db: Db, trail: AuditTrail, batches: number[], errors: unknown[], recovered: AuditOutage[], lost: { waiting: number, dropped: number }[] } {
  const db = openDatabase(join(t.testdir(), 'phebus.sqlite'))
  const repository = new AuditRepository(db)
  const batches: number[] = []
  const append = repository.append.bind(repository)
  repository.append = (entries) => { batches.push(entries.length); append(entries) }
  const errors: unknown[] = []
  const recovered: AuditOutage[] = []
  const lost: { waiting: number, dropped: number }[] = []
  let wall = 1000
  const trail = new AuditTrail(repository, {
    flushIntervalMs: 60_000,
    flushRows: 10,
    onError: (err) => errors.push(err),
    onRecovered: (o) => recovered.push(o),
    onLost: (l) => lost.push(l),
    wall: () => wall++,
    ...options
  })
  t.teardown(() => { trail.close(); db.close() })
  fill(db)
  return { db, trail, batches, errors, recovered, lost }
}

const numbered = (from: number, to: number): string[] => Array.from({ length: to - from }, (_, i) => `n${from + i}`)

t.test('on a full disk a record makes no attempt of its own and the outage is reported once; once space is back, every entry is written once, in order, a batch at a time', async (t) => {
  const { db, trail, batches, errors, recovered } = fullTrail(t, {})
  for (let i = 0; i < 1000; i++) trail.record(entry(i))
  t.equal(batches.length, 1, 'a thousand records, one attempt: the tenth, which found the database full')
  t.equal(errors.length, 1, 'one error reported')
  t.equal((errors[0] as { code?: string }).code, 'SQLITE_FULL')
  t.same(trail.query({ limit: 5, departement: 'none' }), [], 'a read during the outage')
  t.equal(batches.length, 2, 'tries one batch, no more')
  t.equal(errors.length, 1, 'and is not reported again')
  t.same(written(db), [], 'nothing half written')

  giveSpaceBack(db)
  trail.query({ limit: 1 })
  t.same(written(db), numbered(0, 40), 'a read writes a few batches of the backlog, the oldest')
  t.same(recovered, [{ since: recovered[0]?.since, attempts: 2, waited: 1000, dropped: 0 }], 'the end reported once, with how many waited')
  while (written(db).length < 1000) await sleep(5)
  t.same(written(db), numbered(0, 1000), 'the timer the rest: every entry, once, in order')
  t.ok(batches.every((n) => n <= 10), 'never more than flushRows in a transaction')
  t.equal(errors.length, 1)
  t.equal(recovered.length, 1)
})

t.test('the timer retries alone, further apart each time, and writes the backlog once space is back', async (t) => {
  const { db, trail, batches, errors, recovered } = fullTrail(t, { flushIntervalMs: 1 })
  for (let i = 0; i < 500; i++) {
    trail.record(entry(i))
    if (i % 50 === 0) await sleep(30)
  }
  // 300 ms and more of outage: a retry every millisecond would make hundreds; waits that double, from 1 ms to 5 s, make 20 in 45 s
  t.ok(batches.length >= 2, `the timer retried (${batches.length} attempts)`)
  t.ok(batches.length <= 20, `further apart each time: ${batches.length} attempts for 500 records`)
  t.equal(errors.length, 1, 'one error reported')
  giveSpaceBack(db)
  while (written(db).length < 500) await sleep(20)
  t.same(written(db), numbered(0, 500), 'every entry, once, in order, without a read nor a record')
  t.equal(recovered.length, 1)
  t.equal(recovered[0]?.waited, 500)
})

t.test('past the bound the oldest waiting entries are dropped, counted and reported; the newest are written', async (t) => {
  const { db, trail, errors, recovered } = fullTrail(t, { maxPending: 100 })
  for (let i = 0; i < 2250; i++) trail.record(entry(i))
  t.equal(trail.waiting(), 100, 'memory bounded')
  giveSpaceBack(db)
  trail.flush()
  t.same(written(db), numbered(2150, 2250), 'the newest hundred, in order')
  t.same(recovered.map((o) => [o.waited, o.dropped]), [[100, 2150]], 'the end says how many waited and how many were dropped')
  t.equal(errors.length, 1)
})

t.test('stopped during an outage: one attempt more, what is lost is said, then entries go straight to the database', async (t) => {
  const { db, trail, batches, errors, lost } = fullTrail(t, {})
  for (let i = 0; i < 25; i++) trail.record(entry(i))
  trail.close()
  t.equal(batches.length, 2, 'the stop tries once more')
  t.same(lost, [{ waiting: 25, dropped: 0 }], 'and says what is lost')
  t.equal(errors.length, 1)
  giveSpaceBack(db)
  trail.record(entry(25))
  t.same(written(db), ['n25'], 'after the stop, an entry is written at once')
})

t.test('a full database costs a request no write and logs the outage twice, not once per request; every entry is written once space is back', async (t) => {
  const lines: { level: number, msg: string }[] = []
  const logStream = new Writable({ write (chunk: Buffer, _enc, done) { lines.push(JSON.parse(chunk.toString())); done() } })
  const app = await testApp(t, {}, { logStream })
  const db = app.storage.db
  const batches: number[] = []
  const append = app.storage.audit.append.bind(app.storage.audit)
  app.storage.audit.append = (entries) => { batches.push(entries.length); append(entries) }
  app.auditTrail.flush()
  fill(db)
  const livez = (): number => db.prepare<[], number>("SELECT count(*) FROM audit WHERE path = '/livez'").pluck().get() ?? 0
  const before = livez()
  const attemptsBefore = batches.length
  const statuses = new Set<number>()
  for (let i = 0; i < 2000; i++) statuses.add((await app.inject({ url: '/livez' })).statusCode)
  t.same([...statuses], [200], 'the requests are answered')
  t.ok(batches.length - attemptsBefore <= 20, `2 000 requests, ${batches.length - attemptsBefore} attempt(s) to write`)
  const errors = lines.filter((l) => l.level >= 50)
  t.equal(errors.length, 1, 'one error line for the outage')
  t.match(errors[0]?.msg, /^journal d'audit : écriture impossible, les entrées attendent en mémoire/)
  giveSpaceBack(db)
  t.equal((await app.inject({ url: '/api/v1/admin/audit?limit=1', headers: AS.admin })).statusCode, 200)
  while (livez() - before < 2000) await sleep(10)
  t.equal(livez() - before, 2000, 'every request traced once space is back, once')
  t.match(lines.filter((l) => l.level === 40).map((l) => l.msg), [/^journal d'audit : écriture rétablie après \d+ s, 2000 entrée\(s\) en attente écrite\(s\)$/], 'and its end, once')
})
