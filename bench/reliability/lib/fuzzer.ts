import { createHash } from 'node:crypto'
import { demoPassword, demoScenario, DEMO_DEPARTEMENTS, validCgpem } from './cgpem.js'
import { inspectDataDir } from './data-dir.js'
import type { Violation } from '../group.js'
import { basicAuth, json, rawExchange, send, type Answer, type RawOutcome } from './http.js'
import { CONTENT_MUTATIONS, NAME_MUTATIONS } from './mutator.js'
import { Seeded } from './seeded.js'
import { loggedErrors, RELIABILITY_ADMIN_PASSWORD, RssSampler, startServer, stopServer } from './spawn.js'
import { buildUpload, type WireCase } from './wire.js'

/**
 * Fuzzed uploads against one server process: seeded mutations of valid
 * CGPEMs (bytes, names, framing, transport), several clients at once. The
 * invariants: no 5xx but the documented 503 and 507; every answer JSON with
 * a `code`, or an upload's 201/422; every file kept is the bytes sent, and
 * listed exactly when an answer said so; the server's memory bounded; once
 * it is stopped, a data folder where database and disk agree, tmp/ empty,
 * SQLite intact.
 */

export interface FuzzOptions {
  dataDir: string
  seed: number
  uploads: number
  concurrency: number
  /** share of uploads made from a large CGPEM (a few MB) */
  largeShare: number
  /** départements created by the admin besides the scenario's: more room under the per-département quotas */
  extraDepartements: number
  /** the server's --idle-timeout, seconds: a client that goes silent is cut after it */
  idleTimeout: number
  log?: (line: string) => void
}

export interface FuzzOutcome {
  uploads: number
  byStatus: Map<number, number>
  /** connections that got no answer (the client cut them, or went silent) */
  unanswered: number
  /** clean uploads (no mutation), each of which must be accepted */
  controls: { sent: number, accepted: number }
  /** uploads answered 201 or 422 */
  kept: number
  peakRssMiB: number
  idleRssMiB: number
  seconds: number
  violations: Violation[]
}

export interface Account { user: string, authorization: string }

export interface Sent {
  index: number
  account: Account
  name: string
  mutations: string[]
  wire: WireCase
  control: boolean
  /** answers received */
  answers: number
}

const ACCEPTABLE_5XX = new Set([503, 507])

/** The broken invariant of one answer, or null. */
export function judgeAnswer (a: Answer): { invariant: string, detail: string } | null {
  const head = a.body.subarray(0, 120).toString('latin1')
  if (a.status >= 500 && !ACCEPTABLE_5XX.has(a.status)) return { invariant: 'réponse 5xx', detail: `statut ${a.status} : ${head}` }
  let body: { code?: unknown, file?: unknown, report?: unknown, message?: unknown }
  try {
    body = JSON.parse(a.body.toString('utf8')) as typeof body
  } catch {
    return { invariant: 'réponse non JSON', detail: `statut ${a.status} : ${head}` }
  }
  if ((a.status === 201 || a.status === 422) && typeof body.file === 'object' && typeof body.report === 'object') return null
  if (typeof body?.code === 'string') return null
  // Fastify's own answer to what the HTTP parser refuses (clientError): no route ran
  const protocol = (a.status === 400 && body?.message === 'Client Error') || a.status === 431 || a.status === 408
  return { invariant: protocol ? 'réponse sans code (erreur de protocole HTTP)' : 'réponse sans code', detail: `statut ${a.status} : ${head}` }
}

/** The seed of upload i: a hash of the run's seed and i, so that upload i is the same whatever the workers' timing. */
function caseSeed (seed: number, i: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ i
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d)
  return (h ^ (h >>> 15)) >>> 0
}

function sha256 (b: Buffer): string {
  return createHash('sha256').update(b).digest('hex')
}

export async function createAccounts (url: string, extra: number): Promise<Account[]> {
  const accounts: Account[] = DEMO_DEPARTEMENTS.map((d) => ({ user: `dept${d}`, authorization: basicAuth(`dept${d}`, demoPassword(d)) }))
  const admin = basicAuth('admin', RELIABILITY_ADMIN_PASSWORD)
  for (let i = 1; i <= extra; i++) {
    const code = String(i).padStart(2, '0')
    const res = await send(`${url}/api/v1/admin/departements`, { method: 'POST', headers: { authorization: admin, 'content-type': 'application/json' }, body: JSON.stringify({ code, name: `Fuzz ${code}` }) })
    if (res.status !== 201) throw new Error(`création du département ${code} : ${res.status} ${res.body.toString()}`)
    accounts.push({ user: `dept${code}`, authorization: basicAuth(`dept${code}`, json<{ password: string }>(res).password) })
  }
  return accounts
}

/** Upload i: a base CGPEM, its mutations, its name, its framing; all drawn from the case's own seed. */
export function drawCase (o: FuzzOptions, i: number, accounts: Account[], bases: Buffer[], large: Buffer | null, host: string): Sent {
  const w = new Seeded(caseSeed(o.seed, i))
  const account = w.pick(accounts)
  const control = w.chance(0.05)
  let content = large !== null && w.chance(o.largeShare) ? large : w.pick(bases)
  const mutations: string[] = []
  if (!control && w.chance(0.7)) {
    for (let n = w.between(1, 3); n > 0; n--) {
      const m = w.pick(CONTENT_MUTATIONS)
      content = m.apply(w, content)
      mutations.push(m.name)
    }
  }
  let name = `fz-${o.seed}-${i}.xml`
  if (!control && i > 0 && w.chance(0.08)) {
    name = `fz-${o.seed}-${w.int(i)}.xml`
    mutations.push('nom peut-être déjà pris')
  } else if (!control && w.chance(0.12)) {
    const m = w.pick(NAME_MUTATIONS)
    name = m.apply(w, name)
    mutations.push(m.name)
  }
  const wire = buildUpload(w, { content, name, authorization: account.authorization, host, allowSilent: true, clean: control })
  return { index: i, account, name, mutations: [...mutations, ...wire.mutations], wire, control, answers: 0 }
}

/** Bytes after a complete request on a kept-alive connection: the server parses them as a next request. */
function pipelined (s: Sent): boolean {
  return s.wire.mutations.includes('Content-Length trop court') || s.wire.mutations.includes('sans longueur')
}

/**
 * What each département lists is exactly what answers said was kept, with
 * the same SHA-256. A file kept without its 201/422 is a defect, unless its
 * upload was complete and its answer lost in a reset.
 */
async function compareLists (url: string, accounts: Account[], kept: Map<string, string>, senders: Map<string, Sent[]>): Promise<Violation[]> {
  const out: Violation[] = []
  for (const account of accounts) {
    const res = await send(`${url}/api/v1/files`, { headers: { authorization: account.authorization } })
    const listed = json<{ files: { name: string, kind: string, sha256: string }[] }>(res).files.filter((f) => f.kind === 'CGPEM')
    for (const f of listed) {
      const key = `${account.user}/${f.name}`
      const said = kept.get(key)
      if (said !== undefined) {
        if (said !== f.sha256) out.push({ invariant: 'liste et réponses en désaccord', detail: `${key} : listé avec un autre SHA-256 que celui de sa réponse` })
        continue
      }
      const by = senders.get(key) ?? []
      const detail = `${key} : listé, mais aucune réponse 201/422 ne l'a annoncé (envoi(s) ${by.map((s) => `${s.index} : ${s.mutations.join(' + ')}`).join(' ; ')})`
      // a complete upload whose answer was lost in a reset: kept, rightly
      if (by.some((s) => s.wire.mustAnswer && s.answers === 0)) continue
      const invariant = by.some(pipelined)
        ? 'envoi gardé, réponse de protocole à sa place'
        : by.every((s) => !s.wire.mustAnswer) ? 'envoi incomplet gardé' : 'liste et réponses en désaccord'
      out.push({ invariant, detail })
    }
    const names = new Set(listed.map((f) => f.name))
    for (const key of kept.keys()) {
      const [user, name] = key.split('/') as [string, string]
      if (user === account.user && !names.has(name)) out.push({ invariant: 'liste et réponses en désaccord', detail: `${key} : annoncé gardé (201/422) mais absent de la liste` })
    }
  }
  return out
}

/**
 * Once the storm is over (and the silent connections cut), every
 * département can still send: nothing it began holds a slot or a name for
 * ever. 507 is fair (its quota may be full), 503 is not.
 */
async function stillServing (url: string, accounts: Account[], body: Buffer, o: FuzzOptions): Promise<Violation[]> {
  await new Promise((resolve) => setTimeout(resolve, (o.idleTimeout + 1) * 1000))
  const out: Violation[] = []
  for (const a of accounts) {
    const res = await send(`${url}/api/v1/files?name=apres-${o.seed}.xml`, { method: 'POST', headers: { authorization: a.authorization, 'content-type': 'application/octet-stream' }, body })
    if (res.status !== 201 && res.status !== 507) out.push({ invariant: 'capacité perdue après le fuzz', detail: `${a.user} : un CGPEM valide envoyé seul après la fin reçoit ${res.status} ${res.body.subarray(0, 160).toString('latin1')}` })
  }
  return out
}

export async function runFuzz (o: FuzzOptions): Promise<FuzzOutcome> {
  const started = Date.now()
  const scenario = await demoScenario()
  const bases = [validCgpem(scenario, '77', 5), validCgpem(scenario, '93', 20), validCgpem(scenario, '971', 12, 'fixed'), validCgpem(scenario, '77', 40)]
  const large = o.largeShare > 0 ? validCgpem(scenario, '93', 4000) : null
  const server = await startServer({ dataDir: o.dataDir, args: ['--idle-timeout', String(o.idleTimeout)] })
  const memory = new RssSampler(server.pid)
  const violations: Violation[] = []
  const byStatus = new Map<number, number>()
  /** "user/name" → the SHA-256 an answer said was kept */
  const kept = new Map<string, string>()
  /** "user/name" → the uploads that sent that name */
  const senders = new Map<string, Sent[]>()
  let unanswered = 0
  let peak = 0
  let exitCode: number | null = null
  const controls = { sent: 0, accepted: 0 }

  const judge = (s: Sent, outcome: RawOutcome): void => {
    const what = `envoi ${s.index} (graine ${o.seed}, ${s.account.user}, ${s.mutations.join(' + ') || 'témoin'})`
    if (outcome.responses.length === 0) {
      unanswered++
      if (s.wire.mustAnswer && outcome.ended !== 'reset') violations.push({ invariant: 'réponse manquante', detail: `${what} : connexion ${outcome.ended} sans réponse` })
    }
    for (const [k, a] of outcome.responses.entries()) {
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1)
      const wrong = judgeAnswer(a)
      if (wrong !== null) violations.push({ invariant: wrong.invariant, detail: `${what}, réponse ${k + 1} : ${wrong.detail}` })
      if (k > 0 || (a.status !== 201 && a.status !== 422) || wrong !== null) continue
      const file = json<{ file: { name: string, sha256: string, size: number } }>(a).file
      kept.set(`${s.account.user}/${file.name}`, file.sha256)
      if (s.wire.expected !== null && file.sha256 !== sha256(s.wire.expected)) {
        violations.push({ invariant: 'fichier gardé différent de l\'envoi', detail: `${what} : ${file.size} octets gardés, ${s.wire.expected.length} envoyés, SHA-256 différents` })
      }
    }
    if (s.control) {
      const first = outcome.responses[0]
      if (first?.status === 201) controls.accepted++
      else if (!ACCEPTABLE_5XX.has(first?.status ?? 0)) violations.push({ invariant: 'témoin refusé', detail: `${what} : un CGPEM valide, bien envoyé, reçoit ${first?.status ?? 'aucune réponse'} ${first?.body.subarray(0, 120).toString('latin1') ?? ''}` })
    }
  }

  try {
    const accounts = await createAccounts(server.url, o.extraDepartements)
    const host = new URL(server.url).host
    let next = 0
    const worker = async (): Promise<void> => {
      for (let i = next++; i < o.uploads; i = next++) {
        const s = drawCase(o, i, accounts, bases, large, host)
        if (s.control) controls.sent++
        const outcome = await rawExchange(server.url, s.wire.segments, { ending: s.wire.ending, quietMs: (o.idleTimeout + 3) * 1000 })
        const key = `${s.account.user}/${s.name}`
        senders.set(key, [...(senders.get(key) ?? []), s])
        s.answers = outcome.responses.length
        judge(s, outcome)
        if (i % 1000 === 999) o.log?.(`fuzz : ${i + 1} envois, pic mémoire ${(memory.peakKiB / 1024).toFixed(0)} Mo`)
      }
    }
    await Promise.all(Array.from({ length: o.concurrency }, worker))
    violations.push(...await compareLists(server.url, accounts, kept, senders))
    violations.push(...await stillServing(server.url, accounts, bases[0] as Buffer, o))
  } finally {
    peak = memory.stop()
    exitCode = await stopServer(server)
  }
  for (const e of loggedErrors(server)) violations.push({ invariant: 'erreur interne journalisée', detail: e })
  if (exitCode !== 0) violations.push({ invariant: 'arrêt propre', detail: `SIGTERM : code de sortie ${String(exitCode)} ; ${server.stderr().slice(-500)}` })
  for (const p of inspectDataDir(o.dataDir, { tmpMustBeEmpty: true }).problems) violations.push({ invariant: 'dossier de données', detail: p })
  return {
    uploads: o.uploads,
    byStatus,
    unanswered,
    controls,
    kept: kept.size,
    peakRssMiB: peak,
    idleRssMiB: (memory.firstKiB ?? 0) / 1024,
    seconds: (Date.now() - started) / 1000,
    violations
  }
}
