import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { durationText, lockMessage, parisMoment } from '../../src/server/auth/locks.js'
import { AS, basic, Clock, DAY, DEMO, testApp } from './helpers.js'
import { PageClient, textOf } from './pages/client.js'

/**
 * The classroom: the admin sees the locks after failed logins and lifts one;
 * the lift is traced and survives a restart; the others stay; a 429 says
 * until when, in French.
 */

const MINUTE = 60_000

interface Lock { id: string, scope: string, user: string | null, departement: string | null, address: string, failures: number, lockedAt: string, until: string, untilLocal: string, retryAfter: number }

async function typos (app: FastifyInstance, user: string, address: string, n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await app.inject({ url: '/api/v1/files', headers: basic(user, `typo-${i}`), remoteAddress: address })
}

async function locks (app: FastifyInstance): Promise<Lock[]> {
  const res = await app.inject({ url: '/api/v1/admin/locks', headers: AS.admin, remoteAddress: '10.0.0.99' })
  return res.json<{ locks: Lock[] }>().locks
}

async function lift (app: FastifyInstance, id: string, headers = AS.admin): Promise<{ statusCode: number, json: <T>() => T }> {
  return await app.inject({ method: 'DELETE', url: `/api/v1/admin/locks/${id}`, headers, remoteAddress: '10.0.0.99' })
}

async function files (app: FastifyInstance, headers: Record<string, string>, address: string): Promise<number> {
  return (await app.inject({ url: '/api/v1/files', headers, remoteAddress: address })).statusCode
}

t.test('a lock is listed with its user, address, failures and end, lifted by the admin, and the user logs in at once', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  t.same(await locks(app), [], 'no lock at first')
  await typos(app, 'dept77', '10.1.0.1')
  clock.advance(MINUTE)
  const [lock, ...others] = await locks(app)
  t.same(others, [])
  t.match(lock, {
    scope: 'user',
    user: 'dept77',
    departement: '77',
    address: '10.1.0.1',
    failures: 5,
    lockedAt: new Date(clock.at - MINUTE).toISOString(),
    until: new Date(clock.at + 14 * MINUTE).toISOString(),
    // T0 is 10:00 UTC, 11:00 in Paris in November
    untilLocal: '2026-11-27 11:15 (Europe/Paris)',
    retryAfter: 14 * 60
  })
  t.match(lock?.id, /^[A-Za-z0-9._-]+$/, 'an id safe in a URL')
  t.equal(await files(app, AS.dept77, '10.1.0.1'), 429, 'locked')
  const lifted = await lift(app, lock?.id ?? '')
  t.equal(lifted.statusCode, 204)
  t.equal(await files(app, AS.dept77, '10.1.0.1'), 200, 'the right password works at once')
  t.same(await locks(app), [], 'no lock left')
  t.equal((await lift(app, lock?.id ?? '')).statusCode, 404, 'a lock lifted is no longer there')
  const gone = await lift(app, 'user.bm9ib2R5.MTAuMC4wLjE')
  t.equal(gone.statusCode, 404, 'nor one that never was')
  t.equal(gone.json<{ code: string }>().code, 'PHEBUS_HTTP_NOT_FOUND', 'in the project\'s error format')

  const trail = await app.inject({ url: '/api/v1/admin/audit?user=admin&limit=10', headers: AS.admin, remoteAddress: '10.0.0.99' })
  const entry = trail.json<{ entries: { method: string, path: string, status: number, detail: string | null }[] }>().entries.find((e) => e.method === 'DELETE' && e.status === 204)
  t.match(entry, { path: `/api/v1/admin/locks/${lock?.id ?? ''}`, detail: /^blocage levé \S+ \(dept77 depuis 10\.1\.0\.1\)$/ }, 'the trail says who lifted what')
  const journal = await app.inject({ url: '/api/v1/admin/audit?departement=77&limit=50', headers: AS.admin, remoteAddress: '10.0.0.99' })
  const ofDepartement = journal.json<{ entries: { method: string, path: string, user: string | null }[] }>().entries.find((e) => e.method === 'DELETE')
  t.match(ofDepartement, { path: `/api/v1/admin/locks/${lock?.id ?? ''}`, user: 'admin' }, 'the lift of a user\'s lock is in its département\'s journal')
})

t.test('lifting one lock leaves the others; an address lock is listed and lifted on its own', async (t) => {
  const app = await testApp(t, { auth: { maxAddressFailures: 12 } })
  await typos(app, 'dept77', '10.2.0.1')
  await typos(app, 'dept93', '10.2.0.1')
  await typos(app, 'dept77', '10.2.0.2')
  const before = await locks(app)
  t.equal(before.length, 3)
  const target = before.find((l) => l.user === 'dept93')
  t.equal((await lift(app, target?.id ?? '')).statusCode, 204)
  t.same((await locks(app)).map((l) => `${l.user ?? ''}@${l.address}`).sort(), ['dept77@10.2.0.1', 'dept77@10.2.0.2'], 'the two others stay')
  t.equal(await files(app, AS.dept93, '10.2.0.1'), 200)
  t.equal(await files(app, AS.dept77, '10.2.0.1'), 429)
  t.equal(await files(app, AS.dept77, '10.2.0.2'), 429)

  // two more failures from 10.2.0.1 make twelve for that address: the whole address is locked
  await typos(app, 'inconnu', '10.2.0.1', 2)
  const address = (await locks(app)).find((l) => l.scope === 'address')
  t.match(address, { user: null, departement: null, address: '10.2.0.1', failures: 12 })
  t.equal(await files(app, AS.dept93, '10.2.0.1'), 429, 'the address lock holds everyone there')
  t.equal((await lift(app, address?.id ?? '')).statusCode, 204)
  t.equal(await files(app, AS.dept93, '10.2.0.1'), 200, 'lifted')
  t.equal(await files(app, AS.dept77, '10.2.0.1'), 429, 'the user lock from that address stays')
})

t.test('a lift survives a restart: the replay of the trail honours it, and a lock not lifted comes back', async (t) => {
  const clock = new Clock()
  const dataDir = t.testdir()
  const first = await testApp(t, { dataDir, now: clock.now })
  await typos(first, 'dept77', '10.3.0.1')
  await typos(first, 'dept93', '10.3.0.1')
  const lock = (await locks(first)).find((l) => l.user === 'dept77')
  t.equal((await lift(first, lock?.id ?? '')).statusCode, 204)
  await first.close()
  clock.advance(MINUTE)
  const second = await testApp(t, { dataDir, now: clock.now })
  t.same((await locks(second)).map((l) => l.user), ['dept93'], 'only the lock that was not lifted')
  t.equal(await files(second, AS.dept77, '10.3.0.1'), 200, 'the lifted user logs in after the restart')
  t.equal(await files(second, AS.dept93, '10.3.0.1'), 429, 'the other is still locked')
  // after the lift, four typos do not lock: the failures before it were forgotten with it, across the restart too
  await typos(second, 'dept77', '10.3.0.1', 4)
  await second.close()
  const third = await testApp(t, { dataDir, now: clock.now })
  t.equal(await files(third, AS.dept77, '10.3.0.1'), 200)
})

t.test('a département sees no lock route: the admin\'s routes answer it as routes that do not exist', async (t) => {
  const app = await testApp(t)
  await typos(app, 'dept93', '10.4.0.1')
  const id = (await locks(app))[0]?.id ?? ''
  const unknown = await app.inject({ url: '/api/v1/admin/nothing-here', headers: AS.dept77 })
  const cases = [
    { name: 'list', res: await app.inject({ url: '/api/v1/admin/locks', headers: AS.dept77 }) },
    { name: 'lift', res: await lift(app, id, AS.dept77) },
    { name: 'lift an id that is not one', res: await lift(app, 'x'.repeat(2000), AS.dept77) }
  ]
  for (const c of cases) {
    t.equal(c.res.statusCode, 404, c.name)
    t.equal(c.res.json<{ code: string, message: string }>().message, unknown.json<{ message: string }>().message, `${c.name}: as a route that does not exist`)
  }
  t.equal((await locks(app)).length, 1, 'the lock is still there')
  t.equal((await app.inject({ url: '/api/v1/admin/locks', headers: basic('admin', 'wrong-password') })).statusCode, 401, 'without the admin\'s password: 401')
})

t.test('a 429 says until when in French, in its body and on the login page, with Retry-After', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  await typos(app, 'dept77', '10.5.0.1')
  clock.advance(30_000)
  const res = await app.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.5.0.1' })
  t.equal(res.statusCode, 429)
  t.equal(res.headers['retry-after'], String(15 * 60 - 30))
  const body = res.json<{ code: string, message: string }>()
  t.equal(body.code, 'PHEBUS_AUTH_LOCKED')
  t.equal(body.message, 'Trop d\'échecs de connexion : identifiant bloqué depuis cette adresse encore 15 min ; réessayez à 11 h 15 (heure de Paris). Un administrateur peut lever ce blocage.')

  const page = new PageClient(app, '10.5.0.1')
  await page.get('/')
  const login = await page.post('/connexion', { identifiant: 'dept77', motDePasse: 'demo-77' })
  t.equal(login.statusCode, 429)
  t.match(textOf(login.body), 'identifiant bloqué depuis cette adresse encore 15 min ; réessayez à 11 h 15 (heure de Paris)')
  t.match(login.body, /<h2 id="erreur-titre">Connexion bloquée pour l&#39;instant<\/h2>/, 'under a heading that says it is a lock')
})

t.test('the time a lock ends is rounded up to the minute, and carries its day when it is not today in Paris', async (t) => {
  const at = (iso: string): number => Date.parse(iso)
  const cases = [
    { name: 'on the minute', until: '2026-11-27T10:15:00Z', now: '2026-11-27T10:00:00Z', expect: 'à 11 h 15' },
    { name: 'within a minute: the next one', until: '2026-11-27T10:15:01Z', now: '2026-11-27T10:00:00Z', expect: 'à 11 h 16' },
    { name: 'morning: two digits', until: '2026-11-27T08:05:00Z', now: '2026-11-27T08:00:00Z', expect: 'à 09 h 05' },
    { name: 'summer time', until: '2026-07-01T08:05:00Z', now: '2026-07-01T08:00:00Z', expect: 'à 10 h 05' },
    { name: 'just after midnight in Paris: the time alone', until: '2026-11-27T23:10:00Z', now: '2026-11-27T22:50:00Z', expect: 'à 00 h 10' },
    { name: 'later the same day, however long', until: '2026-11-27T20:00:00Z', now: '2026-11-27T00:30:00Z', expect: 'à 21 h 00' },
    { name: 'the next day, more than twelve hours ahead: with its day', until: '2026-11-28T08:00:00Z', now: '2026-11-27T16:00:00Z', expect: 'le 28 novembre à 09 h 00' },
    { name: 'the first of a month', until: '2026-12-01T08:00:00Z', now: '2026-11-30T16:00:00Z', expect: 'le 1er décembre à 09 h 00' }
  ]
  for (const c of cases) t.equal(parisMoment(at(c.until), at(c.now)), c.expect, c.name)
  t.same([45_000, 60_000, 14 * MINUTE + 1, 90 * MINUTE, DAY].map(durationText), ['45 s', '1 min', '15 min', '1 h 30 min', '24 h'])
  t.match(lockMessage('address', at('2026-11-27T10:15:00Z'), at('2026-11-27T10:00:00Z')), /^Trop d'échecs de connexion depuis cette adresse, tous identifiants confondus : adresse bloquée encore 15 min ; réessayez à 11 h 15 \(heure de Paris\)/)
})

t.test('locks keep the wall clock: moving the exchange\'s clock a day lifts nothing and moves no end', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now, clock: { mode: 'frozen' } })
  await typos(app, 'dept77', '10.6.0.1')
  const before = await locks(app)
  const moved = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: AS.admin, payload: { advance: '+1d' } })
  t.equal(moved.statusCode, 200)
  t.same(await locks(app), before, 'the same lock, the same end')
  t.equal(await files(app, AS.dept77, '10.6.0.1'), 429)
})

/** The demo scenario with a lockout block, written in the test's folder. */
function scenarioWith (dir: string, lockout: string): string {
  const path = join(dir, 'salle.yaml')
  writeFileSync(path, `${readFileSync(DEMO, 'utf8')}\nlockout:\n${lockout}`)
  return path
}

t.test('the scenario sets the thresholds: in a training room twenty typos lock nobody, and its own lock lasts its time', async (t) => {
  const clock = new Clock()
  const dir = t.testdir()
  const room = await testApp(t, { dataDir: join(dir, 'data'), now: clock.now, scenarioPath: scenarioWith(dir, '  failures: 50\n  windowMinutes: 10\n  lockMinutes: 2\n  addressFailures: 1000\n') })
  await typos(room, 'dept77', '10.7.0.1', 20)
  t.same(await locks(room), [], 'twenty typos: no lock')
  t.equal(await files(room, AS.dept77, '10.7.0.1'), 200)
  await typos(room, 'dept93', '10.7.0.1', 50)
  const [lock] = await locks(room)
  t.match(lock, { user: 'dept93', failures: 50, retryAfter: 120 }, 'fifty lock for two minutes')
  t.match((await room.inject({ url: '/api/v1/files', headers: AS.dept93, remoteAddress: '10.7.0.1' })).json<{ message: string }>().message, /encore 2 min ; réessayez à 11 h 02 \(heure de Paris\)/)
  clock.advance(2 * 60_000)
  t.equal(await files(room, AS.dept93, '10.7.0.1'), 200, 'and no longer')
})

t.test('a bad lockout in the scenario stops the start with its position', async (t) => {
  const dir = t.testdir()
  await t.rejects(testApp(t, { dataDir: join(dir, 'data'), scenarioPath: scenarioWith(dir, '  failures: 0\n') }), { code: 'PHEBUS_SERVER_SCENARIO', message: /salle\.yaml:\d+:\d+ lockout\.failures : la valeur doit être au moins 1/ })
})

t.test('an address lock holds every département there, but not the admin, who can then lift it; the admin\'s own lock still holds', async (t) => {
  const app = await testApp(t, { auth: { maxAddressFailures: 3 } })
  await typos(app, 'inconnu', '127.0.0.1', 3)
  t.equal(await files(app, AS.dept93, '127.0.0.1'), 429, 'the address is locked for the départements')
  const listed = await app.inject({ url: '/api/v1/admin/locks', headers: AS.admin, remoteAddress: '127.0.0.1' })
  t.equal(listed.statusCode, 200, 'the admin reads the locks from that very address')
  const id = listed.json<{ locks: Lock[] }>().locks.find((l) => l.scope === 'address')?.id ?? ''
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/admin/locks/${id}`, headers: AS.admin, remoteAddress: '127.0.0.1' })).statusCode, 204, 'and lifts it')
  t.equal(await files(app, AS.dept93, '127.0.0.1'), 200, 'lifted')

  await typos(app, 'inconnu', '127.0.0.1', 3)
  await typos(app, 'admin', '127.0.0.1', 5)
  t.equal((await app.inject({ url: '/api/v1/admin/locks', headers: AS.admin, remoteAddress: '127.0.0.1' })).statusCode, 429, 'five wrong admin passwords lock the admin from there, as anyone')
})
