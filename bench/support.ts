import { spawn, type ChildProcess } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { setFlagsFromString } from 'node:v8'
import { runInNewContext } from 'node:vm'
import { packageRoot } from '../src/paths.js'
import { startServer, type RunningServer } from '../src/server/start.js'

/**
 * What the server benches share: the server in a child process, and the
 * load generator (autocannon) in another, so that the load shares an event
 * loop with neither the server nor the bench's own work (downloads, uploads,
 * the validator).
 */

const TS = import.meta.url.endsWith('.ts')

/** Runs bench/NAME.ts (or .js once built) with its arguments in a new Node process. */
function spawnChild (name: string, args: string[]): ChildProcess & { stdout: NodeJS.ReadableStream } {
  const script = fileURLToPath(new URL(`./${name}.${TS ? 'ts' : 'js'}`, import.meta.url))
  return spawn(process.execPath, [...(TS ? ['--import', 'tsx'] : []), script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
}

/** Starts bench/NAME.ts (or .js once built) with its arguments; resolves with the JSON line it prints once ready. */
export async function startChild<T> (name: string, args: string[]): Promise<T & { process: ChildProcess }> {
  const child = spawnChild(name, args)
  const first = await createInterface({ input: child.stdout })[Symbol.asyncIterator]().next()
  if (first.done === true) throw new Error('the server under test stopped before it was ready')
  return { process: child, ...(JSON.parse(first.value) as T) }
}

export async function stopChild (child: { process: ChildProcess }): Promise<void> {
  child.process.kill('SIGTERM')
  await new Promise((resolve) => child.process.once('exit', resolve))
}

/** In a child: `serve` on the data folder, loopback, port 0, the demo scenario, silent; its first deposits made. */
export async function startQuietServer (dataDir: string): Promise<RunningServer> {
  const quiet = { write: () => true } as unknown as NodeJS.WritableStream
  const running = await startServer({
    app: { dataDir, scenarioPath: join(packageRoot(), 'scenarios', 'demo.yaml'), adminPassword: 'bench-admin-password' },
    host: '127.0.0.1',
    port: 0,
    tls: { mode: 'off' },
    stdout: quiet as never,
    stderr: process.stderr
  })
  await running.app.maintenance.settled()
  return running
}

export const CONNECTIONS = 50
export const LOAD_SECONDS = 5

/**
 * Requests per second of a GET under load, autocannon running in a process
 * of its own (bench/load-child.ts); any error or non-2xx answer fails the bench.
 */
export async function requestsPerSecond (url: string, headers: Record<string, string> = {}): Promise<number> {
  const child = spawnChild('load-child', [url, String(CONNECTIONS), String(LOAD_SECONDS), JSON.stringify(headers)])
  let out = ''
  child.stdout.setEncoding('utf8')
  child.stdout.on('data', (d: string) => { out += d })
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve))
  if (code !== 0) throw new Error(`${url}: the load generator stopped (${code ?? 'signal'})`)
  const r = JSON.parse(out) as { requestsPerSecond: number, errors: number, non2xx: number }
  if (r.errors > 0 || r.non2xx > 0) throw new Error(`${url}: ${r.errors} errors, ${r.non2xx} non-2xx answers`)
  return r.requestsPerSecond
}

/**
 * Milliseconds of processor each thread of process `pid` has run so far, by
 * thread id (Linux's /proc/PID/task/TID/schedstat); null where there is none.
 * A profile of where a measure's processor time went, not a figure.
 */
export function threadTimes (pid: number): Map<string, number> | null {
  let tids: string[]
  try {
    tids = readdirSync(`/proc/${pid}/task`)
  } catch {
    return null
  }
  const times = new Map<string, number>()
  for (const tid of tids) {
    try {
      times.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6)
    } catch {} // a thread that ended meanwhile
  }
  return times
}

/** What the threads of `pid` ran between two threadTimes(): its main thread's (the event loop's) and the others' together. */
export function threadsSpent (pid: number, before: Map<string, number>, after: Map<string, number>): { main: number, others: number } {
  let main = 0
  let others = 0
  for (const [tid, t] of after) {
    const spent = t - (before.get(tid) ?? 0)
    if (tid === String(pid)) main += spent
    else others += spent
  }
  return { main, others }
}

let gc: (() => void) | null = null

/**
 * A full garbage collection of this process, now. The bench measures some
 * things inside its own process (the client of an upload, the validator
 * alone): each starts with the garbage of the one before collected, so that
 * none pays for another's (docs/performance.md). V8 gives the function once
 * told to expose it; a context made after that sees it.
 */
export function collectGarbage (): void {
  if (gc === null) {
    setFlagsFromString('--expose-gc')
    gc = runInNewContext('gc') as () => void
  }
  gc()
}
