import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Authenticator } from '../../auth/authenticator.js'
import { hashPassword, randomPassword } from '../../auth/passwords.js'
import { provisionAccounts, type ProvisionedAccounts } from '../../services/accounts.js'

const MINUTE = 60_000

/**
 * The accounts: the scenario's demo départements and the admin, made at
 * start; the authenticator that checks credentials (cache, lock-out with
 * the scenario's thresholds, rebuilt from the trail).
 */
export default fp(async function accountsPlugin (app: FastifyInstance) {
  const { auth, now } = app.config
  // the admin's password is hashed (or checked) on libuv's threads while the other plugins load;
  // the accounts are all written before the server is ready, and a failure still stops its start
  const provisioning = provisionAccounts(app.storage.accounts, app.scenario, {
    demoAccounts: app.config.demoAccounts,
    adminPassword: app.config.adminPassword,
    scrypt: auth.scrypt,
    now: now(),
    endSessionsOf: (username) => { app.storage.sessions.deleteOf(username) }
  })
  const written = provisioning.then(() => {})
  for (const p of [provisioning, written]) p.catch(() => {}) // awaited (and an error thrown) in onReady, and by whoever needs the accounts
  app.decorate('provisioned', null as unknown as ProvisionedAccounts)
  app.decorate('accountsProvisioned', written)
  // the decoy an unknown user's login is checked against: hashed once the accounts are, not in their way
  let decoy: Promise<string> | null = null
  const decoyHash = (): Promise<string> => (decoy ??= hashPassword(randomPassword(), auth.scrypt))
  app.addHook('onReady', async () => {
    app.provisioned = await provisioning
    decoyHash().catch(() => {}) // a hash of random bytes does not fail; if it did, the first unknown user's login would say so
  })
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
    decoyHash
  })
  // a restart is no way round a lock: the recent logins, and the admin's lifts, are replayed from the trail
  authenticator.replay(app.storage.audit.loginsSince(now() - failureWindowMs - lockMs))
  app.decorate('authenticator', authenticator)
}, { name: 'phebus-accounts', dependencies: ['phebus-storage', 'phebus-scenario'] })
