import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { PhebusError } from '../../../errors.js'
import { loadScenarioFile } from '../../../scenarios/load.js'
import { ServerError } from '../../errors.js'

/** The scenario the deposits are generated from; a bad scenario stops the start. */
export default fp(async function scenarioPlugin (app: FastifyInstance) {
  try {
    app.decorate('scenario', await loadScenarioFile(app.config.scenarioPath))
  } catch (err) {
    if (!(err instanceof PhebusError)) throw err
    // the message already lists each problem; one code, the server's
    throw new ServerError('PHEBUS_SERVER_SCENARIO', err.message, { cause: err })
  }
}, { name: 'phebus-scenario' })
