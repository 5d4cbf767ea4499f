import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { Static } from 'typebox'
import { liftDetail, type LockView } from '../../../../auth/locks.js'
import { ServerError } from '../../../../errors.js'
import { ListLocksSchema, LiftLockSchema, type LockSchema } from '../../../../schemas/admin.js'
import { localText } from '../../../../../clock.js'

/**
 * The locks after failed logins: the admin sees them and lifts one. Their
 * times are the wall clock's (app.config.now), never the exchange's.
 */
const lockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const now = app.config.now

  function lockView (l: LockView): Static<typeof LockSchema> {
    return {
      id: l.id,
      scope: l.scope,
      user: l.username,
      departement: l.username === null ? null : app.authenticator.departementOf(l.username),
      address: l.address,
      failures: l.failures,
      lockedAt: new Date(l.lockedAt).toISOString(),
      until: new Date(l.until).toISOString(),
      // rounded up, as the 429 says it: at the minute shown, the lock is over
      untilLocal: localText(Math.ceil(l.until / 60_000) * 60_000, 'Europe/Paris'),
      retryAfter: Math.max(1, Math.ceil((l.until - now()) / 1000))
    }
  }

  app.get('/locks', { schema: ListLocksSchema }, async () => ({ locks: app.authenticator.locks().map(lockView) }))

  app.delete('/locks/:id', { schema: LiftLockSchema }, async (request, reply) => {
    const lifted = app.authenticator.lift(request.params.id)
    if (lifted === null) throw new ServerError('PHEBUS_HTTP_NOT_FOUND', 'Blocage introuvable : il a pris fin, a déjà été levé, ou cet id n\'en désigne aucun (GET /api/v1/admin/locks les liste).')
    // the trail keeps who lifted what; the replay at start reads it there, so that a restart does not bring the lock back
    request.trace.detail = liftDetail(lifted)
    // a user's lock is its département's: its journal (GET /api/v1/admin/audit?departement=) shows the lift
    if (lifted.username !== null) request.trace.departement = app.authenticator.departementOf(lifted.username)
    return reply.code(204).send(null)
  })
}

export default lockRoutes
