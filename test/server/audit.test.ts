import t from 'tap'
import { buildServer } from '../../src/server/build.js'
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
