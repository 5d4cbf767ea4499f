import t from 'tap'
import { findForbiddenCharacter, forbiddenCharacterWords, forTerminal } from '../../src/text/controls.js'

t.test('finds the first control or bidirectional formatting character of a name, at its position in characters', async (t) => {
  const table: { name: string, input: string, expect: { position: number, codePoint: number, bidi: boolean } | null }[] = [
    { name: 'a plain name', input: 'Seine-et-Marne', expect: null },
    { name: 'accents, right-to-left letters, emoji', input: 'Île-de-France عربي 🇫🇷', expect: null },
    { name: 'NUL (C0)', input: 'a\u0000', expect: { position: 2, codePoint: 0, bidi: false } },
    { name: 'U+001F, the last of C0', input: '\u001f', expect: { position: 1, codePoint: 0x1f, bidi: false } },
    { name: 'DEL', input: 'ab\u007f', expect: { position: 3, codePoint: 0x7f, bidi: false } },
    { name: 'C1', input: 'a\u009f', expect: { position: 2, codePoint: 0x9f, bidi: false } },
    { name: 'a no-break space is text', input: 'a\u00a0b', expect: null },
    { name: 'after a character outside the BMP (one position, two UTF-16 units)', input: '𝒴\u200e', expect: { position: 2, codePoint: 0x200e, bidi: true } },
    ...[0x200f, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e, 0x2066, 0x2067, 0x2068, 0x2069].map((cp) => ({ name: `U+${cp.toString(16)}`, input: `x${String.fromCodePoint(cp)}`, expect: { position: 2, codePoint: cp, bidi: true } })),
    { name: 'a zero-width joiner is no bidirectional control', input: 'a\u200db', expect: null }
  ]
  for (const row of table) t.same(findForbiddenCharacter(row.input), row.expect, row.name)
})

t.test('names the character, its code point and its position', async (t) => {
  t.equal(forbiddenCharacterWords({ position: 4, codePoint: 0x0a, bidi: false }), 'caractère de contrôle U+000A (saut de ligne) en position 4')
  t.equal(forbiddenCharacterWords({ position: 9, codePoint: 0x202e, bidi: true }), 'caractère de mise en forme bidirectionnelle U+202E (forçage droite-à-gauche) en position 9')
  t.equal(forbiddenCharacterWords({ position: 2, codePoint: 0x85, bidi: false }), 'caractère de contrôle U+0085 en position 2')
})

t.test('for a terminal, every control but tab and line feed is shown as « ? »: an escape sequence or a carriage return in a name drives nothing', async (t) => {
  t.equal(forTerminal('a\u001b[31mROUGE.xml'), 'a?[31mROUGE.xml')
  t.equal(forTerminal('fichier\rautre'), 'fichier?autre')
  t.equal(forTerminal('\u0000\u0007\u007f\u0085\u009b'), '?????')
  t.equal(forTerminal('ligne 1\n\tligne 2'), 'ligne 1\n\tligne 2', 'tab and line feed kept: a message may have several lines')
  t.equal(forTerminal('Île-de-France\u00a0é €'), 'Île-de-France\u00a0é €', 'text untouched')
})
