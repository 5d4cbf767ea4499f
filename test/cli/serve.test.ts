import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { serveCommand } from '../../src/cli/serve.js'
import { installedCommand } from '../../src/paths.js'
import { cli } from './helpers.js'

class Collect extends Writable {
  text = ''
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString()
    cb()
  }
}

t.test('--ready-file in a folder that does not exist, that is a file, or a ready file that is a folder: refused before the server starts, exit 2, in French', { timeout: 20_000 }, async (t) => {
  const dir = t.testdir({ afile: 'x', folder: {} })
  const cases = [
    { file: '/nonexistent/pret.json', says: /--ready-file \/nonexistent\/pret\.json : le dossier \/nonexistent n'existe pas/ },
    { file: join(dir, 'afile', 'pret.json'), says: /afile n'est pas un dossier/ },
    { file: join(dir, 'folder'), says: /folder est un dossier : donnez le nom d'un fichier/ }
  ]
  for (const c of cases) {
    const r = await cli('serve', '--port', '0', '--data-dir', join(dir, 'data'), '--ready-file', c.file)
    t.equal(r.code, 2, c.file)
    t.match(r.stderr, c.says)
    t.match(r.stderr, /\[PHEBUS_CLI_USAGE\]/)
    t.notMatch(r.stdout.toString(), /écoute/, 'never started')
  }
  t.same(readdirSync(dir).sort(), ['afile', 'folder'], 'no data folder made')
})

t.test('--ready-file that is the scenario, the certificate or its key, or what the server keeps in its data folder: refused before the server starts, which overwrote it, then deleted it at its stop', { timeout: 20_000 }, async (t) => {
  const dir = t.testdir({ 'mine.yaml': readFileSync(new URL('../../scenarios/demo.yaml', import.meta.url)), 'cert.pem': 'c', 'key.pem': 'k', data: { 'phebus.sqlite': 'db', files: { 77: {} } } })
  const data = join(dir, 'data')
  const cases = [
    { argv: ['--scenario', join(dir, 'mine.yaml'), '--ready-file', join(dir, 'mine.yaml')], says: /--ready-file .*mine\.yaml est le fichier que la commande lit \(--scenario\) : il serait écrasé\. Donnez un autre nom\./ },
    { argv: ['--tls-cert', join(dir, 'cert.pem'), '--tls-key', join(dir, 'key.pem'), '--ready-file', join(dir, 'key.pem')], says: /est le fichier que la commande lit \(--tls-key\)/ },
    { argv: ['--ready-file', join(data, 'phebus.sqlite')], says: /--ready-file .*phebus\.sqlite est dans ce que le serveur garde dans son dossier de données \(phebus\.sqlite\) : il l'écraserait\. Donnez un fichier ailleurs\./ },
    { argv: ['--ready-file', join(data, 'files', '77', 'pret.json')], says: /dossier de données \(files\)/ }
  ]
  for (const c of cases) {
    const r = await cli('serve', '--port', '0', '--data-dir', data, ...c.argv)
    t.equal(r.code, 2, c.argv.join(' '))
    t.match(r.stderr, c.says)
    t.match(r.stderr, /\[PHEBUS_CLI_USAGE\]/)
  }
  t.equal(readFileSync(join(dir, 'mine.yaml'), 'utf8').slice(0, 1), '#', 'the scenario as it was')
  t.equal(readFileSync(join(data, 'phebus.sqlite'), 'utf8'), 'db', 'the database as it was')
})

/** root writes anywhere: as root (CI), the command runs as a child of an unprivileged user, from the built command */
const asRoot = process.getuid?.() === 0
const BIN = installedCommand()

t.test('--ready-file in a folder that cannot be written is refused before the server starts', { skip: asRoot && !existsSync(BIN) && 'run as root, and dist/ not built to run it as another user: npm run build' }, async (t) => {
  const dir = t.testdir()
  mkdirSync(join(dir, 'locked'), { mode: 0o555 })
  const args = ['serve', '--port', '0', '--data-dir', join(dir, 'data'), '--ready-file', join(dir, 'locked', 'pret.json')]
  const r = asRoot ? await asNobody(args) : await cli(...args)
  t.equal(r.code, 2)
  t.match(r.stderr, /impossible d'écrire dans le dossier .*locked \(permission refusée\)/)
  t.notOk(existsSync(join(dir, 'data')), 'never started')
})

/** The built command run by user and group 65534 (nobody), without the test runner's hooks (env -u NODE_OPTIONS: they write beside the tests). */
async function asNobody (args: string[]): Promise<{ code: number | null, stderr: string }> {
  const child = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, BIN, ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, stdio: ['ignore', 'ignore', 'pipe'], uid: 65534, gid: 65534 })
  let stderr = ''
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8') })
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, stderr }
}

t.test('a ready file that cannot be written once ready stops the server, exit 2, with a French error event and no « ready »', { timeout: 20_000 }, async (t) => {
  const dir = t.testdir()
  const ready = join(dir, 'pret.json')
  // its folder passes the check; its temporary file's name is taken by a folder: writing it fails when ready
  mkdirSync(`${ready}.${process.pid}.tmp`)
  const stdout = new Collect()
  const stderr = new Collect()
  const code = await serveCommand(['--port', '0', '--data-dir', join(dir, 'data'), '--ready-file', ready, '--log-format', 'json', '--now', '2026-11-02T08:00:00', '--clock', 'frozen'], { stdout, stderr, now: () => Date.UTC(2026, 10, 2, 7), env: { PHEBUS_ADMIN_PASSWORD: 'x-admin-pass' } })
  t.equal(code, 2, stderr.text)
  const events = stdout.text.trim().split('\n').map((l) => JSON.parse(l) as { event: string, code?: string, message: string, reason?: string })
  t.notOk(events.some((e) => e.event === 'ready'), 'never said ready')
  const error = events.find((e) => e.event === 'error')
  t.match(error, { code: 'PHEBUS_SERVER_READY_FILE', message: /--ready-file : .*pret\.json est un dossier|--ready-file : .*le serveur s'arrête/ })
  t.match(events.find((e) => e.event === 'stopping'), { reason: 'ready-file' })
  t.equal(events[events.length - 1]?.event, 'stopped')
})

t.test('serve with a scenario it cannot read exits 2, with one it reads and refuses 1, as every command that loads a scenario', { timeout: 20_000 }, async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'name: x\nseed: -1\n', folder: {} })
  for (const [scenario, exit, command] of [[join(dir, 'folder'), 2, 2], [join(dir, 'missing.yaml'), 2, 2], [join(dir, 'bad.yaml'), 1, 1]] as const) {
    const stdout = new Collect()
    const stderr = new Collect()
    const code = await serveCommand(['--port', '0', '--data-dir', join(dir, 'data'), '--scenario', scenario, '--log-format', 'json'], { stdout, stderr, now: () => Date.UTC(2026, 10, 2, 7), env: { PHEBUS_ADMIN_PASSWORD: 'x-admin-pass' } })
    t.equal(code, exit, scenario)
    t.equal((await cli('scenario', 'check', scenario)).code, command, `scenario check ${scenario}: the same`)
  }
})
