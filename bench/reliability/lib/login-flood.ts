import { Agent } from 'node:http'
import { join } from 'node:path'
import type { Violation } from '../group.js'
import { download, monthlyStock, type Stock } from './downloads.js'
import type { FloodResult } from './flood-child.js'
import { startHelper } from './helper.js'
import { cpuBetween, cpuTime, type CpuTime } from './proc.js'
import { loggedErrors, startServer, stopServer } from './spawn.js'
import { spread, type Spread } from './stats.js'

/**
 * A département downloads its monthly stock while a flood of failed logins
 * hits the server: from one address (the address lock soon answers it
 * without a hash) or spread over many (each under the address limit, so
 * that only the cap on password checks holds it). The flood comes from a
 * helper process; the downloads are made and timed in this one, one after
 * another on a keep-alive connection from 127.0.0.1 (the flood never comes
 * from there: a locked address would refuse the département too).
 */

export interface LoginFloodOptions {
  workDir: string
  seed: number
  /** failed logins a second, and for how long; below `minRate` sent, the flood proves nothing */
  rate: number
  minRate: number
  seconds: number
  /** unloaded downloads: the reference */
  referenceDownloads: number
  /** pause between two downloads, ms: a client polling, not a second flood */
  pauseMs: number
  log: (line: string) => void
}

export interface FloodVariant {
  label: string
  addresses: number
  flood: FloodResult
  downloads: Spread
  /** the server's processor time while the flood was sent, main thread apart */
  cpu: CpuTime
}

export interface FloodOutcome {
  stock: Stock
  /** before the floods, and after them (the machine has not drifted) */
  reference: Spread
  after: Spread
  variants: FloodVariant[]
  violations: Violation[]
}

const DEPARTEMENT = '93'
/** downloads back to back before the reference: the first hundred or so are slower (both processes' JIT) */
const WARM_UP = 200
const CLIENT = '127.0.0.1'

function addresses (third: number, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `127.0.${third}.${i + 1}`)
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

export async function runLoginFlood (o: LoginFloodOptions): Promise<FloodOutcome> {
  const server = await startServer({ dataDir: join(o.workDir, 'data') })
  const violations: Violation[] = []
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  try {
    const stock = await monthlyStock(server.url, DEPARTEMENT, `demo-${DEPARTEMENT}`, { agent, localAddress: CLIENT })
    if (stock === null) throw new Error(`pas de stock mensuel pour ${DEPARTEMENT}`)
    const downloads = async (what: string, more: () => boolean, pauseMs = o.pauseMs): Promise<number[]> => {
      const times: number[] = []
      while (more()) {
        const d = await download(server.url, stock, { agent, localAddress: CLIENT })
        if (d.problem !== null) violations.push({ invariant: 'téléchargement en échec pendant le flot', detail: `${what}, téléchargement ${times.length + 1} de ${stock.name} : ${d.problem}` })
        else times.push(d.ms)
        if (pauseMs > 0) await delay(pauseMs)
      }
      return times
    }
    const counted = (n: number): () => boolean => { let left = n; return () => left-- > 0 }
    await downloads('échauffement', counted(WARM_UP), 0)
    const reference = spread(await downloads('au repos', counted(o.referenceDownloads)))
    o.log(`rafale : au repos, médiane ${reference.p50.toFixed(2)} ms, p95 ${reference.p95.toFixed(2)} ms`)

    const variants: FloodVariant[] = []
    for (const [i, v] of [{ label: 'une adresse', list: addresses(2, 1) }, { label: '200 adresses', list: addresses(3, 200) }].entries()) {
      const helper = startHelper('flood-child', { url: server.url, rate: o.rate, seconds: o.seconds, addresses: v.list, seed: (Math.imul(o.seed, 31) + i) >>> 0 })
      await helper.message('started')
      const cpuBefore = cpuTime(server.pid)
      let flooding = true
      let cpuAfter: CpuTime | null = null
      const sent = helper.message('sent').then(() => { flooding = false; cpuAfter = cpuTime(server.pid) })
      const times = await downloads(`flot depuis ${v.label}`, () => flooding)
      await sent
      const { result } = await helper.message<{ result: FloodResult }>('result')
      const s = spread(times)
      variants.push({ label: v.label, addresses: v.list.length, flood: result, downloads: s, cpu: cpuBetween(cpuBefore, cpuAfter) })
      violations.push(...judgeFlood(v.label, result, o))
      o.log(`rafale : flot depuis ${v.label}, ${result.sent} requêtes en ${result.sendingSeconds.toFixed(1)} s, téléchargements médiane ${s.p50.toFixed(2)} ms, p95 ${s.p95.toFixed(2)} ms`)
    }
    const after = spread(await downloads('au repos, après les flots', counted(o.referenceDownloads)))
    return { stock, reference, after, variants, violations }
  } finally {
    agent.destroy()
    const code = await stopServer(server)
    for (const e of loggedErrors(server)) violations.push({ invariant: 'erreur interne journalisée', detail: e })
    if (code !== 0) violations.push({ invariant: 'arrêt propre', detail: `code de sortie ${String(code)} après SIGTERM ; ${server.stderr().slice(-300)}` })
  }
}

/** What the flood must never get, and a flood too thin to prove anything. */
function judgeFlood (label: string, r: FloodResult, o: LoginFloodOptions): Violation[] {
  const out: Violation[] = []
  const what = `flot depuis ${label}`
  for (const u of r.unexpected) out.push({ invariant: u.startsWith('5') ? 'réponse 5xx' : 'réponse inattendue au flot', detail: `${what} : ${u}` })
  if (r.busyWithoutRetryAfter > 0) out.push({ invariant: '503 sans Retry-After', detail: `${what} : ${r.busyWithoutRetryAfter} réponse(s) 503 sans Retry-After` })
  for (const [error, n] of Object.entries(r.unanswered)) out.push({ invariant: 'requête sans réponse', detail: `${what} : ${n} requête(s) sans réponse (${error})` })
  const rate = (r.sent - 1) / r.sendingSeconds
  if (rate < o.minRate) out.push({ invariant: 'flot trop faible', detail: `${what} : ${rate.toFixed(1)} requêtes/s envoyées, ${o.minRate} au moins voulues (retard maximal ${r.maxLagMs.toFixed(0)} ms)` })
  return out
}
