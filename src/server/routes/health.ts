import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ServerError } from '../errors.js'
import { errorResponses, StatusSchema } from '../schemas/common.js'

export const LivezSchema = {
  tags: ['santé'],
  summary: 'Le processus répond',
  response: { 200: StatusSchema }
}

export const ReadyzSchema = {
  tags: ['santé'],
  summary: 'Le scénario est chargé et les dépôts du mois sont faits',
  response: { 200: StatusSchema, ...errorResponses(503) }
}

export const DocsSchema = {
  hide: true,
  response: { 200: Type.Object({}, { additionalProperties: true, description: 'la description OpenAPI 3' }) }
}

/** Probes (no authentication) and the OpenAPI description. */
const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/livez', { schema: LivezSchema }, async () => ({ status: 'ok' }))

  app.get('/readyz', { schema: ReadyzSchema }, async () => {
    const m = app.maintenance
    if (!m.ready) throw new ServerError('PHEBUS_HTTP_NOT_READY', m.error === null ? undefined : `Le serveur n'est pas prêt : ${m.error}`)
    return { status: 'ready' }
  })

  app.get('/docs', { schema: DocsSchema }, async () => app.swagger())
}

export default healthRoutes
