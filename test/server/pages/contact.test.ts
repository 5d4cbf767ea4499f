import t from 'tap'
import { AS, Clock, monthlyName, testApp } from '../helpers.js'
import { PageClient, textOf } from './client.js'

t.test('a message written through « Nous écrire » is kept, confirmed, traced and read by the admin', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app, '192.0.2.30')
  await c.login('dept77', 'demo-77')
  const form = await c.get('/nous-ecrire')
  t.match(form.body, /<label for="sujet">Sujet<\/label>/)
  t.match(form.body, `<option value="${monthlyName('77')}">`)
  const sent = await c.post('/nous-ecrire', { sujet: 'Téléchargement interrompu', message: 'Bonjour,\r\nle PECGM <b>ne</b> se télécharge pas.', fichier: monthlyName('77') })
  t.equal(sent.statusCode, 303)
  t.match(sent.headers.location, /^\/nous-ecrire\/\d+$/)
  const confirmation = await c.get(sent.headers.location as string)
  t.match(textOf(confirmation.body), /Message envoyé/)
  t.match(textOf(confirmation.body), /le lit dans sa console \(« Messages »\)/, 'where the admin reads it: the console\'s page of that name')
  t.match(confirmation.body, /le PECGM &lt;b&gt;ne&lt;\/b&gt; se télécharge pas\./, 'the message shown as text')
  const admin = await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })
  t.equal(admin.statusCode, 200)
  const m = admin.json().messages[0]
  t.match(m, { departement: '77', user: 'dept77', subject: 'Téléchargement interrompu', body: 'Bonjour,\nle PECGM <b>ne</b> se télécharge pas.', fileName: monthlyName('77') })
  t.match(m.fileSha256, /^[0-9a-f]{64}$/)
  app.auditTrail.flush()
  const trail = (await app.inject({ url: '/api/v1/admin/audit?user=dept77&limit=10', headers: AS.admin })).json().entries as { route: string, method: string, detail: string, fileName: string }[]
  t.ok(trail.some((e) => e.method === 'POST' && e.route === '/nous-ecrire' && e.detail === `message n° ${m.id as number}` && e.fileName === monthlyName('77')))
  t.equal((await app.inject({ url: '/api/v1/admin/messages', headers: AS.dept77 })).statusCode, 404, 'a département cannot read them')
})

t.test('a message form sent twice (a double click, the back button) sends one message, and both answers lead to it', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/nous-ecrire')).body)?.[1] ?? ''
  t.not(order, '', 'the form names its order')
  const fields = { sujet: 'Question', message: 'Une question.', fichier: '', ordre: order }
  const first = await c.post('/nous-ecrire', fields)
  const second = await c.post('/nous-ecrire', fields)
  t.equal(second.statusCode, 303)
  t.equal(second.headers.location, first.headers.location)
  t.equal((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.length, 1, 'one message')
  const other = new PageClient(app)
  await other.login('dept93', 'demo-93')
  await other.get('/nous-ecrire')
  t.match((await other.post('/nous-ecrire', fields)).headers.location, /^\/nous-ecrire\/\d+$/)
  t.not((await other.post('/nous-ecrire', { ...fields, ordre: order })).headers.location, first.headers.location, 'another département\'s order is not its own')
  t.equal((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.length, 2)
})

t.test('a message without subject or text, or citing a file that is not the département\'s, is refused field by field', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  await c.get('/nous-ecrire')
  const res = await c.post('/nous-ecrire', { sujet: '  ', message: 'x'.repeat(5001), fichier: monthlyName('93') })
  t.match(res.body, /<div class="error-summary"[^>]* data-focus>/, 'the summary takes the focus (app.js), as the console\'s do')
  t.equal(res.statusCode, 400)
  t.match(res.body, /<div class="error-summary"/)
  for (const field of ['sujet', 'message', 'fichier']) {
    t.match(res.body, `<a href="#${field}">`, `the summary links to ${field}`)
    t.match(res.body, `id="${field}-erreur"`, `the message beside ${field}`)
  }
  t.match(res.body, /x{100}/, 'what was written is kept in the form')
  const admin = await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })
  t.same(admin.json().messages, [], 'nothing kept')
})

t.test('a message whose subject or text holds a bidirectional override or a control character is refused, naming it; its lines and tabs are text', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const cases = [
    { sujet: 'Stock \u202Eeliisibll', message: 'Bonjour', field: 'sujet', says: /sans caractère de contrôle ni de mise en forme bidirectionnelle : caractère de mise en forme bidirectionnelle U\+202E/ },
    { sujet: 'Stock\u0007', message: 'Bonjour', field: 'sujet', says: /caractère de contrôle U\+0007/ },
    { sujet: 'Stock', message: 'Bonjour,\nle stock \u2067illisible\u2069.', field: 'message', says: /Le message contient un caractère de mise en forme bidirectionnelle U\+2067/ }
  ]
  for (const k of cases) {
    await c.get('/nous-ecrire')
    const res = await c.post('/nous-ecrire', { sujet: k.sujet, message: k.message })
    t.equal(res.statusCode, 400, k.field)
    t.match(res.body, `id="${k.field}-erreur"`)
    t.match(textOf(res.body), k.says)
  }
  await c.get('/nous-ecrire')
  t.equal((await c.post('/nous-ecrire', { sujet: 'Stock', message: 'Bonjour,\n\tle stock se lit mal.' })).statusCode, 303, 'a line break and a tab are text')
  t.equal((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.length, 1, 'only that one kept')
})

t.test('a message\'s line breaks sent as CRLF (as browsers send them) count one character each against its limit, as the form\'s maxlength counts them', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const lines = [...Array.from({ length: 49 }, () => 'x'.repeat(98)), 'x'.repeat(139)]
  for (const [eol, length, status] of [['\r\n', 4990, 303], ['\r', 4990, 303], ['\r\n', 5001, 400]] as const) {
    const message = (length === 4990 ? lines : [...lines.slice(0, -1), 'x'.repeat(150)]).join(eol)
    t.equal(message.replace(/\r\n?/g, '\n').length, length, 'as the browser counts it')
    await c.get('/nous-ecrire')
    const res = await c.post('/nous-ecrire', { sujet: 'Long message', message, fichier: '' })
    t.equal(res.statusCode, status, `${JSON.stringify(eol)}, ${length} characters`)
    if (status === 400) t.match(textOf(res.body), `Le message a ${length} caractères : 5000 au plus.`, 'the count the user can check')
  }
  const kept = (await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages as { body: string }[]
  t.same(kept.map((m) => m.body.length), [4990, 4990], 'kept with its line breaks as LF')
  t.notOk(kept.some((m) => m.body.includes('\r')))
})

t.test('a message is read by its département only; « Nous écrire » without a session says to log in first', async (t) => {
  const app = await testApp(t)
  const c77 = new PageClient(app)
  await c77.login('dept77', 'demo-77')
  await c77.get('/nous-ecrire')
  const sent = await c77.post('/nous-ecrire', { sujet: 'Question', message: 'Une question.', fichier: '' })
  const c93 = new PageClient(app)
  await c93.login('dept93', 'demo-93')
  t.equal((await c93.get(sent.headers.location as string)).statusCode, 404)
  const anonymous = await new PageClient(app).get('/nous-ecrire')
  t.equal(anonymous.statusCode, 200)
  t.match(textOf(anonymous.body), /Connectez-vous d'abord/)
})

t.test('the admin reads messages a page at a time, of one département when asked', async (t) => {
  const app = await testApp(t)
  for (const [user, password] of [['dept77', 'demo-77'], ['dept93', 'demo-93'], ['dept77', 'demo-77']] as const) {
    const c = new PageClient(app)
    await c.login(user, password)
    await c.get('/nous-ecrire')
    await c.post('/nous-ecrire', { sujet: `De ${user}`, message: 'Texte.', fichier: '' })
  }
  const first = (await app.inject({ url: '/api/v1/admin/messages?limit=2', headers: AS.admin })).json()
  t.equal(first.messages.length, 2)
  t.equal(first.messages[0].departement, '77')
  const rest = (await app.inject({ url: `/api/v1/admin/messages?limit=2&before=${first.next as number}`, headers: AS.admin })).json()
  t.equal(rest.messages.length, 1)
  t.equal(rest.next, null)
  const of93 = (await app.inject({ url: '/api/v1/admin/messages?departement=93', headers: AS.admin })).json()
  t.same(of93.messages.map((m: { subject: string }) => m.subject), ['De dept93'])
})

/** The hidden fields of the first form of a page, as a browser sends them back (entities of the templates decoded). */
function hiddenFields (html: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const m of html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)) {
    out[m[1] as string] = (m[2] as string).replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&amp;/g, '&')
  }
  return out
}

t.test('a message posted once its session has ended is not lost: the login page keeps it, and the form has it back after the login, nothing sent until then', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  await c.get('/nous-ecrire')
  clock.advance(31 * 60_000)
  const text = 'Bonjour,\r\nle flux du <b>lundi</b> « manque » & le reste.'
  const posted = await c.post('/nous-ecrire', { sujet: 'Flux manquant', message: text, fichier: monthlyName('77') })
  t.equal(posted.statusCode, 401, 'the login page, where a redirect lost the text')
  t.match(textOf(posted.body), /Votre session a pris fin après 30 minutes sans activité : votre message n'a pas été envoyé/)
  t.match(textOf(posted.body), /Votre message en attente : « Flux manquant »/)
  t.notMatch(posted.body, /<b>lundi<\/b>/, 'shown as text')
  t.equal((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.length, 0, 'nothing sent without a session')

  const carried = hiddenFields(posted.body)
  t.match(carried, { suivant: '/nous-ecrire', brouillonSujet: 'Flux manquant', brouillonMessage: text, brouillonFichier: monthlyName('77') })
  const wrong = await c.post('/connexion', { ...carried, identifiant: 'dept77', motDePasse: 'faux' })
  t.equal(wrong.statusCode, 401)
  t.match(hiddenFields(wrong.body), { brouillonMessage: text }, 'kept through a failed try')
  const back = await c.post('/connexion', { ...hiddenFields(wrong.body), identifiant: 'dept77', motDePasse: 'demo-77' })
  t.equal(back.statusCode, 200, 'the form itself, not a redirect')
  t.match(textOf(back.body), /Vous êtes reconnecté\. Votre message n'a pas encore été envoyé/)
  t.match(back.body, /<input id="sujet" name="sujet" type="text" maxlength="200" value="Flux manquant"/)
  t.match(back.body, 'le flux du &lt;b&gt;lundi&lt;/b&gt; « manque » &amp; le reste.</textarea>')
  t.match(back.body, `<option value="${monthlyName('77')}" selected>`)
  t.equal((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.length, 0, 'still nothing sent')
  const sent = await c.post('/nous-ecrire', { sujet: 'Flux manquant', message: text, fichier: monthlyName('77'), ordre: hiddenFields(back.body).ordre as string })
  t.equal(sent.statusCode, 303, 'sent with the new session\'s token')
  t.equal((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.length, 1)
})

t.test('a post without session keeps its text only for « Nous écrire »: the other forms still lead to the login page, and another site\'s post is refused first', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  const upload = await c.post('/fichiers/x.xml/supprimer', {})
  t.equal(upload.statusCode, 303, 'any other form: the login page by a redirect, as before')
  const foreign = await c.post('/nous-ecrire', { sujet: 'x', message: 'y' }, { origin: 'https://autre.example' })
  t.equal(foreign.statusCode, 403, 'another site\'s post: refused before anything')
})
