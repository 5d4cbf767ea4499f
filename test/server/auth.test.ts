import t, { type Test as Tap } from 'tap'
import { once } from 'node:events'
import { Agent, request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { CredentialCache } from '../../src/server/auth/credential-cache.js'
import { LoginGuard, ROOM_STEP, type Reservation } from '../../src/server/auth/login-guard.js'
import { hashPassword, randomPassword, verifyPassword } from '../../src/server/auth/passwords.js'
import { resolveAppOptions } from '../../src/server/options.js'
import type { FastifyInstance } from 'fastify'
import { AS, basic, Clock, listenOnLoopback, TEST_SCRYPT, testApp } from './helpers.js'
import { PageClient } from './pages/client.js'

const MINUTE = 60_000

t.test('passwords are stored as salted scrypt hashes with their parameters', async (t) => {
  const a = await hashPassword('demo-77', { N: 1024, r: 8, p: 1 })
  const b = await hashPassword('demo-77', { N: 1024, r: 8, p: 1 })
  t.match(a, /^scrypt\$1024\$8\$1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
  t.not(a, b, 'a random salt each time')
  t.equal(await verifyPassword('demo-77', a), true)
  t.equal(await verifyPassword('demo-93', a), false)
  for (const broken of ['', 'bcrypt$x', 'scrypt$0$8$1$AA==$AA==', 'scrypt$1024$8$1$AA==']) t.equal(await verifyPassword('demo-77', broken), false, `unreadable hash ${broken}`)
})

t.test('a password is the same typed composed or decomposed (NFC, RFC 7617 with charset="UTF-8"), set through the API and used over Basic', async (t) => {
  const composed = 'mot-de-passe-\u00e9t\u00e9-1234'
  const decomposed = composed.normalize('NFD')
  t.not(decomposed, composed, 'two different strings')
  const hash = await hashPassword(decomposed, { N: 1024, r: 8, p: 1 })
  t.equal(await verifyPassword(composed, hash), true, 'set decomposed, checked composed')
  t.equal(await verifyPassword('mot-de-passe-ete-1234', hash), false, 'an accent is still a character')
  const app = await testApp(t)
  const set = await app.inject({ method: 'POST', url: '/api/v1/admin/departements/77/password', headers: AS.admin, payload: { password: composed } })
  t.equal(set.statusCode, 200)
  for (const [name, password] of [['composed', composed], ['decomposed', decomposed]] as const) {
    t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept77', password) })).statusCode, 200, name)
  }
})

t.test('a generated password is 24 base64url characters, never one that a command line reads as an option', async (t) => {
  // one in 64 would begin with a hyphen: `phebus-mock qualify --password -x…` refuses it as an option (seen in CI)
  const drawn = Array.from({ length: 4000 }, () => randomPassword())
  t.ok(drawn.every((p) => /^[A-Za-z0-9_-]{24}$/.test(p)), 'base64url, 24 characters')
  t.equal(drawn.filter((p) => p.startsWith('-')).length, 0, 'none begins with a hyphen')
  t.ok(drawn.filter((p) => p.startsWith('_')).length > 0, 'the other characters still begin one')
  t.equal(new Set(drawn).size, drawn.length, 'all different')
})

t.test('the credential cache runs one verification per credential, in flight or remembered, and never remembers a failure', async (t) => {
  const clock = new Clock()
  const calls: string[] = []
  const releases: (() => void)[] = []
  const cache = new CredentialCache<string>({
    size: 2,
    ttlMs: 5 * MINUTE,
    now: clock.now,
    verify: async (user, password) => {
      calls.push(user)
      await new Promise<void>((resolve) => releases.push(resolve))
      return password === `pw-${user}` ? user : null
    }
  })
  const concurrent = Array.from({ length: 10 }, async () => await cache.check('a', 'pw-a'))
  await new Promise((resolve) => setImmediate(resolve))
  t.same(calls, ['a'], 'ten concurrent requests, one verification')
  for (const r of releases.splice(0)) r()
  t.same(await Promise.all(concurrent), Array(10).fill('a'))
  t.equal(await cache.check('a', 'pw-a'), 'a')
  t.same(calls, ['a'], 'remembered')

  const failures = [cache.check('b', 'wrong'), cache.check('b', 'wrong')]
  await new Promise((resolve) => setImmediate(resolve))
  for (const r of releases.splice(0)) r()
  t.same(await Promise.all(failures), [null, null])
  const again = cache.check('b', 'wrong')
  await new Promise((resolve) => setImmediate(resolve))
  for (const r of releases.splice(0)) r()
  t.equal(await again, null)
  t.same(calls, ['a', 'b', 'b'], 'a failure is never remembered: checked again')

  const wrongForA = cache.check('a', 'not-pw-a')
  await new Promise((resolve) => setImmediate(resolve))
  for (const r of releases.splice(0)) r()
  t.equal(await wrongForA, null, 'a remembered user with another password is checked, and refused')

  clock.advance(5 * MINUTE + 1)
  const expired = cache.check('a', 'pw-a')
  await new Promise((resolve) => setImmediate(resolve))
  for (const r of releases.splice(0)) r()
  t.equal(await expired, 'a')
  t.equal(calls.filter((c) => c === 'a').length, 3, 'checked again once its time is up')

  for (const u of ['c', 'd']) {
    const p = cache.check(u, `pw-${u}`)
    await new Promise((resolve) => setImmediate(resolve))
    for (const r of releases.splice(0)) r()
    await p
  }
  t.equal(cache.size, 2, 'bounded: the oldest entry went out')
})

t.test('a password changed: the cache forgets that account, and does not keep a verification that was in flight', async (t) => {
  const clock = new Clock()
  const calls: string[] = []
  const releases: (() => void)[] = []
  const cache = new CredentialCache<{ username: string }>({
    size: 10,
    ttlMs: 5 * MINUTE,
    now: clock.now,
    verify: async (user) => {
      calls.push(user)
      await new Promise<void>((resolve) => releases.push(resolve))
      return { username: user }
    }
  })
  const settle = async <T>(p: Promise<T>): Promise<T> => {
    await new Promise((resolve) => setImmediate(resolve))
    for (const r of releases.splice(0)) r()
    return await p
  }
  await settle(cache.check('a', 'pw'))
  await settle(cache.check('c', 'pw'))
  const inFlight = cache.check('b', 'pw')
  await new Promise((resolve) => setImmediate(resolve))
  cache.forget((account) => account.username === 'a')
  for (const r of releases.splice(0)) r()
  t.same(await inFlight, { username: 'b' }, 'the request in flight gets its answer')
  calls.length = 0
  await settle(cache.check('a', 'pw'))
  await settle(cache.check('b', 'pw'))
  await cache.check('c', 'pw')
  t.same(calls, ['a', 'b'], 'the forgotten account and the one in flight are checked again; another stays remembered')
})

t.test('the login guard locks a key after five failures in fifteen minutes', async (t) => {
  const clock = new Clock()
  const guard = new LoginGuard({ maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, now: clock.now, clearOnSuccess: true })
  const cases = [
    { name: 'four failures do not lock', failures: 4, spread: 0, locked: false },
    { name: 'five failures lock', failures: 5, spread: 0, locked: true },
    { name: 'five failures over more than fifteen minutes do not', failures: 5, spread: 4 * MINUTE, locked: false }
  ]
  const attempt = (key: string): Reservation => {
    const r = guard.begin(key)
    if ('until' in r) throw new Error(`${key} is locked`)
    return r
  }
  for (const [i, c] of cases.entries()) {
    for (let k = 0; k < c.failures; k++) {
      attempt(`user${i}`).fail()
      clock.advance(c.spread)
    }
    t.equal(guard.lockedFor(`user${i}`) > 0, c.locked, c.name)
    t.equal(guard.lockedFor(`other${i}`), 0, `${c.name}: another key is not affected`)
  }
  for (let k = 0; k < 5; k++) attempt('user8').fail()
  t.equal(guard.lockedFor('user8'), 900, 'for fifteen minutes')
  t.same(guard.begin('user8'), { until: clock.at + 15 * MINUTE }, 'a new attempt is refused with the end of the lock')
  clock.advance(15 * MINUTE - 1000)
  t.equal(guard.lockedFor('user8'), 1)
  clock.advance(1000)
  t.equal(guard.lockedFor('user8'), 0, 'the lock ends after fifteen minutes')
  for (let k = 0; k < 4; k++) attempt('user9').fail()
  attempt('user9').succeed()
  attempt('user9').fail()
  t.equal(guard.lockedFor('user9'), 0, 'a success clears the count')
})

t.test('attempts in flight take their places first: of a hundred at once, five are checked; a success gives its place back', async (t) => {
  const clock = new Clock()
  const guard = new LoginGuard({ maxFailures: 5, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, now: clock.now, clearOnSuccess: true })
  const all = Array.from({ length: 100 }, () => guard.begin('k'))
  const admitted = all.filter((r): r is Reservation => !('until' in r))
  t.equal(admitted.length, 5, 'five places')
  t.ok(all.slice(5).every((r) => 'until' in r && r.until === clock.at + 15 * MINUTE), 'the others are refused before any check, told to come back after the lock')
  admitted[0]?.succeed()
  t.equal(guard.lockedFor('k'), 0, 'one right password: no lock')
  t.equal(typeof guard.begin('k'), 'object', 'and its place is free again')
  for (const r of admitted.slice(1)) r.fail()
  t.equal(guard.lockedFor('k'), 0, 'four failures after the success do not lock')

  const address = new LoginGuard({ maxFailures: 3, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, now: clock.now, clearOnSuccess: false })
  for (let i = 0; i < 2; i++) (address.begin('10.0.0.1') as Reservation).fail()
  ;(address.begin('10.0.0.1') as Reservation).succeed()
  const cancelled = address.begin('10.0.0.1') as Reservation
  cancelled.cancel()
  ;(address.begin('10.0.0.1') as Reservation).fail()
  t.equal(address.lockedFor('10.0.0.1'), 900, 'for an address, a success does not clear the failures of others')
})

/** A guard for addresses (a success does not clear), small enough to fill, and a failure for a key. */
function smallGuard (clock: Clock, maxEntries: number, maxFailures = 3): { guard: LoginGuard, fail: (key: string) => void } {
  const guard = new LoginGuard({ maxFailures, windowMs: 15 * MINUTE, lockMs: 15 * MINUTE, now: clock.now, clearOnSuccess: false, maxEntries })
  const fail = (key: string): void => {
    const r = guard.begin(key)
    if ('until' in r) throw new Error(`${key} is refused`)
    r.fail()
  }
  return { guard, fail }
}

t.test('a full guard: a flood of new keys never takes a lock while a key without one can go, and never makes it hold more than maxEntries', async (t) => {
  const clock = new Clock()
  const { guard, fail } = smallGuard(clock, 100)
  const locked: string[] = []
  for (let i = 0; i < 10; i++) fail(`before-${i}`)
  // more locks in a row than a new key looks at
  for (let i = 0; i < 2 * ROOM_STEP; i++) {
    for (let k = 0; k < 3; k++) fail(`locked-${i}`)
    locked.push(`locked-${i}`)
  }
  for (let i = 0; i < 10; i++) fail(`after-${i}`)
  let largest = guard.size
  for (let i = 0; i < 10_000; i++) {
    clock.advance(1)
    fail(`flood-${i}`)
    largest = Math.max(largest, guard.size)
  }
  t.equal(largest, 100, 'never more than maxEntries')
  t.same(locked.filter((k) => guard.lockedFor(k) === 0), [], 'every lock is still there')
  t.equal(guard.locks().length, locked.length)
})

t.test('a full guard forgets first the keys with nothing to remember, and keeps the failures still in their window', async (t) => {
  const clock = new Clock()
  const { guard, fail } = smallGuard(clock, 100, 2)
  for (let i = 0; i < 50; i++) fail(`old-${i}`)
  clock.advance(16 * MINUTE)
  for (let i = 0; i < 50; i++) fail(`recent-${i}`)
  for (let i = 0; i < 40; i++) fail(`new-${i}`)
  t.ok(guard.size <= 100, `${guard.size} keys, at most 100`)
  for (let i = 0; i < 50; i++) fail(`recent-${i}`)
  t.equal(guard.locks().length, 50, 'every key with a failure in its window remembered it: a second one locks')
})

t.test('a new key in a full guard looks at a bounded number of records, however many are remembered', async (t) => {
  for (const maxEntries of [1_000, 50_000]) {
    const clock = new Clock()
    const { guard, fail } = smallGuard(clock, maxEntries, 100)
    for (let i = 0; i < maxEntries; i++) fail(`full-${i}`)
    const before = guard.visited
    for (let i = 0; i < 2_000; i++) fail(`new-${i}`)
    t.equal(guard.size, maxEntries, `${maxEntries}: full`)
    t.ok((guard.visited - before) / 2_000 <= 2 * ROOM_STEP, `${maxEntries} remembered: ${(guard.visited - before) / 2_000} records looked at per new key`)
  }
})

t.test('a guard full of locks and attempts in flight lets the lock that ends first go, never a key with an attempt in flight', async (t) => {
  const clock = new Clock()
  const { guard, fail } = smallGuard(clock, 6)
  const inFlight = ['a', 'b', 'c'].map((k) => guard.begin(k) as Reservation)
  for (const k of ['first', 'second', 'third']) {
    for (let i = 0; i < 3; i++) fail(k)
    clock.advance(MINUTE)
  }
  fail('new')
  t.equal(guard.size, 6)
  t.same(guard.locks().map((l) => l.key), ['third', 'second'], 'the lock that ended first went')
  for (const r of inFlight) r.fail()
  for (const k of ['a', 'b', 'c']) for (let i = 0; i < 2; i++) fail(k)
  t.same(['a', 'b', 'c'].map((k) => guard.lockedFor(k) > 0), [true, true, true], 'the attempts in flight were counted: their keys were kept')
})

t.test('five bad passwords lock the user from that address: 429 with Retry-After even with the right password, traced', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const from = (address: string, headers: Record<string, string>): Promise<{ statusCode: number, headers: Record<string, unknown>, json: <T>() => T }> =>
    app.inject({ url: '/api/v1/files', headers, remoteAddress: address })
  for (let i = 0; i < 5; i++) {
    const res = await from('10.1.1.1', basic('dept77', `guess-${i}`))
    t.equal(res.statusCode, 401, `attempt ${i + 1}`)
  }
  const locked = await from('10.1.1.1', AS.dept77)
  t.equal(locked.statusCode, 429, 'the right password is refused while locked')
  t.equal(locked.json<{ code: string }>().code, 'PHEBUS_AUTH_LOCKED')
  t.equal(locked.headers['retry-after'], '900')
  t.equal((await from('10.1.1.2', AS.dept77)).statusCode, 200, 'another address is not affected')
  t.equal((await from('10.1.1.1', AS.dept93)).statusCode, 200, 'another user from that address is not affected')
  clock.advance(10 * MINUTE)
  t.equal((await from('10.1.1.1', AS.dept77)).headers['retry-after'], '300', 'Retry-After counts down')
  clock.advance(5 * MINUTE)
  t.equal((await from('10.1.1.1', AS.dept77)).statusCode, 200, 'unlocked after fifteen minutes')

  const trail = await app.inject({ url: '/api/v1/admin/audit?user=dept77&limit=100', headers: AS.admin, remoteAddress: '10.9.9.9' })
  const entries = trail.json<{ entries: { status: number, address: string, departement: string, detail: string | null }[] }>().entries
  const fromThere = entries.filter((e) => e.address === '10.1.1.1').reverse()
  t.same(fromThere.map((e) => e.status), [401, 401, 401, 401, 401, 429, 429, 200])
  t.ok(fromThere.filter((e) => e.status !== 200).every((e) => e.departement === '77' && e.detail !== null), 'every failure traced with the account\'s département and its code')
})

t.test('concurrent requests with one credential run scrypt once; a wrong password is checked every time', async (t) => {
  const verified: string[] = []
  const app = await testApp(t, { auth: { onVerify: (u) => verified.push(u) } })
  verified.length = 0
  const answers = await Promise.all(Array.from({ length: 20 }, async () => (await app.inject({ url: '/api/v1/files', headers: AS.dept93 })).statusCode))
  t.same(new Set(answers), new Set([200]))
  t.same(verified, ['dept93'], 'twenty requests, one scrypt verification')
  await app.inject({ url: '/api/v1/files', headers: AS.dept93 })
  t.same(verified, ['dept93'], 'then served from the cache')
  for (let i = 0; i < 3; i++) await app.inject({ url: '/api/v1/files', headers: basic('dept93', 'wrong'), remoteAddress: `10.2.0.${i}` })
  t.same(verified, ['dept93', 'dept93', 'dept93', 'dept93'], 'failures are never cached')
})

t.test('a restart is no way round a lock: the guard is rebuilt from the trail', async (t) => {
  const clock = new Clock()
  const dataDir = t.testdir()
  const first = await testApp(t, { dataDir, now: clock.now })
  for (let i = 0; i < 5; i++) await first.inject({ url: '/api/v1/files', headers: basic('dept93', `guess-${i}`), remoteAddress: '10.3.3.3' })
  for (let i = 0; i < 4; i++) await first.inject({ url: '/api/v1/files', headers: basic('dept77', `guess-${i}`), remoteAddress: '10.3.3.3' })
  await first.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.3.3.3' })
  await first.close()
  clock.advance(MINUTE)
  const second = await testApp(t, { dataDir, now: clock.now })
  const locked = await second.inject({ url: '/api/v1/files', headers: AS.dept93, remoteAddress: '10.3.3.3' })
  t.equal(locked.statusCode, 429, 'still locked after the restart')
  t.equal(locked.headers['retry-after'], '840', 'for what is left of the fifteen minutes')
  await second.inject({ url: '/api/v1/files', headers: basic('dept77', 'guess-5'), remoteAddress: '10.3.3.3' })
  t.equal((await second.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.3.3.3' })).statusCode, 200, 'a success before the restart still cleared its count')
  clock.advance(14 * MINUTE)
  t.equal((await second.inject({ url: '/api/v1/files', headers: AS.dept93, remoteAddress: '10.3.3.3' })).statusCode, 200, 'and the lock ends on time')
})

t.test('a page opened by a session is no login: it clears no failure while the server runs, nor in the replay after a restart', async (t) => {
  const clock = new Clock()
  const dir = t.testdir()
  const sequence = async (app: FastifyInstance): Promise<void> => {
    const page = new PageClient(app, '10.4.4.4')
    t.equal((await page.login('dept77', 'demo-77')).statusCode, 303, 'logged in on the login page')
    for (let i = 0; i < 4; i++) await app.inject({ url: '/api/v1/files', headers: basic('dept77', `guess-${i}`), remoteAddress: '10.4.4.4' })
    t.equal((await page.get('/fichiers')).statusCode, 200, 'a page of the session, after the four failures')
  }
  // while the server runs: the fifth failure locks, the session's page cleared nothing
  const live = await testApp(t, { dataDir: join(dir, 'running'), now: clock.now })
  await sequence(live)
  await live.inject({ url: '/api/v1/files', headers: basic('dept77', 'guess-4'), remoteAddress: '10.4.4.4' })
  t.equal((await live.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.4.4.4' })).statusCode, 429, 'locked while running')
  // the same with a restart before the fifth failure: the trail replayed as it happened
  const dataDir = join(dir, 'restarted')
  const first = await testApp(t, { dataDir, now: clock.now })
  await sequence(first)
  await first.close()
  clock.advance(MINUTE)
  const second = await testApp(t, { dataDir, now: clock.now })
  await second.inject({ url: '/api/v1/files', headers: basic('dept77', 'guess-4'), remoteAddress: '10.4.4.4' })
  t.equal((await second.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.4.4.4' })).statusCode, 429, 'locked after a restart as well')
})

t.test('the admin password needs at least twelve characters', async (t) => {
  const base = { dataDir: '/nonexistent', scenarioPath: '/nonexistent' }
  t.throws(() => resolveAppOptions({ ...base, adminPassword: 'onze-signes' }), { code: 'PHEBUS_SERVER_OPTIONS', message: /au moins 12 caractères/ })
  t.doesNotThrow(() => resolveAppOptions({ ...base, adminPassword: 'douze-signes' }))
})

t.test('a keep-alive connection is let in again on the header it was opened with, never past a lock, a new password or the cache\'s time', async (t) => {
  const clock = new Clock()
  const verified: string[] = []
  const app = await testApp(t, { now: clock.now, auth: { onVerify: (u) => verified.push(u) } })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const address = app.server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  // one connection, kept: every request of the test goes over it
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  t.teardown(() => { agent.destroy() })
  const sockets = new Set<unknown>()
  const get = (headers: Record<string, string>): Promise<number> => new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port: address.port, path: '/api/v1/files', headers, agent }, (res) => {
      sockets.add(res.socket)
      res.resume()
      res.on('end', () => { resolve(res.statusCode ?? 0) })
    }).on('error', reject).end()
  })
  let lookedUp = 0
  const known = app.authenticator.known.bind(app.authenticator)
  app.authenticator.known = (...args) => {
    lookedUp++
    return known(...args)
  }
  verified.length = 0

  t.equal(await get(AS.dept77), 200)
  t.same(verified, ['dept77'], 'the first request is checked')
  const first = lookedUp
  t.ok(first > 0)
  t.equal(await get(AS.dept77), 200)
  t.equal(await get(AS.dept77), 200)
  t.equal(lookedUp, first, 'the next ones on the connection, with the same header, are let in without being looked up again')
  t.equal(await get(basic('dept77', 'wrong')), 401, 'another header on that connection is checked: a wrong password is refused')
  t.equal(await get(AS.dept77), 200, 'and the remembered one still opens')

  // the remembered header's success started the count again: five failures after it
  for (let i = 0; i < 5; i++) await get(basic('dept77', `guess-${i}`))
  t.equal(await get(AS.dept77), 429, 'five failures lock the user from that address: the remembered header is refused too')
  clock.advance(15 * MINUTE)
  verified.length = 0
  t.equal(await get(AS.dept77), 200, 'the lock over, let in')
  t.same(verified, ['dept77'], 'checked again: the cache\'s five minutes were over')
  t.equal(await get(AS.dept77), 200)
  clock.advance(5 * MINUTE)
  t.equal(await get(AS.dept77), 200)
  t.same(verified, ['dept77', 'dept77'], 'remembered no longer than the cache trusts the credentials')

  const renewed = await app.inject({ method: 'POST', url: '/api/v1/admin/departements/77/password', headers: { ...AS.admin, 'content-type': 'application/json' }, payload: { password: 'un-autre-mot-de-passe-77' } })
  t.equal(renewed.statusCode, 200)
  t.equal(await get(AS.dept77), 401, 'the password changed: the old one no longer opens, even on a connection it opened')
  t.equal(await get(basic('dept77', 'un-autre-mot-de-passe-77')), 200, 'the new one does')
  t.equal(sockets.size, 1, 'all over one connection')

  const trail = await app.inject({ url: '/api/v1/admin/audit?user=dept77&limit=100', headers: AS.admin })
  const entries = trail.json<{ entries: { status: number, user: string, departement: string }[] }>().entries
  t.ok(entries.filter((e) => e.status === 200).every((e) => e.user === 'dept77' && e.departement === '77'), 'requests let in on a remembered header are traced with their user and département')
  t.equal(entries.filter((e) => e.status === 200).length, 8)
})

t.test('a right password the cache knows does not pass while a burst of guesses fills every place of its user (it would tell which guess was right)', async (t) => {
  const app = await testApp(t)
  const from = async (headers: Record<string, string>, address = '10.3.3.3'): Promise<number> =>
    (await app.inject({ url: '/api/v1/files', headers, remoteAddress: address })).statusCode
  t.equal(await from(AS.dept77), 200, 'the password is checked once: the cache knows it')
  const burst = Array.from({ length: 60 }, (_, i) => from(i === 45 ? AS.dept77 : basic('dept77', `guess-${i}`)))
  const statuses = await Promise.all(burst)
  t.equal(statuses.filter((s) => s === 401).length, 5, 'five guesses checked')
  t.equal(statuses[45], 429, 'the right one, hidden among them, is refused as the unchecked guesses are')
  t.notOk(statuses.includes(200))
  t.equal(await from(AS.dept77, '10.3.3.4'), 200, 'from another address, the account works')
})

/**
 * The admin's change of dept77's password, landing while a check of the old
 * one is hashing it: armed, it happens right after that check has read the
 * account (as the admin's route does it: the new hash, the cache and the
 * sessions forgotten), so that the race is the same on every machine.
 */
async function changeDuringCheck (app: FastifyInstance): Promise<() => void> {
  const accounts = app.storage.accounts
  const changed = await hashPassword('nouveau-mot-de-passe-77', TEST_SCRYPT)
  const find = accounts.find.bind(accounts)
  let armed = false
  accounts.find = (username) => {
    const account = find(username)
    if (armed && username === 'dept77') {
      armed = false
      accounts.replacePassword('dept77', changed)
      app.authenticator.forget('dept77')
      app.sessions.endAllOf('dept77')
    }
    return account
  }
  return () => { armed = true }
}

t.test('a password changed while the old one is being checked: the old one opens no request, the new one does', async (t) => {
  const app = await testApp(t)
  const arm = await changeDuringCheck(app)
  arm()
  const old = await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  t.equal(old.statusCode, 401, 'checked against the password it was given for, then found changed: refused')
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode, 401, 'and not remembered as right')
  t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept77', 'nouveau-mot-de-passe-77') })).statusCode, 200, 'the new password opens')
})

t.test('a password changed while the login page checks the old one: no session opens', async (t) => {
  const app = await testApp(t)
  const arm = await changeDuringCheck(app)
  const page = new PageClient(app)
  await page.get('/')
  arm()
  const login = await page.post('/connexion', { identifiant: 'dept77', motDePasse: 'demo-77' })
  t.equal(login.statusCode, 401, 'the login page says the password is wrong')
  t.not((await page.get('/fichiers')).statusCode, 200, 'and the browser has no session')
  t.equal((await page.login('dept77', 'nouveau-mot-de-passe-77')).statusCode, 303, 'the new password logs in')
})

t.test('a success the cache answers starts its user\'s count again, as a checked one does', async (t) => {
  const app = await testApp(t)
  const files = async (headers: Record<string, string>): Promise<number> => (await app.inject({ url: '/api/v1/files', headers, remoteAddress: '10.7.0.1' })).statusCode
  t.equal(await files(AS.dept77), 200, 'checked, then known to the cache')
  for (let i = 0; i < 4; i++) t.equal(await files(basic('dept77', `faute-${i}`)), 401)
  t.equal(await files(AS.dept77), 200, 'a success, from the cache')
  t.equal(await files(basic('dept77', 'faute-après')), 401, 'one typo since that success')
  t.equal(await files(AS.dept77), 200, 'one failure since the last success: not locked')
  t.equal(app.authenticator.lockedFor('dept77', '10.7.0.1'), 0)
})

/** A hash as costly as a real password's: its check lasts long enough for a client to leave during it. */
const SLOW_SCRYPT = { N: 16384, r: 8, p: 1 }

/** dept77's trail entries once there are `count` of them (each is written once its password check has ended), or those there are after 10 s. */
async function dept77Entries (app: FastifyInstance, count: number): Promise<{ status: number, detail: string | null }[]> {
  for (const until = Date.now() + 10_000; ;) {
    const res = await app.inject({ url: '/api/v1/admin/audit?user=dept77&limit=50', headers: AS.admin, remoteAddress: '10.9.9.9' })
    const entries = res.json<{ entries: { status: number, detail: string | null }[] }>().entries
    if (entries.length >= count || Date.now() > until) return entries
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/**
 * A listening app whose dept77 has a slow hash, and a way to send a request
 * and leave as soon as its password is being checked; then the status the
 * right password gets from a restarted app, a minute later.
 */
async function leavingDuringCheck (t: Tap): Promise<{ app: FastifyInstance, port: number, url: string, sendAndLeave: (request: string) => Promise<void>, afterRestart: () => Promise<number> }> {
  const clock = new Clock()
  const dataDir = t.testdir()
  let checking: (() => void) | null = null
  const app = await testApp(t, { dataDir, now: clock.now, auth: { onVerify: () => { checking?.() } } })
  app.storage.accounts.replacePassword('dept77', await hashPassword('le-bon-mot-de-passe', SLOW_SCRYPT))
  const { port, url } = await listenOnLoopback(app)
  const sendAndLeave = async (request: string): Promise<void> => {
    const socket = connect(port, '127.0.0.1')
    await once(socket, 'connect')
    const started = new Promise<void>((resolve) => { checking = resolve })
    socket.write(request)
    await started
    checking = null
    socket.destroy()
  }
  const afterRestart = async (): Promise<number> => {
    await app.close()
    clock.advance(MINUTE)
    const second = await testApp(t, { dataDir, now: clock.now })
    return (await second.inject({ url: '/api/v1/files', headers: basic('dept77', 'le-bon-mot-de-passe'), remoteAddress: '127.0.0.1' })).statusCode
  }
  return { app, port, url, sendAndLeave, afterRestart }
}

t.test('a wrong password whose client leaves during its check is traced as refused, and its lock survives a restart', async (t) => {
  const { app, sendAndLeave, afterRestart } = await leavingDuringCheck(t)
  for (let i = 0; i < 5; i++) {
    await sendAndLeave(`GET /api/v1/files HTTP/1.1\r\nHost: phebus\r\nAuthorization: ${basic('dept77', `faux-${i}`).authorization}\r\n\r\n`)
    await dept77Entries(app, i + 1)
  }
  const entries = await dept77Entries(app, 5)
  t.same(entries.map((e) => [e.status, e.detail]), Array(5).fill([499, 'PHEBUS_AUTH_REQUIRED']), 'each in the trail: the client left (499), its password refused')
  t.ok(app.authenticator.lockedFor('dept77', '127.0.0.1') > 0, 'five failures lock dept77 from that address')
  t.equal(await afterRestart(), 429, 'a restart does not lift it')
})

t.test('a login page whose browser leaves during the check of a wrong password: a failure, not a success, after a restart too', async (t) => {
  const { app, port, url, sendAndLeave, afterRestart } = await leavingDuringCheck(t)
  const page = new PageClient(app, '127.0.0.1', url)
  for (let i = 0; i < 4; i++) t.equal((await page.login('dept77', `faux-${i}`)).statusCode, 401)
  await page.get('/')
  const cookie = [...page.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  const form = new URLSearchParams({ _csrf: page.token, identifiant: 'dept77', motDePasse: 'faux-4' }).toString()
  await sendAndLeave(`POST /connexion HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nOrigin: ${url}\r\nCookie: ${cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(form)}\r\n\r\n${form}`)
  const entries = await dept77Entries(app, 5)
  t.same(entries[0], { ...entries[0], status: 499, detail: 'PHEBUS_AUTH_REQUIRED' }, 'traced once the check ended: refused, the browser gone')
  t.ok(app.authenticator.lockedFor('dept77', '127.0.0.1') > 0, 'the fifth failure locks')
  t.equal(await afterRestart(), 429, 'still locked after a restart: the abandoned attempt was replayed as a failure')
})

t.test('the Authorization header is read as RFC 9110 writes it: « Basic », one space or more, the credentials; any case of the scheme', async (t) => {
  const app = await testApp(t)
  const token = Buffer.from('dept77:demo-77').toString('base64')
  const cases = [
    { header: `Basic ${token}`, status: 200 },
    { header: `Basic  ${token}`, status: 200, why: 'two spaces' },
    { header: `basic ${token}`, status: 200, why: 'the scheme in lower case' },
    { header: `Basic${token}`, status: 401, why: 'no space: no scheme' },
    { header: `Basic ${token} x`, status: 401, why: 'something after the credentials' }
  ]
  for (const c of cases) {
    const res = await app.inject({ url: '/api/v1/files', headers: { authorization: c.header } })
    t.equal(res.statusCode, c.status, c.why ?? c.header.slice(0, 12))
  }
})
