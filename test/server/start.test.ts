import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../src/paths.js'
import { waitFor } from '../waiting.js'

/**
 * The stop of a running server (src/server/start.ts), as a pipeline sees it:
 * its JSON events and its exit status. Run from the sources (src/cli.ts).
 */

const PASSWORD = 'admin-du-test-start'

t.test('a second signal while the stop waits for a request stops at once: the abort event, exit status 130', async (t) => {
  const dir = t.testdir()
  const readyFile = join(dir, 'ready.json')
  const server = spawn(process.execPath, ['--import', 'tsx', join(packageRoot(), 'src', 'cli.ts'), 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--ready-file', readyFile, '--log-format', 'json'], {
    cwd: packageRoot(),
    env: { ...process.env, PHEBUS_ADMIN_PASSWORD: PASSWORD },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  let stdout = ''
  server.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
  const exited = new Promise<{ code: number | null, signal: string | null }>((resolve) => server.once('exit', (code, signal) => resolve({ code, signal })))
  t.teardown(() => { if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL') })

  const ready = await waitFor('the ready file', () => existsSync(readyFile) ? JSON.parse(readFileSync(readyFile, 'utf8')) as { url: string } : null, 60_000)
  const admin = { authorization: `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`, 'content-type': 'application/json' }
  const fault = await fetch(`${ready.url}/api/v1/admin/faults`, { method: 'POST', headers: admin, body: JSON.stringify({ code: 'delay', departement: '77', route: 'list', delayMs: 30_000 }) })
  t.equal(fault.status, 201)
  // a request the stop waits for (its answer is 30 s away)
  const slow = fetch(`${ready.url}/api/v1/files`, { headers: { authorization: `Basic ${Buffer.from('dept77:demo-77').toString('base64')}` } }).catch(() => null)
  for (let hits = 0; hits === 0;) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    const res = await fetch(`${ready.url}/api/v1/admin/faults`, { headers: admin })
    hits = ((await res.json()) as { faults: { hits: number }[] }).faults[0]?.hits ?? 0
  }

  server.kill('SIGTERM')
  await waitFor('the stop to begin', () => stdout.includes('"event":"stopping"') ? true : null)
  server.kill('SIGTERM')
  const exit = await exited
  await slow
  t.same(exit, { code: 130, signal: null }, 'exit status 130, said by the server, not a death by the signal')
  const events = stdout.trim().split('\n').map((line) => (JSON.parse(line) as { event: string }).event)
  t.same(events, ['listening', 'ready', 'stopping', 'abort'], 'the abort event says why it stopped without finishing')
})
