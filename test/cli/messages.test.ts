import t, { type Test } from 'tap'
import { spawn, type SpawnOptions } from 'node:child_process'
import { chmodSync, existsSync, readFileSync } from 'node:fs'
import { createServer, type AddressInfo } from 'node:net'
import { join } from 'node:path'
import { describeLeaks, findLeaks, messagesOf, pageText } from '../messages-english.js'
import { installedCommand } from '../../src/paths.js'
import { testApp } from '../server/helpers.js'

/**
 * Every command of the installed CLI (package.json's bin, the bundle in dist/bin/), run as a user would, with bad
 * input: what it writes on stdout and stderr is French, one prefix and one
 * code per error, never a stack trace; a reader that closes the pipe early
 * ends it quietly. `npm run build` first.
 */

// some eighty processes, each loading its command's modules: longer than the default file timeout on a busy machine
t.setTimeout(10 * 60_000)

const BIN = installedCommand()
const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname
const VERSION = (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version

interface Run {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

/** Runs the CLI; `closeStdout`: the reader goes away at once, or after the first chunk. */
async function runCli (args: readonly string[], options: { cwd: string, env?: Record<string, string>, closeStdout?: 'at-once' | 'after-first-chunk', as?: SpawnOptions, stopAfterMs?: number }): Promise<Run> {
  // the test runner puts its hooks in every child's NODE_OPTIONS (they write beside the tests: not as another user); env(1) drops them
  const env = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8', ...options.env }
  const child = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, BIN, ...args], { cwd: options.cwd, env, stdio: ['ignore', 'pipe', 'pipe'], ...options.as })
  let stdout = ''
  let stderr = ''
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString('utf8') })
  if (options.closeStdout === 'at-once') child.stdout?.destroy()
  else {
    child.stdout?.on('data', (c: Buffer) => {
      if (options.closeStdout === 'after-first-chunk') child.stdout?.destroy()
      else stdout += c.toString('utf8')
    })
  }
  const stop = options.stopAfterMs === undefined ? null : setTimeout(() => child.kill('SIGTERM'), options.stopAfterMs)
  const killer = setTimeout(() => child.kill('SIGKILL'), 60_000)
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (c, s) => resolve([c, s])))
  clearTimeout(killer)
  if (stop !== null) clearTimeout(stop)
  return { code, signal, stdout, stderr }
}

interface Case {
  name: string
  args: string[]
  /** the exit codes allowed */
  exit: number[]
  closeStdout?: 'at-once' | 'after-first-chunk'
  env?: Record<string, string>
  unprivileged?: boolean
  /** an outside leak, reported as to-do until fixed where it is */
  todo?: string
  /** a report on stdout: only its messages are prose (JSON), or its text (XML) */
  report?: 'json' | 'xml'
}

/** What is wrong with a run: its leaks, a repeated prefix or code, a signal, an unexpected exit code. */
function problemsOf (c: Case, r: Run): string[] {
  const out: string[] = []
  if (r.signal !== null) out.push(`tué par ${r.signal}`)
  else if (!c.exit.includes(r.code ?? -1)) out.push(`code de sortie ${String(r.code)}, attendu ${c.exit.join(' ou ')}`)
  let prose = r.stdout
  if (c.report === 'xml') prose = pageText(r.stdout)
  if (c.report === 'json') {
    try {
      prose = messagesOf(JSON.parse(r.stdout)).join('\n')
    } catch {
      out.push('rapport JSON illisible')
    }
  }
  const leaks = [...findLeaks(prose), ...findLeaks(r.stderr)]
  if (leaks.length > 0) out.push(describeLeaks(leaks))
  if (/phebus-mock [a-z -]*: phebus-mock /.test(r.stderr)) out.push(`préfixe répété : ${r.stderr.split('\n')[0] ?? ''}`)
  for (const line of r.stderr.split('\n')) {
    if ((line.match(/\[PHEBUS_[A-Z0-9_]+\]/g) ?? []).length > 1) out.push(`deux codes : ${line}`)
  }
  return out
}

function check (t: Test, c: Case, r: Run): void {
  t.same(problemsOf(c, r), [], `${c.name}: phebus-mock ${c.args.join(' ')}`.slice(0, 200), c.todo === undefined ? {} : { todo: c.todo })
}

/** Options of a child run as an unprivileged user where the tests run as root (root reads and writes anything). */
function unprivileged (): SpawnOptions {
  return process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
}

/** Runs `work` on each item, a few at a time (each is a process); the results in the items' order. */
async function inParallel<T, R> (items: readonly T[], work: (item: T) => Promise<R>, width = 8): Promise<R[]> {
  const results: R[] = new Array(items.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++
      results[i] = await work(items[i] as T)
    }
  }
  await Promise.all(Array.from({ length: width }, worker))
  return results
}

const skip = !existsSync(BIN) && 'dist/ not built: npm run build'

t.test('every command, with bad input, answers in French, once, without a trace', { skip }, async (t) => {
  const dir = t.testdir({
    'bad.yaml': 'name: x\nseed: -1\n',
    'syntax.yaml': 'name: [\n',
    afile: 'pas un dossier\n',
    adir: {},
    'garbage.xml': '<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM><ORIENTATION><NIR>x</NIR></CGPEM>\n',
    'garbage.txt': 'Bonjour le monde\n'.repeat(2000),
    locked: {},
    'secret.xml': '<CGPEM/>\n'
  })
  const fixture = (name: string): string => join(dir, name)
  chmodSync(fixture('locked'), 0o555)
  chmodSync(fixture('secret.xml'), 0o000)
  const base = ['--scenario', DEMO, '--departement', '77']
  const cases: Case[] = [
    // the command itself, and every help
    { name: 'no command', args: [], exit: [2] },
    ...[['--help'], ['generate', '--help'], ['validate', '--help'], ['scenario', '--help'], ['sample', '--help'], ['qualify', '--help']].map((args) => ({ name: 'help', args, exit: [0] })),
    { name: 'help', args: ['serve', '--help'], exit: [0] },
    { name: 'unknown command', args: ['generer'], exit: [2] },
    // generate
    { name: 'unknown option', args: ['generate', '--bogus'], exit: [2] },
    { name: 'option without its value', args: ['generate', '--scenario'], exit: [2] },
    { name: 'a value that looks like an option', args: ['generate', '--output', '--records'], exit: [2] },
    { name: 'a value for a flag', args: ['generate', ...base, '--daily=oui'], exit: [2] },
    { name: 'missing option', args: ['generate', '--scenario', DEMO], exit: [2] },
    { name: 'impossible date', args: ['generate', ...base, '--date', '2026-02-30'], exit: [2] },
    { name: 'bad periodicity', args: ['generate', ...base, '--periodicity', 'W'], exit: [2] },
    { name: 'bad number', args: ['generate', ...base, '--records', 'beaucoup'], exit: [2] },
    { name: 'a sample without orientations', args: ['sample', 'cgpem', ...base, '--records', '0', '--output', '-'], exit: [2] },
    { name: 'a period half given', args: ['generate', ...base, '--from', '2026-01-01'], exit: [2] },
    { name: 'a period backwards', args: ['generate', ...base, '--from', '2026-02-01', '--to', '2026-01-01'], exit: [2] },
    { name: 'missing scenario file', args: ['generate', '--scenario', 'absent.yaml', '--departement', '77'], exit: [2] },
    { name: 'a scenario that is a folder', args: ['generate', '--scenario', 'adir', '--departement', '77'], exit: [2] },
    { name: 'invalid scenario', args: ['generate', '--scenario', 'bad.yaml', '--departement', '77'], exit: [1] },
    { name: 'broken YAML', args: ['generate', '--scenario', 'syntax.yaml', '--departement', '77'], exit: [1] },
    { name: 'unknown département', args: ['generate', '--scenario', DEMO, '--departement', '99'], exit: [1] },
    { name: 'output in a missing folder', args: ['generate', ...base, '--records', '3', '--output', 'absent/g.txt'], exit: [2] },
    { name: 'output under a file', args: ['generate', ...base, '--records', '3', '--output', 'afile/g.txt'], exit: [2] },
    { name: 'output onto a folder', args: ['generate', ...base, '--records', '3', '--output', 'adir'], exit: [2] },
    { name: 'output in a folder without permission', args: ['generate', ...base, '--records', '3', '--output', 'locked/g.txt'], exit: [2], unprivileged: true },
    { name: 'a period on the standard output', args: ['generate', ...base, '--from', '2026-01-01', '--to', '2026-01-31', '--output-dir', '-'], exit: [2] },
    { name: 'a period in a file', args: ['generate', ...base, '--from', '2026-01-01', '--to', '2026-01-31', '--output-dir', 'afile'], exit: [2] },
    { name: 'a period in a folder without permission', args: ['generate', ...base, '--from', '2026-01-01', '--to', '2026-01-31', '--output-dir', 'locked/p'], exit: [2], unprivileged: true },
    // validate
    { name: 'no file', args: ['validate'], exit: [2] },
    { name: 'two files', args: ['validate', 'a', 'b'], exit: [2] },
    { name: 'missing file', args: ['validate', 'absent.xml'], exit: [2] },
    { name: 'a folder', args: ['validate', 'adir'], exit: [2] },
    { name: 'a file under a file', args: ['validate', 'afile/x.xml'], exit: [2] },
    { name: 'a file without permission', args: ['validate', 'secret.xml'], exit: [2], unprivileged: true },
    { name: 'bad format', args: ['validate', '--format', 'pdf', 'garbage.xml'], exit: [2] },
    { name: 'bad limit', args: ['validate', '--max-findings', 'tous', 'garbage.xml'], exit: [2] },
    { name: 'malformed XML, text', args: ['validate', '--date', '2026-11-27', 'garbage.xml'], exit: [1] },
    { name: 'malformed XML, JSON', args: ['validate', '--date', '2026-11-27', '--format', 'json', 'garbage.xml'], exit: [1], report: 'json' },
    { name: 'malformed XML, JUnit', args: ['validate', '--date', '2026-11-27', '--format', 'junit', 'garbage.xml'], exit: [1], report: 'xml' },
    { name: 'a text that is no CGPEM', args: ['validate', '--date', '2026-11-27', 'garbage.txt'], exit: [1] },
    // scenario
    { name: 'scenario alone', args: ['scenario'], exit: [2] },
    { name: 'unknown subcommand', args: ['scenario', 'verifier'], exit: [2] },
    { name: 'check without a file', args: ['scenario', 'check'], exit: [2] },
    { name: 'check a missing file', args: ['scenario', 'check', 'absent.yaml'], exit: [2] },
    { name: 'check a folder', args: ['scenario', 'check', 'adir'], exit: [2] },
    { name: 'check an invalid scenario', args: ['scenario', 'check', 'bad.yaml'], exit: [1] },
    { name: 'check broken YAML', args: ['scenario', 'check', 'syntax.yaml'], exit: [1] },
    // sample
    { name: 'sample alone', args: ['sample'], exit: [2] },
    { name: 'sample of something else', args: ['sample', 'pecgm'], exit: [2] },
    { name: 'sample without options', args: ['sample', 'cgpem'], exit: [2] },
    { name: 'bad form', args: ['sample', 'cgpem', ...base, '--form', 'pdf'], exit: [2] },
    { name: '--pecgm alone', args: ['sample', 'cgpem', ...base, '--pecgm', 'afile'], exit: [2] },
    { name: '--pecgm missing', args: ['sample', 'cgpem', ...base, '--qualification', '--pecgm', 'absent.txt', '--output', '-'], exit: [2] },
    { name: '--pecgm a folder', args: ['sample', 'cgpem', ...base, '--qualification', '--pecgm', 'adir', '--output', '-'], exit: [2] },
    { name: '--pecgm not a PECGM', args: ['sample', 'cgpem', ...base, '--qualification', '--pecgm', 'garbage.txt', '--output', '-'], exit: [2] },
    { name: 'sample in a missing folder', args: ['sample', 'cgpem', ...base, '--records', '3', '--output', 'absent/c.xml'], exit: [2] },
    // a reader that goes away
    { name: 'closed pipe, generate', args: ['generate', ...base, '--records', '20000', '--output', '-'], exit: [0], closeStdout: 'after-first-chunk' },
    { name: 'closed pipe at once, generate', args: ['generate', ...base, '--records', '3', '--output', '-'], exit: [0], closeStdout: 'at-once' },
    { name: 'closed pipe, sample', args: ['sample', 'cgpem', ...base, '--records', '20000', '--output', '-'], exit: [0], closeStdout: 'after-first-chunk' },
    { name: 'closed pipe, validate', args: ['validate', '--format', 'json', '--max-findings', '100000', 'garbage.txt'], exit: [0, 1], closeStdout: 'at-once' },
    { name: 'closed pipe, scenario check', args: ['scenario', 'check', DEMO], exit: [0], closeStdout: 'at-once' },
    { name: 'closed pipe, help', args: ['--help'], exit: [0], closeStdout: 'at-once' },
    { name: 'closed pipe, version', args: ['generate', '--version'], exit: [0], closeStdout: 'at-once' }
  ]
  const lowered = unprivileged()
  const runs = await inParallel(cases, (c) => runCli(c.args, { cwd: dir, closeStdout: c.closeStdout, ...(c.unprivileged === true ? { as: lowered } : {}) }))
  cases.forEach((c, i) => {
    const r = runs[i] as Run
    check(t, c, r)
    if (c.closeStdout !== undefined) t.equal(r.stderr, '', `${c.name}: nothing on stderr`)
  })
})

t.test('serve, with bad input, answers in French, once, without a trace', { skip }, async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'name: x\nseed: -1\n', 'syntax.yaml': 'name: [\n', afile: 'pas un certificat\n' })
  const taken = createServer()
  await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { taken.close() })
  const port = String((taken.address() as AddressInfo).port)
  const busy = await testApp(t, { dataDir: join(dir, 'busy') })
  t.ok(busy, 'a server holds its data folder')
  const data = (name: string): string[] => ['--data-dir', join(dir, name), '--port', '0']
  const cases: Case[] = [
    { name: 'unknown option', args: ['serve', '--bogus'], exit: [2] },
    { name: 'port out of range', args: ['serve', '--port', '70000'], exit: [2] },
    { name: 'bad clock', args: ['serve', '--now', 'demain'], exit: [2] },
    { name: 'bad size', args: ['serve', '--max-upload', '1T'], exit: [2] },
    { name: 'invalid scenario', args: ['serve', ...data('d1'), '--scenario', 'bad.yaml'], exit: [1] },
    { name: 'broken YAML', args: ['serve', ...data('d2'), '--scenario', 'syntax.yaml'], exit: [1] },
    { name: 'missing scenario', args: ['serve', ...data('d3'), '--scenario', 'absent.yaml'], exit: [1, 2] },
    { name: 'missing key', args: ['serve', ...data('d4'), '--tls-cert', 'absent.pem', '--tls-key', 'absent.key'], exit: [2] },
    { name: 'not a certificate', args: ['serve', ...data('d5'), '--tls-cert', 'afile', '--tls-key', 'afile'], exit: [2] },
    { name: 'data folder under a file', args: ['serve', ...data('afile/data')], exit: [2] },
    { name: 'data folder in use', args: ['serve', '--data-dir', join(dir, 'busy'), '--port', '0'], exit: [2] },
    { name: 'port taken', args: ['serve', ...['--data-dir', join(dir, 'd6')], '--port', port], exit: [2] },
    { name: 'unknown host', args: ['serve', ...['--data-dir', join(dir, 'd7')], '--host', '999.1.1.1', '--port', '0'], exit: [2] }
  ]
  const runs = await inParallel(cases, (c) => runCli(c.args, { cwd: dir }))
  cases.forEach((c, i) => check(t, c, runs[i] as Run))
  const quiet: Case = { name: 'closed pipe, then SIGTERM', args: ['serve', ...data('d8')], exit: [0] }
  const r = await runCli(quiet.args, { cwd: dir, closeStdout: 'after-first-chunk', stopAfterMs: 4000, env: { PHEBUS_ADMIN_PASSWORD: 'mot-de-passe-admin-de-test' } })
  check(t, quiet, r)
})

t.test('qualify, with bad input or a server that refuses, answers in French, once, without a trace', { skip }, async (t) => {
  const dir = t.testdir({})
  const app = await testApp(t)
  await app.listen({ host: '127.0.0.1', port: 0 })
  const url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`
  const cases: Case[] = [
    { name: 'no option', args: ['qualify'], exit: [2] },
    { name: 'unknown option', args: ['qualify', '--bogus'], exit: [2] },
    { name: 'no scheme', args: ['qualify', '--url', '127.0.0.1:8080', '--user', 'dept77', '--password', 'demo-77'], exit: [2] },
    { name: 'not an address', args: ['qualify', '--url', 'pas une adresse', '--user', 'dept77', '--password', 'demo-77'], exit: [2] },
    { name: 'bad port', args: ['qualify', '--url', 'http://127.0.0.1:99999', '--user', 'dept77', '--password', 'demo-77'], exit: [2] },
    { name: 'nobody listening', args: ['qualify', '--url', 'http://127.0.0.1:1', '--user', 'dept77', '--password', 'demo-77'], exit: [2] },
    { name: 'wrong password', args: ['qualify', '--url', url, '--user', 'dept77', '--password', 'faux'], exit: [2] },
    { name: 'not a département', args: ['qualify', '--url', url, '--user', 'admin', '--password', 'admin-password-for-tests'], exit: [2] },
    { name: 'password from the environment, wrong', args: ['qualify', '--url', url, '--user', 'dept93'], env: { PHEBUS_PASSWORD: 'faux' }, exit: [2] },
    { name: 'a closed pipe', args: ['qualify', '--url', url, '--user', 'dept971', '--password', 'demo-971', '--wait', '0'], exit: [0, 1], closeStdout: 'at-once' }
  ]
  const runs = await inParallel(cases, (c) => runCli(c.args, { cwd: dir, ...(c.env === undefined ? {} : { env: c.env }), ...(c.closeStdout === undefined ? {} : { closeStdout: c.closeStdout }) }))
  cases.forEach((c, i) => check(t, c, runs[i] as Run))
})

t.test('--version, on the command and on every subcommand', { skip }, async (t) => {
  const dir = t.testdir({})
  const all = [['--version'], ['generate', '--version'], ['validate', '--version'], ['scenario', 'check', '--version'], ['sample', 'cgpem', '--version'], ['serve', '--version'], ['qualify', '--version']]
  const runs = await inParallel(all, (args) => runCli(args, { cwd: dir }))
  for (const [i, args] of all.entries()) {
    const r = runs[i] as Run
    t.same({ code: r.code, stdout: r.stdout, stderr: r.stderr }, { code: 0, stdout: `phebus-mock ${VERSION}\n`, stderr: '' }, args.join(' '))
  }
})
