import type { AuditEntry } from './audit.js'
import type { Storage } from './storage.js'

/**
 * Makes the database and the files on disk agree after a stop, clean or not:
 * temporary files are dropped, a row whose file is missing (or of another
 * size) is deleted, a file no row describes (renamed into place by an upload
 * that never got its answer) is deleted. Returns the system events to trace.
 */
export async function reconcileStorage (storage: Storage, now: number): Promise<AuditEntry[]> {
  const events: AuditEntry[] = []
  const leftovers = storage.store.emptyTmp()
  if (leftovers > 0) events.push(event(now, null, null, `${leftovers} fichier(s) temporaire(s) supprimé(s)`))

  const rows = storage.files.all()
  const broken = rows.filter((f) => storage.store.sizeOf(f.departement, f.name) !== f.size)
  storage.files.delete(broken)
  for (const f of broken) {
    await storage.store.remove(f.departement, f.name)
    events.push(event(now, f.departement, f.name, 'enregistrement sans fichier complet sur disque : supprimé'))
  }

  const known = new Set(rows.map((f) => `${f.departement}/${f.name}`))
  for (const f of storage.store.listOnDisk()) {
    if (known.has(`${f.departement}/${f.name}`)) continue
    await storage.store.remove(f.departement, f.name)
    events.push(event(now, f.departement, f.name, 'fichier sans enregistrement en base : supprimé'))
  }
  return events
}

function event (at: number, departement: string | null, fileName: string | null, detail: string): AuditEntry {
  return { at, kind: 'reconcile', username: null, address: null, method: null, route: null, path: null, fileName, status: null, bytesIn: null, bytesOut: null, durationMs: null, sha256: null, departement, detail }
}
