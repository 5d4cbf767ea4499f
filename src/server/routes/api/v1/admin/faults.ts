import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FaultInput } from '../../../../../faults/model.js'
import { ServerError } from '../../../../errors.js'
import { notFound } from '../../../../http-errors.js'
import { faultTraceDetail } from '../../../../services/faults.js'
import { CreateFaultSchema, LiftFaultSchema, ListFaultsSchema, RepairSchema } from '../../../../schemas/faults.js'

/**
 * Faults on demand (docs/pannes.md), for the admin: list, set, lift; and the
 * correct version of damaged deposits, now rather than at the next deposit.
 * The département sees nothing of them but their effect.
 */
const faultRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/faults', { schema: ListFaultsSchema }, async (request) => {
    const { departement, active, before, limit } = request.query
    return app.faults.list({ ...(departement === undefined ? {} : { departement }), ...(active === undefined ? {} : { active }), ...(before === undefined ? {} : { before }), ...(limit === undefined ? {} : { limit }) })
  })

  app.post('/faults', { schema: CreateFaultSchema }, async (request, reply) => {
    const fault = await app.faults.create(request.body as FaultInput, request.principal?.username ?? 'admin')
    request.trace.departement = fault.departement
    request.trace.detail = faultTraceDetail(fault, 'set')
    reply.code(201)
    return { fault }
  })

  app.delete('/faults/:id', { schema: LiftFaultSchema }, async (request) => {
    const fault = app.faults.lift(request.params.id, request.principal?.username ?? 'admin')
    if (fault === null) throw new ServerError('PHEBUS_HTTP_NOT_FOUND', 'Panne introuvable : elle a déjà été levée, son nombre de fois est épuisé, ou ce numéro n\'en désigne aucune (GET /api/v1/admin/faults les liste).')
    request.trace.departement = fault.departement
    request.trace.detail = faultTraceDetail(fault, 'lifted')
    return { fault }
  })

  app.post('/repairs', { schema: RepairSchema }, async (request) => {
    const code = request.body.departement.toUpperCase()
    if (app.storage.accounts.findByDepartement(code) === null) throw notFound()
    const made = await app.faults.repair(code)
    request.trace.departement = code
    return { deposited: made.map((f) => ({ departement: f.departement, name: f.name, sha256: f.sha256, size: f.size })) }
  })
}

export default faultRoutes
