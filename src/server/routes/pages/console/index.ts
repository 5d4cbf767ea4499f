import type { FastifyPluginAsync } from 'fastify'
import roomPages from './room.js'
import toolPages from './tools.js'

/**
 * The console: the admin's side of the partner interface, in the same
 * pages and style as the département's, a second door onto the admin API's
 * services. Anyone but the admin gets the 404 of a page that does not
 * exist, as on /api/v1/admin.
 */
const consolePages: FastifyPluginAsync = async (app) => {
  // before the form token is checked (a preHandler of the pages): a département learns nothing, not even that a console form is here;
  // the not-found handler's own answer (a page for a browser, the API's JSON for a program), so that no Accept tells a console address from none
  app.addHook('onRequest', async (request, reply) => {
    if (request.principal?.role === 'admin') return
    reply.callNotFound()
    return reply
  })
  // the room, a département's page, creating a département (room.ts); the trail, the messages, the clock, the faults (tools.ts)
  await app.register(roomPages)
  await app.register(toolPages)
}

export default consolePages
