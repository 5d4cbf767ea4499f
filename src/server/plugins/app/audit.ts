import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { SERVER_ERRORS } from '../../errors.js'
import { contentLength } from '../../headers.js'
import type { RequestTrace } from '../../types.js'
import { closedForSilence, cutByStop } from './limits.js'
import { malformedUrlOf } from '../../outside-routes.js'
import { FILE_NAME_MAX_LENGTH } from '../../../layouts/file-names.js'

/** 499: the client closed the connection before the answer (nginx's convention). */
const CLIENT_CLOSED = 499

/**
 * Every request goes into the trail, answered or not, authenticated or not:
 * time, user, address, method, route, path, file, status, bytes, duration,
 * SHA-256 of an uploaded file, département.
 */
export default fp(async function auditPlugin (app: FastifyInstance) {
  const trail = app.auditTrail
  const now = app.config.now
  app.decorateRequest('principal', null)
  app.decorateRequest('trace', null as unknown as RequestTrace)

  // callback hooks: they run on every request, and cost less than async ones
  app.addHook('onRequest', (request, reply, done) => {
    request.trace = { started: performance.now(), username: null, departement: null, fileName: null, sha256: null, bytesIn: null, detail: null, faultId: null, recorded: false, login: false, loginPending: false, lostBy: null }
    // a connection closed after the whole body arrived but before the answer went out: neither
    // onResponse (no 'finish') nor onRequestAbort (req.aborted is false) runs; trace it as 499
    reply.raw.once('close', () => {
      if (reply.raw.writableFinished || request.raw.aborted || request.trace === null || request.trace.recorded) return
      lost(request, 'connexion fermée par le client avant la réponse')
    })
    done()
  })

  function record (request: FastifyRequest, status: number | null, bytesOut: number | null): void {
    const t = request.trace
    if (t === null || t.recorded) return
    t.recorded = true
    // a URL the router could not read is traced as it was sent
    const url = malformedUrlOf(request.raw)?.url ?? request.url
    const q = url.indexOf('?')
    trail.record({
      at: now(),
      kind: 'request',
      username: t.username,
      address: request.ip,
      method: request.method,
      route: request.routeOptions.url ?? null,
      path: q < 0 ? url : url.slice(0, q),
      // a name D9 refuses may be of any length (a multipart filename): the trail keeps what a D9 name can be, 100 characters
      fileName: t.fileName !== null && t.fileName.length > FILE_NAME_MAX_LENGTH ? `${t.fileName.slice(0, FILE_NAME_MAX_LENGTH)}…` : t.fileName,
      status,
      bytesIn: t.bytesIn ?? contentLength(request.headers['content-length']),
      bytesOut,
      durationMs: Math.round((performance.now() - t.started) * 100) / 100,
      sha256: t.sha256,
      departement: t.departement,
      detail: t.detail,
      login: t.login,
      requestId: request.id,
      faultId: t.faultId
    })
  }
  app.decorate('recordRequest', record)

  app.addHook('onResponse', (request, reply, done) => {
    record(request, reply.statusCode, contentLength(reply.getHeader('content-length')))
    done()
  })
  app.addHook('onRequestAbort', async (request) => { lost(request, 'connexion fermée par le client') })

  /** Traces a request whose connection went before its answer: closed by the server (silence, a stop that waited long enough), else by the client. */
  function lost (request: FastifyRequest, byClient: string): void {
    const socket = request.raw.socket
    const code = closedForSilence(socket) ? 'PHEBUS_HTTP_IDLE_TIMEOUT' : cutByStop(socket) ? 'PHEBUS_HTTP_STOPPING' : null
    if (code !== null) {
      if (request.trace !== null) request.trace.detail = code
      record(request, SERVER_ERRORS[code].status, null)
      return
    }
    const t = request.trace
    if (t !== null && t.loginPending) {
      // its password is still being checked: the entry waits for the outcome (loginSettled), which the replay
      // of the locks at start reads (a failure whose client left counts as one, authenticator.ts)
      t.lostBy = byClient
      return
    }
    if (t !== null) t.detail ??= byClient
    record(request, CLIENT_CLOSED, null)
  }

  app.decorate('loginSettled', function loginSettled (request: FastifyRequest): void {
    const t = request.trace
    if (t === null) return
    t.loginPending = false
    if (t.lostBy === null) return
    t.detail ??= t.lostBy
    record(request, CLIENT_CLOSED, null)
  })
}, { name: 'phebus-audit', dependencies: ['phebus-storage'] })
