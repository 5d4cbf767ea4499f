import type { Account, AccountRepository } from '../../storage/accounts.js'
import type { Scenario } from '../../scenarios/model.js'
import { ServerError } from '../errors.js'
import { hashPassword, passwordProblem, randomPassword, verifyPassword, type ScryptParams } from '../auth/passwords.js'

/** The login of a département's account. */
export function departementUsername (code: string): string {
  return `dept${code}`
}

/** The demo password of a département of the scenario (demo only, printed at start). */
export function demoPassword (code: string): string {
  return `demo-${code}`
}

/** French département codes: 01–95 (no 20), 2A, 2B, 971–976. */
export const DEPARTEMENT_CODE = /^(0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-6])$/

export interface ProvisionedAccounts {
  /** the demo accounts of the scenario's départements (existing or new) */
  demo: { username: string, password: string, departement: string }[]
  admin: { username: string, password: string, generated: boolean }
}

export interface ProvisionOptions {
  demoAccounts: boolean
  adminPassword: string | null
  scrypt: ScryptParams
  now: number
}

/**
 * At start: a demo account for each département of the scenario that has no
 * account yet, and the admin with the given password (or a random one).
 */
export async function provisionAccounts (accounts: AccountRepository, scenario: Scenario, options: ProvisionOptions): Promise<ProvisionedAccounts> {
  const demo: ProvisionedAccounts['demo'] = []
  if (options.demoAccounts) {
    for (const d of scenario.departements) {
      const existing = accounts.findByDepartement(d.code)
      if (existing !== null && !existing.demo) continue
      const username = departementUsername(d.code)
      const password = demoPassword(d.code)
      if (existing === null) {
        accounts.insert({ username, role: 'departement', departement: d.code, name: d.name, passwordHash: await hashPassword(password, options.scrypt), demo: true, createdAt: options.now })
      }
      demo.push({ username, password, departement: d.code })
    }
  }
  const generated = options.adminPassword === null
  const password = options.adminPassword ?? randomPassword()
  const admin = accounts.find('admin')
  if (admin === null) {
    accounts.insert({ username: 'admin', role: 'admin', departement: null, name: 'Administration', passwordHash: await hashPassword(password, options.scrypt), demo: false, createdAt: options.now })
  } else if (generated || !(await verifyPassword(password, admin.passwordHash))) {
    accounts.setPasswordHash('admin', await hashPassword(password, options.scrypt))
  }
  return { demo, admin: { username: 'admin', password, generated } }
}

/**
 * A new département's account, with the password the admin chose or a
 * random one; stored only as a hash. The password is returned when it was
 * drawn (to be shown once), null when it was chosen.
 */
export async function createDepartement (accounts: AccountRepository, input: { code: string, name: string, password?: string | undefined }, scrypt: ScryptParams, now: number): Promise<{ account: Account, password: string | null }> {
  const code = input.code.toUpperCase()
  if (!DEPARTEMENT_CODE.test(code)) throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Code de département invalide : « ${input.code} » (01 à 95, 2A, 2B, 971 à 976).`)
  checkChosen(input.password)
  const username = departementUsername(code)
  const taken = (): boolean => accounts.findByDepartement(code) !== null || accounts.find(username) !== null
  if (taken()) throw new ServerError('PHEBUS_ADMIN_DEPARTEMENT_EXISTS', `Le département ${code} a déjà un compte.`)
  const password = input.password ?? randomPassword()
  const passwordHash = await hashPassword(password, scrypt)
  // checked again after the await, then inserted in the same turn: two requests for one code cannot both pass
  if (taken()) throw new ServerError('PHEBUS_ADMIN_DEPARTEMENT_EXISTS', `Le département ${code} a déjà un compte.`)
  const account: Account = { username, role: 'departement', departement: code, name: input.name, passwordHash, demo: false, createdAt: now }
  accounts.insert(account)
  return { account, password: input.password === undefined ? password : null }
}

/**
 * A département's new password, chosen by the admin or drawn; its account
 * is no longer a demo one. The caller then forgets the old credentials
 * (cache, sessions). Null when the département has no account.
 */
export async function resetPassword (accounts: AccountRepository, departement: string, chosen: string | undefined, scrypt: ScryptParams): Promise<{ account: Account, password: string | null } | null> {
  const code = departement.toUpperCase()
  if (!DEPARTEMENT_CODE.test(code) || accounts.findByDepartement(code) === null) return null
  checkChosen(chosen)
  const password = chosen ?? randomPassword()
  const passwordHash = await hashPassword(password, scrypt)
  const account = accounts.findByDepartement(code)
  if (account === null) return null
  accounts.replacePassword(account.username, passwordHash)
  return { account: { ...account, passwordHash, demo: false }, password: chosen === undefined ? password : null }
}

function checkChosen (password: string | undefined): void {
  const problem = password === undefined ? null : passwordProblem(password)
  if (problem !== null) throw new ServerError('PHEBUS_ADMIN_PASSWORD_INVALID', problem)
}

/** The départements' accounts as the admin API shows them. */
export interface DepartementView {
  code: string
  name: string
  username: string
  demo: boolean
  createdAt: string
  files: number
}

export function departementView (a: Account, files: number): DepartementView {
  return { code: a.departement ?? '', name: a.name, username: a.username, demo: a.demo, createdAt: new Date(a.createdAt).toISOString(), files }
}
