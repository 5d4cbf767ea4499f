import { createRequire, Module } from 'node:module'
import fastifyStatic from '@fastify/static'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import fp from 'fastify-plugin'
import * as yaml from 'yaml'
import type { FastifyInstance } from 'fastify'
import { allowInCsp } from '../../headers.js'
import { BASIC_AUTH } from '../../schemas/common.js'

/** Where the API browser is, and the description it reads (/docs/json, /docs/yaml). */
export const DOCS_PREFIX = '/docs'

/**
 * The OpenAPI 3.1 description, built from the routes' schemas (conventions:
 * schemas/common.ts). A route registered as '/' under a prefix answers with
 * and without the trailing slash; the description gives the form without.
 */
export default fp(async function swaggerPlugin (app: FastifyInstance) {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'phebus-mock',
        description: 'Un serveur Phebus factice : chaque département télécharge ses fichiers PECGM et dépose ses fichiers CGPEM, validés à la réception. ' +
          'Les erreurs ont toutes la même forme (Erreur) et un code stable, listé dans docs/serveur.md.',
        version: '1',
        license: { name: 'MIT', identifier: 'MIT' }
      },
      servers: [{ url: '/', description: 'ce serveur : les chemins sont relatifs à l\'adresse d\'où vient cette description' }],
      components: { securitySchemes: { basic: { type: 'http', scheme: 'basic', description: 'HTTP Basic (RFC 7617) : identifiant et mot de passe d\'un département, ou de l\'admin' } } },
      security: BASIC_AUTH,
      tags: [
        { name: 'santé', description: 'Sondes, sans authentification' },
        { name: 'fichiers', description: 'Les fichiers du département' },
        { name: 'rapports', description: 'Les rapports de validation' },
        { name: 'qualification', description: 'La qualification du département (annexe 2, étapes 2 et 3)' },
        { name: 'admin', description: 'Administration (compte admin)' }
      ]
    },
    transform: ({ schema, url }) => ({ schema, url: url.length > 1 && url.endsWith('/') ? url.slice(0, -1) : url })
  })
}, { name: 'phebus-swagger' })

/**
 * The API browser (Swagger UI) at /docs, public like the description it
 * shows. Its page runs under the app's Content-Security-Policy with one
 * addition, the images its stylesheet carries as data: URLs; its plain layout
 * leaves out the top bar, whose logo is an inline style the policy refuses.
 * Registered after the security headers, whose hooks it must inherit.
 */
export const swaggerUiPlugin = fp(async function swaggerUiPlugin (app: FastifyInstance) {
  shareWithSwaggerUi('yaml', yaml)
  shareWithSwaggerUi('@fastify/static', fastifyStatic)
  await app.register(swaggerUi, {
    routePrefix: DOCS_PREFIX,
    uiConfig: { layout: 'BaseLayout', displayOperationId: true, defaultModelsExpandDepth: 0 },
    transformStaticCSP: (policy) => allowInCsp(policy, 'img-src', 'data:')
  })
}, { name: 'phebus-swagger-ui', dependencies: ['phebus-swagger'] })

/**
 * Swagger UI, loaded from node_modules (scripts/bundle.mjs), requires two
 * packages when it is registered: `yaml`, for its /docs/yaml route, and
 * `@fastify/static`, for its assets. The installed command has both in its
 * bundle already (the scenarios are read with the one, the pages' assets
 * served by the other): each copy is handed to Node's module cache under
 * the path Swagger UI would load, which spares loading and compiling them a
 * second time, file by file, at every start (about 80 ms of the demo's warm
 * start). Run from tsc's output, the cache holds the one copy already, and
 * nothing changes; a copy of its own beside Swagger UI would have another
 * path, and be loaded as before.
 */
function shareWithSwaggerUi (name: string, exports: unknown): void {
  const fromSwaggerUi = createRequire(createRequire(import.meta.url).resolve('@fastify/swagger-ui'))
  const path = fromSwaggerUi.resolve(name)
  if (fromSwaggerUi.cache[path] !== undefined) return
  const shared = new Module(path)
  shared.filename = path
  shared.loaded = true
  shared.exports = exports
  fromSwaggerUi.cache[path] = shared
}
