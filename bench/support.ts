import { spawn, type ChildProcess } from 'node:child_process'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
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
