import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Authenticator } from '../../auth/authenticator.js'
import { hashPassword, randomPassword } from '../../auth/passwords.js'
import { provisionAccounts } from '../../services/accounts.js'

const MINUTE = 60_000

/**
 * The accounts: the scenario's demo départements and the admin, made at
 * start; the authenticator that checks credentials (cache, lock-out with
 * the scenario's thresholds, rebuilt from the trail).
 */
export default fp(async function accountsPlugin (app: FastifyInstance) {
  const { auth, now } = app.config
  const provisioned = await provisionAccounts(app.storage.accounts, app.scenario, {
    demoAccounts: app.config.demoAccounts,
    adminPassword: app.config.adminPassword,
    scrypt: auth.scrypt,
    now: now()
  })
  app.decorate('provisioned', provisioned)
  const { lockout } = app.scenario
  const failureWindowMs = lockout.windowMinutes * MINUTE
  const lockMs = lockout.lockMinutes * MINUTE
  // security timers run on the wall clock (app.config.now), never on the exchange's (app.clock)
  const authenticator = new Authenticator(app.storage.accounts, {
    ...auth,
    maxFailures: lockout.failures,
    failureWindowMs,
    lockMs,
    maxAddressFailures: lockout.addressFailures ?? auth.maxAddressFailures,
    now,
    decoyHash: await hashPassword(randomPassword(), auth.scrypt)
  })
  // a restart is no way round a lock: the recent logins, and the admin's lifts, are replayed from the trail
  authenticator.replay(app.storage.audit.loginsSince(now() - failureWindowMs - lockMs))
  app.decorate('authenticator', authenticator)
}, { name: 'phebus-accounts', dependencies: ['phebus-storage', 'phebus-scenario'] })
