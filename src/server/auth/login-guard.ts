/**
 * Brute-force protection: `maxFailures` failed logins for a key (a user from
 * an address, or an address whatever the user) within `windowMs` lock that
 * key for `lockMs`. Every attempt reserves its place in the count before its
 * password is checked, and the lock is decided then: N attempts in flight
 * at once are checked at most `maxFailures` at a time, the others refused
 * without a hash. A failure keeps its place; a success gives it back (and,
 * with `clearOnSuccess`, clears the count: the right password was given).
 * State is in memory, rebuilt at start from the audit trail (replay), so that
 * a restart is no way round a lock.
 */

export interface LoginGuardOptions {
  maxFailures: number
  windowMs: number
  lockMs: number
  now: () => number
  /** a success clears the failures of its key (a user from an address), or only gives its own place back (an address) */
  clearOnSuccess: boolean
  /** keys remembered at most: past it, the oldest go first */
  maxEntries?: number
}

interface Attempts {
  /** times of the recent failures, oldest first */
  failures: number[]
  /** attempts being checked */
  pending: number
  lockedUntil: number
}

/** An attempt under way: exactly one of these ends it. */
export interface Reservation {
  fail: () => void
  succeed: () => void
  /** neither: the check could not be made (the server was busy) */
  cancel: () => void
}

const DEFAULT_MAX_ENTRIES = 100_000

export class LoginGuard {
  private readonly records = new Map<string, Attempts>()
  private readonly maxEntries: number

  constructor (private readonly options: LoginGuardOptions) {
    if (!Number.isInteger(options.maxFailures) || options.maxFailures < 1) throw new RangeError('LoginGuard: maxFailures must be an integer ≥ 1')
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
  }

  /** Seconds until the lock of `key` ends, or 0 when it may try. */
  lockedFor (key: string): number {
    const r = this.records.get(key)
    return r === undefined ? 0 : this.secondsLeft(r, this.options.now())
  }

  /**
   * Reserves an attempt for `key`: its reservation, or the seconds to wait
   * when it may not try: locked, or every place taken by attempts in flight
   * (if they all fail, the lock follows).
   */
  begin (key: string): Reservation | number {
    const now = this.options.now()
    const r = this.record(key, now)
    const left = this.secondsLeft(r, now)
    if (left > 0) return left
    r.failures = r.failures.filter((t) => t > now - this.options.windowMs)
    if (r.failures.length + r.pending >= this.options.maxFailures) return Math.ceil(this.options.lockMs / 1000)
    r.pending++
    let done = false
    const end = (outcome: 'fail' | 'succeed' | 'cancel'): void => {
      if (done) return
      done = true
      r.pending--
      if (outcome === 'fail') this.fail(key, this.options.now())
      else if (outcome === 'succeed' && this.options.clearOnSuccess) this.clear(r)
    }
    return { fail: () => { end('fail') }, succeed: () => { end('succeed') }, cancel: () => { end('cancel') } }
  }

  /** Counts a failure that happened at `at` (now, or in the trail replayed at start); enough of them lock the key. */
  fail (key: string, at: number): void {
    const r = this.record(key, at)
    r.failures = r.failures.filter((t) => t > at - this.options.windowMs)
    r.failures.push(at)
    if (r.failures.length >= this.options.maxFailures) {
      r.lockedUntil = at + this.options.lockMs
      r.failures = []
    }
  }

  /** A success (the trail, replayed at start). */
  succeed (key: string): void {
    const r = this.records.get(key)
    if (r !== undefined && this.options.clearOnSuccess) this.clear(r)
  }

  private clear (r: Attempts): void {
    r.failures = []
    r.lockedUntil = 0
  }

  private secondsLeft (r: Attempts, now: number): number {
    const left = r.lockedUntil - now
    return left > 0 ? Math.ceil(left / 1000) : 0
  }

  private record (key: string, now: number): Attempts {
    let r = this.records.get(key)
    if (r === undefined) {
      if (this.records.size >= this.maxEntries) this.sweep(now)
      r = { failures: [], pending: 0, lockedUntil: 0 }
      this.records.set(key, r)
    }
    return r
  }

  /** Forgets the keys with nothing to remember; if none, the oldest one. */
  private sweep (now: number): void {
    for (const [k, r] of this.records) {
      if (r.pending === 0 && r.lockedUntil <= now && r.failures.every((t) => t <= now - this.options.windowMs)) this.records.delete(k)
    }
    if (this.records.size >= this.maxEntries) {
      for (const [k, r] of this.records) {
        if (r.pending > 0) continue
        this.records.delete(k)
        break
      }
    }
  }
}
