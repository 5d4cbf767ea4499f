import { createRequire } from 'node:module'
import type { decode } from 'iconv-lite'
import { findNonLatin1, prepareText } from '../text/latin1.js'

/**
 * Bytes 0x80–0x9F are C1 control codes in ISO-8859-1, never text; in
 * Windows-1252, what a Windows program writes, they are ’ “ € œ … and the
 * like. For each, the character Windows-1252 gives it (decoded by iconv-lite)
 * and what to write instead in ISO-8859-1: decision D8's transliteration
 * (src/text/latin1.ts), else the character's compatibility decomposition
 * without its accents (Š → S, ™ → TM), else a look-alike below. 0x81, 0x8D,
 * 0x8F, 0x90 and 0x9D are undefined in Windows-1252 too.
 */

/** The character Windows-1252 gives a byte and the printable ISO-8859-1 to write instead; char null where the byte is undefined. */
export type Windows1252Byte = { char: string, replacement: string } | { char: null }

/** The signs D8 has no transliteration for and Unicode no decomposition: their plainest ISO-8859-1 look-alike. */
const LOOK_ALIKES: ReadonlyMap<string, string> = new Map([
  ['ƒ', 'f'],
  ['†', '+'],
  ['‡', '+'],
  ['ˆ', '^'],
  ['‰', 'pour mille'],
  ['‹', '\''],
  ['›', '\''],
  ['•', '-'],
  ['˜', '~']
])

function isLatin1Text (s: string): boolean {
  return s.trim() !== '' && findNonLatin1(s) === null
}

/** What to write in ISO-8859-1 for a character that is not there, or null when nothing fits. */
function latin1Replacement (ch: string): string | null {
  const transliterated = prepareText(ch)
  if (isLatin1Text(transliterated)) return transliterated
  const decomposed = ch.normalize('NFKD').replace(/\p{M}/gu, '')
  if (isLatin1Text(decomposed)) return decomposed
  return LOOK_ALIKES.get(ch) ?? null
}

function describe (iconv: { decode: typeof decode }, byte: number): Windows1252Byte {
  const char = iconv.decode(Buffer.from([byte]), 'win1252')
  if (char === '\uFFFD') return { char: null }
  const replacement = latin1Replacement(char)
  if (replacement === null) throw new Error(`no ISO-8859-1 replacement for « ${char} » (0x${byte.toString(16)}): add one to LOOK_ALIKES`)
  return { char, replacement }
}

/** Filled on the first such byte met: iconv-lite is loaded then, not when the validator starts. */
let bytes: readonly Windows1252Byte[] | null = null

/** What Windows-1252 makes of a byte of 0x80–0x9F. */
export function windows1252Byte (byte: number): Windows1252Byte {
  if (bytes === null) {
    const iconv = createRequire(import.meta.url)('iconv-lite') as { decode: typeof decode }
    bytes = Array.from({ length: 0x20 }, (_, i) => describe(iconv, 0x80 + i))
  }
  const b = bytes[byte - 0x80]
  if (b === undefined) throw new RangeError(`0x${byte.toString(16)} is not a byte of 0x80–0x9F`)
  return b
}

/** A byte as findings write it: two upper-case hexadecimal digits. */
export function hex (b: number): string {
  return b.toString(16).toUpperCase().padStart(2, '0')
}

/** The finding of a byte of 0x80–0x9F, for a CGPEM and a PECGM alike: what it says, the value seen, and what to write instead when Windows-1252 has a character for it. */
export function windows1252Finding (b: number): { message: string, value: string, expected?: string } {
  const w = windows1252Byte(b)
  if (w.char === null) {
    return { message: `Octet 0x${hex(b)} : un code de contrôle en ISO-8859-1, non défini en Windows-1252 ; le fichier n'est ni en ISO-8859-1 ni en Windows-1252 (décision D8).`, value: `0x${hex(b)}` }
  }
  return { message: `Octet 0x${hex(b)} : « ${w.char} » en Windows-1252, un code de contrôle en ISO-8859-1 ; le fichier semble encodé en Windows-1252 (décision D8). Écrire « ${w.replacement} » en ISO-8859-1.`, value: w.char, expected: w.replacement }
}
