import { execFileSync, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import { installedCommand, packageRoot } from '../src/paths.js'
import { loadScenarioFile } from '../src/scenarios/load.js'
import { measured } from './process.js'
import { median, pairRatios, type BenchResult } from './result.js'

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

/** A request made once the server is ready: `(url) => response`. */
type Probe = (url: string) => Promise<Response>

/**
 * Seconds from the server's start to its ready file, then to the answer of
 * each probe made in turn after it (each from the start too), then stopped.
 */
async function timeToReady (dataDir: string, fresh: boolean, scenario?: string, probes: Probe[] = []): Promise<{ ready: number, probes: number[] }> {
  const readyFile = join(dataDir, '..', `pret-${process.pid}.json`)
  rmSync(readyFile, { force: true })
  const started = performance.now()
  const child = spawn(process.execPath, [...NODE_ARGS, CLI, 'serve', '--port', '0', '--data-dir', dataDir, '--ready-file', readyFile, '--log-format', 'json', ...(fresh ? ['--reset'] : []), ...(scenario === undefined ? [] : ['--scenario', scenario])], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, PHEBUS_ADMIN_PASSWORD: ADMIN_PASSWORD }
  })
  try {
    while (!existsSync(readyFile)) {
      if (child.exitCode !== null) throw new Error(`le serveur s'est arrêté (code ${child.exitCode}) avant d'être prêt`)
      await sleep(2)
    }
    const ready = (performance.now() - started) / 1000
    const { url } = JSON.parse(readFileSync(readyFile, 'utf8')) as { url: string }
    const answered: number[] = []
    for (const probe of probes) {
      const res = await probe(url)
      if (res.status !== 200) throw new Error(`${res.url} : ${res.status}`)
      await res.arrayBuffer()
      answered.push((performance.now() - started) / 1000)
    }
    return { ready, probes: answered }
  } finally {
    const exited = new Promise((resolve) => { child.once('exit', resolve) })
    child.kill('SIGTERM')
    await exited
  }
}

const ADMIN_PASSWORD = 'bench-admin-password'

function basic (user: string, password: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
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
      fresh.push((await timeToReady(data, true)).ready)
      warm.push((await timeToReady(data, false)).ready)
    }
    const reference = { name: 'node -e 0 (démarrer Node, rien d\'autre)', value: median(node) }
    return [
      { name: 'phebus-mock --help (processus entier)', value: median(help), unit: 's', reference, pairs: pairRatios(help, node), target: '≤ node -e 0 + 0,1 s (issue 13)' },
      { name: 'serveur de démonstration, du lancement à /readyz 200, dossier neuf', value: median(fresh), unit: 's', reference, pairs: pairRatios(fresh, node), target: '< 1 s (issue 13)' },
      { name: 'serveur de démonstration, du lancement à /readyz 200, dossier déjà rempli', value: median(warm), unit: 's', reference, pairs: pairRatios(warm, node), target: '< 0,5 s (issue 13)' }
    ]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

const NATIONAL_RUNS = 3

/**
 * The national scenario (101 départements, some 781 000 people: 900 MB of
 * stocks) from its start on an empty data folder, beside `phebus-mock
 * generate` writing the same number of records in one file, in the same run
 * (interleaved, medians of 3): to ready (/readyz 200, the stocks being
 * made), then to the listing of the scenario's last département with its
 * stock (it waits for it, and its département goes next), then to an
 * admin's answer (it waits for every stock).
 */
export async function benchNational (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-national-'))
  try {
    const scenario = join(packageRoot(), 'scenarios', 'national.yaml')
    const { departements } = await loadScenarioFile(scenario)
    const records = departements.reduce((sum, d) => sum + d.population, 0)
    const last = departements[departements.length - 1]?.code ?? '976'
    const probes: Probe[] = [
      async (url) => await fetch(`${url}/api/v1/files`, { headers: basic(`dept${last}`, `demo-${last}`) }),
      async (url) => await fetch(`${url}/api/v1/admin/departements`, { headers: basic('admin', ADMIN_PASSWORD) })
    ]
    const ready: number[] = []
    const lastListed: number[] = []
    const allMade: number[] = []
    const generated: number[] = []
    for (let i = 0; i < NATIONAL_RUNS; i++) {
      const data = join(dir, 'donnees')
      rmSync(data, { recursive: true, force: true })
      // each run starts with what the previous one left in the page cache written out: 900 MB still
      // waiting for the disk would slow whichever comes next
      execFileSync('sync')
      const run = await timeToReady(data, false, scenario, probes)
      ready.push(run.ready)
      lastListed.push(run.probes[0] ?? Number.NaN)
      allMade.push(run.probes[1] ?? Number.NaN)
      rmSync(data, { recursive: true, force: true })
      execFileSync('sync')
      const output = join(dir, 'PECGM.txt')
      generated.push((await measured(process.execPath, [...NODE_ARGS, CLI, 'generate', '--scenario', scenario, '--departement', '75', '--date', '2026-11-01', '--records', String(records), '--output', output])).seconds)
      rmSync(output, { force: true })
    }
    const people = records.toLocaleString('fr-FR')
    const reference = { name: `phebus-mock generate de ${people} enregistrements (processus entier)`, value: median(generated) }
    return [{
      name: `scénario national (101 départements, ${people} personnes), du lancement à /readyz 200, dossier vide`,
      value: median(ready),
      unit: 's',
      reference,
      pairs: pairRatios(ready, generated),
      target: '≤ 1,5 × generate (issue 13)'
    }, {
      name: `scénario national, du lancement à la liste du département ${last} (le dernier) avec son stock`,
      value: median(lastListed),
      unit: 's',
      reference,
      pairs: pairRatios(lastListed, generated),
      note: 'sa demande attend son stock, que le serveur fait alors passer devant les autres'
    }, {
      name: 'scénario national, du lancement à une réponse de l\'admin (elle attend les 101 stocks faits, hachés et synchronisés)',
      value: median(allMade),
      unit: 's',
      reference,
      pairs: pairRatios(allMade, generated),
      note: 'tout le travail du démarrage : les stocks, leur SHA-256 et leurs fsync, sur 2 cœurs avec le serveur lui-même'
    }]
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}
