import t from 'tap'
import { X509Certificate } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { request as httpsRequest } from 'node:https'
import { connect } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import type { TLSSocket } from 'node:tls'
import { startServer, type StartOptions } from '../../src/server/start.js'
import { AS, DEMO, appOptions, monthlyName, testApp, validCgpem } from './helpers.js'
import { waitFor } from '../reliability/server-process.js'

class Collect extends Writable {
  text = ''
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString()
    cb()
  }
}

function start (dataDir: string, more: Partial<StartOptions> = {}): Promise<Awaited<ReturnType<typeof startServer>> & { out: Collect }> {
  const out = new Collect()
  return startServer({ app: appOptions(dataDir), host: '127.0.0.1', port: 0, tls: { mode: 'off' }, stdout: out, stderr: out, handleSignals: false, ...more }).then((s) => Object.assign(s, { out }))
}

function httpsGet (url: string, headers: Record<string, string> = {}): Promise<{ status: number, body: Buffer, fingerprint: string }> {
  return new Promise((resolve, reject) => {
    httpsRequest(url, { headers, rejectUnauthorized: false }, (res) => {
      const chunks: Buffer[] = []
      const fingerprint = (res.socket as TLSSocket).getPeerX509Certificate()?.fingerprint256 ?? ''
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks), fingerprint }))
    }).on('error', reject).end()
  })
}

t.test('--tls serves HTTPS with a self-signed certificate made at the first start and kept', async (t) => {
  const root = t.testdir()
  const dataDir = join(root, 'a')
  const first = await start(dataDir, { tls: { mode: 'self-signed' } })
  await first.app.maintenance.settled()
  t.match(first.url, /^https:\/\/127\.0\.0\.1:\d+$/)
  t.match(first.out.text, /auto-signé, créé à ce démarrage/)
  const cert = new X509Certificate(readFileSync(join(dataDir, 'tls', 'cert.pem')))
  t.match(cert.subjectAltName, /DNS:localhost/)
  t.match(cert.subjectAltName, /IP Address:127\.0\.0\.1/)
  // the signature's algorithm as DER: ecdsa-with-SHA256 (1.2.840.10045.4.3.2), never ecdsa-with-SHA1 (1.2.840.10045.4.1)
  t.ok(cert.raw.includes(Buffer.from('06082a8648ce3d040302', 'hex')), 'signed with SHA-256')
  t.notOk(cert.raw.includes(Buffer.from('06072a8648ce3d0401', 'hex')), 'not with SHA-1')
  const res = await httpsGet(`${first.url}/api/v1/files/${monthlyName('77')}`, AS.dept77)
  t.equal(res.status, 200, 'the API over HTTPS')
  t.equal(res.fingerprint, cert.fingerprint256, 'with the certificate kept in the data folder')
  await first.close()

  const second = await start(dataDir, { tls: { mode: 'self-signed' } })
  t.notMatch(second.out.text, /créé à ce démarrage/)
  t.equal((await httpsGet(`${second.url}/livez`)).fingerprint, cert.fingerprint256, 'the same certificate at the next start')
  await second.close()

  const given = await start(join(root, 'b'), { tls: { mode: 'files', cert: join(dataDir, 'tls', 'cert.pem'), key: join(dataDir, 'tls', 'key.pem') } })
  t.equal((await httpsGet(`${given.url}/livez`)).fingerprint, cert.fingerprint256, '--tls-cert / --tls-key use the files given')
  await given.close()
  await t.rejects(start(join(root, 'c'), { tls: { mode: 'files', cert: '/nope/cert.pem', key: '/nope/key.pem' } }), { code: 'PHEBUS_SERVER_TLS' })
})

t.test('--port 0 picks a free port and prints the real URL and the demo accounts', async (t) => {
  const s = await start(t.testdir())
  t.match(s.url, /^http:\/\/127\.0\.0\.1:[1-9]\d*$/)
  t.match(s.out.text, s.url)
  for (const d of ['77', '93', '971']) t.match(s.out.text, `dept${d}`)
  t.match(s.out.text, /DÉMONSTRATION/)
  await s.close()
})

t.test('a client that stops sending in the middle of an upload is cut off, and leaves nothing', async (t) => {
  const dataDir = t.testdir()
  const app = await testApp(t, { dataDir }, { idleTimeoutMs: 300 })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const socket = connect(port, '127.0.0.1')
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.on('error', () => {})
  socket.write(`POST /api/v1/files?name=slow.xml HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n`)
  socket.write(Buffer.alloc(1000, 0x20))
  await closed
  t.pass('the server closed the connection')
  // the handler learns of the close and cleans up asynchronously: wait for it (bounded)
  for (let i = 0; i < 100 && readdirSync(join(dataDir, 'tmp')).length > 0; i++) await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(readdirSync(join(dataDir, 'tmp')), [], 'no temporary file left')
  t.same(readdirSync(join(dataDir, 'files', '77')), [monthlyName('77')], 'no file')
  let entry: { status: number, fileName: string, detail: string } | undefined
  for (let i = 0; i < 100 && entry === undefined; i++) {
    const trail = (await app.inject({ url: '/api/v1/admin/audit?user=dept77', headers: AS.admin })).json<{ entries: { status: number, fileName: string, detail: string }[] }>().entries
    entry = trail.find((e) => e.fileName === 'slow.xml')
    if (entry === undefined) await new Promise((resolve) => setTimeout(resolve, 20))
  }
  t.match(entry, { status: 408, detail: 'PHEBUS_HTTP_IDLE_TIMEOUT' }, 'traced as cut off by the server, not closed by the client')
})

t.test('a kept-alive connection silent after its answer is closed after --idle-timeout too, as it says', async (t) => {
  const app = await testApp(t, { dataDir: t.testdir() }, { idleTimeoutMs: 300 })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const { socket, answer, closed } = rawConnection(port, 'GET /livez HTTP/1.1\r\nHost: x\r\n\r\n')
  const at = await Promise.race([closed.then(() => Date.now()), new Promise<number>((resolve) => setTimeout(() => resolve(-1), 10_000))])
  socket.destroy()
  t.match(answer(), /^HTTP\/1\.1 200/)
  t.match(answer(), /keep-alive: timeout=0\b|keep-alive: timeout=1\b/i, 'the answer says how long it stays open (in whole seconds)')
  t.not(at, -1, 'closed by the server (not after Fastify\'s 72 s)')
})

/** An upload begun by hand on a raw socket: its answer as it comes, and when the server closes it. */
function rawUpload (url: string, name: string, length: number): RawConnection {
  return rawConnection(Number(new URL(url).port), `POST /api/v1/files?name=${name} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${length}\r\n\r\n`)
}

interface RawConnection { socket: ReturnType<typeof connect>, answer: () => string, closed: Promise<void> }

/** A connection to the server on `port` on which `request` is written as it is: its answer as it comes, and when the server closes it. */
function rawConnection (port: number, request: string): RawConnection {
  const socket = connect(port, '127.0.0.1')
  socket.on('error', () => {})
  let answer = ''
  socket.on('data', (d: Buffer) => { answer += d.toString('latin1') })
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.write(request)
  return { socket, answer: () => answer, closed }
}

async function auditOf (dataDir: string, fileName: string): Promise<{ status: number, detail: string | null } | undefined> {
  // the data folder as the next start finds it: the trail written before the stop
  const again = await start(dataDir)
  try {
    const trail = (await again.app.inject({ url: '/api/v1/admin/audit?user=dept77', headers: AS.admin })).json<{ entries: { status: number, fileName: string, detail: string | null }[] }>().entries
    return trail.find((e) => e.fileName === fileName)
  } finally {
    await again.close()
  }
}

t.test('a stop lets an upload in progress finish within --stop-timeout: answered, kept', async (t) => {
  const dataDir = t.testdir()
  const s = await start(dataDir, { stopTimeoutMs: 60_000, idleTimeoutMs: 120_000 })
  await s.app.maintenance.settled()
  const body = await validCgpem('77', 20)
  const up = rawUpload(s.url, 'fini.xml', body.length)
  up.socket.write(body.subarray(0, 100))
  // the handler is running (it reads the body) when the stop begins
  while (s.app.handlersRunning() === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  const stopped = s.close()
  up.socket.write(body.subarray(100))
  await stopped
  await up.closed
  t.match(up.answer(), /^HTTP\/1\.1 201 /, 'the upload is answered')
  t.notMatch(s.out.text, /arrêt après/, 'nothing cut')
  t.match(await auditOf(dataDir, 'fini.xml'), { status: 201 })
  t.same(readdirSync(join(dataDir, 'files', '77')).sort(), [monthlyName('77'), 'fini.xml'].sort(), 'the file is kept')
})

t.test('a stop cuts an upload still trickling in after --stop-timeout, traces it, and leaves nothing half-written', async (t) => {
  const dataDir = t.testdir()
  const s = await start(dataDir, { stopTimeoutMs: 200 })
  await s.app.maintenance.settled()
  const up = rawUpload(s.url, 'lent.xml', 100_000)
  up.socket.write('<?xml version="1.0"')
  // a byte now and then: never silent long enough for --idle-timeout, never finished
  const trickle = setInterval(() => { up.socket.write(' ') }, 20)
  t.teardown(() => { clearInterval(trickle) })
  while (s.app.handlersRunning() === 0) await new Promise((resolve) => setTimeout(resolve, 5))
  await s.close()
  await up.closed
  clearInterval(trickle)
  t.pass('the stop ended, and the client\'s connection with it')
  t.match(s.out.text, /arrêt après 0,2 s d'attente : 1 connexion coupée, 1 requête en cours/)
  t.notMatch(s.out.text, /écriture impossible|not open/, 'the trail was still open for the request cut')
  t.same(readdirSync(join(dataDir, 'tmp')), [], 'no temporary file left')
  t.same(readdirSync(join(dataDir, 'files', '77')), [monthlyName('77')], 'no file')
  t.match(await auditOf(dataDir, 'lent.xml'), { status: 503, detail: 'PHEBUS_HTTP_STOPPING' }, 'traced as cut by the stop')
})

t.test('a stop gives up the start deposits under way, without waiting for them: nothing of them kept, said so; the next start makes them', async (t) => {
  const dir = t.testdir()
  const dataDir = join(dir, 'data')
  // 77's stock (about 60 MB) on a helper thread: under way long after the stop begins, were it waited for
  const scenarioPath = join(dir, 'big77.yaml')
  writeFileSync(scenarioPath, readFileSync(DEMO, 'utf8').replace("code: '77'\n    name: Seine-et-Marne\n    population: 300\n", "code: '77'\n    name: Seine-et-Marne\n    population: 50000\n"))
  const options = appOptions(dataDir, { scenarioPath, depositThreadRecords: 1000 })
  const s = await start(dataDir, { app: options, stopTimeoutMs: 60_000 })
  await s.app.maintenance.whenReady()
  const tmp = join(dataDir, 'tmp')
  await waitFor('a stock to be written', () => readdirSync(tmp).some((f) => statSync(join(tmp, f)).size > 0))
  await s.close()
  t.match(s.out.text, /dépôts abandonnés par l'arrêt, rien n'en est gardé ; le prochain démarrage les fera : PECGM_77_M_20261101_20261102\.txt \(en cours\)/, 'the stop says what it gave up')
  t.match(s.app.maintenance.givenUp?.files, [{ departement: '77', file: monthlyName('77') }])
  t.notMatch(s.out.text, /arrêt après/, 'nothing was left to cut')
  t.same(readdirSync(tmp), [], 'no temporary file left')
  t.notOk(existsSync(join(dataDir, 'files', '77', monthlyName('77'))), '77\'s stock is not in place')

  const again = await testApp(t, options)
  // under its own name: the file given up was never one, its number is given back
  t.same(again.storage.files.list('77').map((f) => f.name), [monthlyName('77')], 'the next start makes it, once, under the name it would have had')
  for (const code of ['77', '93', '971']) t.equal(again.storage.files.list(code).filter((f) => f.periodicity === 'M').length, 1, `${code}: one stock`)
})

t.test('a download still going out after --stop-timeout (a slow-body fault) is cut and traced as cut by the stop', async (t) => {
  const dataDir = t.testdir()
  const s = await start(dataDir, { stopTimeoutMs: 200 })
  await s.app.maintenance.settled()
  const set = await s.app.inject({ method: 'POST', url: '/api/v1/admin/faults', headers: AS.admin, payload: { code: 'slow-body', departement: '77', route: 'download', bytesPerSecond: 1000 } })
  t.equal(set.statusCode, 201)
  const { port } = new URL(s.url)
  const socket = connect(Number(port), '127.0.0.1')
  socket.on('error', () => {})
  // the answer has begun (its headers, the first paced bytes) when the stop begins
  const begun = new Promise<void>((resolve) => socket.once('data', () => resolve()))
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()))
  socket.write(`GET /api/v1/files/${monthlyName('77')} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\n\r\n`)
  await begun
  await s.close()
  await closed
  t.match(s.out.text, /1 connexion coupée/)
  t.match(await auditOf(dataDir, monthlyName('77')), { status: 503, detail: 'PHEBUS_HTTP_STOPPING' }, 'traced as cut by the stop, not as closed by the client')
})

t.test('a request the server takes longer than --idle-timeout to answer (a delay fault, a wait for the start\'s stocks) is answered, not cut as a silent client', async (t) => {
  const app = await testApp(t, { dataDir: t.testdir() }, { idleTimeoutMs: 300 })
  const set = await app.inject({ method: 'POST', url: '/api/v1/admin/faults', headers: AS.admin, payload: { code: 'delay', departement: '77', route: 'list', delayMs: 900 } })
  t.equal(set.statusCode, 201)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const { answer, closed } = rawConnection(port, `GET /api/v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\n\r\n`)
  await closed
  t.match(answer(), /^HTTP\/1\.1 200 /, 'the list, after the delay three times the idle timeout')
  t.match(answer(), /"files":\[/)
})

t.test('an upload waiting for a validating thread longer than --idle-timeout is not cut: the silence is the server\'s; it is then validated on the thread and answered', async (t) => {
  const app = await testApp(t, { dataDir: t.testdir(), validateThreadBytes: 0 }, { idleTimeoutMs: 300 })
  const { ValidatorThreads } = await import('../../src/server/services/validator-threads.js')
  // one thread, held by an upload that is not done
  const pool = new ValidatorThreads({ minBytes: 0, threads: 1 })
  t.teardown(async () => { await pool.close() })
  pool.begin({ today: 0, sample: null, declaredLength: null }).discard()
  await pool.whenReady()
  const holder = pool.begin({ today: 0, sample: null, declaredLength: null })
  Object.assign(app, { validators: pool })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  const body = await validCgpem('77', 3000)
  t.ok(body.length > 2 * 1024 * 1024, 'more than the socket and the server buffer before the body is read')
  const up = rawUpload(`http://127.0.0.1:${port}`, 'en-attente.xml', body.length)
  up.socket.write(body)
  while (pool.queued === 0) await new Promise((resolve) => setTimeout(resolve, 10))
  // three idle timeouts without a byte read
  await new Promise((resolve) => setTimeout(resolve, 1000))
  t.equal(up.answer(), '', 'not answered, not cut')
  holder.discard()
  const answered = await Promise.race([
    new Promise<string>((resolve) => { const poll = (): void => { if (/\r\n\r\n\{/.test(up.answer())) resolve(up.answer()); else setTimeout(poll, 20) }; poll() }),
    up.closed.then(() => up.answer())
  ])
  t.match(answered, /^HTTP\/1\.1 201 /, 'the upload is answered once the thread is free')
  up.socket.destroy()
  t.ok(app.storage.files.find('77', 'en-attente.xml'), 'and kept')
})

t.test('an upload refused before its body is read (a name taken) reaches a client still sending it without Expect: the server reads on and drops the body (a lingering close), never resets the connection before its answer is read', async (t) => {
  const app = await testApp(t, { dataDir: t.testdir() })
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=pris.xml', headers: { ...AS.dept77, 'content-type': 'application/octet-stream' }, payload: '<CGPEM/>' })).statusCode, 422)
  const body = Buffer.alloc(20 * 1024 * 1024, 0x20)
  for (let run = 0; run < 5; run++) {
    const { socket, answer, closed } = rawConnection(port, `POST /api/v1/files?name=pris.xml HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`)
    let reset = false
    socket.on('error', (err: NodeJS.ErrnoException) => { if (err.code === 'ECONNRESET' || err.code === 'EPIPE') reset = true })
    socket.write(body)
    await Promise.race([closed, new Promise((resolve) => setTimeout(resolve, 10_000))])
    socket.destroy()
    t.match(answer(), /^HTTP\/1\.1 409 /, `run ${run + 1}: the 409 read`)
    t.equal(reset, false, `run ${run + 1}: no reset`)
  }
})
