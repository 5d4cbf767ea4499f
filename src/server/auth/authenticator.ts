import type { AccountRepository, Role } from '../../storage/accounts.js'
import { ServerError } from '../errors.js'
import { CredentialCache } from './credential-cache.js'
import { LoginGuard } from './login-guard.js'
import { verifyPassword } from './passwords.js'

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
  now: () => number
  /** called before each scrypt verification (tests count them) */
  onVerify?: ((username: string) => void) | undefined
  /** a hash checked when the user does not exist, so that an unknown user costs as much as a wrong password */
  decoyHash: string
}

/** HTTP Basic credentials in, a principal or a coded error out (401, or 429 while locked). */
export class Authenticator {
  private readonly cache: CredentialCache<Principal>
  private readonly guard: LoginGuard

  constructor (private readonly accounts: AccountRepository, options: AuthenticatorOptions) {
    this.guard = new LoginGuard({ maxFailures: options.maxFailures, windowMs: options.failureWindowMs, lockMs: options.lockMs, now: options.now })
    this.cache = new CredentialCache<Principal>({
      size: options.cacheSize,
      ttlMs: options.cacheTtlMs,
      now: options.now,
      verify: async (username, password) => {
        options.onVerify?.(username)
        const account = this.accounts.find(username)
        const ok = await verifyPassword(password, account?.passwordHash ?? options.decoyHash)
        return ok && account ? { username: account.username, role: account.role, departement: account.departement } : null
      }
    })
  }

  async authenticate (username: string, password: string, address: string): Promise<Principal> {
    const locked = this.guard.lockedFor(username, address)
    if (locked > 0) throw new ServerError('PHEBUS_AUTH_LOCKED', undefined, { retryAfter: locked })
    const principal = await this.cache.check(username, password)
    if (principal === null) {
      this.guard.fail(username, address)
      throw new ServerError('PHEBUS_AUTH_REQUIRED', 'Identifiant ou mot de passe incorrect.')
    }
    this.guard.succeed(username, address)
    return principal
  }

  /**
   * Rebuilds the lock-out state from past logins (the audit trail): each
   * refused password counts again as a failure at its time, each success
   * clears the count, as they did when they happened.
   */
  replay (logins: readonly { at: number, username: string, address: string, status: number, detail: string | null }[]): void {
    for (const l of logins) {
      if (l.status === 401 && l.detail === 'PHEBUS_AUTH_REQUIRED') this.guard.fail(l.username, l.address, l.at)
      else if (l.status !== 401 && l.status !== 429) this.guard.succeed(l.username, l.address)
    }
  }

  /** The département of an account, for the trail of a failed login (null when there is no such account). */
  departementOf (username: string): string | null {
    return this.accounts.find(username)?.departement ?? null
  }

  /** Forgets verified credentials (a password changed). */
  forget (): void {
    this.cache.clear()
  }
}
