import { readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { fileSystemReason } from '../errors.js'
import { ServerError } from '../server/errors.js'
import { isAlive } from '../processes.js'

/**
 * One server per data folder: a lock file holding the owner's pid. A lock
 * left by a process that is gone (killed, or a container restarted with the
 * same pid) is taken over.
 */

export const LOCK_FILE = 'phebus.lock'

/** Folders locked by this process (a pid alone cannot tell two servers of one process apart). */
const held = new Set<string>()

export interface DataDirLock {
  readonly path: string
  release (): void
}

export function lockDataDir (dataDir: string): DataDirLock {
  const dir = resolve(dataDir)
  const path = join(dir, LOCK_FILE)
  if (held.has(dir)) throw lockedError(dir, process.pid)
  for (let attempt = 0; ; attempt++) {
    try {
      writeFileSync(path, `${process.pid}\n`, { flag: 'wx' })
      break
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt > 0) throw asLockError(err, dir, path)
    }
    const owner = readOwner(path)
    if (owner !== null && owner !== process.pid && isAlive(owner)) throw lockedError(dir, owner)
    // stale: its owner is gone (our own pid here means a previous life of this pid)
    try { unlinkSync(path) } catch { /* taken over by someone else: the retry says so */ }
  }
  held.add(dir)
  let released = false
  return {
    path,
    release () {
      if (released) return
      released = true
      held.delete(dir)
      try {
        if (readOwner(path) === process.pid) unlinkSync(path)
      } catch { /* already gone */ }
    }
  }
}

function readOwner (path: string): number | null {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim())
    return Number.isInteger(pid) && pid > 0 ? pid : null
  } catch {
    return null
  }
}

function lockedError (dir: string, pid: number): ServerError {
  return new ServerError('PHEBUS_SERVER_DATA_DIR_LOCKED',
    `Le dossier de données ${dir} est déjà utilisé par un serveur phebus-mock (processus ${pid}). Arrêtez-le, ou choisissez un autre dossier avec --data-dir.`)
}

function asLockError (err: unknown, dir: string, path: string): ServerError {
  if ((err as NodeJS.ErrnoException).code === 'EEXIST') return lockedError(dir, readOwner(path) ?? 0)
  return new ServerError('PHEBUS_SERVER_DATA_DIR_LOCKED', `Impossible de verrouiller le dossier de données ${dir} : ${fileSystemReason(err, path, 'écrire')}.`, { cause: err })
}
