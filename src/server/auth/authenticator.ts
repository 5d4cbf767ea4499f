import type { AccountRepository, Role } from '../../storage/accounts.js'
import type { LoginEntry } from '../../storage/audit.js'
import { ServerError } from '../errors.js'
import { CredentialCache } from './credential-cache.js'
import { LoginGuard, type Reservation } from './login-guard.js'
import { liftedLock, lockId, lockMessage, type LockScope, type LockView } from './locks.js'
import { verifyPassword } from './passwords.js'
import { Semaphore } from '../semaphore.js'

/** Who a request comes from, once authenticated. */
export interface Principal {
  username: string
  role: Role
  /** null for the admin */
  departement: string | null
}

/** The authenticator's limits, as the server's options give them (options.ts). */
export interface AuthLimits {
  cacheSize: number
  cacheTtlMs: number
  maxFailures: number
  failureWindowMs: number
  lockMs: number
  /** failed logins from one address, whatever the user name, before that address is locked (a classroom shares one address) */
  maxAddressFailures: number
  /** password checks (scrypt) running at once; the others wait their turn */
  maxConcurrentChecks: number
  /** password checks waiting their turn, past which the answer is 503 */
  maxQueuedChecks: number
  /** called before each scrypt verification (tests count them) */
  onVerify?: ((username: string) => void) | undefined
}

/** An attempt not counted against its address (the admin's, from a locked address). */
const UNCOUNTED: Reservation = { fail: () => {}, succeed: () => {}, cancel: () => {} }

export interface AuthenticatorOptions extends AuthLimits {
  now: () => number
  /** a hash checked when the user does not exist, so that an unknown user costs as much as a wrong password (made once the server's accounts are) */
  decoyHash: () => Promise<string>
}

/**
 * What a keep-alive connection remembers of the credentials that last
 * opened it, so that its next request with the very same Authorization
 * header is neither decoded nor hashed again (basic-auth.ts). It lives with
 * the connection (which holds that header anyway) and is trusted no longer
 * than the cache's entry: not after its expiry, not after any password
 * change (the cache's generation), never while a lock applies.
 */
export interface Remembered {
  /** the Authorization header, as sent */
  header: string
  /** the user name, as given */
  username: string
  principal: Principal
  /** the cache's generation when remembered */
  generation: number
  /** when the cache stops trusting these credentials */
  expires: number
}

/** No account has a longer name: a longer one is refused before anything is hashed or kept. */
export const MAX_USERNAME_LENGTH = 64

/**
 * HTTP Basic credentials in, a principal or a coded error out (401, 429
 * while locked, 503 when too many checks wait). Both locks reserve their
 * place before the password is hashed (login-guard.ts): parallel guesses do
 * not get more tries than sequential ones. The admin lists the locks and
 * lifts them (locks.ts).
 */
export class Authenticator {
  private readonly cache: CredentialCache<Principal, string>
  private readonly users: LoginGuard
  private readonly addresses: LoginGuard
  private readonly checks: Semaphore
  private readonly now: () => number

  constructor (private readonly accounts: AccountRepository, private readonly options: AuthenticatorOptions) {
    const { now } = options
    this.now = now
    this.users = new LoginGuard({ maxFailures: options.maxFailures, windowMs: options.failureWindowMs, lockMs: options.lockMs, now, clearOnSuccess: true })
    this.addresses = new LoginGuard({ maxFailures: options.maxAddressFailures, windowMs: options.failureWindowMs, lockMs: options.lockMs, now, clearOnSuccess: false })
    this.checks = new Semaphore(options.maxConcurrentChecks, options.maxQueuedChecks)
    this.cache = new CredentialCache<Principal, string>({ size: options.cacheSize, ttlMs: options.cacheTtlMs, now, verify: async (u, p, address) => await this.verify(u, p, address) })
  }

  /**
   * Requests with the same credentials at once share one check (the cache's),
   * and are one attempt. Locked, the right password is refused too.
   */
  async authenticate (username: string, password: string, address: string): Promise<Principal> {
    const known = this.known(username, password, address)
    if (known !== undefined) return known
    const principal = await this.cache.check(username, password, address)
    if (principal === null) throw new ServerError('PHEBUS_AUTH_REQUIRED', 'Identifiant ou mot de passe incorrect.')
    return principal
  }

  /**
   * The principal of credentials verified lately, at once (no scrypt,
   * nothing waited for): what most requests cost. Undefined when they are
   * to be checked (authenticate). The locks are honoured first, as by
   * authenticate: a coded error (429, or 401 for a user name too long).
   */
  known (username: string, password: string, address: string): Principal | undefined {
    const addressLocked = this.addresses.lockedUntil(address)
    if (addressLocked > 0 && !this.isAdmin(username)) this.refuse(addressLocked, 'address')
    if (username.length > MAX_USERNAME_LENGTH) {
      this.reserve(this.addresses, address, 'address').fail()
      throw new ServerError('PHEBUS_AUTH_REQUIRED', `Identifiant ou mot de passe incorrect (un identifiant a au plus ${MAX_USERNAME_LENGTH} caractères).`)
    }
    const key = userKey(username, address)
    this.refuseLocked(this.users, key, 'user')
    const principal = this.cache.known(username, password)
    // known without a check: refused too while guesses fill every place of its user; else a success, whose
    // count starts again as a checked one's does (and as the replay at start has it): the guard's acceptKnown
    if (principal !== undefined) {
      const until = this.users.acceptKnown(key)
      if (until > 0) this.refuse(until, 'user')
    }
    return principal
  }

  /**
   * What a connection may remember of credentials just accepted (their
   * header as sent), or undefined when the cache did not keep them (a
   * password changed while they were checked).
   */
  remember (header: string, username: string, password: string): Remembered | undefined {
    const trusted = this.cache.trusted(username, password)
    if (trusted === undefined) return undefined
    return { header, username, principal: trusted.account, generation: trusted.generation, expires: trusted.expires }
  }

  /**
   * The principal of what a connection remembered, when it is still
   * trusted and no lock applies to its user or to the address; undefined:
   * the credentials go the whole way again (known, authenticate), which
   * also says why they are refused.
   */
  recall (remembered: Remembered, address: string): Principal | undefined {
    if (remembered.generation !== this.cache.currentGeneration || remembered.expires <= this.now()) return undefined
    if (this.addresses.lockedUntil(address) > 0 && remembered.principal.role !== 'admin') return undefined
    if (this.users.acceptKnown(userKey(remembered.username, address)) > 0) return undefined
    return remembered.principal
  }

  /** One attempt: its places reserved in both counts before the hash, given back or kept by its outcome. */
  private async verify (username: string, password: string, address: string): Promise<Principal | null> {
    const asUser = this.reserve(this.users, userKey(username, address), 'user')
    let fromAddress: Reservation
    try {
      fromAddress = this.addresses.lockedUntil(address) > 0 && this.isAdmin(username) ? UNCOUNTED : this.reserve(this.addresses, address, 'address')
    } catch (err) {
      asUser.cancel()
      throw err
    }
    const release = await this.checks.acquire()
    if (release === null) {
      asUser.cancel()
      fromAddress.cancel()
      throw new ServerError('PHEBUS_AUTH_BUSY', undefined, { retryAfter: 1 })
    }
    let principal: Principal | null
    try {
      this.options.onVerify?.(username)
      let account = this.accounts.find(username)
      let ok = await verifyPassword(password, account?.passwordHash ?? await this.options.decoyHash())
      // the password may have been changed while it was hashed (tens of ms): the answer is the current one's,
      // else the old password opened a request, or a session, after its change was answered (docs/serveur.md)
      for (let again = 0; ok && account !== null; again++) {
        const current = this.accounts.find(username)
        if (current?.passwordHash === account.passwordHash) break
        ok = current !== null && again < 2 && await verifyPassword(password, current.passwordHash)
        account = current
      }
      principal = ok && account ? { username: account.username, role: account.role, departement: account.departement } : null
    } catch (err) {
      asUser.cancel()
      fromAddress.cancel()
      throw err
    } finally {
      release()
    }
    if (principal === null) {
      asUser.fail()
      fromAddress.fail()
    } else {
      asUser.succeed()
      fromAddress.succeed()
    }
    return principal
  }

  /**
   * The admin's account goes through a lock of its address (its own lock,
   * by user name and address, still applies): else a classroom, or a CI
   * whose every client shares one address, locked out the one who can lift
   * the lock (« un administrateur peut lever ce blocage »). Asked only of
   * a locked address.
   */
  private isAdmin (username: string): boolean {
    return username.length <= MAX_USERNAME_LENGTH && this.accounts.find(username)?.role === 'admin'
  }

  private reserve (guard: LoginGuard, key: string, scope: LockScope): Reservation {
    const r = guard.begin(key)
    if ('until' in r) this.refuse(r.until, scope)
    return r
  }

  private refuseLocked (guard: LoginGuard, key: string, scope: LockScope): void {
    const until = guard.lockedUntil(key)
    if (until > 0) this.refuse(until, scope)
  }

  /** 429 with Retry-After, and a message that says until when. */
  private refuse (until: number, scope: LockScope): never {
    const now = this.now()
    const code = scope === 'user' ? 'PHEBUS_AUTH_LOCKED' : 'PHEBUS_AUTH_ADDRESS_LOCKED'
    throw new ServerError(code, lockMessage(scope, until, now), { retryAfter: Math.max(1, Math.ceil((until - now) / 1000)) })
  }

  /** How long a user is locked from an address, in seconds (0: not locked). */
  lockedFor (username: string, address: string): number {
    return Math.max(this.users.lockedFor(userKey(username, address)), this.addresses.lockedFor(address))
  }

  /** The locks now, users from an address and addresses, the latest first. */
  locks (): LockView[] {
    const users = this.users.locks().map(({ key, ...l }): LockView => {
      const { username, address } = splitUserKey(key)
      return { ...l, id: lockId('user', username, address), scope: 'user', username, address }
    })
    const addresses = this.addresses.locks().map(({ key, ...l }): LockView => ({ ...l, id: lockId('address', null, key), scope: 'address', username: null, address: key }))
    return [...users, ...addresses].sort((a, b) => b.lockedAt - a.lockedAt)
  }

  /**
   * Lifts one lock (the others stay): its user, or anyone from its address,
   * may try again at once. The lock as it was, or null when there is no
   * such lock now. The caller traces it (liftDetail), so that the replay
   * at start honours it.
   */
  lift (id: string): LockView | null {
    const lock = this.locks().find((l) => l.id === id)
    if (lock === undefined) return null
    if (lock.scope === 'user') this.users.lift(userKey(lock.username ?? '', lock.address))
    else this.addresses.lift(lock.address)
    return lock
  }

  /**
   * Rebuilds the locks from past logins (the audit trail): each refused
   * password counts again as a failure at its time, each accepted one
   * clears its user's count, each lift by the admin lifts its lock, as they
   * did when they happened. A page opened by a session gave no password
   * and clears nothing (login 0); an entry from before the trail said so
   * (login null) is read as a login when it was accepted.
   */
  replay (logins: readonly LoginEntry[]): void {
    for (const l of logins) {
      const lifted = l.status < 400 ? liftedLock(l.detail) : null
      if (lifted !== null) {
        if (lifted.scope === 'user') this.users.lift(userKey(lifted.username ?? '', lifted.address), true)
        else this.addresses.lift(lifted.address, true)
      } else if (l.detail === 'PHEBUS_AUTH_REQUIRED' && (l.status === 401 || l.status === CLIENT_CLOSED)) {
        // refused, whether the client had its answer or had left (audit.ts traces it once the check ends)
        this.users.fail(userKey(l.username, l.address), l.at)
        this.addresses.fail(l.address, l.at)
      } else if (l.login !== 0 && !NOT_ACCEPTED_STATUS.has(l.status) && !REFUSALS.has(l.detail ?? '')) {
        this.users.succeed(userKey(l.username, l.address))
      }
    }
  }

  /** The département of an account, for the trail of a failed login (null when there is no such account). */
  departementOf (username: string): string | null {
    return username.length > MAX_USERNAME_LENGTH ? null : this.accounts.find(username)?.departement ?? null
  }

  /** Forgets the verified credentials of a user (its password changed): the old password no longer opens anything. */
  forget (username: string): void {
    this.cache.forget((p) => p.username === username)
  }
}

/** 499: the client left before its answer (audit.ts), after its password was checked. */
const CLIENT_CLOSED = 499
/** Statuses of a request whose credentials were not accepted, or not known to be: refused, locked, busy, cut by the server. */
const NOT_ACCEPTED_STATUS = new Set([401, 408, 429, 503])
/** The codes of credentials not accepted: a request whose client left after one of these was no success. */
const REFUSALS = new Set(['PHEBUS_AUTH_REQUIRED', 'PHEBUS_AUTH_LOCKED', 'PHEBUS_AUTH_ADDRESS_LOCKED', 'PHEBUS_AUTH_BUSY'])

function userKey (username: string, address: string): string {
  return `${username}\0${address}`
}

/** An address has no NUL: the last one ends the user name. */
function splitUserKey (key: string): { username: string, address: string } {
  const at = key.lastIndexOf('\0')
  return { username: key.slice(0, at), address: key.slice(at + 1) }
}
