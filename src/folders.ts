import { mkdirSync, statSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

/**
 * mkdir -p: the folder `path` and those missing above it, made one at a
 * time; the outermost it made, undefined when it was there. Node's own
 * (mkdir with `recursive`) never returns where the file system answers
 * ENOENT under a folder that exists (/proc/x, /proc/self/x: it finds the
 * parent, tries again, forever, at full CPU); here that ENOENT is the
 * error. Errors are the system's, with the code and path of the folder
 * that failed (EEXIST for a file of its name, as mkdir says). `mode`: the
 * permissions of the folders it makes (the umask applied), as mkdir -m.
 */
export function makeFolders (path: string, mode?: number): string | undefined {
  const missing: string[] = []
  for (let p = resolve(path); ; p = dirname(p)) {
    let folder: boolean
    try {
      folder = statSync(p).isDirectory()
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT' || dirname(p) === p) throw err
      missing.unshift(p)
      continue
    }
    if (!folder) throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${p}'`), { code: 'EEXIST', syscall: 'mkdir', path: p })
    break
  }
  for (const folder of missing) {
    try {
      mkdirSync(folder, mode)
    } catch (err) {
      // made meanwhile by another process: as good
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || !isFolder(folder)) throw err
    }
  }
  return missing[0]
}

function isFolder (path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
