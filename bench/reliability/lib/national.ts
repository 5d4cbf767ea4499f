import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { createReadStream, mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { promisify } from 'node:util'
import { isoFromDay } from '../../../src/layouts/dates.js'
import { packageRoot } from '../../../src/paths.js'
import { loadScenarioFile } from '../../../src/scenarios/load.js'
import type { Departement } from '../../../src/scenarios/model.js'
import { dueMonthlyStock } from '../../../src/server/services/deposits.js'
import type { Violation } from '../group.js'
import { validCgpem } from './cgpem.js'
import { inspectDataDir } from './data-dir.js'
import { runClients, type NationalRun } from './national-clients.js'
import { cliCommand, launchServer, loggedErrors, RssSampler, stopServer } from './spawn.js'

/**
 * scenarios/national.yaml: the server's start, its 101 monthly stocks
 * beside `phebus-mock generate` writing the same ones, then the 101
 * départements at once, at the default limits and past them (restarted on
 * the same folder with fewer connections and uploads at once).
 */

export const NATIONAL_SCENARIO = join(packageRoot(), 'scenarios', 'national.yaml')

export interface NationalOptions {
  workDir: string
  /** orientations of each département's CGPEM */
  uploadRecords: number
  /** the `serve` options of the second run */
  tightArgs: string[]
  log: (line: string) => void
}

export interface NationalOutcome {
  departements: number
  records: number
  stockBytes: number
  /** `phebus-mock generate` for each département, one process after another: the reference */
  generateMs: number
  /** one `generate` process writing one record: mostly starting */
  generateOneRecordMs: number
  /** from the server's spawn to its « Prêt » line (its 101 deposits made, one after another) */
  readyMs: number
  restartReadyMs: number
  /** stocks deposited whose SHA-256 is not that of generate's file */
  differing: string[]
  runs: { label: string, run: NationalRun, peakRssMiB: number }[]
  violations: Violation[]
}

const exec = promisify(execFile)

async function sha256File (path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer)
  return hash.digest('hex')
}

/**
 * Writes each département's monthly stock with `phebus-mock generate`, a
 * process each, one after another; returns their SHA-256, the time it took,
 * and that of one process writing a single record (what starting costs).
 * Each is dated as the server dates the stock it deposits at its start (the
 * one due now: dated the 1st, made the first working day of the month, after
 * its 06:00 deposit time, the département's holidays counted), whatever the
 * day of the month the group runs.
 */
async function generateAll (dir: string, departements: readonly Departement[], now: number): Promise<{ ms: number, oneRecordMs: number, sha256: Map<string, string> }> {
  mkdirSync(dir, { recursive: true })
  const datesOf = (d: Departement): string[] => {
    const due = dueMonthlyStock(now, d.holidays)
    return ['--date', isoFromDay(due.referenceDay), '--made', isoFromDay(due.fabricationDay)]
  }
  const start = performance.now()
  for (const d of departements) await exec(process.execPath, cliCommand(['generate', '--scenario', NATIONAL_SCENARIO, '--departement', d.code, ...datesOf(d), '--output', join(dir, `${d.code}.txt`)]))
  const ms = performance.now() - start
  const first = departements[0] as Departement
  const one = performance.now()
  await exec(process.execPath, cliCommand(['generate', '--scenario', NATIONAL_SCENARIO, '--departement', first.code, ...datesOf(first), '--records', '1', '--output', join(dir, 'un.txt')]))
  const oneRecordMs = performance.now() - one
  const sha256 = new Map<string, string>()
  for (const d of departements) sha256.set(d.code, await sha256File(join(dir, `${d.code}.txt`)))
  rmSync(dir, { recursive: true, force: true })
  return { ms, oneRecordMs, sha256 }
}

function judgeRun (label: string, run: NationalRun, strict: boolean): Violation[] {
  const out: Violation[] = []
  for (const [name, t] of [['connexion', run.login], ['téléchargement', run.download], ['envoi', run.upload]] as const) {
    for (const p of t.problems) out.push({ invariant: p.includes('503') ? '503 sans Retry-After' : p.includes('abandonné') ? 'jamais abouti' : 'réponse hors 2xx et 503', detail: `${label}, ${name} : ${p}` })
  }
  if (strict) {
    const errors = run.download.firstFailures + run.upload.firstFailures
    const messages = Object.entries({ ...run.download.messages, ...run.upload.messages }).map(([k, m]) => `${k} : ${m}`).join(' ; ')
    if (errors > 0) out.push({ invariant: 'erreur aux limites par défaut', detail: `${label} : ${run.download.firstFailures} téléchargement(s) sans 200 et ${run.upload.firstFailures} envoi(s) sans 201 du premier coup (envois en cours à la fois, vus des clients : ${run.upload.peakInFlight} au plus) ; ${messages}` })
  }
  return out
}

export async function runNational (o: NationalOptions): Promise<NationalOutcome> {
  const scenario = await loadScenarioFile(NATIONAL_SCENARIO)
  const codes = scenario.departements.map((d) => d.code)
  const records = scenario.departements.reduce((n, d) => n + d.population, 0)
  o.log(`national : ${codes.length} stocks avec phebus-mock generate, l'un après l'autre…`)
  const reference = await generateAll(join(o.workDir, 'generate'), scenario.departements, Date.now())
  const clients = codes.map((d, i) => ({ departement: d, address: `127.0.10.${i + 1}`, body: validCgpem(scenario, d, o.uploadRecords) }))
  const dataDir = join(o.workDir, 'data')
  const violations: Violation[] = []
  const runs: NationalOutcome['runs'] = []
  const times: number[] = []
  for (const [i, args] of [[], o.tightArgs].entries()) {
    const label = i === 0 ? 'limites par défaut' : `au-delà des limites (${args.join(' ')})`
    const started = performance.now()
    const server = launchServer({ dataDir, scenario: NATIONAL_SCENARIO, args })
    try {
      await server.ready
      times.push(performance.now() - started)
      const url = await server.listening
      o.log(`national : ${label}, prêt en ${Math.round(times.at(-1) ?? 0)} ms`)
      const rss = new RssSampler(server.pid)
      const run = await runClients(url, clients, String(i + 1))
      runs.push({ label, run, peakRssMiB: rss.stop() })
      violations.push(...judgeRun(label, run, i === 0))
      o.log(`national : ${label}, ${run.download.succeeded} téléchargements et ${run.upload.succeeded} envois réussis en ${run.seconds.toFixed(1)} s`)
    } finally {
      const code = await stopServer(server)
      for (const e of loggedErrors(server)) violations.push({ invariant: 'erreur interne journalisée', detail: `${label} : ${e}` })
      if (code !== 0) violations.push({ invariant: 'arrêt propre', detail: `${label} : code de sortie ${String(code)} après SIGTERM ; ${server.stderr().slice(-300)}` })
    }
  }
  const first = runs[0]?.run
  const differing = codes.filter((d) => first?.stocks.get(d)?.sha256 !== reference.sha256.get(d))
  if (differing.length > 0) violations.push({ invariant: 'dépôt différent de generate', detail: `${differing.length} stock(s) déposé(s) par le serveur dont le SHA-256 n'est pas celui du fichier de phebus-mock generate (mêmes dates) : ${differing.slice(0, 10).join(', ')}` })
  const state = inspectDataDir(dataDir, { tmpMustBeEmpty: true })
  for (const p of state.problems) violations.push({ invariant: 'dossier de données', detail: p })
  const stockBytes = [...(first?.stocks.values() ?? [])].reduce((n, s) => n + s.size, 0)
  return { departements: codes.length, records, stockBytes, generateMs: reference.ms, generateOneRecordMs: reference.oneRecordMs, readyMs: times[0] ?? Number.NaN, restartReadyMs: times[1] ?? Number.NaN, differing, runs, violations }
}
