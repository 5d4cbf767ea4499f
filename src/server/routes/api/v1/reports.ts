import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notFound } from '../../../http-errors.js'
import { GetReportSchema } from '../../../schemas/reports.js'
import { callerDepartement } from '../../caller.js'

const reportsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/:id', { schema: GetReportSchema }, async (request) => {
    const report = app.files.report(callerDepartement(request), request.params.id)
    if (report === null) throw notFound()
    request.trace.fileName = report.fileName
    return report
  })
}

export default reportsRoutes
