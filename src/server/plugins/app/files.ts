import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { FileService } from '../../services/files.js'
import { Maintenance } from '../../services/maintenance.js'
import { PecgmThreads } from '../../services/pecgm-threads.js'

/**
 * The départements' files, and the server's own work on them: purge of the
 * expired ones now, then the monthly deposits in the background (/readyz
 * answers 503 until they are made) and both again every hour.
 */
export default fp(async function filesPlugin (app: FastifyInstance) {
  const pecgm = new PecgmThreads({ minRecords: app.config.depositThreadRecords })
  const files = new FileService(app.storage, app.auditTrail, { retention: app.config.retention, now: () => app.clock.now(), pecgm })
  const maintenance = new Maintenance(files, app.scenario, {
    intervalMs: app.config.maintenanceIntervalMs,
    auditRetention: app.config.retention.audit,
    wall: app.config.now,
    onError: (err) => app.log.error({ err }, 'maintenance : dépôts ou purge impossibles')
  })
  app.decorate('files', files)
  app.decorate('maintenance', maintenance)
  await maintenance.purge()
  app.addHook('onReady', async () => { maintenance.start() })
  app.addHook('preClose', async () => {
    await maintenance.stop()
    await pecgm.close()
  })
}, { name: 'phebus-files', dependencies: ['phebus-storage', 'phebus-scenario', 'phebus-clock'] })
