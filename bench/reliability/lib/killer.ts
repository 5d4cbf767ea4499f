import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { demoPassword, demoScenario, validCgpem, writeScenario } from './cgpem.js'
import { CHUNK, delay, startUploads, UPLOADERS, type Load, type Upload } from './slow-uploads.js'
import { inspectDataDir, tmpLeftovers } from './data-dir.js'
import type { Violation } from '../group.js'
import { basicAuth, json, send } from './http.js'
import { Seeded } from './seeded.js'
import { launchServer, loggedErrors, RELIABILITY_ADMIN_PASSWORD, stopServer, type ServerProcess } from './spawn.js'

/**
 * kill -9 during uploads and deposits. Each run sends large CGPEMs slowly
 * from several clients to a server (in the first run of a deposit chain, one
 * started on a scenario whose first deposit is large), kills it with
 * SIGKILL at a seeded moment, restarts it on the same folder and checks:
 * ready (/readyz 200), every upload answered 201 before the kill listed
 * with the SHA-256 of the bytes sent, nothing partial listed, one monthly
 * PECGM per département, database and disk in agreement, tmp/ empty, SQLite
 * intact. The restarted server is the next run's: n runs, n + 1 starts.
 */

export interface KillOptions {
  workDir: string
  seed: number
  /** chains of kills, each on a fresh folder; the even ones (the first among them) on a scenario whose first deposit is large */
  chains: number
  /** kills per chain: each restart is checked, then loaded and killed again */
  killsPerChain: number
  /** population of 77 in the deposit chains' scenario (its first deposit is that many records) */
  depositPopulation: number
  /** orientations of each uploaded CGPEM (about 750 bytes each) */
  uploadRecords: number
  uploadsPerRun: number
  log?: (line: string) => void
}

export interface KillRun {
  chain: number
  index: number
  /** the first run of a deposit chain is killed while its large first deposit may be under way */
  deposit: boolean
  /** for that run: the kill came before the deposit's file was in place */
  depositCut: boolean
  /** what the kill was aimed at */
  moment: KillMoment
  killAfterMs: number
  /** uploads answered 201 before the kill */
  accepted: number
  /** uploads under way when the server was killed */
  cut: number
  /** uploads the kill came before */
  notStarted: number
  /** what the kill left in tmp/ (files being written at that moment) */
  tmpLeft: number
  /** reconcile events the restarted server traced */
  repairs: number
  /** from the restart's launch to « Prêt », ms */
  restartMs: number
  violations: Violation[]
}

/** A monthly PECGM of the département in place under files/ (read from the disk: the server is dead). */
function hasMonthlyPecgm (dataDir: string, departement: string): boolean {
  const dir = join(dataDir, 'files', departement)
  return existsSync(dir) && readdirSync(dir).some((n) => n.startsWith(`PECGM_${departement}_M_`))
}

/** The largest file being written in tmp/, in bytes. */
function largestTemp (dataDir: string): number {
  const dir = join(dataDir, 'tmp')
  let max = 0
  try {
    for (const n of readdirSync(dir)) max = Math.max(max, statSync(join(dir, n)).size)
  } catch {}
  return max
}

/** Resolves once `ok()` holds (looked at every 2 ms), or after `limitMs` anyway. */
async function until (ok: () => boolean, limitMs = 60_000): Promise<void> {
  const end = Date.now() + limitMs
  while (!ok() && Date.now() < end) await delay(2)
}

export type KillMoment = 'pendant le premier dépôt' | 'pendant un envoi' | 'après le dernier octet d\'un envoi'

/**
 * When to kill, drawn from the run's seed and followed as it happens: at a
 * fraction of the first deposit's bytes in tmp/; or at a fraction of one
 * upload's bytes; or just after its last byte (the server validating,
 * writing, committing it).
 */
async function killMoment (rng: Seeded, load: Load, firstDeposit: { dataDir: string, bytes: number } | null): Promise<KillMoment> {
  if (firstDeposit !== null) {
    const target = Math.round(firstDeposit.bytes * rng.between(5, 95) / 100)
    await until(() => largestTemp(firstDeposit.dataDir) >= target || hasMonthlyPecgm(firstDeposit.dataDir, '77'))
    return 'pendant le premier dépôt'
  }
  const u = rng.pick(load.uploads)
  if (rng.chance(0.3)) {
    await until(() => u.lastByteAt !== null || u.over)
    await delay(rng.int(40))
    return 'après le dernier octet d\'un envoi'
  }
  const target = Math.round(u.size * rng.float())
  await until(() => u.sent >= target || u.over)
  return 'pendant un envoi'
}

/**
 * One chain: a server on a fresh folder, loaded and killed, restarted and
 * checked, loaded and killed again… then stopped cleanly and its folder
 * checked once more.
 */
async function oneChain (o: KillOptions, chain: number, bodies: Map<string, Buffer>, depositScenario: string): Promise<KillRun[]> {
  const deposits = chain % 2 === 0
  const dataDir = join(o.workDir, `chain-${chain}`)
  mkdirSync(dataDir, { recursive: true })
  const launch = { dataDir, ...(deposits ? { scenario: depositScenario } : {}) }
  const runs: KillRun[] = []
  let server: ServerProcess = launchServer(launch)
  let url = await server.listening
  let repairsSoFar = 0
  try {
    for (let k = 0; k < o.killsPerChain; k++) {
      const index = chain * o.killsPerChain + k
      const rng = new Seeded((Math.imul(o.seed, 1_000_003) + index) >>> 0)
      const what = `passe ${index} (graine ${o.seed}, chaîne ${chain}${deposits && k === 0 ? ', premier dépôt' : ''})`
      const pauseMs = rng.between(2, 10)
      // uploads about one body's sending apart: those before the one aimed at are mostly over, the next may have begun
      const spacingMs = Math.round(((bodies.get('77')?.length ?? 0) / CHUNK) * (pauseMs + 1)) + 50
      const firstDeposit = deposits && k === 0
      const loadStart = Date.now()
      const load = startUploads(url, rng, String(index), o.uploadsPerRun, bodies, pauseMs, spacingMs)
      const moment = await killMoment(rng, load, firstDeposit ? { dataDir, bytes: o.depositPopulation * 1201 } : null)
      const killAfterMs = Date.now() - loadStart
      load.hold()
      await stopServer(server, 'SIGKILL')
      const errors = loggedErrors(server)
      await load.done
      const tmpLeft = tmpLeftovers(dataDir).count
      const depositCut = firstDeposit && !hasMonthlyPecgm(dataDir, '77')

      const started = Date.now()
      server = launchServer(launch)
      url = await server.listening
      await server.ready
      const restartMs = Date.now() - started
      const violations: Violation[] = errors.map((e) => ({ invariant: 'erreur interne journalisée', detail: `${what}, avant le kill : ${e}` }))
      const ready = await send(`${url}/readyz`)
      if (ready.status !== 200) violations.push({ invariant: 'redémarrage', detail: `${what} : /readyz répond ${ready.status} après le redémarrage` })
      violations.push(...await checkListings(url, load.uploads, what))
      const audit = await send(`${url}/api/v1/admin/audit?kind=reconcile&limit=10000`, { headers: { authorization: basicAuth('admin', RELIABILITY_ADMIN_PASSWORD) } })
      const repairs = audit.status === 200 ? json<{ entries: unknown[] }>(audit).entries.length : 0
      // the restarted server is idle: its folder must already be whole
      for (const p of inspectDataDir(dataDir, { tmpMustBeEmpty: true }).problems) violations.push({ invariant: 'dossier de données', detail: `${what}, après le redémarrage : ${p}` })
      const accepted = load.uploads.filter((u) => u.status === 201).length
      runs.push({ chain, index, deposit: firstDeposit, depositCut, moment, killAfterMs, accepted, cut: load.uploads.filter((u) => u.started && u.status === null).length, notStarted: load.uploads.filter((u) => !u.started).length, tmpLeft, repairs: repairs - repairsSoFar, restartMs, violations })
      repairsSoFar = repairs
      o.log?.(`kill ${index + 1} : tué ${moment}, ${killAfterMs} ms après le début des envois, ${accepted} envoi(s) accepté(s) avant, ${runs.at(-1)?.cut ?? 0} coupé(s) en cours, ${tmpLeft} fichier(s) laissé(s) dans tmp/, ${violations.length} invariant(s) rompu(s)`)
    }
  } finally {
    const code = await stopServer(server)
    const last = runs.at(-1)
    for (const e of loggedErrors(server)) last?.violations.push({ invariant: 'erreur interne journalisée', detail: `chaîne ${chain}, dernier serveur : ${e}` })
    if (code !== 0 && last !== undefined) last.violations.push({ invariant: 'arrêt propre', detail: `chaîne ${chain} : code de sortie ${String(code)} après SIGTERM ; ${server.stderr().slice(-300)}` })
  }
  const last = runs.at(-1)
  for (const p of inspectDataDir(dataDir, { tmpMustBeEmpty: true }).problems) last?.violations.push({ invariant: 'dossier de données', detail: `chaîne ${chain}, après l'arrêt propre : ${p}` })
  rmSync(dataDir, { recursive: true, force: true })
  return runs
}

/** After the restart: each 201 listed whole, nothing partial listed, one monthly PECGM per département. */
async function checkListings (url: string, uploads: Upload[], what: string): Promise<Violation[]> {
  const out: Violation[] = []
  for (const d of UPLOADERS) {
    const res = await send(`${url}/api/v1/files`, { headers: { authorization: basicAuth(`dept${d}`, demoPassword(d)) } })
    const files = json<{ files: { name: string, kind: string, periodicity: string | null, sha256: string }[] }>(res).files
    const byName = new Map(files.map((f) => [f.name, f]))
    for (const u of uploads.filter((x) => x.departement === d)) {
      const f = byName.get(u.name)
      if (u.status === 201 && f === undefined) out.push({ invariant: 'envoi accepté perdu', detail: `${what} : ${d}/${u.name} répondu 201 avant le kill, absent après le redémarrage` })
      if (f !== undefined && f.sha256 !== u.sha256) out.push({ invariant: 'fichier partiel', detail: `${what} : ${d}/${u.name} listé avec un SHA-256 qui n'est pas celui des octets envoyés` })
    }
    const monthly = files.filter((f) => f.kind === 'PECGM' && f.periodicity === 'M')
    if (monthly.length !== 1) out.push({ invariant: 'dépôt manquant ou en double', detail: `${what} : ${monthly.length} PECGM mensuel(s) pour ${d} : ${monthly.map((f) => f.name).join(', ')}` })
  }
  return out
}

export async function runKills (o: KillOptions): Promise<KillRun[]> {
  const scenario = await demoScenario()
  const bodies = new Map(UPLOADERS.map((d) => [d as string, validCgpem(scenario, d, o.uploadRecords)]))
  const depositScenario = writeScenario(o.workDir, '77', o.depositPopulation)
  const runs: KillRun[] = []
  for (let c = 0; c < o.chains; c++) runs.push(...await oneChain(o, c, bodies, depositScenario))
  return runs
}
