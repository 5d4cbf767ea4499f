import t from 'tap'
import { execFileSync } from 'node:child_process'
import { createHash } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { AS, raw, testApp, validCgpem } from '../server/helpers.js'

/**
 * A full disk, for real: the data folder on a small tmpfs. Uploads that do
 * not fit get 507, never 500; whatever failed (the temporary file, the
 * rename, the row), no file is left without its row nor a row without its
 * file, and a restart has nothing to repair.
 */

function mountSmall (dir: string, size: string): string | null {
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' })
    return null
  } catch (err) {
    return (err as { stderr?: Buffer }).stderr?.toString().trim() || (err as Error).message
  }
}

/** Rows and files agree: every row has its file, of its size and SHA-256, and every file its row. */
function agree (dataDir: string): string[] {
  const problems: string[] = []
  const db = new Database(join(dataDir, 'phebus.sqlite'), { readonly: true })
  try {
    const rows = db.prepare<[], { departement: string, name: string, size: number, sha256: string }>('SELECT departement, name, size, sha256 FROM files').all()
    const known = new Set(rows.map((r) => `${r.departement}/${r.name}`))
    for (const r of rows) {
      try {
        const bytes = readFileSync(join(dataDir, 'files', r.departement, r.name))
        if (bytes.length !== r.size || createHash('sha256').update(bytes).digest('hex') !== r.sha256) problems.push(`${r.name}: not the recorded bytes`)
      } catch {
        problems.push(`${r.name}: row without its file`)
      }
    }
    for (const d of readdirSync(join(dataDir, 'files'))) {
      for (const name of readdirSync(join(dataDir, 'files', d))) if (!known.has(`${d}/${name}`)) problems.push(`${d}/${name}: file without its row`)
    }
    if (db.pragma('integrity_check', { simple: true }) !== 'ok') problems.push('integrity_check')
  } finally {
    db.close()
  }
  return problems
}

// outside tap's fixtures: they are removed before the teardowns run, and a mount point cannot be
const mountPoint = mkdtempSync(join(tmpdir(), 'phebus-disque-plein-'))
const cannot = mountSmall(mountPoint, '4m')
if (cannot !== null) rmSync(mountPoint, { recursive: true, force: true })

t.test('on a full disk an upload gets 507, never 500, and never leaves a file without its row', { skip: cannot === null ? false : `monter un petit système de fichiers (tmpfs) demande les droits de root : ${cannot}` }, async (t) => {
  const dataDir = join(mountPoint, 'data')
  const app = await testApp(t, { dataDir, audit: { flushIntervalMs: 10_000, flushRows: 100_000 } })
  t.teardown(() => {
    execFileSync('umount', ['-l', mountPoint])
    rmSync(mountPoint, { recursive: true, force: true })
  })
  const sizes = [250, 250, 250, 250, 250, 250, 250, 100, 30, 10, 3, 1]
  const statuses: number[] = []
  let n = 0
  for (const records of sizes) {
    const body = await validCgpem('77', records)
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=f${++n}.xml`, headers: { ...AS.dept77, ...raw() }, payload: body })
      statuses.push(res.statusCode)
      if (res.statusCode === 507) t.equal(res.json<{ code: string }>().code, 'PHEBUS_STORAGE_FULL', `upload ${n}: the full disk, said so`)
      t.same(readdirSync(join(dataDir, 'tmp')), [], `upload ${n}: no temporary file left`)
      t.same(agree(dataDir), [], `upload ${n} (${res.statusCode}): rows and files agree`)
    }
  }
  t.ok(statuses.includes(201), 'some fit')
  t.ok(statuses.includes(507), 'the others were told the disk is full')
  t.notOk(statuses.some((s) => s >= 500 && s !== 507), `never another 5xx (${statuses.join(' ')})`)
  await app.close()
  const again = await testApp(t, { dataDir })
  again.auditTrail.flush()
  const repairs = again.storage.db.prepare<[], number>("SELECT count(*) FROM audit WHERE kind = 'reconcile'").pluck().get()
  t.equal(repairs, 0, 'a restart has nothing to repair')
  await again.close()
})
