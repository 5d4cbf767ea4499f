/**
 * Brute-force protection: `maxFailures` failed logins for a user from one
 * address within `windowMs` lock that user from that address for `lockMs`,
 * whatever the password. Other addresses are not affected. A success clears
 * the count. State is in memory, rebuilt at start from the audit trail
 * (replay), so that a restart is no way round a lock.
 */

export interface LoginGuardOptions {
  maxFailures: number
  windowMs: number
  lockMs: number
  now: () => number
}

interface Attempts {
  /** times of the recent failures, oldest first */
  failures: number[]
  lockedUntil: number
}

/** Entries kept before the expired ones are swept. */
const SWEEP_AT = 10_000

export class LoginGuard {
  private readonly records = new Map<string, Attempts>()

  constructor (private readonly options: LoginGuardOptions) {
    if (!Number.isInteger(options.maxFailures) || options.maxFailures < 1) throw new RangeError('LoginGuard: maxFailures must be an integer ≥ 1')
  }

  /** Seconds until the lock ends, or 0 when the user may try from this address. */
  lockedFor (username: string, address: string): number {
    const r = this.records.get(key(username, address))
    if (r === undefined) return 0
    const left = r.lockedUntil - this.options.now()
    return left > 0 ? Math.ceil(left / 1000) : 0
  }

  /** Counts a failure (at `now`, or at a past time when replayed); returns the seconds of lock it starts, or 0. */
  fail (username: string, address: string, now = this.options.now()): number {
    const k = key(username, address)
    let r = this.records.get(k)
    if (r === undefined) {
      if (this.records.size >= SWEEP_AT) this.sweep(now)
      r = { failures: [], lockedUntil: 0 }
      this.records.set(k, r)
    }
    r.failures = r.failures.filter((t) => t > now - this.options.windowMs)
    r.failures.push(now)
    if (r.failures.length >= this.options.maxFailures) {
      r.lockedUntil = now + this.options.lockMs
      r.failures = []
      return Math.ceil(this.options.lockMs / 1000)
    }
    return 0
  }

  succeed (username: string, address: string): void {
    if (this.records.size > 0) this.records.delete(key(username, address))
  }

  private sweep (now: number): void {
    for (const [k, r] of this.records) {
      if (r.lockedUntil <= now && r.failures.every((t) => t <= now - this.options.windowMs)) this.records.delete(k)
    }
  }
}

function key (username: string, address: string): string {
  return `${username}\0${address}`
}
