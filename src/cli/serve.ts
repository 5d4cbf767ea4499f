import { accessSync, constants, readFileSync, statSync } from 'node:fs'
import { dirname, join, relative, resolve, sep } from 'node:path'
import { packageRoot } from '../paths.js'
import { calendarDay, parseNow, type ClockMode } from '../clock.js'
import { PhebusError } from '../errors.js'
import { isExchangeDay } from '../layouts/dates.js'
import { isServerError } from '../server/errors.js'
import { parseDuration, parseSize, type Duration } from '../server/options.js'
import { LOG_FORMATS, serveLog, type LogFormat } from '../server/serve-log.js'
import { startServer } from '../server/start.js'
import type { TlsSetting } from '../server/tls.js'
import { DATABASE_FILE } from '../storage/storage.js'
import { LOCK_FILE } from '../storage/lock.js'
import { optionalInteger, optionalOutputFile, outOfExchangeRange, parseCommandArgs, usageError } from './args.js'
import { say, type CliIo } from './io.js'

export const SERVE_HELP = `Usage : phebus-mock serve [options]

Lance le serveur Phebus factice : chaque département (HTTP Basic) télécharge ses fichiers PECGM et
envoie ses fichiers CGPEM, validés à la réception ; tout est tracé dans un journal d'audit.

  --port N               le port (par défaut 8080, ou PORT) ; 0 en choisit un libre
  --host ADRESSE         l'adresse d'écoute (par défaut 127.0.0.1, ou HOST ; 0.0.0.0 pour toutes)
  --data-dir DOSSIER     l'état du serveur : base SQLite, fichiers (par défaut ./data, ou PHEBUS_DATA_DIR)
  --scenario FICHIER     le scénario des dépôts (par défaut scenarios/demo.yaml du paquet)
  --tls                  HTTPS avec un certificat auto-signé, créé au premier démarrage et gardé
  --tls-cert FICHIER     HTTPS avec ce certificat (PEM)…
  --tls-key FICHIER      …et cette clé (PEM)
  --max-upload TAILLE    taille maximale d'un envoi : octets, ou 500k, 128M, 1G (par défaut 1G)
  --retention-monthly D  conservation des PECGM mensuels (par défaut 1M : un mois)
  --retention-daily D    conservation des PECGM quotidiens (par défaut 10d : dix jours)
  --retention-upload D   conservation des CGPEM reçus acceptés et de leurs rapports (par défaut 1M)
  --retention-rejected D conservation des CGPEM refusés et de leurs rapports (par défaut 10d)
  --retention-audit D    conservation du journal d'audit (par défaut 13M)
                         durées : 1M (mois), 10d (jours), 12h, 30min, 45s
  --now DATE             l'horloge de l'échange part de cette heure, puis avance normalement
                         (2026-11-02T08:00:00 : heure de Paris ; ou avec décalage, +04:00 ; ou PHEBUS_NOW)
  --clock MODE           wall (l'horloge de la machine, par défaut), running (avance normalement à
                         partir de --now) ou frozen (arrêtée : elle n'avance que par l'API d'admin)
                         L'horloge gardée dans le dossier de données l'emporte sur un --now plus ancien.
  --idle-timeout S       coupe une connexion muette depuis S secondes (par défaut 30)
  --stop-timeout S       à l'arrêt, laisse S secondes aux requêtes en cours pour finir, puis coupe
                         leurs connexions (par défaut 8 : docker stop tue au bout de 10)
  --max-connections N    connexions ouvertes à la fois, 503 au-delà (par défaut 1000, moins si la
                         limite de descripteurs du processus l'impose)
  --max-uploads N        envois en cours à la fois, tous départements (par défaut 128)
  --max-uploads-per-departement N   envois en cours à la fois pour un département (par défaut 4)
  --max-address-failures N          connexions refusées depuis une adresse, tous identifiants confondus,
                         avant de la bloquer 15 minutes (par défaut 100 : une salle de formation
                         partage souvent une adresse)

Pour les scripts et l'intégration continue :
  --ready-file FICHIER   une fois prêt (/readyz à 200), écrit { "url", "pid", "dataDir" } en JSON dans
                         FICHIER, d'un coup ; le retire à l'arrêt propre. Son dossier doit exister
                         et pouvoir être écrit (sinon, refus au lancement, code 2) ; s'il ne peut
                         quand même pas être écrit, le serveur s'arrête (code 2) au lieu de tourner
  --log-format FORMAT    text (par défaut) ou json : un objet JSON par ligne sur la sortie standard,
                         avec son « event » : « listening » (URL, comptes), « ready » (URL), « stopping »,
                         « stop-timeout », « given-up » (dépôts abandonnés à l'arrêt), « stopped », « error »
  --reset                repart d'un dossier de données neuf : la base et les fichiers d'un lancement
                         précédent sont supprimés (le certificat TLS est gardé), pour des essais rejouables

Environnement : HOST, PORT, PHEBUS_DATA_DIR, PHEBUS_NOW, PHEBUS_ADMIN_PASSWORD (mot de passe du compte admin ;
sans lui, un mot de passe aléatoire est tiré et affiché à chaque démarrage).

Comptes de démonstration : dept<code> / demo-<code> pour chaque département du scénario.
Le serveur s'arrête proprement sur Ctrl+C (SIGINT) ou SIGTERM, y compris envoyés au processus npm
de « npm start » ou de « npx phebus-mock serve ». Voir docs/serveur.md.`

export async function serveCommand (args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('serve', args, {
    port: { type: 'string' },
    host: { type: 'string' },
    'data-dir': { type: 'string' },
    scenario: { type: 'string' },
    tls: { type: 'boolean' },
    'tls-cert': { type: 'string' },
    'tls-key': { type: 'string' },
    'max-upload': { type: 'string' },
    'retention-monthly': { type: 'string' },
    'retention-daily': { type: 'string' },
    'retention-upload': { type: 'string' },
    'retention-rejected': { type: 'string' },
    'retention-audit': { type: 'string' },
    'idle-timeout': { type: 'string' },
    'stop-timeout': { type: 'string' },
    'max-connections': { type: 'string' },
    'max-uploads': { type: 'string' },
    'max-uploads-per-departement': { type: 'string' },
    'max-address-failures': { type: 'string' },
    now: { type: 'string' },
    clock: { type: 'string' },
    'ready-file': { type: 'string' },
    'log-format': { type: 'string' },
    reset: { type: 'boolean' }
  })
  if (values.help) {
    say(io.stdout, SERVE_HELP)
    return 0
  }
  const env = io.env
  // an option given empty is a mistake (a script's unset variable: --scenario "$S"), never the default;
  // a variable of the environment set empty (PORT= in a compose file) is unset
  for (const [name, v] of Object.entries(values)) {
    if (v === '') throw usageError(`--${name} est vide : donnez sa valeur, ou retirez l'option pour sa valeur par défaut. Voir « phebus-mock serve --help ».`)
  }
  const envPort = env.PORT === '' ? undefined : env.PORT
  const port = values.port !== undefined
    ? optionalInteger('serve', values, 'port', 0, 65535) as number
    : envPort === undefined ? 8080 : fromEnvironment('PORT', () => optionalInteger('serve', { PORT: envPort }, 'PORT', 0, 65535) as number)
  const host = stringOption(values.host) ?? (env.HOST || '127.0.0.1')
  const dataDir = resolve(stringOption(values['data-dir']) ?? (env.PHEBUS_DATA_DIR || 'data'))
  const scenarioPath = resolve(stringOption(values.scenario) ?? join(packageRoot(), 'scenarios', 'demo.yaml'))
  const idle = optionalInteger('serve', values, 'idle-timeout', 1, 86_400) ?? 30
  const stopTimeout = optionalInteger('serve', values, 'stop-timeout', 0, 3_600)
  const maxUpload = values['max-upload'] === undefined ? undefined : parseSize(String(values['max-upload']))
  if (maxUpload === null) throw usageError(`--max-upload attend une taille (1048576, 500k, 128M, 1G), lu « ${String(values['max-upload'])} ».`)

  const nowText = stringOption(values.now) ?? (env.PHEBUS_NOW || undefined)
  // what was wrong is named as it was given: --now, or the variable
  const nowName = stringOption(values.now) === undefined ? 'PHEBUS_NOW (variable d\'environnement)' : '--now'
  const start = nowText === undefined ? null : parseNow(nowText)
  if (start === null && nowText !== undefined) throw usageError(`${nowName} attend une date (2026-11-02), une date et une heure de Paris (2026-11-02T08:00:00) ou avec un décalage (2026-11-02T08:00:00+04:00, de −12:00 à +14:00), lu « ${nowText} ».`)
  if (start !== null && !isExchangeDay(calendarDay(start.at, start.zone))) throw outOfExchangeRange('now', nowText ?? '', nowName)
  const clockText = stringOption(values.clock)
  if (clockText !== undefined && !['wall', 'running', 'frozen'].includes(clockText)) throw usageError(`--clock attend wall, running ou frozen, lu « ${clockText} ».`)
  if (clockText === 'wall' && start !== null) throw usageError('--now ne va pas avec --clock wall (l\'horloge de la machine).')
  const clockMode = (clockText ?? (start === null ? null : 'running')) as ClockMode | null
  const formatText = stringOption(values['log-format']) ?? 'text'
  if (!(LOG_FORMATS as readonly string[]).includes(formatText)) throw usageError(`--log-format attend text ou json, lu « ${formatText} ».`)
  const logFormat = formatText as LogFormat
  const log = serveLog(logFormat, io.stdout, io.stderr, io.now)
  // never a file the server reads, nor one it keeps: written when ready, it would be overwritten, then deleted at the stop
  const readyFile = optionalOutputFile(values, [['scenario', stringOption(values.scenario)], ['tls-cert', stringOption(values['tls-cert'])], ['tls-key', stringOption(values['tls-key'])]], 'ready-file')
  if (readyFile !== undefined) {
    const within = relative(dataDir, resolve(readyFile)).split(sep)[0] ?? ''
    if (SERVER_KEEPS.includes(within)) throw usageError(`--ready-file ${readyFile} est dans ce que le serveur garde dans son dossier de données (${within}) : il l'écraserait. Donnez un fichier ailleurs.`)
    checkReadyFile(readyFile)
  }

  const result = await (async () => {
    try {
      const running = await startServer({
        app: {
          dataDir,
          reset: values.reset === true,
          scenarioPath,
          adminPassword: env.PHEBUS_ADMIN_PASSWORD || null,
          maxUploadBytes: maxUpload,
          retention: {
            monthly: duration(values, 'retention-monthly'),
            daily: duration(values, 'retention-daily'),
            upload: duration(values, 'retention-upload'),
            rejected: duration(values, 'retention-rejected'),
            audit: duration(values, 'retention-audit')
          },
          limits: {
            maxConnections: optionalInteger('serve', values, 'max-connections', 1, 1_000_000) ?? connectionsFor(descriptorLimit()),
            maxUploads: optionalInteger('serve', values, 'max-uploads', 1, 100_000),
            maxUploadsPerDepartement: optionalInteger('serve', values, 'max-uploads-per-departement', 1, 100_000)
          },
          auth: { maxAddressFailures: optionalInteger('serve', values, 'max-address-failures', 1, 1_000_000) },
          now: io.now,
          clock: { mode: clockMode, start }
        },
        host,
        port,
        tls: tlsSetting(values),
        idleTimeoutMs: idle * 1000,
        stopTimeoutMs: stopTimeout === undefined ? undefined : stopTimeout * 1000,
        stdout: io.stdout,
        stderr: io.stderr,
        logFormat,
        readyFile: readyFile === undefined ? null : resolve(readyFile),
        // started by npm (npm start, npx): npm's signals reach its shell, not this process
        stopWithParent: env.npm_command !== undefined || env.npm_lifecycle_event !== undefined
      })
      await running.closed
      log.emit('stopped', 'phebus-mock : serveur arrêté, journal d\'audit écrit.')
      // stopped by itself (its ready file could not be written, said as an « error » event): not a success
      return running.failure() === null ? 0 : 2
    } catch (err) {
      if (!isServerError(err)) throw err
      log.emit('error', `phebus-mock serve : ${err.message} [${err.code}]`, { code: err.code })
      // as for the other commands: 1 when the scenario given is wrong, 2 when it cannot be read or the server could not run
      return err.code === 'PHEBUS_SERVER_SCENARIO' && !(err.cause instanceof PhebusError && err.cause.code === 'PHEBUS_SCENARIO_UNREADABLE') ? 1 : 2
    }
  })()
  return result
}

/** What the server keeps at the top of its data folder (storage.ts, lock.ts, tls.ts): no ready file there. */
const SERVER_KEEPS: readonly string[] = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`, LOCK_FILE, 'files', 'tmp', 'tls']

/**
 * The ready file's place, checked before the server starts: its folder
 * exists, is a folder, and can be written in; the file itself, if there,
 * is no folder. A pipeline waiting for the file would otherwise wait for
 * ever on a server that can never write it.
 */
function checkReadyFile (given: string): void {
  const path = resolve(given)
  const folder = dirname(path)
  const kind = (p: string): 'dossier' | 'autre' | null => {
    try {
      return statSync(p).isDirectory() ? 'dossier' : 'autre'
    } catch {
      return null
    }
  }
  if (kind(path) === 'dossier') throw usageError(`--ready-file ${given} est un dossier : donnez le nom d'un fichier.`)
  const where = kind(folder)
  if (where === null) throw usageError(`--ready-file ${given} : le dossier ${folder} n'existe pas ; créez-le, ou donnez un fichier dans un dossier existant.`)
  if (where !== 'dossier') throw usageError(`--ready-file ${given} : ${folder} n'est pas un dossier.`)
  try {
    accessSync(folder, constants.W_OK | constants.X_OK)
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code
    throw usageError(`--ready-file ${given} : impossible d'écrire dans le dossier ${folder} (${code === 'EROFS' ? 'système de fichiers en lecture seule' : 'permission refusée'}).`)
  }
}

/** The process's limit of open files (Linux), or null where it cannot be read. */
function descriptorLimit (): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}

/**
 * The default limit of connections: 1000, or fewer when the descriptors
 * would not do (each connection may hold a socket and a file, and the
 * database and the trail need a few): past it clients get 503, never EMFILE.
 */
export function connectionsFor (descriptors: number | null): number {
  if (descriptors === null) return 1000
  return Math.max(16, Math.min(1000, Math.floor((descriptors - 100) / 2)))
}

/** A value read from the environment: its usage error names the variable (« PORT (variable d'environnement) »), not an option. */
function fromEnvironment<T> (name: string, read: () => T): T {
  try {
    return read()
  } catch (err) {
    if (!(err instanceof PhebusError) || err.code !== 'PHEBUS_CLI_USAGE') throw err
    throw usageError(err.message.replace(`--${name} `, `${name} (variable d'environnement) `))
  }
}

function stringOption (v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined
}

function duration (values: Record<string, unknown>, name: string): Duration | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  const d = typeof v === 'string' ? parseDuration(v) : null
  if (d === null) throw usageError(`--${name} attend une durée (1M, 10d, 12h, 30min, 45s), lu « ${String(v)} ».`)
  return d
}

function tlsSetting (values: Record<string, unknown>): TlsSetting {
  const cert = stringOption(values['tls-cert'])
  const key = stringOption(values['tls-key'])
  if (values.tls === true && (cert !== undefined || key !== undefined)) throw usageError('--tls (certificat auto-signé) ou --tls-cert/--tls-key, pas les deux.')
  if ((cert === undefined) !== (key === undefined)) throw usageError('--tls-cert et --tls-key vont ensemble.')
  if (cert !== undefined && key !== undefined) return { mode: 'files', cert: resolve(cert), key: resolve(key) }
  return values.tls === true ? { mode: 'self-signed' } : { mode: 'off' }
}
