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
    const details = err.details.length > 0 ? `\n${err.details.join('\n')}` : ''
    throw new ServerError('PHEBUS_SERVER_SCENARIO', `${err.message} [${err.code}]${details}`, { cause: err })
  }
}, { name: 'phebus-scenario' })
