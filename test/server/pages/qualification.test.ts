import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { cli } from '../../cli/helpers.js'
import { ADMIN_PASSWORD, AS, DEMO, testApp } from '../helpers.js'
import { pdfText } from '../../pdf-text.js'
import { PageClient, textOf } from './client.js'

/** The CGPEM `phebus-mock sample cgpem --qualification` writes for 77 (with the answer PECGM: the second one). */
async function qualificationCgpem (t: Parameters<typeof testApp>[0], pecgm?: Buffer): Promise<Buffer> {
  const more: string[] = []
  if (pecgm !== undefined) {
    const dir = mkdtempSync(join(tmpdir(), 'phebus-pages-'))
    t.teardown(() => { rmSync(dir, { recursive: true, force: true }) })
    const path = join(dir, 'retour.txt')
    writeFileSync(path, pecgm)
    more.push('--pecgm', path)
  }
  const r = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--date', '2026-11-27', ...more, '--output', '-')
  if (r.code !== 0) throw new Error(r.stderr)
  return r.stdout
}

/** dept77 on the pages, its qualification started from the page. */
async function started (app: FastifyInstance): Promise<PageClient> {
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  await c.get('/qualification')
  await c.post('/qualification/commencer', {})
  return c
}

/** dept77 on the pages: its qualification started, its sample downloaded, the first CGPEM of it sent from /envoi. */
async function firstUpload (t: Parameters<typeof testApp>[0], app: FastifyInstance): Promise<PageClient> {
  const c = await started(app)
  await c.get('/qualification/echantillon.csv')
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_qualif_1.xml', await qualificationCgpem(t))
  return c
}

t.test('before it starts, the page says what the qualification is and offers to start it', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const page = await c.get('/qualification')
  t.equal(page.statusCode, 200)
  const text = textOf(page.body)
  t.match(text, /bac à sable/)
  t.match(text, /ne compte pas/)
  t.match(page.body, /<form method="post" action="\/qualification\/commencer">/)
  t.match(text, /Commencer la qualification/)
  t.equal((await c.get('/qualification/bilan')).statusCode, 409, 'no bilan before the start')
})

t.test('the banners read from the address show only what the state says: an iteration started and current, a bilan validated', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const sandbox = textOf((await c.get('/qualification?commencee=1')).body)
  t.match(sandbox, /bac à sable/)
  t.notMatch(sandbox, /commencée/, 'nothing started in the sandbox')

  t.equal((await c.post('/qualification/commencer', {})).headers.location, '/qualification?commencee=1', 'the address names the iteration started')
  t.match(textOf((await c.get('/qualification?commencee=1')).body), /Itération 1 commencée/)
  t.notMatch(textOf((await c.get('/qualification?commencee=2')).body), /commencée/, 'not an iteration that is not open')
  const unvalidated = textOf((await c.get('/qualification/bilan?valide=1')).body)
  t.match(unvalidated, /Département : en attente de validation/)
  t.notMatch(unvalidated, /Bilan validé par le département/, 'a bilan not validated is not said validated')

  await c.get('/qualification/commencer')
  t.equal((await c.post('/qualification/commencer', { iteration: '2' })).headers.location, '/qualification?commencee=2')
  t.notMatch(textOf((await c.get('/qualification?commencee=1')).body), /commencée/, 'iteration 1 is closed: not the one just started')
  t.match(textOf((await c.get('/qualification?commencee=2')).body), /Itération 2 commencée/)

  await c.get('/qualification/validation')
  t.equal((await c.post('/qualification/validation', {})).headers.location, '/qualification/bilan?valide=1')
  t.match(textOf((await c.get('/qualification/bilan?valide=1')).body), /Bilan validé par le département/)
})

t.test('a whole qualification played from the pages ends with a positive bilan validated by the département', async (t) => {
  const app = await testApp(t)
  // a real socket: the whole download of the answer PECGM is evidence only once the client has taken every byte
  const c = new PageClient(app, '127.0.0.1', await app.listen({ host: '127.0.0.1', port: 0 }))
  await c.login('dept77', 'demo-77')
  await c.get('/qualification')
  const started = await c.post('/qualification/commencer', {})
  t.equal(started.headers.location, '/qualification?commencee=1')
  const page = await c.get('/qualification?commencee=1')
  t.match(textOf(page.body), /Itération 1 commencée/)
  t.match(textOf(page.body), /étape 2/)
  t.match(textOf(page.body), /À faire : Téléchargez l'échantillon/)

  const csv = await c.get('/qualification/echantillon.csv')
  t.equal(csv.statusCode, 200)
  t.match(csv.headers['content-type'], /text\/csv; charset=ISO-8859-1/)
  t.match(csv.headers['content-disposition'], /echantillon\.csv/)
  t.equal((await c.get('/qualification/echantillon.json')).statusCode, 200)

  await c.get('/envoi')
  const first = await c.upload('/envoi', 'CGPEM_77_qualif_1.xml', await qualificationCgpem(t))
  t.equal(first.statusCode, 303)
  t.match(textOf((await c.get(first.headers.location as string)).body), /accepté/)

  const files = await c.get('/fichiers')
  const answer = /href="\/fichiers\/(PECGM_77_[^"]+)" download/.exec(files.body.split('<tbody>')[1] ?? '')?.[1] as string
  t.equal(answer, /PECGM déposé en retour — <code>(PECGM_77_[^<]+)<\/code>/.exec((await c.get('/qualification')).body)?.[1], 'the answer PECGM, first of the list (newest first), named by the qualification')
  const pecgm = await c.get(`/fichiers/${answer}`)
  t.equal(pecgm.statusCode, 200)
  t.equal(pecgm.rawPayload.length, app.files.find('77', answer)?.size, 'whole')
  await c.get('/envoi')
  const second = await c.upload('/envoi', 'CGPEM_77_qualif_2.xml', await qualificationCgpem(t, pecgm.rawPayload))
  t.equal(second.statusCode, 303, second.statusCode === 303 ? '' : textOf(second.body).slice(0, 600))

  const done = await c.get('/qualification')
  t.match(textOf(done.body), /verdict : positif/)
  t.notMatch(done.body, /class="badge (failed|todo)"/, 'every check passed')
  t.match(done.body, /<a href="\/rapports\/[0-9a-f-]{36}">rapport<\/a>/, 'evidence links to its report')

  const bilan = await c.get('/qualification/bilan')
  const api = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as { seal: string, verdict: string }
  t.equal(api.verdict, 'positif')
  t.match(bilan.body, api.seal, 'the page prints the seal of the API\'s bilan')
  t.match(textOf(bilan.body), /Verdict : positif/)
  const pdf = await c.get('/qualification/bilan.pdf')
  t.equal(pdf.headers['content-type'], 'application/pdf')
  t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')

  const confirm = await c.get('/qualification/validation')
  t.match(textOf(confirm.body), /Valider le bilan \?/)
  const approved = await c.post('/qualification/validation', {})
  t.equal(approved.headers.location, '/qualification/bilan?valide=1')
  const after = await c.get('/qualification/bilan?valide=1')
  t.match(textOf(after.body), /Département : validé par dept77/)
  t.notMatch(after.body, /href="\/qualification\/validation"/, 'validated once')
  const state = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json() as { approvals: { departement: { by: string } | null } }
  t.equal(state.approvals.departement?.by, 'dept77', 'the API sees the same validation')
})

t.test('the qualification sample, CSV and JSON (personal data, fictitious here), is kept by no cache, the browser\'s included, through the pages as through the API', async (t) => {
  const app = await testApp(t)
  const c = await started(app)
  for (const url of ['/qualification/echantillon.csv', '/qualification/echantillon.json']) {
    const res = await c.get(url)
    t.equal(res.statusCode, 200, url)
    t.equal(res.headers['cache-control'], 'no-store', url)
  }
  for (const accept of ['text/csv', 'application/json']) {
    const res = await app.inject({ url: '/api/v1/qualification/sample', headers: { ...AS.dept77, accept } })
    t.equal(res.statusCode, 200, accept)
    t.equal(res.headers['cache-control'], 'no-store', `the API's, ${accept}`)
  }
})

t.test('a failed check says why and what to fix', async (t) => {
  const app = await testApp(t)
  const c = await started(app)
  await c.get('/envoi')
  await c.upload('/envoi', 'CGPEM_77_trop_tot.xml', await qualificationCgpem(t))
  const page = await c.get('/qualification')
  t.match(page.body, /<li class="check failed">/)
  t.match(textOf(page.body), /Pourquoi : .+/)
  // judged on the iteration's first CGPEM: sending again would fail again, a new iteration is what fixes it
  t.match(textOf(page.body), /À corriger : Commencez une nouvelle itération \(« Recommencer », en bas de la page\), puis téléchargez l'échantillon/)
  t.match(textOf(page.body), /Pourquoi : .*un envoi suivant n'y change rien/)
  const bilan = await c.get('/qualification/bilan')
  t.match(textOf(bilan.body), /Verdict : négatif/)
})

t.test('starting again asks first, then closes the iteration with its bilan', async (t) => {
  const app = await testApp(t)
  const c = await started(app)
  const ask = await c.get('/qualification/commencer')
  t.match(textOf(ask.body), /L'itération 1 sera close avec son bilan/)
  await c.post('/qualification/commencer', {})
  t.match(textOf((await c.get('/qualification')).body), /Itération 2/)
  const forged = await c.post('/qualification/commencer', { _csrf: 'x' })
  t.equal(forged.statusCode, 403)
  t.match(textOf((await c.get('/qualification')).body), /Itération 2/, 'a forged form starts nothing')
})

t.test('a start form sent twice (a double click, the back button) opens one iteration, not one per submission', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const form = /name="iteration" value="(\d+)"/.exec((await c.get('/qualification')).body)?.[1]
  t.equal(form, '1', 'the start form names the iteration it opens')
  t.equal((await c.post('/qualification/commencer', { iteration: form ?? '' })).headers.location, '/qualification?commencee=1')
  const again = await c.post('/qualification/commencer', { iteration: form ?? '' })
  t.equal(again.statusCode, 303)
  t.equal(app.qualification.state('77')?.iteration, 1, 'the second submission closed nothing')
  t.match(textOf((await c.get(again.headers.location as string)).body), /Itération 1/)

  const next = /name="iteration" value="(\d+)"/.exec((await c.get('/qualification/commencer')).body)?.[1]
  t.equal(next, '2', 'the confirmation names the iteration it opens')
  await c.post('/qualification/commencer', { iteration: next ?? '' })
  await c.post('/qualification/commencer', { iteration: next ?? '' })
  t.equal(app.qualification.state('77')?.iteration, 2, 'a confirmation resubmitted opens no third iteration')
})

t.test('the list says what each PECGM is: the monthly stock, or the answer to a CGPEM of the qualification', async (t) => {
  const app = await testApp(t)
  const c = await firstUpload(t, app)
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string, role?: string }[]
  t.same(files.filter((f) => f.role !== undefined).map((f) => f.role).sort(), ['answer', 'stock'])
  t.match(textOf((await c.get('/fichiers')).body), /PECGM réponse à un CGPEM de la qualification/)
})

t.test('the printable bilan says what its PDF says: the correspondents of both parties and the report of each upload cited', async (t) => {
  const app = await testApp(t)
  const c = await firstUpload(t, app)
  const bilan = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as { correspondents: { libelle: string, poleEmploi: { nom: string, email: string }, departement: { nom: string, telephone: string } }[], checks: { evidence: { reportId?: string }[] }[] }
  const reports = [...new Set(bilan.checks.flatMap((k) => k.evidence.flatMap((e) => e.reportId ?? [])))]
  t.ok(reports.length > 0, 'the bilan cites the upload\'s report')
  for (const page of [(await c.get('/qualification/bilan')).body, (await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'text/html' } })).body]) {
    const text = textOf(page)
    t.match(text, /Correspondants/)
    for (const r of bilan.correspondents) {
      t.match(text, r.libelle)
      t.match(text, r.poleEmploi.nom)
      t.match(text, r.poleEmploi.email)
      t.match(text, r.departement.nom)
      t.match(text, r.departement.telephone)
    }
    for (const id of reports) t.match(text, `rapport ${id}`)
  }
})

t.test('the printed bilan says, as its PDF does, that it is made of fictitious data by a simulator: in its article, since the banner is not printed', async (t) => {
  const app = await testApp(t)
  const c = await firstUpload(t, app)
  const pdf = await pdfText((await c.get('/qualification/bilan.pdf')).rawPayload)
  const notice = 'Données fictives produites par phebus-mock, serveur d\'échange factice : ce document n\'engage aucune partie réelle.'
  t.match(pdf, notice, 'the PDF says it')
  t.match(readFileSync(new URL('../../../src/server/assets/app.css', import.meta.url), 'utf8'), /@media print \{\s*\.banner,/, 'the banner is not printed')
  for (const page of [(await c.get('/qualification/bilan')).body, (await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'text/html' } })).body]) {
    const article = /<article class="bilan">[\s\S]*<\/article>/.exec(page)?.[0] ?? ''
    t.match(textOf(article), notice, 'the printed part of the page says it too')
  }
})

t.test('the validation asked for on the page is of the bilan it showed: changed meanwhile, it is refused and the page says why', async (t) => {
  const app = await testApp(t)
  const c = await started(app)
  const seal = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json().seal as string
  const confirm = await c.get('/qualification/validation')
  t.match(confirm.body, `name="sceau" value="${seal}"`, 'the form names the bilan it validates')
  // the département downloads the sample in another tab
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)
  const refused = await c.post('/qualification/validation', { sceau: seal })
  t.equal(refused.statusCode, 409)
  t.match(textOf(refused.body), /Le bilan a changé depuis que vous l'avez lu/)
  t.equal((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json().approvals.departement, null, 'nothing validated')
})

t.test('a bilan asked for before the start, or once the trainer closed the iteration, says to start from « Qualification », not a request of the API', async (t) => {
  const app = await testApp(t)
  const c = await started(app)
  t.equal((await c.get('/qualification/bilan')).statusCode, 200)
  // the trainer restarts the campaign while the bilan is open in the département's browser
  const restart = await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/restart', headers: AS.admin })
  t.equal(restart.statusCode, 200)
  for (const url of ['/qualification/bilan', '/qualification/bilan.pdf', '/qualification/validation']) {
    const page = await c.get(url)
    t.equal(page.statusCode, 409, url)
    const text = textOf(page.body)
    t.notMatch(text, /\/api\/|POST /, `${url}: no request of the API on a page`)
    t.match(text, /« Qualification »/, `${url}: where to start it`)
  }
  const admin = new PageClient(app)
  await admin.login('admin', ADMIN_PASSWORD)
  const consoleBilan = textOf((await admin.get('/console/departements/77/bilan')).body)
  t.notMatch(consoleBilan, /\/api\/|POST /, 'the console\'s bilan neither')
  t.match(consoleBilan, /Le département 77 n'a pas commencé sa qualification/)
})
