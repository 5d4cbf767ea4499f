import { ServerError } from './errors.js'
import { DEFAULT_SCRYPT, type ScryptParams } from './auth/passwords.js'
import type { AuthLimits } from './auth/authenticator.js'
import { availableParallelism } from 'node:os'
import { GIB, MIB } from '../units.js'
import { addMonths, type ClockMode, type Zone } from '../clock.js'

export { formatSize, parseSize } from '../units.js'

/**
 * The app's options: checked once, defaults filled in, then frozen. What
 * listens (host, port, TLS, timeouts) is the start file's business.
 */

/** A retention period: calendar months, or a fixed number of ms. */
export type Duration = { months: number } | { ms: number }

export interface RetentionOptions {
  /** a monthly PECGM (stock): one month after its deposit (Annexe 1) */
  monthly: Duration
  /** a daily PECGM (flux): ten days after its deposit (Annexe 1) */
  daily: Duration
  /** a CGPEM sent by a département and accepted, with its report */
  upload: Duration
  /** a CGPEM refused by the validator, with its report */
  rejected: Duration
  /** an entry of the audit trail */
  audit: Duration
}

/** What one client, or all of them, may hold at once: past it, 503 with Retry-After. */
export interface LimitOptions {
  /** open connections (a few more are accepted only to be told 503; past those, new ones are dropped) */
  maxConnections: number
  /** uploads being received at once, all départements together */
  maxUploads: number
  /** uploads being received at once for one département */
  maxUploadsPerDepartement: number
}

export interface AppOptions {
  dataDir: string
  /** start from an empty data folder: what an earlier run left there (database, files) is deleted first (--reset) */
  reset: boolean
  scenarioPath: string
  /** null: a random password, drawn at each start and printed */
  adminPassword: string | null
  /** create dept<code> / demo-<code> for each département of the scenario */
  demoAccounts: boolean
  maxUploadBytes: number
  retention: RetentionOptions
  limits: LimitOptions
  /** purge and monthly deposits run this often (ms) */
  maintenanceIntervalMs: number
  /** a deposit for a population this large or larger is made on helper threads (services/pecgm-threads.ts) */
  depositThreadRecords: number
  /** an upload announced this large or larger is validated on a thread beside the event loop (services/validator-threads.ts) */
  validateThreadBytes: number
  /** the wall clock (ms): security timers (sessions, lock-outs, Retry-After) and the trail's `at` */
  now: () => number
  /**
   * The exchange clock (deposits, retention, expiries, planning, « today »):
   * the wall clock unless a start (--now) or a mode (--clock) is given;
   * a clock kept in the data folder wins over an earlier start.
   */
  clock: { mode: ClockMode | null, start: { at: number, zone: Zone } | null }
  auth: AuthLimits & { scrypt: ScryptParams }
  audit: {
    flushIntervalMs: number
    flushRows: number
  }
}

export type AppOptionsInput = Partial<Omit<AppOptions, 'auth' | 'audit' | 'retention' | 'limits' | 'clock'>> & {
  clock?: Partial<AppOptions['clock']>
  dataDir: string
  scenarioPath: string
  auth?: Partial<AppOptions['auth']>
  audit?: Partial<AppOptions['audit']>
  retention?: Partial<RetentionOptions>
  limits?: Partial<LimitOptions>
}

const MINUTE = 60_000

export const DEFAULT_RETENTION: RetentionOptions = Object.freeze({ monthly: { months: 1 }, daily: { ms: 10 * 24 * 60 * MINUTE }, upload: { months: 1 }, rejected: { ms: 10 * 24 * 60 * MINUTE }, audit: { months: 13 } })

/** Enough for every département of the national scenario (101) to send at once. */
export const DEFAULT_LIMITS: LimitOptions = Object.freeze({ maxConnections: 1000, maxUploads: 128, maxUploadsPerDepartement: 4 })

/** The shortest admin password accepted. */
export const ADMIN_PASSWORD_MIN = 12

export function resolveAppOptions (input: AppOptionsInput): Readonly<AppOptions> {
  const options: AppOptions = {
    dataDir: input.dataDir,
    reset: input.reset ?? false,
    scenarioPath: input.scenarioPath,
    adminPassword: input.adminPassword ?? null,
    demoAccounts: input.demoAccounts ?? true,
    maxUploadBytes: input.maxUploadBytes ?? GIB,
    retention: { ...DEFAULT_RETENTION, ...definedOnly(input.retention) },
    limits: { ...DEFAULT_LIMITS, ...definedOnly(input.limits) },
    maintenanceIntervalMs: input.maintenanceIntervalMs ?? 60 * MINUTE,
    depositThreadRecords: input.depositThreadRecords ?? 2000,
    validateThreadBytes: input.validateThreadBytes ?? MIB,
    now: input.now ?? Date.now,
    clock: { mode: input.clock?.mode ?? null, start: input.clock?.start ?? null },
    auth: {
      cacheSize: 1000,
      cacheTtlMs: 5 * MINUTE,
      maxFailures: 5,
      failureWindowMs: 15 * MINUTE,
      lockMs: 15 * MINUTE,
      maxAddressFailures: 100,
      // scrypt runs on the thread pool: one core always stays with the event loop
      maxConcurrentChecks: Math.max(1, availableParallelism() - 1),
      // every département of the national scenario logging in at once
      maxQueuedChecks: 256,
      scrypt: DEFAULT_SCRYPT,
      ...definedOnly(input.auth)
    },
    audit: { flushIntervalMs: 100, flushRows: 500, ...definedOnly(input.audit) }
  }
  check(options.dataDir !== '', 'le dossier de données est vide')
  check(options.scenarioPath !== '', 'le scénario est vide')
  check(Number.isSafeInteger(options.maxUploadBytes) && options.maxUploadBytes > 0, `taille maximale d'envoi invalide (${options.maxUploadBytes})`)
  check(options.adminPassword === null || options.adminPassword.length >= ADMIN_PASSWORD_MIN, `le mot de passe de l'admin doit avoir au moins ${ADMIN_PASSWORD_MIN} caractères`)
  check(options.maintenanceIntervalMs > 0, 'intervalle de maintenance invalide')
  for (const [k, v] of Object.entries(options.auth)) {
    if (typeof v === 'number') check(Number.isFinite(v) && v > 0, `auth.${k} invalide (${v})`)
  }
  check(options.audit.flushIntervalMs > 0 && options.audit.flushRows > 0, 'réglages du journal invalides')
  for (const [k, v] of Object.entries(options.limits)) check(Number.isSafeInteger(v) && v > 0, `limits.${k} invalide (${v})`)
  Object.freeze(options.auth)
  Object.freeze(options.audit)
  Object.freeze(options.retention)
  check(options.clock.mode !== 'wall' || options.clock.start === null, '--now ne va pas avec l\'horloge de la machine (--clock wall)')
  Object.freeze(options.limits)
  Object.freeze(options.clock)
  return Object.freeze(options)
}

/** The keys given a value: `{ a: undefined }` does not override a default. */
function definedOnly<T extends object> (o: Partial<T> | undefined): Partial<T> {
  return Object.fromEntries(Object.entries(o ?? {}).filter(([, v]) => v !== undefined)) as Partial<T>
}

function check (ok: boolean, what: string): void {
  if (!ok) throw new ServerError('PHEBUS_SERVER_OPTIONS', `Option du serveur invalide : ${what}.`)
}

/**
 * "1M" (calendar months), "10d", "12h", "30min", "45s": the retention
 * periods as the command line takes them. Null when not understood.
 */
export function parseDuration (text: string): Duration | null {
  const m = /^([0-9]{1,6})(M|d|h|min|s)$/.exec(text.trim())
  if (!m) return null
  const n = Number(m[1])
  if (n === 0) return null
  const unit = m[2] as 'M' | 'd' | 'h' | 'min' | 's'
  if (unit === 'M') return { months: n }
  return { ms: n * { d: 86_400_000, h: 3_600_000, min: MINUTE, s: 1000 }[unit] }
}

export function formatDuration (d: Duration): string {
  if ('months' in d) return `${d.months} mois`
  for (const [unit, ms] of [['j', 86_400_000], ['h', 3_600_000], ['min', MINUTE]] as const) {
    if (d.ms % ms === 0) return `${d.ms / ms} ${unit}`
  }
  return `${d.ms / 1000} s`
}

/**
 * `at` plus a duration; a month later is the same day of the next month, or
 * its last day, in the days of `zone` (the exchange's: a stock deposited on
 * 1 March at 06:00 in Nouméa, 19:00 UTC the day before, stays until 1 April).
 */
export function addDuration (at: number, d: Duration, zone: Zone = 'Europe/Paris'): number {
  if ('ms' in d) return at + d.ms
  return addMonths(at, d.months, zone)
}
