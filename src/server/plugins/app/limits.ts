import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { ServerError } from '../../errors.js'
import { UploadGate } from '../../services/upload-gate.js'
import { MIB } from '../../../units.js'

/** Connections accepted past the limit only to be told 503; past these, new ones are dropped at once. */
const TOLD_BUSY = 64
/** How long a connection the server closes is still read, and how many of its bytes, before it is cut (lingerOnClose). */
const LINGER_MS = 2000
const LINGER_BYTES = 64 * MIB

/**
 * A lingering close. Node closes a connection answered « Connection: close »
 * as soon as the answer is written: when the request's body is still
 * coming (an upload refused before it was read: a name taken, a file too
 * large, a quota), its next bytes reach a closed socket, the system answers
 * them with a reset, and a client still sending (curl without Expect: 100-
 * continue) sees ECONNRESET, often before it has read the answer waiting
 * for it. Here the server ends its side, then reads on and drops what still
 * comes, until the client closes (at once, once it has the answer), for
 * LINGER_MS or LINGER_BYTES at most.
 */
function lingerOnClose (socket: Socket): void {
  socket.destroySoon = function (this: Socket) {
    if (this.destroyed) return
    this.end()
    const cut = (): void => { this.destroy() }
    const timer = setTimeout(cut, LINGER_MS)
    timer.unref()
    let dropped = 0
    this.on('data', (c: Buffer) => {
      dropped += c.length
      if (dropped > LINGER_BYTES) cut()
    })
    this.once('close', () => { clearTimeout(timer) })
    this.resume()
  }
}
const RETRY_AFTER_S = 2

const overLimit = Symbol('phebus.overLimit')
const timedOut = Symbol('phebus.timedOut')
const cutAtStop = Symbol('phebus.cutAtStop')
const answering = Symbol('phebus.answering')

type Tracked = Socket & { [overLimit]?: boolean, [timedOut]?: boolean, [cutAtStop]?: boolean, [answering]?: { requests: Map<IncomingMessage, ServerResponse>, idle: (() => void)[] } }

/**
 * Runs `then` once every request of this connection has its answer sent:
 * what the parser cannot read after a request must not take its answer's
 * place (HTTP/1.1 answers in order). When a request still waits for its
 * body, that body will never come: `then` runs at once (and closes it).
 */
export function afterAnswers (socket: Socket, then: () => void): void {
  const a = (socket as Tracked)[answering]
  if (a === undefined || a.requests.size === 0 || [...a.requests.keys()].some((r) => !r.complete)) then()
  else a.idle.push(then)
}

/** Requests whose body the server does not read for a while, of its own doing (an upload waiting for a validating thread). */
const heldByServer = new WeakSet<IncomingMessage>()

/**
 * The server stops reading this request's body until `until` settles: the
 * silence of its connection meanwhile is the server's, not the client's, and
 * the idle timeout does not cut it (the timer runs again from the next bytes).
 */
export function holdWhile (req: IncomingMessage, until: Promise<unknown>): void {
  heldByServer.add(req)
  const free = (): void => { heldByServer.delete(req) }
  until.then(free, free)
}

/** True when the server closed this request's connection for silence (its idle timeout), not the client. */
export function closedForSilence (socket: Socket | null | undefined): boolean {
  return (socket as Tracked | null | undefined)?.[timedOut] === true
}

/** True when the server cut this request's connection because it was stopping (app.cutConnections). */
export function cutByStop (socket: Socket | null | undefined): boolean {
  return (socket as Tracked | null | undefined)?.[cutAtStop] === true
}

export function expectsContinue (expect: string | undefined): boolean {
  return expect !== undefined && expect.toLowerCase() === '100-continue'
}

/** 100 Continue, once, on a connection that still can take it. */
export function sendContinue (res: ServerResponse): void {
  if (!res.headersSent && !res.writableEnded && typeof res.writeContinue === 'function' && res.socket !== null) res.writeContinue()
}

/**
 * Bounded resources: open connections (past the limit, a request gets 503
 * with Retry-After before anything else is done for it, and past a margin
 * new connections are not even accepted, so that descriptors never run
 * out), uploads at once and the départements' quotas (the upload gate).
 * A connection the idle timeout closes is marked as closed by the server,
 * and so is one cut by a stop that has waited long enough (start.ts).
 */
export default fp(async function limitsPlugin (app: FastifyInstance) {
  const { limits } = app.config
  app.decorate('uploads', new UploadGate({
    limits,
    quotas: (departement) => app.scenario.departements.find((d) => d.code === departement)?.quotas ?? app.scenario.quotas,
    usage: (departement) => app.storage.files.usage(departement)
  }))

  // the connections open: counted for the limit, and cut when a stop has waited long enough (cutConnections)
  const open = new Set<Tracked>()
  const server = app.server
  server.maxConnections = limits.maxConnections + TOLD_BUSY
  const count = (socket: Tracked): void => {
    lingerOnClose(socket)
    open.add(socket)
    if (open.size > limits.maxConnections) socket[overLimit] = true
    socket.once('close', () => { open.delete(socket) })
  }
  // over TLS the request's socket is the TLS one: counted once the handshake is done
  if ('setSecureContext' in server) server.on('secureConnection', count)
  else server.on('connection', count)
  server.on('timeout', (socket: Tracked) => {
    // silent because the server is working on a request it has whole (a wait for the start's stocks, a delay
    // fault), or holds its body (holdWhile): not the client's silence; the timer runs again from the next bytes
    const a = socket[answering]
    if (a !== undefined && [...a.requests].some(([req, res]) => (req.complete || heldByServer.has(req)) && !res.headersSent)) return
    socket[timedOut] = true
    socket.destroy()
  })
  let stopping = false
  app.addHook('preClose', (done) => {
    stopping = true
    done()
  })
  app.decorate('cutConnections', () => {
    const cut = open.size
    for (const socket of open) {
      socket[cutAtStop] = true
      socket.destroy()
    }
    // and whatever is not counted yet (a TLS handshake under way)
    server.closeAllConnections()
    return cut
  })
  // Expect: 100-continue is answered by the routes, once they have checked what they can (uploads.ts)
  server.on('checkContinue', (req, res) => server.emit('request', req, res))

  // a route that does not say it answers Expect: 100-continue itself gets it once its checks before the body have passed;
  // not a body announced past the route's limit: its parser refuses it before reading it (413), and that answer comes
  // in place of the 100, while the client still waits (after a 100 it would be sending, and could lose the 413 to a reset)
  app.addHook('preParsing', (request, reply, payload, done) => {
    if (expectsContinue(request.headers.expect) && (request.routeOptions.config as { continues?: boolean }).continues !== true) {
      const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1 << 20
      if (!(Number(request.headers['content-length']) > limit)) sendContinue(reply.raw)
    }
    done(null, payload)
  })

  // the requests of each connection still being answered (see afterAnswers): counted as the parser
  // hands them over, before it reads what follows them on the connection
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const socket = req.socket as Tracked | null
    if (socket === null) return
    const a = socket[answering] ??= { requests: new Map(), idle: [] }
    a.requests.set(req, res)
    // the answer's 'close': once it is sent, or its connection gone
    res.once('close', () => {
      if (!a.requests.delete(req)) return
      if (a.requests.size === 0) for (const f of a.idle.splice(0)) f()
      // a stop has begun: a connection whose answers are all sent goes (kept alive, it would hold the stop)
      if (stopping && a.requests.size === 0) socket.end()
    })
  })

  app.addHook('onRequest', (request, reply, done) => {
    // a request read during a stop (one that followed another on a kept connection): refused here, in French and traced,
    // where Fastify's own answer (return503OnClosing, off in build.ts) was English, with no code, and bypassed the trail
    if (stopping) {
      reply.header('connection', 'close')
      done(new ServerError('PHEBUS_HTTP_STOPPING', 'Le serveur s\'arrête : il ne prend plus de nouvelle requête. Réessayez une fois qu\'il aura redémarré.'))
      return
    }
    if ((request.raw.socket as Tracked | null)?.[overLimit] === true) {
      reply.header('connection', 'close')
      done(new ServerError('PHEBUS_HTTP_BUSY', `Trop de connexions ouvertes (${limits.maxConnections} au plus) : réessayez dans ${RETRY_AFTER_S} s.`, { retryAfter: RETRY_AFTER_S }))
      return
    }
    done()
  })
}, { name: 'phebus-limits', dependencies: ['phebus-storage', 'phebus-scenario'] })
