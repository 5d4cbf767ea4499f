import { request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { emit, helperOptions } from './helper.js'
import { basicAuth } from './http.js'
import { Seeded } from './seeded.js'

/**
 * Helper process: a flood of failed logins (unknown user names, wrong
 * passwords for the demo accounts) at `rate` requests a second for
 * `seconds`, each on a new connection from the next of `addresses` (loopback
 * addresses, round robin). Open loop: a request leaves at its time whether
 * the earlier ones are answered or not, as a flood does. Sends 'started',
 * then 'sent' once the last request has left, then 'result' with the answers
 * counted by status and code.
 */

export interface FloodOptions {
  url: string
  rate: number
  seconds: number
  addresses: string[]
  seed: number
}

export interface FloodResult {
  sent: number
  /** from the first request sent to the last */
  sendingSeconds: number
  /** "401 PHEBUS_AUTH_REQUIRED" → count */
  answers: Record<string, number>
  /** 503 answers without Retry-After */
  busyWithoutRetryAfter: number
  /** requests without an answer, by error */
  unanswered: Record<string, number>
  /** answers the flood must never get (a 2xx, a 5xx but 503 PHEBUS_AUTH_BUSY…), the first few */
  unexpected: string[]
  /** how late the last request left after its time, ms (the generator keeping up) */
  maxLagMs: number
}

const WAIT_ANSWERS_MS = 60_000
const USERS = ['dept77', 'dept93', 'dept971']
const EXPECTED = new Set(['401 PHEBUS_AUTH_REQUIRED', '429 PHEBUS_AUTH_LOCKED', '429 PHEBUS_AUTH_ADDRESS_LOCKED', '503 PHEBUS_AUTH_BUSY'])

const o = helperOptions<FloodOptions>()
const rng = new Seeded(o.seed)
const result: FloodResult = { sent: 0, sendingSeconds: 0, answers: {}, busyWithoutRetryAfter: 0, unanswered: {}, unexpected: [], maxLagMs: 0 }
const count = (m: Record<string, number>, key: string): void => { m[key] = (m[key] ?? 0) + 1 }

function guess (): string {
  const password = `faux-${rng.next().toString(36)}`
  return rng.chance(0.5) ? basicAuth(`inconnu-${rng.next().toString(36)}`, password) : basicAuth(rng.pick(USERS), password)
}

function attempt (localAddress: string, authorization: string): Promise<void> {
  return new Promise((resolve) => {
    const req = request(`${o.url}/api/v1/files`, { agent: false, localAddress, headers: { authorization, connection: 'close' } }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        let code = '—'
        try { code = String((JSON.parse(body) as { code?: unknown }).code ?? '—') } catch {}
        const key = `${String(res.statusCode)} ${code}`
        count(result.answers, key)
        if (res.statusCode === 503 && res.headers['retry-after'] === undefined) result.busyWithoutRetryAfter++
        if (!EXPECTED.has(key) && result.unexpected.length < 10) result.unexpected.push(`${key} depuis ${localAddress} : ${body.slice(0, 200)}`)
        resolve()
      })
      res.on('error', (err: NodeJS.ErrnoException) => { count(result.unanswered, err.code ?? err.message); resolve() })
    })
    req.on('error', (err: NodeJS.ErrnoException) => { count(result.unanswered, err.code ?? err.message); resolve() })
    req.setTimeout(WAIT_ANSWERS_MS, () => { req.destroy(new Error('pas de réponse en 60 s')) })
    req.end()
  })
}

const total = Math.round(o.rate * o.seconds)
const pending: Promise<void>[] = []
emit('started')
const start = performance.now()
for (let i = 0; i < total; i++) {
  const due = start + (i * 1000) / o.rate
  const wait = due - performance.now()
  if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait))
  result.maxLagMs = Math.max(result.maxLagMs, performance.now() - due)
  pending.push(attempt(o.addresses[i % o.addresses.length] as string, guess()))
  result.sent++
}
result.sendingSeconds = (performance.now() - start) / 1000
emit('sent', { sent: result.sent })
await Promise.all(pending)
emit('result', { result })
