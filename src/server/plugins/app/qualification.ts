import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { QualificationRepository } from '../../../storage/qualifications.js'
import { PdfRenderer } from '../../services/pdf-renderer.js'
import { QualificationService } from '../../services/qualification.js'

/** The qualification campaigns (Annexe 2), kept in the same database as the files they judge, the answers a stop left due made at start; their bilans as PDF, written off the event loop. */
export default fp(async function qualificationPlugin (app: FastifyInstance) {
  const qualification = new QualificationService(new QualificationRepository(app.storage.db), app.scenario, app.files, () => app.clock.now(), app.departementWork)
  app.decorate('qualification', qualification)
  // the answers a stop or a crash left due (an upload recorded, its answer PECGM not yet made): made now, as after the upload
  app.addHook('onReady', async () => {
    qualification.answerLater(null, (err) => { app.log.error({ err }, 'qualification : réponse au CGPEM impossible') })
  })
  // the answer an open iteration cites is judged by its checks: it outlives its retention until the iteration closes
  app.files.spare((f) => f.answer && qualification.cites(f.departement, f.name))
  const pdf = new PdfRenderer()
  app.decorate('pdf', pdf)
  app.addHook('onClose', async () => { await pdf.close() })
}, { name: 'phebus-qualification', dependencies: ['phebus-storage', 'phebus-scenario', 'phebus-files'] })
