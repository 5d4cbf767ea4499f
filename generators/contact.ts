import type { Rng } from '../src/generate/rng.js'
import { EXAMPLE_EMAIL_DOMAINS, FICTION_PHONE_RANGES } from './data/phones.js'

/**
 * Contact details that reach nobody: phone numbers from the blocks ARCEP
 * keeps for fiction, e-mail addresses at the domains RFC 2606 reserves.
 */

export function fictionPhone (rng: Rng): string {
  const range = rng.pick(FICTION_PHONE_RANGES)
  return range.prefix + String(rng.int(10 ** range.freeDigits)).padStart(range.freeDigits, '0')
}

export function isFictionPhone (phone: string): boolean {
  return FICTION_PHONE_RANGES.some((r) => phone.length === r.prefix.length + r.freeDigits && phone.startsWith(r.prefix) && /^[0-9]+$/.test(phone))
}

/** ASCII for an address: accents removed, œ/æ spelt out, anything else but letters and digits dropped. */
function asciiPart (s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/gi, 'oe').replace(/æ/gi, 'ae').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
}

export function exampleEmail (rng: Rng, firstName: string, lastName: string): string {
  const local = `${asciiPart(firstName)}.${asciiPart(lastName)}`.slice(0, 40).replace(/[.-]+$/, '') || 'contact'
  return `${local}@${rng.pick(EXAMPLE_EMAIL_DOMAINS)}`
}

export function isExampleEmail (email: string): boolean {
  return EXAMPLE_EMAIL_DOMAINS.some((d) => email.endsWith(`@${d}`))
}
