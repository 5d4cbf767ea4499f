import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeFileAtomically } from '../src/cli/output.js'
import { cgpemChunks } from '../src/generate/cgpem-file.js'
import { parseIsoDate } from '../src/layouts/dates.js'
import { packageRoot } from '../src/paths.js'
import { median, type BenchResult } from './result.js'
import { benchOrientations } from './validate-data.js'

/**
 * `phebus-mock validate` on a 200 000-orientation XML CGPEM (about 120 MB),
 * beside `xmllint --noout --stream --schema docs/cgpem.xsd` on the same file,
 * in the same run: throughput and peak memory, medians of 3 interleaved runs,
 * each in its own process.
 */

const RECORDS = 200_000
const RUNS = 3
const TODAY = '2026-11-20'
const SELF = fileURLToPath(import.meta.url)
/** From dist/ the child is plain JavaScript; from the sources it runs under tsx. */
const CHILD_ARGS = SELF.endsWith('.js')
  ? [join(SELF, '..', 'validate-child.js')]
  : ['--import=tsx', join(SELF, '..', 'validate-child.ts')]

interface Run { seconds: number, maxRssMB: number }

function validateRun (file: string): Run {
  const out = execFileSync(process.execPath, [...CHILD_ARGS, file, TODAY], { encoding: 'utf8', cwd: packageRoot() })
  return JSON.parse(out.trim().split('\n').pop() as string) as Run
}

function findXmllint (): string | null {
  for (const p of ['/usr/bin/xmllint', '/usr/local/bin/xmllint']) if (existsSync(p)) return p
  try {
    return execFileSync('sh', ['-c', 'command -v xmllint'], { encoding: 'utf8' }).trim() || null
  } catch {
    return null
  }
}

/** Runs a command and measures its time and peak memory: GNU time when present, else /proc polling. */
async function measured (command: string, args: string[]): Promise<Run> {
  const gnuTime = existsSync('/usr/bin/time')
  const start = process.hrtime.bigint()
  const child = gnuTime
    ? spawn('/usr/bin/time', ['-f', '%M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'] })
    : spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  let peakKB = 0
  const poll = gnuTime
    ? null
    : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'))
        if (m) peakKB = Math.max(peakKB, Number(m[1]))
      } catch {}
    }, 10)
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (poll) clearInterval(poll)
  if (code !== 0) throw new Error(`${command} a échoué (${code}) : ${stderr}`)
  if (gnuTime) peakKB = Number(stderr.trim().split('\n').pop())
  return { seconds, maxRssMB: peakKB / 1024 }
}

export async function benchValidate (): Promise<BenchResult[]> {
  const today = parseIsoDate(TODAY) as number
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-validate-'))
  try {
    const file = join(dir, 'CGPEM_BENCH.xml')
    await writeFileAtomically(file, cgpemChunks(benchOrientations(RECORDS, 42, today), 'xml'))
    const mb = statSync(file).size / 1e6
    const xmllint = findXmllint()
    const xsd = join(packageRoot(), 'docs', 'cgpem.xsd')
    const ours: Run[] = []
    const theirs: Run[] = []
    for (let i = 0; i < RUNS; i++) { // interleaved, so that noise hits both alike
      ours.push(validateRun(file))
      if (xmllint) theirs.push(await measured(xmllint, ['--noout', '--stream', '--schema', xsd, file]))
    }
    const ref = (name: string, f: (r: Run) => number): { reference?: { name: string, value: number } } =>
      theirs.length > 0 ? { reference: { name, value: median(theirs.map(f)) } } : {}
    const note = `${RECORDS.toLocaleString('fr-FR')} orientations, ${mb.toFixed(0)} Mo${xmllint ? '' : ' ; xmllint absent : pas de référence'}`
    return [
      { name: 'validate : débit (XML)', value: median(ours.map((r) => mb / r.seconds)), unit: 'Mo/s', ...ref('xmllint --stream --schema', (r) => mb / r.seconds), target: '≥ xmllint', note },
      { name: 'validate : orientations par seconde', value: median(ours.map((r) => RECORDS / r.seconds)), unit: 'orientations/s', ...ref('xmllint --stream --schema', (r) => RECORDS / r.seconds) },
      { name: 'validate : mémoire de pointe', value: median(ours.map((r) => r.maxRssMB)), unit: 'Mo', ...ref('xmllint --stream --schema', (r) => r.maxRssMB), target: '< 100 Mo' }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
