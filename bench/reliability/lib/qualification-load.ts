import autocannon from 'autocannon'
import { execFile } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { Agent } from 'node:http'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { parseDocument } from 'yaml'
import type { Violation } from '../group.js'
import { DEMO_SCENARIO } from './cgpem.js'
import { inspectDataDir } from './data-dir.js'
import { basicAuth, json, send } from './http.js'
import { latencyDuring, startProber, type Phase, type PhaseLatency, type Prober } from './livez.js'
import { cliCommand, loggedErrors, startServer, stopServer } from './spawn.js'
import { spread, timed, type Spread } from './stats.js'

/**
 * A département qualified (`phebus-mock qualify`), then a server made to
 * work: a hundred thousand authenticated listings, two thousand accepted
 * uploads by the same département. Its qualification is read before and
 * after (state and PDF bilan, timed as the client waits), while a prober in
 * a process of its own asks /livez every few milliseconds: how long the
 * event loop keeps a request waiting, phase by phase.
 */

export interface QualificationLoadOptions {
  workDir: string
  requests: number
  /** keep-alive connections of the listings (autocannon, in this process) */
  connections: number
  uploads: number
  /** uploads at once, under the per-département limit */
  uploaders: number
  /** GET /api/v1/qualification, then the PDF bilan, each time it is read */
  stateReads: number
  pdfReads: number
  probeEveryMs: number
  /** a probe waiting longer than this is counted (the target) */
  blockedMs: number
  /** files the département may keep: more than the uploads */
  quotaFiles: number
  log: (line: string) => void
}

export interface Reads {
  verdict: string
  seal: string
  state: Spread
  pdf: Spread
}

export interface QualificationLoadOutcome {
  qualifyMs: number
  cgpem: { name: string, size: number }
  before: Reads
  after: Reads
  requests: { done: number, seconds: number, non2xx: number, errors: number, p50: number, p99: number }
  uploads: { accepted: number, busy: number, seconds: number, spread: Spread }
  livez: PhaseLatency[]
  probeFailures: number
  trailEntries: number
  violations: Violation[]
}

const DEPARTEMENT = '77'
const AUTH = basicAuth(`dept${DEPARTEMENT}`, `demo-${DEPARTEMENT}`)

/** scenarios/demo.yaml with room for more uploads kept than the default 1000. */
function writeScenario (dir: string, uploadedFiles: number): string {
  const doc = parseDocument(readFileSync(DEMO_SCENARIO, 'utf8'))
  doc.set('quotas', doc.createNode({ uploadedFiles }))
  const path = join(dir, `demo-quota-${uploadedFiles}.yaml`)
  writeFileSync(path, doc.toString())
  return path
}

function qualify (url: string): Promise<{ code: number, stdout: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, cliCommand(['qualify', '--url', url, '--user', `dept${DEPARTEMENT}`, '--password', `demo-${DEPARTEMENT}`]), (err, stdout) => {
      resolve({ code: err === null ? 0 : typeof err.code === 'number' ? err.code : 2, stdout })
    })
  })
}

async function readQualification (url: string, o: QualificationLoadOptions, agent: Agent, when: string, violations: Violation[]): Promise<Reads> {
  const state: number[] = []
  const pdf: number[] = []
  let verdict = ''
  for (let i = 0; i < o.stateReads; i++) {
    const r = await timed(async () => await send(`${url}/api/v1/qualification`, { headers: { authorization: AUTH }, agent }))
    if (r.value.status !== 200) violations.push({ invariant: 'lecture de la qualification', detail: `${when} : GET /api/v1/qualification ${r.value.status}` })
    else verdict = json<{ verdict: string }>(r.value).verdict
    state.push(r.ms)
  }
  for (let i = 0; i < o.pdfReads; i++) {
    const r = await timed(async () => await send(`${url}/api/v1/qualification/bilan`, { headers: { authorization: AUTH, accept: 'application/pdf' }, agent }))
    const ok = r.value.status === 200 && String(r.value.headers['content-type']).startsWith('application/pdf') && r.value.body.subarray(0, 5).toString('latin1') === '%PDF-'
    if (!ok) violations.push({ invariant: 'lecture de la qualification', detail: `${when} : bilan PDF ${r.value.status} ${String(r.value.headers['content-type'])} ${r.value.body.subarray(0, 120).toString('latin1')}` })
    pdf.push(r.ms)
  }
  const bilan = await send(`${url}/api/v1/qualification/bilan`, { headers: { authorization: AUTH }, agent })
  const seal = bilan.status === 200 ? json<{ seal: string }>(bilan).seal : `statut ${bilan.status}`
  return { verdict, seal, state: spread(state), pdf: spread(pdf) }
}

/** `count` uploads of the same CGPEM under new names, `uploaders` at a time; a 503 waits its Retry-After and tries again. */
async function uploadMany (url: string, body: Buffer, o: QualificationLoadOptions, violations: Violation[]): Promise<QualificationLoadOutcome['uploads']> {
  const agent = new Agent({ keepAlive: true, maxSockets: o.uploaders })
  const times: number[] = []
  let next = 0
  let busy = 0
  const started = Date.now()
  const worker = async (): Promise<void> => {
    while (next < o.uploads) {
      const name = `fiabilite-qualification-${next++}.xml`
      for (;;) {
        const r = await timed(async () => await send(`${url}/api/v1/files?name=${name}`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'application/xml' }, body, agent }))
        if (r.value.status === 503) {
          busy++
          await new Promise((resolve) => setTimeout(resolve, Number(r.value.headers['retry-after'] ?? 1) * 1000))
          continue
        }
        if (r.value.status === 201) times.push(r.ms)
        else violations.push({ invariant: 'envoi refusé', detail: `${name} : ${r.value.status} ${r.value.body.subarray(0, 200).toString('utf8')}` })
        break
      }
      if (times.length % 500 === 0 && times.length > 0) o.log(`qualification : ${times.length} envois acceptés`)
    }
  }
  await Promise.all(Array.from({ length: o.uploaders }, worker))
  agent.destroy()
  return { accepted: times.length, busy, seconds: (Date.now() - started) / 1000, spread: spread(times) }
}

export async function runQualificationLoad (o: QualificationLoadOptions): Promise<QualificationLoadOutcome> {
  const dataDir = join(o.workDir, 'data')
  const server = await startServer({ dataDir, scenario: writeScenario(o.workDir, o.quotaFiles) })
  const violations: Violation[] = []
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const phases: Phase[] = []
  const phase = async <T>(name: string, work: () => Promise<T>): Promise<T> => {
    const from = Date.now()
    try {
      return await work()
    } finally {
      phases.push({ name, from, to: Date.now() })
    }
  }
  let outcome: Omit<QualificationLoadOutcome, 'livez' | 'probeFailures' | 'trailEntries' | 'violations'>
  let livez: PhaseLatency[] = []
  let probeFailures = 0
  let prober: Prober | null = null
  try {
    const q = await timed(async () => await qualify(server.url))
    if (q.value.code !== 0) throw new Error(`phebus-mock qualify a rendu le code ${q.value.code} : ${q.value.stdout.slice(-800)}`)
    const listed = json<{ files: { name: string, kind: string, size: number }[] }>(await send(`${server.url}/api/v1/files`, { headers: { authorization: AUTH }, agent }))
    const cgpem = listed.files.filter((f) => f.kind === 'CGPEM').sort((a, b) => a.name.localeCompare(b.name)).at(-1)
    if (cgpem === undefined) throw new Error('aucun CGPEM de qualify dans la liste de 77')
    const body = (await send(`${server.url}/api/v1/files/${cgpem.name}`, { headers: { authorization: AUTH }, agent })).body

    prober = await startProber(server.url, o.probeEveryMs)
    await phase('repos', async () => await new Promise((resolve) => setTimeout(resolve, 2000)))
    const before = await phase('lectures avant', async () => await readQualification(server.url, o, agent, 'avant la charge', violations))
    o.log(`qualification : verdict ${before.verdict}, lectures avant : médiane ${before.state.p50.toFixed(1)} ms, PDF ${before.pdf.p50.toFixed(1)} ms`)
    const requests = await phase('requêtes', async () => {
      const r = await autocannon({ url: `${server.url}/api/v1/files`, connections: o.connections, amount: o.requests, headers: { authorization: AUTH } })
      return { done: r['2xx'], seconds: r.duration, non2xx: r.non2xx, errors: r.errors, p50: r.latency.p50, p99: r.latency.p99 }
    })
    if (requests.non2xx > 0 || requests.errors > 0 || requests.done !== o.requests) violations.push({ invariant: 'requêtes en échec', detail: `GET /api/v1/files : ${requests.done} 2xx sur ${o.requests}, ${requests.non2xx} autres statuts, ${requests.errors} erreurs` })
    o.log(`qualification : ${requests.done} requêtes en ${requests.seconds.toFixed(0)} s`)
    const uploads = await phase('envois', async () => await uploadMany(server.url, body, o, violations))
    const after = await phase('lectures après', async () => await readQualification(server.url, o, agent, 'après la charge', violations))
    const record = await prober.stop()
    prober = null
    livez = phases.map((p) => latencyDuring(record, p, o.blockedMs))
    probeFailures = record.failures.length
    for (const f of record.failures.slice(0, 5)) violations.push({ invariant: '/livez sans réponse', detail: `à ${new Date(f.at).toISOString()} : ${f.error}` })
    if (before.verdict !== 'positif' || after.verdict !== 'positif') violations.push({ invariant: 'verdict', detail: `avant la charge « ${before.verdict} », après « ${after.verdict} » : positif attendu` })
    if (before.seal !== after.seal) violations.push({ invariant: 'sceau du bilan', detail: `avant la charge ${before.seal}, après ${after.seal}` })
    outcome = { qualifyMs: q.ms, cgpem: { name: cgpem.name, size: body.length }, before, after, requests, uploads }
  } finally {
    agent.destroy()
    await prober?.stop()
    const code = await stopServer(server)
    for (const e of loggedErrors(server)) violations.push({ invariant: 'erreur interne journalisée', detail: e })
    if (code !== 0) violations.push({ invariant: 'arrêt propre', detail: `code de sortie ${String(code)} après SIGTERM ; ${server.stderr().slice(-300)}` })
  }
  for (const p of inspectDataDir(dataDir, { tmpMustBeEmpty: true }).problems) violations.push({ invariant: 'dossier de données', detail: p })
  const db = new Database(join(dataDir, 'phebus.sqlite'), { readonly: true, fileMustExist: true })
  const trailEntries = db.prepare<[], number>('SELECT count(*) FROM audit').pluck().get() ?? 0
  db.close()
  return { ...outcome, livez, probeFailures, trailEntries, violations }
}
