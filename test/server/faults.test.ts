import t from 'tap'
import { createHash } from 'node:crypto'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { connect } from 'node:net'
import { parseNow } from '../../src/clock.js'
import { PecgmValidator } from '../../src/validate/pecgm-validator.js'
import { AS, DEMO, diskFull, listenOnLoopback, monthlyName, multipart, raw, testApp, validCgpem } from './helpers.js'

/**
 * Faults on demand through the admin API and a scenario: damaged deposits
 * (stored as deposited, marked for the admin only, followed by a correct
 * one, the same bytes every run) and HTTP faults (what goes on the wire,
 * traced as such in the trail).
 */

const START = parseNow('2026-11-02T08:00:00')?.at as number
const frozen = { mode: 'frozen' as const, start: { at: START, zone: 'Europe/Paris' as const } }
type App = Awaited<ReturnType<typeof testApp>>
const NOVEMBER = monthlyName('77')

async function setFault (app: App, body: object): Promise<{ statusCode: number, json: () => any }> {
  return await app.inject({ method: 'POST', url: '/api/v1/admin/faults', headers: AS.admin, payload: body })
}

async function depositNow (app: App, periodicity: 'M' | 'Q' = 'Q'): Promise<{ name: string, deposited: string[] }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity } })
  if (res.statusCode !== 201) throw new Error(res.body)
  return res.json()
}

function sha256 (b: Buffer | string): string {
  return createHash('sha256').update(b).digest('hex')
}

function pecgmReport (bytes: Buffer): { valid: boolean, codes: string[] } {
  const v = new PecgmValidator({ today: 20_800 })
  v.push(bytes)
  const r = v.end()
  return { valid: r.valid, codes: Object.keys(r.stats.byCode) }
}

async function download (app: App, name: string): Promise<{ statusCode: number, raw: Buffer, headers: Record<string, unknown> }> {
  const res = await app.inject({ url: `/api/v1/files/${name}`, headers: AS.dept77 })
  return { statusCode: res.statusCode, raw: res.rawPayload, headers: res.headers }
}

t.test('a truncated file on the next deposit: stored as deposited, flagged by the validator, marked for the admin only, then followed by a correct one', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const set = await setFault(app, { code: 'truncated', departement: '77', deposit: 'flux' })
  await setFault(app, { code: 'duplicate-nir', departement: '77', deposit: 'flux' })
  t.equal(set.statusCode, 201, JSON.stringify(set.json()))
  t.match(set.json().fault, { code: 'truncated', family: 'deposit', deposit: 'flux', remaining: 1, hits: 0, setBy: 'admin', active: true })

  const { name } = await depositNow(app)
  const damaged = await download(app, name)
  t.equal(damaged.statusCode, 200)
  t.equal(damaged.headers.etag, `"${sha256(damaged.raw)}"`, 'its SHA-256 is that of the damaged bytes')
  const report = pecgmReport(damaged.raw)
  t.equal(report.valid, false, 'phebus-mock validate flags it')
  t.ok(report.codes.includes('PECGM_TRUNCATED') || report.codes.includes('PECGM_FOOTER_MISSING'), report.codes.join(' '))

  const asDepartement = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files.find((f: { name: string }) => f.name === name)
  t.notOk(JSON.stringify(asDepartement).includes('truncated'), 'the département is told nothing')
  t.same(Object.keys(asDepartement).sort(), ['createdAt', 'expiresAt', 'kind', 'name', 'periodicity', 'role', 'sha256', 'size'])
  const stored = app.storage.files.find('77', name)
  t.equal(stored?.damage, 'truncated')
  t.match(stored?.damageDetail, /enregistrement/)

  const faults = (await app.inject({ url: '/api/v1/admin/faults?departement=77', headers: AS.admin })).json().faults
  t.match(faults.find((f: { code: string }) => f.code === 'truncated'), { remaining: 0, hits: 1, active: false, liftedBy: 'used' }, 'spent: lifted by its use')
  t.match(faults.find((f: { code: string }) => f.code === 'duplicate-nir'), { remaining: 1, hits: 0, active: true }, 'a damage the empty flux cannot take waits for a deposit that can')

  const next = await depositNow(app)
  t.equal(next.deposited.length, 2, 'the correct version first, then the deposit asked for')
  const fixedName = next.deposited[0] as string
  t.equal(app.storage.files.find('77', name)?.repairedBy, fixedName)
  const fixed = await download(app, fixedName)
  t.same(pecgmReport(fixed.raw), { valid: true, codes: [] }, 'the correct version passes')
  t.equal(fixed.raw.subarray(0, 30).toString('latin1'), damaged.raw.subarray(0, 30).toString('latin1'), 'the same file (header) made again')
  t.same(pecgmReport((await download(app, next.name)).raw).valid, true)

  const trail = (await app.inject({ url: '/api/v1/admin/audit?kind=deposit', headers: AS.admin })).json().entries
  const entry = trail.find((e: { fileName: string }) => e.fileName === name)
  t.match(entry.detail, /endommagé par la panne n° 1 \(truncated\)/)
})

t.test('every damage code gives a file the validator flags, the same bytes for the same seed on every run', async (t) => {
  const codes = ['truncated', 'footer-count', 'header-missing', 'record-length', 'crlf-last-line', 'no-final-newline', 'utf8-name', 'c1-byte', 'unknown-code', 'invalid-date', 'duplicate-nir', 'empty']
  const runs: string[][] = []
  for (let run = 0; run < 2; run++) {
    const app = await testApp(t, { clock: frozen })
    const hashes: string[] = []
    for (const code of codes) {
      t.equal((await setFault(app, { code, departement: '77', deposit: 'any', seed: 42 })).statusCode, 201)
      const { name } = await depositNow(app, 'M')
      const bytes = (await download(app, name)).raw
      hashes.push(sha256(bytes))
      if (run === 0) t.equal(pecgmReport(bytes).valid, code === 'empty', `${code}: ${pecgmReport(bytes).codes.join(' ')}`)
    }
    runs.push(hashes)
    await app.close()
  }
  t.same(runs[1], runs[0], 'two runs, the same damaged bytes')
})

t.test('duplicate-file deposits the same bytes twice under two names; a named file gets a damaged copy now', async (t) => {
  const app = await testApp(t, { clock: frozen })
  await setFault(app, { code: 'duplicate-file', departement: '77', deposit: 'stock' })
  const made = await depositNow(app, 'M')
  t.equal(made.deposited.length, 2)
  const [a, b] = await Promise.all(made.deposited.map(async (n) => (await download(app, n)).raw))
  t.not(made.deposited[0], made.deposited[1])
  t.ok(a?.equals(b as Buffer), 'the same bytes')
  t.equal(app.storage.files.find('77', made.deposited[1] as string)?.damage, 'duplicate-file')

  const copy = await setFault(app, { code: 'footer-count', departement: '77', file: NOVEMBER })
  t.equal(copy.statusCode, 201)
  t.match(copy.json().fault, { active: false, hits: 1, target: `copie endommagée de ${NOVEMBER}` })
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files.map((f: { name: string }) => f.name)
  const copyName = files.filter((n: string) => n.startsWith('PECGM_77_M_20261101_20261102_')).sort().at(-1)
  t.ok(copyName, files.join(' '))
  t.ok(pecgmReport((await download(app, copyName)).raw).codes.includes('PECGM_FOOTER_COUNT'))
})

t.test('503 twice on downloads, with Retry-After; then the file; each traced with the fault', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const set = await setFault(app, { code: 'http-503', departement: '77', route: 'download', times: 2, retryAfterSeconds: 7 })
  t.equal(set.statusCode, 201)
  const list = await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  t.equal(list.statusCode, 200, 'the list is not a download')
  for (let i = 0; i < 2; i++) {
    const res = await app.inject({ url: `/api/v1/files/${NOVEMBER}`, headers: AS.dept77 })
    t.equal(res.statusCode, 503)
    t.equal(res.headers['retry-after'], '7')
    t.equal(res.json().code, 'PHEBUS_HTTP_UNAVAILABLE')
    t.notMatch(res.body, /panne|simul|fault/i, 'nothing says it is on purpose')
  }
  t.equal((await download(app, NOVEMBER)).statusCode, 200)
  t.equal((await app.inject({ url: `/api/v1/files/${NOVEMBER}`, headers: AS.dept93 })).statusCode, 404, 'another département is untouched')
  const entries = (await app.inject({ url: '/api/v1/admin/audit?departement=77&kind=request', headers: AS.admin })).json().entries
  const faulted = entries.filter((e: { faultId: number | null }) => e.faultId === set.json().fault.id)
  t.equal(faulted.length, 2, 'both 503s carry the fault\'s number')
  t.same(faulted.map((e: { status: number }) => e.status), [503, 503])
})

t.test('a share of the requests, seeded: the same requests fail on every run', async (t) => {
  const pattern = async (): Promise<number[]> => {
    const app = await testApp(t, { clock: frozen })
    await setFault(app, { code: 'http-500', departement: '77', route: 'list', times: null, share: 0.5, seed: 7 })
    const statuses: number[] = []
    for (let i = 0; i < 16; i++) statuses.push((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode)
    await app.close()
    return statuses
  }
  const first = await pattern()
  t.same(await pattern(), first)
  t.ok(first.includes(500) && first.includes(200), first.join(' '))
})

t.test('lifting a fault: it applies no more, and lifting it again is a 404', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const id = (await setFault(app, { code: 'http-502', departement: '77', times: null })).json().fault.id
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode, 502)
  const lift = await app.inject({ method: 'DELETE', url: `/api/v1/admin/faults/${id}`, headers: AS.admin })
  t.match(lift.json().fault, { active: false, liftedBy: 'admin' })
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode, 200)
  t.equal((await app.inject({ method: 'DELETE', url: `/api/v1/admin/faults/${id}`, headers: AS.admin })).statusCode, 404)
})

t.test('bad faults are refused in French, naming what is wrong; a département cannot see or set any', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const cases: [object, number, RegExp][] = [
    [{ code: 'meteor', departement: '77' }, 400, /code/],
    [{ code: 'truncated', departement: '13' }, 400, /n'a pas de compte/],
    [{ code: 'truncated', departement: '77', route: 'download' }, 400, /ne vise pas des requêtes/],
    [{ code: 'http-500', departement: '77', deposit: 'stock' }, 400, /ne vise pas des dépôts/],
    [{ code: 'delay', departement: '77', afterBytes: 3 }, 400, /ne s'applique pas/],
    [{ code: 'truncated', departement: '77', file: 'ABSENT.txt' }, 400, /n'est pas un PECGM déposé/],
    [{ code: 'truncated', departement: '77', share: 0.5 }, 400, /panne HTTP/]
  ]
  for (const [body, status, message] of cases) {
    const res = await setFault(app, body)
    t.equal(res.statusCode, status, JSON.stringify(body))
    t.match(res.json().message, message)
  }
  t.equal((await app.inject({ url: '/api/v1/admin/faults', headers: AS.dept77 })).statusCode, 404)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/faults', headers: AS.dept77, payload: { code: 'http-500', departement: '77' } })).statusCode, 404)
})

t.test('on the wire: a delay, a slow body, a reset after N bytes, a reset before any answer, over a real connection', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const base = new URL(await app.listen({ host: '127.0.0.1', port: 0 }))
  // a raw socket: what the client's kernel was given, and how the connection ended, without an HTTP client's own reading in between
  const get = async (path: string): Promise<{ status: number | null, bytes: number, error: string | null, ms: number }> => await new Promise((resolve) => {
    const started = performance.now()
    const chunks: Buffer[] = []
    let error: string | null = null
    const socket = connect(Number(base.port), base.hostname, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${base.host}\r\nAuthorization: ${AS.dept77.authorization}\r\nConnection: close\r\n\r\n`)
    })
    socket.on('data', (c: Buffer) => { chunks.push(c) })
    socket.on('error', (err: NodeJS.ErrnoException) => { error = err.code ?? err.message })
    socket.on('close', () => {
      const all = Buffer.concat(chunks)
      const end = all.indexOf('\r\n\r\n')
      const status = /^HTTP\/1\.1 ([0-9]{3})/.exec(all.toString('latin1', 0, 20))?.[1]
      resolve({ status: status === undefined ? null : Number(status), bytes: end < 0 ? 0 : all.length - end - 4, error, ms: performance.now() - started })
    })
  })
  const size = app.storage.files.find('77', NOVEMBER)?.size ?? 0

  await setFault(app, { code: 'delay', departement: '77', route: 'list', delayMs: 300 })
  const delayed = await get('/api/v1/files')
  t.equal(delayed.status, 200)
  t.ok(delayed.ms >= 290, `answered after the delay (${delayed.ms} ms)`)

  await setFault(app, { code: 'reset-after', departement: '77', route: 'download', afterBytes: 5000 })
  const cut = await get(`/api/v1/files/${NOVEMBER}`)
  t.equal(cut.status, 200)
  t.equal(cut.bytes, 5000, 'exactly the bytes before the reset')
  t.ok(cut.error !== null, `the connection breaks (${String(cut.error)})`)

  await setFault(app, { code: 'slow-body', departement: '77', route: 'download', bytesPerSecond: Math.ceil(size / 0.4) })
  const slow = await get(`/api/v1/files/${NOVEMBER}`)
  t.same([slow.status, slow.bytes, slow.error], [200, size, null], 'all of it, slowly')
  t.ok(slow.ms >= 300, `${slow.ms} ms`)

  await setFault(app, { code: 'reset-after', departement: '77', route: 'list', afterBytes: 10 })
  const cutJson = await get('/api/v1/files')
  t.equal(cutJson.bytes, 10)
  t.ok(cutJson.error !== null)

  await setFault(app, { code: 'reset', departement: '77', route: 'any' })
  const reset = await get('/api/v1/files')
  t.equal(reset.status, null)
  t.equal(reset.error, 'ECONNRESET')

  t.equal((await get(`/api/v1/files/${NOVEMBER}`)).bytes, size, 'no fault left: the whole file')
  const entries = (await app.inject({ url: '/api/v1/admin/audit?departement=77&kind=request', headers: AS.admin })).json().entries
  t.equal(entries.filter((e: { faultId: number | null }) => e.faultId !== null).length, 5, 'each faulted request traced with its fault')
})

t.test('a scenario\'s faults run from the start: the same damaged stock and the same failures on every run; a restart does not bring them back', async (t) => {
  const dir = t.testdir()
  const scenarioPath = join(dir, 'pannes.yaml')
  writeFileSync(scenarioPath, `${readFileSync(DEMO, 'utf8')}
faults:
  - { code: truncated, departement: '77', deposit: stock, seed: 3 }
  - { code: http-503, departement: '77', route: download, times: 2 }
`)
  const run = async (dataDir: string): Promise<{ sha: string, statuses: number[] }> => {
    const app = await testApp(t, { clock: frozen, scenarioPath, dataDir })
    const statuses: number[] = []
    for (let i = 0; i < 3; i++) statuses.push((await app.inject({ url: `/api/v1/files/${NOVEMBER}`, headers: AS.dept77 })).statusCode)
    const sha = app.storage.files.find('77', NOVEMBER)?.sha256 ?? ''
    await app.close()
    return { sha, statuses }
  }
  const a = await run(join(dir, 'a'))
  const b = await run(join(dir, 'b'))
  t.same(a.statuses, [503, 503, 200])
  t.same(b, a, 'the same bytes and the same failures')
  const again = await run(join(dir, 'a'))
  t.same(again.statuses, [200, 200, 200], 'spent faults stay spent after a restart')
})

t.test('a faulted exchange never counts against a qualification, and its evidence says a fault was in play', async (t) => {
  const app = await testApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const id = (await setFault(app, { code: 'http-503', departement: '77', route: 'upload' })).json().fault.id
  const refused = await app.inject({ method: 'POST', url: '/api/v1/files?name=sous-panne.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77', 5) })
  t.equal(refused.statusCode, 503)
  const state = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
  const accepted = state.checks.find((c: { id: string }) => c.id === 'cgpem-accepte')
  t.equal(accepted.status, 'todo', 'the refused upload is not a rejected CGPEM')
  for (const c of state.checks) t.ok(c.evidence.some((e: { what: string }) => e.what.includes(`panne n° ${id}`)), `${c.id as string}: the fault is in its evidence`)
})

t.test('a fault\'s times is a count from 1, or null: 0, false and "" are refused, not read as « until lifted »', async (t) => {
  const app = await testApp(t, { clock: frozen })
  for (const times of [0, false, '', -1, 'deux']) {
    const res = await setFault(app, { code: 'http-503', departement: '77', times })
    t.equal(res.statusCode, 400, `times ${JSON.stringify(times)}: ${JSON.stringify(res.json())}`)
  }
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode, 200, 'no fault was set')
  t.match((await setFault(app, { code: 'http-503', departement: '77', times: null })).json(), { fault: { remaining: null } })
})

t.test('a scenario\'s spent faults stay spent after a restart however many faults the admin set since', async (t) => {
  const dir = t.testdir()
  const scenarioPath = join(dir, 'pannes.yaml')
  writeFileSync(scenarioPath, `${readFileSync(DEMO, 'utf8')}
faults:
  - { code: http-503, departement: '77', route: download, times: 1 }
`)
  const dataDir = join(dir, 'data')
  const first = await testApp(t, { clock: frozen, scenarioPath, dataDir })
  t.equal((await first.inject({ url: `/api/v1/files/${NOVEMBER}`, headers: AS.dept77 })).statusCode, 503, 'the scenario\'s fault, spent')
  // a long-lived data folder: a CI that sets a fault per job, lifted after it
  for (let i = 0; i < 500; i++) {
    const set = await first.faults.create({ code: 'delay', departement: '93', route: 'list', delayMs: 0 }, 'admin')
    first.faults.lift(set.id, 'admin')
  }
  await first.close()
  const second = await testApp(t, { clock: frozen, scenarioPath, dataDir })
  t.equal((await second.inject({ url: `/api/v1/files/${NOVEMBER}`, headers: AS.dept77 })).statusCode, 200, 'not set again')
  t.equal(second.faults.list({ active: true }).faults.length, 0)
})

t.test('an HTTP fault on the uploads of one file applies to a multipart upload of that name too, and to no other', async (t) => {
  const app = await testApp(t)
  const cgpem = await validCgpem('77', 5)
  const upload = async (name: string): Promise<{ statusCode: number, headers: Record<string, unknown> }> => {
    const form = multipart(name, cgpem)
    return await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...form.headers }, payload: form.payload })
  }
  const id = (await setFault(app, { code: 'http-503', departement: '77', route: 'upload', file: 'cible.xml', retryAfterSeconds: 7 })).json().fault.id
  const other = await upload('autre.xml')
  t.equal(other.statusCode, 201, `another name goes through: ${JSON.stringify(other.headers)}`)
  const refused = await upload('cible.xml')
  t.equal(refused.statusCode, 503, 'the named one meets the fault')
  t.equal(refused.headers['retry-after'], '7')
  t.equal(app.storage.files.find('77', 'cible.xml'), null, 'nothing kept')
  t.match(app.faults.find(id), { active: false, hits: 1, liftedBy: 'used' })
  t.equal((await upload('cible.xml')).statusCode, 201, 'spent: the next one goes through')
  // a page's upload (the form of /envoi) is a multipart upload too: a reset there cuts the connection
  await setFault(app, { code: 'reset', departement: '77', route: 'any', file: 'coupe.xml' })
  const { port } = await listenOnLoopback(app)
  const form = multipart('coupe.xml', cgpem)
  const error = await new Promise<string | null>((resolve) => {
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /api/v1/files HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\nContent-Type: ${form.headers['content-type'] ?? ''}\r\nContent-Length: ${form.payload.length}\r\n\r\n`)
      socket.write(form.payload)
    })
    let seen: string | null = null
    socket.on('data', () => {})
    socket.on('error', (err: NodeJS.ErrnoException) => { seen = err.code ?? err.message })
    socket.on('close', () => { resolve(seen) })
  })
  t.equal(error, 'ECONNRESET', 'reset, no answer')
  t.equal(app.storage.files.find('77', 'coupe.xml'), null)
})

t.test('a fault on the list of files names no file: list with file is refused, since it could never apply', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const res = await setFault(app, { code: 'http-500', departement: '77', route: 'list', file: NOVEMBER })
  t.equal(res.statusCode, 400)
  t.match(res.json(), { code: 'PHEBUS_FAULT_INVALID', message: /liste des fichiers ne nomme aucun fichier/ })
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).statusCode, 200)
})

t.test('a damage set for one deposit damages one, even when two deposits are asked at once; two repairs at once deposit one correct version', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const id = (await setFault(app, { code: 'footer-count', departement: '77', deposit: 'any' })).json().fault.id
  const made = await Promise.all([depositNow(app, 'M'), depositNow(app, 'Q')])
  const damaged = made.map((m) => app.storage.files.find('77', m.name)).filter((f) => f?.damage != null)
  t.equal(damaged.length, 1, `one deposit damaged: ${made.map((m) => m.name).join(', ')}`)
  t.match(app.faults.find(id), { active: false, hits: 1, remaining: 0 })

  await setFault(app, { code: 'footer-count', departement: '77', deposit: 'any' })
  const third = await depositNow(app, 'Q')
  t.not(app.storage.files.find('77', third.name)?.damage, null)
  const repairs = await Promise.all([0, 1].map(async () => (await app.inject({ method: 'POST', url: '/api/v1/admin/repairs', headers: AS.admin, payload: { departement: '77' } })).json().deposited))
  t.equal(repairs.flat().length, 1, `one correct version: ${JSON.stringify(repairs)}`)
})

t.test('a damage on a file already deposited whose copy cannot be deposited (a full disk) is lifted, said why, never left active for good', async (t) => {
  const app = await testApp(t, { clock: frozen })
  diskFull(app, true)
  const res = await setFault(app, { code: 'truncated', departement: '77', file: NOVEMBER })
  t.equal(res.statusCode, 507, 'the full disk, as it is')
  const faults = (await app.inject({ url: '/api/v1/admin/faults?departement=77', headers: AS.admin })).json().faults as { active: boolean, liftedBy: string | null }[]
  t.equal(faults.length, 1)
  t.match(faults[0], { active: false, liftedBy: /la copie endommagée n'ayant pas pu être déposée/ })
})

t.test('a fault on a download\'s body (slow-body, reset-after) is kept for a request that has one: a HEAD or a 304 leaves it unspent', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const set = await setFault(app, { code: 'reset-after', departement: '77', route: 'download', afterBytes: 100, times: 1 })
  t.equal(set.statusCode, 201)
  const id = set.json().fault.id as number
  const sha = app.storage.files.find('77', NOVEMBER)?.sha256 ?? ''
  const head = await app.inject({ method: 'HEAD', url: `/api/v1/files/${NOVEMBER}`, headers: AS.dept77 })
  t.equal(head.statusCode, 200)
  const unchanged = await app.inject({ url: `/api/v1/files/${NOVEMBER}`, headers: { ...AS.dept77, 'if-none-match': `"${sha}"` } })
  t.equal(unchanged.statusCode, 304)
  t.match(app.faults.find(id), { active: true, hits: 0 }, 'neither spent it: nothing to cut')
  // a download with a body is cut (the injected answer then fails), and spends it
  await app.inject({ url: `/api/v1/files/${NOVEMBER}`, headers: { ...AS.dept77, 'if-none-match': '"autre"' } }).catch(() => null)
  t.match(app.faults.find(id), { active: false, hits: 1 }, 'a download with a body spends it')
})

t.test('the list of faults comes in pages: every active one first, then the lifted ones newest first from a cursor, to the last', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const ids: number[] = []
  for (let i = 0; i < 9; i++) ids.push((await app.faults.create({ code: 'delay', departement: i % 3 === 0 ? '93' : '77', route: 'list', delayMs: 0 }, 'admin')).id)
  // lifted: all but the first and the fifth (the two active ones, set before most of the lifted)
  for (const id of ids.filter((_, i) => i !== 0 && i !== 4)) app.faults.lift(id, 'admin')
  const list = async (query: string): Promise<{ faults: { id: number, active: boolean }[], next: number | null }> => {
    const res = await app.inject({ url: `/api/v1/admin/faults${query}`, headers: AS.admin })
    t.equal(res.statusCode, 200, query)
    return res.json()
  }
  const first = await list('?limit=3')
  t.same(first.faults.map((f) => f.id), [ids[4], ids[0], ids[8], ids[7], ids[6]], 'the active ones, then three lifted, each newest first')
  t.equal(first.next, ids[6])
  const second = await list(`?limit=3&before=${first.next ?? 0}`)
  t.same(second.faults.map((f) => f.id), [ids[5], ids[3], ids[2]], 'the next lifted ones, no active one again')
  const last = await list(`?limit=3&before=${second.next ?? 0}`)
  t.same(last.faults.map((f) => f.id), [ids[1]])
  t.equal(last.next, null, 'the last page says so')
  t.same((await list('?active=true&limit=1')).faults.map((f) => f.id), [ids[4], ids[0]], 'active only: all of them, whatever the limit')
  t.same((await list('?active=false&limit=2')).faults.map((f) => f.id), [ids[8], ids[7]], 'lifted only')
  const of77 = await list('?departement=77&limit=2')
  t.same(of77.faults.map((f) => f.id), [ids[4], ids[8], ids[7]], 'one département\'s')
  t.same((await list(`?departement=77&limit=2&before=${of77.next ?? 0}`)).faults.map((f) => f.id), [ids[5], ids[2]])
  t.same((await list('')).faults.length, 9, 'without a limit: 500 lifted a page')
  const bad = await app.inject({ url: '/api/v1/admin/faults?limit=501', headers: AS.admin })
  t.equal(bad.statusCode, 400, 'a page of 500 at most')
})

t.test('a département has 100 active faults at most: the next is refused in French until one is lifted', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const { MAX_ACTIVE_FAULTS } = await import('../../src/server/services/faults.js')
  let last = 0
  for (let i = 0; i < MAX_ACTIVE_FAULTS; i++) last = (await app.faults.create({ code: 'delay', departement: '77', route: 'list', delayMs: 0 }, 'admin')).id
  const refused = await setFault(app, { code: 'http-500', departement: '77', route: 'download', times: 1 })
  t.equal(refused.statusCode, 400)
  t.match(refused.json(), { code: 'PHEBUS_FAULT_INVALID', message: /a déjà 100 pannes actives.*levez-en/ })
  t.equal((await setFault(app, { code: 'http-500', departement: '93', route: 'download', times: 1 })).statusCode, 201, 'another département is not held back')
  app.faults.lift(last, 'admin')
  t.equal((await setFault(app, { code: 'http-500', departement: '77', route: 'download', times: 1 })).statusCode, 201, 'one lifted: room for one')
})
