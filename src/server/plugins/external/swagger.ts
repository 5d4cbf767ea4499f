import swagger from '@fastify/swagger'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

/** The OpenAPI description, built from the routes' schemas (served at /docs). */
export default fp(async function swaggerPlugin (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'phebus-mock',
        description: 'Un serveur Phebus factice : chaque département télécharge ses fichiers PECGM et dépose ses fichiers CGPEM, validés à la réception.',
        version: '1'
      },
      components: { securitySchemes: { basic: { type: 'http', scheme: 'basic' } } },
      tags: [
        { name: 'santé', description: 'Sondes, sans authentification' },
        { name: 'fichiers', description: 'Les fichiers du département' },
        { name: 'rapports', description: 'Les rapports de validation' },
        { name: 'admin', description: 'Administration (compte admin)' }
      ]
    }
  })
}, { name: 'phebus-swagger' })
