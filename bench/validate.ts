import { execFileSync } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { writeFileAtomically } from '../src/cli/output.js'
import { cgpemChunks } from '../src/generate/cgpem-file.js'
import { parseIsoDate } from '../src/layouts/dates.js'
import { installedCommand, packageRoot } from '../src/paths.js'
import { findProgram, measured, type ProcessRun } from './process.js'
import { median, pairRatios, type BenchResult } from './result.js'
import { benchOrientations } from './validate-data.js'

/**
 * `phebus-mock validate` on a 200 000-orientation XML CGPEM (about 120 MB),
 * beside `xmllint --noout --stream --schema docs/cgpem.xsd` on the same file,
 * in the same run, medians of 3 interleaved runs, each in its own process.
 * The figure that counts is the whole process, start-up included, as a user
 * waits for it: the command as installed (`node dist/bin/phebus-mock.js`, package.json's bin, no npx)
 * against xmllint's. The child that validates with everything loaded is kept
 * as a profile of the validator alone.
 */

const RECORDS = 200_000
const RUNS = 3
const TODAY = '2026-11-20'
const SELF = fileURLToPath(import.meta.url)
/** From dist/ the child is plain JavaScript; from the sources it runs under tsx. */
const CHILD_ARGS = SELF.endsWith('.js')
  ? [join(SELF, '..', 'validate-child.js')]
  : ['--import=tsx', join(SELF, '..', 'validate-child.ts')]

type Run = ProcessRun

function validateRun (file: string): Run {
  const out = execFileSync(process.execPath, [...CHILD_ARGS, file, TODAY], { encoding: 'utf8', cwd: packageRoot() })
  return JSON.parse(out.trim().split('\n').pop() as string) as Run
}

/** The command as installed: the built CLI, run by node itself. */
const CLI = installedCommand()

export async function benchValidate (): Promise<BenchResult[]> {
  const today = parseIsoDate(TODAY) as number
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-validate-'))
  try {
    const file = join(dir, 'CGPEM_BENCH.xml')
    await writeFileAtomically(file, cgpemChunks(benchOrientations(RECORDS, 42, today), 'xml'))
    const mb = statSync(file).size / 1e6
    const xmllint = findProgram('xmllint')
    const xsd = join(packageRoot(), 'docs', 'cgpem.xsd')
    const ours: Run[] = []
    const whole: Run[] = []
    const theirs: Run[] = []
    const cli = existsSync(CLI)
    for (let i = 0; i < RUNS; i++) { // interleaved, so that noise hits all alike
      if (cli) whole.push(await measured(process.execPath, [CLI, 'validate', file, '--format', 'json', '--date', TODAY], { cwd: packageRoot() }))
      if (xmllint) theirs.push(await measured(xmllint, ['--noout', '--stream', '--schema', xsd, file]))
      ours.push(validateRun(file))
    }
    // each run of ours (whole process, or profile) beside xmllint's of the same round
    const ref = (name: string, f: (r: Run) => number, mine: Run[] = whole): { reference?: { name: string, value: number }, pairs?: number[] } =>
      theirs.length > 0 ? { reference: { name, value: median(theirs.map(f)) }, pairs: pairRatios(mine.map(f), theirs.map(f)) } : {}
    const note = `${RECORDS.toLocaleString('fr-FR')} orientations, ${mb.toFixed(0)} Mo${xmllint ? '' : ' ; xmllint absent : pas de référence'}`
    const explained = `${note} ; processus entier, démarrage compris : node dist/bin/phebus-mock.js validate FICHIER --format json contre xmllint --noout --stream --schema docs/cgpem.xsd FICHIER (libxml2, un validateur de schéma en flux), médianes de ${RUNS} exécutions alternées`
    const wholeFigures: BenchResult[] = whole.length === 0
      ? []
      : [
          { name: 'validate : processus entier (XML)', value: median(whole.map((r) => r.seconds)), unit: 's', ...ref('xmllint --stream --schema', (r) => r.seconds), target: '≤ xmllint / 1,5 (rapport ≤ 0,67)', note: explained },
          { name: 'validate : processus entier, débit', value: median(whole.map((r) => mb / r.seconds)), unit: 'Mo/s', ...ref('xmllint --stream --schema', (r) => mb / r.seconds), target: '≥ 1,5 × xmllint' },
          { name: 'validate : processus entier, mémoire de pointe', value: median(whole.map((r) => r.maxRssMB)), unit: 'Mo', ...ref('xmllint --stream --schema', (r) => r.maxRssMB), target: '< 100 Mo' }
        ]
    return [
      ...wholeFigures,
      { name: 'validate : profil du validateur seul (modules chargés), débit', value: median(ours.map((r) => mb / r.seconds)), unit: 'Mo/s', ...ref('xmllint --stream --schema', (r) => mb / r.seconds, ours), note: `${note} ; profil : le validateur dans un processus qui a déjà tout chargé, sans le démarrage` },
      { name: 'validate : profil, orientations par seconde', value: median(ours.map((r) => RECORDS / r.seconds)), unit: 'orientations/s', ...ref('xmllint --stream --schema', (r) => RECORDS / r.seconds, ours) },
      { name: 'validate : profil, mémoire de pointe', value: median(ours.map((r) => r.maxRssMB)), unit: 'Mo', ...ref('xmllint --stream --schema', (r) => r.maxRssMB, ours), target: '< 100 Mo' }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
