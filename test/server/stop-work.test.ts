import t, { type Test } from 'tap'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { once } from 'node:events'
import { request } from 'node:http'
import { connect } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { FastifyInstance } from 'fastify'
import { buildServer } from '../../src/server/build.js'
import type { AppOptionsInput } from '../../src/server/options.js'
import { startServer, type StartOptions } from '../../src/server/start.js'
import { AS, DEMO, appOptions, monthlyName, raw, validCgpem } from './helpers.js'
import { waitFor } from '../reliability/server-process.js'

/**
 * What a stop does to the work requests asked for beside the server's own
 * deposits (those are given up at once: network.test.ts): an admin's
 * deposit on the helper threads, and the answer PECGM of an upload in
 * qualification, made once the upload is answered.
 */

class Collect extends Writable {
  text = ''
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString()
    cb()
  }
}

/** A scenario where 77 has 50 000 people: its stock (about 60 MB) is made on a helper thread, long enough to be under way when a stop begins. */
function big77 (dir: string): AppOptionsInput {
  const scenarioPath = join(dir, 'big77.yaml')
  writeFileSync(scenarioPath, readFileSync(DEMO, 'utf8').replace("code: '77'\n    name: Seine-et-Marne\n    population: 300\n", "code: '77'\n    name: Seine-et-Marne\n    population: 50000\n"))
  return appOptions(join(dir, 'data'), { scenarioPath, depositThreadRecords: 1000 })
}

/** Resolves once a file being made in tmp/ has bytes: the deposit asked for is under way. */
async function depositUnderWay (dataDir: string): Promise<void> {
  const tmp = join(dataDir, 'tmp')
  await waitFor('the deposit to be written', () => readdirSync(tmp).some((f) => statSync(join(tmp, f)).size > 0))
}

/** The stock the admin asks for on the 27th: made that day */
const ASKED = 'PECGM_77_M_20261101_20261127.txt'
/** The answer PECGM of an upload in qualification on the 27th */
const ANSWER = 'PECGM_77_M_20261101_20261127.txt'

/** The admin's POST /api/v1/admin/deposits over a real connection: its status line and body, or the error that ended it. */
function depositOver (url: string): Promise<{ status: number, body: string } | { error: string }> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/admin/deposits`, { method: 'POST', headers: { ...AS.admin, 'content-type': 'application/json' } }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
      res.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }))
    })
    req.on('error', (err) => resolve({ error: (err as NodeJS.ErrnoException).code ?? err.message }))
    req.end(JSON.stringify({ departement: '77', periodicity: 'M' }))
  })
}

/** The trail's entries of the admin's deposit requests, read by a server started again on the folder. */
async function depositRequests (options: AppOptionsInput): Promise<{ status: number, detail: string | null }[]> {
  const again = await buildServer(options)
  try {
    await again.maintenance.settled()
    return (await again.inject({ url: '/api/v1/admin/audit?route=/api/v1/admin/deposits', headers: AS.admin })).json<{ entries: { status: number, detail: string | null }[] }>().entries
  } finally {
    await again.close()
  }
}

function errorLines (log: string): string[] {
  return log.split('\n').filter((l) => /"level":(50|60)/.test(l))
}

t.test('an admin\'s deposit on a helper thread still under way when the app closes is given up: a French 503, nothing kept, no error logged', async (t) => {
  const dir = t.testdir()
  const options = big77(dir)
  const dataDir = options.dataDir
  const log = new Collect()
  const app: FastifyInstance = await buildServer(options, { logStream: log })
  await app.maintenance.settled()
  const asked = app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'M' } })
  await depositUnderWay(dataDir)
  await app.close()
  const res = await asked
  t.equal(res.statusCode, 503, 'a 503, not a 500')
  t.match(res.json(), { code: 'PHEBUS_HTTP_STOPPING', message: /^Le serveur s'arrête : le dépôt PECGM_77_M_20261101_20261127\.txt est abandonné, rien n'en est gardé ; demandez-le de nouveau une fois le serveur redémarré\.$/ })
  t.same(errorLines(log.text), [], 'nothing in the server\'s error log')
  t.same(readdirSync(join(dataDir, 'tmp')), [], 'no temporary file left')
  t.same(readdirSync(join(dataDir, 'files', '77')), [monthlyName('77')], 'no file of it in place')

  const again = await buildServer(options)
  t.teardown(async () => { await again.close() })
  await again.maintenance.settled()
  t.same(again.storage.files.list('77').map((f) => f.name), [monthlyName('77')], 'nothing of it recorded')
  const stock = await again.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'M' } })
  t.equal(stock.json().name, 'PECGM_77_M_20261101_20261127.txt', 'under the name it would have had: the file given up was never one, its number is given back (D9)')
})

/** A real server stopped while the admin's deposit is under way: what the deposit's client got, the server's output, and its deposit requests as the trail kept them (read by a next start). */
async function stopDuringDeposit (t: Test, stopTimeoutMs: number): Promise<{ dataDir: string, out: Collect, res: Awaited<ReturnType<typeof depositOver>>, traced: { status: number, detail: string | null }[] }> {
  const options = big77(t.testdir())
  const out = new Collect()
  const s = await startServer({ app: options, host: '127.0.0.1', port: 0, tls: { mode: 'off' }, stdout: out, stderr: out, handleSignals: false, stopTimeoutMs } satisfies StartOptions)
  await s.app.maintenance.settled()
  const asked = depositOver(s.url)
  await depositUnderWay(options.dataDir)
  await s.close()
  const res = await asked
  t.same(readdirSync(join(options.dataDir, 'tmp')), [], 'no temporary file left')
  const traced = await depositRequests(options)
  t.equal(traced.length, 1, 'traced once')
  return { dataDir: options.dataDir, out, res, traced }
}

t.test('a stop lets an admin\'s deposit on a helper thread finish within --stop-timeout: answered 201, kept whole', async (t) => {
  const { dataDir, out, res, traced } = await stopDuringDeposit(t, 60_000)
  t.match(res, { status: 201 }, 'answered once made')
  t.match(JSON.parse((res as { body: string }).body), { name: ASKED })
  t.notMatch(out.text, /arrêt après|erreur interne|"level":50/, 'nothing cut, no error')
  t.ok(existsSync(join(dataDir, 'files', '77', ASKED)), 'in place')
  t.match(traced, [{ status: 201 }])
})

t.test('an admin\'s deposit still under way after --stop-timeout is given up with its connection: traced 503 PHEBUS_HTTP_STOPPING, nothing kept, no error logged', async (t) => {
  const { dataDir, out, res, traced } = await stopDuringDeposit(t, 50)
  t.match(res, { error: /ECONNRESET|socket hang up/ }, 'its connection cut, as any request past --stop-timeout')
  t.match(out.text, /arrêt après 0,05 s d'attente : 1 connexion coupée, 1 requête en cours/)
  t.notMatch(out.text, /erreur interne|"level":50/, 'no error')
  t.same(readdirSync(join(dataDir, 'files', '77')), [monthlyName('77')], 'no file of it in place')
  t.match(traced, [{ status: 503, detail: 'PHEBUS_HTTP_STOPPING' }], 'as cut by the stop')
})

t.test('a request that comes on a kept connection while the server stops is refused in French, traced, and told to close the connection', async (t) => {
  const options = big77(t.testdir())
  const out = new Collect()
  const s = await startServer({ app: options, host: '127.0.0.1', port: 0, tls: { mode: 'off' }, stdout: out, stderr: out, handleSignals: false, stopTimeoutMs: 60_000 } satisfies StartOptions)
  await s.app.maintenance.settled()
  const { port } = new URL(s.url)
  const socket = connect(Number(port), '127.0.0.1')
  await once(socket, 'connect')
  let received = ''
  socket.setEncoding('utf8')
  socket.on('data', (c: string) => { received += c })
  const ended = once(socket, 'close')
  const body = JSON.stringify({ departement: '77', periodicity: 'M' })
  // the admin's deposit keeps the connection busy while the stop begins; a département's request follows on it, sent during the stop
  socket.write(`POST /api/v1/admin/deposits HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.admin.authorization}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
  await depositUnderWay(options.dataDir)
  const stopped = s.close()
  await new Promise((resolve) => setTimeout(resolve, 50))
  socket.write(`GET /api/v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\n\r\n`)
  await stopped
  await ended
  const answers = received.split(/(?=HTTP\/1\.1 )/)
  t.equal(answers.length, 2, 'two answers')
  t.match(answers[0], /^HTTP\/1\.1 201 /, 'the deposit under way finished')
  const [head = '', refusal = ''] = (answers[1] ?? '').split('\r\n\r\n')
  t.match(head, /^HTTP\/1\.1 503 /)
  t.match(head, /\r\nconnection: close/i, 'the client is told to close the connection')
  t.match(JSON.parse(refusal), { code: 'PHEBUS_HTTP_STOPPING', message: /^Le serveur s'arrête/ }, 'in French, with its code')
  const again = await buildServer(options)
  t.teardown(async () => { await again.close() })
  await again.maintenance.settled()
  const traced = (await again.inject({ url: '/api/v1/admin/audit?route=/api/v1/files', headers: AS.admin })).json<{ entries: { status: number, detail: string | null }[] }>().entries
  t.match(traced, [{ status: 503, detail: 'PHEBUS_HTTP_STOPPING' }], 'in the trail (refused before its credentials were read)')
})

interface Qualification { step: number, answer: { name: string, answerTo: string } | null, checks: { id: string, status: string, evidence: unknown[] }[] }

/** What a département's software does first in qualification: start it, send an accepted CGPEM. */
async function uploadInQualification (t: Test, app: FastifyInstance, name: string): Promise<void> {
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const up = await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77', 20) })
  t.equal(up.statusCode, 201)
  t.equal(up.json().file.status, 'accepted')
}

async function answers (app: FastifyInstance): Promise<string[]> {
  return ((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string, role?: string }[]).filter((f) => f.role === 'answer').map((f) => f.name)
}

t.test('a stop right after an upload in qualification is answered waits for its answer PECGM', async (t) => {
  const dataDir = t.testdir()
  const app = await buildServer(appOptions(dataDir))
  await app.maintenance.settled()
  await uploadInQualification(t, app, 'avant-arret.xml')
  await app.close()
  const again = await buildServer(appOptions(dataDir))
  t.teardown(async () => { await again.close() })
  const q = (await again.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json<Qualification>()
  t.match(q, { step: 3, answer: { name: ANSWER, answerTo: 'avant-arret.xml' } })
  t.same(await answers(again), [ANSWER])
})

t.test('an upload in qualification whose answer PECGM was not made (the process ended first) is answered at the next start, once', async (t) => {
  const dataDir = t.testdir()
  const app = await buildServer(appOptions(dataDir))
  await app.maintenance.settled()
  // as a kill right after the upload's 201 (a second Ctrl+C, docker's SIGKILL, a crash): what it still had to do never runs
  app.departementWork.add = () => {}
  await uploadInQualification(t, app, 'avant-kill.xml')
  await app.close()

  const again = await buildServer(appOptions(dataDir))
  const q = (await again.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json<Qualification>()
  t.match(q, { step: 3, answer: { name: ANSWER, answerTo: 'avant-kill.xml' } }, 'the upload counts, and has its answer')
  t.match(q.checks.find((c) => c.id === 'cgpem-accepte'), { status: 'passed' }, 'the upload is evidence of the iteration')
  t.same(await answers(again), [ANSWER], 'the answer PECGM is there for the département to download')
  await again.close()
  const third = await buildServer(appOptions(dataDir))
  t.teardown(async () => { await third.close() })
  t.same(await answers(third), [ANSWER], 'made once: a start after it makes none')
})
