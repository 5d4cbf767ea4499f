import { PhebusError } from '../errors.js'

/**
 * Decision D8: the characters French text uses that have no place in a PECGM
 * record are replaced, never mangled. « and » are ISO-8859-1 but are written
 * as plain quotes, as the convention asks for text "without special
 * characters"; the spaces that typography puts around them go with them.
 */
export const TRANSLITERATIONS: ReadonlyMap<string, string> = new Map([
  ['œ', 'oe'],
  ['Œ', 'OE'],
  ['Ÿ', 'Y'],
  ['€', 'EUR'],
  ['’', '\''],
  ['‘', '\''],
  ['‛', '\''],
  ['‚', ','],
  ['“', '"'],
  ['”', '"'],
  ['„', '"'],
  ['«', '"'],
  ['»', '"'],
  ['…', '...'],
  ['‐', '-'],
  ['‑', '-'],
  ['‒', '-'],
  ['–', '-'],
  ['—', '-'],
  ['\u00A0', ' '], // no-break space
  ['\u202F', ' '], // narrow no-break space
  ['\u2009', ' '], // thin space
  ['\u2007', ' '] // figure space
])

const TRANSLITERATION_PATTERN = new RegExp(`[${[...TRANSLITERATIONS.keys()].join('')}]`, 'gu')

/** A string known to hold printable ISO-8859-1 only: the one kind of text that may be encoded. */
export type Latin1Text = string & { readonly __latin1: unique symbol }

/** Printable ISO-8859-1: 0x20–0x7E and 0xA0–0xFF. C0, DEL and C1 controls are never text. */
export function isPrintableLatin1Code (code: number): boolean {
  return (code >= 0x20 && code <= 0x7E) || (code >= 0xA0 && code <= 0xFF)
}

export interface NotLatin1 {
  ok: false
  /** index in the prepared (normalised, transliterated) string */
  index: number
  char: string
  codePoint: number
}

/** The characters upperLatin1() writes its own way. */
const SPECIAL_UPPER = /[ÿµß]/

/** Upper case that stays inside ISO-8859-1 and keeps one character per character where it can. */
export function upperLatin1 (s: string): string {
  // String#toUpperCase is the same character by character (no context changes an upper case), so only
  // the three that would leave ISO-8859-1 or change length need the loop: most names have none of them
  if (!SPECIAL_UPPER.test(s)) return s.toUpperCase()
  let out = ''
  for (const ch of s) {
    if (ch === 'ÿ') out += 'Y'
    else if (ch === 'µ') out += ch
    else if (ch === 'ß') out += 'SS'
    else out += ch.toUpperCase()
  }
  return out
}

/** NFC, then transliteration, then (optionally) upper case: no check yet. */
export function prepareText (s: string, options: { upper?: boolean } = {}): string {
  let t = s.normalize('NFC')
  t = t.replace(TRANSLITERATION_PATTERN, (c) => TRANSLITERATIONS.get(c) ?? c)
  if (options.upper) t = upperLatin1(t)
  return t
}

/** Where the first character outside printable ISO-8859-1 is, or null. */
export function findNonLatin1 (s: string): NotLatin1 | null {
  for (let i = 0; i < s.length; i++) {
    const code = s.charCodeAt(i)
    if (!isPrintableLatin1Code(code)) {
      const cp = s.codePointAt(i) ?? code
      return { ok: false, index: i, char: String.fromCodePoint(cp), codePoint: cp }
    }
  }
  return null
}

export function describeCodePoint (cp: number): string {
  return `U+${cp.toString(16).toUpperCase().padStart(4, '0')}`
}

/**
 * The whole pipeline before encoding: NFC, transliteration, optional upper
 * case, then a refusal of what is still outside ISO-8859-1. `what` names the
 * value in the message (a field, a scenario path).
 */
export function toLatin1Text (s: string, options: { upper?: boolean, what?: string } = {}): Latin1Text {
  const t = prepareText(s, options)
  const bad = findNonLatin1(t)
  if (bad) {
    const where = options.what ? ` dans ${options.what}` : ''
    throw new PhebusError('PHEBUS_TEXT_NOT_LATIN1',
      `Le caractère « ${bad.char} » (${describeCodePoint(bad.codePoint)}) à la position ${bad.index + 1}${where} n'existe pas en ISO-8859-1 et n'a pas d'équivalent prévu : valeur « ${s} ».`)
  }
  return t as Latin1Text
}

/** Encodes checked text: one byte per character, exact by construction. */
export function encodeLatin1 (t: Latin1Text): Buffer {
  return Buffer.from(t, 'latin1')
}

/** Writes checked text into `target` at `offset`; returns the bytes written. */
export function writeLatin1 (target: Buffer, offset: number, t: Latin1Text): number {
  return target.write(t, offset, t.length, 'latin1')
}

/** Buffer's own decoder, without toString's argument checks; it takes a plain Uint8Array too. */
const nativeLatin1Slice = (Buffer.prototype as unknown as { latin1Slice?: (this: Uint8Array, start: number, end: number) => string }).latin1Slice

/** b[start, end) as a string, a character a byte, for a range inside b: the decoder of the hot paths (the validator's, the qualification's tally). */
export function latin1Slice (b: Uint8Array, start: number, end: number): string {
  return nativeLatin1Slice !== undefined ? nativeLatin1Slice.call(b, start, end) : Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('latin1', start, end)
}

/** Exact decoding: every byte is the code point of the same value. */
export function decodeLatin1 (b: Buffer, start = 0, end = b.length): string {
  return b.toString('latin1', start, end)
}
