import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { connect, type Socket } from 'node:net'
import { AS, listenOnLoopback, multipart, raw, testApp, validCgpem } from '../server/helpers.js'

/**
 * Bounded resources, over real connections: past the limits a client is
 * told 503 with Retry-After, never left to exhaust descriptors; a client
 * that announces a body waits for 100 Continue until what can be checked
 * before it has been; the idle timeout is traced as the server's doing.
 */

async function listening (app: FastifyInstance): Promise<number> {
  return (await listenOnLoopback(app)).port
}

/** A raw HTTP/1.1 exchange: what the server sends back, as text, until it closes or `until` matches. */
async function exchange (port: number, head: string, until: RegExp = /$^/, body?: Buffer): Promise<{ text: string, socket: Socket }> {
  const socket = connect(port, '127.0.0.1')
  let text = ''
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  socket.write(head)
  if (body) socket.write(body)
  await new Promise<void>((resolve) => {
    socket.on('data', (c: Buffer) => { text += c.toString('latin1'); if (until.test(text)) resolve() })
    socket.once('close', () => resolve())
    socket.once('error', () => resolve())
  })
  return { text, socket }
}

/** A connection that sends a request's head and the start of its body, then nothing: held open. */
async function hold (port: number, head: string, start: string): Promise<Socket> {
  const socket = connect(port, '127.0.0.1')
  await new Promise<void>((resolve) => socket.once('connect', resolve))
  socket.on('error', () => {})
  socket.write(head + start)
  await new Promise((resolve) => setTimeout(resolve, 150))
  return socket
}

const auth77 = AS.dept77.authorization

t.test('past the connection limit a request gets 503 with Retry-After, before any authentication', async (t) => {
  const verified: string[] = []
  const app = await testApp(t, { limits: { maxConnections: 3 }, auth: { onVerify: (u) => verified.push(u) } })
  const port = await listening(app)
  const held = await Promise.all([0, 1, 2].map(async () => await exchange(port, 'GET /livez HTTP/1.1\r\nHost: x\r\n\r\n', /"ok"/)))
  const over = await exchange(port, `GET /api/v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth77}\r\n\r\n`, /\}$/)
  t.match(over.text, /^HTTP\/1\.1 503/)
  t.match(over.text, /retry-after: 2/i)
  t.match(over.text, /PHEBUS_HTTP_BUSY/)
  t.match(over.text, /connection: close/i)
  t.same(verified, [], 'no password checked for it')
  for (const h of held) h.socket.destroy()
  over.socket.destroy()
  await new Promise((resolve) => setTimeout(resolve, 50))
  const after = await exchange(port, 'GET /livez HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n')
  t.match(after.text, /^HTTP\/1\.1 200/, 'served again once connections are closed')
})

t.test('uploads at once are bounded per département and in all: 503 with Retry-After past them', async (t) => {
  const app = await testApp(t, { limits: { maxUploadsPerDepartement: 1, maxUploads: 2 } })
  const port = await listening(app)
  const slow = async (name: string, authorization: string): Promise<Socket> =>
    await hold(port, `POST /api/v1/files?name=${name} HTTP/1.1\r\nHost: x\r\nAuthorization: ${authorization}\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n`, '<?xml')
  const first = await slow('lent.xml', auth77)
  const body = await validCgpem('77', 2)
  const second = await app.inject({ method: 'POST', url: '/api/v1/files?name=deux.xml', headers: { ...AS.dept77, ...raw() }, payload: body })
  t.equal(second.statusCode, 503, 'one upload at a time for 77')
  t.equal(second.headers['retry-after'], '5')
  t.equal(second.json<{ code: string }>().code, 'PHEBUS_HTTP_BUSY')
  const other = await slow('lent.xml', AS.dept93.authorization)
  const third = await app.inject({ method: 'POST', url: '/api/v1/files?name=trois.xml', headers: { ...AS.admin, ...raw() }, payload: body })
  t.equal(third.statusCode, 403, 'the admin has no files (checked before the gate)')
  const fourth = await app.inject({ method: 'POST', url: '/api/v1/files?name=trois.xml', headers: { authorization: 'Basic ' + Buffer.from('dept971:demo-971').toString('base64'), ...raw() }, payload: body })
  t.equal(fourth.statusCode, 503, 'two uploads in all')
  first.destroy()
  other.destroy()
  // the server sees the connections close when its event loop gets to them: on a loaded machine that can take a while
  for (let waited = 0; app.uploads.active > 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20))
  t.equal(app.uploads.active, 0, 'closed uploads give their places back')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=deux.xml', headers: { ...AS.dept77, ...raw() }, payload: body })).statusCode, 201)
})

t.test('Expect: 100-continue is answered only once credentials, name, size and quota are checked', async (t) => {
  const app = await testApp(t, { maxUploadBytes: 1000 })
  const port = await listening(app)
  const ask = async (headers: string): Promise<string> => (await exchange(port, `POST /api/v1/files?name=c.xml HTTP/1.1\r\nHost: x\r\n${headers}Content-Type: application/octet-stream\r\nExpect: 100-continue\r\n\r\n`, /\r\n\r\n/)).text
  t.match(await ask('Content-Length: 500\r\n'), /^HTTP\/1\.1 401/, 'no credentials: 401, no 100')
  t.match(await ask(`Authorization: ${auth77}\r\nContent-Length: 5000\r\n`), /^HTTP\/1\.1 413/, 'too large: 413, no 100')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=pris.xml', headers: { ...AS.dept77, ...raw() }, payload: '<?xml' })).statusCode, 422, 'a name now taken')
  t.match((await exchange(port, `POST /api/v1/files?name=pris.xml HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth77}\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n`, /\r\n\r\n/)).text, /^HTTP\/1\.1 409/, 'a name taken: 409, no 100')
  const stock = app.files.list('77').find((f) => f.kind === 'PECGM')?.name ?? ''
  t.match((await exchange(port, `POST /api/v1/files?name=${stock} HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth77}\r\nContent-Length: 500\r\nExpect: 100-continue\r\n\r\n`, /\r\n\r\n/)).text, /^HTTP\/1\.1 400/, 'a deposit\'s name: 400, no 100')
  const ok = await exchange(port, `POST /api/v1/files?name=c.xml HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth77}\r\nContent-Type: application/octet-stream\r\nContent-Length: 7\r\nExpect: 100-continue\r\n\r\n`, /100 Continue\r\n\r\n/)
  t.match(ok.text, /^HTTP\/1\.1 100 Continue/, 'all checked: 100 Continue')
  ok.socket.destroy()
})

t.test('a multipart form with too many fields, or a second file, is refused with its own code, and nothing is kept', async (t) => {
  const app = await testApp(t)
  const body = await validCgpem('77', 2)
  const boundary = 'frontiere'
  const field = (i: number): string => `--${boundary}\r\nContent-Disposition: form-data; name="champ${i}"\r\n\r\nvaleur\r\n`
  const file = (name: string): Buffer => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/xml\r\n\r\n`), body, Buffer.from('\r\n')])
  const post = async (payload: Buffer): Promise<{ statusCode: number, json: <T>() => T }> => await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload })
  const fields = (n: number): Buffer => Buffer.from(Array.from({ length: n }, (_, i) => field(i)).join(''))
  const end = Buffer.from(`--${boundary}--\r\n`)
  t.equal((await post(Buffer.concat([fields(3), file('avec-champs.xml'), end]))).statusCode, 201, 'a few fields are ignored')
  const many = await post(Buffer.concat([fields(11), file('trop-de-champs.xml'), end]))
  t.equal(many.statusCode, 400)
  t.equal(many.json<{ code: string }>().code, 'PHEBUS_FILE_FORM_FIELDS')
  const two = await post(Buffer.concat([file('premier.xml'), file('second.xml'), end]))
  t.equal(two.statusCode, 400)
  t.equal(two.json<{ code: string }>().code, 'PHEBUS_FILE_SECOND_PART')
  t.notOk(app.storage.files.find('77', 'premier.xml'), 'not even the first file is kept')
  const one = multipart('seul.xml', body)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...one.headers }, payload: one.payload })).statusCode, 201)
})

t.test('a connection the idle timeout closes is traced as closed by the server (408), not by the client', async (t) => {
  const app = await testApp(t, {}, { idleTimeoutMs: 300 })
  const port = await listening(app)
  const { text } = await exchange(port, `POST /api/v1/files?name=muet.xml HTTP/1.1\r\nHost: x\r\nAuthorization: ${auth77}\r\nContent-Type: application/octet-stream\r\nContent-Length: 1000\r\n\r\n<?xml`)
  t.equal(text, '', 'the silent client is cut off')
  await new Promise((resolve) => setTimeout(resolve, 50))
  app.auditTrail.flush()
  const entry = app.storage.db.prepare<[], { status: number, detail: string }>("SELECT status, detail FROM audit WHERE file_name = 'muet.xml'").get()
  t.same(entry, { status: 408, detail: 'PHEBUS_HTTP_IDLE_TIMEOUT' })
})
