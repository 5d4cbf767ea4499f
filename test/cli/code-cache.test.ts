import t, { type Test } from 'tap'
import { execFile, spawn } from 'node:child_process'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { get as httpsGet } from 'node:https'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { buildSync } from 'esbuild'
import { cacheFileOf, loadBundle, worthCaching } from '../../src/cli/code-cache.js'
import { COMMAND_NAMES, commandName } from '../../src/cli/command-names.js'
import { installedCommand } from '../../src/paths.js'
import { waitFor } from '../waiting.js'

const run = promisify(execFile)

/** A small CommonJS bundle: its exports, and a function that is compiled only when it runs. */
const BUNDLE = `'use strict'
const { join } = require('node:path')
function later (n) { let s = 0; for (let i = 0; i < n; i++) s += i; return s }
module.exports = { main: async (argv) => argv.length, later, where: join(__dirname, 'x'), file: __filename }
`

t.test('a bundle runs as CommonJS, its cache is written once at the end of the run and read by the next', async (t) => {
  const dir = t.testdir({ 'b.cjs': BUNDLE })
  const file = join(dir, 'b.cjs')
  const first = loadBundle(file, {}, false)
  t.equal(first.cached, false, 'no cache yet')
  t.equal(first.exports.where, join(dir, 'x'), '__dirname is the bundle\'s folder')
  t.equal(first.exports.file, file)
  t.equal(await (first.exports.main as (a: string[]) => Promise<number>)(['a', 'b']), 2)
  t.equal((first.exports.later as (n: number) => number)(10), 45)
  t.notOk(existsSync(cacheFileOf(file)), 'nothing written before save()')
  first.save()
  t.ok(existsSync(cacheFileOf(file)), 'written by save()')
  t.same(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'through a temporary file, renamed')
  const written = readFileSync(cacheFileOf(file))
  first.save()
  t.same(readFileSync(cacheFileOf(file)), written, 'once')

  const second = loadBundle(file, {}, false)
  t.equal(second.cached, true, 'the next run reads it')
  t.equal((second.exports.later as (n: number) => number)(10), 45, 'and runs the same')
  second.save()
  t.same(readFileSync(cacheFileOf(file)), written, 'a cache read is not written again')
})

t.test('a cache V8 refuses (another version, other flags, damaged) is set aside: the bundle compiles, and its cache is made again', async (t) => {
  const dir = t.testdir({ 'b.cjs': BUNDLE })
  const file = join(dir, 'b.cjs')
  writeFileSync(cacheFileOf(file), Buffer.alloc(4096, 7))
  const loaded = loadBundle(file, {}, false)
  t.equal(loaded.cached, false)
  t.equal((loaded.exports.later as (n: number) => number)(4), 6)
  loaded.save()
  t.equal(loadBundle(file, {}, false).cached, true, 'the cache made again is read')
})

t.test('a cache damaged on the disk (its length and V8\'s header kept) is not given to V8, which would crash on it, and is made again', async (t) => {
  const dir = t.testdir({ 'b.cjs': BUNDLE })
  const file = join(dir, 'b.cjs')
  loadBundle(file, {}, false).save()
  const bytes = readFileSync(cacheFileOf(file))
  for (const at of [bytes.length >> 1, (bytes.length >> 1) + 7, bytes.length - 9]) bytes[at] = (bytes[at] as number) ^ 0xff
  writeFileSync(cacheFileOf(file), bytes)
  const loaded = loadBundle(file, {}, false)
  t.equal(loaded.cached, false, 'its SHA-256 does not match: compiled as if there were none')
  t.equal((loaded.exports.later as (n: number) => number)(5), 10)
  loaded.save()
  t.equal(loadBundle(file, {}, false).cached, true, 'written again, and read')
})

t.test('with Node\'s source maps on (--enable-source-maps), a bundle is loaded by Node, whose traces then name the sources', async (t) => {
  const dir = t.testdir({})
  const file = join(dir, 'b.cjs')
  // a bundle and its map, as scripts/bundle.mjs makes them
  buildSync({ stdin: { contents: 'export function boom (): never {\n  throw new Error(\'boum\')\n}\n', sourcefile: 'original.ts', loader: 'ts' }, format: 'cjs', platform: 'node', sourcemap: 'linked', outfile: file, logLevel: 'silent' })
  const script = `import { loadBundle } from ${JSON.stringify(new URL('../../src/cli/code-cache.ts', import.meta.url).href)}
const b = loadBundle(${JSON.stringify(file)}, {})
try { b.exports.boom() } catch (err) { console.log(b.cached, err.stack.split('\\n')[1].trim()) }
b.save()`
  // the options of tap's own processes (source maps on) left out
  const env = { ...process.env, NODE_OPTIONS: '' }
  const mapped = await run(process.execPath, ['--enable-source-maps', '--import', 'tsx', '--input-type=module', '-e', script], { env })
  t.match(mapped.stdout, /^false at (Object\.)?boom \(.*original\.ts:2:9\)/, 'the frame in the source')
  t.notOk(existsSync(cacheFileOf(file)), 'and no cache')
  // tsx turns Node's source maps on for the TypeScript it runs: off again, as in a plain run of the installed command
  const plain = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', `process.setSourceMapsEnabled(false)\n${script}`], { env })
  t.match(plain.stdout, /^false at (Object\.)?boom \(.*b\.cjs:\d+:\d+\)/, 'without: the bundle\'s own positions')
})

t.test('PHEBUS_CODE_CACHE=0 neither reads nor writes a cache; a cache that cannot be written is gone without a word', async (t) => {
  const dir = t.testdir({ 'b.cjs': BUNDLE, 'c.cjs': BUNDLE })
  const file = join(dir, 'b.cjs')
  const off = loadBundle(file, { PHEBUS_CODE_CACHE: '0' }, false)
  off.save()
  t.notOk(existsSync(cacheFileOf(file)), 'not written')
  loadBundle(file, {}, false).save()
  t.equal(loadBundle(file, { PHEBUS_CODE_CACHE: '0' }, false).cached, false, 'not read')
  // where the cache would go, a folder that is not empty: neither read nor replaced (as a folder read-only)
  const other = join(dir, 'c.cjs')
  mkdirSync(cacheFileOf(other))
  writeFileSync(join(cacheFileOf(other), 'x'), 'x')
  const blocked = loadBundle(other, {}, false)
  t.equal(blocked.cached, false)
  t.doesNotThrow(() => { blocked.save() })
  t.same(readdirSync(dir).filter((f) => f.endsWith('.tmp')), [], 'no temporary file left')
})

t.test('a run\'s cache is written when it did its work: not for a help, a version or a failure, which compiled little of the command', async (t) => {
  t.ok(worthCaching(0, ['generate', '--records', '10']))
  t.ok(worthCaching(0, ['serve', '--port', '0']))
  t.notOk(worthCaching(0, ['generate', '--help']))
  t.notOk(worthCaching(0, ['help', 'generate']))
  t.notOk(worthCaching(0, ['serve', '-h']))
  t.notOk(worthCaching(0, ['validate', '--version']))
  t.notOk(worthCaching(1, ['validate', 'f.xml']), 'a file refused: the next run writes it')
  t.notOk(worthCaching(2, ['generate', '--records', 'x']))
})

t.test('the launcher picks a command\'s bundle by the command line\'s command, or the command line\'s own for the rest', async (t) => {
  t.equal(commandName(['generate', '--records', '3']), 'generate')
  t.equal(commandName(['help', 'serve']), 'serve', '« help serve » is serve\'s')
  t.equal(commandName(['help']), null)
  t.equal(commandName(['--help']), null)
  t.equal(commandName(['--version']), null)
  t.equal(commandName(['help', 'inconnue']), null)
  t.equal(commandName([]), null)
  t.equal(commandName(['générer']), null)
})

t.test('the installed command: a bundle per command, named by its content, in ASCII alone, each answering its own --help', async (t) => {
  const commands = join(dirname(installedCommand()), '..', 'commands')
  const bundles = readdirSync(commands).filter((f) => f.endsWith('.cjs'))
  for (const name of [...COMMAND_NAMES, 'base']) {
    const mine = bundles.filter((f) => new RegExp(`^${name}-[A-Z0-9]{8}\\.cjs$`).test(f))
    t.equal(mine.length, 1, `one bundle for ${name}, its name carrying its hash`)
    const bytes = readFileSync(join(commands, mine[0] ?? ''))
    t.notOk(bytes.some((b) => b > 0x7f), `${name}: ASCII alone (read without decoding, one byte a character)`)
  }
  const launcher = readFileSync(installedCommand(), 'utf8')
  t.ok(launcher.length < 20_000, 'the launcher itself is small: the command line lives in the bundles')
  for (const name of COMMAND_NAMES) {
    const { stdout } = await run(process.execPath, [installedCommand(), name, '--help'])
    t.match(stdout, new RegExp(`^Usage : phebus-mock ${name}`), `${name} --help`)
  }
  const { stdout } = await run(process.execPath, [installedCommand(), 'help', 'validate'])
  t.match(stdout, /^Usage : phebus-mock validate/, '« help validate »')
  const unknown = await run(process.execPath, [installedCommand(), 'inconnue']).catch((err: { code: number, stderr: string }) => err)
  t.equal((unknown as { code: number }).code, 2)
  t.match((unknown as { stderr: string }).stderr, /commande inconnue « inconnue »/)
})

t.test('the installed server, its code read from the cache, serves HTTPS with the certificate it makes (selfsigned, loaded when --tls asks)', async (t) => {
  const commands = join(dirname(installedCommand()), '..', 'commands')
  const bundle = readdirSync(commands).find((f) => /^serve-[A-Z0-9]{8}\.cjs$/.test(f)) ?? ''
  // made by npm run build (scripts/warm-code-cache.mjs): the functions of the start, read from it, loadTls among them
  t.ok(existsSync(cacheFileOf(join(commands, bundle))), 'the server\'s bundle has its code cache')
  const dir = t.testdir({})
  const ready = join(dir, 'pret.json')
  const child = spawn(process.execPath, [installedCommand(), 'serve', '--tls', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir, 'donnees'), '--ready-file', ready, '--log-format', 'json'], {
    // as a user runs it: none of tap's options (a source map on would load the bundle without its cache)
    env: { ...process.env, NODE_OPTIONS: '', PHEBUS_ADMIN_PASSWORD: '', PHEBUS_CODE_CACHE: '1' },
    stdio: ['ignore', 'ignore', 'pipe']
  })
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += String(d) })
  const exit = new Promise<number | null>((resolve) => child.on('close', resolve))
  t.teardown(() => { child.kill('SIGKILL') })
  await waitFor('the server ready', () => existsSync(ready) || child.exitCode !== null ? true : null)
  t.equal(stderr, '', 'nothing on the error output')
  const { url } = JSON.parse(readFileSync(ready, 'utf8')) as { url: string }
  t.match(url, /^https:\/\//)
  const status = await new Promise<number | undefined>((resolve, reject) => {
    httpsGet(`${url}/readyz`, { ca: readFileSync(join(dir, 'donnees', 'tls', 'cert.pem')) }, (res) => { res.resume(); resolve(res.statusCode) }).on('error', reject)
  })
  t.equal(status, 200, '/readyz over TLS, the certificate trusted as its own')
  child.kill('SIGTERM')
  t.equal(await exit, 0)
})

/**
 * The installed command with a preload (`-r`) that breaks one of Node's
 * calls, so that the command fails where no code of its own expects it:
 * what a defect looks like to the user.
 */
async function brokenRun (t: Test, preload: string, args: string[], nodeFlags: string[] = []): Promise<{ code: number, stderr: string }> {
  const dir = t.testdir({ 'casse.cjs': preload, 'boom.txt': 'hi\n' })
  return await new Promise((resolve) => {
    execFile(process.execPath, [...nodeFlags, '-r', join(dir, 'casse.cjs'), installedCommand(), ...args.map((a) => a.replace('DIR', dir))],
      { env: { ...process.env, NODE_OPTIONS: '' } },
      (err, _stdout, stderr) => { resolve({ code: err === null ? 0 : Number((err as { code?: number }).code), stderr }) })
  })
}

/** fs/promises' open() of boom.txt: a file whose close() fails with `thrown`, or (never) one that never opens. */
const BROKEN_OPEN = (thrown: string): string => `const f = require('node:fs/promises'); const open = f.open
f.open = async function (p, ...r) {
  if (!String(p).endsWith('boom.txt')) return open.call(this, p, ...r)
  ${thrown === 'never' ? 'return new Promise(() => {})' : `return { read: async () => ({ bytesRead: 0 }), close: async () => { throw ${thrown} } }`}
}`

t.test('a defect that ends a command: shown, exit 1, whatever Node is told to do of an unhandled rejection', async (t) => {
  for (const flag of ['--unhandled-rejections=none', '--unhandled-rejections=warn', '--unhandled-rejections=strict']) {
    const error = await brokenRun(t, BROKEN_OPEN('new RangeError(\'boom error\')'), ['validate', 'DIR/boom.txt'], [flag])
    t.equal(error.code, 1, `${flag}: exit 1`)
    t.match(error.stderr, /^RangeError: boom error\n {4}at /, `${flag}: the error and its trace`)
  }
  const value = await brokenRun(t, BROKEN_OPEN('{ reason: \'boom object\' }'), ['validate', 'DIR/boom.txt'], ['--unhandled-rejections=none'])
  t.equal(value.code, 1)
  t.match(value.stderr, /reason: 'boom object'/, 'a value thrown that is no Error: the value itself')
})

t.test('a command whose work never ends while nothing is left to wait for says so, exit 13', async (t) => {
  const r = await brokenRun(t, BROKEN_OPEN('never'), ['validate', 'DIR/boom.txt'])
  t.equal(r.code, 13)
  t.equal(r.stderr, 'phebus-mock : erreur interne, la commande « validate » s\'est arrêtée sans finir (une promesse jamais tenue).\n')
})

t.test('a defect thrown from the bundles shows a line of code that can be read (they are written without blanks, in lines of about 200 characters)', async (t) => {
  // the département's communes read as a number: the generator's planning throws a TypeError
  const preload = `const fs = require('node:fs'); const read = fs.readFileSync
fs.readFileSync = function (p, ...r) { return String(p).endsWith('communes.tsv') ? 42 : read.call(this, p, ...r) }`
  const scenario = join(dirname(installedCommand()), '..', '..', 'scenarios', 'demo.yaml')
  const r = await brokenRun(t, preload, ['generate', '--scenario', scenario, '--departement', '77', '--date', '2026-11-02', '--output', 'DIR/g.txt'])
  t.equal(r.code, 1)
  t.match(r.stderr, /TypeError: .*indexOf is not a function/)
  t.ok(r.stderr.length < 5000, `${r.stderr.length} characters on the error output (a bundle's line once made it 554 114)`)
})
