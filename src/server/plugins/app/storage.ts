import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openStorage } from '../../../storage/storage.js'
import { reconcileStorage } from '../../../storage/reconcile.js'
import { AuditTrail, MAX_RETRY_MS } from '../../services/audit-trail.js'
import { systemEntry } from '../../services/files.js'

/**
 * The data folder: locked, database opened and migrated, files on disk made
 * to agree with it; the audit trail that writes into it. Closed last: the
 * trail is flushed, then the database closed and the lock released.
 */
export default fp(async function storagePlugin (app: FastifyInstance) {
  const { dataDir, now, audit, reset } = app.config
  const storage = openStorage(dataDir, { reset })
  const trail = new AuditTrail(storage.audit, {
    ...audit,
    wall: now,
    // once when the database begins to refuse the trail, once when it takes it again: never a line per request
    onError: (err) => app.log.error({ err }, `journal d'audit : écriture impossible, les entrées attendent en mémoire (nouvel essai toutes les ${MAX_RETRY_MS / 1000} s au plus)`),
    onLost: (l, err) => app.log.error({ err, lost: l }, `journal d'audit : ${l.waiting} entrée(s) perdue(s) à l'arrêt, la base les refuse encore${l.dropped > 0 ? ` (et ${l.dropped} plus ancienne(s) abandonnée(s) pendant la panne)` : ''}`),
    onRecovered: (o) => app.log.warn({ outage: o }, `journal d'audit : écriture rétablie après ${Math.round((now() - o.since) / 1000)} s, ${o.waited} entrée(s) en attente écrite(s)${o.dropped > 0 ? `, ${o.dropped} plus ancienne(s) abandonnée(s) au-delà de la limite` : ''}`)
  })
  app.decorate('storage', storage)
  app.decorate('auditTrail', trail)
  app.addHook('onClose', async () => {
    trail.record(systemEntry(now(), 'stop', null, null, null, null, 'arrêt du serveur'))
    trail.close()
    storage.close()
  })
  trail.record(systemEntry(now(), 'start', null, null, null, null, `démarrage, dossier ${storage.dataDir}${reset ? ' remis à neuf (--reset)' : ''}`))
  for (const event of await reconcileStorage(storage, now())) trail.record(event)
}, { name: 'phebus-storage' })
