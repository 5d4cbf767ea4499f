import { createHash } from 'node:crypto'
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'

/**
 * What a data folder must look like whenever no server is writing to it:
 * every row of `files` has its file on disk, of the recorded size and
 * SHA-256; every file on disk has its row; no report without its file;
 * tmp/ empty; SQLite's own checks pass.
 */

export interface DataDirState {
  /** rows of `files` */
  rows: number
  /** files under files/ */
  onDisk: number
  /** entries left in tmp/ */
  tmp: number
  integrity: string
  /** each broken invariant, in words */
  problems: string[]
  /** the rows, by "département/name": size and SHA-256 as recorded */
  files: Map<string, { size: number, sha256: string }>
}

function sha256Of (path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex')
}

function listDisk (filesDir: string): string[] {
  if (!existsSync(filesDir)) return []
  const out: string[] = []
  for (const dept of readdirSync(filesDir)) {
    const dir = join(filesDir, dept)
    if (!statSync(dir).isDirectory()) { out.push(dept); continue }
    for (const name of readdirSync(dir)) out.push(`${dept}/${name}`)
  }
  return out
}

/** Reads the folder of a stopped server (the database is opened read-only). */
export function inspectDataDir (dataDir: string, options: { tmpMustBeEmpty?: boolean } = {}): DataDirState {
  const problems: string[] = []
  const db = new Database(join(dataDir, 'phebus.sqlite'), { readonly: true, fileMustExist: true })
  let integrity: string
  const files = new Map<string, { size: number, sha256: string }>()
  try {
    integrity = String(db.pragma('integrity_check', { simple: true }))
    if (integrity !== 'ok') problems.push(`PRAGMA integrity_check : ${integrity}`)
    const fk = db.pragma('foreign_key_check') as unknown[]
    if (fk.length > 0) problems.push(`PRAGMA foreign_key_check : ${fk.length} ligne(s) orpheline(s)`)
    const rows = db.prepare<[], { departement: string, name: string, size: number, sha256: string }>('SELECT departement, name, size, sha256 FROM files').all()
    for (const r of rows) files.set(`${r.departement}/${r.name}`, { size: r.size, sha256: r.sha256 })
    const orphanReports = db.prepare<[], number>('SELECT count(*) FROM reports WHERE id NOT IN (SELECT report_id FROM files WHERE report_id IS NOT NULL)').pluck().get() ?? 0
    if (orphanReports > 0) problems.push(`${orphanReports} rapport(s) sans fichier`)
  } finally {
    db.close()
  }

  const filesDir = join(dataDir, 'files')
  for (const [key, row] of files) {
    const path = join(filesDir, key)
    let size: number
    try {
      size = statSync(path).size
    } catch {
      problems.push(`${key} : en base, absent du disque`)
      continue
    }
    if (size !== row.size) problems.push(`${key} : ${size} octets sur disque, ${row.size} en base`)
    else if (sha256Of(path) !== row.sha256) problems.push(`${key} : SHA-256 du disque différent de celui de la base`)
  }
  const disk = listDisk(filesDir)
  for (const key of disk) if (!files.has(key)) problems.push(`${key} : sur disque, absent de la base`)

  const tmpDir = join(dataDir, 'tmp')
  const tmp = existsSync(tmpDir) ? readdirSync(tmpDir).length : 0
  if (options.tmpMustBeEmpty === true && tmp > 0) problems.push(`tmp/ n'est pas vide : ${tmp} entrée(s)`)

  return { rows: files.size, onDisk: disk.length, tmp, integrity, problems, files }
}

/** Entries of tmp/ and their total size, without touching the database (a folder just after a kill). */
export function tmpLeftovers (dataDir: string): { count: number, bytes: number } {
  const dir = join(dataDir, 'tmp')
  if (!existsSync(dir)) return { count: 0, bytes: 0 }
  let bytes = 0
  const names = readdirSync(dir)
  for (const n of names) {
    try { bytes += statSync(join(dir, n)).size } catch {}
  }
  return { count: names.length, bytes }
}
