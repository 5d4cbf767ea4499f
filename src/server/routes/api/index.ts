import type { FastifyPluginAsync } from 'fastify'
import { notFoundOrNotAllowed } from '../../plugins/app/requests.js'
import filesRoutes from './v1/files.js'
import reportsRoutes from './v1/reports.js'
import adminRoutes from './v1/admin/index.js'
import qualificationRoutes from './v1/qualification.js'

/**
 * Everything under /api: one onRequest hook authenticates every route here,
 * unknown ones included (so nobody learns what exists without credentials).
 */
const apiRoutes: FastifyPluginAsync = async (app) => {
  app.addHook('onRequest', app.requireCredentials)
  app.setNotFoundHandler(async (request, reply) => { throw notFoundOrNotAllowed(app, request, reply) })
  await app.register(filesRoutes, { prefix: '/v1/files' })
  await app.register(reportsRoutes, { prefix: '/v1/reports' })
  await app.register(qualificationRoutes, { prefix: '/v1/qualification' })
  await app.register(adminRoutes, { prefix: '/v1/admin' })
}

export default apiRoutes
