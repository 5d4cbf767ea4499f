import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { installedCommand, packageRoot } from '../src/paths.js'
import { loadScenarioFile } from '../src/scenarios/load.js'
import { measured } from './process.js'
import { median, type BenchResult } from './result.js'

/**
 * Start-up as a user waits for it, whole processes, interleaved with the
 * reference `node -e 0` (what any Node program costs to start here):
 * `phebus-mock --help`, and the demo server from its start to the moment it
 * is ready (its ready file, written once /readyz answers 200), on a fresh
 * data folder and on the warm folder of its previous run.
 */

const RUNS = 5
const SELF = fileURLToPath(import.meta.url)
const FROM_DIST = SELF.endsWith('.js')
const NODE_ARGS = FROM_DIST ? [] : ['--import=tsx']
const CLI = FROM_DIST ? installedCommand() : join(packageRoot(), 'src', 'cli.ts')

/** Seconds from the server's start to its ready file, then stopped. */
async function timeToReady (dataDir: string, fresh: boolean, scenario?: string): Promise<number> {
  const readyFile = join(dataDir, '..', `pret-${process.pid}.json`)
  rmSync(readyFile, { force: true })
  const started = performance.now()
  const child = spawn(process.execPath, [...NODE_ARGS, CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--ready-file', readyFile, '--log-format', 'json', ...(fresh ? ['--reset'] : []), ...(scenario === undefined ? [] : ['--scenario', scenario])], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PHEBUS_ADMIN_PASSWORD: 'bench-admin-password' }
  })
  try {
    while (!existsSync(readyFile)) {
      if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté (code ${child.exitCode}) avant d'être prêt`)
      await sleep(2)
    }
    return (performance.now() - started) / 1000
  } finally {
    const exited = new Promise((resolve) => { child.once('exit', resolve) })
    child.kill('SIGTERM')
    await exited
  }
}

export async function benchStartup (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-startup-'))
  try {
    const help: number[] = []
    const node: number[] = []
    const fresh: number[] = []
    const warm: number[] = []
    const data = join(dir, 'donnees')
    for (let i = 0; i < RUNS; i++) {
      node.push((await measured(process.execPath, ['-e', '0'])).seconds)
      help.push((await measured(process.execPath, [...NODE_ARGS, CLI, '--help'])).seconds)
      fresh.push(await timeToReady(data, true))
      warm.push(await timeToReady(data, false))
    }
    const reference = { name: 'node -e 0 (démarrer Node, rien d\'autre)', value: median(node) }
    return [
      { name: 'phebus-mock --help (processus entier)', value: median(help), unit: 's', reference, target: '≤ node -e 0 + 0,1 s (issue 13)' },
      { name: 'serveur de démonstration, du lancement à /readyz 200, dossier neuf', value: median(fresh), unit: 's', reference, target: '< 1 s (issue 13)' },
      { name: 'serveur de démonstration, du lancement à /readyz 200, dossier déjà rempli', value: median(warm), unit: 's', reference, target: '< 0,5 s (issue 13)' }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const NATIONAL_RUNS = 3

/**
 * The national scenario (101 départements, some 781 000 people: 900 MB of
 * stocks) from its start on an empty data folder to ready, beside
 * `phebus-mock generate` writing the same number of records in one file, in
 * the same run (interleaved, medians of 3): what the stocks cost to make at
 * the generator's own speed, start-up included.
 */
export async function benchNational (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-national-'))
  try {
    const scenario = join(packageRoot(), 'scenarios', 'national.yaml')
    const records = (await loadScenarioFile(scenario)).departements.reduce((sum, d) => sum + d.population, 0)
    const server: number[] = []
    const generated: number[] = []
    for (let i = 0; i < NATIONAL_RUNS; i++) {
      const data = join(dir, 'donnees')
      rmSync(data, { recursive: true, force: true })
      // each run starts with what the previous one left in the page cache written out: 900 MB still
      // waiting for the disk would slow whichever comes next
      execFileSync('sync')
      server.push(await timeToReady(data, false, scenario))
      rmSync(data, { recursive: true, force: true })
      execFileSync('sync')
      const output = join(dir, 'PECGM.txt')
      generated.push((await measured(process.execPath, [...NODE_ARGS, CLI, 'generate', '--scenario', scenario, '--departement', '75', '--date', '2026-11-01', '--records', String(records), '--output', output])).seconds)
      rmSync(output, { force: true })
    }
    return [{
      name: `scénario national (101 départements, ${records.toLocaleString('fr-FR')} personnes), du lancement à /readyz 200, dossier vide`,
      value: median(server),
      unit: 's',
      reference: { name: `phebus-mock generate de ${records.toLocaleString('fr-FR')} enregistrements (processus entier)`, value: median(generated) },
      target: '≤ 1,5 × generate (issue 13)'
    }]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
