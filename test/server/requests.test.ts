import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { connect } from 'node:net'
import { AS, basic, Clock, DAY, listenOnLoopback, multipart, raw, testApp, validCgpem } from './helpers.js'
import { PageClient, textOf } from './pages/client.js'

/**
 * Every request is the server's own: an id on each answer, in its error body
 * and its trail entry; URLs the router cannot read, over-long names and
 * unreadable requests answered in the project's format, after
 * authentication where one is due, and traced; state changes from other
 * sites refused.
 */

interface Entry { requestId: string | null, status: number, path: string | null, detail: string | null, user: string | null }

async function trail (app: FastifyInstance, query = 'limit=50'): Promise<Entry[]> {
  return (await app.inject({ url: `/api/v1/admin/audit?${query}`, headers: AS.admin, remoteAddress: '10.99.0.1' })).json<{ entries: Entry[] }>().entries
}

t.test('every answer carries an X-Request-Id, also in its error body and its trail entry', async (t) => {
  const app = await testApp(t)
  const ok = await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  const missing = await app.inject({ url: '/api/v1/files/absent.xml', headers: AS.dept77 })
  const ids = [ok, missing].map((r) => r.headers['x-request-id'] as string)
  t.ok(ids.every((id) => /^[0-9a-f-]{36}$/.test(id)) && ids[0] !== ids[1], 'one id per request')
  t.equal(missing.json<{ requestId: string }>().requestId, ids[1], 'the error body names it')
  const found = await trail(app, `request=${ids[1] ?? ''}`)
  t.match(found, [{ requestId: ids[1], status: 404, path: '/api/v1/files/absent.xml' }], 'and the admin finds its entry by it')
})

t.test('a URL the router cannot read, or an over-long name, is authenticated, answered in the project\'s format and traced', async (t) => {
  const app = await testApp(t)
  const long = `/api/v1/files/${'a'.repeat(3000)}`
  const cases = [
    { url: '/api/v1/files/%ff', headers: {}, status: 401, code: 'PHEBUS_AUTH_REQUIRED' },
    { url: '/api/v1/files/%ff', headers: AS.dept77, status: 400, code: 'PHEBUS_HTTP_BAD_URL' },
    { url: '/api/v1/qualification/%E0%A4%A', headers: AS.dept77, status: 400, code: 'PHEBUS_HTTP_BAD_URL' },
    { url: '/%ff', headers: {}, status: 400, code: 'PHEBUS_HTTP_BAD_URL' },
    { url: `/api/v1/files/${'n'.repeat(150)}.xml`, headers: {}, status: 401, code: 'PHEBUS_AUTH_REQUIRED' },
    { url: `/api/v1/files/${'n'.repeat(150)}.xml`, headers: AS.dept77, status: 404, code: 'PHEBUS_HTTP_NOT_FOUND' },
    { url: long, headers: AS.dept77, status: 400, code: 'PHEBUS_HTTP_BAD_REQUEST' }
  ]
  for (const c of cases) {
    const res = await app.inject({ url: c.url, headers: c.headers })
    t.equal(res.statusCode, c.status, `${c.url.slice(0, 40)}: ${c.status}`)
    const body = res.json<{ code: string, requestId: string }>()
    t.equal(body.code, c.code)
    t.equal(body.requestId, res.headers['x-request-id'])
    t.notMatch(res.body, /FST_ERR_|is not a valid url|exceeding the max param/, 'nothing of Fastify\'s own answers')
  }
  const entries = await trail(app, 'limit=100')
  t.ok(entries.some((e) => e.path === '/api/v1/files/%ff' && e.status === 400 && e.detail === 'PHEBUS_HTTP_BAD_URL' && e.user === 'dept77'), 'traced as sent, with its user')
  t.ok(entries.some((e) => e.path === long && e.status === 400), 'the over-long one too')
})

t.test('a URL the router cannot read is told as such on a route whose path parameter its schema checks: BAD_URL, or the over-long segment, never a schema error about the cut or escaped stand-in', async (t) => {
  const app = await testApp(t)
  const cases = [
    { method: 'DELETE' as const, url: '/api/v1/admin/faults/%ff', headers: AS.admin, code: 'PHEBUS_HTTP_BAD_URL', message: /^Adresse mal formée/ },
    { method: 'POST' as const, url: '/api/v1/admin/qualifications/%ff%ff/restart', headers: AS.admin, code: 'PHEBUS_HTTP_BAD_URL', message: /^Adresse mal formée/ },
    { method: 'GET' as const, url: `/api/v1/reports/${'a'.repeat(2100)}`, headers: AS.dept77, code: 'PHEBUS_HTTP_BAD_REQUEST', message: /^Adresse refusée : un élément du chemin dépasse la longueur permise \(2116 caractères en tout\)/ }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: c.method, url: c.url, headers: c.headers })
    t.equal(res.statusCode, 400, c.url.slice(0, 50))
    t.match(res.json(), { code: c.code, message: c.message })
  }
})

t.test('a browser given an address the router cannot read gets a page in French with its way back, a program the JSON body', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  const anonymous = await c.get('/%ff')
  t.equal(anonymous.statusCode, 400)
  t.match(anonymous.headers['content-type'], /^text\/html/)
  t.match(textOf(anonymous.body), /Requête invalide Adresse mal formée : « \/%ff » contient un échappement %XX/)
  t.match(textOf(anonymous.body), /Retour à la page de connexion/)
  t.match(anonymous.headers['content-security-policy'], /default-src 'none'/, 'with the pages\' headers')
  await c.login('dept77', 'demo-77')
  const signedIn = await c.get('/%ff?x=%zz')
  t.equal(signedIn.statusCode, 400)
  t.match(textOf(signedIn.body), /Retour à mes fichiers/, 'the session is read: the way back is the département\'s files')
  const program = await app.inject({ url: '/%ff' })
  t.equal(program.statusCode, 400)
  t.equal(program.json<{ code: string }>().code, 'PHEBUS_HTTP_BAD_URL', 'without Accept: the JSON body, as before')
})

t.test('an HTTP/1.1 request without Host gets a 400 in the project\'s format, in French, and its line in the trail; HTTP/1.0 needs none', async (t) => {
  const app = await testApp(t)
  const { port } = await listenOnLoopback(app)
  const ask = async (request: string): Promise<string> => await new Promise<string>((resolve) => {
    let got = ''
    const socket = connect(port, '127.0.0.1', () => socket.write(request))
    socket.on('data', (c: Buffer) => {
      got += c.toString()
      // one answer is all this asks for
      if (/\r\n\r\n[\s\S]*\}$|^HTTP\/1\.[01] 200[\s\S]*\r\n\r\n[\s\S]+/.test(got)) socket.end()
    })
    socket.on('close', () => resolve(got))
    socket.on('error', () => resolve(got))
  })
  const without = await ask('GET /api/v1/files HTTP/1.1\r\nAuthorization: Basic ZGVwdDc3OmRlbW8tNzc=\r\n\r\n')
  t.match(without, /^HTTP\/1\.1 400 /)
  t.match(without, /"code":"PHEBUS_HTTP_BAD_REQUEST"/)
  t.match(without, /En-tête Host absent : une requête HTTP\/1\.1 le donne toujours/)
  const id = /x-request-id: ([0-9a-f-]+)/i.exec(without)?.[1]
  t.ok(id, 'with its request id')
  app.auditTrail.flush()
  t.match(await trail(app, `request=${id ?? ''}`), [{ status: 400, detail: 'PHEBUS_HTTP_BAD_REQUEST' }], 'traced')
  t.match(await ask('GET /livez HTTP/1.0\r\n\r\n'), /^HTTP\/1\.[01] 200 /, 'HTTP/1.0 has no Host to give')
})

t.test('a request the HTTP parser cannot read gets the project\'s error body and a line in the trail', async (t) => {
  const app = await testApp(t)
  const { port } = await listenOnLoopback(app)
  const text = await new Promise<string>((resolve) => {
    let got = ''
    const socket = connect(port, '127.0.0.1', () => socket.write('FROB /api/v1/files HTTP/1.1\r\nHost: x\r\n\r\n'))
    socket.on('data', (c: Buffer) => { got += c.toString() })
    socket.on('close', () => resolve(got))
    socket.on('error', () => resolve(got))
  })
  t.match(text, /^HTTP\/1\.1 400 /)
  t.match(text, /"code":"PHEBUS_HTTP_BAD_REQUEST"/)
  t.match(text, /HPE_INVALID_METHOD/)
  const id = /x-request-id: ([0-9a-f-]+)/i.exec(text)?.[1]
  t.ok(id, 'with its request id')
  t.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab]/, 'of version 7 (in time order), as every other request\'s')
  app.auditTrail.flush()
  t.match(await trail(app, `request=${id ?? ''}`), [{ status: 400, detail: 'HPE_INVALID_METHOD' }])
})

t.test('what the HTTP parser refuses is told in French, each kind of fault by its name: a body cut short, a bad header, two lengths', async (t) => {
  const app = await testApp(t)
  const { port } = await listenOnLoopback(app)
  const exchange = async (request: string, halfClose: boolean): Promise<string> => await new Promise<string>((resolve) => {
    let got = ''
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(request)
      if (halfClose) socket.end()
    })
    socket.on('data', (c: Buffer) => { got += c.toString() })
    socket.on('close', () => resolve(got))
    socket.on('error', () => resolve(got))
  })
  const auth = `Authorization: Basic ${Buffer.from('dept77:demo-77').toString('base64')}\r\n`
  const cases = [
    { name: 'a body shorter than its Content-Length, the connection half-closed', halfClose: true, request: `POST /api/v1/files?name=court.xml HTTP/1.1\r\nHost: x\r\n${auth}Content-Type: application/octet-stream\r\nContent-Length: 100\r\n\r\n<CGPEM>`, says: /fermée avant la fin de la requête/ },
    { name: 'headers cut short', halfClose: true, request: 'GET /livez HTTP/1.1\r\nHost: x\r\nAccept: text/pl', says: /fermée avant la fin de la requête/ },
    { name: 'a header with a space in its name', halfClose: false, request: 'GET /livez HTTP/1.1\r\nHost: x\r\nX Bad: 1\r\n\r\n', says: /en-tête mal formé/ },
    { name: 'a Content-Length that is not a number', halfClose: false, request: 'POST /livez HTTP/1.1\r\nHost: x\r\nContent-Length: dix\r\n\r\n', says: /Content-Length invalide/ },
    { name: 'Content-Length and chunked together', halfClose: false, request: 'POST /livez HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', says: /Transfer-Encoding invalide : chunked, en dernier, et jamais avec Content-Length/ },
    { name: 'a chunk whose size is not hexadecimal', halfClose: false, request: 'POST /livez HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nabc\r\n0\r\n\r\n', says: /chunked\) mal formé/ },
    { name: 'HTTP/2.5', halfClose: false, request: 'GET /livez HTTP/2.5\r\nHost: x\r\n\r\n', says: /version HTTP inconnue/ }
  ]
  for (const c of cases) {
    const text = await exchange(c.request, c.halfClose)
    t.match(text, /^HTTP\/1\.1 400 /, `${c.name}: 400`)
    const body = JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4)) as { code: string, message: string }
    t.equal(body.code, 'PHEBUS_HTTP_BAD_REQUEST', c.name)
    t.match(body.message, c.says, `${c.name}: ${body.message}`)
    t.notMatch(body.message, /ne suit pas HTTP\/1\.1/, `${c.name}: named, not the catch-all`)
  }
  t.same(app.storage.files.list('77').filter((f) => f.name === 'court.xml'), [], 'the body cut short kept nothing')
})

t.test('an address too long for the parser is told as such, 414 PHEBUS_HTTP_URI_TOO_LONG, whether it came in one piece or more; headers too long, or what cannot be told apart from them, stay 431', async (t) => {
  const app = await testApp(t)
  const { port } = await listenOnLoopback(app)
  const exchange = async (pieces: string[]): Promise<string> => await new Promise<string>((resolve) => {
    let got = ''
    const socket = connect(port, '127.0.0.1', () => {
      pieces.reduce(async (before, p) => {
        await before
        await new Promise((resolve) => setTimeout(resolve, 30))
        if (!socket.destroyed) socket.write(p)
      }, Promise.resolve()).catch(() => {})
    })
    socket.on('data', (c: Buffer) => { got += c.toString() })
    socket.on('close', () => resolve(got))
    socket.on('error', () => resolve(got))
  })
  const long = `/api/v1/files/${'a'.repeat(20_000)}`
  const cases = [
    { name: 'a long URL in one piece', pieces: [`GET ${long} HTTP/1.1\r\nHost: x\r\n\r\n`], status: 414, code: 'PHEBUS_HTTP_URI_TOO_LONG', message: /"message":"Adresse trop longue : la ligne de requête dépasse à elle seule les 16 Kio/ },
    { name: 'a long URL ended by the limit in the piece that starts it', pieces: [`GET ${long.slice(0, 17_000)}`, `${long.slice(17_000)} HTTP/1.1\r\nHost: x\r\n\r\n`], status: 414, code: 'PHEBUS_HTTP_URI_TOO_LONG', message: /"message":"Adresse trop longue/ },
    { name: 'a long URL ended by the limit in a piece that only goes on with it (the parser\'s chunk cannot tell it from a header)', pieces: [`GET ${long.slice(0, 10_000)}`, long.slice(10_000, 19_000), `${long.slice(19_000)} HTTP/1.1\r\nHost: x\r\n\r\n`], status: 431, code: 'PHEBUS_HTTP_HEADERS_TOO_LARGE', message: /adresse ou en-têtes trop longs \(16 Kio au plus, ensemble\)/ },
    { name: 'a long query', pieces: [`POST /api/v1/files?name=${'b'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n`], status: 414, code: 'PHEBUS_HTTP_URI_TOO_LONG', message: /"message":"Adresse trop longue/ },
    { name: 'a long header', pieces: [`GET /api/v1/files HTTP/1.1\r\nHost: x\r\nX-Long: ${'c c'.repeat(7000)}\r\n\r\n`], status: 431, code: 'PHEBUS_HTTP_HEADERS_TOO_LARGE', message: /en-têtes trop longs \(16 Kio au plus, avec la ligne de requête\)/ }
  ]
  for (const c of cases) {
    const text = await exchange(c.pieces)
    t.match(text, new RegExp(`^HTTP/1\\.1 ${c.status} `), c.name)
    t.match(text, `"code":"${c.code}"`, c.name)
    t.match(text, `"statusCode":${c.status}`, c.name)
    t.match(text, c.message, c.name)
    const id = /x-request-id: ([0-9a-f-]+)/i.exec(text)?.[1]
    app.auditTrail.flush()
    t.match(await trail(app, `request=${id ?? ''}`), [{ status: c.status, detail: c.status === 414 ? c.code : 'HPE_HEADER_OVERFLOW' }], `${c.name}: traced`)
  }
})

t.test('a known path with another method is 405 with Allow, after authentication; admin paths stay hidden from the départements', async (t) => {
  const app = await testApp(t)
  t.equal((await app.inject({ method: 'PUT', url: '/api/v1/files' })).statusCode, 401)
  const put = await app.inject({ method: 'PUT', url: '/api/v1/files', headers: AS.dept77 })
  t.equal(put.statusCode, 405)
  t.equal(put.headers.allow, 'GET, HEAD, POST')
  t.equal(put.json<{ code: string }>().code, 'PHEBUS_HTTP_METHOD_NOT_ALLOWED')
  t.equal((await app.inject({ method: 'PATCH', url: '/api/v1/files/x.xml', headers: AS.dept77 })).headers.allow, 'DELETE, GET, HEAD')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/admin/purge', headers: AS.dept77 })).statusCode, 404, 'for a département, an admin path does not exist')
  t.equal((await app.inject({ method: 'GET', url: '/api/v1/admin/purge', headers: AS.admin })).statusCode, 405, 'for the admin it does')
})

t.test('a body of a type the route does not read is 415 with a code of its own, the header cited', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: { ...AS.dept77, 'content-type': 'text/xml' }, payload: '<start/>' })
  t.equal(res.statusCode, 415)
  t.match(res.json(), { statusCode: 415, code: 'PHEBUS_HTTP_UNSUPPORTED_MEDIA_TYPE', message: /text\/xml/, details: ['FST_ERR_CTP_INVALID_MEDIA_TYPE'] })
})

t.test('a state change carrying another site\'s Origin is refused before authentication; curl, scripts and the server\'s own origin go through', async (t) => {
  const verified: string[] = []
  const app = await testApp(t, { auth: { onVerify: (u) => verified.push(u) } })
  verified.length = 0
  const approve = async (headers: Record<string, string>): Promise<{ statusCode: number, json: <T>() => T }> => await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: { ...AS.dept77, ...headers } })
  const evil = await approve({ origin: 'https://ailleurs.example', 'content-type': 'text/plain' })
  t.equal(evil.statusCode, 403)
  t.equal(evil.json<{ code: string }>().code, 'PHEBUS_HTTP_CROSS_ORIGIN')
  t.equal((await approve({ origin: 'null' })).statusCode, 403, 'an opaque origin too')
  t.equal((await approve({ 'sec-fetch-site': 'cross-site' })).statusCode, 403, 'a browser saying it comes from another site')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/restart', headers: { ...AS.admin, origin: 'https://ailleurs.example' } })).statusCode, 403, 'the admin\'s restart too')
  t.same(verified, [], 'refused before any password check')
  const form = multipart('a.xml', await validCgpem('77', 2))
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...form.headers, origin: 'https://ailleurs.example' }, payload: form.payload })).statusCode, 403, 'a multipart upload from another site')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...form.headers }, payload: form.payload })).statusCode, 201, 'the same without Origin: a script')
  t.equal((await approve({ origin: 'http://localhost:80', host: 'localhost:80' })).statusCode, 201, 'the server\'s own origin')
  t.equal((await approve({})).statusCode, 201)
  t.equal((await app.inject({ url: '/api/v1/files', headers: { ...AS.dept77, origin: 'https://ailleurs.example' } })).statusCode, 200, 'reading is not a state change')
})

t.test('the trail keeps thirteen months by default, and its purge is traced', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  for (let i = 0; i < 3; i++) await app.inject({ url: '/api/v1/files', headers: basic('dept77', 'demo-77') })
  await app.inject({ method: 'POST', url: '/api/v1/files?name=a.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77', 2) })
  app.auditTrail.flush()
  const before = app.storage.db.prepare<[], number>('SELECT count(*) FROM audit').pluck().get() ?? 0
  clock.advance(395 * DAY)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/purge', headers: AS.admin })).json<{ auditEntries: number }>().auditEntries, 0, 'nothing at 13 months less a few days')
  clock.advance(10 * DAY)
  const purged = (await app.inject({ method: 'POST', url: '/api/v1/admin/purge', headers: AS.admin })).json<{ auditEntries: number }>().auditEntries
  t.ok(purged >= before, `the entries older than 13 months went (${purged})`)
  t.match(await trail(app, 'kind=purge&limit=5'), [{ detail: /journal d'audit : \d+ entrée\(s\) de plus de 13 mois supprimée\(s\)/ }], 'traced')
})

t.test('JSON nested a hundred thousand deep is a 400 in the project\'s format, not a stack overflow', async (t) => {
  const app = await testApp(t)
  const deep = '['.repeat(100_000) + ']'.repeat(100_000)
  for (const payload of [deep, `{"password":${deep}}`]) {
    const res = await app.inject({ method: 'POST', url: payload === deep ? '/api/v1/admin/clock' : '/api/v1/admin/departements/93/password', headers: { ...AS.admin, 'content-type': 'application/json' }, payload })
    t.equal(res.statusCode, 400, res.body.slice(0, 200))
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_HTTP_BAD_REQUEST')
    t.notMatch(res.body, /call stack/i)
  }
})

t.test('a connection closed after the whole body, before the answer, is still in the trail', async (t) => {
  const app = await testApp(t)
  const { port } = await listenOnLoopback(app)
  // large enough for the route to be reading it when the close comes
  const body = await validCgpem('77', 2000)
  await new Promise<void>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      // all of it handed to the system, then the socket closed without reading the answer
      socket.end(Buffer.concat([Buffer.from(`POST /api/v1/files?name=closed.xml HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\nContent-Type: application/octet-stream\r\nContent-Length: ${body.length}\r\n\r\n`), body]), () => {
        socket.destroy()
        resolve()
      })
    })
  })
  // the upload goes on without its client: wait for its line
  let entries: Entry[] = []
  const closed = (e: Entry): boolean => e.path === '/api/v1/files' && e.user === 'dept77'
  for (let i = 0; i < 100 && !entries.some(closed); i++) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    app.auditTrail.flush()
    entries = await trail(app, 'limit=100')
  }
  t.ok(entries.some(closed), 'traced with its user')
})
