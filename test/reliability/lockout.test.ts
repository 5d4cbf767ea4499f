import t from 'tap'
import { AS, basic, testApp } from '../server/helpers.js'

/**
 * The lock-out holds under races and floods: parallel guesses get no more
 * tries than sequential ones, a flood of bad logins from one address stops
 * before it costs the others their passwords' checks, and a huge user name
 * is refused before it is hashed or kept.
 */

interface Answer { statusCode: number, json: <T>() => T }

t.test('a hundred wrong passwords at once from one address: five are checked, the others refused at once; the right one among them gets no 200', async (t) => {
  const verified: string[] = []
  const app = await testApp(t, { auth: { onVerify: (u) => verified.push(u) } })
  verified.length = 0
  const guesses = Array.from({ length: 99 }, (_, i) => basic('dept77', `guess-${i}`))
  const answers: Answer[] = await Promise.all([...guesses, AS.dept77].map(async (headers) => await app.inject({ url: '/api/v1/files', headers, remoteAddress: '10.5.5.5' })))
  t.equal(verified.length, 5, 'five password checks, not a hundred')
  t.equal(answers.filter((a) => a.statusCode === 401).length, 5)
  t.equal(answers.filter((a) => a.statusCode === 429).length, 95)
  t.equal(answers.at(-1)?.statusCode, 429, 'the right password, hidden among them, is refused')
  t.equal(answers.at(-1)?.json<{ code: string }>().code, 'PHEBUS_AUTH_LOCKED')
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.5.5.5' })).statusCode, 429, 'and the user is locked from there')
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '10.5.5.6' })).statusCode, 200, 'not from elsewhere')
})

t.test('a flood of unknown users from one address is cut off at the address limit, before any hash; the others go on', async (t) => {
  const verified: string[] = []
  const app = await testApp(t, { auth: { maxAddressFailures: 20, onVerify: (u) => verified.push(u) } })
  verified.length = 0
  const codes: string[] = []
  for (let i = 0; i < 60; i++) {
    const res = await app.inject({ url: '/api/v1/files', headers: basic(`inconnu${i}`, 'x'), remoteAddress: '10.6.6.6' })
    codes.push(res.json<{ code: string }>().code)
  }
  t.equal(verified.length, 20, 'twenty hashes, then none')
  t.same(codes.slice(0, 20), Array(20).fill('PHEBUS_AUTH_REQUIRED'))
  t.same(codes.slice(20), Array(40).fill('PHEBUS_AUTH_ADDRESS_LOCKED'))
  const locked = await app.inject({ url: '/api/v1/files', headers: AS.dept93, remoteAddress: '10.6.6.6' })
  t.equal(locked.statusCode, 429, 'the whole address is locked, right password or not')
  t.match(locked.json<{ message: string }>().message, /réessayez à \d{2} h \d{2}/, 'the message says until when')
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept93, remoteAddress: '10.6.6.7' })).statusCode, 200, 'another address is served')
})

t.test('password checks wait their turn, a few at a time; past the queue the answer is 503 with Retry-After', async (t) => {
  const app = await testApp(t, { auth: { maxConcurrentChecks: 1, maxQueuedChecks: 3, maxAddressFailures: 1000 } })
  const answers: Answer[] = await Promise.all(Array.from({ length: 10 }, async (_, i) => await app.inject({ url: '/api/v1/files', headers: basic(`file${i}`, 'x'), remoteAddress: `10.7.0.${i}` })))
  const codes = answers.map((a) => a.json<{ code: string }>().code).sort()
  t.equal(codes.filter((c) => c === 'PHEBUS_AUTH_REQUIRED').length, 4, 'one checked, three in line')
  t.equal(codes.filter((c) => c === 'PHEBUS_AUTH_BUSY').length, 6, 'the others told to come back')
  const busy = answers.find((a) => a.statusCode === 503) as unknown as { headers: Record<string, string> }
  t.equal(busy.headers['retry-after'], '1')
})

t.test('a user name of twelve kilobytes is refused before any hash, and the trail keeps only its beginning', async (t) => {
  const verified: string[] = []
  const app = await testApp(t, { auth: { onVerify: (u) => verified.push(u) } })
  verified.length = 0
  const huge = 'x'.repeat(12_000)
  for (let i = 0; i < 50; i++) {
    const res = await app.inject({ url: '/api/v1/files', headers: basic(huge, 'x'), remoteAddress: '10.8.8.8' })
    t.equal(res.statusCode, 401)
  }
  t.same(verified, [], 'no hash')
  app.auditTrail.flush()
  const longest = app.storage.db.prepare<[], number>("SELECT max(length(username)) FROM audit WHERE kind = 'request'").pluck().get()
  t.equal(longest, 65, 'the trail keeps 64 characters and an ellipsis')
})
