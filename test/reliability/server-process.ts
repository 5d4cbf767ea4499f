import { request } from 'node:http'
import { launchServer, type LaunchOptions, type ServerProcess } from '../../bench/reliability/lib/spawn.js'
import { basic } from '../server/helpers.js'

/**
 * The server as a child process, started as `phebus-mock serve` is (the
 * command line, src/cli.ts, here under tsx), for the tests that kill it,
 * restart it or fuzz it. Every process started here is SIGKILLed at the end
 * of its test if it is still running.
 */

interface Tap {
  teardown: (fn: () => unknown) => void
}

export type Server = ServerProcess & { url: string }

export function launch (t: Tap, dataDir: string, options: Omit<LaunchOptions, 'dataDir'> = {}): ServerProcess {
  const s = launchServer({ ...options, dataDir })
  t.teardown(() => { if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL') })
  return s
}

/** Starts a server and waits until it says it is ready (its deposits made). */
export async function start (t: Tap, dataDir: string, options: Omit<LaunchOptions, 'dataDir'> = {}): Promise<Server> {
  const s = launch(t, dataDir, options)
  const url = await s.listening
  await s.ready
  return { ...s, url }
}

export function get (url: string, headers: Record<string, string> = basic('dept77', 'demo-77')): Promise<{ status: number, body: string }> {
  return new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      let body = ''
      res.setEncoding('utf8')
      res.on('data', (c: string) => { body += c })
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }))
    }).on('error', reject).end()
  })
}

export async function waitFor (what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if (ok()) return
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  throw new Error(`gave up waiting for ${what}`)
}
