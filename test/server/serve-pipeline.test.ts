import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { connect } from 'node:net'
import { join } from 'node:path'
import { installedCommand, packageRoot } from '../../src/paths.js'
import { PageClient, textOf } from './pages/client.js'
import { waitFor } from '../waiting.js'

/**
 * `serve` as a pipeline runs it: started through npm, ready when its ready
 * file appears, read as JSON lines, stopped by a signal to npm, never left
 * behind. Runs the built command (`npm start` runs the bundle, dist/bin/).
 */

const built = existsSync(installedCommand())

function alive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

async function refused (url: string): Promise<boolean> {
  const { hostname, port } = new URL(url)
  return await new Promise((resolve) => {
    const socket = connect(Number(port), hostname)
    socket.once('connect', () => { socket.destroy(); resolve(false) })
    socket.once('error', () => resolve(true))
  })
}

for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  t.test(`npm start with --ready-file and --log-format json: ready file, JSON lines, and ${signal} to npm stops the server`, { skip: !built && 'dist/ not built (npm run build)' }, async (t) => {
    const dir = t.testdir()
    const readyFile = join(dir, 'ready.json')
    const npm = spawn('npm', ['start', '--silent', '--', '--port', '0', '--data-dir', join(dir, 'data'), '--ready-file', readyFile, '--log-format', 'json'], {
      cwd: packageRoot(),
      env: { ...process.env, PHEBUS_ADMIN_PASSWORD: 'admin-du-test-pipeline' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let stdout = ''
    npm.stdout.on('data', (d: Buffer) => { stdout += d.toString() })
    const exited = new Promise<number | null>((resolve) => npm.once('exit', (code) => resolve(code)))
    t.teardown(() => { if (npm.exitCode === null) npm.kill('SIGKILL') })

    const ready = await waitFor('the ready file', () => existsSync(readyFile) ? JSON.parse(readFileSync(readyFile, 'utf8')) as { url: string, pid: number, dataDir: string } : null)
    t.match(ready, { url: /^http:\/\/127\.0\.0\.1:\d+$/, pid: Number, dataDir: join(dir, 'data') })
    t.not(ready.pid, npm.pid, 'the server is a process of its own, below npm')
    t.equal((await fetch(`${ready.url}/readyz`)).status, 200, 'ready when the file appears')
    // Swagger UI, loaded from node_modules, is handed the bundle's copies of yaml and @fastify/static (plugins/external/swagger.ts)
    const yamlDocs = await fetch(`${ready.url}/docs/yaml`)
    t.equal(yamlDocs.status, 200)
    t.match(yamlDocs.headers.get('content-type'), /^application\/x-yaml/)
    t.match(await yamlDocs.text(), /^openapi: 3\.1\.0\n[\s\S]*\/api\/v1\/files/, 'the installed command describes its API in YAML')
    for (const [asset, type] of [['/docs/static/swagger-ui.css', /^text\/css/], ['/docs/static/swagger-ui-bundle.js', /javascript/], ['/assets/app.css', /^text\/css/], ['/assets/app.js', /javascript/]] as const) {
      const res = await fetch(`${ready.url}${asset}`)
      t.equal(res.status, 200, `${asset} served by the installed command`)
      t.match(res.headers.get('content-type'), type)
      t.ok((await res.arrayBuffer()).byteLength > 100)
    }

    npm.kill(signal)
    await exited
    await waitFor('the server to stop', () => alive(ready.pid) ? null : true, 20_000)
    t.ok(await refused(ready.url), 'its port is released')
    t.notOk(existsSync(readyFile), 'the ready file is removed at a clean stop')

    const events = stdout.trim().split('\n').map((line) => JSON.parse(line) as { event: string, url?: string, time: string })
    t.same(events.map((e) => e.event), ['listening', 'ready', 'stopping', 'stopped'], 'one JSON object a line, nothing else on standard output')
    t.equal(events[1]?.url, ready.url, 'the ready event carries the URL')
    t.ok(events.every((e) => !Number.isNaN(Date.parse(e.time))))
  })
}

t.test('the installed command serves the pages: the login page sets its cookies, a département and the trainer log in and see their pages', { skip: !built && 'dist/ not built (npm run build)' }, async (t) => {
  // the bundle, not tsc's dist/src/: a package bundled wrongly fails here only (the login page once answered 500 there)
  const dir = t.testdir()
  const readyFile = join(dir, 'ready.json')
  const server = spawn(process.execPath, [installedCommand(), 'serve', '--port', '0', '--data-dir', join(dir, 'data'), '--ready-file', readyFile, '--log-format', 'json'], {
    env: { ...process.env, PHEBUS_ADMIN_PASSWORD: 'admin-du-test-pages' },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  server.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()))
  t.teardown(async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGKILL')
    await exited
  })
  const ready = await waitFor('the ready file', () => existsSync(readyFile) ? JSON.parse(readFileSync(readyFile, 'utf8')) as { url: string } : null)

  const dept = new PageClient(null as never, '127.0.0.1', ready.url)
  const page = await dept.get('/')
  t.equal(page.statusCode, 200, 'the login page of Annexe 6')
  t.match(textOf(page.body), /Saisissez votre identifiant/)
  t.ok(page.cookies.length > 0, 'it sets the cookie its form token is checked against')
  t.not(dept.token, '', 'its form carries a token')
  const login = await dept.post('/connexion', { identifiant: 'dept77', motDePasse: 'demo-77' })
  t.equal(login.statusCode, 303, stderr)
  t.ok(dept.cookies.size > 0, 'a session cookie')
  const files = await dept.get('/fichiers')
  t.equal(files.statusCode, 200)
  t.match(textOf(files.body), /Mes fichiers/)

  const trainer = new PageClient(null as never, '127.0.0.1', ready.url)
  t.equal((await trainer.login('admin', 'admin-du-test-pages')).statusCode, 303)
  const room = await trainer.get('/console')
  t.equal(room.statusCode, 200)
  t.match(textOf(room.body), /La salle .* 77 — Seine-et-Marne/)

  server.kill('SIGTERM')
  await exited
})
