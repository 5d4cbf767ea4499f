import { join } from 'node:path'
import { connectionsFor } from '../../../src/cli/serve.js'
import type { Violation } from '../group.js'
import { demoPassword, demoScenario, DEMO_DEPARTEMENTS, validCgpem } from './cgpem.js'
import { Connection, requestBytes } from './connection.js'
import { inspectDataDir } from './data-dir.js'
import { monthlyStock, type Stock } from './downloads.js'
import { basicAuth, codeOf, send, type Answer } from './http.js'
import { descriptorLimitOf, openDescriptors } from './proc.js'
import { Seeded } from './seeded.js'
import { launchServer, loggedErrors, stopServer } from './spawn.js'

/**
 * The server under a low limit of open files (`ulimit -n`): it sizes its
 * connections from the limit by itself. Hundreds of connections are opened
 * and held (quiet keep-alive ones, uploads that send a few bytes now and
 * then), then a burst of requests comes at once, on the held connections
 * and on new ones. Every answer is a 2xx, a 4xx or a 503 with Retry-After,
 * never another 5xx; the server never runs out of descriptors (no EMFILE);
 * once the clients are gone it is ready again and takes an upload.
 */

export interface DescriptorOptions {
  workDir: string
  seed: number
  limit: number
  idle: number
  slowUploads: number
  burst: number
  log: (line: string) => void
}

export interface DescriptorOutcome {
  /** the limit the server process has, read from /proc/PID/limits */
  limit: number | null
  /** what the server's formula gives for that limit */
  expectedMaxConnections: number
  /** the limit the server says in its 503 PHEBUS_HTTP_BUSY (the banner does not print it) */
  toldMaxConnections: number | null
  /** opening the connections: what each got */
  opening: Record<string, number>
  /** connections still held when the burst came, and among them admitted uploads */
  held: number
  heldUploads: number
  burst: { byStatus: Record<string, number>, onHeld: number, onNew: number, kinds: Record<string, number> }
  peakDescriptors: number
  emfile: string[]
  /** from closing every client to /readyz 200 */
  recoveryMs: number
  readyz: number
  upload: number
  violations: Violation[]
}

const ANSWER_WAIT_MS = 20_000
const SLOW_BYTES = 100_000
const SLOW_DEPARTEMENT = '971'
const BATCH = 100

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
const bump = (m: Record<string, number>, key: string): void => { m[key] = (m[key] ?? 0) + 1 }
const auth = (d: string): string => basicAuth(`dept${d}`, demoPassword(d))

/**
 * The answer in the suite's words, and what is wrong with it: anything but
 * a 2xx, a 4xx, a 503 with Retry-After; and a 503 that says the server ran
 * out of descriptors (it answers EMFILE as PHEBUS_HTTP_BUSY, with the
 * system's code in `details`, and logs nothing).
 */
function judge (a: Answer | null, what: string): { key: string, problem: string | null } {
  if (a === null) return { key: 'fermée sans réponse', problem: null }
  const code = codeOf(a)
  const key = `${a.status}${code === null ? '' : ` ${code}`}`
  if (a.status === 503 && a.headers['retry-after'] === undefined) return { key, problem: `${what} : 503 sans Retry-After` }
  if (/"details":\[[^\]]*"E[MN]FILE"/.test(a.body.toString('utf8'))) return { key: `${key} (EMFILE)`, problem: `${what} : descripteurs épuisés, répondu ${a.body.subarray(0, 200).toString('utf8')}` }
  if (a.status >= 500 && a.status !== 503) return { key, problem: `${what} : ${a.status} ${a.body.subarray(0, 200).toString('utf8')}` }
  return { key, problem: null }
}

/** The clients' side of the run: every connection opened, every answer counted and judged. */
class Clients {
  readonly connections: Connection[] = []
  readonly violations: Violation[] = []
  /** the limit the server gives in its 503 PHEBUS_HTTP_BUSY */
  told: number | null = null

  constructor (readonly url: string) {}

  open (): Connection {
    const c = new Connection(this.url)
    this.connections.push(c)
    return c
  }

  record (a: Answer | null, what: string, counts: Record<string, number>): void {
    const m = a === null ? null : /\((\d+) au plus\)/.exec(a.body.toString('utf8'))
    if (a !== null && m !== null && codeOf(a) === 'PHEBUS_HTTP_BUSY') this.told ??= Number(m[1])
    const j = judge(a, what)
    bump(counts, j.key)
    if (j.problem !== null) this.violations.push({ invariant: j.problem.includes('Retry-After') ? '503 sans Retry-After' : j.problem.includes('descripteurs épuisés') ? 'EMFILE répondu en 503' : 'réponse 5xx', detail: j.problem })
  }

  closeAll (): void {
    for (const c of this.connections) c.close()
  }
}

interface Held {
  opening: Record<string, number>
  /** keep-alive connections answered 200, still open */
  idle: Connection[]
  /** uploads let in (no answer yet), still open */
  uploads: Connection[]
}

/** Quiet keep-alive connections (one /livez each, then nothing) and slow uploads, in a seeded order, a batch at a time. */
async function openMany (clients: Clients, o: DescriptorOptions, rng: Seeded): Promise<Held> {
  const opening: Record<string, number> = {}
  const kinds = [...Array<string>(o.idle).fill('idle'), ...Array<string>(o.slowUploads).fill('slow')]
  for (let i = kinds.length - 1; i > 0; i--) { const j = rng.int(i + 1); [kinds[i], kinds[j]] = [kinds[j] as string, kinds[i] as string] }
  const idle: Connection[] = []
  const uploads: Connection[] = []
  for (let at = 0; at < kinds.length; at += BATCH) {
    await Promise.all(kinds.slice(at, at + BATCH).map(async (kind, k) => {
      const c = clients.open()
      if (!await c.connected()) { bump(opening, `connexion impossible (${c.error ?? '?'})`); return }
      if (kind === 'idle') {
        c.write(requestBytes('GET', '/livez', {}))
        const a = await c.next(ANSWER_WAIT_MS)
        clients.record(a, `ouverture ${at + k}, /livez`, opening)
        if (a?.status === 200) idle.push(c)
        return
      }
      c.write(requestBytes('POST', `/api/v1/files?name=lent-${at + k}.xml`, { Authorization: auth(SLOW_DEPARTEMENT), 'Content-Type': 'application/xml', 'Content-Length': SLOW_BYTES }))
      c.write('<?xml version="1.0" encoding="ISO-8859-1"?>')
      // an upload let in waits for the rest of its body: no answer now
      const a = await c.next(300)
      if (a !== null || c.closed) clients.record(a, `ouverture ${at + k}, envoi lent`, opening)
      else {
        bump(opening, 'envoi lent en cours')
        uploads.push(c)
      }
    }))
  }
  return { opening, idle: idle.filter((c) => !c.closed), uploads: uploads.filter((c) => !c.closed) }
}

/** Downloads, uploads and listings at once: on the held keep-alive connections first, then on new ones. */
async function burstOf (clients: Clients, o: DescriptorOptions, rng: Seeded, held: Connection[], stocks: Map<string, Stock>, bodies: Map<string, Buffer>): Promise<DescriptorOutcome['burst']> {
  const burst = { byStatus: {} as Record<string, number>, onHeld: 0, onNew: 0, kinds: {} as Record<string, number> }
  await Promise.all(Array.from({ length: o.burst }, async (_, i) => {
    const d = rng.pick(DEMO_DEPARTEMENTS)
    const roll = rng.float()
    const stock = stocks.get(d)
    const kind = roll < 0.4 && stock !== undefined ? 'téléchargement' : roll < 0.7 ? 'envoi' : 'liste'
    bump(burst.kinds, kind)
    const bytes = kind === 'téléchargement'
      ? requestBytes('GET', `/api/v1/files/${stock?.name ?? ''}`, { Authorization: auth(d) })
      : kind === 'envoi'
        ? requestBytes('POST', `/api/v1/files?name=rafale-${i}.xml`, { Authorization: auth(d), 'Content-Type': 'application/xml' }, bodies.get(d))
        : requestBytes('GET', '/api/v1/files', { Authorization: auth(d) })
    let c = held[i]
    if (c !== undefined && !c.closed) burst.onHeld++
    else {
      c = clients.open()
      burst.onNew++
      await c.connected()
    }
    c.write(bytes)
    clients.record(await c.next(ANSWER_WAIT_MS), `rafale ${i} (${kind}, ${d})`, burst.byStatus)
  }))
  return burst
}

/** Once every client is gone: how long until /readyz says 200, and an upload's status. */
async function recover (clients: Clients, body: Buffer): Promise<{ ms: number, readyz: number, upload: number }> {
  clients.closeAll()
  const closedAt = Date.now()
  let readyz = 0
  for (let tries = 0; tries < 200 && readyz !== 200; tries++) {
    if (tries > 0) await delay(50)
    readyz = (await send(`${clients.url}/readyz`).catch(() => ({ status: 0 }))).status
  }
  const ms = Date.now() - closedAt
  const upload = (await send(`${clients.url}/api/v1/files?name=apres-la-rafale.xml`, { method: 'POST', headers: { authorization: auth('93'), 'content-type': 'application/xml' }, body })).status
  if (readyz !== 200) clients.violations.push({ invariant: 'retour à la normale', detail: `/readyz répond ${readyz} ${ms} ms après la fermeture des connexions` })
  if (upload !== 201) clients.violations.push({ invariant: 'retour à la normale', detail: `un envoi de 93 après la fermeture des connexions : ${upload}, 201 attendu` })
  return { ms, readyz, upload }
}

export async function runDescriptors (o: DescriptorOptions): Promise<DescriptorOutcome> {
  const dataDir = join(o.workDir, 'data')
  const rng = new Seeded(o.seed)
  const server = launchServer({ dataDir, descriptorLimit: o.limit })
  const clients = new Clients(await server.listening)
  await server.ready
  let peakDescriptors = 0
  const sampler = setInterval(() => { peakDescriptors = Math.max(peakDescriptors, openDescriptors(server.pid) ?? 0) }, 10)
  const emfile: string[] = []
  const violations = clients.violations
  try {
    const stocks = new Map<string, Stock>()
    for (const d of DEMO_DEPARTEMENTS) {
      const s = await monthlyStock(clients.url, d, demoPassword(d))
      if (s !== null) stocks.set(d, s)
    }
    const scenario = await demoScenario()
    const bodies = new Map(DEMO_DEPARTEMENTS.map((d) => [d as string, validCgpem(scenario, d, 50)]))
    const held = await openMany(clients, o, rng)
    const trickle = setInterval(() => { for (const c of held.uploads) c.write('\n') }, 2000)
    o.log(`descripteurs : ${held.idle.length + held.uploads.length} connexions tenues (dont ${held.uploads.length} envois lents), ${peakDescriptors} descripteurs au plus fort`)
    const burst = await burstOf(clients, o, rng, held.idle, stocks, bodies)
    o.log(`descripteurs : rafale ${JSON.stringify(burst.byStatus)}`)
    clearInterval(trickle)
    const after = await recover(clients, bodies.get('93') as Buffer)
    return { limit: descriptorLimitOf(server.pid), expectedMaxConnections: connectionsFor(o.limit), toldMaxConnections: clients.told, opening: held.opening, held: held.idle.length + held.uploads.length, heldUploads: held.uploads.length, burst, peakDescriptors, emfile, recoveryMs: after.ms, readyz: after.readyz, upload: after.upload, violations }
  } finally {
    clearInterval(sampler)
    clients.closeAll()
    const code = await stopServer(server)
    for (const e of loggedErrors(server)) violations.push({ invariant: 'erreur interne journalisée', detail: e })
    emfile.push(...server.stderr().split('\n').filter((l) => /EMFILE|ENFILE/.test(l)))
    for (const line of emfile.slice(0, 5)) violations.push({ invariant: 'EMFILE dans le journal du serveur', detail: line.slice(0, 300) })
    if (code !== 0) violations.push({ invariant: 'arrêt propre', detail: `code de sortie ${String(code)} après SIGTERM ; ${server.stderr().slice(-300)}` })
    for (const p of inspectDataDir(dataDir, { tmpMustBeEmpty: true }).problems) violations.push({ invariant: 'dossier de données', detail: p })
  }
}
