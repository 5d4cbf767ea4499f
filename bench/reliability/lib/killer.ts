import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import { demoPassword, demoScenario, validCgpem, writeScenario } from './cgpem.js'
import { inspectDataDir, tmpLeftovers } from './data-dir.js'
import type { Violation } from '../group.js'
import { basicAuth, json, send } from './http.js'
import { Seeded } from './seeded.js'
import { launchServer, RELIABILITY_ADMIN_PASSWORD, stopServer, type ServerProcess } from './spawn.js'

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

const CHUNK = 64 << 10
const UPLOADERS = ['77', '93', '971'] as const

interface Upload { name: string, departement: string, sha256: string, started: boolean, status: number | null }

/** Sends `body` in 64 KiB pieces with a pause between them; resolves with the status, or null when the connection died. */
function slowUpload (url: string, departement: string, name: string, body: Buffer, pauseMs: number): Promise<number | null> {
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/files?name=${name}`, {
      method: 'POST',
      headers: { authorization: basicAuth(`dept${departement}`, demoPassword(departement)), 'content-type': 'application/octet-stream', 'content-length': body.length }
    }, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode ?? null))
      res.on('error', () => resolve(null))
    })
    req.on('error', () => resolve(null))
    const write = async (): Promise<void> => {
      for (let at = 0; at < body.length && !req.destroyed; at += CHUNK) {
        req.write(body.subarray(at, at + CHUNK))
        await delay(pauseMs)
      }
      if (!req.destroyed) req.end()
    }
    write().catch(() => resolve(null))
  })
}

/** A monthly PECGM of the département in place under files/ (read from the disk: the server is dead). */
function hasMonthlyPecgm (dataDir: string, departement: string): boolean {
  const dir = join(dataDir, 'files', departement)
  return existsSync(dir) && readdirSync(dir).some((n) => n.startsWith(`PECGM_${departement}_M_`))
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

/** Starts the uploads of one run: staggered, each slow enough to be cut; resolves once all are answered or cut. */
function startUploads (url: string, rng: Seeded, tag: string, count: number, bodies: Map<string, Buffer>, pauseMs: number, spacingMs: number): { uploads: Upload[], done: Promise<unknown>, hold: () => void } {
  const uploads: Upload[] = []
  const pending: Promise<void>[] = []
  let held = false
  for (let j = 0; j < count; j++) {
    const departement = UPLOADERS[j % UPLOADERS.length] as string
    const body = bodies.get(departement) as Buffer
    const u: Upload = { name: `kill-${tag}-${j}.xml`, departement, sha256: createHash('sha256').update(body).digest('hex'), started: false, status: null }
    uploads.push(u)
    pending.push(delay(j * spacingMs + rng.int(spacingMs)).then(async () => {
      if (held) return
      u.started = true
      u.status = await slowUpload(url, departement, u.name, body, pauseMs)
    }))
  }
  // hold(): the uploads not yet started never will (the server is about to die)
  return { uploads, done: Promise.all(pending), hold: () => { held = true } }
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
      // uploads about one body apart, so that some end before the kill and some are cut by it
      const spacingMs = Math.round(((bodies.get('77')?.length ?? 0) / CHUNK) * (pauseMs + 2)) + 300
      const load = startUploads(url, rng, String(index), o.uploadsPerRun, bodies, pauseMs, spacingMs)
      const killAfterMs = Math.round(rng.next() * spacingMs * (o.uploadsPerRun + 1))
      await delay(killAfterMs)
      load.hold()
      await stopServer(server, 'SIGKILL')
      await load.done
      const tmpLeft = tmpLeftovers(dataDir).count
      const depositCut = deposits && k === 0 && !hasMonthlyPecgm(dataDir, '77')

      const started = Date.now()
      server = launchServer(launch)
      url = await server.listening
      await server.ready
      const restartMs = Date.now() - started
      const violations: Violation[] = []
      const ready = await send(`${url}/readyz`)
      if (ready.status !== 200) violations.push({ invariant: 'redémarrage', detail: `${what} : /readyz répond ${ready.status} après le redémarrage` })
      violations.push(...await checkListings(url, load.uploads, what))
      const audit = await send(`${url}/api/v1/admin/audit?kind=reconcile&limit=10000`, { headers: { authorization: basicAuth('admin', RELIABILITY_ADMIN_PASSWORD) } })
      const repairs = audit.status === 200 ? json<{ entries: unknown[] }>(audit).entries.length : 0
      // the restarted server is idle: its folder must already be whole
      for (const p of inspectDataDir(dataDir, { tmpMustBeEmpty: true }).problems) violations.push({ invariant: 'dossier de données', detail: `${what}, après le redémarrage : ${p}` })
      const accepted = load.uploads.filter((u) => u.status === 201).length
      runs.push({ chain, index, deposit: deposits && k === 0, depositCut, killAfterMs, accepted, cut: load.uploads.filter((u) => u.started && u.status === null).length, notStarted: load.uploads.filter((u) => !u.started).length, tmpLeft, repairs: repairs - repairsSoFar, restartMs, violations })
      repairsSoFar = repairs
      o.log?.(`kill ${index + 1} : tué après ${killAfterMs} ms, ${accepted} envoi(s) accepté(s) avant, ${runs.at(-1)?.cut ?? 0} coupé(s) en cours, ${tmpLeft} fichier(s) laissé(s) dans tmp/, ${violations.length} invariant(s) rompu(s)`)
    }
  } finally {
    const code = await stopServer(server)
    const last = runs.at(-1)
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
