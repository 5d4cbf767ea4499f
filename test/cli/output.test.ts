import t from 'tap'
import { spawn } from 'node:child_process'
import { createHash } from 'node:crypto'
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ProvisionalFiles } from '../../src/cli/output.js'
import { installedCommand } from '../../src/paths.js'
import { waitFor } from '../waiting.js'
import { cli } from './helpers.js'

t.test('what a whole made goes, the latest first (files, then the folders they were in), unless it is kept', async (t) => {
  const dir = t.testdir({ before: 'kept' })
  const made = new ProvisionalFiles()
  for (const folder of [join(dir, 'a'), join(dir, 'a', 'b')]) {
    mkdirSync(folder)
    made.add(folder, true)
  }
  for (const name of ['one.txt', 'two.txt']) {
    writeFileSync(join(dir, 'a', 'b', name), name)
    made.add(join(dir, 'a', 'b', name))
  }
  t.equal(made.removeAll(), 2, 'two files')
  t.same(readdirSync(dir), ['before'], 'the folders it made went too, what was there stays')

  const kept = new ProvisionalFiles()
  writeFileSync(join(dir, 'three.txt'), 'x')
  kept.add(join(dir, 'three.txt'))
  kept.keep()
  t.equal(kept.removeAll(), 0, 'nothing once kept')
  t.ok(existsSync(join(dir, 'three.txt')))
})

t.test('a folder that holds something else than what the whole made stays', async (t) => {
  const dir = t.testdir()
  const made = new ProvisionalFiles()
  mkdirSync(join(dir, 'a'))
  made.add(join(dir, 'a'), true)
  writeFileSync(join(dir, 'a', 'other.txt'), 'not the whole\'s')
  made.removeAll()
  t.same(readdirSync(join(dir, 'a')), ['other.txt'])
})

const BIN = installedCommand()
const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname

interface Piped {
  code: number | null
  bytes: number
  sha256: string
  stderr: string
}

/**
 * The installed command run as a shell runs `phebus-mock … | cat` (or
 * another `reader`): its
 * standard output is a pipe (pipe(2); Node gives its own children sockets,
 * which /proc/self/fd cannot open), what comes through counted and hashed.
 * Its exit status comes back on fd 3. NODE_OPTIONS dropped (the test
 * runner's hooks), as a user's shell has none.
 */
async function throughPipe (args: readonly string[], cwd: string, reader = 'cat'): Promise<Piped> {
  const child = spawn('sh', ['-c', `{ "$@"; echo $? >&3; } | ${reader}`, 'sh', 'env', '-u', 'NODE_OPTIONS', process.execPath, BIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe', 'pipe'] })
  const hash = createHash('sha256')
  let bytes = 0
  let stderr = ''
  let status = ''
  child.stdout?.on('data', (c: Buffer) => { bytes += c.length; hash.update(c) })
  child.stderr?.on('data', (c: Buffer) => { stderr += c.toString('utf8') })
  child.stdio[3]?.on('data', (c: Buffer) => { status += c.toString('utf8') })
  const killer = setTimeout(() => child.kill('SIGKILL'), 120_000)
  await new Promise<void>((resolve) => child.on('close', () => resolve()))
  clearTimeout(killer)
  return { code: status === '' ? null : Number(status.trim()), bytes, sha256: hash.digest('hex'), stderr }
}

const commands = [
  { name: 'generate', args: ['generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-02', '--records', '20'] },
  { name: 'generate, a stock on several threads', args: ['generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '100000'] },
  { name: 'sample cgpem', args: ['sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-02', '--records', '20'] }
]

for (const command of commands) {
  t.test(`${command.name} -o a pipe reached through /proc/self/fd (/dev/stdout, bash's >(…)) writes into the pipe what -o - writes, and creates or replaces no file`, { skip: !existsSync(BIN) && 'dist/ not built (npm run build)' }, async (t) => {
    const dir = t.testdir()
    const expected = await throughPipe([...command.args, '--output', '-'], dir)
    t.equal(expected.code, 0, expected.stderr)
    t.ok(expected.bytes > 0)
    // what /dev/stdout is (a link to /proc/self/fd/1), made here: never /dev/stdout itself, which a regression would replace
    symlinkSync('/proc/self/fd/1', join(dir, 'stdout'))
    const linked = await throughPipe([...command.args, '--output', 'stdout'], dir)
    t.equal(linked.code, 0, linked.stderr)
    t.same([linked.bytes, linked.sha256], [expected.bytes, expected.sha256], 'the bytes of -o - came through the pipe')
    t.ok(lstatSync(join(dir, 'stdout')).isSymbolicLink(), 'the link is still a link')
    t.equal(readlinkSync(join(dir, 'stdout')), '/proc/self/fd/1')
    t.same(readdirSync(dir), ['stdout'], 'no file beside it, not even a temporary one')
    // what bash's >(…) gives (/dev/fd/63, /dev/fd being /proc/self/fd): the descriptor's own path
    const direct = await throughPipe([...command.args, '--output', '/proc/self/fd/1'], dir)
    t.equal(direct.code, 0, direct.stderr)
    t.same([direct.bytes, direct.sha256], [expected.bytes, expected.sha256], 'the same bytes by /proc/self/fd/1')
    t.same(readdirSync(dir), ['stdout'], 'no file made')
  })
}

t.test('a reader that goes before the end (| head -c 100) ends -o /dev/stdout as it ends -o -: quietly, exit status 0', { skip: !existsSync(BIN) && 'dist/ not built (npm run build)' }, async (t) => {
  // 120 MB: far more than a pipe holds, so that the writer meets the closed pipe (EPIPE)
  const args = ['generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '100000']
  const dir = t.testdir()
  const dash = await throughPipe([...args, '--output', '-'], dir, 'head -c 100')
  t.same([dash.code, dash.bytes, dash.stderr], [0, 100, ''], 'the reference: -o -')
  symlinkSync('/proc/self/fd/1', join(dir, 'stdout'))
  for (const output of ['stdout', '/proc/self/fd/1']) {
    const r = await throughPipe([...args, '--output', output], dir, 'head -c 100')
    t.same([r.code, r.bytes, r.stderr], [0, 100, ''], `-o ${output}`)
  }
  t.same(readdirSync(dir), ['stdout'], 'no file made')
})

/** Names of the longest a file may have, 255 bytes: ASCII, and UTF-8 of 2 and 3 bytes a character (the limit is in bytes, not characters). */
const LONGEST = [
  { kind: 'ASCII', name: `${'n'.repeat(251)}.txt` },
  { kind: 'UTF-8', name: `${'€'.repeat(82)}éabc.txt` }
]

t.test('a file name of 255 bytes, the longest there is, is written: its temporary file is given a name that fits', async (t) => {
  for (const { kind, name } of LONGEST) {
    t.equal(Buffer.byteLength(name), 255, kind)
    const dir = t.testdir()
    const generated = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, name))
    t.equal(generated.code, 0, `${kind}: ${generated.stderr}`)
    t.equal(readFileSync(join(dir, name)).length, 5 * 1201, `${kind}: the PECGM is there`)
    t.same(readdirSync(dir), [name], `${kind}: no temporary file left`)
    const sampled = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-02', '--records', '3', '--output', join(dir, name))
    t.equal(sampled.code, 0, `${kind}: ${sampled.stderr}`)
    t.same(readdirSync(dir), [name], `${kind}: sample cgpem wrote over it, no temporary file left`)
  }
})

t.test('a file name longer than 255 bytes is refused as too long, naming that file, and leaves nothing', async (t) => {
  const dir = t.testdir()
  const name = `${'n'.repeat(252)}.txt`
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, name))
  t.equal(r.code, 2)
  t.match(r.stderr, `Nom trop long : ${join(dir, name)}. [PHEBUS_IO]`)
  t.same(readdirSync(dir), [])
})

t.test('the temporary file of a 255-byte name left by a killed run (SIGKILL) is removed by the next run writing that file', { skip: !existsSync(BIN) && 'dist/ not built (npm run build)' }, async (t) => {
  for (const { kind, name } of LONGEST) {
    const dir = t.testdir()
    // a stock large enough to be killed midway, once its temporary file holds some bytes
    const child = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, BIN, 'generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3000000', '--output', name], { cwd: dir, stdio: 'ignore' })
    let ended = false
    const closed = new Promise<void>((resolve) => child.on('close', () => { ended = true; resolve() }))
    t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
    const temporary = await waitFor('the temporary file', () => {
      if (ended) throw new Error(`${kind}: the run ended before it could be killed`)
      return readdirSync(dir).find((f) => f.endsWith('.tmp') && statSync(join(dir, f)).size > 1 << 20) ?? null
    }, 60_000, 20)
    child.kill('SIGKILL')
    await closed
    t.same(readdirSync(dir), [temporary], `${kind}: the killed run left its temporary file`)
    t.ok(Buffer.byteLength(temporary) <= 255, `${kind}: a legal name`)
    t.ok(temporary.startsWith(`.${name.slice(0, 40)}`), `${kind}: it begins as the file's name, recognisable: ${temporary}`)
    const next = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, name))
    t.equal(next.code, 0, next.stderr)
    t.same(readdirSync(dir), [name], `${kind}: the next run removed it`)
  }
})

t.test('the next run removes only the temporary files of its own name and form: a file whose process id is not written in digits stays', async (t) => {
  const others = ['.f.txt.1e9.tmp', '.f.txt.0x3B9ACA00.tmp', '.f.txt. 999999999.tmp', '.f.txt.999999999.5.tmp', '.f.txt.0999999999.tmp', '.f.txt.999999999.tmp.kept']
  const dir = t.testdir(Object.fromEntries([...others, '.f.txt.999999999.tmp'].map((name) => [name, 'not the file'])))
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, 'f.txt'))
  t.equal(r.code, 0, r.stderr)
  t.same(readdirSync(dir).sort(), [...others, 'f.txt'].sort(), 'only .f.txt.999999999.tmp, of a process that is gone, went')
})

t.test('a file over the size limit of the process (ulimit -f: EFBIG) is told in French, exit 2, and leaves nothing', { skip: !existsSync(BIN) && 'dist/ not built' }, async (t) => {
  const dir = t.testdir()
  const out = join(dir, 'f.txt')
  const { spawnSync } = await import('node:child_process')
  const r = spawnSync('bash', ['-c', `ulimit -f 100; exec env -u NODE_OPTIONS "${process.execPath}" "${BIN}" generate --scenario "${DEMO}" --departement 77 --date 2026-11-01 --records 2000 -o "${out}"`], { encoding: 'utf8' })
  t.equal(r.status, 2, r.stderr)
  t.match(r.stderr, /Fichier trop grand pour la limite du système \(EFBIG/)
  t.notMatch(r.stderr, /erreur système/)
  t.same(readdirSync(dir), [], 'nothing kept')
})

t.test('-o /proc/self/status: the folder exists but takes no new file; said so, not « Dossier introuvable »', { skip: !existsSync('/proc/self/status') && 'no /proc' }, async (t) => {
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '2', '-o', '/proc/self/status')
  t.equal(r.code, 2)
  t.match(r.stderr, /Impossible d'écrire \/proc\/self\/status : le dossier \/proc\/self existe, mais son système de fichiers n'y accepte aucun nouveau fichier/)
  t.notMatch(r.stderr, /Dossier introuvable/)
})

t.test('a file made read-only (444) is not replaced, as cp and the shell refuse it: said in French, exit 2, its bytes kept; a period\'s file too', { skip: !existsSync(BIN) && 'dist/ not built (npm run build)' }, async (t) => {
  const { chmodSync } = await import('node:fs')
  const { spawnSync } = await import('node:child_process')
  const dir = t.testdir({ 'garde.txt': 'avant', periode: { 'MOUVEMENTS_971_20261102_20261102.csv': 'avant' } })
  // root writes anything: the command is run as nobody, in folders it may write, on files it may not
  chmodSync(dir, 0o777)
  chmodSync(join(dir, 'periode'), 0o777)
  chmodSync(join(dir, 'garde.txt'), 0o444)
  chmodSync(join(dir, 'periode', 'MOUVEMENTS_971_20261102_20261102.csv'), 0o444)
  const as = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {}
  const run = (...args: string[]): { status: number | null, stderr: string } => spawnSync('env', ['-u', 'NODE_OPTIONS', process.execPath, BIN, ...args], { cwd: dir, encoding: 'utf8', env: { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' }, ...as })
  const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname
  const one = run('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', 'garde.txt')
  t.equal(one.status, 2, one.stderr)
  t.match(one.stderr, /garde\.txt est en lecture seule : la commande ne le remplace pas/)
  t.equal(readFileSync(join(dir, 'garde.txt'), 'utf8'), 'avant', 'its bytes kept')
  const period = run('generate', '--scenario', DEMO, '--departement', '971', '--from', '2026-11-02', '--to', '2026-11-02', '--records', '3', '--output-dir', 'periode')
  t.equal(period.status, 2, period.stderr)
  t.match(period.stderr, /MOUVEMENTS_971_20261102_20261102\.csv est en lecture seule/)
  t.equal(readFileSync(join(dir, 'periode', 'MOUVEMENTS_971_20261102_20261102.csv'), 'utf8'), 'avant')
  t.same(readdirSync(join(dir, 'periode')), ['MOUVEMENTS_971_20261102_20261102.csv'], 'nothing else left there')
})
