import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { installedCommand, packageRoot } from '../src/paths.js'
import { measured, type ProcessRun } from './process.js'
import { fmt, median, pairRatios, type BenchResult } from './result.js'

/**
 * `phebus-mock generate` of a million records as its user waits for it: the
 * built command run by node, start-up included, beside a process that writes
 * the same number of ready-made records to the same file system the same way
 * (the ceiling), interleaved, medians of 5. Then, as a profile only, the
 * generator's own rate inside a process that has loaded everything.
 */

const RECORDS = 1_000_000
/** The figure swings with the page cache's cost here (docs/performance.md): five runs of each, interleaved. */
const RUNS = 5
const SELF = fileURLToPath(import.meta.url)
const FROM_DIST = SELF.endsWith('.js')
const CHILD = join(SELF, '..', `generate-child.${FROM_DIST ? 'js' : 'ts'}`)
const NODE_ARGS = FROM_DIST ? [] : ['--import=tsx']
const CLI = FROM_DIST ? installedCommand() : join(packageRoot(), 'src', 'cli.ts')

function profiled (): number {
  const out = execFileSync(process.execPath, [...NODE_ARGS, CHILD, 'generate', String(RECORDS)], { encoding: 'utf8' })
  return (JSON.parse(out.trim().split('\n').pop() as string) as ProcessRun).seconds
}

/**
 * The processor time of both, user space and kernel (medians): the kernel's
 * is mostly the copy of 1.2 GB into the page cache, the same bytes for both,
 * whose cost swings with the host's memory here (docs/performance.md). Empty without GNU time.
 */
function cpuNote (gen: ProcessRun[], ceiling: ProcessRun[]): string {
  const of = (runs: ProcessRun[], key: 'userSeconds' | 'systemSeconds'): string | null => {
    const values = runs.map((r) => r[key]).filter((v): v is number => v !== null)
    return values.length === runs.length ? fmt(median(values)) : null
  }
  const [gu, gs, cu, cs] = [of(gen, 'userSeconds'), of(gen, 'systemSeconds'), of(ceiling, 'userSeconds'), of(ceiling, 'systemSeconds')]
  if (gu === null || gs === null || cu === null || cs === null) return ''
  return ` ; processeur : ${gu} s utilisateur et ${gs} s système (la référence : ${cu} s et ${cs} s, la copie dans le cache des pages)`
}

export async function benchGenerate (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-generate-'))
  try {
    const target = join(dir, 'PECGM.txt')
    const command = [...NODE_ARGS, CLI, 'generate', '--scenario', join(packageRoot(), 'scenarios', 'demo.yaml'), '--departement', '77',
      '--date', '2026-11-01', '--records', String(RECORDS), '--output', target]
    const raw = [...NODE_ARGS, CHILD, 'raw', String(RECORDS)]
    const gen: ProcessRun[] = []
    const ceiling: ProcessRun[] = []
    const inside: number[] = []
    // each starts with what the one before left in the page cache written out (outside the measure): 1.2 GB
    // still waiting for the disk slows whichever comes next, by 0.1 to 1 s
    const generate = async (): Promise<void> => {
      // a fresh path each time, as the reference's: replacing the previous 1.2 GB file costs ext4 0.5–0.7 s in rename(), which the reference never pays
      rmSync(target, { force: true })
      execFileSync('sync')
      gen.push(await measured(process.execPath, command))
      // its file goes as soon as it is written, as the reference's does (its pages are free again for whatever comes next)
      rmSync(target, { force: true })
    }
    const reference = async (): Promise<void> => {
      execFileSync('sync')
      ceiling.push(await measured(process.execPath, raw))
    }
    for (let i = 0; i < RUNS; i++) {
      // interleaved, so that noise hits both alike, and each first every other time: here a new file's pages cost
      // what the host makes them cost, which depends on what ran just before (docs/performance.md, « La machine »)
      for (const run of i % 2 === 0 ? [generate, reference] : [reference, generate]) await run()
      execFileSync('sync')
      inside.push(profiled())
    }
    return [
      {
        name: 'generate (1 000 000 enregistrements, fichier, processus entier)',
        value: median(gen.map((m) => RECORDS / m.seconds)),
        unit: 'enregistrements/s',
        reference: { name: 'un processus qui écrit autant d\'enregistrements tout faits', value: median(ceiling.map((m) => RECORDS / m.seconds)) },
        pairs: pairRatios(gen.map((m) => RECORDS / m.seconds), ceiling.map((m) => RECORDS / m.seconds)),
        target: '≥ 0,5 × le plafond (issue 13)',
        note: `médiane ${fmt(median(gen.map((m) => m.seconds)))} s, démarrage compris${cpuNote(gen, ceiling)}`
      },
      {
        name: 'generate : mémoire de pointe (1 000 000 enregistrements, processus entier)',
        value: median(gen.map((m) => m.maxRssMB)),
        unit: 'Mo',
        reference: { name: 'écriture brute', value: median(ceiling.map((m) => m.maxRssMB)) },
        target: '< 200 Mo'
      },
      {
        name: 'generate, profil : débit du générateur dans un processus déjà chargé',
        value: median(inside.map((s) => RECORDS / s)),
        unit: 'enregistrements/s',
        note: 'sans le démarrage : un profil, pas ce que l\'utilisateur attend'
      }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
