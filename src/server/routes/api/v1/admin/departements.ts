import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { notFound } from '../../../../http-errors.js'
import { createDepartement, DEPARTEMENT_CODE, departementView, resetPassword } from '../../../../services/accounts.js'
import { CreateDepartementSchema, ListDepartementsSchema, ResetPasswordSchema } from '../../../../schemas/admin.js'
import { checkDepositable } from '../../../../services/deposits.js'

/**
 * The départements' accounts: list, create (with a chosen password or a
 * drawn one), and a new password. A password is never traced nor logged:
 * the trail says whose password changed and how.
 */
const departementRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/departements', { schema: ListDepartementsSchema }, async () => {
    const { accounts, files } = app.storage
    return { departements: accounts.departements().map((a) => departementView(a, files.count(a.departement ?? ''))) }
  })

  app.post('/departements', { schema: CreateDepartementSchema }, async (request, reply) => {
    const code = request.body.code.toUpperCase()
    // an invalid code keeps createDepartement's refusal; a valid one must be one the generator can make files for
    if (DEPARTEMENT_CODE.test(code)) checkDepositable(code)
    const { account, password } = await createDepartement(app.storage.accounts, request.body, app.config.auth.scrypt, app.config.now())
    request.trace.detail = `compte ${account.username} créé, mot de passe ${password === null ? 'choisi' : 'tiré au hasard'}`
    // its due stock now, as a start makes the scenario's; the account stands either way (its password is shown only here): the next run retries
    await app.maintenance.runNow(false).catch((err: unknown) => { request.log.error({ err }, `dépôts du département ${code} créé : impossibles pour l'instant`) })
    reply.code(201)
    return { departement: departementView(account, app.storage.files.count(code)), ...(password === null ? {} : { password }) }
  })

  app.post('/departements/:code/password', {
    schema: ResetPasswordSchema,
    // the body may be left out: a password is then drawn
    preValidation: async (request) => { request.body ??= {} }
  }, async (request) => {
    const changed = await resetPassword(app.storage.accounts, request.params.code, request.body.password, app.config.auth.scrypt)
    if (changed === null) throw notFound()
    const { account, password } = changed
    // at once, in this turn: the old password opens nothing more, cached or in a browser's session
    app.authenticator.forget(account.username)
    const sessionsClosed = app.sessions.endAllOf(account.username)
    const demo = app.provisioned.demo.findIndex((d) => d.username === account.username)
    if (demo >= 0) app.provisioned.demo.splice(demo, 1)
    request.trace.detail = `mot de passe de ${account.username} changé (${password === null ? 'choisi' : 'tiré au hasard'}), ${sessionsClosed} session(s) fermée(s)`
    const code = account.departement ?? ''
    return { departement: departementView(account, app.storage.files.count(code)), ...(password === null ? {} : { password }), sessionsClosed }
  })
}

export default departementRoutes
