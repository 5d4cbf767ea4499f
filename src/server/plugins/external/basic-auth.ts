import basicAuth from '@fastify/basic-auth'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyRequest } from 'fastify'
import { MAX_USERNAME_LENGTH } from '../../auth/authenticator.js'

/**
 * HTTP Basic (RFC 7617) through @fastify/basic-auth: it parses the header
 * and answers 401 with WWW-Authenticate; the check itself is the
 * authenticator's (cache, scrypt, lock-out). Applied by the /api hook.
 */
export default fp(async function basicAuthPlugin (app: FastifyInstance) {
  await app.register(basicAuth, {
    authenticate: { realm: 'phebus-mock' },
    async validate (username: string, password: string, request: FastifyRequest) {
      // the trail keeps what was given, cut to a length no account exceeds
      request.trace.username = username.length > MAX_USERNAME_LENGTH ? `${username.slice(0, MAX_USERNAME_LENGTH)}…` : username
      try {
        const principal = await app.authenticator.authenticate(username, password, request.ip)
        request.principal = principal
        request.trace.departement = principal.departement
      } catch (err) {
        request.trace.departement = app.authenticator.departementOf(username)
        throw err
      }
    }
  })
}, { name: 'phebus-basic-auth' })
