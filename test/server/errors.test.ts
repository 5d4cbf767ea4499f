import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { SERVER_ERRORS, ServerError, type ServerErrorCode } from '../../src/server/errors.js'
import { toErrorBody } from '../../src/server/http-errors.js'
import { AS, diskFull, listenOnLoopback, testApp } from './helpers.js'

const DOC = readFileSync(new URL('../../docs/serveur.md', import.meta.url), 'utf8')

t.test('docs/serveur.md lists exactly the server\'s error codes, each with its status', async (t) => {
  const rows = [...DOC.matchAll(/^\| `(PHEBUS_[A-Z0-9_]+)` \| (\d{3}|—) \|/gm)]
  t.same(rows.map((m) => m[1]).sort(), Object.keys(SERVER_ERRORS).sort())
  for (const [, code, status] of rows) {
    const declared = SERVER_ERRORS[code as ServerErrorCode].status
    if (status === '—') t.ok((code as string).startsWith('PHEBUS_SERVER_'), `${code ?? ''}: a start-up error has no HTTP status`)
    else t.equal(Number(status), declared, `${code ?? ''}: ${declared}`)
  }
})

t.test('every code the sources give (an answer, an event of serve\'s log) is a row of docs/serveur.md or docs/erreurs.md', async (t) => {
  const documented = new Set([DOC, readFileSync(new URL('../../docs/erreurs.md', import.meta.url), 'utf8')].flatMap((doc) => [...doc.matchAll(/^\| `(PHEBUS_[A-Z0-9_]+)` \|/gm)].map((m) => m[1])))
  const sources = (dir: URL): string[] => readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => readFileSync(join(e.parentPath, e.name), 'utf8'))
  const given = new Set(sources(new URL('../../src/', import.meta.url)).flatMap((text) => [...text.matchAll(/'(PHEBUS_[A-Z0-9_]+)'/g)].map((m) => m[1])))
  t.same([...given].filter((code) => !documented.has(code)).sort(), [])
})

t.test('a full disk is told in words that fit every request it may stop (a deposit the admin asks, an upload): nothing kept, never « cet envoi » for what sent no file', async (t) => {
  const app = await testApp(t)
  diskFull(app, true)
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'M' } })
  t.equal(res.statusCode, 507)
  t.match(res.json(), { code: 'PHEBUS_STORAGE_FULL', message: /^Le disque du serveur est plein : rien n'a été gardé ni changé/ })
  t.notMatch(res.json().message, /envoi/)
})

t.test('every error answers with a stable code: the server\'s own, and Fastify\'s mapped', async (t) => {
  const cases = [
    { name: 'a coded error', err: new ServerError('PHEBUS_FILE_NAME_TAKEN'), status: 409, code: 'PHEBUS_FILE_NAME_TAKEN' },
    { name: 'a validation error', err: Object.assign(new Error('querystring/limit must be >= 1'), { validation: [], statusCode: 400 }), status: 400, code: 'PHEBUS_HTTP_BAD_REQUEST' },
    { name: 'basic-auth\'s missing header', err: Object.assign(new Error('Missing'), { code: 'FST_BASIC_AUTH_MISSING_OR_BAD_AUTHORIZATION_HEADER', statusCode: 401 }), status: 401, code: 'PHEBUS_AUTH_REQUIRED' },
    { name: 'multipart\'s file too large', err: Object.assign(new Error('too large'), { code: 'FST_REQ_FILE_TOO_LARGE', statusCode: 413 }), status: 413, code: 'PHEBUS_FILE_TOO_LARGE' },
    { name: 'a JSON body or a form over its limit (not a file)', err: Object.assign(new Error('Request body is too large'), { code: 'FST_ERR_CTP_BODY_TOO_LARGE', statusCode: 413 }), status: 413, code: 'PHEBUS_HTTP_BODY_TOO_LARGE' },
    { name: 'a body the route does not read', err: Object.assign(new Error('Unsupported Media Type'), { code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE', statusCode: 415 }), status: 415, code: 'PHEBUS_HTTP_UNSUPPORTED_MEDIA_TYPE' },
    { name: 'another client error', err: Object.assign(new Error('Invalid Content-Type'), { code: 'FST_ERR_CTP_INVALID_TYPE', statusCode: 400 }), status: 400, code: 'PHEBUS_HTTP_BAD_REQUEST' },
    { name: 'anything else', err: new TypeError('x is undefined'), status: 500, code: 'PHEBUS_HTTP_INTERNAL' }
  ]
  for (const c of cases) {
    const body = toErrorBody(c.err)
    t.equal(body.statusCode, c.status, c.name)
    t.equal(body.code, c.code, c.name)
    t.equal(typeof body.message, 'string')
  }
  t.notMatch(toErrorBody(new TypeError('secret detail')).message, /secret/, 'an internal error tells nothing of its cause')
  for (const code of ['FST_FIELDS_LIMIT', 'FST_PARTS_LIMIT']) {
    const body = toErrorBody(Object.assign(new Error('reach fields limit'), { code, statusCode: 413 }))
    t.equal(body.code, 'PHEBUS_FILE_FORM_FIELDS', code)
    t.match(body.message, /trop de champs \(dix au plus, avant et après la partie « file » ensemble\)/, `${code}: told without saying on which side, which this code does not know`)
  }
})

t.test('an admin JSON body over the limit is told as a body, not as a file: 413 PHEBUS_HTTP_BODY_TOO_LARGE, nothing done', async (t) => {
  const app = await testApp(t)
  const before = (await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).body
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: { ...AS.admin, 'content-type': 'application/json' }, payload: JSON.stringify({ advance: '+1d', padding: 'x'.repeat(3 << 20) }) })
  t.equal(res.statusCode, 413)
  t.equal(res.json<{ code: string }>().code, 'PHEBUS_HTTP_BODY_TOO_LARGE')
  t.match(res.json<{ message: string }>().message, /Corps de requête trop volumineux/)
  const after = await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })
  t.equal(after.statusCode, 200)
  t.equal(after.body, before, 'the clock has not moved')
})

t.test('a JSON body announced over the limit with Expect: 100-continue gets its 413 instead of the 100: the client sends none of it (curl asks so past 1 MiB, and lost the 413 to a reset)', async (t) => {
  const app = await testApp(t)
  const { port } = await listenOnLoopback(app)
  for (const [user, headers, type] of [['admin', AS.admin, 'application/json'], ['dept77', AS.dept77, 'application/json'], ['dept77', AS.dept77, 'text/plain']] as const) {
    const socket = connect(port, '127.0.0.1')
    t.teardown(() => { socket.destroy() })
    await new Promise<void>((resolve) => socket.once('connect', resolve))
    socket.write(`POST /api/v1/admin/clock HTTP/1.1\r\nHost: x\r\nAuthorization: ${headers.authorization}\r\nContent-Type: ${type}\r\nContent-Length: ${3 << 20}\r\nExpect: 100-continue\r\n\r\n`)
    let text = ''
    await new Promise<void>((resolve) => {
      socket.on('data', (c: Buffer) => { text += c.toString('utf8'); if (/\r\n\r\n[^]*\}$/.test(text)) resolve() })
      socket.once('close', () => { resolve() })
    })
    t.match(text, /^HTTP\/1\.1 413 /, `${user} ${type}: 413 at once`)
    t.notMatch(text, /100 Continue/, `${user} ${type}: no 100 Continue`)
    t.match(text, /PHEBUS_HTTP_BODY_TOO_LARGE/, `${user} ${type}`)
  }
})

t.test('JSON sent as text/plain to an admin route gets the 415 of any type these routes do not read (text/xml), nothing done; a département still gets the 404 of a route that does not exist', async (t) => {
  const app = await testApp(t)
  const before = (await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).body
  for (const type of ['text/plain', 'text/plain; charset=utf-8', 'text/xml']) {
    for (const [method, url] of [['POST', '/api/v1/admin/clock'], ['POST', '/api/v1/admin/departements'], ['PATCH', '/api/v1/admin/messages/1']] as const) {
      const res = await app.inject({ method, url, headers: { ...AS.admin, 'content-type': type }, payload: '{"advance":"+1d","code":"13","name":"Bouches-du-Rhône","read":true}' })
      t.equal(res.statusCode, 415, `${type} ${url}`)
      t.equal(res.json<{ code: string }>().code, 'PHEBUS_HTTP_UNSUPPORTED_MEDIA_TYPE', `${type} ${url}`)
      t.equal(res.json<{ message: string }>().message, `Type de contenu refusé : cette route ne lit pas « ${type} » (en-tête Content-Type).`, `${type} ${url}`)
    }
  }
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).body, before, 'the clock has not moved')
  t.equal(app.storage.accounts.findByDepartement('13'), null, 'no département created')
  const asDepartement = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: { ...AS.dept77, 'content-type': 'text/plain' }, payload: '{"advance":"+1d"}' })
  const noRoute = await app.inject({ method: 'POST', url: '/api/v1/admin/no-such-route', headers: { ...AS.dept77, 'content-type': 'text/plain' }, payload: '{"advance":"+1d"}' })
  t.equal(asDepartement.statusCode, 404)
  t.equal(asDepartement.json<{ message: string }>().message, noRoute.json<{ message: string }>().message, 'a département learns nothing of the route')
  for (const type of ['text/xml', 'application/x-www-form-urlencoded', 'application/octet-stream', 'multipart/form-data; boundary=x']) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: { ...AS.dept77, 'content-type': type }, payload: '<a/>' })
    t.equal(res.statusCode, 404, `${type} from a département: the 404 of a route that does not exist, not a 415 that tells it is there`)
    const admin = await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: { ...AS.admin, 'content-type': type }, payload: '<a/>' })
    t.equal(admin.statusCode, 415, `${type} from the admin: 415`)
  }
  // read and dropped up to the route's limit, as JSON is: a département's text/plain is not read without end
  const big = 'x'.repeat(2 << 20)
  const asJson = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: { ...AS.dept77, 'content-type': 'application/json' }, payload: `"${big}"` })
  const asText = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: { ...AS.dept77, 'content-type': 'text/plain' }, payload: big })
  t.equal(asText.statusCode, 413, 'past the limit, text/plain gets the 413 JSON gets')
  t.equal(asText.statusCode, asJson.statusCode)
  t.equal(asText.json<{ code: string }>().code, asJson.json<{ code: string }>().code)
})

t.test('a data folder turned read-only while the server runs: 503 in French with Retry-After, never the 500 of an internal error', async (t) => {
  const app = await testApp(t)
  const store = app.storage.store
  const readOnly = async (): Promise<never> => { throw Object.assign(new Error('EROFS: read-only file system, open'), { code: 'EROFS' }) }
  store.createIncoming = readOnly
  store.createTemp = readOnly
  const upload = await app.inject({ method: 'POST', url: '/api/v1/files?name=lecture-seule.xml', headers: { ...AS.dept77, 'content-type': 'application/octet-stream' }, payload: '<CGPEM/>' })
  t.equal(upload.statusCode, 503)
  t.match(upload.json(), { code: 'PHEBUS_STORAGE_READ_ONLY', message: /en lecture seule : rien n'a été gardé ni changé/ })
  t.ok(upload.headers['retry-after'], 'with Retry-After')
  const deposit = await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'Q' } })
  t.equal(deposit.statusCode, 503)
  t.equal(deposit.json().code, 'PHEBUS_STORAGE_READ_ONLY')
})

t.test('a deletion the data folder or the database refuses changes nothing: the CGPEM stays listed, on disk, and downloadable', async (t) => {
  const { existsSync } = await import('node:fs')
  const app = await testApp(t)
  const send = async (name: string): Promise<number> => (await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, 'content-type': 'application/octet-stream' }, payload: '<CGPEM/>' })).statusCode
  t.equal(await send('garde.xml'), 422)
  const path = app.storage.store.pathOf('77', 'garde.xml')
  const kept = async (what: string): Promise<void> => {
    t.ok(app.storage.files.find('77', 'garde.xml'), `${what}: still recorded`)
    t.ok(existsSync(path), `${what}: still on disk`)
    const listed = await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
    t.ok(listed.json<{ files: { name: string }[] }>().files.some((f) => f.name === 'garde.xml'), `${what}: still listed`)
    t.equal((await app.inject({ url: '/api/v1/files/garde.xml', headers: AS.dept77 })).statusCode, 200, `${what}: still downloadable`)
  }

  const store = app.storage.store
  const erofs = (): Error => Object.assign(new Error('EROFS: read-only file system, rename'), { code: 'EROFS' })
  // the folder refuses whatever takes a file out of it
  const { remove, setAside } = store
  store.remove = async () => { throw erofs() }
  store.setAside = async () => { throw erofs() }
  const refused = await app.inject({ method: 'DELETE', url: '/api/v1/files/garde.xml', headers: AS.dept77 })
  t.equal(refused.statusCode, 503)
  t.equal(refused.json().code, 'PHEBUS_STORAGE_READ_ONLY')
  await kept('the folder read-only')
  store.remove = remove
  store.setAside = setAside

  // the database refuses the deletion of the row: the file moved aside comes back
  const files = app.storage.files
  const { delete: deleteRows } = files
  files.delete = () => { throw Object.assign(new Error('attempt to write a readonly database'), { code: 'SQLITE_READONLY' }) }
  const refusedByBase = await app.inject({ method: 'DELETE', url: '/api/v1/files/garde.xml', headers: AS.dept77 })
  t.equal(refusedByBase.statusCode, 503)
  await kept('the database read-only')
  files.delete = deleteRows
  t.same(readdirSync(store.tmpDir), [], 'nothing left aside in tmp/')

  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/files/garde.xml', headers: AS.dept77 })).statusCode, 204, 'once the folder can be written again')
  t.notOk(existsSync(path), 'the file gone')
  t.same(readdirSync(store.tmpDir), [], 'and nothing left in tmp/')
})
