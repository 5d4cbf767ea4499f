import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { AS, basic, testApp } from './helpers.js'
import { PageClient } from './pages/client.js'

/**
 * The admin's accounts: a département created with a chosen password, a
 * password reset (chosen or drawn) after which the old one opens nothing,
 * cached or in a browser's session; neither password ever in the trail.
 */

interface Answer { statusCode: number, json: <T = any>() => T, body: string }

async function create (app: FastifyInstance, payload: Record<string, unknown>): Promise<Answer> {
  return await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: AS.admin, payload })
}

async function reset (app: FastifyInstance, code: string, payload?: Record<string, unknown>, headers = AS.admin): Promise<Answer> {
  return await app.inject({ method: 'POST', url: `/api/v1/admin/departements/${code}/password`, headers, ...(payload === undefined ? {} : { payload }) })
}

async function files (app: FastifyInstance, headers: Record<string, string>): Promise<number> {
  return (await app.inject({ url: '/api/v1/files', headers })).statusCode
}

t.test('the admin creates a département with a chosen password, which is not sent back, and logs in with it', async (t) => {
  const app = await testApp(t)
  const res = await create(app, { code: '13', name: 'Bouches-du-Rhône', password: 'calanques-en-hiver' })
  t.equal(res.statusCode, 201)
  t.match(res.json(), { departement: { code: '13', username: 'dept13', demo: false } })
  t.notOk('password' in res.json(), 'a chosen password is not repeated')
  t.equal(await files(app, basic('dept13', 'calanques-en-hiver')), 200)
  const drawn = await create(app, { code: '69', name: 'Rhône' })
  t.match(drawn.json(), { password: /^[A-Za-z0-9_-]{24}$/ }, 'without one, a password is drawn and shown once')
  t.equal(await files(app, basic('dept69', drawn.json().password)), 200)
})

t.test('a département\'s name with a control or a bidirectional formatting character is refused, naming the character and its position', async (t) => {
  const app = await testApp(t)
  const table = [
    { name: 'Yve\nlines', expect: /caractère de contrôle U\+000A \(saut de ligne\) en position 4/ },
    { name: 'Yvelines\u202E78', expect: /caractère de mise en forme bidirectionnelle U\+202E \(forçage droite-à-gauche\) en position 9/ },
    { name: '\u2066Yvelines', expect: /U\+2066 \(isolat gauche-à-droite\) en position 1/ },
    { name: 'Yvel\u0085ines', expect: /caractère de contrôle U\+0085 en position 5/ },
    { name: 'Yvelines\u007f', expect: /U\+007F \(suppression\) en position 9/ },
    { name: '𝒴velines\u200F', expect: /U\+200F \(marque droite-à-gauche\) en position 9/ }
  ]
  for (const row of table) {
    const res = await create(app, { code: '78', name: row.name })
    t.equal(res.statusCode, 400, JSON.stringify(row.name))
    t.equal(res.json().code, 'PHEBUS_HTTP_BAD_REQUEST')
    t.match(res.json().message, /^Nom du département refusé : /)
    t.match(res.json().message, row.expect)
  }
  t.equal(app.storage.accounts.findByDepartement('78'), null, 'nothing created')
  t.equal((await create(app, { code: '78', name: 'Yvelines — عربي (test) ‹78›' })).statusCode, 201, 'other characters, right-to-left letters included, are a name')
})

t.test('a chosen password is refused, in French and with its code, when it breaks the rule', async (t) => {
  const app = await testApp(t)
  const cases = [
    { name: 'eleven characters', password: 'onze-signes' },
    { name: 'a control character', password: 'douze-signes\ttab' },
    { name: 'over 1024 characters', password: 'x'.repeat(1025) }
  ]
  for (const c of cases) {
    for (const res of [await create(app, { code: '13', name: 'Bouches-du-Rhône', password: c.password }), await reset(app, '77', { password: c.password })]) {
      t.equal(res.statusCode, 400, c.name)
      t.equal(res.json().code, 'PHEBUS_ADMIN_PASSWORD_INVALID', c.name)
      t.notMatch(res.body, c.password.slice(0, 11), `${c.name}: the password is not repeated`)
    }
  }
  t.equal((await create(app, { code: '13', name: 'Bouches-du-Rhône', password: 'douze-signes' })).statusCode, 201, 'twelve characters will do')
  t.equal(await files(app, AS.dept77), 200, 'a refused reset changed nothing')
})

t.test('a reset with a chosen password: the old one, cached or in a session, stops working at once', async (t) => {
  const app = await testApp(t)
  t.equal(await files(app, AS.dept77), 200, 'the old password, now cached')
  const page = new PageClient(app)
  t.equal((await page.login('dept77', 'demo-77')).statusCode, 303)
  t.equal((await page.get('/fichiers')).statusCode, 200, 'a session open')

  const res = await reset(app, '77', { password: 'un-mot-de-passe-neuf' })
  t.equal(res.statusCode, 200)
  t.match(res.json(), { departement: { code: '77', username: 'dept77', demo: false }, sessionsClosed: 1 })
  t.notOk('password' in res.json())

  t.equal(await files(app, AS.dept77), 401, 'the old password is refused at once, cache or not')
  const after = await page.get('/fichiers')
  t.equal(after.statusCode, 303, 'the session is closed: back to the login page')
  t.equal(await files(app, basic('dept77', 'un-mot-de-passe-neuf')), 200, 'the new one works')
  t.equal(await files(app, AS.dept93), 200, 'another département is not touched')
  t.equal((await page.login('dept77', 'demo-77')).statusCode, 401)

  const login = await new PageClient(app).get('/')
  t.notMatch(login.body, 'demo-77', 'the login page no longer offers the demo password')
  const list = await app.inject({ url: '/api/v1/admin/departements', headers: AS.admin })
  t.match(list.json().departements.find((d: { code: string }) => d.code === '77'), { demo: false })
})

t.test('a reset without a password draws one, shown once; the trail says who changed whose password, never the password', async (t) => {
  const app = await testApp(t)
  const res = await reset(app, '93')
  t.equal(res.statusCode, 200)
  const password = res.json().password as string
  t.match(password, /^[A-Za-z0-9_-]{24}$/)
  t.equal(await files(app, AS.dept93), 401)
  t.equal(await files(app, basic('dept93', password)), 200)
  t.equal((await reset(app, '93', {})).statusCode, 200, 'an empty body draws one too')
  t.equal((await reset(app, '93', { password: 'choisi-par-l-admin' })).statusCode, 200)

  const trail = await app.inject({ url: '/api/v1/admin/audit?user=admin&limit=50', headers: AS.admin })
  const text = trail.body
  t.notMatch(text, password, 'no drawn password in the trail')
  t.notMatch(text, 'choisi-par-l-admin', 'no chosen password in the trail')
  const details = trail.json<{ entries: { path: string, detail: string | null }[] }>().entries.filter((e) => e.path === '/api/v1/admin/departements/93/password').map((e) => e.detail)
  t.same(details, [
    'mot de passe de dept93 changé (choisi), 0 session(s) fermée(s)',
    'mot de passe de dept93 changé (tiré au hasard), 0 session(s) fermée(s)',
    'mot de passe de dept93 changé (tiré au hasard), 0 session(s) fermée(s)'
  ])
})

t.test('a reset is for a département that has an account; to anyone but the admin the route does not exist', async (t) => {
  const app = await testApp(t)
  for (const code of ['13', '20', 'xyz']) t.equal((await reset(app, code)).statusCode, 404, `département ${code}: no account`)
  t.equal((await reset(app, 'abcd')).statusCode, 400, 'a code longer than any')
  const unknown = await app.inject({ url: '/api/v1/admin/nothing-here', headers: AS.dept77 })
  const asDept = await reset(app, '93', { password: 'je-prends-le-93' }, AS.dept77)
  t.equal(asDept.statusCode, 404)
  t.equal(asDept.json().message, unknown.json<{ message: string }>().message)
  t.equal(await files(app, AS.dept93), 200, 'nothing changed')
})

t.test('a start with another admin password ends the console sessions the old one opened; the same password keeps them', async (t) => {
  const dataDir = t.testdir()
  const first = await testApp(t, { dataDir, adminPassword: 'ancien-mot-de-passe-admin' })
  const browser = new PageClient(first)
  t.equal((await browser.login('admin', 'ancien-mot-de-passe-admin')).statusCode, 303)
  t.equal((await browser.get('/console')).statusCode, 200, 'the console, before the restart')
  await first.close()

  const same = await testApp(t, { dataDir, adminPassword: 'ancien-mot-de-passe-admin' })
  const kept = new PageClient(same)
  for (const [k, v] of browser.cookies) kept.cookies.set(k, v)
  t.equal((await kept.get('/console')).statusCode, 200, 'restarted with the same password: the session goes on')
  await same.close()

  const changed = await testApp(t, { dataDir, adminPassword: 'nouveau-mot-de-passe-admin' })
  t.equal((await new PageClient(changed).login('admin', 'ancien-mot-de-passe-admin')).statusCode, 401, 'the old password is refused')
  const stale = new PageClient(changed)
  for (const [k, v] of browser.cookies) stale.cookies.set(k, v)
  const res = await stale.get('/console')
  t.not(res.statusCode, 200, 'and the session it opened no longer opens the console')
  t.equal(res.statusCode, 303, 'the browser is sent to the login page')
})

t.test('an answer that may carry a drawn password is kept by no cache: creation and reset say Cache-Control: no-store', async (t) => {
  const app = await testApp(t)
  const created = await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: AS.admin, payload: { code: '78', name: 'Yvelines' } })
  t.equal(created.statusCode, 201)
  t.ok(created.json().password, 'a drawn password in the answer')
  t.equal(created.headers['cache-control'], 'no-store')
  const reset = await app.inject({ method: 'POST', url: '/api/v1/admin/departements/78/password', headers: AS.admin })
  t.equal(reset.statusCode, 200)
  t.ok(reset.json().password)
  t.equal(reset.headers['cache-control'], 'no-store')
})
