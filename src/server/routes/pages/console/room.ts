import type { FastifyPluginAsync } from 'fastify'

/** The room at a glance (/console), a département's page (/console/departements/:code), creating a département. */
const roomPages: FastifyPluginAsync = async () => {}

export default roomPages
