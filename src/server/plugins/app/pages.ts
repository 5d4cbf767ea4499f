import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import cookie from '@fastify/cookie'
import helmet from 'helmet'
import fastifyStatic from '@fastify/static'
import { MessageService } from '../../services/messages.js'
import { SessionService } from '../../services/sessions.js'
import { ASSETS_DIR, Views } from '../../views.js'

/** A session unused for 30 minutes ends; every session ends 8 hours after its login. */
export const SESSION_IDLE_MS = 30 * 60_000
export const SESSION_MAX_MS = 8 * 3600_000

/**
 * What the partner interface needs beside the API's services: cookies, the
 * sessions kept in the database, the messages of « Nous écrire », the
 * templates and their assets, and the security headers (on every answer,
 * with a Content-Security-Policy that allows no inline script or style).
 */
export default fp(async function pagesPlugin (app: FastifyInstance) {
  await app.register(cookie)
  // helmet's middleware made once (@fastify/helmet made it again at every request: a tenth of a small request's time)
  const securityHeaders = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'"],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"]
      }
    },
    // the API is read by programs of other origins too (never with a browser's credentials: cross-site writes are refused)
    crossOriginResourcePolicy: { policy: 'same-site' },
    strictTransportSecurity: false,
    xFrameOptions: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' }
  })
  app.addHook('onRequest', (request, reply, done) => { securityHeaders(request.raw, reply.raw, (err) => { done(err as Error | undefined) }) })
  await app.register(fastifyStatic, { root: ASSETS_DIR, prefix: '/assets/', maxAge: '365d', immutable: true, index: false, wildcard: false })

  const now = app.config.now
  const sessions = new SessionService(app.storage.sessions, {
    idleMs: SESSION_IDLE_MS,
    maxMs: SESSION_MAX_MS,
    now,
    principalOf: (username) => {
      const a = app.storage.accounts.find(username)
      return a === null ? null : { username: a.username, role: a.role, departement: a.departement }
    }
  })
  app.decorate('sessions', sessions)
  app.decorate('messages', new MessageService(app.storage.messages, app.files))
  app.decorate('views', new Views())
  app.decorateRequest('session', null)
  app.decorateRequest('sessionEnded', null)
  // what else a session's cookie opens (a report's JSON, the bilan's PDF) is that département's: no shared cache keeps it
  // (a request with Authorization is kept from them by HTTP itself); the pages, the files and the sample say no-store
  app.addHook('onSend', (request, reply, payload, done) => {
    if (request.session !== null && !reply.hasHeader('cache-control')) reply.header('cache-control', 'private')
    done(null, payload)
  })
  app.maintenance.also(() => { sessions.purge() })
}, { name: 'phebus-pages', dependencies: ['phebus-storage', 'phebus-files'] })
