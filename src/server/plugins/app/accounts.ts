import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Authenticator } from '../../auth/authenticator.js'
import { hashPassword, randomPassword } from '../../auth/passwords.js'
import { provisionAccounts } from '../../services/accounts.js'

/**
 * The accounts: the scenario's demo départements and the admin, made at
 * start; the authenticator that checks credentials (cache, lock-out
 * rebuilt from the trail).
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
  const authenticator = new Authenticator(app.storage.accounts, {
    ...auth,
    now,
    decoyHash: await hashPassword(randomPassword(), auth.scrypt)
  })
  // a restart is no way round a lock: the recent logins are replayed from the trail
  authenticator.replay(app.storage.audit.loginsSince(now() - auth.failureWindowMs - auth.lockMs))
  app.decorate('authenticator', authenticator)
}, { name: 'phebus-accounts', dependencies: ['phebus-storage', 'phebus-scenario'] })
