import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type { Bilan } from '../../src/qualification/bilan.js'
import { parseNow } from '../../src/clock.js'
import { cgpemChunks } from '../../src/generate/cgpem-file.js'
import { PecgmIdentifiers, qualificationOrientations, type SampleIdentity } from '../../src/generate/qualification-cgpem.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import { cli } from '../cli/helpers.js'
import { PageClient } from './pages/client.js'
import { AS, basic, DAY, diskFull, listenOnLoopback, multipart, raw, T0, testApp, validCgpem } from './helpers.js'

const DEPT971 = basic('dept971', 'demo-971')

/**
 * The qualification's evidence is its own: recorded when it happens, from
 * the start the département chose, kept with the campaign whatever becomes
 * of the trail and of the files.
 */

/** A clock that moves one second at each reading, and jumps when told. */
class TickingClock {
  at = T0
  readonly now = (): number => (this.at += 1000)
  advance (ms: number): void { this.at += ms }
}

async function listening (app: FastifyInstance): Promise<string> {
  return (await listenOnLoopback(app)).url
}

/**
 * 77's qualification as its software plays it on `app`: started, its sample
 * downloaded. How it sends a CGPEM, the first one of its sample, and the
 * second: the answer PECGM `answer` downloaded whole (over a socket: a
 * download counts the bytes that left), its identifiers carried.
 */
async function playing77 (app: FastifyInstance): Promise<{ send: (name: string, body: Buffer) => Promise<number>, first: Buffer, second: (answer: string) => Promise<Buffer> }> {
  const send = async (name: string, body: Buffer): Promise<number> =>
    (await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, ...raw() }, payload: body })).statusCode
  const q = (await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).json()
  const today = parseIsoDate(q.planning.debut) as number
  const sample = (await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).json() as SampleIdentity[]
  const second = async (answer: string): Promise<Buffer> => {
    const download = await fetch(`${await listening(app)}/api/v1/files/${answer}`, { headers: AS.dept77 })
    if (download.status !== 200) throw new Error(`${answer}: ${download.status}`)
    const found = new PecgmIdentifiers(sample)
    found.add(readPecgm(Buffer.from(await download.arrayBuffer())).records.filter((r) => r.type === 'D').map((d) => d.values))
    return Buffer.concat([...cgpemChunks(qualificationOrientations(sample, today, { identifiers: found.byPerson }), 'xml')])
  }
  return { send, first: Buffer.concat([...cgpemChunks(qualificationOrientations(sample, today), 'xml')]), second }
}

/** `phebus-mock qualify` as a département would run it: its output, and its exit code (0: positive). */
async function qualify (url: string, user: string, password: string, ...more: string[]): Promise<{ code: number, out: string }> {
  const r = await cli('qualify', '--url', url, '--user', user, '--password', password, ...more)
  return { code: r.code, out: r.stdout.toString() + r.stderr }
}

t.test('exploring before the start never counts: the README\'s tour, then qualify, ends positive', async (t) => {
  const app = await testApp(t, { now: new TickingClock().now })
  const url = await listening(app)
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string }[]
  t.equal((await app.inject({ url: `/api/v1/files/${files[0]?.name ?? ''}`, headers: AS.dept77 })).statusCode, 200)
  const sample = await validCgpem('77', 300)
  const send = async (name: string, body: Buffer): Promise<number> => {
    const form = multipart(name, body)
    return (await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...form.headers }, payload: form.payload })).statusCode
  }
  t.equal(await send('cgpem-77.xml', sample), 201)
  const broken = Buffer.from(sample.toString('latin1').replace(/<NATURE_ACCOMPAGNEMENT>0[1-6]</g, '<NATURE_ACCOMPAGNEMENT>99<'), 'latin1')
  t.equal(await send('cgpem-77-casse.xml', broken), 422)

  const sandbox = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(sandbox, { started: false, iteration: 1, step: 2, verdict: 'en cours' }, 'still the sandbox')
  t.ok(sandbox.checks.every((c: { status: string }) => c.status === 'todo'), 'nothing of it is evidence')
  for (const [method, path] of [['GET', '/api/v1/qualification/bilan'], ['POST', '/api/v1/qualification/approval']] as const) {
    const res = await app.inject({ method, url: path, headers: AS.dept77 })
    t.equal(res.statusCode, 409, path)
    t.equal(res.json().code, 'PHEBUS_QUALIFICATION_NOT_STARTED')
  }
  const run = await qualify(url, 'dept77', 'demo-77')
  t.equal(run.code, 0, run.out)
  t.match(run.out, /Verdict : positif/)
  t.match((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json(), { started: true, iteration: 1, verdict: 'positif' })
})

t.test('a HEAD of the sample is no download of it: the « echantillon » check waits for its bytes, by the API as by the pages', async (t) => {
  const app = await testApp(t, { now: new TickingClock().now })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const pages = new PageClient(app)
  await pages.login('dept77', 'demo-77')
  const cookie = [...pages.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  for (const [url, headers] of [['/api/v1/qualification/sample', AS.dept77], ['/api/v1/qualification/sample', { ...AS.dept77, accept: 'text/csv' }], ['/qualification/echantillon.csv', { cookie }], ['/qualification/echantillon.json', { cookie }]] as const) {
    const head = await app.inject({ method: 'HEAD', url, headers })
    t.equal(head.statusCode, 200, url)
    t.equal(head.body, '', `${url}: no byte of the sample`)
  }
  const check = async (): Promise<{ status: string }> => (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json().checks.find((c: { id: string }) => c.id === 'echantillon')
  t.match(await check(), { status: 'todo', evidence: [] }, 'nothing downloaded yet')
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)
  t.match(await check(), { status: 'passed', evidence: [{ what: 'échantillon téléchargé' }] }, 'the GET is the download, once')
})

t.test('on a clock that stands still (--clock frozen), a CGPEM sent before the sample is still sent before it: the « echantillon » check reads the order of arrival', async (t) => {
  // testApp's clock reads T0 throughout, as a frozen clock does between the admin's moves
  const app = await testApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=trop-tot.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77', 60) })).statusCode, 201)
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)
  const check = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json().checks.find((c: { id: string }) => c.id === 'echantillon')
  t.match(check, { status: 'failed', reason: /trop-tot\.xml a été déposé sans que l'échantillon ait été téléchargé avant/ }, 'the upload came first, at the same instant')

  // the other way round, at the same instant, it passes
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept93 })).statusCode, 201)
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept93 })).statusCode, 200)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=apres.xml', headers: { ...AS.dept93, ...raw() }, payload: await validCgpem('93', 60) })).statusCode, 201)
  t.match((await app.inject({ url: '/api/v1/qualification', headers: AS.dept93 })).json().checks.find((c: { id: string }) => c.id === 'echantillon'), { status: 'passed' })
})

t.test('a positive verdict stays positive: later uploads, an emptied trail and expired files change nothing of the bilan', async (t) => {
  const clock = new TickingClock()
  const app = await testApp(t, { now: clock.now })
  const url = await listening(app)
  t.equal((await qualify(url, 'dept93', 'demo-93')).code, 0)
  const before = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept93 })).json() as Bilan
  t.equal(before.verdict, 'positif')

  // a CGPEM of the sample without the identifiers the PECGM gave, and a broken one
  const sample = (await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept93 })).json() as { NIR: string, NOM_NAISSANCE: string, PRENOM: string, DATE_NAISSANCE: string }[]
  const forgetful = await validCgpem('93', 20)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=plus-tard.xml', headers: { ...AS.dept93, ...raw() }, payload: forgetful })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=casse.xml', headers: { ...AS.dept93, ...raw() }, payload: Buffer.from('<CGPEM>') })).statusCode, 422)
  t.ok(sample.length > 0)

  // the trail emptied, every file expired and purged
  app.auditTrail.flush()
  app.storage.db.prepare('DELETE FROM audit').run()
  clock.advance(62 * DAY)
  t.ok((await app.inject({ method: 'POST', url: '/api/v1/admin/purge', headers: AS.admin })).json().count > 0, 'the CGPEMs cited are gone')

  const after = (await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept93 })).json() as Bilan
  t.equal(after.verdict, 'positif')
  t.equal(after.seal, before.seal, 'the same bilan, to its seal')
  const cited = after.checks.flatMap((c) => c.evidence).filter((e) => e.file !== undefined)
  t.ok(cited.length > 0 && cited.every((e) => e.sha256?.length === 64 && e.at !== undefined), 'each cited file keeps its name, SHA-256 and time')
})

t.test('a start opens a new iteration: the open one is closed with its bilan, and only what follows counts', async (t) => {
  const app = await testApp(t, { now: new TickingClock().now })
  const url = await listening(app)
  t.equal((await qualify(url, 'dept971', 'demo-971', '--skip-nature', '03')).code, 1)
  t.match((await app.inject({ url: '/api/v1/qualification', headers: DEPT971 })).json(), { iteration: 1, verdict: 'négatif' })
  t.equal((await qualify(url, 'dept971', 'demo-971')).code, 0)
  t.match((await app.inject({ url: '/api/v1/qualification', headers: DEPT971 })).json(), { started: true, iteration: 2, verdict: 'positif' })
  const history = (await app.inject({ url: '/api/v1/qualification/iterations', headers: DEPT971 })).json()
  t.match(history.iterations, [{ iteration: 2, closedAt: null, bilan: { verdict: 'positif' } }, { iteration: 1, closedAt: String, bilan: { verdict: 'négatif', checks: [{}, {}, {}, { id: 'natures', status: 'failed' }] } }])
})

t.test('the answer the open iteration cites outlives its month of retention, and goes with the next purge once the iteration is closed', async (t) => {
  const start = parseNow('2026-11-02T08:00:00')?.at as number
  const app = await testApp(t, { clock: { mode: 'frozen', start: { at: start, zone: 'Europe/Paris' } } })
  const { send, first, second } = await playing77(app)
  t.equal(await send('premier.xml', first), 201)
  t.equal(await send('encore.xml', first), 201, 'a second answer, which the iteration does not cite')
  const cited = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json().answer.name as string

  const moved = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: AS.admin, payload: { advance: '+1M' } })
  const purged = (moved.json().purged as { name: string }[]).map((f) => f.name)
  t.notOk(purged.includes(cited), 'the cited answer is not purged')
  t.ok(purged.some((n) => n.startsWith('PECGM_77_M_20261101_20261102_')), 'the other answer is')
  t.equal(await send('second.xml', await second(cited)), 201)
  t.match((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json(), { verdict: 'positif', answer: { name: cited } }, 'the qualification still passes')

  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/qualifications/77/restart', headers: AS.admin })).statusCode, 200)
  const after = (await app.inject({ method: 'POST', url: '/api/v1/admin/purge', headers: AS.admin })).json().purged as { name: string }[]
  t.ok(after.some((f) => f.name === cited), 'closed, its iteration no longer keeps it')
})

t.test('a CGPEM deleted and sent again under the same name is a second upload: the first stays in the evidence as it happened', async (t) => {
  const app = await testApp(t, { now: new TickingClock().now })
  const q = (await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).json()
  const send = async (): Promise<number> => (await app.inject({ method: 'POST', url: '/api/v1/files?name=cgpem.xml', headers: { ...AS.dept77, ...raw() }, payload: body })).statusCode
  const body = await validCgpem('77', 20)
  // sent before the sample was downloaded: the `echantillon` check fails
  t.equal(await send(), 201)
  const before = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  const failed = before.checks.find((c: { id: string }) => c.id === 'echantillon')
  t.equal(failed.status, 'failed')
  const cited = before.answer
  t.match(cited, { answerTo: 'cgpem.xml' })

  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/files/cgpem.xml', headers: AS.dept77 })).statusCode, 204)
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)
  t.equal(await send(), 201, 'the name is free again')

  const after = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  const still = after.checks.find((c: { id: string }) => c.id === 'echantillon')
  t.equal(still.status, 'failed', 'the first upload is still the first: sending again under its name does not rewrite it')
  t.same(still.evidence[0], failed.evidence[0], 'the upload sent before the sample, as it happened')
  const accepted = (checks: { id: string, evidence: unknown }[]): unknown => checks.find((c) => c.id === 'cgpem-accepte')?.evidence
  t.same(accepted(after.checks), accepted(before.checks), 'the first accepted CGPEM is the one sent first')
  t.same(after.answer, cited, 'and the answer cited is still the answer to it')
  t.equal(q.iteration, after.iteration)
})

t.test('a CGPEM whose answer failed, deleted and sent again under its name: each upload\'s answer is made once, the right one no longer due', async (t) => {
  const app = await testApp(t, { now: new TickingClock().now })
  const send = async (name: string): Promise<number> => (await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, ...raw() }, payload: body })).statusCode
  const body = await validCgpem('77', 20)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  // the disk is full when the first answer is written, and again at the third
  diskFull(app, true, false, true)
  const db = app.storage.db
  const uploads = (): number[] => db.prepare<[], number>("SELECT id FROM campaign_uploads WHERE departement = '77' ORDER BY id").pluck().all()
  const due = (): number[] => db.prepare<[], number>("SELECT id FROM campaign_uploads WHERE departement = '77' AND answer_due = 1 ORDER BY id").pluck().all()
  const answered = (): { name: string, to: string, upload: number }[] => db.prepare<[], { name: string, to: string, upload: number }>("SELECT file_name AS name, answer_to AS \"to\", answer_to_upload AS upload FROM campaign_deposits WHERE departement = '77' ORDER BY at, rowid").all()

  t.equal(await send('cgpem.xml'), 201)
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/files/cgpem.xml', headers: AS.dept77 })).statusCode, 204, 'deleted, once its answer failed')
  const [first] = uploads()
  t.same(due(), [first], 'its answer still due')
  t.same(answered(), [])

  t.equal(await send('cgpem.xml'), 201, 'sent again under its name')
  const state = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  const [, second] = uploads()
  t.ok(second !== undefined && second !== first, 'a second upload, its row')
  t.match(answered(), [{ to: 'cgpem.xml', upload: first }], 'the first upload\'s answer made, before the second\'s, which failed')
  t.equal(answered().length, 1)
  t.same(due(), [second], 'the second upload\'s answer still due, though its name was answered')
  t.match(state.answer, { name: answered()[0]?.name, answerTo: 'cgpem.xml' }, 'the answer cited is the first upload\'s')

  t.equal(await send('autre.xml'), 201)
  t.equal((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).statusCode, 200)
  const [, , third] = uploads()
  const made = answered()
  t.same(made.map((d) => d.upload), [first, second, third], 'the next upload made the answer due, then its own: each upload answered once')
  t.same(due(), [])
  const files = ((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string, role?: string }[]).filter((f) => f.role === 'answer').map((f) => f.name)
  t.same(files.sort(), made.map((d) => d.name).sort(), 'all deposited for the département, no other')
})

t.test('an answer that could not be deposited does not stall the iteration: still due, it is made before the next upload\'s, the first deposited, the one the iteration cites, and the iteration can still pass', async (t) => {
  const app = await testApp(t, { now: new TickingClock().now })
  const { send, first, second } = await playing77(app)

  // the disk is full when the first answer is written
  diskFull(app, true)
  t.equal(await send('premier.xml', first), 201)
  const stalled = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(stalled, { answer: null, verdict: 'en cours' }, 'no answer to the first CGPEM')

  t.equal(await send('encore.xml', first), 201)
  const answered = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(answered.answer, { answerTo: 'premier.xml', name: /^PECGM_77_M_/ }, 'the answer to the first accepted CGPEM, made late, is the one the iteration cites')
  const answers = ((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string, role?: string }[]).filter((f) => f.role === 'answer')
  t.equal(answers.length, 2, 'then the next one\'s')
  t.equal(await send('second.xml', await second(String(answered.answer.name))), 201)
  const done = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  t.match(done, { verdict: 'positif', answer: { name: answered.answer.name } })
  t.match(done.checks.find((c: { id: string }) => c.id === 'cgpem-accepte').evidence, [{ file: 'premier.xml' }], 'the first accepted CGPEM is still the first one')
})
