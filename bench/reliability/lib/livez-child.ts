import { Agent, request } from 'node:http'
import { performance } from 'node:perf_hooks'
import { emit, helperOptions, onStop } from './helper.js'

/**
 * Helper process: asks GET /livez on one keep-alive connection of its own,
 * one request every `everyMs` (the next once the previous is answered),
 * and keeps when each was sent and how long its answer took. A server whose
 * event loop is held answers late: the latency is how long it was held, at
 * least. Sends { event: 'result', samples: [at, ms, at, ms…], failures }.
 */

interface Options { url: string, everyMs: number }

const { url, everyMs } = helperOptions<Options>()
const agent = new Agent({ keepAlive: true, maxSockets: 1 })
const samples: number[] = []
const failures: { at: number, error: string }[] = []
/** set once the run closes our stdin (an object: the loop below does not see a plain variable change) */
const stop = { requested: false }

function probe (): Promise<void> {
  const at = Date.now()
  const start = performance.now()
  return new Promise((resolve) => {
    const req = request(`${url}/livez`, { agent }, (res) => {
      res.resume()
      res.on('end', () => {
        if (res.statusCode === 200) samples.push(at, performance.now() - start)
        else failures.push({ at, error: `statut ${String(res.statusCode)}` })
        resolve()
      })
    })
    req.on('error', (err: NodeJS.ErrnoException) => { failures.push({ at, error: err.code ?? err.message }); resolve() })
    req.end()
  })
}

onStop(() => { stop.requested = true })
let first = true
while (!stop.requested) {
  const start = performance.now()
  await probe()
  if (first) { first = false; emit('ready') }
  const wait = everyMs - (performance.now() - start)
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
}
emit('result', { samples, failures })
agent.destroy()
