import basicAuth from '@fastify/basic-auth'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { MAX_USERNAME_LENGTH, type Principal } from '../../auth/authenticator.js'

/**
 * HTTP Basic (RFC 7617) through @fastify/basic-auth: it parses the header
 * and answers 401 with WWW-Authenticate; the check itself is the
 * authenticator's (cache, scrypt, lock-out). Applied by the /api hook.
 */
export default fp(async function basicAuthPlugin (app: FastifyInstance) {
  // the authenticator is the accounts plugin's, registered after this one: read at each request
  function accept (request: FastifyRequest, principal: Principal): void {
    request.principal = principal
    request.trace.departement = principal.departement
  }
  function refuse (request: FastifyRequest, username: string, err: unknown): Error {
    request.trace.departement = app.authenticator.departementOf(username)
    return err as Error
  }
  await app.register(basicAuth, {
    authenticate: { realm: 'phebus-mock' },
    // a callback, not a promise: credentials verified lately (most requests) are answered at once
    validate (username: string, password: string, request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
      // the trail keeps what was given, cut to a length no account exceeds
      request.trace.username = username.length > MAX_USERNAME_LENGTH ? `${username.slice(0, MAX_USERNAME_LENGTH)}…` : username
      let known: Principal | undefined
      try {
        known = app.authenticator.known(username, password, request.ip)
      } catch (err) {
        done(refuse(request, username, err))
        return
      }
      if (known !== undefined) {
        accept(request, known)
        done()
        return
      }
      app.authenticator.authenticate(username, password, request.ip).then((principal) => {
        accept(request, principal)
        done()
      }, (err: unknown) => { done(refuse(request, username, err)) })
    }
  })
}, { name: 'phebus-basic-auth' })
