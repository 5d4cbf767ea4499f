import { Agent } from 'node:http'
import { performance } from 'node:perf_hooks'
import { download, type Stock } from './downloads.js'
import { basicAuth, codeOf, json, send, type Answer } from './http.js'
import { timed } from './stats.js'

/**
 * Every département of the scenario at once, each as its software would
 * be: it connects and lists its files; then, all together, it downloads its
 * monthly stock and sends a small CGPEM of its own. Each comes from a
 * loopback address of its own, on one keep-alive connection, closed when it
 * has nothing more to do. A 503 is waited out (Retry-After) and tried again.
 */

export interface Attempt {
  status: number
  code: string | null
  retryAfter: string | undefined
  ms: number
  problem: string | null
}

export interface StepTally {
  /** every answer, by status and code */
  answers: Record<string, number>
  succeeded: number
  /** first attempts that did not succeed */
  firstFailures: number
  /** the successful attempt's own time, ms */
  latency: number[]
  /** from the first attempt to the success, waits included, ms */
  untilSuccess: number[]
  /** answers other than a 2xx or a 503 with Retry-After, and steps given up */
  problems: string[]
  /** the first message of each answer that was not a success, by status and code */
  messages: Record<string, string>
  /** requests of this step under way at once, at most, as the clients saw them */
  peakInFlight: number
}

export interface NationalRun {
  login: StepTally
  download: StepTally
  upload: StepTally
  /** the listings' monthly stocks, by département */
  stocks: Map<string, Stock>
  /** from the moment they all start downloading to the last success */
  seconds: number
}

const MAX_TRIES = 40
/** requests of each step under way now */
const inFlight = new WeakMap<StepTally, number>()

const noAnswer = (err: NodeJS.ErrnoException): Answer => ({ status: 0, headers: {}, body: Buffer.from(`pas de réponse : ${err.code ?? err.message}`) })

const tally = (): StepTally => ({ answers: {}, succeeded: 0, firstFailures: 0, latency: [], untilSuccess: [], problems: [], messages: {}, peakInFlight: 0 })

async function step (t: StepTally, what: string, ok: number, attempt: () => Promise<Attempt>): Promise<boolean> {
  const start = performance.now()
  for (let tries = 1; ; tries++) {
    const now = (inFlight.get(t) ?? 0) + 1
    inFlight.set(t, now)
    t.peakInFlight = Math.max(t.peakInFlight, now)
    const a = await attempt().finally(() => { inFlight.set(t, (inFlight.get(t) ?? 1) - 1) })
    const key = a.status === 0 ? 'sans réponse' : `${a.status}${a.code === null ? '' : ` ${a.code}`}`
    t.answers[key] = (t.answers[key] ?? 0) + 1
    if (a.problem !== null) t.messages[key] ??= a.problem
    if (a.status === ok && a.problem === null) {
      t.succeeded++
      t.latency.push(a.ms)
      t.untilSuccess.push(performance.now() - start)
      return true
    }
    if (tries === 1) t.firstFailures++
    const waitable = a.status === 503 && a.retryAfter !== undefined
    if (!waitable) t.problems.push(`${what} : ${a.problem ?? `statut ${a.status}`}`)
    if (!waitable || tries >= MAX_TRIES) {
      if (waitable) t.problems.push(`${what} : abandonné après ${MAX_TRIES} essais`)
      return false
    }
    await new Promise((resolve) => setTimeout(resolve, Number(a.retryAfter) * 1000))
  }
}

export interface Client {
  departement: string
  address: string
  body: Buffer
}

/** The clients' run: logins and listings at once, then downloads and uploads at once; `tag` names the uploads. */
export async function runClients (url: string, clients: readonly Client[], tag: string): Promise<NationalRun> {
  const run: NationalRun = { login: tally(), download: tally(), upload: tally(), stocks: new Map(), seconds: 0 }
  await Promise.all(clients.map(async (c) => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const authorization = basicAuth(`dept${c.departement}`, `demo-${c.departement}`)
    await step(run.login, `liste de ${c.departement}`, 200, async () => {
      const r = await timed(async () => await send(`${url}/api/v1/files`, { headers: { authorization }, agent, localAddress: c.address }).catch(noAnswer))
      if (r.value.status === 200) {
        const f = json<{ files: { name: string, kind: string, periodicity: string | null, size: number, sha256: string }[] }>(r.value).files.find((x) => x.kind === 'PECGM' && x.periodicity === 'M')
        if (f !== undefined) run.stocks.set(c.departement, { name: f.name, size: f.size, sha256: f.sha256, authorization })
      }
      const problem = r.value.status === 200 && !run.stocks.has(c.departement) ? 'pas de stock mensuel dans la liste' : r.value.status === 200 ? null : r.value.body.subarray(0, 200).toString('utf8')
      return { status: r.value.status, code: codeOf(r.value), retryAfter: r.value.headers['retry-after'], ms: r.ms, problem }
    })
    agent.destroy()
  }))

  const start = performance.now()
  await Promise.all(clients.map(async (c) => {
    const stock = run.stocks.get(c.departement)
    if (stock === undefined) return
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    await step(run.download, `téléchargement de ${c.departement}`, 200, async () => await download(url, stock, { agent, localAddress: c.address }))
    await step(run.upload, `envoi de ${c.departement}`, 201, async () => {
      const r = await timed(async () => await send(`${url}/api/v1/files?name=national-${tag}-${c.departement}.xml`, { method: 'POST', headers: { authorization: stock.authorization, 'content-type': 'application/xml' }, body: c.body, agent, localAddress: c.address }).catch(noAnswer))
      return { status: r.value.status, code: codeOf(r.value), retryAfter: r.value.headers['retry-after'], ms: r.ms, problem: r.value.status === 201 ? null : r.value.body.subarray(0, 200).toString('utf8') }
    })
    agent.destroy()
  }))
  run.seconds = (performance.now() - start) / 1000
  return run
}
