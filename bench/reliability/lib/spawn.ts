import { spawn, type ChildProcess } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { installedCommand } from '../../../src/paths.js'

/**
 * The server as a real process, started the way a user starts it:
 * `phebus-mock serve --port 0 --data-dir DIR`. From dist/ (npm run
 * reliability) that is the installed command, `node dist/bin/phebus-mock.js`; from the TypeScript sources
 * (the tests) `node --import tsx src/cli.ts`.
 */

const TS = import.meta.url.endsWith('.ts')
const CLI = TS ? fileURLToPath(new URL('../../../src/cli.ts', import.meta.url)) : installedCommand()

export const RELIABILITY_ADMIN_PASSWORD = 'admin-password-reliability'

export interface LaunchOptions {
  dataDir: string
  /** a scenario file; the package's demo.yaml when absent */
  scenario?: string
  adminPassword?: string
  /** more `serve` options, e.g. ['--idle-timeout', '2'] */
  args?: string[]
  /** the process's limit of open files, set by a shell (`ulimit -n`) that then becomes the server (exec) */
  descriptorLimit?: number
}

export interface ServerProcess {
  child: ChildProcess
  pid: number
  /** resolves with the exit code (null when killed by a signal) */
  exited: Promise<number | null>
  /** resolves with the URL once the server prints « à l'écoute sur URL » (it listens before its deposits are made) */
  listening: Promise<string>
  /** resolves once it prints « Prêt » (its start-up deposits made) */
  ready: Promise<void>
  stdout: () => string
  stderr: () => string
}

/** Node's arguments for a `phebus-mock` command (`qualify`, `generate`…), from dist/ or the sources as the server is. */
export function cliCommand (args: readonly string[]): string[] {
  return [...(TS ? ['--import', 'tsx'] : []), CLI, ...args]
}

/** The command line of `phebus-mock serve` on a data folder. */
export function serveCommand (options: LaunchOptions): string[] {
  return [
    ...(TS ? ['--import', 'tsx'] : []), CLI, 'serve', '--port', '0', '--data-dir', options.dataDir,
    ...(options.scenario === undefined ? [] : ['--scenario', options.scenario]),
    ...(options.args ?? [])
  ]
}

export function launchServer (options: LaunchOptions): ServerProcess {
  const argv = serveCommand(options)
  const limited = options.descriptorLimit === undefined ? null : ['-c', `ulimit -n ${options.descriptorLimit} && exec "$0" "$@"`, process.execPath, ...argv]
  const child = spawn(limited === null ? process.execPath : '/bin/sh', limited ?? argv, {
    env: { ...process.env, PHEBUS_ADMIN_PASSWORD: options.adminPassword ?? RELIABILITY_ADMIN_PASSWORD, HOST: '', PORT: '', PHEBUS_DATA_DIR: '' },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let out = ''
  let err = ''
  child.stderr?.on('data', (c: Buffer) => { err += c.toString() })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
  let onListening: (url: string) => void = () => {}
  let onReady: () => void = () => {}
  const listening = new Promise<string>((resolve) => { onListening = resolve })
  const ready = new Promise<void>((resolve) => { onReady = resolve })
  const stopped = exited.then(() => { throw new Error(`the server stopped before it was ready: ${err.trim()}`) })
  // the caller may await only one of them: the other must not be an unhandled rejection
  stopped.catch(() => {})
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  lines.on('line', (line) => {
    out += `${line}\n`
    const m = /à l'écoute sur (\S+)/.exec(line)
    if (m) onListening(m[1] as string)
    if (line.startsWith('Prêt')) onReady()
  })
  const race = <T>(p: Promise<T>): Promise<T> => {
    const r = Promise.race([p, stopped])
    r.catch(() => {}) // a server killed on purpose is never ready: nobody need await it
    return r
  }
  return {
    child,
    pid: child.pid ?? 0,
    exited,
    listening: race(listening),
    ready: race(ready),
    stdout: () => out,
    stderr: () => err
  }
}

/** Launches a server and waits until it is ready; returns it with its URL. */
export async function startServer (options: LaunchOptions): Promise<ServerProcess & { url: string }> {
  const s = launchServer(options)
  const url = await s.listening
  await s.ready
  return { ...s, url }
}

/** Stops a server with a signal and returns its exit code (null when killed by the signal). */
export async function stopServer (s: ServerProcess, signal: NodeJS.Signals = 'SIGTERM'): Promise<number | null> {
  if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill(signal)
  return await s.exited
}

/**
 * The errors the server logged (pino lines of level error or fatal): an
 * internal error is a 5xx even when its client was gone and saw nothing.
 */
export function loggedErrors (s: ServerProcess): string[] {
  return s.stderr().split('\n').filter((line) => /^\{.*"level":(50|60)[,}]/.test(line)).map((line) => {
    try {
      const v = JSON.parse(line) as { msg?: string, err?: { message?: string } }
      return `${v.msg ?? ''} : ${v.err?.message ?? ''}`
    } catch {
      return line.slice(0, 300)
    }
  })
}

/** A line of /proc/PID/status in KiB (VmRSS, VmHWM…), or null once the process is gone. */
export function procStatusKiB (pid: number, field: 'VmRSS' | 'VmHWM'): number | null {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/**
 * Samples a process's resident memory (VmRSS) every `everyMs` and keeps the
 * peak; stop() also reads the kernel's own high-water mark (VmHWM), which
 * catches a peak between two samples.
 */
export class RssSampler {
  peakKiB = 0
  firstKiB: number | null = null
  private readonly timer: NodeJS.Timeout

  constructor (private readonly pid: number, everyMs = 100) {
    this.sample()
    this.timer = setInterval(() => { this.sample() }, everyMs)
    this.timer.unref()
  }

  sample (): number | null {
    const kib = procStatusKiB(this.pid, 'VmRSS')
    if (kib !== null) {
      this.firstKiB ??= kib
      this.peakKiB = Math.max(this.peakKiB, kib)
    }
    return kib
  }

  /** Stops sampling; returns the peak in MiB (call before the process exits). */
  stop (): number {
    clearInterval(this.timer)
    this.sample()
    const hwm = procStatusKiB(this.pid, 'VmHWM')
    if (hwm !== null) this.peakKiB = Math.max(this.peakKiB, hwm)
    return this.peakKiB / 1024
  }
}
