import Database from 'better-sqlite3'
import { closeSync, openSync } from 'node:fs'
import { fileSystemReason } from '../errors.js'
import { ServerError } from '../server/errors.js'
import { MIGRATIONS } from './migrations.js'

export type Db = Database.Database

/**
 * Opens (or creates) the server's SQLite database and brings its schema to
 * the current version. WAL lets the audit writer and the readers go side by
 * side; synchronous=NORMAL in WAL mode loses at most the last transactions
 * on a power cut, never consistency.
 */
export function openDatabase (path: string): Db {
  let db: Db
  try {
    // a new base readable by its owner only (SQLite gives its -wal and -shm files the same permissions):
    // it holds password hashes, the trail and the messages; one that exists keeps its own
    try {
      closeSync(openSync(path, 'wx', 0o600))
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err
    }
    db = new Database(path)
  } catch (err) {
    const code = (err as { code?: unknown }).code
    // SQLite's own failures (SQLITE_CANTOPEN, SQLITE_NOTADB…) by their code; the system's in French
    const why = typeof code === 'string' && code.startsWith('SQLITE_') ? `la base SQLite ne s'ouvre pas (${code}) : fichier illisible, corrompu ou qui n'est pas une base` : fileSystemReason(err, path, 'lire')
    throw new ServerError('PHEBUS_SERVER_DATABASE', `Impossible d'ouvrir la base ${path} : ${why}.`, { cause: err })
  }
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = NORMAL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    migrate(db, path)
    return db
  } catch (err) {
    db.close()
    throw unusable(err, path)
  }
}

/** SQLite's codes for a file whose content is no database, or a damaged one. */
const DAMAGED = new Set(['SQLITE_NOTADB', 'SQLITE_CORRUPT'])

/**
 * A damaged database in French, with what to do; any other error as it is.
 * Also for a damage SQLite finds only past the header, on a later read of
 * the start (build.ts).
 */
export function unusable (err: unknown, path: string): unknown {
  const code = (err as { code?: unknown }).code
  if (typeof code !== 'string' || !DAMAGED.has(code)) return err
  return new ServerError('PHEBUS_SERVER_DATABASE',
    `La base ${path} est corrompue ou n'est pas une base SQLite (${code}) : le serveur ne démarre pas. Remettez une copie de sauvegarde de la base (avec ses fichiers -wal et -shm s'il y en a), ou repartez d'un dossier neuf avec --reset (les fichiers reçus et déposés seront supprimés).`,
    { cause: err })
}

export function schemaVersion (db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

function migrate (db: Db, path: string): void {
  const current = schemaVersion(db)
  if (current > MIGRATIONS.length) {
    throw new ServerError('PHEBUS_SERVER_DATABASE',
      `La base ${path} est au schéma ${current}, plus récent que celui de ce serveur (${MIGRATIONS.length}) : utilisez une version plus récente de phebus-mock.`)
  }
  const apply = db.transaction((from: number) => {
    for (let v = from; v < MIGRATIONS.length; v++) {
      db.exec(MIGRATIONS[v] as string)
      db.pragma(`user_version = ${v + 1}`)
    }
  })
  if (current < MIGRATIONS.length) apply.immediate(current)
}
