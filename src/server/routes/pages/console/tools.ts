import type { FastifyPluginAsync } from 'fastify'

/** The trail (/console/journal), the messages (/console/messages), the clock (/console/horloge), the faults (/console/pannes). */
const toolPages: FastifyPluginAsync = async () => {}

export default toolPages
