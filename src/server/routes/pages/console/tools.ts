import type { FastifyPluginAsync } from 'fastify'
import clockPages from './clock.js'
import faultPages from './faults.js'
import journalPages from './journal.js'
import messagePages from './messages.js'

/** The trail (/console/journal), the messages (/console/messages), the clock (/console/horloge), the faults (/console/pannes). */
const toolPages: FastifyPluginAsync = async (app) => {
  await app.register(journalPages)
  await app.register(messagePages)
  await app.register(clockPages)
  await app.register(faultPages)
}

export default toolPages
