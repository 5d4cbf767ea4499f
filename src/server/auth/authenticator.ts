import type { AccountRepository, Role } from '../../storage/accounts.js'
import { ServerError } from '../errors.js'
import { CredentialCache } from './credential-cache.js'
import { LoginGuard, type Reservation } from './login-guard.js'
import { verifyPassword } from './passwords.js'
import { Semaphore } from '../semaphore.js'

/** Who a request comes from, once authenticated. */
export interface Principal {
  username: string
  role: Role
  /** null for the admin */
  departement: string | null
}

export interface AuthenticatorOptions {
  cacheSize: number
  cacheTtlMs: number
  maxFailures: number
  failureWindowMs: number
  lockMs: number
  /** failed logins from one address, whatever the user name, before that address is locked */
  maxAddressFailures: number
  /** password checks (scrypt) running at once; the others wait their turn */
  maxConcurrentChecks: number
  /** password checks waiting their turn, past which the answer is 503 */
  maxQueuedChecks: number
  now: () => number
  /** called before each scrypt verification (tests count them) */
  onVerify?: ((username: string) => void) | undefined
  /** a hash checked when the user does not exist, so that an unknown user costs as much as a wrong password */
  decoyHash: string
}

/** No account has a longer name: a longer one is refused before anything is hashed or kept. */
export const MAX_USERNAME_LENGTH = 64

/**
 * HTTP Basic credentials in, a principal or a coded error out (401, 429
 * while locked, 503 when too many checks wait). Both locks reserve their
 * place before the password is hashed (login-guard.ts): parallel guesses do
 * not get more tries than sequential ones.
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
    this.refuseLocked(this.addresses.lockedFor(address), 'PHEBUS_AUTH_ADDRESS_LOCKED')
    if (username.length > MAX_USERNAME_LENGTH) {
      this.reserve(this.addresses, address, 'PHEBUS_AUTH_ADDRESS_LOCKED').fail()
      throw new ServerError('PHEBUS_AUTH_REQUIRED', `Identifiant ou mot de passe incorrect (un identifiant a au plus ${MAX_USERNAME_LENGTH} caractères).`)
    }
    this.refuseLocked(this.users.lockedFor(userKey(username, address)), 'PHEBUS_AUTH_LOCKED')
    const principal = await this.cache.check(username, password, address)
    if (principal === null) throw new ServerError('PHEBUS_AUTH_REQUIRED', 'Identifiant ou mot de passe incorrect.')
    return principal
  }

  /** One attempt: its places reserved in both counts before the hash, given back or kept by its outcome. */
  private async verify (username: string, password: string, address: string): Promise<Principal | null> {
    const asUser = this.reserve(this.users, userKey(username, address), 'PHEBUS_AUTH_LOCKED')
    let fromAddress: Reservation
    try {
      fromAddress = this.reserve(this.addresses, address, 'PHEBUS_AUTH_ADDRESS_LOCKED')
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
      const account = this.accounts.find(username)
      const ok = await verifyPassword(password, account?.passwordHash ?? this.options.decoyHash)
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

  private reserve (guard: LoginGuard, key: string, code: LockCode): Reservation {
    const r = guard.begin(key)
    if (typeof r === 'number') this.refuseLocked(r, code)
    return r as Reservation
  }

  private refuseLocked (seconds: number, code: LockCode): void {
    if (seconds <= 0) return
    const what = code === 'PHEBUS_AUTH_LOCKED' ? 'Trop d\'échecs de connexion pour cet identifiant depuis cette adresse' : 'Trop d\'échecs de connexion depuis cette adresse, tous identifiants confondus'
    throw new ServerError(code, `${what} : réessayez à ${untilText(this.now() + seconds * 1000)} (heure de Paris), dans ${seconds} s.`, { retryAfter: seconds })
  }

  /** How long a user is locked from an address, in seconds (0: not locked). */
  lockedFor (username: string, address: string): number {
    return Math.max(this.users.lockedFor(userKey(username, address)), this.addresses.lockedFor(address))
  }

  /**
   * Rebuilds the locks from past logins (the audit trail): each refused
   * password counts again as a failure at its time, each success clears its
   * user's count, as they did when they happened.
   */
  replay (logins: readonly { at: number, username: string, address: string, status: number, detail: string | null }[]): void {
    for (const l of logins) {
      if (l.status === 401 && l.detail === 'PHEBUS_AUTH_REQUIRED') {
        this.users.fail(userKey(l.username, l.address), l.at)
        this.addresses.fail(l.address, l.at)
      } else if (l.status !== 401 && l.status !== 429 && l.status !== 503) {
        this.users.succeed(userKey(l.username, l.address))
      }
    }
  }

  /** The département of an account, for the trail of a failed login (null when there is no such account). */
  departementOf (username: string): string | null {
    return username.length > MAX_USERNAME_LENGTH ? null : this.accounts.find(username)?.departement ?? null
  }

  /** Forgets verified credentials (a password changed). */
  forget (): void {
    this.cache.clear()
  }
}

type LockCode = 'PHEBUS_AUTH_LOCKED' | 'PHEBUS_AUTH_ADDRESS_LOCKED'

function userKey (username: string, address: string): string {
  return `${username}\0${address}`
}

/** "14 h 05" in Paris time: when a lock ends, as the messages say it. */
function untilText (at: number): string {
  return new Date(at).toLocaleTimeString('fr-FR', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' }).replace(':', ' h ')
}
