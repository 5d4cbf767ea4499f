import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notFound } from '../../../../http-errors.js'
import { DEFAULT_PAGE, DepositNowSchema, GetClockSchema, MoveClockSchema, PurgeSchema, ReadAuditSchema, ReadMessagesSchema } from '../../../../schemas/admin.js'
import { AdminApproveSchema, AdminRestartSchema } from '../../../../schemas/qualification.js'
import { stateView } from '../qualification.js'
import { advanceBy, localText, parseNow, zoneName, type Clock } from '../../../../../clock.js'
import { isoFromDay } from '../../../../../layouts/dates.js'
import { ServerError } from '../../../../errors.js'
import { moveClock } from '../../../../services/time.js'
import { depositNow } from '../../../../services/deposits.js'
import departementRoutes from './departements.js'
import lockRoutes from './locks.js'

function clockView (clock: Clock): { now: string, local: string, today: string, mode: 'wall' | 'running' | 'frozen', zone: string } {
  const now = clock.now()
  return { now: new Date(now).toISOString(), local: localText(now, clock.zone), today: isoFromDay(clock.day(now)), mode: clock.mode, zone: zoneName(clock.zone) }
}

/**
 * The admin API. Anyone but the admin gets the 404 of a route that does not
 * exist: a département learns nothing, not even that these routes are here.
 * The hook below guards the routes of this file and of the plugins it
 * registers (accounts, locks).
 */
const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // once the body is read, as for a route that does not exist (a refusal before it would close the
  // connection and tell that the route is there), and before it is validated (a 400 would tell too)
  app.addHook('preValidation', async (request) => {
    if (request.principal?.role !== 'admin') throw notFound()
  })

  await app.register(departementRoutes)
  await app.register(lockRoutes)

  app.get('/audit', { schema: ReadAuditSchema }, async (request) => {
    const q = request.query
    const entries = app.auditTrail.query({ departement: q.departement?.toUpperCase(), username: q.user, kind: q.kind, requestId: q.request, before: q.before, limit: q.limit ?? DEFAULT_PAGE })
    return {
      entries: entries.map(({ username, at, requestId, exchangeAt, ...e }) => ({ ...e, at: new Date(at).toISOString(), user: username, requestId: requestId ?? null, exchangeAt: exchangeAt == null ? null : new Date(exchangeAt).toISOString() })),
      next: entries.length === (q.limit ?? DEFAULT_PAGE) ? (entries.at(-1)?.id ?? null) : null
    }
  })

  app.get('/messages', { schema: ReadMessagesSchema }, async (request) => {
    const q = request.query
    const { messages, next } = app.messages.page(q.departement?.toUpperCase() ?? null, q.before ?? Number.MAX_SAFE_INTEGER, q.limit ?? DEFAULT_PAGE)
    return { messages: messages.map(({ at, username, ...m }) => ({ ...m, at: new Date(at).toISOString(), user: username })), next }
  })

  app.get('/clock', { schema: GetClockSchema }, async () => clockView(app.clock))

  app.post('/clock', { schema: MoveClockSchema }, async (request) => {
    const { advance, to, mode } = request.body
    const now = app.clock.now()
    let target = now
    if (advance !== undefined && to !== undefined) throw new ServerError('PHEBUS_CLOCK_INVALID', 'Donnez advance ou to, pas les deux.')
    if (advance !== undefined) {
      const t = advanceBy(now, advance, app.clock.zone)
      if (t === null) throw new ServerError('PHEBUS_CLOCK_INVALID', `Pas d'horloge illisible : « ${advance} » (attendu : +30min, +12h, +1d, +1M…).`)
      target = t
    } else if (to !== undefined) {
      const t = parseNow(to)
      if (t === null) throw new ServerError('PHEBUS_CLOCK_INVALID', `Heure illisible : « ${to} » (attendu : 2026-12-01, 2026-12-01T08:00:00 ou avec un décalage, 2026-12-01T08:00:00+04:00).`)
      target = t.at
    }
    if (target < now) throw new ServerError('PHEBUS_CLOCK_BACKWARDS', `L'horloge de l'échange ne recule pas : ${localText(target, app.clock.zone)} est avant ${localText(now, app.clock.zone)}.`)
    const moved = await moveClock(app, target, mode ?? null, request.principal?.username ?? 'admin')
    const named = (f: { departement: string, name: string }): { departement: string, name: string } => ({ departement: f.departement, name: f.name })
    return { clock: clockView(app.clock), from: new Date(moved.from).toISOString(), deposited: moved.deposited.map(named), purged: moved.purged.map(named) }
  })

  app.post('/deposits', { schema: DepositNowSchema }, async (request, reply) => {
    const file = await depositNow(app.files, app.scenario, request.body.departement.toUpperCase(), request.body.periodicity, app.clock.day())
    if (file === null) throw notFound()
    reply.code(201)
    return { departement: file.departement, name: file.name, size: file.size, sha256: file.sha256, createdAt: new Date(file.createdAt).toISOString() }
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
    const bilan = app.qualification.approve(request.params.departement.toUpperCase(), 'poleEmploi', request.principal?.username ?? 'admin')
    if (bilan === null) throw notFound()
    return reply.type('application/json; charset=utf-8').send(JSON.stringify(bilan))
  })

  app.post('/qualifications/:departement/restart', { schema: AdminRestartSchema }, async (request) => {
    const departement = request.params.departement.toUpperCase()
    const s = app.qualification.restart(departement)
    if (s === null) throw notFound()
    return stateView(departement, s)
  })
}

export default adminRoutes
