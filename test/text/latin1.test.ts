import t from 'tap'
import { encodeLatin1, findNonLatin1, prepareText, toLatin1Text, TRANSLITERATIONS, upperLatin1 } from '../../src/text/latin1.js'

t.test('transliterates each character of decision D8 to its ISO-8859-1 form', async (t) => {
  const table: [string, string][] = [
    ['œuvre', 'oeuvre'], ['Œuvre', 'OEuvre'], ['Ÿ', 'Y'], ['l’été', 'l\'été'], ['‘a’', '\'a\''],
    ['“oui”', '"oui"'], ['« non »', '" non "'], ['attends…', 'attends...'], ['a – b — c', 'a - b - c'],
    ['10 €', '10 EUR'], ['a\u00A0b', 'a b'], ['a\u202Fb', 'a b'], ['Jean‑Pierre', 'Jean-Pierre']
  ]
  for (const [input, expected] of table) {
    const out = toLatin1Text(input)
    t.equal(out, expected, input)
    t.equal(findNonLatin1(out), null, `${input} is ISO-8859-1 after transliteration`)
  }
})

t.test('every transliteration yields printable ISO-8859-1', async (t) => {
  for (const [from, to] of TRANSLITERATIONS) {
    t.equal(findNonLatin1(to), null, `${from} → ${to}`)
  }
})

t.test('normalises to NFC before anything else (a decomposed é is one byte)', async (t) => {
  const decomposed = 'He\u0301le\u0300ne'
  const bytes = encodeLatin1(toLatin1Text(decomposed))
  t.same([...bytes], [0x48, 0xE9, 0x6C, 0xE8, 0x6E, 0x65])
})

t.test('Buffer.from(latin1) mangles silently what the pipeline refuses or transliterates', async (t) => {
  // the trap the pipeline exists for: ’ would be written as 0x19 and Œ as 'R'
  t.equal(Buffer.from('’', 'latin1')[0], 0x19)
  t.equal(Buffer.from('Œ', 'latin1').toString('latin1'), 'R')
  t.same([...encodeLatin1(toLatin1Text('’'))], [0x27])
  t.same([...encodeLatin1(toLatin1Text('Œ'))], [0x4F, 0x45])
})

t.test('refuses a character with no ISO-8859-1 form, naming it and its position', async (t) => {
  const cases = [
    { input: 'Zoë 🙂', index: 4, cp: 0x1F642 },
    { input: 'Ł', index: 0, cp: 0x141 },
    { input: 'tab\there', index: 3, cp: 0x09 },
    { input: 'c1\u0085', index: 2, cp: 0x85 }
  ]
  for (const c of cases) {
    t.throws(() => toLatin1Text(c.input), { code: 'PHEBUS_TEXT_NOT_LATIN1' }, c.input)
    t.match(findNonLatin1(prepareText(c.input)), { index: c.index, codePoint: c.cp }, c.input)
  }
})

t.test('upper case is the same character by character, whether or not the string holds one of ÿ µ ß', async (t) => {
  const byCharacter = (s: string): string => [...s].map((ch) => upperLatin1(ch)).join('')
  const characters = [...Array.from({ length: 0x250 }, (_, c) => String.fromCodePoint(c)), 'ς', 'ǅ', 'ﬁ', 'ŉ', '\u{10428}']
  let differ = 0
  for (const ch of characters) {
    for (const s of [`a${ch}é`, `a${ch}éß`, `${ch}ÿ${ch}`]) if (upperLatin1(s) !== byCharacter(s)) differ++
  }
  t.equal(differ, 0)
  t.equal(upperLatin1('straße µ'), 'STRASSE µ')
  t.equal(upperLatin1('dupont-Léa'), 'DUPONT-LÉA')
})

t.test('upper case stays inside ISO-8859-1', async (t) => {
  t.equal(upperLatin1('éàçÿ'), 'ÉÀÇY')
  t.equal(toLatin1Text('ÿ œ', { upper: true }), 'Y OE')
  t.equal(toLatin1Text('Hélène d’Aÿ', { upper: true }), 'HÉLÈNE D\'AY')
  t.equal(findNonLatin1(toLatin1Text('µß', { upper: true })), null)
  for (let c = 0xA0; c <= 0xFF; c++) {
    const up = toLatin1Text(String.fromCharCode(c), { upper: true })
    t.equal(findNonLatin1(up), null, `U+${c.toString(16)} upper-cased stays ISO-8859-1`)
  }
})
