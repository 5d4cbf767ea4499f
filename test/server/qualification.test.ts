import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cgpemChunks } from '../../src/generate/cgpem-file.js'
import { PecgmIdentifiers, qualificationOrientations, type SampleIdentity } from '../../src/generate/qualification-cgpem.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import { sealOf, type Bilan } from '../../src/qualification/bilan.js'
import { LISTED_UNMATCHED } from '../../src/qualification/tally.js'
import { cli } from '../cli/helpers.js'
import { PageClient, textOf } from './pages/client.js'
import { pdfText } from '../pdf-text.js'
import { AS, Clock, DEMO, diskFull, listenOnLoopback, raw, T0, testApp, validCgpem } from './helpers.js'

/** A clock that moves one second at each reading: every event of the exchange has its own time. */
function ticking (): () => number {
  let at = T0
  return () => (at += 1000)
}

t.test('a département that does it right qualifies; told to forget the identifiers it fails; after a restart it passes, both bilans kept', async (t) => {
  const app = await testApp(t, { now: ticking() })
  const { url } = await listenOnLoopback(app)

  const bad = await cli('qualify', '--url', url, '--user', 'dept77', '--password', 'demo-77', '--forget-identifiers', '--approve')
  t.equal(bad.code, 1, bad.stderr)
  t.match(bad.stdout.toString(), /aller-retour/)
  t.match(bad.stdout.toString(), /Verdict : négatif/)

  const state1 = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(state1, { iteration: 1, step: 3, verdict: 'négatif' })
  const roundTrip = state1.checks.find((c: { id: string }) => c.id === 'aller-retour')
  t.match(roundTrip, { status: 'failed', reason: /PECGM_77_M_20261101_/ })
  for (const c of state1.checks.filter((c: { id: string }) => c.id !== 'aller-retour')) t.equal(c.status, 'passed', c.id)

  const approved = await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/approval', headers: AS.admin })
  t.equal(approved.statusCode, 200)
  const frozen = approved.json() as Bilan
  t.match(frozen, { final: true, verdict: 'négatif', suite: { etape: 2 } })
  t.equal(frozen.seal, sealOf(frozen), 'the seal is the SHA-256 of the canonical JSON')

  const restart = await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/restart', headers: AS.admin })
  t.equal(restart.statusCode, 200)
  t.match(restart.json(), { started: false, iteration: 2, step: 2, verdict: 'en cours' }, 'back to the sandbox until the département starts again')
  t.equal((await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json().code, 'PHEBUS_QUALIFICATION_NOT_STARTED')

  const good = await cli('qualify', '--url', url, '--user', 'dept77', '--password', 'demo-77')
  t.equal(good.code, 0, good.stdout.toString() + good.stderr)
  t.match(good.stdout.toString(), /Verdict : positif/)

  const json = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  t.match(json, { iteration: 2, verdict: 'positif', suite: { etape: 4, livraison: 'mars 2027' } })
  t.ok(json.checks.every((c) => c.status === 'passed' && c.evidence.length > 0), 'every check passed, with its evidence')

  const html = await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'text/html' } })
  t.match(html.headers['content-type'], /text\/html/)
  t.equal(html.headers.vary, 'Accept', 'one address, several answers: said to caches')
  t.match((await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'application/pdf;q=0, */*' } })).headers['content-type'], /application\/json/, 'a type weighed 0 is not sent')
  t.match(html.body, json.seal, 'the seal is printed on the page')
  t.match(html.body, 'mars 2027')
  const pdf = await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'application/pdf' } })
  t.equal(pdf.headers['content-type'], 'application/pdf')
  t.equal(pdf.rawPayload.subarray(0, 5).toString(), '%PDF-')
  const text = await pdfText(pdf.rawPayload)
  for (const c of json.checks) t.match(text, `RÉUSSI ${c.id} : `)
  t.match(text, 'mars 2027')
  t.match(text, json.seal, 'the seal is printed in the PDF')

  const history = (await app.inject({ url: '/api/v1/qualification/iterations', headers: AS.dept77 })).json()
  t.equal(history.iterations.length, 2)
  t.match(history.iterations[0], { iteration: 2, closedAt: null, bilan: { verdict: 'positif' } }, 'newest first')
  t.match(history.iterations[1], { iteration: 1, bilan: { verdict: 'négatif', final: true, seal: frozen.seal } })
  const page = (await app.inject({ url: '/api/v1/qualification/iterations?limit=1', headers: AS.dept77 })).json()
  t.match(page, { iterations: [{ iteration: 2 }], next: 2 })
  t.match((await app.inject({ url: `/api/v1/qualification/iterations?limit=1&before=${page.next}`, headers: AS.dept77 })).json(), { iterations: [{ iteration: 1 }], next: 1 })
})

t.test('the sample comes as JSON or as ISO-8859-1 CSV, and is the département\'s own', async (t) => {
  const app = await testApp(t)
  const json = await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })
  t.equal(json.statusCode, 200)
  t.equal(json.json().length, 60)
  const csv = await app.inject({ url: '/api/v1/qualification/sample', headers: { ...AS.dept77, accept: 'text/csv' } })
  t.match(csv.headers['content-type'], /text\/csv; charset=ISO-8859-1/)
  const lines = csv.rawPayload.toString('latin1').split('\r\n')
  t.equal(lines[0], 'NIR;NOM_NAISSANCE;NOM_MARITAL;PRENOM;DATE_NAISSANCE;CODE_INSEE_RESIDENCE;NUMERO_ALLOCATAIRE_CAF')
  t.equal(lines.length, 62)
  const other = (await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept93 })).json()
  t.not(other[0].NIR, json.json()[0].NIR)
  t.equal((await app.inject({ url: '/api/v1/qualification/sample' })).statusCode, 401)
})

t.test('only the admin validates for Pôle emploi or restarts a campaign; others get the 404 of nothing', async (t) => {
  const app = await testApp(t)
  for (const url of ['/api/v1/admin/qualifications/77/approval', '/api/v1/admin/qualifications/77/restart']) {
    t.equal((await app.inject({ method: 'POST', url, headers: AS.dept77 })).statusCode, 404, url)
  }
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/13/restart', headers: AS.admin })).statusCode, 404, 'a département of no campaign')
})

t.test('once the qualification has started, orientations outside the sample are noted in the upload\'s report, not held against it', async (t) => {
  const app = await testApp(t)
  // the people of the sample, under other first names and without their NIR: nobody the sample knows
  const strangers = async (records: number): Promise<Buffer> => Buffer.from((await validCgpem('77', records)).toString('latin1').replace(/<NIR>[0-9]+<\/NIR>\n\s*/g, '').replace(/<PRENOM>[^<]*<\/PRENOM>/g, '<PRENOM>Inconnu</PRENOM>'), 'latin1')
  const body = await strangers(5)
  const sandbox = await app.inject({ method: 'POST', url: '/api/v1/files?name=bac-a-sable.xml', headers: { ...AS.dept77, ...raw() }, payload: body })
  t.equal(sandbox.statusCode, 201)
  t.equal(sandbox.json().report.stats.byCode.CGPEM_ORIENTATION_UNMATCHED, undefined, 'in the sandbox, an upload is validated and nothing more')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const res = await app.inject({ method: 'POST', url: '/api/v1/files?name=hors-echantillon.xml', headers: { ...AS.dept77, ...raw() }, payload: body })
  t.equal(res.statusCode, 201)
  const report = res.json().report
  t.equal(report.stats.byCode.CGPEM_ORIENTATION_UNMATCHED, 5, 'each stranger is noted')
  t.match(report.findings.find((f: { code: string }) => f.code === 'CGPEM_ORIENTATION_UNMATCHED'), { severity: 'info', record: 1, line: 3 })
  t.equal(report.valid, true)
  t.equal(report.truncated, false)

  // a file of the whole population: the first ones listed, every one counted
  const many = (await app.inject({ method: 'POST', url: '/api/v1/files?name=population.xml', headers: { ...AS.dept77, ...raw() }, payload: await strangers(LISTED_UNMATCHED + 30) })).json().report
  const listed = many.findings.filter((f: { code: string }) => f.code === 'CGPEM_ORIENTATION_UNMATCHED')
  t.equal(many.stats.byCode.CGPEM_ORIENTATION_UNMATCHED, LISTED_UNMATCHED + 30, 'every stranger is counted')
  t.equal(many.stats.infos, LISTED_UNMATCHED + 30)
  t.same(listed.map((f: { record: number }) => f.record), Array.from({ length: LISTED_UNMATCHED }, (_, i) => i + 1), 'the first ones are listed, in the order of the file')
  t.match(many, { valid: true, truncated: true, omitted: { CGPEM_ORIENTATION_UNMATCHED: 30 } })
})

t.test('an iteration with a check still to do is « en cours » in its bilan as in its campaign view; validated so by both parties, it is negative', async (t) => {
  const app = await testApp(t, { now: ticking() })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const view = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  const open = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  t.equal(view.verdict, 'en cours')
  t.match(open, { verdict: 'en cours', final: false, suite: { etape: null, aFaire: [/^echantillon : .*\(pas encore fait\)$/] } })
  const pdf = await pdfText((await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'application/pdf' } })).rawPayload)
  t.match(pdf, 'En cours')

  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/approval', headers: AS.dept77 })).statusCode, 200)
  const final = (await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/approval', headers: AS.admin })).json() as Bilan
  t.match(final, { verdict: 'négatif', final: true, suite: { etape: 2, aCorriger: [/pas encore fait/] } }, 'concluded, what was not done is not passed')
  t.match((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json(), { verdict: 'négatif', final: true })
})

t.test('a bilan validated by both parties is final: what arrives afterwards counts for nothing until a new iteration, in the bilan, the API and the page', async (t) => {
  const app = await testApp(t, { now: ticking() })
  const { url } = await listenOnLoopback(app)
  t.equal((await cli('qualify', '--url', url, '--user', 'dept77', '--password', 'demo-77', '--forget-identifiers', '--approve')).code, 1)
  const sealed = (await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/approval', headers: AS.admin })).json() as Bilan
  t.match(sealed, { verdict: 'négatif', final: true })

  // the second CGPEM done right, after the bilan was sealed
  const q = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  const sample = (await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).json() as SampleIdentity[]
  const found = new PecgmIdentifiers(sample)
  found.add(readPecgm((await app.inject({ url: `/api/v1/files/${String(q.answer.name)}`, headers: AS.dept77 })).rawPayload).records.filter((r) => r.type === 'D').map((d) => d.values))
  const listed = async (): Promise<string[]> => ((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string, role?: string }[]).filter((f) => f.role === 'answer').map((f) => f.name)
  const before = await listed()
  const body = Buffer.concat([...cgpemChunks(qualificationOrientations(sample, parseIsoDate(q.planning.debut) as number, { identifiers: found.byPerson }), 'xml')])
  const late = await app.inject({ method: 'POST', url: '/api/v1/files?name=apres-le-bilan.xml', headers: { ...AS.dept77, ...raw() }, payload: body })
  t.equal(late.statusCode, 201)
  t.same(await listed(), before, 'no answer PECGM to it, as in the sandbox')

  const after = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(after, { verdict: 'négatif', final: true })
  t.same(after.checks, sealed.checks, 'the campaign view shows the final bilan')
  t.equal((await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json().seal, sealed.seal)

  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const page = textOf((await c.get('/qualification')).body)
  t.match(page, /verdict : négatif/)
  t.match(page, /définitif/)
  t.notMatch(page, /à valider par les deux parties/)
})

t.test('the titles of the checks say the plan the scenario applied, in the campaign view, the bilan and its PDF', async (t) => {
  const dir = t.testdir()
  const scenarioPath = join(dir, 'plan.yaml')
  writeFileSync(scenarioPath, `${readFileSync(DEMO, 'utf8')}
qualification:
  plan:
    - id: natures
      params: { natures: ['01', '05', '06'] }
    - id: rapprochement
      params: { threshold: 0.9 }
`)
  const app = await testApp(t, { now: ticking(), scenarioPath, dataDir: join(dir, 'donnees') })
  const { url } = await listenOnLoopback(app)
  t.equal((await cli('qualify', '--url', url, '--user', 'dept77', '--password', 'demo-77')).code, 0)
  const view = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  const bilan = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  const expected = {
    natures: 'Ses orientations utilisent chacune des natures d\'accompagnement 01, 05 et 06',
    rapprochement: 'Ses orientations désignent au moins 90\u00a0% des personnes de l\'échantillon'
  }
  for (const checks of [view.checks as Bilan['checks'], bilan.checks]) {
    t.match(checks.find((c) => c.id === 'natures'), { title: expected.natures, status: 'passed' })
    t.match(checks.find((c) => c.id === 'rapprochement'), { title: expected.rapprochement, status: 'passed' })
  }
  const pdf = await pdfText((await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'application/pdf' } })).rawPayload)
  t.match(pdf, '01, 05 et 06')
  t.notMatch(pdf, 'six natures')

  t.equal((await cli('qualify', '--url', url, '--user', 'dept77', '--password', 'demo-77', '--skip-nature', '05')).code, 1)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  t.match(textOf((await c.get('/qualification')).body), /chacune des natures d'accompagnement que demande le plan \(01, 05 et 06\)/, 'the advice names the plan\'s natures')
})

t.test('an approval is of the bilan as it was: evidence that changes the bilan afterwards lapses it, and the other party\'s approval never makes final a bilan the first did not approve', async (t) => {
  const app = await testApp(t, { now: ticking() })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const approved = (await app.inject({ method: 'POST', url: '/api/v1/qualification/approval', headers: AS.dept77 })).json() as Bilan
  t.match(approved.approvals, { departement: { by: 'dept77' }, poleEmploi: null })
  const again = (await app.inject({ method: 'POST', url: '/api/v1/qualification/approval', headers: AS.dept77 })).json() as Bilan
  t.same(again.approvals, approved.approvals, 'approving the same bilan twice changes nothing')

  // the département goes on: the bilan it approved is no longer the bilan
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)
  const changed = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  t.notSame(changed.checks, approved.checks)
  t.same(changed.approvals, { departement: null, poleEmploi: null }, 'its approval lapsed with the bilan it was given to')
  t.same((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json().approvals, changed.approvals, 'the campaign view says the same')

  const pe = (await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/approval', headers: AS.admin })).json() as Bilan
  t.match(pe, { final: false, approvals: { departement: null, poleEmploi: { by: 'admin' } } }, 'one approval of this bilan: not final')
  t.same(pe.checks, changed.checks)

  const both = (await app.inject({ method: 'POST', url: '/api/v1/qualification/approval', headers: AS.dept77 })).json() as Bilan
  t.match(both, { final: true, approvals: { departement: { by: 'dept77' }, poleEmploi: { by: 'admin' } } }, 'approved by both: final')
  t.same(both.checks, changed.checks, 'the bilan both approved')
  t.equal(both.seal, sealOf(both))
})

t.test('the end of the planning lapses an approval of a bilan not positive (it then reads « négatif », « pas fait avant la fin du planning »); a bilan is dated by its evidence, never by its approvals', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)
  const read = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  clock.at += 3_600_000
  const approved = (await app.inject({ method: 'POST', url: `/api/v1/qualification/approval?seal=${read.seal}`, headers: AS.dept77 })).json() as Bilan
  t.match(approved, { verdict: 'en cours', approvals: { departement: { by: 'dept77' } } })
  t.equal(approved.issuedAt, read.issuedAt, 'an approval an hour later does not date the bilan: its evidence does')
  t.same(approved.suite, read.suite)

  // the day after its last day (11 January 2027), 00:30 in Paris
  clock.at = Date.UTC(2027, 0, 11, 23, 30)
  const over = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  t.match(over, { verdict: 'négatif', suite: { etape: 2 } })
  t.same(over.approvals, { departement: null, poleEmploi: null }, 'the département approved « en cours », not this: its approval lapsed')
  const pe = (await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/approval', headers: AS.admin })).json() as Bilan
  t.match(pe, { final: false, approvals: { departement: null, poleEmploi: { by: 'admin' } } }, 'Pôle emploi\'s approval alone makes nothing final')
  const both = (await app.inject({ method: 'POST', url: '/api/v1/qualification/approval', headers: AS.dept77 })).json() as Bilan
  t.match(both, { final: true, verdict: 'négatif' }, 'final once the département approved it as it reads')
})

t.test('once its planning is over, an iteration no longer moves: what happens after its last day is no evidence, and its bilan is concluded', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const { url } = await listenOnLoopback(app)
  const q = (await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).json()
  t.same(q.planning, { debut: '2026-11-27', fin: '2027-01-11' })
  const sample = (await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).json() as SampleIdentity[]
  const today = parseIsoDate(q.planning.debut) as number

  // its last day, 23:30 in Paris: still the planning
  clock.at = Date.UTC(2027, 0, 11, 22, 30)
  const first = Buffer.concat([...cgpemChunks(qualificationOrientations(sample, today), 'xml')])
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=dernier-jour.xml', headers: { ...AS.dept77, ...raw() }, payload: first })).statusCode, 201)
  const lastDay = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(lastDay, { verdict: 'en cours', answer: { answerTo: 'dernier-jour.xml' } }, 'the last day counts')

  // the next day, 00:30 in Paris: over
  clock.at = Date.UTC(2027, 0, 11, 23, 30)
  const download = await fetch(`${url}/api/v1/files/${String(lastDay.answer.name)}`, { headers: AS.dept77 })
  t.equal(download.status, 200)
  await download.arrayBuffer()
  const after = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(after.checks.find((c: { id: string }) => c.id === 'pecgm-telecharge'), { status: 'todo' }, 'a download after the planning is no evidence')
  t.equal(after.verdict, 'négatif', 'the iteration can no longer progress: what was not done in time was not done')
  const bilan = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  t.match(bilan, { verdict: 'négatif', final: false, suite: { etape: 2, aCorriger: [/^pecgm-telecharge : .*\(pas fait avant la fin du planning, le 11 janvier 2027\)$/, /^aller-retour : /] } })
  t.equal(bilan.issuedAt, lastDay.answer.at, 'still dated by its latest evidence')
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  t.match(textOf((await c.get('/qualification')).body), /Planning terminé le 11 janvier 2027 : ce que vous faites maintenant ne compte plus pour cette itération/, 'the page says why')
})

t.test('an answer still due when the planning ends is not made: after its last day nothing happens in the iteration', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  // the disk is full when the answer of the last day's upload is written
  diskFull(app, true)
  const send = async (name: string): Promise<number> => (await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77', 20) })).statusCode
  const answers = async (): Promise<unknown[]> => ((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { role?: string }[]).filter((f) => f.role === 'answer')

  clock.at = Date.UTC(2027, 0, 11, 22, 30)
  t.equal(await send('dernier-jour.xml'), 201)
  t.match((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json(), { answer: null }, 'its answer failed')

  clock.at = Date.UTC(2027, 0, 11, 23, 30)
  t.equal(await send('lendemain.xml'), 201, 'validated, as after the planning')
  const after = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(after, { answer: null, verdict: 'négatif' }, 'the answer due is not made the next day')
  t.same(await answers(), [], 'no PECGM of it for the département')
  t.same(app.storage.db.prepare("SELECT file_name, answer_due FROM campaign_uploads WHERE departement = '77' ORDER BY id").all(), [{ file_name: 'dernier-jour.xml', answer_due: 1 }], 'still due, never made: the next day\'s upload is not recorded')
  t.match(after.checks.find((c: { id: string }) => c.id === 'cgpem-accepte'), { status: 'passed', evidence: [{ file: 'dernier-jour.xml' }] }, 'the upload made in time counts')
})

t.test('an approval may name the bilan it approves by its seal: a bilan changed since is refused with a 409 that says so, and nothing is approved', async (t) => {
  const app = await testApp(t, { now: ticking() })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const read = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  // the département goes on meanwhile
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)
  for (const [url, headers] of [['/api/v1/qualification/approval', AS.dept77], ['/api/v1/admin/qualifications/77/approval', AS.admin]] as const) {
    const stale = await app.inject({ method: 'POST', url: `${url}?seal=${read.seal}`, headers })
    t.equal(stale.statusCode, 409, url)
    t.match(stale.json(), { code: 'PHEBUS_QUALIFICATION_BILAN_CHANGED', message: /Le bilan a changé depuis que vous l'avez lu/ }, url)
    const bad = await app.inject({ method: 'POST', url: `${url}?seal=abc`, headers })
    t.equal(bad.statusCode, 400, url)
    t.match(bad.json().message, /« seal »/, url)
  }
  const now = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })).json() as Bilan
  t.same(now.approvals, { departement: null, poleEmploi: null }, 'nothing approved')
  const ok = await app.inject({ method: 'POST', url: `/api/v1/qualification/approval?seal=${now.seal}`, headers: AS.dept77 })
  t.equal(ok.statusCode, 200)
  t.match(ok.json(), { approvals: { departement: { by: 'dept77' } } })
  t.equal((await app.inject({ method: 'POST', url: `/api/v1/qualification/approval?seal=${now.seal}`, headers: AS.dept77 })).statusCode, 200, 'approving it again changes nothing, and is no conflict')
})
