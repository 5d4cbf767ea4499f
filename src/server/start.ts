import type { FastifyInstance } from 'fastify'
import { localText } from '../clock.js'
import type { AddressInfo } from 'node:net'
import type { Writable } from 'node:stream'
import { relative } from 'node:path'
import { buildServer } from './build.js'
import { ServerError } from './errors.js'
import { formatDuration, formatSize, type AppOptionsInput } from './options.js'
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
  stdout: Writable
  stderr: Writable
  /** stop on SIGINT / SIGTERM (the command line); tests stop it themselves */
  handleSignals?: boolean
}

export interface RunningServer {
  app: FastifyInstance
  url: string
  /** stops accepting, lets the requests in flight finish, flushes the trail, releases the folder */
  close: () => Promise<void>
  /** resolves once the server is closed, whoever closed it */
  closed: Promise<void>
}

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
    const why = e.code === 'EADDRINUSE' ? 'le port est déjà pris' : e.code === 'EACCES' ? 'accès refusé' : e.message
    throw new ServerError('PHEBUS_SERVER_OPTIONS', `Impossible d'écouter sur ${options.host}:${options.port} : ${why}.`, { cause: err })
  }
  const address = app.server.address() as AddressInfo
  const scheme = tls === null ? 'http' : 'https'
  const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address
  const url = `${scheme}://${shownHost}:${address.port}`

  let resolveClosed: () => void = () => {}
  const closed = new Promise<void>((resolve) => { resolveClosed = resolve })
  let closing: Promise<void> | null = null
  const close = async (): Promise<void> => {
    closing ??= (async () => {
      removeSignals()
      await app.close()
      resolveClosed()
    })()
    await closing
  }
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing !== null) {
      options.stderr.write(`phebus-mock : ${signal} reçu une seconde fois, arrêt immédiat.\n`)
      process.exit(130)
    }
    options.stderr.write(`phebus-mock : ${signal} reçu, arrêt propre (requêtes en cours terminées, journal écrit)…\n`)
    close().catch((err: unknown) => { options.stderr.write(`phebus-mock : arrêt difficile : ${(err as Error).message}\n`) })
  }
  const removeSignals = (): void => {
    process.removeListener('SIGINT', onSignal)
    process.removeListener('SIGTERM', onSignal)
  }
  if (options.handleSignals !== false) {
    process.on('SIGINT', onSignal)
    process.on('SIGTERM', onSignal)
  }

  printBanner(app, url, tls === null ? null : tls, options)
  app.maintenance.settled().then(() => {
    const m = app.maintenance
    options.stdout.write(m.ready ? `Prêt (${url}/readyz) : le stock PECGM du mois est déposé pour chaque département du scénario.\n` : `Dépôts impossibles pour l'instant : ${m.error ?? ''} (nouvel essai à la prochaine maintenance).\n`)
  }, () => {})
  return { app, url, close, closed }
}

function printBanner (app: FastifyInstance, url: string, tls: { certPath: string, generated: boolean, fingerprint: string } | null, options: StartOptions): void {
  const { provisioned, scenario, config } = app
  const out: string[] = []
  out.push(`phebus-mock : serveur Phebus factice à l'écoute sur ${url}`)
  if (url.includes('0.0.0.0') || url.includes('[::]')) out.push('  (toutes les interfaces : depuis cette machine, utilisez 127.0.0.1)')
  out.push(`  interface partenaire (navigateur) : ${url}/`)
  out.push(`  données : ${app.storage.dataDir}`)
  out.push(`  scénario : ${scenario.name} (${relative(process.cwd(), config.scenarioPath) || config.scenarioPath}), départements ${scenario.departements.map((d) => d.code).join(', ')}`)
  out.push(`  description OpenAPI : ${url}/docs`)
  if (app.clock.mode !== 'wall') out.push(`  horloge de l'échange : ${localText(app.clock.now(), app.clock.zone)}, ${app.clock.mode === 'frozen' ? 'arrêtée (POST /api/v1/admin/clock l\'avance)' : 'en marche'}`)
  out.push(`  conservation : PECGM mensuels ${formatDuration(config.retention.monthly)}, quotidiens ${formatDuration(config.retention.daily)}, CGPEM ${formatDuration(config.retention.upload)} ; envoi maximal ${formatSize(config.maxUploadBytes)}`)
  if (tls !== null) {
    out.push(`  TLS : certificat ${tls.certPath}${tls.generated ? ' (auto-signé, créé à ce démarrage)' : ''}`)
    out.push(`        empreinte SHA-256 ${tls.fingerprint}`)
  }
  if (provisioned.demo.length > 0) {
    out.push('')
    out.push('COMPTES DE DÉMONSTRATION — pour essayer seulement, jamais avec de vraies données :')
    for (const a of provisioned.demo) out.push(`  ${a.username.padEnd(10)} mot de passe ${a.password}   (département ${a.departement})`)
  }
  out.push('')
  out.push(provisioned.admin.generated
    ? `Compte admin : admin, mot de passe ${provisioned.admin.password} (tiré au hasard à ce démarrage ; fixez PHEBUS_ADMIN_PASSWORD pour le garder)`
    : 'Compte admin : admin, mot de passe donné par PHEBUS_ADMIN_PASSWORD')
  out.push(`Exemple : curl -u ${provisioned.demo[0]?.username ?? 'dept77'}:${provisioned.demo[0]?.password ?? 'MOT_DE_PASSE'} ${tls === null ? '' : '-k '}${url}/api/v1/files`)
  if (options.handleSignals !== false) out.push('Ctrl+C pour arrêter.')
  options.stdout.write(`${out.join('\n')}\n`)
}
