import type { Db } from './database.js'

/**
 * Migration 6: the browser's sessions (the partner interface) and the
 * messages written through « Nous écrire ». A session is found by the
 * SHA-256 of its cookie, never by the cookie itself: the database does not
 * hold what would open a session.
 */
export const PAGES_MIGRATION = `
  CREATE TABLE sessions (
    id_hash TEXT PRIMARY KEY,
    username TEXT NOT NULL,
    csrf_secret TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    seen_at INTEGER NOT NULL
  );
  CREATE INDEX sessions_by_seen ON sessions (seen_at);
  CREATE INDEX sessions_by_created ON sessions (created_at);

  CREATE TABLE messages (
    id INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    departement TEXT NOT NULL,
    username TEXT NOT NULL,
    subject TEXT NOT NULL,
    body TEXT NOT NULL,
    file_name TEXT,
    file_sha256 TEXT
  );
  CREATE INDEX messages_by_departement ON messages (departement, id);
`

export interface SessionRow {
  idHash: string
  username: string
  csrfSecret: string
  createdAt: number
  seenAt: number
}

interface Row { id_hash: string, username: string, csrf_secret: string, created_at: number, seen_at: number }

export class SessionRepository {
  private readonly findStmt
  private readonly insertStmt
  private readonly touchStmt
  private readonly deleteStmt
  private readonly deleteOfStmt
  private readonly purgeStmt

  constructor (db: Db) {
    this.findStmt = db.prepare<[string], Row>('SELECT * FROM sessions WHERE id_hash = ?')
    this.insertStmt = db.prepare<[string, string, string, number, number]>('INSERT INTO sessions (id_hash, username, csrf_secret, created_at, seen_at) VALUES (?, ?, ?, ?, ?)')
    this.touchStmt = db.prepare<[number, string]>('UPDATE sessions SET seen_at = ? WHERE id_hash = ?')
    this.deleteStmt = db.prepare<[string]>('DELETE FROM sessions WHERE id_hash = ?')
    this.deleteOfStmt = db.prepare<[string]>('DELETE FROM sessions WHERE username = ?')
    this.purgeStmt = db.prepare<[number, number, number]>('DELETE FROM sessions WHERE id_hash IN (SELECT id_hash FROM sessions WHERE seen_at < ? OR created_at < ? LIMIT ?)')
  }

  find (idHash: string): SessionRow | null {
    const r = this.findStmt.get(idHash)
    return r === undefined ? null : { idHash: r.id_hash, username: r.username, csrfSecret: r.csrf_secret, createdAt: r.created_at, seenAt: r.seen_at }
  }

  insert (s: SessionRow): void {
    this.insertStmt.run(s.idHash, s.username, s.csrfSecret, s.createdAt, s.seenAt)
  }

  touch (idHash: string, at: number): void {
    this.touchStmt.run(at, idHash)
  }

  delete (idHash: string): void {
    this.deleteStmt.run(idHash)
  }

  /** Deletes every session of a user (its password changed); returns how many went. */
  deleteOf (username: string): number {
    return this.deleteOfStmt.run(username).changes
  }

  /** Deletes up to `limit` sessions idle since before `seenBefore` or opened before `createdBefore`; returns how many went. */
  purge (seenBefore: number, createdBefore: number, limit: number): number {
    return this.purgeStmt.run(seenBefore, createdBefore, limit).changes
  }
}

export interface Message {
  id: number
  at: number
  departement: string
  username: string
  subject: string
  body: string
  fileName: string | null
  fileSha256: string | null
  /** when the admin marked it read (ms), null while unread */
  readAt: number | null
  /** when the admin marked it answered (ms), and who */
  answeredAt: number | null
  answeredBy: string | null
}

interface MessageRow { id: number, at: number, departement: string, username: string, subject: string, body: string, file_name: string | null, file_sha256: string | null, read_at: number | null, answered_at: number | null, answered_by: string | null }

function message (r: MessageRow): Message {
  return { id: r.id, at: r.at, departement: r.departement, username: r.username, subject: r.subject, body: r.body, fileName: r.file_name, fileSha256: r.file_sha256, readAt: r.read_at, answeredAt: r.answered_at, answeredBy: r.answered_by }
}

/** A page of messages: of one département or all, unread only or all, older than id `before`. */
export interface MessagePageQuery {
  departement: string | null
  unread: boolean
  before: number
  limit: number
}

/** « Nous écrire »: what départements wrote, read by the admin newest first, a page at a time, marked read and answered. */
export class MessageRepository {
  private readonly insertStmt
  private readonly pages
  private readonly findStmt
  private readonly getStmt
  private readonly readStmt
  private readonly unreadStmt
  private readonly answeredStmt
  private readonly unansweredStmt

  constructor (db: Db) {
    this.findStmt = db.prepare<[string, number], MessageRow>('SELECT * FROM messages WHERE departement = ? AND id = ?')
    this.getStmt = db.prepare<[number], MessageRow>('SELECT * FROM messages WHERE id = ?')
    this.insertStmt = db.prepare<[number, string, string, string, string, string | null, string | null]>(
      'INSERT INTO messages (at, departement, username, subject, body, file_name, file_sha256) VALUES (?, ?, ?, ?, ?, ?, ?)')
    // each a range of an index in its order (messages_by_departement, messages_unread…): a page costs its rows
    const page = (where: string): ReturnType<typeof db.prepare<unknown[], MessageRow>> => db.prepare<unknown[], MessageRow>(`SELECT * FROM messages WHERE ${where}id < ? ORDER BY id DESC LIMIT ?`)
    this.pages = {
      all: page(''),
      of: page('departement = ? AND '),
      unread: page('read_at IS NULL AND '),
      unreadOf: page('departement = ? AND read_at IS NULL AND ')
    }
    this.readStmt = db.prepare<[number, number]>('UPDATE messages SET read_at = coalesce(read_at, ?) WHERE id = ?')
    // unread is also unanswered: an answer implies a reading
    this.unreadStmt = db.prepare<[number]>('UPDATE messages SET read_at = NULL, answered_at = NULL, answered_by = NULL WHERE id = ?')
    this.answeredStmt = db.prepare<[number, number, string, number]>('UPDATE messages SET read_at = coalesce(read_at, ?), answered_at = ?, answered_by = ? WHERE id = ?')
    this.unansweredStmt = db.prepare<[number]>('UPDATE messages SET answered_at = NULL, answered_by = NULL WHERE id = ?')
  }

  find (departement: string, id: number): Message | null {
    const r = this.findStmt.get(departement, id)
    return r === undefined ? null : message(r)
  }

  /** Any département's message (the admin). */
  get (id: number): Message | null {
    const r = this.getStmt.get(id)
    return r === undefined ? null : message(r)
  }

  insert (m: Omit<Message, 'id' | 'readAt' | 'answeredAt' | 'answeredBy'>): Message {
    const id = Number(this.insertStmt.run(m.at, m.departement, m.username, m.subject, m.body, m.fileName, m.fileSha256).lastInsertRowid)
    return { id, ...m, readAt: null, answeredAt: null, answeredBy: null }
  }

  /** Up to `limit` messages older than id `before`, newest first. */
  page (q: MessagePageQuery): Message[] {
    const stmt = q.departement === null ? (q.unread ? this.pages.unread : this.pages.all) : (q.unread ? this.pages.unreadOf : this.pages.of)
    const rows = q.departement === null ? stmt.all(q.before, q.limit) : stmt.all(q.departement, q.before, q.limit)
    return rows.map(message)
  }

  /** Marks a message read (keeping the first reading) or unread (and so unanswered); false when there is none. */
  setRead (id: number, read: boolean, at: number): boolean {
    return (read ? this.readStmt.run(at, id) : this.unreadStmt.run(id)).changes > 0
  }

  /** Marks a message answered by `by` (and read) or not answered; false when there is none. */
  setAnswered (id: number, answered: boolean, at: number, by: string): boolean {
    return (answered ? this.answeredStmt.run(at, at, by, id) : this.unansweredStmt.run(id)).changes > 0
  }
}
