import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { ServerError } from '../errors.js'
import { described, errorResponses, PUBLIC, StatusSchema } from '../schemas/common.js'

export const LivezSchema = {
  operationId: 'checkLiveness',
  tags: ['santé'],
  summary: 'Le processus répond',
  security: PUBLIC,
  response: { 200: described('le processus répond : { "status": "ok" }', StatusSchema) }
}

export const ReadyzSchema = {
  operationId: 'checkReadiness',
  tags: ['santé'],
  summary: 'Le scénario est chargé et les dépôts du mois sont en cours ou faits (une demande d\'un département attend le sien)',
  security: PUBLIC,
  response: { 200: described('prêt : { "status": "ready" }', StatusSchema), ...errorResponses(503) }
}

/** Probes, without authentication (the OpenAPI description and its browser are at /docs: plugins/external/swagger.ts). */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/livez', { schema: LivezSchema }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: ReadyzSchema }, async () => {
    const m = app.maintenance
    if (!m.ready) throw new ServerError('PHEBUS_HTTP_NOT_READY', m.error === null ? undefined : `Le serveur n'est pas prêt : dépôts impossibles (${m.error}) ; la prochaine maintenance les réessaie.`)
    return { status: 'ready' }
  })
}

export default healthRoutes
