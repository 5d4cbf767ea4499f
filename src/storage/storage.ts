import { mkdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { ServerError } from '../server/errors.js'
import { AccountRepository } from './accounts.js'
import { AuditRepository } from './audit.js'
import { openDatabase, type Db } from './database.js'
import { FileStore } from './file-store.js'
import { FileRepository } from './files.js'
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
  readonly store: FileStore
  close (): void
}

/** Locks the data folder, then opens the database (migrating it) and the file store. */
export function openStorage (dataDir: string): Storage {
  const dir = resolve(dataDir)
  try {
    mkdirSync(dir, { recursive: true })
  } catch (err) {
    throw new ServerError('PHEBUS_SERVER_DATABASE', `Impossible de créer le dossier de données ${dir} : ${(err as Error).message}`, { cause: err })
  }
  const lock: DataDirLock = lockDataDir(dir)
  let db: Db | null = null
  try {
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
