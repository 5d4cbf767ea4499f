import type { Socket } from 'node:net'
import basicAuth from '@fastify/basic-auth'
import fp from 'fastify-plugin'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { MAX_USERNAME_LENGTH, type Principal, type Remembered } from '../../auth/authenticator.js'
import { isServerError } from '../../errors.js'

/**
 * HTTP Basic (RFC 7617) through @fastify/basic-auth: it parses the header
 * and answers 401 with WWW-Authenticate; the check itself is the
 * authenticator's (cache, scrypt, lock-out). Applied by the /api hook.
 *
 * A keep-alive connection remembers the credentials it last opened with
 * (Remembered, authenticator.ts): its next request with the same header is
 * let in without decoding or hashing it again, the locks still looked at.
 */
export default fp(async function basicAuthPlugin (app: FastifyInstance) {
  const remembered = new WeakMap<Socket, Remembered>()
  // the authenticator is the accounts plugin's, registered after this one: read at each request
  function accept (request: FastifyRequest, username: string, principal: Principal): void {
    // the trail keeps what was given, cut to a length no account exceeds
    request.trace.username = traced(username)
    request.trace.login = true
    request.principal = principal
    request.trace.departement = principal.departement
  }
  function refuse (request: FastifyRequest, username: string, err: unknown): Error {
    request.trace.username = traced(username)
    request.trace.login = true
    request.trace.departement = app.authenticator.departementOf(username)
    // the answer's code, said now: a client gone before it is traced with it (loginSettled)
    if (isServerError(err)) request.trace.detail = err.code
    return err as Error
  }
  function keep (request: FastifyRequest, username: string, password: string): void {
    const header = request.headers.authorization
    const socket = request.raw.socket as Socket | null
    const r = header === undefined || socket === null ? undefined : app.authenticator.remember(header, username, password)
    if (r !== undefined && socket !== null) remembered.set(socket, r)
  }
  await app.register(basicAuth, {
    authenticate: { realm: 'phebus-mock' },
    // credentials = auth-scheme 1*SP token68 (RFC 9110 § 11.4): more than one space after « Basic » is still Basic,
    // where the plugin's strict form took exactly one and answered 401 to a right password
    strictCredentials: false,
    // a callback, not a promise: credentials verified lately (most requests) are answered at once
    validate (username: string, password: string, request: FastifyRequest, _reply: FastifyReply, done: (err?: Error) => void) {
      let known: Principal | undefined
      try {
        known = app.authenticator.known(username, password, request.ip)
      } catch (err) {
        done(refuse(request, username, err))
        return
      }
      if (known !== undefined) {
        accept(request, username, known)
        keep(request, username, password)
        done()
        return
      }
      // a password to check: should the client leave meanwhile, its entry waits for the outcome (audit.ts)
      request.trace.username = traced(username)
      request.trace.login = true
      request.trace.loginPending = true
      app.authenticator.authenticate(username, password, request.ip).then((principal) => {
        accept(request, username, principal)
        keep(request, username, password)
        app.loginSettled(request)
        done()
      }, (err: unknown) => {
        const refused = refuse(request, username, err)
        app.loginSettled(request)
        done(refused)
      })
    }
  })
  app.decorate('requireCredentials', function (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply, done: (err?: Error) => void) {
    const r = remembered.get(request.raw.socket)
    if (r !== undefined && r.header === request.headers.authorization) {
      const principal = app.authenticator.recall(r, request.ip)
      if (principal !== undefined) {
        accept(request, r.username, principal)
        done()
        return
      }
      remembered.delete(request.raw.socket)
    }
    app.basicAuth.call(this, request, reply, done)
  })
}, { name: 'phebus-basic-auth' })

function traced (username: string): string {
  return username.length > MAX_USERNAME_LENGTH ? `${username.slice(0, MAX_USERNAME_LENGTH)}…` : username
}
