import type { FastifyInstance } from 'fastify'
import { localText } from '../clock.js'
import { rename, rm, writeFile } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import type { Writable } from 'node:stream'
import { relative } from 'node:path'
import { buildServer } from './build.js'
import { fileSystemReason, PhebusError } from '../errors.js'
import { frenchNumber } from '../text/french.js'
import { ServerError } from './errors.js'
import type { GivenUp } from './services/deposits.js'
import { formatDuration, formatSize, type AppOptionsInput } from './options.js'
import { serveLog, type LogFormat, type ServeLog } from './serve-log.js'
import { loadTls, type TlsSetting } from './tls.js'

/**
 * The server's start file: the only part of it that listens, prints and
 * handles signals. The app itself is a plugin (app.ts).
 */

export interface StartOptions {
  app: AppOptionsInput
  host: string
  port: number
  tls: TlsSetting
  idleTimeoutMs?: number
  requestTimeoutMs?: number
  /** how long a stop lets the requests in progress finish before it cuts their connections, ms (default DEFAULT_STOP_TIMEOUT_MS) */
  stopTimeoutMs?: number
  stdout: Writable
  stderr: Writable
  /** stop on SIGINT / SIGTERM (the command line); tests stop it themselves */
  handleSignals?: boolean
  /** text for a person (default), or one JSON object a line */
  logFormat?: LogFormat
  /** written once ready (the first deposits made): { url, pid, dataDir }; removed at a clean stop */
  readyFile?: string | null
  /**
   * stop cleanly when the process that started this one goes away: under
   * `npm start` or `npx`, a signal to npm reaches the shell npm started, not
   * the server, which would stay behind holding its port and its folder
   */
  stopWithParent?: boolean
}

export interface RunningServer {
  app: FastifyInstance
  url: string
  /** stops accepting, lets the requests in flight finish, flushes the trail, releases the folder */
  close: () => Promise<void>
  /** resolves once the server is closed, whoever closed it */
  closed: Promise<void>
  /** why the server stopped by itself (its --ready-file could not be written), null when it was stopped */
  failure: () => PhebusError | null
  log: ServeLog
}

/** How often the parent is looked for under npm. */
const PARENT_POLL_MS = 500

/**
 * How long a stop waits for the requests in progress (--stop-timeout):
 * `docker stop` kills after 10 s, which leaves the server 2 s to write its
 * trail and close its database once the connections are cut.
 */
export const DEFAULT_STOP_TIMEOUT_MS = 8_000

export async function startServer (options: StartOptions): Promise<RunningServer> {
  const now = options.app.now ?? Date.now
  const tls = await loadTls(options.tls, options.app.dataDir, now())
  const app = await buildServer(options.app, {
    https: tls === null ? null : { key: tls.key, cert: tls.cert },
    idleTimeoutMs: options.idleTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs,
    logStream: options.stderr
  })
  try {
    await app.listen({ host: options.host, port: options.port })
  } catch (err) {
    await app.close()
    const e = err as NodeJS.ErrnoException
    const reasons: Record<string, string> = {
      EADDRINUSE: 'le port est déjà pris (un autre serveur, ou phebus-mock déjà lancé) ; choisissez-en un autre avec --port N, ou --port 0 pour un port libre, que le serveur affiche',
      EACCES: 'accès refusé (un port sous 1024 demande des droits)',
      EADDRNOTAVAIL: 'cette machine n\'a pas cette adresse',
      ENOTFOUND: 'nom de machine inconnu',
      EAI_AGAIN: 'nom de machine introuvable pour l\'instant (résolution DNS)'
    }
    const why = reasons[e.code ?? ''] ?? `erreur système ${e.code ?? 'inconnue'}`
    throw new ServerError('PHEBUS_SERVER_OPTIONS', `Impossible d'écouter sur ${options.host}:${options.port} : ${why}.`, { cause: err })
  }
  const address = app.server.address() as AddressInfo
  const scheme = tls === null ? 'http' : 'https'
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `${scheme}://${shownHost}:${address.port}`

  const log = serveLog(options.logFormat ?? 'text', options.stdout, options.stderr, now)
  let resolveClosed: () => void = () => {}
  const closed = new Promise<void>((resolve) => { resolveClosed = resolve })
  let closing: Promise<void> | null = null
  let readyWritten = false
  let failure: PhebusError | null = null
  const stopTimeoutMs = options.stopTimeoutMs ?? DEFAULT_STOP_TIMEOUT_MS
  const close = async (): Promise<void> => {
    closing ??= (async () => {
      // the signals stay heard while the stop runs: a second one is the abort of stop() (its event, exit 130)
      clearInterval(watchParent)
      // a client that sends slowly (or a byte now and then) would hold the stop for as long as the request
      // timeout allows: past the stop timeout, its connection is cut, and its request traced so
      const cut = setTimeout(() => {
        const running = app.handlersRunning()
        const connections = app.cutConnections()
        log.emit('stop-timeout', `phebus-mock : arrêt après ${seconds(stopTimeoutMs)} d'attente : ${plural(connections, 'connexion coupée', 'connexions coupées')}, ${plural(running, 'requête en cours', 'requêtes en cours')} (tracées 503 PHEBUS_HTTP_STOPPING).`, { running, connections, stopTimeoutMs })
      }, stopTimeoutMs)
      try {
        await app.close()
      } finally {
        clearTimeout(cut)
        removeSignals()
      }
      const givenUp = app.maintenance.givenUp
      if (givenUp !== null) log.emit('given-up', givenUpText(givenUp), { files: givenUp.files, notBegun: givenUp.notBegun })
      if (readyWritten && options.readyFile) await rm(options.readyFile, { force: true }).catch(() => {})
      resolveClosed()
    })()
    await closing
  }
  const stop = (why: string, fields: Record<string, unknown>): void => {
    if (closing !== null) {
      log.emit('abort', `phebus-mock : ${why} une seconde fois, arrêt immédiat.`, fields)
      process.exit(130)
    }
    log.emit('stopping', `phebus-mock : ${why}, arrêt propre (les requêtes en cours ont ${seconds(stopTimeoutMs)} pour finir ; journal écrit)…`, fields)
    close().catch((err: unknown) => { log.emit('error', `phebus-mock : arrêt difficile (${(err as { code?: string }).code ?? 'erreur interne'}) : le dossier de données sera remis en état au prochain démarrage.`, { code: 'PHEBUS_SERVER_STOP' }) })
  }
  const onSignal = (signal: NodeJS.Signals): void => { stop(`${signal} reçu`, { signal }) }
  const removeSignals = (): void => {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
  if (options.handleSignals !== false) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }
  // the parent is gone when this process has been handed to another (init, a subreaper)
  const parent = process.ppid
  const watchParent = options.stopWithParent === true
    ? setInterval(() => { if (process.ppid !== parent) stop('le processus qui a lancé le serveur (npm) s\'est arrêté', { reason: 'parent' }) }, PARENT_POLL_MS).unref()
    : undefined

  printBanner(app, url, tls === null ? null : tls, options, log)
  app.maintenance.settled().then(() => {
    const m = app.maintenance
    if (!m.ready) log.emit('not-ready', `Dépôts impossibles pour l'instant : ${m.error ?? ''} (nouvel essai à la prochaine maintenance).`, { error: m.error })
  }, () => {})
  app.maintenance.whenReady().then(async () => {
    if (closing !== null) return
    if (options.readyFile) {
      await writeReadyFile(options.readyFile, { url, pid: process.pid, dataDir: app.storage.dataDir })
      readyWritten = true
    }
    log.emit('ready', `Prêt (${url}/readyz) : les stocks PECGM du mois se déposent ; une demande d'un département attend le sien s'il n'est pas encore fait.`, { url, pid: process.pid, readyz: `${url}/readyz` })
  }).catch((err: unknown) => {
    // a pipeline waits for that file: serving on without it would keep it waiting for ever
    failure = new PhebusError('PHEBUS_SERVER_READY_FILE', `--ready-file : ${fileSystemReason(err, options.readyFile ?? '', 'écrire')} ; le serveur s'arrête, car qui attend ce fichier l'attendrait en vain.`, { cause: err, position: { file: options.readyFile ?? '' } })
    log.emit('error', `phebus-mock serve : ${failure.message} [${failure.code}]`, { code: failure.code })
    stop('le fichier --ready-file n\'a pas pu être écrit', { reason: 'ready-file' })
  })
  return { app, url, close, closed, failure: () => failure, log }
}

/** What the stop gave up of the deposits, for a person. */
function givenUpText (g: GivenUp): string {
  const parts = g.files.map((f) => `${f.file ?? `les dépôts du ${f.departement}`} (en cours)`)
  if (g.notBegun.length > 0) parts.push(`les dépôts ${g.notBegun.length > 1 ? 'des départements' : 'du département'} ${g.notBegun.join(', ')} (pas commencés)`)
  return `phebus-mock : dépôts abandonnés par l'arrêt, rien n'en est gardé ; le prochain démarrage les fera : ${parts.join(', ')}.`
}

/** A number of seconds as French writes it: 8 s, 0,2 s. */
function seconds (ms: number): string {
  return `${frenchNumber(ms / 1000)} s`
}

function plural (n: number, one: string, many: string): string {
  return `${n} ${n > 1 ? many : one}`
}

/** Written whole or not at all (a temporary file renamed): a script that polls for it never reads half of it. */
async function writeReadyFile (path: string, content: { url: string, pid: number, dataDir: string }): Promise<void> {
  const tmp = `${path}.${process.pid}.tmp`
  try {
    await writeFile(tmp, `${JSON.stringify(content)}\n`)
    await rename(tmp, path)
  } catch (err) {
    await rm(tmp, { force: true }).catch(() => {})
    throw err
  }
}

function printBanner (app: FastifyInstance, url: string, tls: { certPath: string, generated: boolean, fingerprint: string } | null, options: StartOptions, log: ServeLog): void {
  const { provisioned, scenario, config } = app
  const out: string[] = []
  out.push(`phebus-mock : serveur Phebus factice à l'écoute sur ${url}`)
  if (url.includes('0.0.0.0') || url.includes('[::]')) out.push('  (toutes les interfaces : depuis cette machine, utilisez 127.0.0.1)')
  out.push(`  interface partenaire (navigateur) : ${url}/`)
  out.push(`  données : ${app.storage.dataDir}`)
  out.push(`  scénario : ${scenario.name} (${relative(process.cwd(), config.scenarioPath) || config.scenarioPath}), départements ${scenario.departements.map((d) => d.code).join(', ')}`)
  out.push(`  API : ${url}/docs (navigateur), ${url}/docs/json (description OpenAPI)`)
  if (app.clock.mode !== 'wall') out.push(`  horloge de l'échange : ${localText(app.clock.now(), app.clock.zone)}, ${app.clock.mode === 'frozen' ? 'arrêtée (POST /api/v1/admin/clock l\'avance)' : 'en marche'}${app.clockKept === null ? '' : ` (${app.clockKept})`}`)
  out.push(`  conservation : PECGM mensuels ${formatDuration(config.retention.monthly)}, quotidiens ${formatDuration(config.retention.daily)}, CGPEM ${formatDuration(config.retention.upload)} ; envoi maximal ${formatSize(config.maxUploadBytes)}`)
  if (tls !== null) {
    out.push(`  TLS : certificat ${tls.certPath}${tls.generated ? ' (auto-signé, créé à ce démarrage)' : ''}`)
    out.push(`        empreinte SHA-256 ${tls.fingerprint}`)
  }
  if (provisioned.demo.length > 0) {
    out.push('')
    out.push('COMPTES DE DÉMONSTRATION — pour essayer seulement, jamais avec de vraies données :')
    const width = Math.max(0, ...provisioned.demo.map((a) => a.password.length))
    for (const a of provisioned.demo) out.push(`  ${a.username.padEnd(10)} mot de passe ${a.password.padEnd(width)}   (département ${a.departement})`)
  }
  out.push('')
  out.push(provisioned.admin.generated
    ? `Compte admin : admin, mot de passe ${provisioned.admin.password} (tiré au hasard à ce démarrage ; fixez PHEBUS_ADMIN_PASSWORD pour le garder)`
    : 'Compte admin : admin, mot de passe donné par PHEBUS_ADMIN_PASSWORD')
  out.push(`Exemple : curl -u ${provisioned.demo[0]?.username ?? 'dept77'}:${provisioned.demo[0]?.password ?? 'MOT_DE_PASSE'} ${tls === null ? '' : '-k '}${url}/api/v1/files`)
  if (options.handleSignals !== false) out.push('Ctrl+C pour arrêter.')
  log.emit('listening', out.join('\n'), {
    url,
    pid: process.pid,
    dataDir: app.storage.dataDir,
    scenario: scenario.name,
    departements: scenario.departements.map((d) => d.code),
    docs: `${url}/docs`,
    clock: { mode: app.clock.mode, now: new Date(app.clock.now()).toISOString(), kept: app.clockKept },
    tls: tls === null ? null : { cert: tls.certPath, generated: tls.generated, sha256: tls.fingerprint },
    accounts: {
      demo: provisioned.demo.map((a) => ({ username: a.username, password: a.password, departement: a.departement })),
      admin: { username: 'admin', password: provisioned.admin.generated ? provisioned.admin.password : null, generated: provisioned.admin.generated }
    }
  })
}
