import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { openStorage } from '../../../storage/storage.js'
import { reconcileStorage } from '../../../storage/reconcile.js'
import { AuditTrail } from '../../services/audit-trail.js'
import { systemEntry } from '../../services/files.js'

/**
 * The data folder: locked, database opened and migrated, files on disk made
 * to agree with it; the audit trail that writes into it. Closed last: the
 * trail is flushed, then the database closed and the lock released.
 */
export default fp(async function storagePlugin (app: FastifyInstance) {
  const { dataDir, now, audit, reset } = app.config
  const storage = openStorage(dataDir, { reset })
  const trail = new AuditTrail(storage.audit, { ...audit, wall: now, onError: (err) => app.log.error({ err }, 'journal d\'audit : écriture impossible') })
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
