import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import './types.js'
import { negotiate } from './accept.js'
import { handleError } from './http-errors.js'
import { resolveAppOptions, type AppOptionsInput } from './options.js'
import basicAuthPlugin from './plugins/external/basic-auth.js'
import multipartPlugin from './plugins/external/multipart.js'
import swaggerPlugin, { swaggerUiPlugin } from './plugins/external/swagger.js'
import accountsPlugin from './plugins/app/accounts.js'
import auditPlugin from './plugins/app/audit.js'
import filesPlugin from './plugins/app/files.js'
import faultsPlugin from './plugins/app/faults.js'
import limitsPlugin from './plugins/app/limits.js'
import requestsPlugin, { notFoundOrNotAllowed } from './plugins/app/requests.js'
import qualificationPlugin from './plugins/app/qualification.js'
import pagesPlugin from './plugins/app/pages.js'
import handlersPlugin from './plugins/app/handlers.js'
import scenarioPlugin from './plugins/app/scenario.js'
import storagePlugin from './plugins/app/storage.js'
import clockPlugin from './plugins/app/clock.js'
import apiRoutes from './routes/api/index.js'
import pageRoutes, { errorPage, loadSession, withoutTrailingSlash } from './routes/pages/index.js'
import healthRoutes from './routes/health.js'

/**
 * The phebus-mock server as a Fastify plugin: it neither listens nor exits
 * (start.ts does). Third-party plugins first, then the app's own (scenario,
 * storage and trail, accounts, files), then the routes by URL prefix.
 */
async function phebusApp (app: FastifyInstance, input: AppOptionsInput): Promise<void> {
  app.decorate('config', resolveAppOptions(input))

  await app.register(swaggerPlugin)
  await app.register(multipartPlugin, { maxUploadBytes: app.config.maxUploadBytes })
  await app.register(basicAuthPlugin)

  await app.register(scenarioPlugin)
  await app.register(storagePlugin)
  await app.register(clockPlugin)
  await app.register(auditPlugin)
  await app.register(requestsPlugin)
  await app.register(limitsPlugin)
  await app.register(accountsPlugin)
  await app.register(filesPlugin)
  await app.register(faultsPlugin)
  await app.register(qualificationPlugin)
  await app.register(pagesPlugin)
  // last of the plugins: it follows every route's handler, and the services close only once none runs
  await app.register(handlersPlugin)

  app.setErrorHandler((err, request, reply) => {
    // outside the API and the pages' own routes (an address the router could not read, a health check): a browser
    // that asks for a page gets one, as the not-found handler below gives it, with its session's way back
    if (!wantsPage(request)) return handleError(err, request, reply)
    if (request.session === null) loadSession(app, request, reply)
    return errorPage(app, err, request, reply)
  })
  app.setNotFoundHandler(async (request, reply) => {
    // a page's caller is known by its session, read first: the console's routes answer 405 to the admin only, 404 to anyone else
    if (!request.url.startsWith('/api/')) loadSession(app, request, reply)
    // a page's address with a slash after it: the page (a GET only, never another site)
    const bare = withoutTrailingSlash(app, request)
    if (bare !== null) return reply.code(301).header('location', bare).send()
    const err = notFoundOrNotAllowed(app, request, reply)
    // a browser that asks for a page gets one; programs and the API get the JSON body
    if (!wantsPage(request)) throw err
    return errorPage(app, err, request, reply)
  })

  await app.register(healthRoutes)
  // after the security headers (pagesPlugin), whose Content-Security-Policy the browser's page adapts
  await app.register(swaggerUiPlugin)
  await app.register(apiRoutes, { prefix: '/api' })
  await app.register(pageRoutes)
}

/** A page for a browser: outside the API, when text/html weighs more than JSON in its Accept (JSON without one, or on a tie: a program's). */
function wantsPage (request: FastifyRequest): boolean {
  return !request.url.startsWith('/api/') && negotiate(request.headers.accept, ['application/json', 'text/html']) === 'text/html'
}

export default fp(phebusApp, { name: 'phebus-mock', fastify: '5.x' })
