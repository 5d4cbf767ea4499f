import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { errorCodes } from 'fastify'
import { sendJsonText } from '../../../../headers.js'
import { notFound } from '../../../../http-errors.js'
import { DEFAULT_PAGE, DepositNowSchema, GetClockSchema, MarkMessageSchema, MoveClockSchema, PurgeSchema, ReadAuditSchema, ReadMessagesSchema, type MessageSchema } from '../../../../schemas/admin.js'
import { AdminApproveSchema, AdminRestartSchema } from '../../../../schemas/qualification.js'
import { stateView } from '../qualification.js'
import type { Static } from 'typebox'
import { ServerError } from '../../../../errors.js'
import type { Message } from '../../../../../storage/sessions.js'
import { readAuditFilter } from '../../../../services/audit-trail.js'
import { clockView, moveDetail, orderClock } from '../../../../services/time.js'
import { depositNow } from '../../../../services/deposits.js'
import departementRoutes from './departements.js'
import faultRoutes from './faults.js'
import lockRoutes from './locks.js'

function messageJson ({ at, username, readAt, answeredAt, ...m }: Message): Static<typeof MessageSchema> {
  const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString())
  return { ...m, at: new Date(at).toISOString(), user: username, readAt: iso(readAt), answeredAt: iso(answeredAt) }
}

/**
 * The admin API. Anyone but the admin gets the 404 of a route that does not
 * exist: a département learns nothing, not even that these routes are here.
 * The hook below guards the routes of this file and of the plugins it
 * registers (accounts, locks).
 */
const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // bodies are JSON objects: any other type (text/plain, text/xml, a form…) is refused (415) to the admin, rather than
  // read as a string the schema then refuses; anyone else has its body read and dropped, then the 404 below, as for
  // JSON (a 415 would tell the route is there)
  app.removeContentTypeParser(['text/plain', 'multipart/form-data'])
  app.addContentTypeParser('*', (request, payload, done) => {
    if (request.principal?.role === 'admin') {
      done(new errorCodes.FST_ERR_CTP_INVALID_MEDIA_TYPE(request.headers['content-type']))
      return
    }
    // read and dropped up to the route's limit, as the parser it replaces read it: past it, the 413 that one gave
    // (at once for a body announced past it, as JSON's parser does: no 100 Continue was sent for it, limits.ts)
    const limit = request.routeOptions.bodyLimit ?? app.initialConfig.bodyLimit ?? 1 << 20
    if (Number(request.headers['content-length']) > limit) {
      done(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
      return
    }
    let seen = 0
    let settled = false
    const settle = (err: Error | null): void => {
      if (settled) return
      settled = true
      done(err)
    }
    payload.on('data', (chunk: Buffer) => {
      seen += chunk.length
      if (seen > limit) {
        payload.pause()
        settle(new errorCodes.FST_ERR_CTP_BODY_TOO_LARGE())
      }
    })
    payload.on('error', settle)
    payload.on('end', () => { settle(null) })
  })

  // once the body is read, as for a route that does not exist (a refusal before it would close the
  // connection and tell that the route is there), and before it is validated (a 400 would tell too)
  app.addHook('preValidation', async (request) => {
    if (request.principal?.role !== 'admin') throw notFound()
  })

  await app.register(departementRoutes)
  await app.register(lockRoutes)
  await app.register(faultRoutes)

  app.get('/audit', { schema: ReadAuditSchema }, async (request) => {
    const q = request.query
    const { query, errors } = readAuditFilter(q)
    if (errors.length > 0) throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', errors.map((e) => `Paramètre « ${e.field} » : ${e.message}`).join(' '))
    const { entries, next } = app.auditTrail.page({ ...query, before: q.before, limit: q.limit ?? DEFAULT_PAGE })
    return {
      entries: entries.map(({ username, at, requestId, exchangeAt, faultId, ...e }) => ({ ...e, at: new Date(at).toISOString(), user: username, requestId: requestId ?? null, exchangeAt: exchangeAt == null ? null : new Date(exchangeAt).toISOString(), faultId: faultId ?? null })),
      next
    }
  })

  app.get('/messages', { schema: ReadMessagesSchema }, async (request) => {
    const q = request.query
    const { messages, next } = app.messages.page(q.departement?.toUpperCase() ?? null, q.before ?? Number.MAX_SAFE_INTEGER, q.limit ?? DEFAULT_PAGE, q.unread ?? false)
    return { messages: messages.map(messageJson), next }
  })

  app.patch('/messages/:id', { schema: MarkMessageSchema }, async (request) => {
    const marked = app.messages.mark(request.params.id, request.body, request.principal?.username ?? 'admin', app.config.now())
    if (marked === null) throw new ServerError('PHEBUS_HTTP_NOT_FOUND', `Message n° ${request.params.id} introuvable (GET /api/v1/admin/messages les liste).`)
    request.trace.departement = marked.message.departement
    request.trace.detail = marked.detail
    return messageJson(marked.message)
  })

  app.get('/clock', { schema: GetClockSchema }, async () => clockView(app.clock))

  app.post('/clock', { schema: MoveClockSchema }, async (request) => {
    const moved = await orderClock(app, request.body, request.principal?.username ?? 'admin')
    request.trace.detail = moveDetail(moved, app.clock.zone)
    const named = (f: { departement: string, name: string }): { departement: string, name: string } => ({ departement: f.departement, name: f.name })
    return { clock: clockView(app.clock), from: new Date(moved.from).toISOString(), deposited: moved.deposited.map(named), purged: moved.purged.map(named) }
  })

  app.post('/deposits', { schema: DepositNowSchema }, async (request, reply) => {
    const made = await depositNow(app.files, app.scenario, app.faults, request.body.departement.toUpperCase(), request.body.periodicity, app.clock.day(), app.handlersSignal)
    if (made === null) throw notFound()
    const { file } = made
    reply.code(201)
    return { departement: file.departement, name: file.name, size: file.size, sha256: file.sha256, createdAt: new Date(file.createdAt).toISOString(), deposited: made.deposited.map((f) => f.name) }
  })

  app.post('/purge', { schema: PurgeSchema }, async () => {
    const { files: purged, auditEntries } = await app.maintenance.purge()
    return {
      count: purged.length,
      auditEntries,
      purged: purged.map((f) => ({ departement: f.departement, name: f.name, kind: f.kind, expiresAt: new Date(app.files.expiresAt(f)).toISOString() }))
    }
  })

  app.post('/qualifications/:departement/approval', { schema: AdminApproveSchema }, async (request, reply) => {
    const bilan = app.qualification.approve(request.params.departement.toUpperCase(), 'poleEmploi', request.principal?.username ?? 'admin', request.query.seal)
    if (bilan === null) throw notFound()
    return sendJsonText(reply, JSON.stringify(bilan))
  })

  app.post('/qualifications/:departement/restart', { schema: AdminRestartSchema }, async (request) => {
    const departement = request.params.departement.toUpperCase()
    const s = app.qualification.restart(departement)
    if (s === null) throw notFound()
    return stateView(departement, s)
  })
}

export default adminRoutes
