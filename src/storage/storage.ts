import { existsSync, readdirSync, rmSync, statSync, type Dirent } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileSystemReason } from '../errors.js'
import { makeFolders } from '../folders.js'
import { ServerError } from '../server/errors.js'
import { AccountRepository } from './accounts.js'
import { AuditRepository } from './audit.js'
import { openDatabase, type Db } from './database.js'
import { FileStore } from './file-store.js'
import { FileRepository } from './files.js'
import { FaultRepository } from './faults.js'
import { lockDataDir, type DataDirLock } from './lock.js'
import { MessageRepository, SessionRepository } from './sessions.js'
import { ClockRepository } from './clock.js'

export const DATABASE_FILE = 'phebus.sqlite'

/** Everything the server keeps in its data folder, opened together and closed together. */
export interface Storage {
  readonly dataDir: string
  readonly db: Db
  readonly accounts: AccountRepository
  readonly files: FileRepository
  readonly audit: AuditRepository
  readonly sessions: SessionRepository
  readonly messages: MessageRepository
  readonly clock: ClockRepository
  readonly faults: FaultRepository
  readonly store: FileStore
  close (): void
}

/** What a reset deletes: the server's own names only, so that a wrong --data-dir loses nothing else (the TLS certificate is kept: clients trust it). */
const RESET_NAMES = [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`, `${DATABASE_FILE}-journal`, 'files', 'tmp']

/**
 * Locks the data folder, then opens the database (migrating it) and the
 * file store; with `reset`, once the folder is locked, what an earlier run
 * left there is deleted first, for a run that starts like the first one.
 */
export function openStorage (dataDir: string, options: { reset?: boolean } = {}): Storage {
  const dir = resolve(dataDir)
  try {
    // the folder made here is the server's own: its base holds password hashes, the trail, the messages
    makeFolders(dir, 0o700)
  } catch (err) {
    throw new ServerError('PHEBUS_SERVER_DATABASE', `Impossible de créer le dossier de données : ${fileSystemReason(err, dir, 'créer le dossier')}.`, { cause: err })
  }
  const lock: DataDirLock = lockDataDir(dir)
  let db: Db | null = null
  try {
    refuseForeignFolder(dir)
    if (options.reset === true) {
      try {
        for (const name of RESET_NAMES) rmSync(join(dir, name), { recursive: true, force: true })
      } catch (err) {
        throw new ServerError('PHEBUS_SERVER_DATABASE', `Impossible de remettre à neuf le dossier de données : ${fileSystemReason(err, dir, 'écrire')}.`, { cause: err })
      }
    }
    refuseLostDatabase(dir)
    db = openDatabase(join(dir, DATABASE_FILE))
    const opened = db
    const storage: Storage = {
      dataDir: dir,
      db: opened,
      accounts: new AccountRepository(opened),
      files: new FileRepository(opened),
      audit: new AuditRepository(opened),
      sessions: new SessionRepository(opened),
      messages: new MessageRepository(opened),
      clock: new ClockRepository(opened),
      faults: new FaultRepository(opened),
      store: new FileStore(dir),
      close () {
        if (opened.open) opened.close()
        lock.release()
      }
    }
    return storage
  } catch (err) {
    db?.close()
    lock.release()
    throw err
  }
}

/**
 * A database gone, or emptied (SQLite would start an empty one), while
 * files/ still holds what it listed: starting would make a new database,
 * and the start's reconciliation would delete every file as one without its
 * row. Refused, with what to do.
 */
function refuseLostDatabase (dir: string): void {
  const path = join(dir, DATABASE_FILE)
  let size: number | null
  try {
    size = statSync(path).size
  } catch {
    size = null
  }
  if (size !== null && size > 0) return
  const kept = countStoredFiles(join(dir, 'files'))
  if (kept === 0) return
  throw new ServerError('PHEBUS_SERVER_DATABASE',
    `La base ${path} est ${size === null ? 'absente' : 'vide'}, alors que le dossier de données garde ${kept} fichier(s) sous files/ : le serveur ne démarre pas, pour ne pas les supprimer comme des fichiers sans enregistrement. Remettez la base (une copie de sauvegarde de ${DATABASE_FILE}, avec ses fichiers -wal et -shm s'il y en a), ou repartez d'un dossier neuf avec --reset (ces fichiers seront supprimés).`)
}

/**
 * A folder that is no data folder yet (no database) may be anything the
 * user named by mistake (--data-dir ~, --data-dir .): the start empties its
 * tmp/, --reset deletes its files/ and tmp/. Refused when they hold what
 * the server never puts there (an upload's <hex>.part or a deletion's <hex>.supprime in tmp/, a
 * département's folder in files/), before anything is deleted.
 */
function refuseForeignFolder (dir: string): void {
  if (existsSync(join(dir, DATABASE_FILE))) return
  const foreign = (sub: string, ours: (entry: Dirent) => boolean): string | null => {
    let entries: Dirent[]
    try {
      entries = readdirSync(join(dir, sub), { withFileTypes: true })
    } catch {
      return null
    }
    const other = entries.find((e) => !ours(e))
    return other === undefined ? null : `${sub}/${other.name}`
  }
  const found = foreign('tmp', (e) => /^[0-9a-f]{18}\.(part|supprime)$/.test(e.name)) ?? foreign('files', (e) => e.isDirectory() && /^([0-9]{2,3}|2[AB])$/.test(e.name))
  if (found === null) return
  throw new ServerError('PHEBUS_SERVER_DATABASE', `Le dossier ${dir} n'est pas un dossier de données de phebus-mock (pas de base ${DATABASE_FILE}) et garde ${found}, que le serveur n'y met pas : il l'effacerait. Donnez un dossier neuf ou vide, ou celui d'un lancement précédent.`)
}

/** Files under files/<département>/ (a département folder left empty counts for nothing). */
function countStoredFiles (filesDir: string): number {
  if (!existsSync(filesDir)) return 0
  let count = 0
  try {
    for (const entry of readdirSync(filesDir, { withFileTypes: true })) {
      count += entry.isDirectory() ? readdirSync(join(filesDir, entry.name)).length : 1
    }
  } catch (err) {
    throw new ServerError('PHEBUS_SERVER_DATABASE', `Impossible de lire le dossier des fichiers : ${fileSystemReason(err, filesDir, 'lire')}.`, { cause: err })
  }
  return count
}
