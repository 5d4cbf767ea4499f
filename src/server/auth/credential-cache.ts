import { hash } from 'node:crypto'

/**
 * Remembers credentials that were verified, so that scrypt (tens of ms, by
 * design) runs once per credential rather than once per request. Bounded
 * (oldest entry out first) and time-limited; one verification in flight per
 * credential, shared by the requests that wait for it; a failure is never
 * remembered. Keys are a SHA-256 of user and password: the cache holds no
 * password.
 */

export interface CredentialCacheOptions<A, C> {
  /** entries kept at most */
  size: number
  /** how long a verified credential is trusted, in ms */
  ttlMs: number
  now: () => number
  /** the slow check: the account when the password is right, else null; `context` is the first caller's */
  verify: (username: string, password: string, context: C) => Promise<A | null>
}

interface Entry<A> {
  account: A
  expires: number
}

export class CredentialCache<A, C = undefined> {
  private readonly entries = new Map<string, Entry<A>>()
  private readonly inFlight = new Map<string, Promise<A | null>>()
  /** bumped by each forget: a verification begun before it is not remembered (it may have read the old password) */
  private generation = 0

  constructor (private readonly options: CredentialCacheOptions<A, C>) {
    if (!Number.isInteger(options.size) || options.size < 1) throw new RangeError('CredentialCache: size must be an integer ≥ 1')
    if (!(options.ttlMs > 0)) throw new RangeError('CredentialCache: ttlMs must be > 0')
  }

  get size (): number {
    return this.entries.size
  }

  /**
   * The account of credentials verified and still trusted, at once (one
   * SHA-256 and a lookup, nothing waited for); undefined when they are to
   * be checked (check).
   */
  known (username: string, password: string): A | undefined {
    const hit = this.entries.get(keyOf(username, password))
    return hit !== undefined && hit.expires > this.options.now() ? hit.account : undefined
  }

  /**
   * Credentials verified and still trusted: their account, until when they
   * are, and the generation they belong to (a forget() changes it). What a
   * connection may remember of them (authenticator.ts, Remembered).
   */
  trusted (username: string, password: string): { account: A, expires: number, generation: number } | undefined {
    const hit = this.entries.get(keyOf(username, password))
    return hit !== undefined && hit.expires > this.options.now() ? { account: hit.account, expires: hit.expires, generation: this.generation } : undefined
  }

  /** Changes with each forget(): what was trusted before it is no longer, unless checked again. */
  get currentGeneration (): number {
    return this.generation
  }

  async check (username: string, password: string, context: C = undefined as C): Promise<A | null> {
    const key = keyOf(username, password)
    const hit = this.entries.get(key)
    if (hit !== undefined) {
      if (hit.expires > this.options.now()) return hit.account
      this.entries.delete(key)
    }
    let pending = this.inFlight.get(key)
    if (pending === undefined) pending = this.start(key, username, password, context)
    return await pending
  }

  /** Forgets everything (an account changed). */
  clear (): void {
    this.forget(() => true)
  }

  /**
   * Forgets the entries of some accounts (a password changed), and whatever
   * verification is in flight: its answer is given to its callers, not kept.
   * The next request with those credentials is checked again.
   */
  forget (match: (account: A) => boolean): void {
    this.generation++
    for (const [key, entry] of this.entries) {
      if (match(entry.account)) this.entries.delete(key)
    }
    // a request that joins a verification begun before the change must not share its answer
    this.inFlight.clear()
  }

  private start (key: string, username: string, password: string, context: C): Promise<A | null> {
    const generation = this.generation
    const pending = this.options.verify(username, password, context)
    this.inFlight.set(key, pending)
    const done = (): void => { if (this.inFlight.get(key) === pending) this.inFlight.delete(key) }
    pending.then((account) => {
      done()
      if (account !== null && generation === this.generation) this.remember(key, account)
    }, done)
    return pending
  }

  private remember (key: string, account: A): void {
    this.entries.delete(key)
    if (this.entries.size >= this.options.size) {
      const oldest = this.entries.keys().next()
      if (!oldest.done) this.entries.delete(oldest.value)
    }
    this.entries.set(key, { account, expires: this.options.now() + this.options.ttlMs })
  }
}

/**
 * The entry's key: a digest of user and password (the cache holds no
 * password), the user's length first so that no other pair gives the same
 * text. A wrong password has another key: it never finds a success.
 */
function keyOf (username: string, password: string): string {
  return hash('sha256', `${username.length}:${username}\0${password}`, 'base64')
}
