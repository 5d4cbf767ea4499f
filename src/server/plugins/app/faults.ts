import { Readable } from 'node:stream'
import { setTimeout as sleep } from 'node:timers/promises'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { FAULT_CODES } from '../../../faults/model.js'
import { ServerError } from '../../errors.js'
import { RESET_GRACE_MS, paced, resetConnection, type WireFault } from '../../faults-wire.js'
import { depositDamagedCopy, repairDeposits } from '../../services/deposits.js'
import { FaultService, type HttpFault, type RequestTarget } from '../../services/faults.js'
import { ifNoneMatchNames } from '../../headers.js'

/** The routes an HTTP fault's target names (the API's and the pages'). */
const DOWNLOADS = new Set(['/api/v1/files/:name', '/fichiers/:name'])
const LISTS = new Set(['/api/v1/files', '/fichiers'])
const UPLOADS = new Set(['/api/v1/files', '/envoi'])

/** A download whose If-None-Match names the file as it is: answered 304, without a body. */
function answeredUnchanged (request: FastifyRequest, name: string | null): boolean {
  const tags = request.headers['if-none-match']
  const departement = request.principal?.departement
  if (tags === undefined || name === null || departement == null) return false
  const file = request.server.files.find(departement, name)
  return file !== null && ifNoneMatchNames(tags, `"${file.sha256}"`)
}

/** What a request is for a fault: a download (and of which file), an upload, a list, or something else. */
export function requestTarget (request: FastifyRequest): RequestTarget {
  const route = request.routeOptions.url ?? ''
  const method = request.method
  if ((method === 'GET' || method === 'HEAD') && DOWNLOADS.has(route)) {
    const file = (request.params as { name?: string }).name ?? null
    // asked only of a fault on the body (takeHttp): a download with no fault never looks its file up twice
    return { route: 'download', file, bodiless: () => method === 'HEAD' || answeredUnchanged(request, file) }
  }
  if (method === 'GET' && LISTS.has(route)) return { route: 'list', file: null }
  if ((method === 'POST' || method === 'PUT') && UPLOADS.has(route)) return { route: 'upload', file: (request.query as { name?: string } | undefined)?.name ?? null }
  return { route: null, file: null }
}

/**
 * Faults on demand (docs/pannes.md): the service, the scenario's faults set
 * at start, the damaged deposits wired into the deposits, and the HTTP
 * faults applied to a département's requests once it is known (after the
 * API's authentication and the pages' session): a status, a delay, a reset,
 * or a body sent slowly or cut. Each is traced with the fault's number.
 */
export default fp(async function faultsPlugin (app: FastifyInstance) {
  const faults = new FaultService(app.storage.faults, app.scenario, app.files, app.config.now)
  // asked by the admin's requests: given up once a stop waits for them no more
  faults.depositCopy = async (file, order) => await depositDamagedCopy(app.files, app.scenario, file, order, app.handlersSignal)
  faults.repairer = async (departement) => await repairDeposits(app.files, app.scenario, departement, undefined, app.handlersSignal)
  app.decorate('faults', faults)
  app.maintenance.faults = faults
  app.decorateRequest('wireFault', null)
  app.decorate('namedUploadFault', async (request: FastifyRequest, reply: FastifyReply, departement: string, name: string): Promise<'cut' | null> => {
    // one fault a request: one met before the body (a fault on every upload) is the one it gets
    if (request.trace.faultId !== null) return null
    const target: RequestTarget = { route: 'upload', file: name }
    const fault = faults.takeHttp(departement, target, true)
    if (fault === null) return null
    await applyFault(request, reply, departement, target, fault)
    return fault.code === 'reset' ? 'cut' : null
  })
  try {
    // a scenario's fault names a département by its account: once the accounts are written
    if (app.scenario.faults.length > 0) await app.accountsProvisioned
    await faults.fromScenario(app.scenario.faults)
  } catch (err) {
    throw new ServerError('PHEBUS_SERVER_SCENARIO', `Panne du scénario refusée : ${(err as Error).message}`, { cause: err })
  }

  // callback hooks: most requests have no fault, and pay no promise for it
  app.addHook('preHandler', (request, reply, done) => {
    const departement = request.principal?.departement
    if (departement === null || departement === undefined) {
      done()
      return
    }
    const target = requestTarget(request)
    const fault = faults.takeHttp(departement, target)
    if (fault === null) {
      done()
      return
    }
    applyFault(request, reply, departement, target, fault).then(() => { done() }, done)
  })

  async function applyFault (request: FastifyRequest, reply: FastifyReply, departement: string, target: RequestTarget, fault: HttpFault): Promise<void> {
    request.trace.faultId = fault.id
    // an exchange that fails on purpose: the qualification's evidence says so (a delay or a slow body fails nothing; a cut download is told by the download itself)
    if (fault.code !== 'delay' && fault.code !== 'slow-body' && !(fault.code === 'reset-after' && target.route === 'download')) {
      app.qualification.faulted(departement, fault.id, `${FAULT_CODES[fault.code].title} sur ${request.method} ${request.routeOptions.url ?? request.url.split('?')[0] ?? ''}`)
    }
    switch (fault.code) {
      case 'http-500': throw new ServerError('PHEBUS_HTTP_INTERNAL')
      case 'http-502': throw new ServerError('PHEBUS_HTTP_BAD_GATEWAY')
      case 'http-503': throw new ServerError('PHEBUS_HTTP_UNAVAILABLE', undefined, { retryAfter: fault.retryAfterSeconds ?? 0 })
      case 'http-429': throw new ServerError('PHEBUS_HTTP_TOO_MANY_REQUESTS', undefined, { retryAfter: fault.retryAfterSeconds ?? 0 })
      case 'delay': {
        // a client that leaves while it waits ends the wait
        const left = new AbortController()
        const onClose = (): void => { left.abort() }
        request.raw.once('close', onClose)
        await sleep(fault.delayMs ?? 0, undefined, { signal: left.signal }).catch(() => {})
        request.raw.off('close', onClose)
        return
      }
      case 'reset':
        request.trace.detail = 'connexion coupée avant la réponse'
        app.recordRequest(request, null, 0)
        reply.hijack()
        resetConnection(request.raw.socket)
        return
      case 'slow-body':
      case 'reset-after':
        request.wireFault = { faultId: fault.id, bytesPerSecond: fault.bytesPerSecond, afterBytes: fault.afterBytes }
    }
  }

  // an answer the routes send through Fastify (a download is sent by hand: file-actions.ts reads request.wireFault)
  app.addHook('onSend', (request, reply, payload, done) => {
    const wire = request.wireFault
    if (wire === null || payload === null || payload === undefined) {
      done(null, payload)
      return
    }
    const body = typeof payload === 'string' ? Buffer.from(payload) : Buffer.isBuffer(payload) ? payload : null
    if (body !== null) reply.header('content-length', body.length)
    const source = body === null ? payload as AsyncIterable<Buffer> : [body]
    done(null, Readable.from(throughFault(source, wire, request)))
  })
}, { name: 'phebus-faults', dependencies: ['phebus-storage', 'phebus-files', 'phebus-audit'] })

async function * throughFault (source: AsyncIterable<Buffer> | Iterable<Buffer>, wire: WireFault, request: FastifyRequest): AsyncGenerator<Buffer> {
  yield * paced(source, wire)
  if (wire.afterBytes === null) return
  // what was yielded is on its way: give it a moment, then the reset
  await sleep(RESET_GRACE_MS)
  request.trace.detail = `connexion coupée après ${wire.afterBytes} octets`
  resetConnection(request.raw.socket)
}
