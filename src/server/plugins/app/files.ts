import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { DepartementWork } from '../../services/departement-work.js'
import { FileService } from '../../services/files.js'
import { Maintenance } from '../../services/maintenance.js'
import { PecgmThreads } from '../../services/pecgm-threads.js'
import { ValidatorThreads } from '../../services/validator-threads.js'

/**
 * The départements' files, and the server's own work on them: purge of the
 * expired ones now, then the monthly deposits in the background (/readyz
 * answers 503 until they are under way) and both again every hour. While
 * the start's deposits are being made, a département's request waits for
 * its own, and the admin's for all (Maintenance.startDeposits): no answer
 * shows a stock still missing. So it is with what the server still does for
 * a département after answering one of its requests (DepartementWork: the
 * PECGM that answers an upload in qualification), which a stop waits for
 * before the database closes. The deposits a stop finds under way are given
 * up (Maintenance.stop): they are the server's own, made at its next start.
 * Those an admin's request asked for are not: the request has --stop-timeout
 * to end, as any other, and its deposit is given up only once the stop waits
 * for it no more (app.handlersSignal).
 */
export default fp(async function filesPlugin (app: FastifyInstance) {
  const pecgm = new PecgmThreads({ minRecords: app.config.depositThreadRecords })
  const files = new FileService(app.storage, app.auditTrail, { retention: app.config.retention, now: () => app.clock.now(), zone: () => app.clock.zone, pecgm })
  const maintenance = new Maintenance(files, app.scenario, {
    intervalMs: app.config.maintenanceIntervalMs,
    auditRetention: app.config.retention.audit,
    wall: app.config.now,
    onError: (err) => app.log.error({ err }, 'maintenance : dépôts ou purge impossibles')
  })
  app.decorate('files', files)
  app.decorate('maintenance', maintenance)
  const work = new DepartementWork()
  app.decorate('departementWork', work)
  const validators = new ValidatorThreads({ minBytes: app.config.validateThreadBytes })
  app.decorate('validators', validators)
  await maintenance.purge()
  app.addHook('onReady', async () => { maintenance.start() })
  // after the API's and the pages' onRequest hooks have told who asks; a request of no one (a probe, the login page) never waits
  app.addHook('preHandler', (request, _reply, done) => {
    const principal = request.principal
    if (principal === null || principal === undefined) { done(); return }
    const deposits = maintenance.startDeposits(principal.departement)
    const after = work.whenDone(principal.departement)
    const wait = deposits === null ? after : after === null ? deposits : Promise.all([deposits, after])
    if (wait === null) done()
    else wait.then(() => { done() }, done)
  })
  app.addHook('preClose', async () => {
    await maintenance.stop()
  })
  // after every handler has returned (plugins/app/handlers.ts), before the database closes; the helper threads
  // last: an admin's deposit may use them until its request ends (it has --stop-timeout, as any request)
  app.addHook('onClose', async () => {
    await work.whenDone(null)
    await validators.close()
    await pecgm.close()
  })
}, { name: 'phebus-files', dependencies: ['phebus-storage', 'phebus-scenario', 'phebus-clock'] })
