/**
 * Contact details that can reach nobody.
 *
 * Phone numbers: the blocks the ARCEP keeps out of assignment for use in
 * audiovisual fiction, 10,000 numbers each (a fixed 6-digit prefix and four
 * free digits). See docs/donnees-de-reference.md for what was checked.
 *
 * E-mail domains: those RFC 2606 reserves for documentation and examples.
 */

export interface PhoneRange {
  /** the six fixed digits, e.g. '019900' */
  readonly prefix: string
  /** how many free digits follow (10 digits in all) */
  readonly freeDigits: number
  /** the zone of the French numbering plan: 01–05 geographic, 06 mobile */
  readonly zone: string
  /** the block as it is usually written */
  readonly display: string
}

export const FICTION_PHONE_RANGES: readonly PhoneRange[] = Object.freeze([
  { prefix: '019900', freeDigits: 4, zone: 'Île-de-France (01)', display: '01 99 00 xx xx' },
  { prefix: '026191', freeDigits: 4, zone: 'Nord-Ouest (02)', display: '02 61 91 xx xx' },
  { prefix: '035301', freeDigits: 4, zone: 'Nord-Est (03)', display: '03 53 01 xx xx' },
  { prefix: '046571', freeDigits: 4, zone: 'Sud-Est (04)', display: '04 65 71 xx xx' },
  { prefix: '053649', freeDigits: 4, zone: 'Sud-Ouest (05)', display: '05 36 49 xx xx' },
  { prefix: '063998', freeDigits: 4, zone: 'mobile (06)', display: '06 39 98 xx xx' }
])

/** RFC 2606, section 3: reserved second-level domains for examples. */
export const EXAMPLE_EMAIL_DOMAINS: readonly string[] = Object.freeze(['example.org', 'example.com', 'example.net'])
