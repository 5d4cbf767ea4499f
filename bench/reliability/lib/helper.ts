import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'

/**
 * Helper processes of the suite: a load generator or a prober that runs in
 * a process of its own, so that its timing does not depend on the event
 * loop of the run (nor the run's on it). A helper is a script beside this
 * file; it gets its options as JSON in argv, tells what happens as one JSON
 * object per line on its stdout ({ event, … }), and ends its work when its
 * stdin is closed.
 */

const TS = import.meta.url.endsWith('.ts')

export interface Helper {
  process: ChildProcess
  /** the first message of this event (one already received counts); rejects if the helper exits first */
  message: <T>(event: string) => Promise<T>
  /** closes the helper's stdin: it finishes and sends its `result` */
  stop: () => void
}

export function startHelper (script: string, options: unknown): Helper {
  const path = fileURLToPath(new URL(`./${script}.${TS ? 'ts' : 'js'}`, import.meta.url))
  const child = spawn(process.execPath, [...(TS ? ['--import', 'tsx'] : []), path, JSON.stringify(options)], { stdio: ['pipe', 'pipe', 'pipe'] })
  let err = ''
  child.stderr.on('data', (c: Buffer) => { err += c.toString() })
  const received = new Map<string, unknown>()
  const waiting = new Map<string, ((m: unknown) => void)[]>()
  createInterface({ input: child.stdout }).on('line', (line) => {
    const m = JSON.parse(line) as { event: string }
    if (!received.has(m.event)) received.set(m.event, m)
    for (const f of waiting.get(m.event) ?? []) f(m)
    waiting.delete(m.event)
  })
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()))
  return {
    process: child,
    message: async <T>(event: string): Promise<T> => {
      if (received.has(event)) return received.get(event) as T
      const got = new Promise<T>((resolve) => { waiting.set(event, [...(waiting.get(event) ?? []), resolve as (m: unknown) => void]) })
      const died = exited.then(() => { throw new Error(`${script} s'est arrêté avant « ${event} » (code ${String(child.exitCode)}) : ${err.trim().slice(-500)}`) })
      return await Promise.race([got, died])
    },
    stop: () => { child.stdin.end() }
  }
}

/** In a helper: its options, given as JSON in argv. */
export function helperOptions<T> (): T {
  return JSON.parse(process.argv[2] ?? '{}') as T
}

/** In a helper: tells the run what happened. */
export function emit (event: string, data: object = {}): void {
  process.stdout.write(`${JSON.stringify({ event, ...data })}\n`)
}

/** In a helper: runs `then` once the run closes its stdin (or is gone). */
export function onStop (then: () => void): void {
  process.stdin.on('end', then)
  process.stdin.resume()
}
