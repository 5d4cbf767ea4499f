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
 * (the ceiling), interleaved, medians of 5; then 3 pairs again, each run
 * once the memory freed before it has gone back to the host (see Regime).
 * Then, as a profile only, the generator's own rate inside a process that
 * has loaded everything.
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

/** How long the host takes to be given back memory freed here (docs/performance.md, « La machine »): 2 s, and some margin. */
const HANDED_BACK_MS = 5_000
/** Pairs in that regime: each waits that long twice. */
const COLD_RUNS = 3

/**
 * Both regimes of this machine's memory (docs/performance.md, « La machine »):
 * a page the guest freed goes back to the host two seconds later, and
 * taking it again then costs the host's fault, 2 to 3 s for 1.2 GB.
 * `fresh`: each run starts just after another 1.2 GB file was freed (the
 * pages are the guest's still; the reference's half second stays inside
 * that window, generate's tail does not). `handedBack`: each run starts
 * HANDED_BACK_MS after the last, as a first run on this machine does: both
 * pay the host for every page.
 */
type Regime = 'fresh' | 'handedBack'

export async function benchGenerate (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-generate-'))
  try {
    const target = join(dir, 'PECGM.txt')
    const command = [...NODE_ARGS, CLI, 'generate', '--scenario', join(packageRoot(), 'scenarios', 'demo.yaml'), '--departement', '77',
      '--date', '2026-11-01', '--records', String(RECORDS), '--output', target]
    const rawTarget = join(dir, 'raw.txt')
    const raw = [...NODE_ARGS, CHILD, 'raw', String(RECORDS), rawTarget]
    const runs: Record<Regime, { gen: ProcessRun[], ceiling: ProcessRun[] }> = {
      fresh: { gen: [], ceiling: [] },
      handedBack: { gen: [], ceiling: [] }
    }
    const inside: number[] = []
    // each starts with what the one before left in the page cache written out (outside the measure): 1.2 GB
    // still waiting for the disk slows whichever comes next, by 0.1 to 1 s
    const settle = async (regime: Regime): Promise<void> => {
      execFileSync('sync')
      if (regime === 'handedBack') await new Promise((resolve) => setTimeout(resolve, HANDED_BACK_MS))
    }
    // either side the same way: a fresh path each time (replacing the previous 1.2 GB file costs ext4 0.5–0.7 s in
    // rename()), and the file removed as soon as it is written, outside the measure (its pages free again for whatever
    // comes next; removing it takes 50 to 90 ms here)
    const measure = async (regime: Regime, args: string[], file: string, into: ProcessRun[]): Promise<void> => {
      rmSync(file, { force: true })
      await settle(regime)
      into.push(await measured(process.execPath, args))
      rmSync(file, { force: true })
    }
    const generate = async (regime: Regime): Promise<void> => { await measure(regime, command, target, runs[regime].gen) }
    const reference = async (regime: Regime): Promise<void> => { await measure(regime, raw, rawTarget, runs[regime].ceiling) }
    for (let i = 0; i < RUNS; i++) {
      // interleaved, so that noise hits both alike, and each first every other time: here a new file's pages cost
      // what the host makes them cost, which depends on what ran just before (docs/performance.md, « La machine »)
      for (const run of i % 2 === 0 ? [generate, reference] : [reference, generate]) await run('fresh')
      execFileSync('sync')
      inside.push(profiled())
    }
    for (let i = 0; i < COLD_RUNS; i++) {
      for (const run of i % 2 === 0 ? [generate, reference] : [reference, generate]) await run('handedBack')
    }
    const rate = (m: ProcessRun): number => RECORDS / m.seconds
    const line = (regime: Regime, name: string): BenchResult => {
      const { gen, ceiling } = runs[regime]
      return {
        name,
        value: median(gen.map(rate)),
        unit: 'enregistrements/s',
        reference: { name: 'un processus qui écrit autant d\'enregistrements tout faits', value: median(ceiling.map(rate)) },
        pairs: pairRatios(gen.map(rate), ceiling.map(rate)),
        target: '≥ 0,5 × le plafond (issue 13)',
        note: `médiane ${fmt(median(gen.map((m) => m.seconds)))} s, démarrage compris, contre ${fmt(median(ceiling.map((m) => m.seconds)))} s${cpuNote(gen, ceiling)}`
      }
    }
    const { gen, ceiling } = runs.fresh
    return [
      line('fresh', 'generate (1 000 000 enregistrements, fichier, processus entier), juste après qu\'un fichier de 1,2 Go a été effacé'),
      line('handedBack', `generate, le même, ${HANDED_BACK_MS / 1000} s après (la mémoire libérée rendue à l'hôte, comme au premier lancement)`),
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
