import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { ServerError } from '../../errors.js'
import { notFound } from '../../http-errors.js'
import { malformedUrlOf } from '../../outside-routes.js'

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS'])

/**
 * Every request: its id in an X-Request-Id header (and in its error body and
 * trail entry); a state-changing request from another site refused before
 * anything else (browsers send Origin on every cross-site POST; curl,
 * scripts and the départements' software send none); a URL the router could
 * not read refused once authenticated; a known path with another method
 * answered 405 with Allow.
 */
export default fp(async function requestsPlugin (app: FastifyInstance) {
  const routes: { method: string, pattern: RegExp, admin: boolean }[] = []
  app.addHook('onRoute', (route) => {
    if (route.url.includes('*')) return
    const source = route.url.replace(/\/$/, '').replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/:[A-Za-z0-9_]+/g, '[^/]+')
    for (const method of [route.method].flat()) routes.push({ method, pattern: new RegExp(`^${source}/?$`), admin: adminOnly(route.url) })
  })

  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    // RFC 9112 § 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host
    if (request.headers.host === undefined && request.raw.httpVersion === '1.1') {
      done(new ServerError('PHEBUS_HTTP_BAD_REQUEST', 'En-tête Host absent : une requête HTTP/1.1 le donne toujours (RFC 9112, § 3.2), par exemple « Host: 127.0.0.1:8080 ».'))
      return
    }
    if (!SAFE_METHODS.has(request.method) && crossSite(request)) {
      done(new ServerError('PHEBUS_HTTP_CROSS_ORIGIN', `Requête ${request.method} venue d'un autre site refusée (Origin : ${String(request.headers.origin ?? request.headers['sec-fetch-site']).slice(0, 100)}) : les requêtes qui changent quelque chose ne viennent que de ce serveur ou d'un programme, jamais d'une page d'un autre site.`))
      return
    }
    done()
  })

  app.addHook('preHandler', (request, _reply, done) => {
    const bad = malformedUrlOf(request.raw)
    done(bad === null ? undefined : bad.error)
  })

  /** The methods a path answers to (the request's, or `path`), for the caller (the admin's routes, API and console, exist for the admin only). */
  app.decorate('allowedMethods', (request: FastifyRequest, path = pathOf(request.url)): string[] => {
    const admin = request.principal?.role === 'admin'
    return [...new Set(routes.filter((r) => (admin || !r.admin) && r.pattern.test(path)).map((r) => r.method))].sort()
  })
}, { name: 'phebus-requests' })

function pathOf (url: string): string {
  const q = url.indexOf('?')
  return q < 0 ? url : url.slice(0, q)
}

/** The admin's routes, the API's and the console's: to anyone else they do not exist, whatever the method (docs/interface.md). */
function adminOnly (url: string): boolean {
  return url.startsWith('/api/v1/admin') || url === '/console' || url.startsWith('/console/')
}

/** The route that does not exist for this method: 405 with Allow when the path has others, else 404. */
export function notFoundOrNotAllowed (app: FastifyInstance, request: FastifyRequest, reply: { header: (k: string, v: string) => unknown }): ServerError {
  const allowed = app.allowedMethods(request)
  if (allowed.length === 0 || allowed.includes(request.method)) return notFound()
  reply.header('allow', allowed.join(', '))
  return new ServerError('PHEBUS_HTTP_METHOD_NOT_ALLOWED', `Méthode ${request.method} non permise ici : ${allowed.join(', ')} seulement.`)
}

/** An Origin that is not this server's, or a browser saying the request comes from another site. */
function crossSite (request: FastifyRequest): boolean {
  const site = request.headers['sec-fetch-site']
  if (site === 'cross-site' || site === 'same-site') return true
  const origin = request.headers.origin
  if (origin === undefined) return false
  return origin !== `${request.protocol}://${request.headers.host ?? ''}`
}
