/**
 * Brute-force protection: `maxFailures` failed logins for a key (a user from
 * an address, or an address whatever the user) within `windowMs` lock that
 * key for `lockMs`. Every attempt reserves its place in the count before its
 * password is checked, and the lock is decided then: N attempts in flight
 * at once are checked at most `maxFailures` at a time, the others refused
 * without a hash. A failure keeps its place; a success gives it back (and,
 * with `clearOnSuccess`, clears the count: the right password was given).
 * An admin may lift a lock. State is in memory, rebuilt at start from the
 * audit trail (replay), so that a restart is no way round a lock.
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
  /** when the current lock began, and the failures that made it */
  lockedAt: number
  lockedFailures: number
}

/** An attempt under way: exactly one of these ends it. */
export interface Reservation {
  fail: () => void
  succeed: () => void
  /** neither: the check could not be made (the server was busy) */
  cancel: () => void
}

/** An attempt that may not be made: until when (ms). */
export interface Refusal {
  until: number
}

/** A key locked now. */
export interface Lock {
  key: string
  lockedAt: number
  until: number
  /** the failed logins that locked it */
  failures: number
}

const DEFAULT_MAX_ENTRIES = 100_000

export class LoginGuard {
  private readonly records = new Map<string, Attempts>()
  private readonly maxEntries: number
  /** no lock lasts past this (ms): before it, nothing need be looked up */
  private lastLockEnd = 0

  constructor (private readonly options: LoginGuardOptions) {
    if (!Number.isInteger(options.maxFailures) || options.maxFailures < 1) throw new RangeError('LoginGuard: maxFailures must be an integer ≥ 1')
    if (!(options.windowMs > 0) || !(options.lockMs > 0)) throw new RangeError('LoginGuard: windowMs and lockMs must be > 0')
    this.maxEntries = options.maxEntries ?? DEFAULT_MAX_ENTRIES
  }

  /** Seconds until the lock of `key` ends, or 0 when it may try. */
  lockedFor (key: string): number {
    const until = this.lockedUntil(key)
    return until === 0 ? 0 : Math.ceil((until - this.options.now()) / 1000)
  }

  /** When the lock of `key` ends (ms), or 0 when it is not locked. */
  lockedUntil (key: string): number {
    const now = this.options.now()
    if (this.lastLockEnd <= now) return 0
    const r = this.records.get(key)
    return r !== undefined && r.lockedUntil > now ? r.lockedUntil : 0
  }

  /**
   * When `key` may not try now (ms), or 0: locked, or every place taken by
   * failures and attempts in flight, as begin() would say, nothing
   * reserved. For credentials known without a check (the cache): were they
   * let through then, a right password hidden among a burst of guesses
   * would pass while the guesses are refused unchecked.
   */
  refusedUntil (key: string): number {
    const now = this.options.now()
    const r = this.records.get(key)
    if (r === undefined) return 0
    if (r.lockedUntil > now) return r.lockedUntil
    if (r.pending === 0) return 0
    let recent = 0
    for (const t of r.failures) if (t > now - this.options.windowMs) recent++
    return recent + r.pending >= this.options.maxFailures ? now + this.options.lockMs : 0
  }

  /**
   * Reserves an attempt for `key`: its reservation, or until when it may not
   * try: locked, or every place taken by attempts in flight (if they all
   * fail, the lock follows).
   */
  begin (key: string): Reservation | Refusal {
    const now = this.options.now()
    const r = this.record(key, now)
    if (r.lockedUntil > now) return { until: r.lockedUntil }
    r.failures = r.failures.filter((t) => t > now - this.options.windowMs)
    if (r.failures.length + r.pending >= this.options.maxFailures) return { until: now + this.options.lockMs }
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
      this.lastLockEnd = Math.max(this.lastLockEnd, r.lockedUntil)
      r.lockedAt = at
      r.lockedFailures = r.failures.length
      r.failures = []
    }
  }

  /** A success (the trail, replayed at start). */
  succeed (key: string): void {
    const r = this.records.get(key)
    if (r !== undefined && this.options.clearOnSuccess) this.clear(r)
  }

  /** The keys locked now, the latest lock first. */
  locks (): Lock[] {
    const now = this.options.now()
    const locks: Lock[] = []
    for (const [key, r] of this.records) {
      if (r.lockedUntil > now) locks.push({ key, lockedAt: r.lockedAt, until: r.lockedUntil, failures: r.lockedFailures })
    }
    return locks.sort((a, b) => b.lockedAt - a.lockedAt)
  }

  /**
   * Lifts the lock of `key` and forgets its failures: it may try again at
   * once. False when it was not locked (nothing is changed then). The
   * replay lifts unconditionally (`force`): the lock was there when it was lifted.
   */
  lift (key: string, force = false): boolean {
    const r = this.records.get(key)
    if (r === undefined) return false
    const locked = r.lockedUntil > this.options.now()
    if (locked || force) this.clear(r)
    return locked
  }

  private clear (r: Attempts): void {
    r.failures = []
    r.lockedUntil = 0
    r.lockedAt = 0
    r.lockedFailures = 0
  }

  private record (key: string, now: number): Attempts {
    let r = this.records.get(key)
    if (r === undefined) {
      if (this.records.size >= this.maxEntries) this.sweep(now)
      r = { failures: [], pending: 0, lockedUntil: 0, lockedAt: 0, lockedFailures: 0 }
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
