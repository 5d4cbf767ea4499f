import { lazyDateFormat } from '../../text/french.js'

/**
 * The locks as the admin and the locked see them: a stable, URL-safe id for
 * each (the admin lifts a lock by it, and its lift is replayed from the
 * trail by it), and the French words of a 429 that say until when.
 */

/** A user locked from an address, or an address locked whatever the user. */
export type LockScope = 'user' | 'address'

export interface LockView {
  /** `user.<user>.<address>` or `address.<address>`, each part in base64url: the same lock always has the same id */
  id: string
  scope: LockScope
  /** null for an address lock */
  username: string | null
  address: string
  /** the failed logins that locked it */
  failures: number
  lockedAt: number
  until: number
}

const PART = /^[A-Za-z0-9_-]+$/

export function lockId (scope: LockScope, username: string | null, address: string): string {
  const part = (s: string): string => Buffer.from(s, 'utf8').toString('base64url')
  return scope === 'user' ? `user.${part(username ?? '')}.${part(address)}` : `address.${part(address)}`
}

/** The lock an id names; null when it names none (an id is only ever read in the form lockId writes). */
export function parseLockId (id: string): { scope: LockScope, username: string | null, address: string } | null {
  const parts = id.split('.')
  if (!parts.slice(1).every((p) => PART.test(p))) return null
  const text = (p: string | undefined): string => Buffer.from(p ?? '', 'base64url').toString('utf8')
  const lock = parts[0] === 'user' && parts.length === 3
    ? { scope: 'user' as const, username: text(parts[1]), address: text(parts[2]) }
    : parts[0] === 'address' && parts.length === 2 ? { scope: 'address' as const, username: null, address: text(parts[1]) } : null
  // base64url reads some ids another way than it writes them: only the canonical form names the lock
  return lock !== null && lockId(lock.scope, lock.username, lock.address) === id ? lock : null
}

const LIFT_DETAIL = 'blocage levé '

/** What the trail says of a lift (the request's detail): the lock's id, then who it locked, never a password. */
export function liftDetail (lock: LockView): string {
  const who = lock.scope === 'user' ? `${lock.username ?? ''} depuis ${lock.address}` : `adresse ${lock.address}`
  return `${LIFT_DETAIL}${lock.id} (${who})`
}

/** The lock a trail entry's detail says was lifted, or null. */
export function liftedLock (detail: string | null): ReturnType<typeof parseLockId> {
  if (detail === null || !detail.startsWith(LIFT_DETAIL)) return null
  return parseLockId(detail.slice(LIFT_DETAIL.length).split(' ')[0] ?? '')
}

/** A 429's message: why, how long, and the time (Paris) at which a new try may be made. */
export function lockMessage (scope: LockScope, until: number, now: number): string {
  const what = scope === 'user'
    ? 'Trop d\'échecs de connexion : identifiant bloqué depuis cette adresse'
    : 'Trop d\'échecs de connexion depuis cette adresse, tous identifiants confondus : adresse bloquée'
  return `${what} encore ${durationText(until - now)} ; réessayez ${parisMoment(until, now)} (heure de Paris). Un administrateur peut lever ce blocage.`
}

const paris = lazyDateFormat('fr-FR', { timeZone: 'Europe/Paris', year: 'numeric', month: 'long', day: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })

/** Past this, a time of day alone could be read as one already gone: the day is said too. */
const SAME_DAY_MS = 12 * 3_600_000

/**
 * "à 14 h 05", or "le 28 novembre à 14 h 05" when it is another day in
 * Paris more than twelve hours ahead. Rounded up to the minute: at the time
 * said, the lock is over.
 */
export function parisMoment (at: number, now: number): string {
  const parts = (t: number): Record<string, string> => Object.fromEntries(paris().formatToParts(new Date(t)).map((p) => [p.type, p.value]))
  const end = parts(Math.ceil(at / 60_000) * 60_000)
  const today = parts(now)
  const time = `à ${end.hour ?? ''} h ${end.minute ?? ''}`
  if (at - now <= SAME_DAY_MS || (end.day === today.day && end.month === today.month && end.year === today.year)) return time
  return `le ${end.day === '1' ? '1er' : end.day ?? ''} ${end.month ?? ''} ${time}`
}

/** "45 s", "15 min", "2 h 30 min": a wait, rounded up. */
export function durationText (ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000))
  if (seconds < 60) return `${seconds} s`
  const minutes = Math.ceil(seconds / 60)
  if (minutes < 60) return `${minutes} min`
  const rest = minutes % 60
  return `${Math.floor(minutes / 60)} h${rest === 0 ? '' : ` ${rest} min`}`
}
