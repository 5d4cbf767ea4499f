import { execFileSync } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import { formatResult } from '../result.js'
import { countBy, KNOWN_DEFECTS, type ReliabilityGroup, type Violation } from './group.js'
import { descriptorsGroup } from './descriptors.js'
import { floodGroup } from './flood.js'
import { fuzzGroup } from './fuzz.js'
import { isolationGroup } from './isolation.js'
import { killGroup } from './kill.js'
import { nationalGroup } from './national.js'
import { qualificationGroup } from './qualification.js'

/**
 * `npm run reliability`: the heavy reliability groups against real server
 * processes (dist/), each figure beside its reference or target; exits 1
 * when an invariant breaks. `npm run reliability -- fuzz` runs one group,
 * `-- --seed N` replays a run. A group is a file of bench/reliability/ and
 * one line here.
 */
const GROUPS: Record<string, ReliabilityGroup> = {
  isolation: isolationGroup,
  fuzz: fuzzGroup,
  kill: killGroup,
  flood: floodGroup,
  qualification: qualificationGroup,
  descriptors: descriptorsGroup,
  national: nationalGroup
}

const DEFAULT_SEED = 20261127
const SHOWN = 5

function parseArgs (argv: string[]): { only: string[], seed: number } {
  const only: string[] = []
  let seed = DEFAULT_SEED
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string
    if (a === '--seed') seed = Number(argv[++i])
    else if (a.startsWith('--seed=')) seed = Number(a.slice(7))
    else only.push(a)
  }
  const unknown = only.filter((g) => GROUPS[g] === undefined)
  if (unknown.length > 0 || !Number.isInteger(seed)) {
    process.stderr.write(`usage : npm run reliability -- [${Object.keys(GROUPS).join('|')}…] [--seed N]\n`)
    process.exit(2)
  }
  return { only, seed }
}

function commit (): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim()
  } catch {
    return 'inconnu'
  }
}

function printViolations (violations: readonly Violation[]): void {
  for (const [invariant, n] of countBy(violations)) {
    const known = KNOWN_DEFECTS[invariant] === undefined ? '' : ' (défaut connu)'
    process.stdout.write(`  INVARIANT ROMPU${known} : ${invariant} — ${n} cas\n`)
    for (const v of violations.filter((x) => x.invariant === invariant).slice(0, SHOWN)) process.stdout.write(`    ${v.detail}\n`)
  }
}

const { only, seed } = parseArgs(process.argv.slice(2))
process.stdout.write(`# npm run reliability — graine ${seed}, commit ${commit()}, ${cpus().length} cœurs, Node ${process.version}\n`)
let broken = 0
for (const [name, run] of Object.entries(GROUPS)) {
  if (only.length > 0 && !only.includes(name)) continue
  process.stdout.write(`# ${name}\n`)
  const workDir = mkdtempSync(join(tmpdir(), `phebus-reliability-${name}-`))
  try {
    const outcome = await run({ seed, workDir, log: (line) => process.stderr.write(`${line}\n`) })
    for (const r of outcome.results) process.stdout.write(`${formatResult(r)}\n`)
    printViolations(outcome.violations)
    broken += outcome.violations.length
  } finally {
    rmSync(workDir, { recursive: true, force: true })
  }
}
process.stdout.write(broken === 0 ? 'Tous les invariants tiennent.\n' : `${broken} invariant(s) rompu(s) : voir ci-dessus (npm run reliability -- --seed ${seed} pour rejouer).\n`)
process.exitCode = broken === 0 ? 0 : 1
