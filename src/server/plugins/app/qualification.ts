import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { QualificationRepository } from '../../../storage/qualifications.js'
import { PdfRenderer } from '../../services/pdf-renderer.js'
import { QualificationService } from '../../services/qualification.js'

/** The qualification campaigns (Annexe 2), kept in the same database as the files they judge; their bilans as PDF, written off the event loop. */
export default fp(async function qualificationPlugin (app: FastifyInstance) {
  const qualification = new QualificationService(new QualificationRepository(app.storage.db), app.scenario, app.files, () => app.clock.now())
  app.decorate('qualification', qualification)
  // the answer an open iteration cites is judged by its checks: it outlives its retention until the iteration closes
  app.files.spare((f) => f.answer && qualification.cites(f.departement, f.name))
  const pdf = new PdfRenderer()
  app.decorate('pdf', pdf)
  app.addHook('onClose', async () => { await pdf.close() })
}, { name: 'phebus-qualification', dependencies: ['phebus-storage', 'phebus-scenario', 'phebus-files'] })
