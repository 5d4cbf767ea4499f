/**
 * Brute-force protection: `maxFailures` failed logins for a key (a user from
 * an address, or an address whatever the user) within `windowMs` lock that
 * key for `lockMs`. Every attempt reserves its place in the count before its
 * password is checked, and the lock is decided then: N attempts in flight
 * at once are checked at most `maxFailures` at a time, the others refused
 * without a hash. A failure keeps its place; a success gives it back (and,
 * with `clearOnSuccess`, clears the count: the right password was given).
 * An admin may lift a lock. State is in memory, rebuilt at start from the
 * audit trail (replay), so that a restart is no way round a lock; at most
 * `maxEntries` keys, a flood of new ones no way round a lock either (makeRoom).
 */

export interface LoginGuardOptions {
  maxFailures: number
  windowMs: number
  lockMs: number
  now: () => number
  /** a success clears the failures of its key (a user from an address), or only gives its own place back (an address) */
  clearOnSuccess: boolean
  /** keys remembered at most: past it, room is made (see makeRoom) */
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
/** Records a new key looks at in each map, at most, to make room in a full guard (bar those with attempts in flight). */
export const ROOM_STEP = 32

/**
 * A map's records in their order, walked round and round from where the
 * last walk stopped: a walk never starts again from the front, where the
 * records it let go leave holes a new iterator would step over each time.
 */
class Cursor {
  private iterator: IterableIterator<[string, Attempts]>
  private held: [string, Attempts] | undefined

  constructor (private readonly map: Map<string, Attempts>) {
    this.iterator = map.entries()
  }

  /** The record at the cursor, still in the map; undefined at the end of a round (the next call begins the next). */
  current (): [string, Attempts] | undefined {
    if (this.held !== undefined && this.map.get(this.held[0]) === this.held[1]) return this.held
    const next = this.iterator.next()
    if (next.done === true) {
      this.iterator = this.map.entries()
      this.held = undefined
      return undefined
    }
    this.held = next.value
    return this.held
  }

  advance (): void {
    this.held = undefined
  }

  /** `key` goes to the end of the map: the cursor moves on to the record after its old place (it will meet it again). */
  moved (key: string): void {
    if (this.held?.[0] === key) this.held = undefined
  }
}

export class LoginGuard {
  /** the keys never locked (or lifted), in the order they came */
  private readonly open = new Map<string, Attempts>()
  /** the keys locked, now or before, in the order of their latest lock: of its end, every lock lasting lockMs */
  private readonly locked = new Map<string, Attempts>()
  private readonly openCursor = new Cursor(this.open)
  private readonly lockedCursor = new Cursor(this.locked)
  private readonly maxEntries: number
  /** no lock lasts past this (ms): before it, nothing need be looked up */
  private lastLockEnd = 0
  /** records looked at to make room for new keys, since the start (a test reads it) */
  visited = 0

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
    const r = this.find(key)
    return r !== undefined && r.lockedUntil > now ? r.lockedUntil : 0
  }

  /**
   * Credentials of `key` known right without a check (the cache): when they
   * may not pass now (ms), else 0, and their success clears the count as a
   * checked one does (succeed). Refused while locked, or while every place
   * is taken by failures and attempts in flight, as begin() would say,
   * nothing reserved: were they let through then, a right password hidden
   * among a burst of guesses would pass while the guesses are refused
   * unchecked. One lookup: what each request on a kept-alive connection costs.
   */
  acceptKnown (key: string): number {
    const now = this.options.now()
    const r = this.find(key)
    if (r === undefined) return 0
    if (r.lockedUntil > now) return r.lockedUntil
    if (r.pending > 0) {
      let recent = 0
      for (const t of r.failures) if (t > now - this.options.windowMs) recent++
      if (recent + r.pending >= this.options.maxFailures) return now + this.options.lockMs
    }
    if (this.options.clearOnSuccess) this.clear(r)
    return 0
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
      // to the end of the locks: they stay in the order of their end
      this.open.delete(key)
      this.locked.delete(key)
      this.locked.set(key, r)
      this.lockedCursor.moved(key)
      r.lockedUntil = at + this.options.lockMs
      this.lastLockEnd = Math.max(this.lastLockEnd, r.lockedUntil)
      r.lockedAt = at
      r.lockedFailures = r.failures.length
      r.failures = []
    }
  }

  /** A success (the trail, replayed at start). */
  succeed (key: string): void {
    const r = this.find(key)
    if (r !== undefined && this.options.clearOnSuccess) this.clear(r)
  }

  /** The keys locked now, the latest lock first. */
  locks (): Lock[] {
    const now = this.options.now()
    const locks: Lock[] = []
    for (const [key, r] of this.locked) {
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
    const r = this.find(key)
    if (r === undefined) return false
    const locked = r.lockedUntil > this.options.now()
    if (locked || force) {
      this.clear(r)
      if (this.locked.delete(key)) this.open.set(key, r)
    }
    return locked
  }

  private clear (r: Attempts): void {
    r.failures = []
    r.lockedUntil = 0
    r.lockedAt = 0
    r.lockedFailures = 0
  }

  /** The keys remembered. */
  get size (): number {
    return this.open.size + this.locked.size
  }

  private find (key: string): Attempts | undefined {
    return this.open.get(key) ?? this.locked.get(key)
  }

  private record (key: string, now: number): Attempts {
    let r = this.find(key)
    if (r === undefined) {
      if (this.size >= this.maxEntries) this.makeRoom(now)
      r = { failures: [], pending: 0, lockedUntil: 0, lockedAt: 0, lockedFailures: 0 }
      this.open.set(key, r)
    }
    return r
  }

  /**
   * Makes room for a new key in a full guard, looking at ROOM_STEP records
   * of each map at most, from where the last call stopped: a new key costs
   * the same however many keys are remembered (a full sweep cost 3 ms at
   * 100 000, for each new address). In this order:
   * - the locks that have ended, the first ended first: forgotten, or back
   *   with the open keys when they have failed since;
   * - the open keys, round and round: those with nothing to remember (no
   *   attempt in flight, no failure in the window) are forgotten; when none
   *   is, the first one without an attempt in flight (its failures, fewer
   *   than a lock needs, are forgotten with it);
   * - only when every open key has an attempt in flight (or there are none):
   *   the lock that ends first. A lock therefore never goes while an open
   *   key could: a flood of new keys is no way round a lock. A guard full of
   *   locks takes maxEntries keys each locked within a lock's time
   *   (maxFailures failures each); it then lets the soonest to end go.
   * A record with an attempt in flight never goes: the walk steps over them,
   * past ROOM_STEP if it must (they are as many as the attempts in flight,
   * which the check's queue bounds); if every record has one, the new key
   * is kept all the same, one over maxEntries.
   */
  private makeRoom (now: number): void {
    const recent = (r: Attempts): boolean => {
      const last = r.failures.at(-1) // the latest: they are kept in order
      return last !== undefined && last > now - this.options.windowMs
    }
    for (let seen = 0; seen < ROOM_STEP; seen++) {
      const at = this.lockedCursor.current()
      // the locks after this one end later
      if (at === undefined || at[1].lockedUntil > now) break
      this.visited++
      this.lockedCursor.advance()
      const [k, r] = at
      if (r.pending > 0) continue
      this.locked.delete(k)
      if (recent(r)) this.open.set(k, r)
    }
    if (this.size < this.maxEntries) return
    let victim: string | undefined
    for (let seen = 0, rounds = 0; rounds < 2; seen++) {
      if (seen >= ROOM_STEP && (victim !== undefined || this.size < this.maxEntries)) break
      const at = this.openCursor.current()
      if (at === undefined) {
        rounds++
        continue
      }
      this.visited++
      this.openCursor.advance()
      const [k, r] = at
      if (r.pending > 0) continue
      if (!recent(r)) this.open.delete(k)
      else victim ??= k
    }
    if (this.size < this.maxEntries) return
    if (victim !== undefined) {
      this.open.delete(victim)
      return
    }
    for (let rounds = 0; rounds < 2;) {
      const at = this.lockedCursor.current()
      if (at === undefined) {
        rounds++
        continue
      }
      this.visited++
      this.lockedCursor.advance()
      if (at[1].pending > 0) continue
      this.locked.delete(at[0])
      return
    }
  }
}
