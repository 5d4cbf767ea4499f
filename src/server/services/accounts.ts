import type { FastifyInstance } from 'fastify'
import type { Account, AccountRepository } from '../../storage/accounts.js'
import type { StoredFile } from '../../storage/files.js'
import type { Storage } from '../../storage/storage.js'
import type { Scenario } from '../../scenarios/model.js'
import { ServerError, isServerError, type ServerErrorCode } from '../errors.js'
import { checkDepositable } from './deposits.js'
import { hashPassword, passwordProblem, publicPasswordParams, randomPassword, verifyPassword, type ScryptParams } from '../auth/passwords.js'
import { DEPARTEMENT_CODE } from '../../layouts/departements.js'
import { findForbiddenCharacter, forbiddenCharacterWords } from '../../text/controls.js'

/** The login of a département's account. */
export function departementUsername (code: string): string {
  return `dept${code}`
}

/** The demo password of a département of the scenario (demo only, printed at start). */
export function demoPassword (code: string): string {
  return `demo-${code}`
}

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
  /** ends the browser sessions of an account whose password this start changes (the admin's) */
  endSessionsOf: (username: string) => void
}

/**
 * At start: a demo account for each département of the scenario that has no
 * account yet, and the admin with the given password (or a random one): a
 * password other than the last start's ends the admin's sessions.
 */
export async function provisionAccounts (accounts: AccountRepository, scenario: Scenario, options: ProvisionOptions): Promise<ProvisionedAccounts> {
  const demo: ProvisionedAccounts['demo'] = []
  // the hashes are computed together (scrypt runs on libuv's threads), then the rows written in one turn
  const hashing: Promise<() => void>[] = []
  if (options.demoAccounts) {
    for (const d of scenario.departements) {
      const existing = accounts.findByDepartement(d.code)
      if (existing !== null && !existing.demo) continue
      const username = departementUsername(d.code)
      const password = demoPassword(d.code)
      if (existing === null) {
        hashing.push(hashPassword(password, publicPasswordParams(options.scrypt)).then((passwordHash) => () => {
          accounts.insert({ username, role: 'departement', departement: d.code, name: d.name, passwordHash, demo: true, createdAt: options.now })
        }))
      }
      demo.push({ username, password, departement: d.code })
    }
  }
  const generated = options.adminPassword === null
  const password = options.adminPassword ?? randomPassword()
  const admin = accounts.find('admin')
  if (admin === null) {
    hashing.push(hashPassword(password, options.scrypt).then((passwordHash) => () => {
      accounts.insert({ username: 'admin', role: 'admin', departement: null, name: 'Administration', passwordHash, demo: false, createdAt: options.now })
    }))
  } else if (generated || !(await verifyPassword(password, admin.passwordHash))) {
    accounts.setPasswordHash('admin', await hashPassword(password, options.scrypt))
    // as for a département's new password: the old one opens nothing, the console's sessions it opened included
    options.endSessionsOf('admin')
  }
  for (const write of await Promise.all(hashing)) write()
  return { demo, admin: { username: 'admin', password, generated } }
}

/** The longest name of a département (the API's schema says the same). */
export const MAX_DEPARTEMENT_NAME = 100

/**
 * The codes a département can be created with, as the console's hint and the
 * refusal of a code say them: a code of DEPARTEMENT_CODE (20 is none: 2A and
 * 2B) that the generator has communes for (not 975, depositProblem).
 */
export const NEW_DEPARTEMENT_CODES = '01 à 95 sauf 20, 2A, 2B, 971 à 974 ou 976'

/** What is wrong with a new département: the field, the error the API answers, the French words. */
export interface DepartementProblem {
  field: 'code' | 'name' | 'password'
  code: ServerErrorCode
  message: string
}

/**
 * Every problem of a new département at once (the console's form shows
 * each at its field), in the order the API refuses them: its code
 * (a French département's, one the generator has communes for), its name
 * (its length, no control or bidirectional formatting character),
 * the chosen password's rules, then a code that already has an account.
 */
export function newDepartementProblems (accounts: AccountRepository, input: NewDepartement): DepartementProblem[] {
  const out: DepartementProblem[] = []
  const code = input.code.toUpperCase()
  const valid = DEPARTEMENT_CODE.test(code)
  if (!valid) out.push({ field: 'code', code: 'PHEBUS_HTTP_BAD_REQUEST', message: `Code de département invalide : « ${input.code} » (${NEW_DEPARTEMENT_CODES}).` })
  const undepositable = valid ? depositProblem(code) : null
  if (undepositable !== null) out.push({ field: 'code', code: 'PHEBUS_HTTP_BAD_REQUEST', message: undepositable })
  const depositable = valid && undepositable === null
  const name = [...input.name].length
  if (name < 1 || name > MAX_DEPARTEMENT_NAME) out.push({ field: 'name', code: 'PHEBUS_HTTP_BAD_REQUEST', message: name < 1 ? 'Nom du département absent : saisissez-le (100 caractères au plus).' : `Nom du département trop long : ${MAX_DEPARTEMENT_NAME} caractères au plus, il en a ${name}.` })
  // a line break or a bidirectional override would break the room, a list, the trail's lines where the name is shown (the scenario's names follow the same rule)
  const forbidden = findForbiddenCharacter(input.name)
  if (forbidden !== null) out.push({ field: 'name', code: 'PHEBUS_HTTP_BAD_REQUEST', message: `Nom du département refusé : ${forbiddenCharacterWords(forbidden)} ; un nom ne prend que des caractères affichables, sans caractère de contrôle ni de mise en forme bidirectionnelle.` })
  const password = input.password === undefined ? null : passwordProblem(input.password)
  if (password !== null) out.push({ field: 'password', code: 'PHEBUS_ADMIN_PASSWORD_INVALID', message: password })
  if (depositable && taken(accounts, code)) out.push({ field: 'code', code: 'PHEBUS_ADMIN_DEPARTEMENT_EXISTS', message: `Le département ${code} a déjà un compte.` })
  return out
}

/** Why the server could not deposit for `code` (no commune in the generator's geography), or null. */
function depositProblem (code: string): string | null {
  try {
    checkDepositable(code)
    return null
  } catch (err) {
    if (isServerError(err)) return err.message
    throw err
  }
}

function taken (accounts: AccountRepository, code: string): boolean {
  return accounts.findByDepartement(code) !== null || accounts.find(departementUsername(code)) !== null
}

export interface NewDepartement {
  code: string
  name: string
  /** absent: drawn */
  password?: string | undefined
}

/**
 * A new département's account, with the password the admin chose or a
 * random one; stored only as a hash. The password is returned when it was
 * drawn (to be shown once), null when it was chosen. Refused (the first of
 * newDepartementProblems) when anything is wrong.
 */
export async function createDepartement (accounts: AccountRepository, input: NewDepartement, scrypt: ScryptParams, now: number): Promise<{ account: Account, password: string | null }> {
  const problem = newDepartementProblems(accounts, input)[0]
  if (problem !== undefined) throw new ServerError(problem.code, problem.message, { field: problem.field })
  const code = input.code.toUpperCase()
  const password = input.password ?? randomPassword()
  const passwordHash = await hashPassword(password, scrypt)
  // checked again after the await, then inserted in the same turn: two requests for one code cannot both pass
  if (taken(accounts, code)) throw new ServerError('PHEBUS_ADMIN_DEPARTEMENT_EXISTS', `Le département ${code} a déjà un compte.`, { field: 'code' })
  const account: Account = { username: departementUsername(code), role: 'departement', departement: code, name: input.name, passwordHash, demo: false, createdAt: now }
  accounts.insert(account)
  return { account, password: input.password === undefined ? password : null }
}

export interface OpenedDepartement {
  account: Account
  /** drawn: shown once; null when chosen */
  password: string | null
  /** its PECGM deposited at once (its due stock, its flux if the scenario makes one) */
  deposited: StoredFile[]
  /** the deposits failed: the account stands, the next maintenance run retries */
  depositsFailed: boolean
  /** what the trail says of it (never the password) */
  detail: string
}

/**
 * Creates a département (the admin API and the console): its account, then
 * its due stock at once, as a start makes the scenario's. The account
 * stands even when the deposits fail (its password is shown only now).
 */
export async function openDepartement (app: FastifyInstance, input: NewDepartement): Promise<OpenedDepartement> {
  const { account, password } = await createDepartement(app.storage.accounts, input, app.config.auth.scrypt, app.config.now())
  const detail = `compte ${account.username} créé, mot de passe ${password === null ? 'choisi' : 'tiré au hasard'}`
  try {
    const { deposited } = await app.maintenance.runNow(false)
    return { account, password, deposited: deposited.filter((f) => f.departement === account.departement), depositsFailed: false, detail }
  } catch (err) {
    app.log.error({ err }, `dépôts du département ${account.departement ?? ''} créé : impossibles pour l'instant`)
    return { account, password, deposited: [], depositsFailed: true, detail }
  }
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

export interface RenewedPassword {
  account: Account
  /** drawn: shown once; null when chosen */
  password: string | null
  sessionsClosed: number
  /** what the trail says of it (never the password) */
  detail: string
}

/**
 * A département's new password (the admin API and the console), and at
 * once, in this turn, the old one forgotten: the authenticator's cache,
 * the browser sessions, the demo accounts shown on the login page. Null
 * when the département has no account.
 */
export async function renewPassword (app: FastifyInstance, departement: string, chosen: string | undefined): Promise<RenewedPassword | null> {
  const changed = await resetPassword(app.storage.accounts, departement, chosen, app.config.auth.scrypt)
  if (changed === null) return null
  const { account, password } = changed
  app.authenticator.forget(account.username)
  const sessionsClosed = app.sessions.endAllOf(account.username)
  const demo = app.provisioned.demo.findIndex((d) => d.username === account.username)
  if (demo >= 0) app.provisioned.demo.splice(demo, 1)
  const detail = `mot de passe de ${account.username} changé (${password === null ? 'choisi' : 'tiré au hasard'}), ${sessionsClosed} session(s) fermée(s)`
  return { account, password, sessionsClosed, detail }
}

function checkChosen (password: string | undefined): void {
  const problem = password === undefined ? null : passwordProblem(password)
  if (problem !== null) throw new ServerError('PHEBUS_ADMIN_PASSWORD_INVALID', problem, { field: 'password' })
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

/** Every département with an account, by code, with its number of files. */
export function listDepartements (storage: Storage): DepartementView[] {
  return storage.accounts.departements().map((a) => departementView(a, storage.files.count(a.departement ?? '')))
}

/** A département's account as the admin sees it; null when it has none. */
export function departementAccount (storage: Storage, code: string): DepartementView | null {
  const a = DEPARTEMENT_CODE.test(code) ? storage.accounts.findByDepartement(code) : null
  return a === null ? null : departementView(a, storage.files.count(code))
}
