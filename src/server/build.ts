import Fastify, { type FastifyInstance, type FastifyServerOptions } from 'fastify'
import { join, resolve } from 'node:path'
import type { Writable } from 'node:stream'
import { unusable } from '../storage/database.js'
import { DATABASE_FILE } from '../storage/storage.js'
import phebusApp from './app.js'
import { clientErrorHandler, frameworkErrors } from './outside-routes.js'
import type { AppOptionsInput } from './options.js'
import { AJV_OPTIONS, lazySchemaCompilers } from './lazy-schemas.js'
import { timeOrderedId } from './request-id.js'

export interface BuildOptions {
  /** key and certificate (PEM): HTTPS */
  https?: { key: string | Buffer, cert: string | Buffer } | null
  /** a connection idle this long is closed (a client that stops sending mid-upload), ms */
  idleTimeoutMs?: number
  /** the whole request, body included, must arrive within this, ms (0: no limit) */
  requestTimeoutMs?: number
  logLevel?: string
  logStream?: Writable
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000
const SOCKET_BUFFER = 1 << 20
export const DEFAULT_REQUEST_TIMEOUT_MS = 30 * 60_000

/**
 * A Fastify instance with the app registered, not listening: what the start
 * file listens with, and what the tests inject into.
 */
export async function buildServer (options: AppOptionsInput, build: BuildOptions = {}): Promise<FastifyInstance> {
  let instance: FastifyInstance | null = null
  const server = {
    logger: { level: build.logLevel ?? 'warn', ...(build.logStream ? { stream: build.logStream } : {}) },
    // in time order (the wall clock the options give, as everywhere else): see request-id.ts
    genReqId: () => timeOrderedId((options.now ?? Date.now)()),
    // the router takes long names (D9 refuses them itself, authenticated and traced); what it still cannot read is ours too
    routerOptions: { maxParamLength: 2048 },
    frameworkErrors: frameworkErrors(() => instance as FastifyInstance),
    clientErrorHandler,
    // a request read during a stop is refused by the app (plugins/app/limits.ts), in French and traced
    return503OnClosing: false,
    connectionTimeout: build.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    // a kept-alive connection waiting for its next request is silent too: the same --idle-timeout (Fastify's own is 72 s)
    keepAliveTimeout: build.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS,
    requestTimeout: build.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS,
    ajv: AJV_OPTIONS,
    // each route's validators and serializers are compiled at its first request, not all at start
    schemaController: lazySchemaCompilers()
  } satisfies FastifyServerOptions
  // sockets buffer 1 MiB each way: an upload is read in large bursts between two runs of the
  // validator rather than 16 KiB per turn of the event loop, a download written in 1 MiB pieces
  // an HTTP/1.1 request without Host is refused by the app (plugins/app/requests.ts), in French and traced, where Node
  // answered a bare 400 itself
  const app: FastifyInstance = build.https
    ? Fastify({ ...server, https: { ...build.https, highWaterMark: SOCKET_BUFFER, requireHostHeader: false } }) as unknown as FastifyInstance
    : Fastify({ ...server, http: { highWaterMark: SOCKET_BUFFER, requireHostHeader: false } })
  instance = app
  try {
    await app.register(phebusApp, options)
    await app.ready()
  } catch (err) {
    await app.close().catch(() => {})
    // a page damaged past the header: SQLite says so only when a read of the start reaches it
    throw unusable(err, join(resolve(options.dataDir), DATABASE_FILE))
  }
  return app
}
