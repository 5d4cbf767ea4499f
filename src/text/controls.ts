import { describeCodePoint } from './latin1.js'

/**
 * Characters that are no text of a name (a département's): the C0 and C1
 * controls and DEL, which break a line, a table or a list where the name is
 * shown, and the bidirectional formatting characters, which reorder what
 * follows them on screen (Unicode's UAX #9; CVE-2021-42574, « Trojan
 * Source »). What each is called, for the message.
 */
const BIDI: Readonly<Record<number, string>> = {
  0x200E: 'marque gauche-à-droite',
  0x200F: 'marque droite-à-gauche',
  0x202A: 'enchâssement gauche-à-droite',
  0x202B: 'enchâssement droite-à-gauche',
  0x202C: 'fin d\'enchâssement ou de forçage',
  0x202D: 'forçage gauche-à-droite',
  0x202E: 'forçage droite-à-gauche',
  0x2066: 'isolat gauche-à-droite',
  0x2067: 'isolat droite-à-gauche',
  0x2068: 'isolat de direction détectée',
  0x2069: 'fin d\'isolat'
}

const CONTROL: Readonly<Record<number, string>> = { 0x00: 'caractère nul', 0x09: 'tabulation', 0x0A: 'saut de ligne', 0x0D: 'retour chariot', 0x7F: 'suppression' }

/** A character a name may not hold: where (1 for the first character), which, and whether it is a bidirectional one. */
export interface ForbiddenCharacter {
  position: number
  codePoint: number
  bidi: boolean
}

function isControl (cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)
}

/**
 * The same controls (C0, DEL, C1) as a global pattern, for String#replace:
 * what a message shows in their place when it quotes what a client or a
 * file sent (a line feed or a NUL written raw would break its line).
 */
// eslint-disable-next-line no-control-regex
export const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/g

/**
 * `text` for a terminal: each control (C0, DEL, C1) but tab and line feed
 * shown as « ? ». A file name the user gave (or a directory listing did)
 * echoed raw could carry an escape sequence that recolours or rewrites the
 * terminal, or a carriage return that writes over the line.
 */
export function forTerminal (text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?')
}

/** The first control (C0, DEL, C1) or bidirectional formatting character of `text`, or null. Positions count characters (code points), as a name's length does. */
export function findForbiddenCharacter (text: string): ForbiddenCharacter | null {
  let position = 0
  for (const c of text) {
    position++
    const cp = c.codePointAt(0) ?? 0
    if (isControl(cp)) return { position, codePoint: cp, bidi: false }
    if (BIDI[cp] !== undefined) return { position, codePoint: cp, bidi: true }
  }
  return null
}

/** « caractère de contrôle U+000A (saut de ligne) en position 4 », « caractère de mise en forme bidirectionnelle U+202E (forçage droite-à-gauche) en position 9 ». */
export function forbiddenCharacterWords (f: ForbiddenCharacter): string {
  const name = f.bidi ? BIDI[f.codePoint] : CONTROL[f.codePoint]
  return `${f.bidi ? 'caractère de mise en forme bidirectionnelle' : 'caractère de contrôle'} ${describeCodePoint(f.codePoint)}${name === undefined ? '' : ` (${name})`} en position ${f.position}`
}
