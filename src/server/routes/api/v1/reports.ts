import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { sendJsonText } from '../../../headers.js'
import { notFound } from '../../../http-errors.js'
import { GetReportSchema } from '../../../schemas/reports.js'
import { reportJson } from '../../../services/files.js'
import { callerDepartement } from '../../caller.js'

const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:id', { schema: GetReportSchema }, async (request, reply) => {
    const report = app.files.storedReport(callerDepartement(request), request.params.id)
    if (report === null) throw notFound()
    request.trace.fileName = report.fileName
    // as stored, not read and serialized again (reportJson)
    return sendJsonText(reply, reportJson(report))
  })
}

export default reportsRoutes
