import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { findLeaks, pageText } from '../../messages-english.js'
import { cli } from '../../cli/helpers.js'
import { ADMIN_PASSWORD, AS, DEMO, basic, monthlyName, testApp, validCgpem } from '../helpers.js'
import { SCENARIO } from '../../../src/server/services/faults.js'
import { PageClient, textOf, type PageResponse } from './client.js'

/**
 * The console's room, a département's page and creating a département,
 * through app.inject: what each page shows, each form refused without its
 * token and done with it (traced), the admin's only (a 404 for anyone else).
 */

async function asAdmin (t: Test, address = '127.0.0.1'): Promise<{ app: FastifyInstance, c: PageClient }> {
  const app = await testApp(t)
  const c = new PageClient(app, address)
  const login = await c.login('admin', ADMIN_PASSWORD)
  t.equal(login.headers.location, '/console', 'the admin lands on the console')
  return { app, c }
}

/** The page, in French, without a leak of English or a trace. */
function french (t: Test, res: PageResponse, what: string): void {
  t.same(findLeaks(pageText(res.body)).map((l) => `${l.kind} « ${l.match} » : ${l.context}`), [], `${what} : en français`)
}

/** The admin's latest trail entry on a route. */
function traced (app: FastifyInstance, route: string): { status: number | null, detail: string | null, username: string | null, departement: string | null } | undefined {
  return app.auditTrail.query({ username: 'admin', route, limit: 1 })[0]
}

/** The files of 77 not in `before`. */
function added (app: FastifyInstance, before: readonly string[]): string[] {
  return app.files.list('77').map((f) => f.name).filter((n) => !before.includes(n))
}

t.test('the room lists every département with an account: files, activity, qualification, locks; the fragment gives the same rows', async (t) => {
  const { app, c } = await asAdmin(t)
  await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  // 93 locked from an address
  for (let i = 0; i < 5; i++) await app.inject({ url: '/api/v1/files', remoteAddress: '192.0.2.9', headers: basic('dept93', 'mauvais') })
  const page = await c.get('/console')
  t.equal(page.statusCode, 200)
  t.equal(page.headers['cache-control'], 'no-store')
  french(t, page, 'la salle')
  const text = textOf(page.body)
  t.match(text, /La salle/)
  t.match(text, /3 départements/)
  t.match(page.body, /<a href="\/console\/departements\/77">77 — Seine-et-Marne<\/a>/)
  t.match(text, /dept77 démo 1 27\/11\/2026 \d\d:\d\d pas commencée aucun aucune/, '77: its files, its last request, a campaign not started')
  t.match(text, /dept93 depuis 192\.0\.2\.9 \(5 échecs\), fin prévue à \d\d h \d\d/, '93: its lock')
  t.match(page.body, /<tbody data-refresh="\/console\/salle\/lignes">/)
  t.match(page.body, /<a href="\/console">Actualiser<\/a>/)
  t.match(page.body, /aria-current="page">La salle</)

  const rows = await c.get('/console/salle/lignes')
  t.equal(rows.statusCode, 200)
  t.match(rows.headers['content-type'], /^text\/html/)
  t.equal(rows.headers['cache-control'], 'no-store')
  t.equal((rows.body.match(/<tr>/g) ?? []).length, 3)
  t.ok(page.body.includes(rows.body.trim()), 'the page\'s rows are the fragment\'s')

  await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'Q' } })
  await c.get('/console/departements/971')
  const after = textOf((await c.get('/console/salle/lignes')).body)
  t.match(after, /dept77 démo 2 /, 'a new file shows in the rows')
  t.match(after, /dept971 démo \d+ aucune /, 'the admin\'s visits are no activity of the département')
  t.match(traced(app, '/console/departements/:code'), { departement: '971' }, 'the trail says which département the admin looked at')
})

t.test('the room counts the checks passed in French: « 1 contrôle réussi », « 2 contrôles réussis »', async (t) => {
  const { app, c } = await asAdmin(t)
  const words = (n: number): string => n > 1 ? `${n} contrôles réussis` : `${n} contrôle réussi`
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  const seen = new Set<number>()
  for (const step of [null, '/api/v1/qualification/sample']) {
    if (step !== null) await app.inject({ url: step, headers: AS.dept77 })
    const q = app.qualification.state('77')
    const passed = q?.checks.filter((ch) => ch.status === 'passed').length ?? 0
    seen.add(passed)
    t.match(textOf((await c.get('/console')).body), `itération 1, étape 2, ${words(passed)} sur ${q?.checks.length ?? 0}`)
    t.match(textOf((await c.get('/console/departements/77')).body), `${words(passed)} sur ${q?.checks.length ?? 0}`, 'as the département\'s page says it')
  }
  t.same([...seen], [1, 2], 'one check passed, then two')
})

t.test('a département\'s user gets the 404 of a page that does not exist on every console address', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  t.equal((await c.login('dept77', 'demo-77')).headers.location, '/fichiers')
  await c.get('/fichiers')
  const urls = ['/console', '/console/salle/lignes', '/console/departements/77', '/console/departements/nouveau', `/console/departements/77/fichiers/${monthlyName('77')}`, '/console/departements/77/mot-de-passe', '/console/departements/77/bilan']
  for (const url of urls) {
    const res = await c.get(url)
    t.equal(res.statusCode, 404, url)
    t.match(textOf(res.body), /Page introuvable/)
  }
  // with its own session's token: still a 404, and nothing done
  for (const url of ['/console/departements/77/mot-de-passe', '/console/departements/nouveau', '/console/departements/77/depots']) {
    t.equal((await c.post(url, { code: '78', nom: 'Yvelines' })).statusCode, 404, `POST ${url}`)
    t.equal((await c.post(url, { code: '78', nom: 'Yvelines', _csrf: '' })).statusCode, 404, `POST ${url} without a token: the same 404, not the 403 of a form that exists`)
  }
  t.equal(app.storage.accounts.findByDepartement('78'), null)
  t.equal(app.files.list('77').length, 1)
  const anonymous = new PageClient(app, '10.0.0.2')
  const res = await anonymous.get('/console/departements/77')
  t.equal(res.statusCode, 303, 'without a session: to the login page')
  t.equal(res.headers.location, '/?suivant=%2Fconsole%2Fdepartements%2F77')
})

t.test('the room, a département\'s page and the faults\' page say that the last activity and a fault\'s dates are the machine\'s time, where the files are dated by the exchange\'s clock', async (t) => {
  const { c } = await asAdmin(t)
  t.match((await c.get('/console')).body, '<th scope="col">Dernière activité <span class="small">(heure de la machine)</span></th>')
  const page = (await c.get('/console/departements/77')).body
  t.match(page, '<dt>Dernière activité <span class="small">(heure de la machine)</span></dt>')
  t.match(page, '<dt>Créé le <span class="small">(heure de la machine)</span></dt>')
  // a fault is set and lifted at the machine's time too: both pages say so beside its dates
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/pannes')).body)?.[1] ?? ''
  t.equal((await c.post('/console/pannes', { code: 'http-500', departement: '77', requetes: 'download', duree: 'fois', fois: '1', part: '100', ordre: order })).statusCode, 303)
  t.match((await c.get('/console/pannes')).body, '<th scope="col">Posée <span class="small">(heure de la machine)</span></th><th scope="col">État <span class="small">(heure de la machine)</span></th>')
  t.match((await c.get('/console/departements/77')).body, /\(posée par admin le [^)<]+, heure de la machine\)/)
})

t.test('« Créer un département » sent twice (a double click) creates it once, and the second answer says the first carried its password, not « déjà un compte »', async (t) => {
  const { app, c } = await asAdmin(t)
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/nouveau')).body)?.[1] ?? ''
  t.not(order, '', 'the form names its order')
  const fields = { code: '78', nom: 'Yvelines', motDePasse: '', ordre: order }
  const answers = await Promise.all([c.post('/console/departements/nouveau', fields), c.post('/console/departements/nouveau', fields)])
  t.same(answers.map((a) => a.statusCode).sort(), [201, 303])
  const second = answers.find((a) => a.statusCode === 303)
  t.equal(second?.headers.location, '/console/departements/78?fait=cree')
  t.match(textOf((await c.get('/console/departements/78?fait=cree')).body), /déjà été envoyé : le département a été créé par le premier envoi/)
  t.ok(app.storage.accounts.findByDepartement('78'))
})

t.test('to a département, a console address answers what an address that does not exist answers, whatever the request accepts', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  await c.get('/fichiers')
  const shape = (res: PageResponse): object => ({ status: res.statusCode, type: res.headers['content-type'], code: String(res.headers['content-type']).startsWith('application/json') ? res.json().code : textOf(res.body).includes('Page introuvable') })
  for (const accept of ['*/*', 'application/json', 'text/html']) {
    const none = shape(await c.get('/console-nulle-part', { accept }))
    for (const url of ['/console', '/console/journal', '/console/departements/77', '/console/horloge/resultat/x']) {
      t.same(shape(await c.get(url, { accept })), none, `GET ${url}, Accept: ${accept}`)
    }
    t.same(shape(await c.post('/console/pannes', { code: 'http-500' }, { accept })), shape(await c.post('/console-nulle-part', {}, { accept })), `POST /console/pannes, Accept: ${accept}`)
  }
})

t.test('a département\'s page: its account, its files newest first (downloadable), its uploads with their report, its campaign', async (t) => {
  const { app, c } = await asAdmin(t)
  const up = await app.inject({ method: 'POST', url: '/api/v1/files?name=CGPEM_77_ok.xml', payload: await validCgpem('77', 5), headers: { ...AS.dept77, 'content-type': 'application/octet-stream' } })
  const reportId = up.json().report.id as string
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  const page = await c.get('/console/departements/77')
  t.equal(page.statusCode, 200)
  french(t, page, 'page du département')
  const text = textOf(page.body)
  t.match(text, /Département 77 — Seine-et-Marne/)
  t.match(text, /Identifiant dept77 Sorte de compte démonstration/)
  t.match(text, /Fichiers 2 /)
  t.match(text, /Aucun blocage/)
  t.match(text, /Aucune panne active/)
  t.ok(text.indexOf('CGPEM_77_ok.xml') < text.indexOf(monthlyName('77')), 'newest first')
  t.match(page.body, `<a class="ok" href="/console/departements/77/rapports/${reportId}">accepté</a>`)
  t.match(text, /Itération 1, commencée le .* étape 2 de l'Annexe 2 — verdict : en cours — 1 contrôle réussi sur 7/)
  t.match(text, /Pôle emploi : en attente de validation/)
  t.match(page.body, /href="\/console\/pannes\?departement=77"/)
  t.match(page.body, /<a class="button" href="\/console\/departements\/77\/approbation">Approuver le bilan<\/a>/)
  t.notMatch(text, /À faire :/, 'the département\'s advice is its own')

  const viaConsole = await c.get(`/console/departements/77/fichiers/${monthlyName('77')}`)
  const viaApi = await app.inject({ url: `/api/v1/files/${monthlyName('77')}`, headers: AS.dept77 })
  t.equal(viaConsole.statusCode, 200)
  t.match(viaConsole.headers['content-disposition'], /^attachment/)
  t.ok(viaConsole.rawPayload.equals(viaApi.rawPayload), 'the bytes the API gives')
  t.match(traced(app, '/console/departements/:code/fichiers/:name'), { status: 200 })

  const report = await c.get(`/console/departements/77/rapports/${reportId}`)
  t.equal(report.statusCode, 200)
  french(t, report, 'rapport')
  t.match(textOf(report.body), /CGPEM_77_ok\.xml : accepté/)
  t.match(report.body, '<a href="/console/departements/77">Département 77</a>')
  t.notMatch(report.body, /href="\/envoi"/, 'no upload link for the admin')
  const json = await c.get(`/console/departements/77/rapports/${reportId}/json`)
  t.same(json.json(), (await app.inject({ url: `/api/v1/reports/${reportId}`, headers: AS.dept77 })).json(), 'the API\'s report')
  t.equal((await c.get(`/console/departements/93/rapports/${reportId}`)).statusCode, 404, 'under its own département only')

  const bilan = await c.get('/console/departements/77/bilan')
  t.equal(bilan.statusCode, 200)
  french(t, bilan, 'bilan')
  t.match(bilan.body, '<a href="/console/departements/77">Retour au département 77</a>')
  t.match(bilan.body, '<a class="button" href="/console/departements/77/approbation">Approuver le bilan</a>')
  const pdf = await c.get('/console/departements/77/bilan.pdf')
  t.equal(pdf.headers['content-type'], 'application/pdf')

  t.equal((await c.get('/console/departements/12')).statusCode, 404, 'a département without an account')
  t.equal((await c.get('/console/departements/zz')).statusCode, 404)
  const none = await c.get('/console/departements/93')
  t.match(textOf(none.body), /Pas commencée/)
})

t.test('approving the bilan and restarting the campaign: confirmed, refused without the token, done and traced with it', async (t) => {
  const { app, c } = await asAdmin(t)
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  const confirm = await c.get('/console/departements/77/approbation')
  french(t, confirm, 'confirmation')
  t.match(textOf(confirm.body), /Approuver le bilan du département 77 \?/)
  t.equal((await c.post('/console/departements/77/approbation', { _csrf: '' })).statusCode, 403)
  t.equal(app.qualification.state('77')?.approvals.poleEmploi, null, 'nothing done without the token')
  const done = await c.post('/console/departements/77/approbation', {})
  t.equal(done.statusCode, 303)
  t.equal(done.headers.location, '/console/departements/77?fait=approuve')
  t.match(app.qualification.state('77')?.approvals.poleEmploi, { by: 'admin' })
  t.match(traced(app, '/console/departements/:code/approbation'), { status: 303, departement: '77', detail: /bilan du département 77 \(itération 1\) approuvé pour Pôle emploi/ })
  const after = await c.get(done.headers.location as string)
  t.match(textOf(after.body), /Bilan approuvé pour Pôle emploi\./)
  t.match(textOf(after.body), /Pôle emploi : validé par admin/)
  t.equal((await c.get('/console/departements/77/approbation')).statusCode, 303, 'approved: to the bilan')

  t.match(textOf((await c.get('/console/departements/77/recommencer')).body), /L'itération 1 sera close/)
  t.equal((await c.post('/console/departements/77/recommencer', { _csrf: 'faux' })).statusCode, 403)
  t.equal(app.qualification.state('77')?.started, true)
  const restarted = await c.post('/console/departements/77/recommencer', { iteration: /name="iteration" value="(\d+)"/.exec((await c.get('/console/departements/77/recommencer')).body)?.[1] ?? '' })
  t.equal(restarted.headers.location, '/console/departements/77?fait=recommence')
  t.match(app.qualification.state('77'), { started: false, iteration: 2 })
  t.match(traced(app, '/console/departements/:code/recommencer'), { status: 303, detail: /campagne du département 77 recommencée : itération 1 close/ })
  t.match(textOf((await c.get('/console/departements/77?fait=recommence')).body), /Campagne recommencée/)
})

t.test('« Bilan approuvé pour Pôle emploi » is said only when the current bilan is approved, on the département\'s page and on the bilan', async (t) => {
  const { app, c } = await asAdmin(t)
  const said = async (url: string): Promise<boolean> => textOf((await c.get(url)).body).includes('Bilan approuvé pour Pôle emploi.')
  t.equal(await said('/console/departements/77?fait=approuve'), false, 'no campaign: nothing approved')
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  t.equal(await said('/console/departements/77?fait=approuve'), false, 'a bilan not approved: not said on the page')
  t.equal(await said('/console/departements/77/bilan?approuve=1'), false, 'nor on the bilan')
  await c.get('/console/departements/77/approbation')
  const done = await c.post('/console/departements/77/approbation', {})
  t.equal(await said(done.headers.location as string), true, 'approved: said')
  t.equal(await said('/console/departements/77/bilan?approuve=1'), true, 'on the bilan too')
  t.equal(await said('/console/departements/93?fait=approuve'), false, 'not of another département')
  await c.get('/console/departements/77/recommencer')
  await c.post('/console/departements/77/recommencer', { iteration: '1' })
  t.equal(await said('/console/departements/77?fait=approuve'), false, 'the campaign restarted: its new iteration is approved by no one')
})

t.test('« Campagne recommencée » and « Blocage levé » are said only while true: not once the département has started a new iteration, nor while it is locked again (the page reloaded, or a link anyone can write)', async (t) => {
  const { app, c } = await asAdmin(t)
  const said = async (url: string, words: string): Promise<boolean> => textOf((await c.get(url)).body).includes(words)
  t.equal(await said('/console/departements/77?fait=recommence', 'Campagne recommencée'), false, 'never started: nothing restarted')
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  t.equal(await said('/console/departements/77?fait=recommence', 'Campagne recommencée'), false, 'an iteration open: not restarted')
  await c.get('/console/departements/77/recommencer')
  const restarted = await c.post('/console/departements/77/recommencer', { iteration: '1' })
  t.equal(await said(restarted.headers.location as string, 'Campagne recommencée'), true, 'restarted: said')
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  t.equal(await said(restarted.headers.location as string, 'Campagne recommencée'), false, 'the département started the next one since: no longer said')

  const lock = async (): Promise<void> => { for (let i = 0; i < 5; i++) await app.inject({ url: '/api/v1/files', remoteAddress: '192.0.2.9', headers: basic('dept93', 'mauvais') }) }
  await lock()
  t.equal(await said('/console/departements/93?fait=leve', 'Blocage levé'), false, 'locked: no lock lifted')
  const id = /name="id" value="([^"]+)"/.exec((await c.get('/console/departements/93')).body)?.[1] ?? ''
  const lifted = await c.post('/console/departements/93/blocages', { id })
  t.equal(await said(lifted.headers.location as string, 'Blocage levé'), true, 'lifted: said')
  await lock()
  const again = await c.get(lifted.headers.location as string)
  t.notMatch(textOf(again.body), /Blocage levé/, 'locked again since: the page reloaded does not say it is lifted')
  t.match(textOf(again.body), /dept93 depuis 192\.0\.2\.9/, 'the lock it shows')
})

t.test('« Recommencer la campagne » closes only the iteration its confirmation named: another one open by then is a 409 that closes nothing', async (t) => {
  const { app, c } = await asAdmin(t)
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  const confirm = await c.get('/console/departements/77/recommencer')
  t.match(textOf(confirm.body), /L'itération 1 sera close/)
  t.match(confirm.body, '<input type="hidden" name="iteration" value="1">', 'the form carries the iteration it names')
  // meanwhile, iteration 1 is closed through the API and the département opens iteration 2
  await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/restart', headers: AS.admin })
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  t.match(app.qualification.state('77'), { started: true, iteration: 2 })
  const stale = await c.post('/console/departements/77/recommencer', { iteration: '1' })
  t.equal(stale.statusCode, 409)
  french(t, stale, 'itération changée')
  t.match(textOf(stale.body), /Conflit.*La confirmation nommait l'itération 1, mais c'est l'itération 2 qui est ouverte maintenant : rien n'a été clos\./)
  t.match(app.qualification.state('77'), { started: true, iteration: 2 }, 'iteration 2 still open')
  t.match(traced(app, '/console/departements/:code/recommencer'), { status: 409, detail: 'PHEBUS_QUALIFICATION_ITERATION_CHANGED' })

  await c.get('/console/departements/77')
  t.equal((await c.post('/console/departements/77/recommencer', {})).statusCode, 400, 'a form that names no iteration closes nothing')
  t.match(app.qualification.state('77'), { started: true, iteration: 2 })
  const [a, b] = await Promise.all([c.post('/console/departements/77/recommencer', { iteration: '2' }), c.post('/console/departements/77/recommencer', { iteration: '2' })])
  t.same([a.headers.location, b.headers.location], ['/console/departements/77?fait=recommence', '/console/departements/77?fait=recommence'], 'the one it names is closed; sent twice, both lead to it')
  t.match(app.qualification.state('77'), { started: false, iteration: 3 })
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  t.equal((await c.post('/console/departements/77/recommencer', { iteration: '2' })).statusCode, 409, 'the back button after iteration 3 opened: still a 409')
  t.match(app.qualification.state('77'), { started: true, iteration: 3 })
})

t.test('a new password: drawn and shown once, or chosen with its rules at the field; the old one and its sessions end', async (t) => {
  const { app, c } = await asAdmin(t)
  const dept = new PageClient(app, '10.0.0.77')
  await dept.login('dept77', 'demo-77')
  const form = await c.get('/console/departements/77/mot-de-passe')
  french(t, form, 'formulaire du mot de passe')
  t.equal((await c.post('/console/departements/77/mot-de-passe', { _csrf: '' })).statusCode, 403)
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode, 200, 'unchanged without the token')

  await c.get('/console/departements/77/mot-de-passe')
  const short = await c.post('/console/departements/77/mot-de-passe', { motDePasse: 'court' })
  t.equal(short.statusCode, 400)
  french(t, short, 'mot de passe refusé')
  t.match(short.body, /<a href="#mot-de-passe">Mot de passe trop court : 12 caractères au moins, il en a 5\.<\/a>/)
  t.match(short.body, /<p class="field-error" id="mot-de-passe-erreur">Mot de passe trop court/)
  t.notMatch(short.body, /value="court"/, 'the password is never given back')

  const drawn = await c.post('/console/departements/77/mot-de-passe', {})
  t.equal(drawn.statusCode, 200)
  t.equal(drawn.headers['cache-control'], 'no-store')
  french(t, drawn, 'mot de passe tiré')
  const password = /<p class="secret"><code>([^<]+)<\/code><\/p>/.exec(drawn.body)?.[1] ?? ''
  t.match(password, /^[A-Za-z0-9_-]{24}$/)
  t.match(textOf(drawn.body), /1 session a été fermée/)
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode, 401, 'the old password opens nothing')
  t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept77', password) })).statusCode, 200, 'the new one does')
  t.equal((await dept.get('/fichiers')).statusCode, 303, 'its browser session ended')
  t.notMatch((await c.get('/console/departements/77')).body, new RegExp(password), 'shown once only')
  const entry = traced(app, '/console/departements/:code/mot-de-passe')
  t.match(entry, { status: 200, detail: 'mot de passe de dept77 changé (tiré au hasard), 1 session(s) fermée(s)' })
  t.notMatch(JSON.stringify(app.auditTrail.query({ limit: 500 })), new RegExp(password), 'never in the trail')

  await c.get('/console/departements/77/mot-de-passe')
  const chosen = await c.post('/console/departements/77/mot-de-passe', { motDePasse: 'un mot de passe choisi' })
  t.match(textOf(chosen.body), /celui que vous avez choisi/)
  t.notMatch(chosen.body, /un mot de passe choisi/)
  t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept77', 'un mot de passe choisi') })).statusCode, 200)
})

t.test('« Nouveau mot de passe » sent twice (a double click, a reload) draws once: the second send leads to a page that says the first changed it, without the password, and closes nothing again', async (t) => {
  const { app, c } = await asAdmin(t)
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/77/mot-de-passe')).body)?.[1] ?? ''
  t.not(order, '', 'the form names its order')
  const [a, b] = await Promise.all([c.post('/console/departements/77/mot-de-passe', { ordre: order }), c.post('/console/departements/77/mot-de-passe', { ordre: order })])
  t.same([a.statusCode, b.statusCode].sort(), [200, 303], 'one draws, the other is led')
  const first = a.statusCode === 200 ? a : b
  const second = a.statusCode === 200 ? b : a
  const password = /<p class="secret"><code>([^<]+)<\/code><\/p>/.exec(first.body)?.[1] ?? ''
  t.match(password, /^[A-Za-z0-9_-]{24}$/)
  const dept = new PageClient(app, '10.0.0.77')
  t.equal((await dept.login('dept77', password)).headers.location, '/fichiers', 'the département logs in with the password shown')
  const third = await c.post('/console/departements/77/mot-de-passe', { ordre: order })
  t.equal(third.statusCode, 303, 'sent again later (the confirmation reloaded)')
  t.equal(third.headers.location, second.headers.location)
  t.match(second.headers.location, /^\/console\/departements\/77\/mot-de-passe\/[0-9a-f-]{36}$/)
  const page = await c.get(second.headers.location as string)
  t.equal(page.statusCode, 200)
  french(t, page, 'mot de passe déjà changé')
  t.match(textOf(page.body), /Mot de passe du département 77 déjà changé/)
  t.match(textOf(page.body), /son premier envoi a changé le mot de passe de dept77.*Ce nouvel envoi n'a rien changé/)
  t.match(textOf(page.body), /il n'est gardé nulle part et ne peut pas être affiché de nouveau/)
  t.notMatch(page.body, new RegExp(password), 'never shown again')
  t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept77', password) })).statusCode, 200, 'the password shown still opens the API')
  t.equal((await dept.get('/fichiers')).statusCode, 200, 'and the session it opened stays open')
  t.equal(app.auditTrail.query({ username: 'admin', route: '/console/departements/:code/mot-de-passe', limit: 10 }).filter((e) => e.method === 'POST' && e.status === 200).length, 1, 'one change traced')
  t.equal((await c.get(`/console/departements/93/mot-de-passe/${(second.headers.location as string).split('/').at(-1) ?? ''}`)).statusCode, 404, 'under its own département only')
  t.equal((await c.get('/console/departements/77/mot-de-passe/inconnu')).statusCode, 404)

  const fresh = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/77/mot-de-passe')).body)?.[1] ?? ''
  t.not(fresh, order, 'the form shown again is a new order')
  const again = await c.post('/console/departements/77/mot-de-passe', { ordre: fresh })
  t.equal(again.statusCode, 200, 'which draws a new password')
  t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept77', password) })).statusCode, 401, 'and the old one stops')
})

t.test('a lock on the département is lifted from its page, traced as the API traces it', async (t) => {
  const { app, c } = await asAdmin(t)
  for (let i = 0; i < 5; i++) await app.inject({ url: '/api/v1/files', remoteAddress: '192.0.2.9', headers: basic('dept93', 'mauvais') })
  const page = await c.get('/console/departements/93')
  t.match(textOf(page.body), /dept93 depuis 192\.0\.2\.9 \(5 échecs\), fin prévue/)
  const id = /name="id" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  t.equal((await c.post('/console/departements/93/blocages', { id, _csrf: '' })).statusCode, 403)
  t.equal(app.authenticator.locks().length, 1)
  await c.get('/console/departements/93')
  const lifted = await c.post('/console/departements/93/blocages', { id })
  t.equal(lifted.headers.location, '/console/departements/93?fait=leve')
  t.same(app.authenticator.locks(), [])
  t.match(traced(app, '/console/departements/:code/blocages'), { status: 303, detail: `blocage levé ${id} (dept93 depuis 192.0.2.9)`, departement: '93' })
  t.equal((await app.inject({ url: '/api/v1/files', remoteAddress: '192.0.2.9', headers: AS.dept93 })).statusCode, 200)
  await c.get('/console/departements/93')
  t.equal((await c.post('/console/departements/93/blocages', { id })).headers.location, '/console/departements/93?fait=deja-leve')
  t.match(textOf((await c.get('/console/departements/93?fait=deja-leve')).body), /Ce blocage n'existe plus/)
})

t.test('« Déposer maintenant » sent twice from the same page (a double click, the back button) deposits once, and both answers say the same', async (t) => {
  const { app, c } = await asAdmin(t)
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/77')).body)?.[1] ?? ''
  t.not(order, '', 'the deposit form names its order')
  const [a, b] = await Promise.all([c.post('/console/departements/77/depots', { periodicite: 'Q', ordre: order }), c.post('/console/departements/77/depots', { periodicite: 'Q', ordre: order })])
  const third = await c.post('/console/departements/77/depots', { periodicite: 'Q', ordre: order })
  t.equal(a.statusCode, 303)
  t.equal(b.headers.location, a.headers.location)
  t.equal(third.headers.location, a.headers.location)
  t.equal(app.files.list('77').length, 2, 'the stock and one flux')
  const fresh = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/77')).body)?.[1] ?? ''
  await c.post('/console/departements/77/depots', { periodicite: 'Q', ordre: fresh })
  t.equal(app.files.list('77').length, 3, 'the page shown again deposits again')
})

t.test('« Déposer maintenant »: the same order sent for another département or another periodicity deposits what it says, not the first send\'s result', async (t) => {
  const { app, c } = await asAdmin(t)
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/77')).body)?.[1] ?? ''
  const first = await c.post('/console/departements/77/depots', { periodicite: 'Q', ordre: order })
  t.equal(first.statusCode, 303)
  const other = await c.post('/console/departements/93/depots', { periodicite: 'Q', ordre: order })
  t.match(other.headers.location, /^\/console\/departements\/93\?fait=depose&fichier=PECGM_93_Q_/, 'to 93\'s deposit')
  t.equal(app.files.list('93').length, 2, '93: its stock and the flux asked for')
  const stock = await c.post('/console/departements/77/depots', { periodicite: 'M', ordre: order })
  t.match(stock.headers.location, /^\/console\/departements\/77\?fait=depose&fichier=PECGM_77_M_/, 'a stock, not the flux')
  t.equal(app.files.list('77').length, 3, '77: its stock, the flux, the stock again')
  t.equal((await c.post('/console/departements/77/depots', { periodicite: 'Q', ordre: order })).headers.location, first.headers.location, 'the first form sent again: its result')
  t.equal(app.files.list('77').length, 3, 'and nothing more')
})

t.test('« Déposer maintenant » deposits a stock or a flux; a damaged deposit is marked, and « Déposer les versions correctes » repairs it', async (t) => {
  const { app, c } = await asAdmin(t)
  await c.get('/console/departements/77')
  t.equal((await c.post('/console/departements/77/depots', { periodicite: 'Q', _csrf: '' })).statusCode, 403)
  t.equal(app.files.list('77').length, 1)
  for (const wrong of ['X', '']) {
    const refused = await c.post('/console/departements/77/depots', { periodicite: wrong })
    t.equal(refused.statusCode, 400, `periodicity « ${wrong} »`)
    t.match(textOf(refused.body), /la périodicité est M \(stock mensuel\) ou Q \(flux quotidien\).*Rien n'est déposé/)
    await c.get('/console/departements/77')
  }
  t.equal(app.files.list('77').length, 1, 'nothing deposited for a periodicity the form does not offer')
  const flux = await c.post('/console/departements/77/depots', { periodicite: 'Q' })
  t.equal(flux.statusCode, 303)
  const [name = ''] = added(app, [monthlyName('77')])
  t.match(name, /^PECGM_77_Q_20261127_20261127/)
  t.equal(flux.headers.location, `/console/departements/77?fait=depose&fichier=${name}&avec=0`)
  t.match(traced(app, '/console/departements/:code/depots'), { status: 303, detail: `dépôt demandé pour le département 77 : ${name}` })
  t.match(textOf((await c.get(flux.headers.location as string)).body), `${name} déposé.`)

  await app.faults.create({ code: 'truncated', departement: '77', deposit: 'stock' }, 'admin')
  await c.get('/console/departements/77')
  const before = app.files.list('77').map((f) => f.name)
  await c.post('/console/departements/77/depots', { periodicite: 'M' })
  const [damaged = ''] = added(app, before)
  const page = await c.get('/console/departements/77')
  const text = textOf(page.body)
  t.match(text, new RegExp(`${damaged} .* endommagé : Fichier tronqué .* pas encore remplacé`))
  t.match(text, /1 dépôt endommagé attend sa version correcte/)
  french(t, page, 'dépôt endommagé')
  t.equal((await c.post('/console/departements/77/reparation', { _csrf: '' })).statusCode, 403)
  const beforeRepair = app.files.list('77').map((f) => f.name)
  const repaired = await c.post('/console/departements/77/reparation', {})
  t.equal(repaired.headers.location, '/console/departements/77?fait=repare&avec=1')
  const [fixed = ''] = added(app, beforeRepair)
  t.match(traced(app, '/console/departements/:code/reparation'), { status: 303, detail: `versions correctes déposées pour le département 77 : ${fixed}` })
  const after = await c.get(repaired.headers.location as string)
  t.match(textOf(after.body), new RegExp(`1 version correcte déposée\\..*endommagé : Fichier tronqué .* remplacé par ${fixed}`))
  t.notMatch(after.body, /Déposer les versions correctes/)
})

t.test('two damaged deposits waiting for theirs: « 2 dépôts endommagés attendent leur version correcte »', async (t) => {
  const { app, c } = await asAdmin(t)
  // a damaged copy of each of two files already deposited, made at once: neither has its correct version yet
  await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'Q' } })
  for (const f of app.files.list('77')) await app.faults.create({ code: 'truncated', departement: '77', file: f.name }, 'admin')
  const text = textOf((await c.get('/console/departements/77')).body)
  t.match(text, /2 dépôts endommagés attendent leur version correcte\./)
})

t.test('a new département with a drawn password: shown once, it opens the API, and its stock is deposited', async (t) => {
  const { app, c } = await asAdmin(t)
  const form = await c.get('/console/departements/nouveau')
  french(t, form, 'formulaire de création')
  t.equal((await c.post('/console/departements/nouveau', { code: '78', nom: 'Yvelines', _csrf: '' })).statusCode, 403)
  t.equal(app.storage.accounts.findByDepartement('78'), null)
  await c.get('/console/departements/nouveau')
  const made = await c.post('/console/departements/nouveau', { code: '78', nom: 'Yvelines', motDePasse: '' })
  t.equal(made.statusCode, 201)
  t.equal(made.headers['cache-control'], 'no-store')
  french(t, made, 'département créé')
  const password = /<p class="secret"><code>([^<]+)<\/code><\/p>/.exec(made.body)?.[1] ?? ''
  t.match(password, /^[A-Za-z0-9_-]{24}$/)
  t.match(textOf(made.body), /Déposé aussitôt : PECGM_78_M_20261101_20261102\.txt/)
  t.match(made.body, '<a href="/console/departements/78">')
  const files = await app.inject({ url: '/api/v1/files', headers: basic('dept78', password) })
  t.equal(files.statusCode, 200)
  t.same((files.json().files as { name: string }[]).map((f) => f.name), [monthlyName('78')])
  t.match(traced(app, '/console/departements/nouveau'), { status: 201, departement: '78', detail: 'compte dept78 créé, mot de passe tiré au hasard' })
  t.match(textOf((await c.get('/console')).body), /78 — Yvelines dept78 1 /)
  const page = await c.get('/console/departements/78')
  t.match(textOf(page.body), /Sorte de compte ordinaire/)
  t.match(textOf(page.body), /Qualification Pas commencée/, 'a created département is qualified as the scenario\'s are')
  t.notMatch(page.body, new RegExp(password))
})

t.test('wrong inputs of a new département are told at their fields, all at once', async (t) => {
  const { app, c } = await asAdmin(t)
  const table: { name: string, fields: Record<string, string>, status: number, expect: Record<string, RegExp> }[] = [
    { name: 'an invalid code, no name, a short password', fields: { code: 'ZZ', nom: '', motDePasse: 'court' }, status: 400, expect: { code: /Code de département invalide : « ZZ »/, nom: /Nom du département absent/, 'mot-de-passe': /Mot de passe trop court/ } },
    { name: 'a code without communes', fields: { code: '975', nom: 'Saint-Pierre-et-Miquelon' }, status: 400, expect: { code: /Département 975 refusé : aucune commune/ } },
    { name: 'a code that has an account', fields: { code: '77', nom: 'Seine-et-Marne' }, status: 409, expect: { code: /Le département 77 a déjà un compte\./ } },
    { name: 'a name too long', fields: { code: '78', nom: 'x'.repeat(101) }, status: 400, expect: { nom: /Nom du département trop long : 100 caractères au plus, il en a 101\./ } },
    { name: 'a line break in the name', fields: { code: '78', nom: 'Yve\r\nlines' }, status: 400, expect: { nom: /Nom du département refusé : caractère de contrôle U\+000D \(retour chariot\) en position 4/ } },
    { name: 'a bidirectional override in the name', fields: { code: '78', nom: 'Yvelines\u202E87' }, status: 400, expect: { nom: /Nom du département refusé : caractère de mise en forme bidirectionnelle U\+202E \(forçage droite-à-gauche\) en position 9/ } }
  ]
  for (const row of table) {
    await c.get('/console/departements/nouveau')
    const res = await c.post('/console/departements/nouveau', row.fields)
    t.equal(res.statusCode, row.status, row.name)
    french(t, res, row.name)
    const summary = [...res.body.matchAll(/<li><a href="#([^"]+)">([^<]+)<\/a><\/li>/g)].map((m) => m[1])
    t.same(summary, Object.keys(row.expect), `${row.name} : the summary links each field`)
    for (const [field, re] of Object.entries(row.expect)) {
      const beside = new RegExp(`<p class="field-error" id="${field}-erreur">([^<]+)</p>`).exec(res.body)?.[1] ?? ''
      t.match(beside.replace(/&#39;/g, '\'').replace(/&quot;/g, '"'), re, `${row.name} : ${field}`)
      t.match(res.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`))
    }
    t.match(res.body, `value="${row.fields.code ?? ''}"`, 'the code given back')
    t.notMatch(res.body, /value="court"/)
  }
  t.equal(app.storage.accounts.findByDepartement('78'), null, 'nothing created')
})

t.test('the code\'s hint and its refusal name the same codes, those a département can be created with', async (t) => {
  const { app, c } = await asAdmin(t)
  const form = await c.get('/console/departements/nouveau')
  const hint = textOf(/<p class="hint" id="code-aide">([^<]+)<\/p>/.exec(form.body)?.[1] ?? '').replace(/\.$/, '')
  const refused = await c.post('/console/departements/nouveau', { code: 'ZZ', nom: 'Nulle part' })
  const told = /\(([^)]+)\)\.?$/.exec(textOf(/<p class="field-error" id="code-erreur">([^<]+)<\/p>/.exec(refused.body)?.[1] ?? ''))?.[1] ?? ''
  t.not(hint, '')
  t.equal(told, hint, 'the refusal says what the hint says')
  t.match(hint, /971 à 974 ou 976/, 'not 975: no commune, refused')
  t.match(hint, /sauf 20/, 'not 20: 2A and 2B')
  // each end of what they name is accepted, and what they leave out is refused
  for (const [code, status] of [['01', 201], ['95', 201], ['2A', 201], ['974', 201], ['976', 201], ['20', 400], ['975', 400], ['96', 400]] as const) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: AS.admin, payload: { code, name: `Département ${code}` } })
    t.equal(res.statusCode, status, code)
  }
})

t.test('the admin\'s download of the answer PECGM is no evidence of the département\'s', async (t) => {
  const app = await testApp(t)
  // a real socket: a whole download is evidence only once the client has taken every byte
  const c = new PageClient(app, '127.0.0.1', await app.listen({ host: '127.0.0.1', port: 0 }))
  t.equal((await c.login('admin', ADMIN_PASSWORD)).headers.location, '/console')
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })
  const r = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--date', '2026-11-27', '--output', '-')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=CGPEM_77_qualif.xml', payload: r.stdout, headers: { ...AS.dept77, 'content-type': 'application/octet-stream' } })).statusCode, 201)
  // read here from the service, not by a request: the answer is deposited once the upload is answered
  await app.departementWork.whenDone('77')
  const answer = app.files.list('77').find((f) => f.role === 'answer')?.name ?? ''
  t.match(answer, /^PECGM_77_/)
  const check = (): string | undefined => app.qualification.state('77')?.checks.find((k) => k.id === 'pecgm-telecharge')?.status
  t.equal(check(), 'todo')
  const got = await c.get(`/console/departements/77/fichiers/${answer}`)
  t.equal(got.statusCode, 200)
  t.equal(got.rawPayload.length, app.files.find('77', answer)?.size)
  t.equal(check(), 'todo', 'still to do: the département has not downloaded it')
})

t.test('a département\'s page says an action is done only when the admin\'s own session did it there, never because its address says so', async (t) => {
  const { app, c } = await asAdmin(t)
  const flashes = [['depose', 'Dépôt fait.'], ['recommence', 'Campagne recommencée'], ['leve', 'Blocage levé'], ['deja-leve', 'Ce blocage n\'existe plus'], ['repare', 'version'], ['cree', 'déjà été envoyé']] as const
  for (const [fait, words] of flashes) {
    t.notOk(textOf((await c.get(`/console/departements/77?fait=${fait}`)).body).includes(words), `a link with fait=${fait}, nothing done: no « ${words} »`)
  }
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/93')).body)?.[1] ?? ''
  t.equal((await c.post('/console/departements/93/depots', { periodicite: 'Q', ordre: order })).statusCode, 303)
  t.notOk(textOf((await c.get('/console/departements/77?fait=depose')).body).includes('Dépôt fait.'), 'a deposit for 93 is not one for 77')
  const other = new PageClient(app)
  await other.login('admin', ADMIN_PASSWORD)
  t.notOk(textOf((await other.get('/console/departements/93?fait=depose')).body).includes('Dépôt fait.'), 'nor said to another admin session')
  t.match(textOf((await c.get('/console/departements/93?fait=depose')).body), 'Dépôt fait.', 'said to the session that deposited')
})

t.test('a département\'s page shows no words of its address but the name of one of its files, and counts no larger than its files', async (t) => {
  const { c } = await asAdmin(t)
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/departements/77')).body)?.[1] ?? ''
  t.equal((await c.post('/console/departements/77/depots', { periodicite: 'Q', ordre: order })).statusCode, 303, 'a deposit done by this session')
  const words = 'Compte compromis : rappelez le support au 01 02 03 04 05, code'
  const forged = textOf((await c.get(`/console/departements/77?fait=depose&fichier=${encodeURIComponent(words)}&avec=999`)).body)
  t.notOk(forged.includes(words), 'a text that is no file of the département is not shown')
  t.notOk(forged.includes('999'), 'nor a count larger than its files')
  t.match(forged, 'Dépôt fait.', 'the message says what was done, in its own words')
  const own = textOf((await c.get(`/console/departements/77?fait=depose&fichier=${monthlyName('77')}`)).body)
  t.match(own, `${monthlyName('77')} déposé.`, 'one of its files is named')
  t.notOk(textOf((await c.get(`/console/departements/77?fait=depose&fichier=${monthlyName('93')}`)).body).includes(monthlyName('93')), 'another département\'s file is not')
})

t.test('a console address asked with a method it does not take: 405 with Allow to the admin, 404 without Allow to anyone else', async (t) => {
  const { app, c } = await asAdmin(t)
  const dept = new PageClient(app)
  await dept.login('dept77', 'demo-77')
  const callers = [
    { who: 'the admin', cookie: `phebus_session=${c.cookies.get('phebus_session') ?? ''}`, status: 405 },
    { who: 'a département', cookie: `phebus_session=${dept.cookies.get('phebus_session') ?? ''}`, status: 404 },
    { who: 'no one logged in', cookie: '', status: 404 }
  ]
  for (const { who, cookie, status } of callers) {
    for (const [method, url] of [['GET', '/console/departements/77/blocages'], ['DELETE', '/console'], ['PUT', '/console/pannes']] as const) {
      for (const accept of ['text/html', 'application/json']) {
        const res = await app.inject({ method, url, headers: { accept, ...(cookie === '' ? {} : { cookie }) } })
        t.equal(res.statusCode, status, `${who}, ${method} ${url} (${accept})`)
        t.equal(res.headers.allow !== undefined, status === 405, `${who}: Allow ${status === 405 ? 'told' : 'not told'}`)
      }
    }
  }
})

t.test('a département\'s page: a file deposited twice names the file it repeats, and nothing as « remplacé par » it, nor as waiting for a replacement', async (t) => {
  const { app, c } = await asAdmin(t)
  await app.faults.create({ code: 'duplicate-file', departement: '77', deposit: 'flux' }, 'admin')
  await c.get('/console/departements/77')
  const before = app.files.list('77').map((f) => f.name)
  await c.post('/console/departements/77/depots', { periodicite: 'Q' })
  const [first = '', copy = ''] = added(app, before)
  t.equal(app.storage.files.find('77', copy)?.damage, 'duplicate-file')
  const body = (await c.get('/console/departements/77')).body
  const row = textOf(new RegExp(`<tr id="fichier-${copy}">([\\s\\S]*?)(?=<tr |</tbody>)`).exec(body)?.[1] ?? '')
  t.match(row, `endommagé : Même fichier déposé deux fois copie de ${first}`)
  t.notMatch(row, 'remplacé', `${first} came before it and replaced nothing: ${row}`)
})

t.test('a département\'s page says a fault of the scenario was set « par le scénario », as the faults\' page does', async (t) => {
  const { app, c } = await asAdmin(t)
  await app.faults.create({ code: 'http-503', departement: '77', route: 'download' }, SCENARIO)
  const text = textOf((await c.get('/console/departements/77')).body)
  t.match(text, /Erreur 503 avec Retry-After http-503 : téléchargements, 1 fois encore \(posée par le scénario le /)
  t.notMatch(text, 'par scenario')
  t.match(textOf((await c.get('/console/pannes?departement=77')).body), 'par le scénario')
})
