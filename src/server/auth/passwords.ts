import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto'

/**
 * Passwords as scrypt hashes (RFC 7914), each with its random salt and its
 * cost parameters: "scrypt$N$r$p$salt$hash" (base64), so that a change of
 * parameters leaves the stored hashes verifiable.
 */

export interface ScryptParams {
  N: number
  r: number
  p: number
}

/** Node's defaults: about 50 ms and 16 MiB per hash here. */
export const DEFAULT_SCRYPT: ScryptParams = Object.freeze({ N: 16384, r: 8, p: 1 })
const KEY_LENGTH = 32

/**
 * The cost for a password printed for all to read: the demo accounts'
 * (demo-77…), in the banner, the README and the docs. A costly hash
 * protects nothing there and took a hundred-odd milliseconds of start-up per
 * département (seconds for the 101 of the national scenario); a password
 * anyone chooses or changes gets the full cost.
 */
export function publicPasswordParams (params: ScryptParams): ScryptParams {
  return { ...params, N: Math.min(params.N, 1024) }
}

/**
 * A password as it is hashed and checked: in Unicode's composed form (NFC),
 * as RFC 7617 asks of a server that says charset="UTF-8" (RFC 8265's
 * OpaqueString): « é » typed as one character or as « e » and its accent
 * (macOS's file names, some keyboards and clients) is the same password.
 */
function prepared (password: string): string {
  return password.normalize('NFC')
}

function derive (password: string, salt: Buffer, params: ScryptParams, keyLength: number): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) => {
    scrypt(prepared(password), salt, keyLength, options, (err, key) => { if (err) reject(err); else resolve(key) })
  })
}

export async function hashPassword (password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = randomBytes(16)
  const key = await derive(password, salt, params, KEY_LENGTH)
  return `scrypt$${params.N}$${params.r}$${params.p}$${salt.toString('base64')}$${key.toString('base64')}`
}

/** True when the password gives the stored hash; false for a wrong password or a hash it cannot read. */
export async function verifyPassword (password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$')
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])]
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0)) return false
  const salt = Buffer.from(parts[4] as string, 'base64')
  const expected = Buffer.from(parts[5] as string, 'base64')
  const key = await derive(password, salt, { N, r, p }, expected.length)
  return timingSafeEqual(key, expected)
}

/**
 * A password for a new account: 18 random bytes, base64url (24 characters),
 * never beginning with a hyphen: given as `--password VALUE` to the command
 * line (qualify, the CI examples), such a value reads as an option. Drawn
 * again rather than changed, so that every password allowed stays as likely.
 */
export function randomPassword (): string {
  for (;;) {
    const password = randomBytes(18).toString('base64url')
    if (!password.startsWith('-')) return password
  }
}

/** The shortest password a person may choose (the admin's rule too: ADMIN_PASSWORD_MIN); the login form takes 1024 characters at most. */
export const MIN_PASSWORD_LENGTH = 12
export const MAX_PASSWORD_LENGTH = 1024

/** What is wrong with a chosen password, in French, without repeating it; null when it will do. */
export function passwordProblem (password: string): string | null {
  const length = [...prepared(password)].length
  if (length < MIN_PASSWORD_LENGTH) return `Mot de passe trop court : ${MIN_PASSWORD_LENGTH} caractères au moins, il en a ${length}.`
  if (length > MAX_PASSWORD_LENGTH) return `Mot de passe trop long : ${MAX_PASSWORD_LENGTH} caractères au plus, il en a ${length}.`
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(password)) return 'Mot de passe refusé : il contient un caractère de contrôle (retour à la ligne, tabulation…), qu\'un formulaire ou un client HTTP ne transmet pas tel quel.'
  return null
}
