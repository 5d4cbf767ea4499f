import t from 'tap'
import { isFictionPhone } from '../../../generators/contact.js'
import { AS, Clock, testApp } from '../helpers.js'
import { PageClient, textOf } from './client.js'

const MINUTE = 60_000

t.test('the login page is the screen of Annexe 6, with a fictitious support line and the simulator banner', async (t) => {
  const app = await testApp(t)
  const res = await new PageClient(app).get('/')
  t.equal(res.statusCode, 200)
  t.match(res.headers['content-type'], /^text\/html; charset=utf-8/)
  t.match(res.body, /<html lang="fr">/)
  const text = textOf(res.body)
  for (const words of ['Phebus Interface Partenaire', 'Authentification', 'Saisissez votre identifiant', 'Saisissez votre mot de passe', 'Nous écrire', 'données sont fictives']) t.ok(text.includes(words), words)
  t.match(res.body, /<label for="identifiant">Saisissez votre identifiant<\/label>/)
  t.match(res.body, /<label for="mot-de-passe">Saisissez votre mot de passe<\/label>/)
  const tel = /href="tel:\+33([0-9]+)"/.exec(res.body)?.[1]
  t.ok(tel !== undefined && isFictionPhone(`0${tel}`), 'a number of the blocks kept for fiction')
  t.notOk(res.body.replace(/\s/g, '').includes('0321518938'), 'never the real support number of the seed')
  t.notMatch(text, /France Travail|Marianne|République française/)
})

t.test('every page carries the security headers, with a policy that allows no inline script', async (t) => {
  const app = await testApp(t)
  const res = await new PageClient(app).get('/')
  const csp = String(res.headers['content-security-policy'])
  t.match(csp, /default-src 'none'/)
  t.match(csp, /script-src 'self'(;|$)/)
  t.notMatch(csp, /unsafe-inline|unsafe-eval/)
  t.match(csp, /frame-ancestors 'none'/)
  t.equal(res.headers['x-content-type-options'], 'nosniff')
  t.equal(res.headers['referrer-policy'], 'same-origin')
  t.equal(res.headers['cache-control'], 'no-store')
  t.notMatch(res.body, /<script>|<script [^>]*>[^<]+<\/script>|<style|style="|on(click|load|submit)=/, 'no inline script, style or handler')
})

t.test('a right password opens a session: an HttpOnly, SameSite=Strict cookie, then « Mes fichiers »', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  const res = await c.login('dept77', 'demo-77')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/fichiers')
  const cookie = ([res.headers['set-cookie']].flat() as string[]).find((h) => h.startsWith('phebus_session='))
  t.match(cookie, /; HttpOnly/)
  t.match(cookie, /; SameSite=Strict/)
  t.match(cookie, /Max-Age=28800/)
  t.notMatch(cookie, /; Secure/, 'not Secure over plain HTTP')
  const files = await c.get('/fichiers')
  t.equal(files.statusCode, 200)
  t.match(textOf(files.body), /Département 77 \(dept77\)/)
})

t.test('a wrong password is said in a summary that leads to the fields, which say they are in error', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app, '192.0.2.12')
  const wrong = await c.login('dept77', 'not-the-password')
  t.match(wrong.body, /<div class="error-summary"[^>]* data-focus>/, 'the summary takes the focus (app.js)')
  t.match(wrong.body, /<div class="error-summary"[^>]*>[\s\S]*<a href="#identifiant">Identifiant ou mot de passe incorrect\.<\/a>/, 'the summary links to the first field')
  t.match(wrong.body, /<input id="identifiant"[^>]* aria-invalid="true" aria-describedby="connexion-erreur"/)
  t.match(wrong.body, /<input id="mot-de-passe"[^>]* aria-invalid="true" aria-describedby="connexion-erreur"/)
  t.match(wrong.body, /id="connexion-erreur"[^>]*>Identifiant ou mot de passe incorrect\./)
  const first = await new PageClient(app, '192.0.2.13').get('/')
  t.notMatch(first.body, /aria-invalid/, 'nothing in error before a try')
})

t.test('a wrong password says so in French, five lock the user from that address until a time the page gives', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const c = new PageClient(app, '192.0.2.10')
  const wrong = await c.login('dept77', 'not-the-password')
  t.equal(wrong.statusCode, 401)
  t.match(textOf(wrong.body), /Identifiant ou mot de passe incorrect/)
  t.match(wrong.body, /value="dept77"/, 'the user name is kept in the form')
  for (let i = 0; i < 4; i++) await c.login('dept77', 'not-the-password')
  const locked = await c.login('dept77', 'demo-77')
  t.equal(locked.statusCode, 429)
  t.match(textOf(locked.body), /réessayez à \d{2} h \d{2} \(heure de Paris\)/)
  t.notOk(c.cookies.has('phebus_session'))
  // the same lock as the API's: one count for both doors
  const api = await app.inject({ url: '/api/v1/files', headers: AS.dept77, remoteAddress: '192.0.2.10' })
  t.equal(api.statusCode, 429)
  const elsewhere = await new PageClient(app, '192.0.2.11').login('dept77', 'demo-77')
  t.equal(elsewhere.statusCode, 303, 'another address is not locked')
})

t.test('an empty identifier or password is said beside its field (400), and is no failed login: five of them lock nothing and check no password', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app, '192.0.2.14')
  let checked = 0
  const authenticate = app.authenticator.authenticate.bind(app.authenticator)
  app.authenticator.authenticate = async (...args) => { checked++; return await authenticate(...args) }
  for (let i = 0; i < 5; i++) {
    await c.get('/')
    const empty = await c.post('/connexion', { identifiant: 'dept77', motDePasse: '' })
    t.equal(empty.statusCode, 400)
    t.match(empty.body, /<div class="error-summary"[^>]*>[\s\S]*<a href="#mot-de-passe">Saisissez votre mot de passe<\/a>/, 'the summary leads to the password')
    t.match(empty.body, /id="mot-de-passe-erreur"[^>]*>Saisissez votre mot de passe</, 'the message beside the field')
    t.match(empty.body, /<input id="mot-de-passe"[^>]* aria-invalid="true" aria-describedby="mot-de-passe-erreur"/)
    t.notMatch(empty.body, /<input id="identifiant"[^>]* aria-invalid/, 'the identifier is not in error')
    t.match(empty.body, /<input id="identifiant"[^>]* value="dept77"/, 'the identifier typed is kept')
  }
  await c.get('/')
  const noName = await c.post('/connexion', { identifiant: '  ', motDePasse: 'demo-77' })
  t.equal(noName.statusCode, 400)
  t.match(noName.body, /<a href="#identifiant">Saisissez votre identifiant<\/a>/)
  t.match(noName.body, /id="identifiant-erreur"[^>]*>Saisissez votre identifiant</)
  t.match(noName.body, /<input id="identifiant"[^>]* aria-invalid="true" aria-describedby="identifiant-erreur"/)
  t.notMatch(noName.body, /<input id="mot-de-passe"[^>]* aria-invalid/)
  await c.get('/')
  const nothing = await c.post('/connexion', { identifiant: '', motDePasse: '' })
  t.equal(nothing.statusCode, 400)
  t.match(nothing.body, /<a href="#identifiant">Saisissez votre identifiant<\/a><\/li>\s*<li><a href="#mot-de-passe">Saisissez votre mot de passe<\/a>/, 'both, in the order of the fields')
  t.equal(checked, 0, 'no password was checked')
  t.notOk(c.cookies.has('phebus_session'))
  const right = await c.login('dept77', 'demo-77')
  t.equal(right.statusCode, 303, 'not locked: none of them was a failed login')
})

t.test('a login form posted without its token (from another site, or without cookies) opens nothing', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  const res = await c.post('/connexion', { identifiant: 'dept77', motDePasse: 'demo-77', _csrf: '' })
  t.equal(res.statusCode, 403)
  t.match(textOf(res.body), /cookies/)
  t.notOk(c.cookies.has('phebus_session'))
  const forged = await app.inject({ method: 'POST', url: '/connexion', payload: 'identifiant=dept77&motDePasse=demo-77&_csrf=x', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example' } })
  t.equal(forged.statusCode, 403)
  t.match(textOf(forged.body), /venue d'un autre site refusée/)
})

t.test('the admin logs in to the console, never to a département\'s pages', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  const res = await c.login('admin', 'admin-password-for-tests')
  t.equal(res.statusCode, 303)
  t.equal(res.headers.location, '/console')
  t.ok(c.cookies.has('phebus_session'))
  t.equal((await c.get('/fichiers')).statusCode, 403, 'the admin has no files of its own')
  t.equal((await c.get('/')).headers.location, '/console', 'logged in, the login page sends it home')
})

t.test('a session ends after 30 minutes idle, and after 8 hours however busy; the login page says why and brings back', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  clock.advance(29 * MINUTE)
  t.equal((await c.get('/fichiers')).statusCode, 200)
  clock.advance(29 * MINUTE)
  t.equal((await c.get('/envoi')).statusCode, 200, 'each use pushes the idle end back')
  clock.advance(31 * MINUTE)
  const idle = await c.get('/qualification')
  t.equal(idle.statusCode, 303)
  t.equal(idle.headers.location, '/?suivant=%2Fqualification&fin=idle')
  t.match(textOf((await c.get(idle.headers.location as string)).body), /30 minutes sans activité/)

  await c.login('dept77', 'demo-77')
  const opened = clock.at
  let end = await c.get('/fichiers')
  while (end.statusCode === 200) {
    clock.advance(15 * MINUTE)
    end = await c.get('/fichiers')
  }
  t.equal(clock.at - opened, 8 * 60 * MINUTE, 'used every 15 minutes, it lasts 8 hours')
  t.equal(end.statusCode, 303)
  t.match(end.headers.location, /fin=max/)
})

t.test('a session outlives a restart of the server (kept in the database)', async (t) => {
  const dataDir = t.testdir()
  const first = await testApp(t, { dataDir })
  const c = new PageClient(first)
  await c.login('dept77', 'demo-77')
  await first.close()
  const second = await testApp(t, { dataDir })
  const again = new PageClient(second)
  for (const [k, v] of c.cookies) again.cookies.set(k, v)
  t.equal((await again.get('/fichiers')).statusCode, 200)
})

t.test('the login page says why a session ended only for the three ends it knows, never a name the object prototype has', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  for (const fin of ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf', 'inconnue']) {
    const page = await c.get(`/?fin=${fin}`)
    t.equal(page.statusCode, 200, fin)
    t.notMatch(page.body, /class="notice"/, `${fin}: no notice`)
    t.notMatch(page.body, /native code|function/, fin)
  }
  t.match(textOf((await c.get('/?fin=idle')).body), /30 minutes sans activité/)
})

t.test('« Se déconnecter » ends the session: its cookie opens nothing any more', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const token = c.cookies.get('phebus_session') as string
  await c.get('/fichiers')
  const out = await c.post('/deconnexion', {})
  t.equal(out.statusCode, 303)
  t.equal(out.headers.location, '/?deconnecte=1')
  t.notOk(c.cookies.has('phebus_session'))
  t.match(textOf((await c.get('/?deconnecte=1')).body), /Vous êtes déconnecté/)
  const replay = await app.inject({ url: '/fichiers', headers: { cookie: `phebus_session=${token}` } })
  t.equal(replay.statusCode, 303)
})

t.test('GET /connexion and GET /deconnexion (Enter in the address bar) lead to the login page, or home once logged in, and log no one in or out', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  for (const url of ['/connexion', '/deconnexion']) {
    const res = await c.get(url)
    t.equal(res.statusCode, 303, url)
    t.equal(res.headers.location, '/', url)
  }
  await c.login('dept77', 'wrong')
  t.equal((await c.get('/connexion')).headers.location, '/', 'after a failed login')
  await c.login('dept77', 'demo-77')
  for (const url of ['/connexion', '/deconnexion']) {
    const res = await c.get(url)
    t.equal(res.statusCode, 303, url)
    t.equal(res.headers.location, '/', url)
  }
  t.ok(c.cookies.has('phebus_session'), 'GET /deconnexion ends no session: only the form does')
  t.equal((await c.get('/')).headers.location, '/fichiers')
  t.equal((await c.get('/fichiers')).statusCode, 200)
})

t.test('the logout form needs its token: a forged logout changes nothing', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const res = await c.post('/deconnexion', { _csrf: 'forged' })
  t.equal(res.statusCode, 403)
  t.equal((await c.get('/fichiers')).statusCode, 200)
})

t.test('the API ignores the session cookie: Basic auth only', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const res = await app.inject({ url: '/api/v1/files', headers: { cookie: `phebus_session=${c.cookies.get('phebus_session') ?? ''}` } })
  t.equal(res.statusCode, 401)
})

t.test('after login the user goes back to the page asked for, never to another site', async (t) => {
  const app = await testApp(t)
  for (const [next, expected] of [['/qualification', '/qualification'], ['//evil.example/x', '/fichiers'], ['https://evil.example', '/fichiers'], ['/\\evil.example', '/fichiers'], ['/\t/evil.example/', '/fichiers'], ['/\n/x', '/fichiers'], ['/fichiers?x=\u00e9', '/fichiers'], ['/fichiers?x=%C3%A9', '/fichiers?x=%C3%A9']]) {
    const c = new PageClient(app)
    await c.get('/')
    const res = await c.post('/connexion', { identifiant: 'dept77', motDePasse: 'demo-77', suivant: next as string })
    t.equal(res.headers.location, expected, JSON.stringify(next))
    t.ok(res.headers['set-cookie'] !== undefined, 'logged in')
  }
})

t.test('logins, logouts and pages are in the audit trail like API requests', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app, '192.0.2.20')
  await c.login('dept77', 'wrong')
  await c.login('dept77', 'demo-77')
  await c.get('/fichiers')
  await c.post('/deconnexion', {})
  app.auditTrail.flush()
  const trail = await app.inject({ url: '/api/v1/admin/audit?user=dept77&limit=20', headers: AS.admin })
  const entries = (trail.json().entries as { route: string, status: number, detail: string | null, address: string, method: string }[]).filter((e) => e.address === '192.0.2.20')
  const seen = entries.map((e) => `${e.method} ${e.route} ${e.status}`).reverse()
  t.same(seen.filter((s) => !s.startsWith('GET / ')), ['POST /connexion 401', 'POST /connexion 303', 'GET /fichiers 200', 'POST /deconnexion 303'])
  t.equal(entries.find((e) => e.status === 401)?.detail, 'PHEBUS_AUTH_REQUIRED')
})

t.test('under TLS the session cookie is Secure too', async (t) => {
  const { startServer } = await import('../../../src/server/start.js')
  const { request } = await import('node:https')
  const { appOptions } = await import('../helpers.js')
  const quiet = { write: () => true } as unknown as NodeJS.WritableStream
  const server = await startServer({ app: appOptions(t.testdir()), host: '127.0.0.1', port: 0, tls: { mode: 'self-signed' }, stdout: quiet as never, stderr: quiet as never, handleSignals: false })
  t.teardown(() => server.close())
  // as testApp does: the first deposits made, so that no file is still being written when the test's folder is removed
  await server.app.maintenance.settled()
  const send = (path: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number, cookies: string[], text: string }> => new Promise((resolve, reject) => {
    const req = request(`${server.url}${path}`, { method, headers, rejectUnauthorized: false }, (res) => {
      let text = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { text += c })
      res.on('end', () => { resolve({ status: res.statusCode ?? 0, cookies: [res.headers['set-cookie'] ?? []].flat(), text }) })
    })
    req.on('error', reject)
    req.end(body)
  })
  const page = await send('/', 'GET', {})
  const loginCookie = page.cookies.find((c) => c.startsWith('phebus_connexion=')) as string
  t.match(loginCookie, /; Secure/)
  const token = /name="_csrf" value="([^"]+)"/.exec(page.text)?.[1] ?? ''
  const res = await send('/connexion', 'POST', { 'content-type': 'application/x-www-form-urlencoded', origin: server.url, cookie: loginCookie.split(';')[0] as string }, new URLSearchParams({ _csrf: token, identifiant: 'dept77', motDePasse: 'demo-77' }).toString())
  t.equal(res.status, 303)
  t.match(res.cookies.find((c) => c.startsWith('phebus_session=')), /; HttpOnly.*; Secure|; Secure.*; HttpOnly/)
})
