import t from 'tap'
import { writeFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { connectionsFor, serveCommand, SERVE_HELP } from '../../src/cli/serve.js'
import { testApp } from './helpers.js'

class Collect extends Writable {
  text = ''
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString()
    cb()
  }
}

function io (env: Record<string, string | undefined> = {}): { stdout: Collect, stderr: Collect, now: () => number, env: Record<string, string | undefined> } {
  return { stdout: new Collect(), stderr: new Collect(), now: Date.now, env }
}

t.test('serve --help describes the options and the environment', async (t) => {
  const out = io()
  t.equal(await serveCommand(['--help'], out), 0)
  t.equal(out.stdout.text.trim(), SERVE_HELP)
  for (const word of ['--port', '--host', '--data-dir', '--scenario', '--tls', '--tls-cert', '--tls-key', '--max-upload', '--retention-monthly', '--retention-rejected', '--retention-audit', '--max-connections', '--max-uploads', '--max-uploads-per-departement', '--max-address-failures', '--idle-timeout', '--stop-timeout', 'PHEBUS_ADMIN_PASSWORD', 'PHEBUS_DATA_DIR', 'PHEBUS_NOW', '--now', '--clock', '--ready-file', '--log-format', 'HOST', 'PORT']) t.match(SERVE_HELP, word)
})

t.test('bad options and environment are usage errors, before anything starts', async (t) => {
  const cases = [
    { name: 'a port out of range', args: ['--port', '70000'], env: {} },
    { name: 'PORT not a number', args: [], env: { PORT: 'http' } },
    { name: 'a size not understood', args: ['--max-upload', '1T'], env: {} },
    { name: 'a duration not understood', args: ['--retention-daily', '3w'], env: {} },
    { name: '--tls with --tls-cert', args: ['--tls', '--tls-cert', 'c.pem', '--tls-key', 'k.pem'], env: {} },
    { name: '--tls-cert without --tls-key', args: ['--tls-cert', 'c.pem'], env: {} },
    { name: 'an unknown option', args: ['--colour'], env: {} },
    { name: 'no connection at all', args: ['--max-connections', '0'], env: {} },
    { name: 'uploads not a number', args: ['--max-uploads', 'beaucoup'], env: {} },
    { name: 'a stop timeout not a number of seconds', args: ['--stop-timeout', '8s'], env: {} },
    { name: 'a stop timeout past an hour', args: ['--stop-timeout', '3601'], env: {} },
    { name: 'an audit retention not understood', args: ['--retention-audit', '1y'], env: {} },
    { name: '--now not a date', args: ['--now', 'demain'], env: {} },
    { name: 'PHEBUS_NOW not a date', args: [], env: { PHEBUS_NOW: '2026-02-30' } },
    { name: '--now before the dates an exchange may have', args: ['--now', '1975-01-01'], env: {} },
    { name: '--now with an offset that does not exist', args: ['--now', '2026-11-02T08:00:00+25:00'], env: {} },
    { name: 'a clock mode not known', args: ['--clock', 'stopped'], env: {} },
    { name: '--now with the wall clock', args: ['--clock', 'wall', '--now', '2026-11-02'], env: {} },
    { name: 'a log format not known', args: ['--log-format', 'yaml'], env: {} },
    { name: 'an empty ready file', args: ['--ready-file', ''], env: {} }
  ]
  for (const c of cases) {
    await t.rejects(serveCommand(c.args, io(c.env)), { code: 'PHEBUS_CLI_USAGE' }, c.name)
  }
})

t.test('an option given empty is refused, never read as absent: --scenario "" does not start the demo, --tls-cert "" does not serve HTTP', async (t) => {
  for (const option of ['--scenario', '--data-dir', '--host', '--now', '--clock', '--log-format', '--port']) {
    const err = await serveCommand([option, ''], io()).then(() => null, (e: unknown) => e)
    t.match(err, { code: 'PHEBUS_CLI_USAGE', message: new RegExp(`^${option} `) }, option)
  }
  const tls = await serveCommand(['--tls-cert', '', '--tls-key', ''], io()).then(() => null, (e: unknown) => e)
  t.match(tls, { code: 'PHEBUS_CLI_USAGE', message: /^--tls-cert / })
})

t.test('a variable of the environment is named when it is wrong, and an empty one is unset, PORT as HOST', async (t) => {
  const port = await serveCommand([], io({ PORT: 'http' })).then(() => null, (e: unknown) => e)
  t.match(port, { code: 'PHEBUS_CLI_USAGE', message: /^PORT \(variable d'environnement\) attend un nombre entier de 0 à 65\s535, lu « http »/ })
  const now = await serveCommand([], io({ PHEBUS_NOW: '2026-02-30' })).then(() => null, (e: unknown) => e)
  t.match(now, { code: 'PHEBUS_CLI_USAGE', message: /^PHEBUS_NOW \(variable d'environnement\) attend une date/ })
  const early = await serveCommand([], io({ PHEBUS_NOW: '1975-01-01' })).then(() => null, (e: unknown) => e)
  t.match(early, { code: 'PHEBUS_CLI_USAGE', message: /^PHEBUS_NOW \(variable d'environnement\) attend une date du 1980-01-01/ })
  // PORT= (a compose file's empty line) is no port, as HOST= is no host: the next problem is the one told
  const empty = await serveCommand(['--log-format', 'yaml'], io({ PORT: '', HOST: '' })).then(() => null, (e: unknown) => e)
  t.match(empty, { code: 'PHEBUS_CLI_USAGE', message: /^--log-format / })
})

t.test('the default limit of connections leaves descriptors for files and the database', async (t) => {
  const table: [number | null, number][] = [[null, 1000], [1024, 462], [20_000, 1000], [1_048_576, 1000], [150, 25], [64, 16]]
  for (const [descriptors, connections] of table) t.equal(connectionsFor(descriptors), connections, `${descriptors ?? 'unknown'} descriptors`)
})

t.test('a server that cannot start says why, with its code, and exits 1 (bad scenario) or 2', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'name: [' })
  const bad = io()
  t.equal(await serveCommand(['--data-dir', join(dir, 'data'), '--scenario', join(dir, 'bad.yaml'), '--port', '0'], bad), 1)
  t.match(bad.stderr.text, /PHEBUS_SERVER_SCENARIO/)

  const app = await testApp(t, { dataDir: join(dir, 'busy') })
  const busy = io()
  t.equal(await serveCommand(['--data-dir', app.storage.dataDir, '--port', '0'], busy), 2)
  t.match(busy.stderr.text, /PHEBUS_SERVER_DATA_DIR_LOCKED/)

  writeFileSync(join(dir, 'not-a-folder'), '')
  const blocked = io()
  t.equal(await serveCommand(['--data-dir', join(dir, 'not-a-folder', 'data'), '--port', '0'], blocked), 2)
  t.match(blocked.stderr.text, /\[PHEBUS_SERVER_/)

  // a port another program holds: the message says how to choose another
  const holder = createServer()
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { holder.close() })
  const taken = io()
  t.equal(await serveCommand(['--data-dir', join(dir, 'taken'), '--host', '127.0.0.1', '--port', String((holder.address() as AddressInfo).port)], taken), 2)
  t.match(taken.stderr.text, /port est déjà pris.*--port 0/)
})
