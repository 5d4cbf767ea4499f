import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { QualificationRepository } from '../../../storage/qualifications.js'
import { PdfRenderer } from '../../services/pdf-renderer.js'
import { QualificationService } from '../../services/qualification.js'

/** The qualification campaigns (Annexe 2), kept in the same database as the files they judge; their bilans as PDF, written off the event loop. */
export default fp(async function qualificationPlugin (app: FastifyInstance) {
  app.decorate('qualification', new QualificationService(new QualificationRepository(app.storage.db), app.scenario, app.files, () => app.clock.now()))
  const pdf = new PdfRenderer()
  app.decorate('pdf', pdf)
  app.addHook('onClose', async () => { await pdf.close() })
}, { name: 'phebus-qualification', dependencies: ['phebus-storage', 'phebus-scenario', 'phebus-files'] })
