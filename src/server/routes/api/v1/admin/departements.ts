import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notFound } from '../../../../http-errors.js'
import { departementView, listDepartements, openDepartement, renewPassword } from '../../../../services/accounts.js'
import { CreateDepartementSchema, ListDepartementsSchema, ResetPasswordSchema } from '../../../../schemas/admin.js'

/**
 * The départements' accounts: list, create (with a chosen password or a
 * drawn one), and a new password. A password is never traced nor logged:
 * the trail says whose password changed and how. The console does the same
 * through the same services (accounts.ts).
 */
const departementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/departements', { schema: ListDepartementsSchema }, async () => ({ departements: listDepartements(app.storage) }))

  app.post('/departements', { schema: CreateDepartementSchema }, async (request, reply) => {
    const { account, password, detail } = await openDepartement(app, request.body)
    request.trace.detail = detail
    // the answer may carry a drawn password: kept by no cache
    reply.code(201).header('cache-control', 'no-store')
    return { departement: departementView(account, app.storage.files.count(account.departement ?? '')), ...(password === null ? {} : { password }) }
  })

  app.post('/departements/:code/password', {
    schema: ResetPasswordSchema,
    // the body may be left out: a password is then drawn
    preValidation: async (request) => { request.body ??= {} }
  }, async (request, reply) => {
    const changed = await renewPassword(app, request.params.code, request.body.password)
    if (changed === null) throw notFound()
    const { account, password, sessionsClosed, detail } = changed
    request.trace.detail = detail
    reply.header('cache-control', 'no-store')
    return { departement: departementView(account, app.storage.files.count(account.departement ?? '')), ...(password === null ? {} : { password }), sessionsClosed }
  })
}

export default departementRoutes
