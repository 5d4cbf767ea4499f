import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { run } from '../../src/cli/run.js'
import { createServer, type AddressInfo } from 'node:net'
import { Writable } from 'node:stream'
import { basic, listenOnLoopback, T0, testApp } from '../server/helpers.js'

/** The command line with its own streams and environment. */
async function qualify (args: string[], env: Record<string, string> = {}): Promise<{ code: number, stdout: string, stderr: string }> {
  let stdout = ''
  let stderr = ''
  const sink = (append: (s: string) => void): Writable => new Writable({ write (chunk: Buffer, _e, cb) { append(chunk.toString()); cb() } })
  const code = await run(['qualify', ...args], { stdout: sink((s) => { stdout += s }), stderr: sink((s) => { stderr += s }), now: () => T0, env })
  return { code, stdout, stderr }
}

async function listening (t: Parameters<typeof testApp>[0]): Promise<{ app: FastifyInstance, url: string }> {
  let at = T0
  const app = await testApp(t, { now: () => (at += 1000) })
  return { app, url: (await listenOnLoopback(app)).url }
}

t.test('--format json: one document with the steps, every check and the verdict; the password from PHEBUS_PASSWORD', async (t) => {
  const { app, url } = await listening(t)
  const r = await qualify(['--url', url, '--user', 'dept93', '--format', 'json'], { PHEBUS_PASSWORD: 'demo-93' })
  t.equal(r.code, 0, r.stderr)
  const doc = JSON.parse(r.stdout) as { verdict: string, exitCode: number, steps: { text: string }[], checks: { id: string, status: string }[], error: unknown }
  const server = (await app.inject({ url: '/api/v1/qualification', headers: basic('dept93', 'demo-93') })).json()
  t.match(doc, { verdict: 'positif', exitCode: 0, error: null, iteration: 1, step: server.step })
  t.equal(server.step, 3, 'the step at the end, as the server says it')
  t.equal(doc.steps.length, 5)
  const [, said, name] = /avec (\d+) identifiant\(s\) Pôle emploi : ([^,]+),/.exec(doc.steps[4]?.text ?? '') ?? []
  const sent = (await app.inject({ url: `/api/v1/files/${name ?? ''}`, headers: basic('dept93', 'demo-93') })).body
  t.equal(Number(said), sent.match(/<IDENTIFIANT_PE>/g)?.length, 'the identifiers the second CGPEM carries')
  t.ok(doc.checks.length > 0 && doc.checks.every((c) => c.status === 'passed'))
})

t.test('--format junit: one test case per check, the failed one a <failure>, exit 1 on a negative verdict', async (t) => {
  const { url } = await listening(t)
  const r = await qualify(['--url', url, '--user', 'dept77', '--password', 'demo-77', '--format', 'junit', '--forget-identifiers'])
  t.equal(r.code, 1)
  t.match(r.stdout, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites name="phebus-mock qualify"/)
  t.match(r.stdout, /<testcase classname="qualification dept77" name="aller-retour : [^"]*">\n {6}<failure type="aller-retour"/)
  t.match(r.stdout, /failures="1" errors="0"/)
  t.notMatch(r.stdout, /Verdict/, 'nothing but the XML on standard output')
})

/** A port on which nothing listens (taken, then given back). */
async function closedPort (): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const port = (server.address() as AddressInfo).port
  await new Promise((resolve) => server.close(resolve))
  return port
}

t.test('a server out of reach or saying no: a French reason, what to do, code 2, in every format', async (t) => {
  const { app, url } = await listening(t)
  const closed = await closedPort()
  const cases: { name: string, args: string[], code: string, says: RegExp }[] = [
    { name: 'no scheme', args: ['--url', '127.0.0.1:8080'], code: 'PHEBUS_QUALIFY_UNREACHABLE', says: /il manque http:\/\// },
    { name: 'a port that is no number', args: ['--url', 'http://127.0.0.1:80a80'], code: 'PHEBUS_QUALIFY_UNREACHABLE', says: /le port « 80a80 »/ },
    { name: 'not http', args: ['--url', 'ftp://127.0.0.1'], code: 'PHEBUS_QUALIFY_UNREACHABLE', says: /http:\/\/ ou https:\/\// },
    { name: 'nobody listening', args: ['--url', `http://127.0.0.1:${closed}`], code: 'PHEBUS_QUALIFY_UNREACHABLE', says: /connexion refusée/ },
    { name: 'a port fetch refuses', args: ['--url', 'http://127.0.0.1:1'], code: 'PHEBUS_QUALIFY_UNREACHABLE', says: /port refusé/ },
    { name: 'a wrong password', args: ['--url', url, '--password', 'pas-le-bon'], code: 'PHEBUS_QUALIFY_REFUSED', says: /identifiant ou mot de passe refusé \(401\)/ },
    { name: 'the admin account', args: ['--url', url, '--user', 'admin', '--password', 'admin-password-for-tests'], code: 'PHEBUS_QUALIFY_REFUSED', says: /\((403|404)\)/ }
  ]
  for (const c of cases) {
    const args = ['--user', 'dept77', '--password', 'demo-77', ...c.args]
    const text = await qualify(args)
    t.equal(text.code, 2, c.name)
    t.match(text.stderr, c.says, c.name)
    t.match(text.stderr, `[${c.code}]`, c.name)
    t.notMatch(text.stderr, /bad port|Invalid URL|fetch failed|ECONNREFUSED|\bat \w+ \(/, `${c.name}: no English, no stack`)
    const json = await qualify([...args, '--format', 'json'])
    t.equal(json.code, 2)
    t.match(JSON.parse(json.stdout), { error: { code: c.code }, exitCode: 2, verdict: null }, `${c.name} (json)`)
    const junit = await qualify([...args, '--format', 'junit'])
    t.match(junit.stdout, `<error type="${c.code}"`, `${c.name} (junit)`)
  }
  await app.close()
})

t.test('a missing password or a format not known are usage errors', async (t) => {
  t.equal((await qualify(['--url', 'http://127.0.0.1:1', '--user', 'dept77'])).code, 2)
  t.match((await qualify(['--url', 'http://127.0.0.1:1', '--user', 'dept77'])).stderr, /PHEBUS_PASSWORD/)
  // --password "$PW" with PW unset: a mistake, said as one, never PHEBUS_PASSWORD's account instead (as serve refuses an empty option)
  const empty = await qualify(['--url', 'http://127.0.0.1:1', '--user', 'dept77', '--password', ''], { PHEBUS_PASSWORD: 'demo-93' })
  t.equal(empty.code, 2)
  t.match(empty.stderr, /--password est vide/)
  t.match((await qualify(['--url', 'http://127.0.0.1:1', '--user', 'dept77', '--password', 'x', '--format', 'xml'])).stderr, /--format attend text ou json ou junit/)
})

t.test('on a frozen clock, each run downloads the answer its iteration cites, however many answers share its time', async (t) => {
  // the day of the monthly stock's deposit, so that the answers continue its sequence: PECGM_77_M_20261101_20261102_9 comes after _12 in the list
  const app = await testApp(t, { now: () => Date.UTC(2026, 10, 2, 7) })
  const { url } = await listenOnLoopback(app)
  for (let run = 1; run <= 5; run++) {
    const r = await qualify(['--url', url, '--user', 'dept77', '--password', 'demo-77'])
    t.equal(r.code, 0, `run ${run} passes`)
    const state = (await app.inject({ url: '/api/v1/qualification', headers: basic('dept77', 'demo-77') })).json()
    t.match(state, { iteration: run, verdict: 'positif', answer: { answerTo: new RegExp(`_it${run}_1\\.xml$`) } })
    t.match(r.stdout, `PECGM déposé en retour téléchargé : ${String(state.answer.name)},`, `run ${run} took the cited answer`)
  }
})

t.test('--approve names the bilan it approves by its seal (?seal=): the bilan it read, never one changed since', async (t) => {
  const { app, url } = await listening(t)
  const asked: string[] = []
  app.server.on('request', (req: { method?: string, url?: string }) => { if (req.method === 'POST') asked.push(req.url ?? '') })
  const r = await qualify(['--url', url, '--user', 'dept77', '--password', 'demo-77', '--approve'])
  t.equal(r.code, 0, r.stderr)
  const bilan = (await app.inject({ url: '/api/v1/qualification/bilan', headers: basic('dept77', 'demo-77') })).json<{ approvals: { departement: unknown } }>()
  // a seal the server checks: a wrong one is refused (409), so an approval made says it was the bilan's
  t.ok(bilan.approvals.departement !== null, 'approved')
  t.match(asked.filter((u) => u.startsWith('/api/v1/qualification/approval')), [/^\/api\/v1\/qualification\/approval\?seal=[0-9a-f]{64}$/], 'named by its seal')
  await app.close()
})

t.test('--help says that qualify starts a new iteration, which closes the open one', async (t) => {
  const r = await qualify(['--help'])
  t.equal(r.code, 0)
  t.match(r.stdout, /commence\s+une nouvelle itération/)
  t.match(r.stdout, /ferme celle qui est ouverte/)
  t.match(r.stdout, /menée à la main et en cours/)
})

/** A fault on dept77's downloads (docs/pannes.md), set by the admin. */
async function downloadFault (app: FastifyInstance, fault: Record<string, unknown>): Promise<void> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/faults', headers: { ...basic('admin', 'admin-password-for-tests'), 'content-type': 'application/json' }, payload: JSON.stringify({ departement: '77', route: 'download', ...fault }) })
  if (res.statusCode !== 201) throw new Error(res.body)
}

t.test('the answer PECGM refused or cut on its way is downloaded again, as a département doing it right does, and the qualification passes', async (t) => {
  for (const fault of [{ code: 'http-503', times: 2, retryAfterSeconds: 1 }, { code: 'reset-after', afterBytes: 100 }, { code: 'reset' }]) {
    const { app, url } = await listening(t)
    await downloadFault(app, fault)
    const r = await qualify(['--url', url, '--user', 'dept77', '--password', 'demo-77'])
    t.equal(r.code, 0, fault.code)
    t.match(r.stdout, /PECGM déposé en retour téléchargé : PECGM_77_M_\S+, \d+ octets, \d+ personne\(s\) connue\(s\) de Pôle emploi, au \d+e essai/, fault.code)
    t.match(r.stdout, /Verdict : positif/, fault.code)
    t.equal(r.stderr, '', `${fault.code}: nothing on standard error`)
    await app.close()
  }
})

t.test('an answer PECGM that cannot be downloaded stops qualify with a French reason, code 2, before any second CGPEM', async (t) => {
  const { app, url } = await listening(t)
  await downloadFault(app, { code: 'http-503', times: null, retryAfterSeconds: 1 })
  const r = await qualify(['--url', url, '--user', 'dept77', '--password', 'demo-77', '--wait', '1'])
  t.equal(r.code, 2)
  t.match(r.stderr, /phebus-mock qualify : GET \/api\/v1\/files\/PECGM_77_M_\S+ : serveur occupé ou pas encore prêt \(503\)/)
  t.match(r.stderr, '[PHEBUS_QUALIFY_REFUSED]')
  t.notMatch(r.stdout, /second CGPEM/, 'no second CGPEM sent without the identifiers')
  t.notMatch(r.stderr, /terminated|TypeError|\bat \w+ \(/, 'no English, no stack')
  const junit = await qualify(['--url', url, '--user', 'dept77', '--password', 'demo-77', '--wait', '1', '--format', 'junit'])
  t.equal(junit.code, 2)
  t.match(junit.stdout, '<error type="PHEBUS_QUALIFY_REFUSED"')
  await app.close()
})

t.test('an answer cut in the middle of its body stops qualify with a French reason, code 2, never fetch\'s English', async (t) => {
  const { app, url } = await listening(t)
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/faults', headers: { ...basic('admin', 'admin-password-for-tests'), 'content-type': 'application/json' }, payload: JSON.stringify({ departement: '77', code: 'reset-after', afterBytes: 10 }) })
  t.equal(res.statusCode, 201)
  const r = await qualify(['--url', url, '--user', 'dept77', '--password', 'demo-77'])
  t.equal(r.code, 2)
  t.match(r.stderr, /phebus-mock qualify : serveur injoignable à http:\/\/127\.0\.0\.1:\d+\/ : connexion coupée par le serveur\. \[PHEBUS_QUALIFY_UNREACHABLE\]/)
  t.notMatch(r.stderr, /terminated|TypeError|\bat \w+ \(/, 'no English, no stack')
  await app.close()
})
