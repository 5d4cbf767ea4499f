import t from 'tap'
import { PhebusError } from '../../src/errors.js'
import { execFileSync, spawn, spawnSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { chmodSync, createReadStream, existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { Writable } from 'node:stream'
import { run } from '../../src/cli/run.js'
import { join } from 'node:path'
import { writeFileAtomically } from '../../src/cli/output.js'
import { pecgmChunks } from '../../src/generate/pecgm-file.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import { PecgmValidator } from '../../src/validate/pecgm-validator.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { installedCommand } from '../../src/paths.js'
import { cli } from './helpers.js'
import { waitFor } from '../waiting.js'

const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname
const demo = await loadScenarioFile(DEMO)

t.test('writes the PECGM of a département to the file asked for', async (t) => {
  const dir = t.testdir()
  const out = join(dir, 'f.txt')
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--output', out)
  t.equal(r.code, 0)
  const { records, problems } = readPecgm(readFileSync(out))
  t.same(problems, [])
  t.equal(records.length, 302)
  t.match(r.stderr, /300/)
  t.same(readdirSync(dir), ['f.txt'], 'no temporary file left')
})

t.test('writes to standard output with -, and names the file by D9 by default', async (t) => {
  const r = await cli('generate', '--scenario', DEMO, '--departement', '971', '--date', '2026-11-01', '--records', '5', '--output', '-')
  t.equal(r.code, 0)
  t.equal(r.stdout.length, 7 * 1201)
  const dir = t.testdir()
  const cwd = process.cwd()
  process.chdir(dir)
  t.teardown(() => process.chdir(cwd))
  const d = await cli('generate', '--scenario', DEMO, '--departement', '93', '--date', '2026-11-01', '--records', '2', '--periodicity', 'M')
  t.equal(d.code, 0)
  t.ok(existsSync(join(dir, 'PECGM_93_M_20261101_20261101.txt')))
})

t.test('bad arguments get a clear message and exit code 2', async (t) => {
  const cases = [
    { name: 'no scenario', argv: ['generate', '--departement', '77'] },
    { name: 'unknown option', argv: ['generate', '--scenario', DEMO, '--departement', '77', '--colour'] },
    { name: 'impossible date', argv: ['generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-02-30'] },
    { name: 'bad periodicity', argv: ['generate', '--scenario', DEMO, '--departement', '77', '--periodicity', 'W'] },
    { name: 'negative records', argv: ['generate', '--scenario', DEMO, '--departement', '77', '--records', '-3'] },
    { name: 'missing scenario file', argv: ['generate', '--scenario', '/nope.yaml', '--departement', '77'] },
    { name: 'unknown command', argv: ['generer'] },
    { name: 'no command', argv: [] }
  ]
  for (const c of cases) {
    const r = await cli(...c.argv)
    t.equal(r.code, 2, c.name)
    t.match(r.stderr, /phebus-mock/, `${c.name}: says what`)
  }
})

t.test('--records stops at the largest population a scenario may have (10 000 000)', async (t) => {
  for (const command of [['generate'], ['sample', 'cgpem']]) {
    const r = await cli(...command, '--scenario', DEMO, '--departement', '77', '--records', '10000001', '--output', '-')
    t.equal(r.code, 2, command.join(' '))
    t.match(r.stderr, /--records attend un nombre entier de [01] à 10\u00a0000\u00a0000, lu « 10000001 »/)
    t.match(r.stderr, /\[PHEBUS_CLI_USAGE\]/)
  }
})

t.test('a generation that fails part-way leaves no file, not even a temporary one, and the old file as it was', async (t) => {
  const dir = t.testdir({ 'old.txt': 'before' })
  const failing = function * (): Generator<Buffer> {
    yield * [...pecgmChunks({ scenario: demo, departement: '77', referenceDay: parseIsoDate('2026-11-01') as number, records: 3 })].slice(0, 2)
    throw new PhebusError('PHEBUS_GENERATE_CAPACITY', 'plus de NIR fictif libre')
  }
  await t.rejects(writeFileAtomically(join(dir, 'new.txt'), failing()), { code: 'PHEBUS_GENERATE_CAPACITY' })
  await t.rejects(writeFileAtomically(join(dir, 'old.txt'), failing()), { code: 'PHEBUS_GENERATE_CAPACITY' })
  t.same(readdirSync(dir), ['old.txt'])
  t.equal(readFileSync(join(dir, 'old.txt'), 'utf8'), 'before')
})

t.test('a département absent from the scenario exits 1 and names the ones there', async (t) => {
  const r = await cli('generate', '--scenario', DEMO, '--departement', '13', '--output', '-')
  t.equal(r.code, 1)
  t.match(r.stderr, /77, 93, 971/)
  t.match(r.stderr, /PHEBUS_SCENARIO_UNKNOWN_DEPARTEMENT/)
})

t.test('a large stock (--records known at the start) says what is wrong with its scenario or its département before its file, and leaves nothing', async (t) => {
  const dir = t.testdir({ 'bad.yaml': 'name: bad\ndescription: x\nseed: 1\ndepartements:\n  - code: \'77\'\n    name: X\n    population: -4\n', 'old.txt': 'before' })
  const large = ['--date', '2026-11-01', '--records', '100000']
  // its file is opened while the scenario is read: a scenario that fails leaves no temporary file, and the old file as it was
  const bad = await cli('generate', '--scenario', join(dir, 'bad.yaml'), '--departement', '77', ...large, '--output', join(dir, 'old.txt'))
  t.equal(bad.code, 1)
  t.match(bad.stderr, /bad\.yaml:7:5 departements\[0\]\.population/)
  const absent = await cli('generate', '--scenario', DEMO, '--departement', '13', ...large, '--output', join(dir, 'old.txt'))
  t.equal(absent.code, 1)
  t.match(absent.stderr, /PHEBUS_SCENARIO_UNKNOWN_DEPARTEMENT/)
  t.same(readdirSync(dir).sort(), ['bad.yaml', 'old.txt'], 'no temporary file left')
  t.equal(readFileSync(join(dir, 'old.txt'), 'utf8'), 'before')
  // both wrong: the scenario's error, as when it was read before the file was opened
  const both = await cli('generate', '--scenario', join(dir, 'bad.yaml'), '--departement', '77', ...large, '--output', join(dir, 'nowhere', 'f.txt'))
  t.equal(both.code, 1)
  t.match(both.stderr, /bad\.yaml:7:5/)
  // the scenario good, the folder absent: the file's error
  const folder = await cli('generate', '--scenario', DEMO, '--departement', '77', ...large, '--output', join(dir, 'nowhere', 'f.txt'))
  t.equal(folder.code, 2)
  t.match(folder.stderr, /nowhere/)
})

t.test('scenario check says a scenario is valid, or where it is not', async (t) => {
  const ok = await cli('scenario', 'check', DEMO)
  t.equal(ok.code, 0)
  t.match(ok.stdout.toString(), /conforme/)
  const dir = t.testdir({ 'bad.yaml': 'name: bad\ndescription: x\nseed: 1\ndepartements:\n  - code: \'77\'\n    name: X\n    population: -4\n' })
  const bad = await cli('scenario', 'check', join(dir, 'bad.yaml'))
  t.equal(bad.code, 1)
  t.match(bad.stderr, /bad\.yaml:7:5 departements\[0\]\.population/)
})

t.test('the installed command (package.json\'s bin, the bundle) runs with its shebang', { skip: !existsSync(installedCommand()) && 'dist/ not built' }, async (t) => {
  const bin = installedCommand()
  const out = execFileSync(process.execPath, [bin, 'generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', '-'])
  t.equal(out.length, 5 * 1201)
  const bad = spawnSync(process.execPath, [bin, 'generate', '--records', 'x'], { encoding: 'utf8' })
  t.equal(bad.status, 2)
  t.equal(readFileSync(bin, 'utf8').split('\n')[0], '#!/usr/bin/env node')
})

t.test('--output through a symbolic link replaces the file it names and keeps the link', async (t) => {
  const dir = t.testdir({ 'real.txt': 'before', link: t.fixture('symlink', 'real.txt') })
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, 'link'))
  t.equal(r.code, 0, r.stderr)
  t.ok(lstatSync(join(dir, 'link')).isSymbolicLink(), 'the link is still a link')
  t.equal(readFileSync(join(dir, 'real.txt')).length, 5 * 1201, 'the file it names holds the PECGM')
  t.same(readdirSync(dir).sort(), ['link', 'real.txt'], 'no temporary file left')
})

t.test('--output through a symbolic link that names no file yet creates that file and keeps the link, as a shell\'s > does; through two links too', async (t) => {
  const dir = t.testdir({ out: {}, link: t.fixture('symlink', 'out/stock.txt'), hop: t.fixture('symlink', 'link'), broken: t.fixture('symlink', 'nowhere/stock.txt') })
  for (const via of ['link', 'hop']) {
    const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, via))
    t.equal(r.code, 0, r.stderr)
    t.ok(lstatSync(join(dir, via)).isSymbolicLink(), `${via}: the link is still a link`)
    t.equal(readFileSync(join(dir, 'out', 'stock.txt')).length, 5 * 1201, `${via}: the file it names holds the PECGM`)
    t.same(readdirSync(join(dir, 'out')), ['stock.txt'], `${via}: no temporary file left`)
  }
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, 'broken'))
  t.equal(r.code, 2, 'a link into a folder that does not exist: refused')
  t.match(r.stderr, /nowhere/, 'naming the folder it leads to')
  t.ok(lstatSync(join(dir, 'broken')).isSymbolicLink(), 'and the link left as it was')
})

t.test('a file written again keeps its permissions (a private 600 stays 600), a period\'s too, where each became 644 from the umask', async (t) => {
  const dir = t.testdir({ 'f.txt': 'before', periode: { 'MOUVEMENTS_971_20261102_20261102.csv': 'before' } })
  chmodSync(join(dir, 'f.txt'), 0o600)
  chmodSync(join(dir, 'periode', 'MOUVEMENTS_971_20261102_20261102.csv'), 0o640)
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, 'f.txt'))
  t.equal(r.code, 0, r.stderr)
  t.equal(readFileSync(join(dir, 'f.txt')).length, 5 * 1201, 'written')
  t.equal(statSync(join(dir, 'f.txt')).mode & 0o777, 0o600, 'still 600')
  const p = await cli('generate', '--scenario', DEMO, '--departement', '971', '--from', '2026-11-02', '--to', '2026-11-02', '--records', '3', '--output-dir', join(dir, 'periode'))
  t.equal(p.code, 0, p.stderr)
  t.equal(statSync(join(dir, 'periode', 'MOUVEMENTS_971_20261102_20261102.csv')).mode & 0o777, 0o640, 'still 640')
})

t.test('--output to a FIFO writes into it in place, a large stock too (never renamed over it)', { skip: spawnSync('mkfifo', ['--version']).status !== 0 && 'mkfifo absent' }, async (t) => {
  const dir = t.testdir()
  for (const records of ['3', '120000']) {
    const fifo = join(dir, `p${records}`)
    execFileSync('mkfifo', [fifo])
    const read = new Promise<number>((resolve, reject) => {
      let n = 0
      createReadStream(fifo).on('data', (c) => { n += c.length }).on('end', () => resolve(n)).on('error', reject)
    })
    const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', records, '--output', fifo)
    t.equal(r.code, 0, r.stderr)
    t.equal(await read, (Number(records) + 2) * 1201, `${records} records came through the FIFO`)
    t.ok(lstatSync(fifo).isFIFO(), 'still a FIFO')
  }
})

t.test('the temporary file of a run that was stopped is removed by the next write beside it; a live one is left', async (t) => {
  const dir = t.testdir({ '.f.txt.999999999.tmp': 'partial', [`.f.txt.${process.ppid}.tmp`]: 'a run still going' })
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3', '--output', join(dir, 'f.txt'))
  t.equal(r.code, 0, r.stderr)
  t.same(readdirSync(dir).sort(), [`.f.txt.${process.ppid}.tmp`, 'f.txt'])
})

t.test('standard output that fails (disk full) is an error, exit 2, not a silent success', async (t) => {
  class Full extends Writable {
    written = 0
    override _write (chunk: Buffer, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
      this.written += chunk.length
      cb(this.written > 20_000 ? Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }) : null)
    }
  }
  const stderr: Buffer[] = []
  const code = await run(['generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--output', '-'], {
    stdout: new Full(),
    stderr: new Writable({ write (c: Buffer, _e, cb) { stderr.push(Buffer.from(c)); cb() } }),
    now: () => Date.UTC(2026, 10, 27, 10),
    env: {}
  })
  t.equal(code, 2)
  t.match(Buffer.concat(stderr).toString(), /sortie standard impossible \(disque plein ou quota atteint\).*\[PHEBUS_IO\]/)
})

t.test('--version and the main help to a standard output that fails (disk full) exit 2 too, as a command\'s --help does', async (t) => {
  for (const argv of [['--version'], ['generate', '--version'], ['--help'], ['help']]) {
    const stderr: Buffer[] = []
    const code = await run(argv, {
      stdout: new Writable({ write (_c: Buffer, _e, cb) { cb(Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })) } }),
      stderr: new Writable({ write (c: Buffer, _e, cb) { stderr.push(Buffer.from(c)); cb() } }),
      now: () => Date.UTC(2026, 10, 27, 10),
      env: {}
    })
    t.equal(code, 2, argv.join(' '))
    t.match(Buffer.concat(stderr).toString(), /^phebus-mock : Écriture sur la sortie standard impossible \(disque plein ou quota atteint\).*\[PHEBUS_IO\]\n$/, argv.join(' '))
  }
})

t.test('« help COMMAND » is « COMMAND --help »', async (t) => {
  const asked = await cli('help', 'generate')
  t.equal(asked.code, 0)
  t.equal(asked.stdout.toString(), (await cli('generate', '--help')).stdout.toString())
  t.match(asked.stdout.toString(), /--periodicity/)
})

t.test('« help » of a command that does not exist says so, exit 2, as the command itself would', async (t) => {
  const r = await cli('help', 'generer')
  t.equal(r.code, 2)
  t.match(r.stderr, /commande inconnue « generer »/)
})

t.test('« help help » is the main help, exit 0; the help of generate and sample lists -o beside --output', async (t) => {
  const r = await cli('help', 'help')
  t.equal(r.code, 0)
  t.equal(r.stdout.toString(), (await cli('--help')).stdout.toString())
  for (const command of ['generate', 'sample']) t.match((await cli(command, '--help')).stdout.toString(), /-o, --output FICHIER\|-/, command)
})

t.test('a date that is no date (month 13, 30 February, day 00) is refused in French, exit 2, for every date option', async (t) => {
  for (const [option, value] of [['--date', '2026-13-02'], ['--date', '2026-02-30'], ['--made', '2026-00-10'], ['--date', '2026-11-00']] as const) {
    const r = await cli('generate', '--scenario', DEMO, '--departement', '77', option, value, '--output', '-')
    t.equal(r.code, 2, `${option} ${value}`)
    t.match(r.stderr, new RegExp(`${option} attend une date réelle AAAA-MM-JJ, lu « ${value} »`))
    t.notMatch(r.stderr, /RangeError|at /, 'no trace')
  }
  const period = await cli('generate', '--scenario', DEMO, '--departement', '77', '--from', '2026-13-01', '--to', '2027-01-31', '--output-dir', t.testdir())
  t.equal(period.code, 2)
  t.match(period.stderr, /--from attend une date réelle AAAA-MM-JJ, lu « 2026-13-01 »/)
})

t.test('dates outside what an exchange may be dated (1980 to 2099) are refused with that range; its first day makes a valid file', async (t) => {
  for (const [option, value] of [['--date', '1979-12-31'], ['--date', '1899-12-31'], ['--date', '2100-01-01'], ['--made', '1960-06-01']] as const) {
    const r = await cli('generate', '--scenario', DEMO, '--departement', '77', option, value, '--output', '-')
    t.equal(r.code, 2, `${option} ${value}`)
    t.match(r.stderr, new RegExp(`${option} attend une date du 1980-01-01 au 2099-12-31 .*, lu « ${value} »`))
  }
  const period = await cli('generate', '--scenario', DEMO, '--departement', '77', '--from', '1979-12-01', '--to', '1980-01-31', '--output-dir', t.testdir())
  t.equal(period.code, 2)
  t.match(period.stderr, /--from attend une date du 1980-01-01/)
  // the first day: every person born after 1900, no day of the draw taken for « none » (days before 1970 are negative)
  for (const departement of ['77', '93', '971']) {
    const r = await cli('generate', '--scenario', DEMO, '--departement', departement, '--date', '1980-01-01', '--records', '3000', '--output', '-')
    t.equal(r.code, 0, departement)
    const v = new PecgmValidator({ today: parseIsoDate('1980-01-01') as number })
    v.push(r.stdout)
    const report = v.end()
    t.same(report.stats.byCode, {}, `${departement}: valid on its date`)
    t.ok(report.valid)
  }
})

t.test('--output must name a file that is not the scenario; --output-dir must name a folder', async (t) => {
  const dir = t.testdir()
  const scenario = join(dir, 'mine.yaml')
  execFileSync('cp', [DEMO, scenario])
  const before = readFileSync(scenario)
  const cases = [
    { argv: ['--output', scenario], says: /--output .*mine\.yaml est le fichier que la commande lit \(--scenario\) : il serait écrasé/ },
    { argv: ['--output', join(dir, 'folder/')], says: /un nom de fichier est attendu, pas un dossier/ },
    { argv: ['--output', ''], says: /--output attend le nom du fichier à écrire/ },
    { argv: ['--from', '2026-11-01', '--to', '2026-11-30', '--output-dir', ''], says: /--output-dir attend un dossier/ }
  ]
  for (const c of cases) {
    const r = await cli('generate', '--scenario', scenario, '--departement', '77', ...c.argv)
    t.equal(r.code, 2, c.argv.join(' '))
    t.match(r.stderr, c.says)
  }
  t.same(readFileSync(scenario), before, 'the scenario is untouched')
  t.same(readdirSync(dir), ['mine.yaml'], 'nothing written')
})

t.test('a period that fails midway leaves nothing of it: the files it wrote and the folder it made go, and the message says so', async (t) => {
  const dir = t.testdir({ 'kept.txt': 'before' })
  const period = join(dir, 'a', 'b')
  // the movements file cannot be written (a folder has its name): the period's last file fails
  const { mkdirSync } = await import('node:fs')
  mkdirSync(join(period, 'MOUVEMENTS_971_20261101_20261130.csv'), { recursive: true })
  const r = await cli('generate', '--scenario', DEMO, '--departement', '971', '--from', '2026-11-01', '--to', '2026-11-30', '--records', '20', '--output-dir', period)
  t.equal(r.code, 2)
  t.match(r.stderr, /La période n'est pas écrite : les 2\d fichiers qu'elle avait préparés sont effacés, .*b est tel qu'il était\./)
  t.same(readdirSync(period), ['MOUVEMENTS_971_20261101_20261130.csv'], 'only what was there before')
  // without that obstacle, in a folder the run makes: all of it
  const fresh = join(dir, 'c', 'd')
  const ok = await cli('generate', '--scenario', DEMO, '--departement', '971', '--from', '2026-11-01', '--to', '2026-11-30', '--records', '20', '--output-dir', fresh)
  t.equal(ok.code, 0)
  t.ok(readdirSync(fresh).length > 20)
})

t.test('--output-dir under a file system that takes no new folder (/proc) is refused at once, exit 2, where it hung at full CPU', { skip: !existsSync('/proc/self') && 'no /proc' }, async (t) => {
  let timer: NodeJS.Timeout | undefined
  const late = new Promise<null>((resolve) => { timer = setTimeout(() => resolve(null), 20_000) })
  const r = await Promise.race([cli('generate', '--scenario', DEMO, '--departement', '77', '--from', '2026-11-02', '--to', '2026-11-02', '--output-dir', '/proc/phebus-mock-absent/periode'), late])
  clearTimeout(timer)
  if (r === null) return t.fail('still running after 20 s')
  t.equal(r.code, 2)
  t.match(r.stderr, /^phebus-mock generate : \/proc existe, mais son système de fichiers n'y accepte aucun nouveau dossier \(un système virtuel comme \/proc ou \/sys\) : \/proc\/phebus-mock-absent ne peut pas y être créé\. La période n'est pas écrite/)
})

t.test('the help tells the exit status of a département absent from the scenario as the command gives it', async (t) => {
  const absent = await cli('generate', '--scenario', DEMO, '--departement', '13', '--output', '-')
  t.equal(absent.code, 1)
  t.match((await cli('generate', '--help')).stdout.toString(), /1 scénario non conforme ou\sdépartement absent du scénario/)
})

t.test('a file made before its reference day is refused: its details would be dated after it was made', async (t) => {
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-20', '--made', '2026-11-02', '--output', '-')
  t.equal(r.code, 2)
  t.equal(r.stdout.length, 0, 'nothing written')
  t.match(r.stderr, /--made \(2026-11-02\) est avant --date \(2026-11-20\)/)
  const same = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--made', '2026-11-02', '--records', '20', '--output', '-')
  t.equal(same.code, 0, 'made after the reference day: the server\'s own stock')
})

/** Every file of a folder and a digest of its bytes: what a run must leave exactly as it was. */
function snapshot (dir: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const f of readdirSync(dir).sort()) {
    const path = join(dir, f)
    out[f] = lstatSync(path).isDirectory() ? 'dossier' : createHash('sha256').update(readFileSync(path)).digest('hex')
  }
  return out
}

t.test('a period written again over an earlier one (another --seed) that fails on a target which is a folder leaves the folder exactly as it was', async (t) => {
  const dir = t.testdir()
  const period = ['--scenario', DEMO, '--departement', '971', '--from', '2026-11-01', '--to', '2026-11-30', '--records', '20', '--output-dir', dir]
  t.equal((await cli('generate', ...period, '--seed', '1')).code, 0)
  // one file of the middle of the period replaced by a folder: the earlier ones of the new run are already written when it fails
  const files = readdirSync(dir).filter((f) => f.startsWith('PECGM_971_Q_')).sort()
  const middle = files[Math.floor(files.length / 2)] as string
  const { mkdirSync, rmSync } = await import('node:fs')
  rmSync(join(dir, middle))
  mkdirSync(join(dir, middle))
  const before = snapshot(dir)
  const r = await cli('generate', ...period, '--seed', '2')
  t.equal(r.code, 2, r.stderr)
  t.match(r.stderr, new RegExp(`${middle} est un dossier.*La période n'est pas écrite : .*est tel qu'il était\\.`))
  t.same(snapshot(dir), before, 'every earlier file with its earlier bytes, no temporary file')
})

t.test('a period written again over an earlier one, stopped by SIGINT midway, leaves the folder exactly as it was and ends by the signal', { skip: !existsSync(installedCommand()) && 'dist/ not built (npm run build)' }, async (t) => {
  const dir = t.testdir()
  const period = ['generate', '--scenario', DEMO, '--departement', '971', '--from', '2026-01-01', '--to', '2026-12-31', '--records', '5000', '--output-dir', dir]
  const first = await cli(...period, '--seed', '1')
  t.equal(first.code, 0, first.stderr)
  const before = snapshot(dir)
  t.ok(Object.keys(before).length > 200)
  // the test runner's hooks are in NODE_OPTIONS: env(1) drops them, as a user's shell has none
  const child = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, installedCommand(), ...period, '--seed', '2'], { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, s) => resolve([code, s])))
  t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
  // stopped once many of its files are written: midway
  await waitFor('files of the new run', () => readdirSync(dir).filter((f) => f.endsWith('.tmp')).length > 100 ? true : null, 60_000, 10)
  child.kill('SIGINT')
  const [code, ended] = await closed
  t.same([code, ended], [null, 'SIGINT'], `ended by SIGINT; stderr: ${stderr}`)
  t.same(snapshot(dir), before, 'every earlier file with its earlier bytes, no temporary file')
})
