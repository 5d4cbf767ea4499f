import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { GetReportSchema } from '../../../schemas/reports.js'
import { callerDepartement } from '../../caller.js'
import { sendStoredReport } from '../../file-actions.js'

const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:id', { schema: GetReportSchema }, async (request, reply) => await sendStoredReport(app, request, reply, callerDepartement(request), request.params.id))
}

export default reportsRoutes
