import t from 'tap'
import { AS, monthlyName, testApp, validCgpem } from '../helpers.js'
import { PageClient, textOf } from './client.js'

async function loggedIn (t: Parameters<typeof testApp>[0], user = 'dept77', password = 'demo-77'): Promise<{ app: Awaited<ReturnType<typeof testApp>>, c: PageClient }> {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login(user, password)
  return { app, c }
}

/** A CGPEM whose first orientation has a birth name with markup and a NIR that is wrong: two findings, one value with « < ». */
async function brokenCgpem (): Promise<Buffer> {
  const xml = (await validCgpem('77', 3)).toString('latin1')
  return Buffer.from(xml.replace(/<NOM_NAISSANCE>[^<]*<\/NOM_NAISSANCE>/, '<NOM_NAISSANCE>&lt;script&gt;alert(1)&lt;/script&gt;</NOM_NAISSANCE>').replace(/<NIR>([0-9]{5})/, '<NIR>9$1'), 'latin1')
}

t.test('« Mes fichiers » lists the monthly PECGM, and its link downloads the bytes the API gives', async (t) => {
  const { app, c } = await loggedIn(t)
  const page = await c.get('/fichiers')
  t.equal(page.statusCode, 200)
  const name = monthlyName('77')
  t.match(page.body, `<a href="/fichiers/${name}" download>${name}</a>`)
  t.match(textOf(page.body), /PECGM stock mensuel 02\/11\/2026 06:00 [0-9,]+ Kio 02\/12\/2026 06:00/)
  const viaPage = await c.get(`/fichiers/${name}`)
  const viaApi = await app.inject({ url: `/api/v1/files/${name}`, headers: AS.dept77 })
  t.equal(viaPage.statusCode, 200)
  t.equal(viaPage.headers['content-type'], 'text/plain; charset=ISO-8859-1')
  t.match(viaPage.headers['content-disposition'], /^attachment/)
  t.ok(viaPage.rawPayload.equals(viaApi.rawPayload), 'same bytes')
  t.equal(viaPage.headers.etag, viaApi.headers.etag)
  t.equal(page.headers['cache-control'], 'no-store', 'the page itself is kept by no cache')
})

t.test('a downloaded PECGM or CGPEM (personal data, fictitious here) is kept by no cache, the browser\'s included, through the pages as through the API', async (t) => {
  const { app, c } = await loggedIn(t)
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_garde.xml', await validCgpem('77', 3))
  for (const name of [monthlyName('77'), 'CGPEM_77_garde.xml']) {
    const page = await c.get(`/fichiers/${name}`)
    const api = await app.inject({ url: `/api/v1/files/${name}`, headers: AS.dept77 })
    t.equal(page.statusCode, 200, name)
    t.equal(page.headers['cache-control'], 'no-store', `${name}: the page's download`)
    t.equal(api.headers['cache-control'], 'no-store', `${name}: the API's download`)
    const again = await app.inject({ url: `/api/v1/files/${name}`, headers: { ...AS.dept77, 'if-none-match': String(api.headers.etag) } })
    t.equal(again.statusCode, 304, 'a program that kept the ETag may still ask whether it changed')
  }
})

t.test('« Mes fichiers » keeps its rows as bytes: the page is whole UTF-8 with its accents, and only its form tokens change from one request to the next', async (t) => {
  const { c } = await loggedIn(t)
  const first = await c.get('/fichiers')
  const second = await c.get('/fichiers')
  t.equal(Number(first.headers['content-length']), first.rawPayload.length)
  t.equal(first.rawPayload.toString('utf8'), first.body, 'valid UTF-8')
  t.match(first.body, /<tbody>\s*<tr><th><a href="\/fichiers\/PECGM_77_M_[^"]*" download>[^<]*<\/a><td>PECGM <span class="small">stock mensuel<\/span>[^\n]*\n\s*<\/tbody>/, 'the rows in their place')
  t.match(first.body, 'Les fichiers du département 77')
  t.notMatch(first.body, 'phebus-pre-rendered', 'no mark left behind')
  const withoutTokens = (html: string): string => html.replace(/name="_csrf" value="[^"]*"/g, '')
  t.equal(withoutTokens(second.body), withoutTokens(first.body))
})

t.test('an accepted upload through the form leads to its report, and the list shows it accepted with a link to it', async (t) => {
  const { app, c } = await loggedIn(t)
  await c.get('/envoi')
  const res = await c.upload('/envoi', 'CGPEM_77_ok.xml', await validCgpem('77', 20))
  t.equal(res.statusCode, 303)
  const location = res.headers.location as string
  t.match(location, /^\/rapports\/[0-9a-f-]{36}$/)
  const report = await c.get(location)
  t.equal(report.statusCode, 200)
  t.match(textOf(report.body), /CGPEM_77_ok\.xml : accepté/)
  t.match(textOf(report.body), /Orientations 20 Erreurs 0/)
  const list = await c.get('/fichiers')
  t.match(list.body, `<a class="ok" href="${location}">accepté</a>`)
  const api = await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  t.ok((api.json().files as { name: string }[]).some((f) => f.name === 'CGPEM_77_ok.xml'), 'the same file as the API sees')
})

t.test('a rejected upload shows its findings by code, each with line, field, masked value, and markup as text', async (t) => {
  const { app, c } = await loggedIn(t)
  await c.get('/envoi')
  const res = await c.upload('/envoi', 'CGPEM_77_ko.xml', await brokenCgpem())
  t.equal(res.statusCode, 303)
  const report = await c.get(res.headers.location as string)
  const text = textOf(report.body)
  t.match(text, /CGPEM_77_ko\.xml : refusé/)
  t.match(text, /Constatations par code/)
  t.notMatch(report.body, /<script>alert/, 'the value is never markup')
  t.match(report.body, /&lt;script&gt;alert\(1\)&lt;\/script&gt;/)
  const json = await c.get(`${res.headers.location as string}/json`)
  const findings = json.json().findings as { code: string, line: number, field?: string, value?: string }[]
  const nir = findings.find((f) => f.field === 'NIR')
  t.ok(nir, 'a NIR finding')
  t.match(nir?.value, /^9[0-9]{2}\*+$/, 'the NIR masked')
  t.match(report.body, `<code>${nir?.code ?? ''}</code>`)
  t.match(report.body, `<td>${nir?.line ?? 0}</td>`)
  const apiReport = await app.inject({ url: `/api/v1/reports/${(res.headers.location as string).split('/')[2] ?? ''}`, headers: AS.dept77 })
  t.same(json.json(), apiReport.json(), 'the JSON link gives the API\'s report')
})

t.test('a report with many findings is paged, and filtered by code', async (t) => {
  const { c } = await loggedIn(t)
  const xml = (await validCgpem('77', 250)).toString('latin1').replace(/<DATE_NAISSANCE>[0-9]{8}<\/DATE_NAISSANCE>/g, '<DATE_NAISSANCE>20230230</DATE_NAISSANCE>')
  await c.get('/envoi')
  const res = await c.upload('/envoi', 'CGPEM_77_many.xml', Buffer.from(xml, 'latin1'))
  const first = await c.get(res.headers.location as string)
  t.match(textOf(first.body), /Page 1 sur [3-9]/)
  const next = /<a href="([^"]+)" rel="next">/.exec(first.body)?.[1]?.replace(/&amp;/g, '&')
  t.ok(next)
  const second = await c.get(next as string)
  t.match(textOf(second.body), /Page 2 sur/)
  const code = /\?code=([A-Z_0-9]+)/.exec(first.body)?.[1] as string
  const filtered = await c.get(`${res.headers.location as string}?code=${code}`)
  t.equal(filtered.statusCode, 200)
  t.notMatch(filtered.body.replace(/<ul class="codes">[\s\S]*?<\/ul>/, ''), new RegExp(`<h3 id="g-(?!${code})`), 'only that code\'s findings')
  // a name every object has is no code: the filter is ignored, as for any unknown code
  for (const unknown of ['INCONNU', 'constructor', 'hasOwnProperty', '__proto__']) {
    const page = await c.get(`${res.headers.location as string}?code=${unknown}`)
    t.equal(textOf(page.body), textOf(first.body), `?code=${unknown}: the whole report`)
  }
})

t.test('an upload form posted without its token is refused and nothing is kept', async (t) => {
  const { app, c } = await loggedIn(t)
  const res = await c.upload('/envoi', 'CGPEM_77_forged.xml', await validCgpem('77', 3), '')
  t.equal(res.statusCode, 403)
  t.match(textOf(res.body), /Formulaire refusé/)
  const other = await c.upload('/envoi', 'CGPEM_77_forged.xml', await validCgpem('77', 3), 'not-a-token')
  t.equal(other.statusCode, 403)
  t.notOk(app.files.find('77', 'CGPEM_77_forged.xml'))
})

t.test('a refused name (markup in it) gives the form again, the name shown as text', async (t) => {
  const { c } = await loggedIn(t)
  await c.get('/envoi')
  const res = await c.upload('/envoi', '<img src=x onerror=alert(1)>.xml', await validCgpem('77', 3))
  t.equal(res.statusCode, 400)
  t.match(res.body, /<div class="error-summary"[^>]* data-focus>/, 'the summary takes the focus (app.js)')
  t.notMatch(res.body, /<img src=x/)
  t.match(res.body, /&lt;img src=x onerror=alert\(1\)&gt;/)
  t.match(res.body, /<input id="fichier" name="file" type="file" required aria-describedby="fichier-aide fichier-erreur" aria-invalid="true">/, 'the field says it is in error')
  const none = await c.upload('/envoi', '', Buffer.alloc(0))
  t.equal(none.statusCode, 400)
  t.match(textOf(none.body), /Aucun fichier choisi/)
  const again = await c.upload('/envoi', 'CGPEM_77_a.xml', await validCgpem('77', 3))
  t.equal(again.statusCode, 303)
  const taken = await c.upload('/envoi', 'CGPEM_77_a.xml', await validCgpem('77', 3))
  t.equal(taken.statusCode, 409)
  t.match(textOf(taken.body), /existe déjà/)
})

t.test('a name the rule refuses (a space, parentheses: « CGPEM 77 (1).xml », as a browser names a second copy) is told in the words of the upload page, not as a regular expression', async (t) => {
  const { app, c } = await loggedIn(t)
  await c.get('/envoi')
  const res = await c.upload('/envoi', 'CGPEM 77 (1).xml', await validCgpem('77', 3))
  t.equal(res.statusCode, 400)
  const text = textOf(res.body)
  t.match(text, /« CGPEM 77 \(1\)\.xml »/, 'the name refused')
  t.notMatch(text, /\^\[A-Za-z0-9\]|\{0,99\}/, 'no regular expression on a page')
  t.match(text, /lettres sans accent, chiffres, point, tiret et souligné, sans espace/)
  const api = await app.inject({ method: 'POST', url: '/api/v1/files?name=CGPEM%2077%20(1).xml', headers: { ...AS.dept77, 'content-type': 'application/octet-stream' }, payload: await validCgpem('77', 3) })
  t.match(api.json().message, /\^\[A-Za-z0-9\]/, 'the API still gives its rule as it is')
})

t.test('another département\'s report, file or deletion reached by URL answers 404, as one that does not exist', async (t) => {
  const app = await testApp(t)
  const c93 = new PageClient(app)
  await c93.login('dept93', 'demo-93')
  await c93.get('/envoi')
  const up = await c93.upload('/envoi', 'CGPEM_93.xml', await validCgpem('93', 3))
  const report93 = up.headers.location as string
  const c77 = new PageClient(app)
  await c77.login('dept77', 'demo-77')
  const missing = await c77.get('/rapports/00000000-0000-4000-8000-000000000000')
  for (const url of [report93, `${report93}/json`, '/fichiers/CGPEM_93.xml', `/fichiers/${monthlyName('93')}`, '/fichiers/CGPEM_93.xml/supprimer']) {
    const res = await c77.get(url)
    t.equal(res.statusCode, 404, url)
    t.equal(textOf(res.body).replace(/[0-9a-f-]{36}/g, ''), textOf(missing.body).replace(/[0-9a-f-]{36}/g, ''), `${url}: the same page as for nothing`)
  }
  await c77.get('/fichiers')
  const del = await c77.post('/fichiers/CGPEM_93.xml/supprimer', {})
  t.equal(del.statusCode, 404)
  t.ok(app.files.find('93', 'CGPEM_93.xml'), 'still there')
  t.match(textOf(missing.body), /Page introuvable/)
  t.notMatch(missing.body, /at .*\(.*:\d+:\d+\)/, 'no stack trace')
})

t.test('a deletion confirmed twice (a double click) deletes once, and the second answer says it is done rather than « Page introuvable »', async (t) => {
  const { app, c } = await loggedIn(t)
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_deux.xml', await validCgpem('77', 3))
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/fichiers/CGPEM_77_deux.xml/supprimer')).body)?.[1] ?? ''
  t.not(order, '', 'the confirmation names its order')
  const [a, b] = await Promise.all([c.post('/fichiers/CGPEM_77_deux.xml/supprimer', { ordre: order }), c.post('/fichiers/CGPEM_77_deux.xml/supprimer', { ordre: order })])
  t.same([a.statusCode, b.statusCode], [303, 303])
  t.equal(b.headers.location, a.headers.location)
  t.notOk(app.files.find('77', 'CGPEM_77_deux.xml'))
  // the same name sent again, then the old confirmation sent once more: the new file stays
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_deux.xml', await validCgpem('77', 3))
  t.equal((await c.post('/fichiers/CGPEM_77_deux.xml/supprimer', { ordre: order })).headers.location, a.headers.location)
  t.ok(app.files.find('77', 'CGPEM_77_deux.xml'), 'an old confirmation deletes no file sent since')
})

t.test('a file deleted from one tab, then confirmed or asked for deletion from another tab of the same session, leads to « Mes fichiers » that says it is deleted, rather than « Page introuvable »; another session still gets the 404', async (t) => {
  const { app, c } = await loggedIn(t)
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_onglets.xml', await validCgpem('77', 3))
  const orderOf = (html: string): string => /name="ordre" value="([^"]+)"/.exec(html)?.[1] ?? ''
  const first = orderOf((await c.get('/fichiers/CGPEM_77_onglets.xml/supprimer')).body)
  const second = orderOf((await c.get('/fichiers/CGPEM_77_onglets.xml/supprimer')).body)
  t.not(first, second, 'each tab has its own confirmation')
  t.equal((await c.post('/fichiers/CGPEM_77_onglets.xml/supprimer', { ordre: first })).headers.location, '/fichiers?supprime=CGPEM_77_onglets.xml')
  const late = await c.post('/fichiers/CGPEM_77_onglets.xml/supprimer', { ordre: second })
  t.equal(late.statusCode, 303, 'the second tab\'s confirmation')
  t.equal(late.headers.location, '/fichiers?supprime=CGPEM_77_onglets.xml')
  t.match(textOf((await c.get('/fichiers?supprime=CGPEM_77_onglets.xml')).body), /CGPEM_77_onglets\.xml a été supprimé/)
  const stale = await c.get('/fichiers/CGPEM_77_onglets.xml/supprimer')
  t.equal(stale.statusCode, 303, '« Supprimer » of a list the other tab made stale')
  t.equal(stale.headers.location, '/fichiers?supprime=CGPEM_77_onglets.xml')
  const other = new PageClient(app)
  await other.login('dept77', 'demo-77')
  t.equal((await other.get('/fichiers/CGPEM_77_onglets.xml/supprimer')).statusCode, 404, 'another session deleted nothing')
  t.equal((await other.post('/fichiers/CGPEM_77_onglets.xml/supprimer', { ordre: second })).statusCode, 404)
})

t.test('« Mes fichiers » says a file was deleted only after this session deleted it: never for a name that never existed, nor for another session', async (t) => {
  const { app, c } = await loggedIn(t)
  for (const never of ['CGPEM_77_jamais.xml', 'PECGM_77_M_20261201_20261201.txt']) {
    const page = await c.get(`/fichiers?supprime=${never}`)
    t.equal(page.statusCode, 200)
    t.notMatch(textOf(page.body), /a été supprimé/, `${never}: no such file was ever deleted`)
  }
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_efface.xml', await validCgpem('77', 3))
  await c.get('/fichiers/CGPEM_77_efface.xml/supprimer')
  const done = await c.post('/fichiers/CGPEM_77_efface.xml/supprimer', {})
  t.equal(done.headers.location, '/fichiers?supprime=CGPEM_77_efface.xml')
  t.match(textOf((await c.get(done.headers.location as string)).body), /CGPEM_77_efface\.xml a été supprimé/)
  // the same address in another session of the same département: that session deleted nothing
  const other = new PageClient(app)
  await other.login('dept77', 'demo-77')
  t.notMatch(textOf((await other.get(done.headers.location as string)).body), /a été supprimé/)
})

t.test('an upload is deleted after a confirmation page; a PECGM cannot be', async (t) => {
  const { app, c } = await loggedIn(t)
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_gone.xml', await validCgpem('77', 3))
  const confirm = await c.get('/fichiers/CGPEM_77_gone.xml/supprimer')
  t.equal(confirm.statusCode, 200)
  t.match(textOf(confirm.body), /Voulez-vous supprimer CGPEM_77_gone\.xml/)
  t.ok(app.files.find('77', 'CGPEM_77_gone.xml'), 'the confirmation page deletes nothing')
  const done = await c.post('/fichiers/CGPEM_77_gone.xml/supprimer', {})
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, '/fichiers?supprime=CGPEM_77_gone.xml')
  t.notOk(app.files.find('77', 'CGPEM_77_gone.xml'))
  t.match(textOf((await c.get(done.headers.location as string)).body), /CGPEM_77_gone\.xml a été supprimé/)
  // the notice says only what happened: not any text put in the address, nor a file still there
  for (const forged of [encodeURIComponent('Compte suspendu, appelez le 01 99 00 00 00. X'), monthlyName('77')]) {
    t.notMatch(textOf((await c.get(`/fichiers?supprime=${forged}`)).body), /a été supprimé/, forged)
  }
  const pecgm = await c.get(`/fichiers/${monthlyName('77')}/supprimer`)
  t.equal(pecgm.statusCode, 403)
  t.match(textOf(pecgm.body), /PECGM déposé par Pôle emploi/)
  t.match(textOf(pecgm.body), /il expire le \d{2}\/\d{2}\/\d{4}/, 'its day written as the pages write every other')
  t.notMatch(textOf(pecgm.body), /\d{4}-\d{2}-\d{2}/)
})

t.test('an unknown URL is a French page for a browser, JSON for a program, and the API stays JSON', async (t) => {
  const app = await testApp(t)
  const page = await app.inject({ url: '/nulle-part', headers: { accept: 'text/html' } })
  t.equal(page.statusCode, 404)
  t.match(page.headers['content-type'], /text\/html/)
  t.match(textOf(page.body), /Page introuvable/)
  const program = await app.inject({ url: '/nulle-part' })
  t.equal(program.json().code, 'PHEBUS_HTTP_NOT_FOUND')
  const api = await app.inject({ url: '/api/v1/nulle-part', headers: { ...AS.dept77, accept: 'text/html' } })
  t.equal(api.json().code, 'PHEBUS_HTTP_NOT_FOUND')
  // the Accept header weighed as everywhere else (accept.ts), not searched for « text/html »
  const browser = await app.inject({ url: '/nulle-part', headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' } })
  t.match(browser.headers['content-type'], /text\/html/, 'a browser\'s Accept: the page')
  for (const accept of ['text/html;q=0, application/json', 'application/json, text/html;q=0.5', '*/*', 'TEXT/HTML;q=0']) {
    const res = await app.inject({ url: '/nulle-part', headers: { accept } })
    t.equal(res.statusCode, 404, accept)
    t.equal(res.json().code, 'PHEBUS_HTTP_NOT_FOUND', `${accept}: JSON`)
  }
  t.match((await app.inject({ url: '/nulle-part', headers: { accept: 'application/json;q=0.1, text/html' } })).headers['content-type'], /text\/html/, 'text/html weighed above JSON')
})

t.test('a page\'s address with a slash after it leads to the page (301, its query kept), never to another site, and only for GET', async (t) => {
  const { app, c } = await loggedIn(t)
  for (const [url, location] of [['/fichiers/', '/fichiers'], ['/envoi/', '/envoi'], ['/qualification/', '/qualification'], ['/fichiers/?supprime=x&y=%2F%2Fevil.example', '/fichiers?supprime=x&y=%2F%2Fevil.example'], ['/qualification/bilan//', '/qualification/bilan'], [`/fichiers/${monthlyName('77')}/`, `/fichiers/${monthlyName('77')}`]] as const) {
    const res = await c.get(url)
    t.equal(res.statusCode, 301, url)
    t.equal(res.headers.location, location, url)
  }
  t.equal((await app.inject({ url: '/envoi/' })).headers.location, '/envoi', 'without a session too: the page then asks to log in')
  for (const url of ['//evil.example/', '/\\evil.example/', '//evil.example/fichiers/', '/nulle-part/', '/api/v1/files/', '/console/']) {
    const res = await c.get(url)
    t.not(res.statusCode, 301, url)
    t.ok(res.headers.location === undefined || /^\/[^/\\]/.test(res.headers.location as string), `${url}: never elsewhere (${String(res.headers.location)})`)
  }
  await c.get('/envoi')
  const post = await c.post('/nous-ecrire/', { sujet: 'x', message: 'y' })
  t.equal(post.statusCode, 404, 'a form posted to the wrong address is not redirected')
})

t.test('pages other than the login send a browser without a session to the login page, and back after it', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  for (const url of ['/fichiers', '/envoi', '/qualification', `/fichiers/${monthlyName('77')}`]) {
    const res = await c.get(url)
    t.equal(res.statusCode, 303, url)
    t.equal(res.headers.location, `/?suivant=${encodeURIComponent(url)}`)
  }
  const login = await c.get('/?suivant=%2Fqualification')
  t.match(login.body, /name="suivant" value="\/qualification"/)
  const res = await c.post('/connexion', { identifiant: 'dept77', motDePasse: 'demo-77', suivant: '/qualification' })
  t.equal(res.headers.location, '/qualification')
})

t.test('the stylesheet and the script are served with their content hash, kept a year', async (t) => {
  const app = await testApp(t)
  const page = await new PageClient(app).get('/')
  for (const href of [...page.body.matchAll(/(?:href|src)="(\/assets\/[^"]+)"/g)].map((m) => m[1] as string)) {
    t.match(href, /\?v=[0-9a-f]{16}$/)
    const res = await app.inject({ url: href })
    t.equal(res.statusCode, 200, href)
    t.match(res.headers['cache-control'], /max-age=31536000.*immutable/)
  }
})

t.test('a form over the 64 KiB of a form is « Formulaire trop volumineux » (413), a file over the upload limit keeps the upload page\'s « Fichier trop volumineux »', async (t) => {
  const app = await testApp(t, { maxUploadBytes: 4096 })
  const c = new PageClient(app)
  await c.get('/')
  const login = await c.post('/connexion', { identifiant: 'dept77', motDePasse: 'x'.repeat(70_000) })
  await c.login('dept77', 'demo-77')
  await c.get('/nous-ecrire')
  const message = await c.post('/nous-ecrire', { sujet: 'Long', message: 'x'.repeat(70_000) })
  for (const [what, res] of [['login', login], ['message', message]] as const) {
    t.equal(res.statusCode, 413, what)
    t.match(res.body, /<h1>Formulaire trop volumineux<\/h1>/, what)
    t.notMatch(textOf(res.body), /Fichier trop volumineux/, `${what}: no file was sent`)
  }
  await c.get('/envoi')
  const upload = await c.upload('/envoi', 'CGPEM_77_gros.xml', await validCgpem('77', 50))
  t.equal(upload.statusCode, 413)
  t.match(upload.body, /<h1>Envoyer un fichier<\/h1>/, 'the upload form again')
  t.match(textOf(upload.body), /Fichier trop volumineux : la limite est de 4 Kio/)
  t.notMatch(textOf(upload.body), /--max-upload/, 'the server\'s option is not the département\'s business')
})

t.test('a server error on a page is a French page with a reference to the trail, never a stack trace', async (t) => {
  const app = await testApp(t, {}, { logLevel: 'silent' })
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  app.files.report = () => { throw new Error('disque illisible (simulé) at secret (/srv/app.js:1:1)') }
  const res = await c.get('/rapports/00000000-0000-4000-8000-000000000000')
  t.equal(res.statusCode, 500)
  const text = textOf(res.body)
  t.match(text, /Erreur du serveur/)
  t.match(text, new RegExp(`Référence de la requête : ${String(res.headers['x-request-id'])}`))
  t.notMatch(res.body, /disque illisible|srv\/app|at secret/)
})
