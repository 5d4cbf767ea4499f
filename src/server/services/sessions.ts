import { createHash, randomBytes } from 'node:crypto'
import Tokens from '@fastify/csrf'
import type { SessionRepository, SessionRow } from '../../storage/sessions.js'
import type { Principal } from '../auth/authenticator.js'

export interface SessionOptions {
  /** a session unused this long ends (30 min) */
  idleMs: number
  /** a session ends this long after its login, however used (8 h) */
  maxMs: number
  now: () => number
  /** who a session's user is now (null when the account is gone) */
  principalOf: (username: string) => Principal | null
}

/** A session's cookie: 32 random bytes, base64url. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/
/** A session's last use is written at most this often: a page read is not a database write each time. */
const TOUCH_EVERY_MS = 60_000

export interface Session extends SessionRow {
  /** when it ends if unused, ms */
  idleEnd: number
}

/** What a session lookup found: a live session, one that has just ended, or nothing. */
export type Lookup = { session: Session, principal: Principal } | { ended: 'idle' | 'max' | 'unknown' }

/**
 * The partner interface's sessions, kept in the database (a restart keeps
 * people logged in). The cookie is a random token; the database holds its
 * SHA-256. Each session has its own CSRF secret: a form's token is valid
 * for that session only.
 */
export class SessionService {
  private readonly tokens = Tokens()

  constructor (private readonly repo: SessionRepository, private readonly options: SessionOptions) {}

  /** Opens a session for a user: the cookie value to give the browser. */
  open (username: string): { token: string, session: Session } {
    const token = randomBytes(32).toString('base64url')
    const now = this.options.now()
    const row: SessionRow = { idHash: hashOf(token), username, csrfSecret: this.tokens.secretSync(), createdAt: now, seenAt: now }
    this.repo.insert(row)
    return { token, session: this.live(row) }
  }

  /** The session of a cookie, its last use brought to now; an ended one is deleted and said so. */
  find (token: string): Lookup {
    if (!TOKEN.test(token)) return { ended: 'unknown' }
    const idHash = hashOf(token)
    const row = this.repo.find(idHash)
    if (row === null) return { ended: 'unknown' }
    const now = this.options.now()
    const ended = now - row.createdAt >= this.options.maxMs ? 'max' : now - row.seenAt >= this.options.idleMs ? 'idle' : null
    if (ended !== null) {
      this.repo.delete(idHash)
      return { ended }
    }
    if (now - row.seenAt >= TOUCH_EVERY_MS) {
      this.repo.touch(idHash, now)
      row.seenAt = now
    }
    const principal = this.options.principalOf(row.username)
    if (principal === null) {
      this.repo.delete(idHash)
      return { ended: 'unknown' }
    }
    return { session: this.live(row), principal }
  }

  close (token: string): void {
    if (TOKEN.test(token)) this.repo.delete(hashOf(token))
  }

  /** Ends every session of a user at once (its password was reset); returns how many ended. */
  endAllOf (username: string): number {
    return this.repo.deleteOf(username)
  }

  /** A token for a form of this session (a fresh salt each time). */
  csrfToken (secret: string): string {
    return this.tokens.create(secret)
  }

  verifyCsrf (secret: string, token: unknown): boolean {
    return typeof token === 'string' && token.length > 0 && token.length <= 256 && this.tokens.verify(secret, token)
  }

  /** A secret for a form shown before any session (the login form), kept in its own cookie. */
  loginSecret (): string {
    return this.tokens.secretSync()
  }

  /** Deletes the ended sessions, a batch at a time; returns how many went. */
  purge (batch = 1000): number {
    const now = this.options.now()
    let total = 0
    for (;;) {
      const n = this.repo.purge(now - this.options.idleMs, now - this.options.maxMs, batch)
      total += n
      if (n < batch) return total
    }
  }

  private live (row: SessionRow): Session {
    return { ...row, idleEnd: Math.min(row.seenAt + this.options.idleMs, row.createdAt + this.options.maxMs) }
  }
}

function hashOf (token: string): string {
  return createHash('sha256').update(token).digest('hex')
}
