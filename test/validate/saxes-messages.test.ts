import t from 'tap'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { translateSaxesError } from '../../src/validate/saxes-messages.js'
import { findLeaks } from '../messages-english.js'
import { codes, rawOrientation, validate, VALID, xmlDoc } from './helpers.js'

/**
 * The messages of saxes' errors reach the user in French. The messages are
 * read from saxes' own source (every string given to fail()), and from
 * saxes-parser.ts for the ones it adds: a saxes upgrade that brings a new
 * one fails this test instead of showing English.
 */

/** The string literals given to each call of fail( in `source`, placeholders (${…}) made « x », escapes read. */
function failMessages (source: string): string[] {
  const out: string[] = []
  const call = /\bfail\(/g
  for (let m = call.exec(source); m !== null; m = call.exec(source)) {
    let i = m.index + m[0].length
    for (let depth = 1; i < source.length && depth > 0; i++) {
      const c = source[i] as string
      if (c === '(') depth++
      else if (c === ')') depth--
      else if (c === '"' || c === '\'' || c === '`') {
        let text = ''
        let j = i + 1
        while (j < source.length && source[j] !== c) {
          if (source[j] === '\\') {
            const next = source[j + 1] as string
            if (next !== '\n') text += next // a backslash before a line end continues the line
            j += 2
          } else if (c === '`' && source.startsWith('${', j)) {
            for (let braces = 0; j < source.length; j++) {
              if (source[j] === '{') braces++
              else if (source[j] === '}' && --braces === 0) break
            }
            text += 'x'
            j++
          } else {
            text += source[j] as string
            j++
          }
        }
        out.push(text)
        i = j
      }
    }
  }
  return [...new Set(out)].filter((s) => s !== '') // '' is a comparison's, not a message
}

const require = createRequire(import.meta.url)
const SAXES = failMessages(readFileSync(require.resolve('saxes'), 'utf8'))
const OURS = failMessages(readFileSync(new URL('../../src/validate/saxes-parser.ts', import.meta.url), 'utf8'))

t.test('every message saxes and its corrections can give is translated into French', async (t) => {
  // the reading of the source finds them: a few known ones, and 53 in saxes 6.0.0
  for (const known of ['disallowed character.', 'whitespace required.', 'unclosed tag: x', 'expected one of x', 'may not assign a prefix (even "xmlns") to the URI x.', 'version number must match /^1\\.[0-9]+$/.']) {
    t.ok(SAXES.includes(known), `found in saxes' source: ${known}`)
  }
  t.ok(SAXES.length >= 50, `${SAXES.length} messages in saxes' source`)
  t.same(OURS.sort(), ['entity reference without its semicolon.', 'text data outside of root node.'])
  for (const message of [...SAXES, ...OURS]) {
    const french = translateSaxesError(`1:5: ${message}`)
    t.match(french, /^XML mal formé : \S/, `translated: ${message}`)
    t.notOk(french.includes(message.replace(/\.$/, '')), `not saxes' words: ${message}`)
    t.same(findLeaks(french), [], `no English word (test/messages-english.ts): ${french}`)
  }
})

t.test('a message saxes might add one day still reads as French, its words quoted', async (t) => {
  t.equal(translateSaxesError('3:7: some new complaint.'), 'XML mal formé (message de l\'analyseur XML : « some new complaint »)')
  t.ok(findLeaks(translateSaxesError('3:7: some new complaint.')).length > 0, 'which the detector of English flags')
})

t.test('a message says what saxes saw when it can tell: the character, the name, the element', async (t) => {
  t.equal(translateSaxesError('1:42: whitespace required.', { seen: '>' }), 'XML mal formé : la déclaration XML se termine par « ?> », pas par « > »')
  t.match(translateSaxesError('1:20: whitespace required.', { seen: 'e' }), /une valeur est suivie de « e » sans blanc/)
  t.match(translateSaxesError('1:9: disallowed character in tag name', { seen: ' ' }), /« < » suivi d'un espace/)
  t.match(translateSaxesError('1:9: disallowed character in tag name', { seen: '\u0001' }), /« < » suivi du caractère U\+0001/)
  t.match(translateSaxesError('1:9: disallowed character.', { seen: '\u0000' }), /caractère interdit en XML : U\+0000$/)
  t.match(translateSaxesError('4:29: unexpected close tag.', { element: 'NOM_NAISSANCE' }), /ne ferme pas NOM_NAISSANCE/)
  t.match(translateSaxesError('1:61: expected the name undefined.', { name: 'x' }), /pseudo-attribut « x » de trop/)
  t.match(translateSaxesError('1:7: expected one of standalone', { name: 'x\u0001y' }), /pseudo-attribut « x\ufffdy » inattendu/)
  // without the context, the message stays true
  t.match(translateSaxesError('1:9: disallowed character in tag name'), /« < » qui n'ouvre pas de balise/)
})

t.test('broken declarations and markup of a CGPEM are reported in French, at the place saxes stops', async (t) => {
  const DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>'
  const ORIENTATION = rawOrientation(VALID)
  const file = (declaration: string, body = ORIENTATION): Buffer => Buffer.from(`${declaration}\n<CGPEM>\n${body}</CGPEM>\n`, 'latin1')
  const cases: ReadonlyArray<{ name: string, input: Buffer, message: RegExp, line: number, column: number }> = [
    { name: 'a declaration without its ?', input: file('<?xml version="1.0" encoding="ISO-8859-1">'), message: /se termine par « \?> », pas par « > »/, line: 1, column: 42 },
    { name: 'a declaration without its ?, after a space', input: file('<?xml version="1.0" encoding="ISO-8859-1" >'), message: /se termine par « \?> », pas par « > »/, line: 2, column: 1 },
    { name: 'no space between pseudo-attributes', input: file('<?xml version="1.0"encoding="ISO-8859-1"?>'), message: /une valeur est suivie de « e » sans blanc/, line: 1, column: 20 },
    { name: 'a value without quotes', input: file('<?xml version=1.0 encoding="ISO-8859-1"?>'), message: /valeur sans guillemets dans la déclaration XML/, line: 1, column: 15 },
    { name: 'no version', input: file('<?xml encoding="ISO-8859-1"?>'), message: /pseudo-attribut « encoding » inattendu dans la déclaration XML, qui attend ici version/, line: 1, column: 15 },
    { name: 'an unknown pseudo-attribute', input: file('<?xml version="1.0" encoding="ISO-8859-1" foo="bar"?>'), message: /pseudo-attribut « foo » inattendu/, line: 1, column: 46 },
    { name: 'version 2.0', input: file('<?xml version="2.0" encoding="ISO-8859-1"?>'), message: /numéro de version mal écrit/, line: 1, column: 19 },
    { name: 'standalone="oui"', input: file('<?xml version="1.0" encoding="ISO-8859-1" standalone="oui"?>'), message: /standalone vaut « yes » ou « no »/, line: 1, column: 58 },
    { name: 'a processing instruction without a name', input: file(`${DECL}<? ?>`), message: /instruction de traitement sans nom/, line: 1, column: 46 },
    { name: 'an attribute twice', input: Buffer.from(`${DECL}<CGPEM a="1" a="2">${ORIENTATION}</CGPEM>`, 'latin1'), message: /attribut « a » écrit deux fois/, line: 1, column: 62 },
    { name: 'an attribute without a value', input: Buffer.from(`${DECL}<CGPEM a>${ORIENTATION}</CGPEM>`, 'latin1'), message: /attribut sans valeur/, line: 1, column: 52 },
    { name: 'an empty end tag', input: xmlDoc(`${ORIENTATION}</>`), message: /balise fermante sans nom « <\/> »/, line: 19, column: 3 },
    { name: 'a DOCTYPE in the root', input: xmlDoc(`${ORIENTATION}<!DOCTYPE x>`), message: /DOCTYPE mal placé/, line: 19, column: 9 },
    { name: '<! that opens nothing', input: xmlDoc(`${ORIENTATION}<!foo>`), message: /« <! » n'ouvre ni un commentaire/, line: 19, column: 9 },
    { name: 'an empty reference', input: xmlDoc(ORIENTATION.replace('077', '&;')), message: /référence vide « &; »/, line: 8, column: 15 },
    { name: '< before a space in a value', input: xmlDoc(ORIENTATION.replace('077', '0 < 7')), message: /« < » suivi d'un espace, qui ne peut pas commencer un nom de balise ; dans une valeur, « < » s'écrit &lt;/, line: 8, column: 17 },
    { name: 'an end tag that closes another element', input: xmlDoc('  <ORIENTATION>\n    <NOM_NAISSANCE>X</PRENOM>\n  </ORIENTATION>\n'), message: /balise fermante qui ne ferme pas NOM_NAISSANCE/, line: 4, column: 29 }
  ]
  for (const c of cases) {
    const r = validate(c.input)
    t.same(codes(r), ['CGPEM_XML_MALFORMED'], c.name)
    t.match(r.findings[0], { line: c.line, column: c.column, message: c.message }, c.name)
    t.match(r.findings[0]?.message, /^XML mal formé : [^(]/, `${c.name}: in French`)
  }
})

t.test('a byte already reported is not named as the character saxes stopped on', async (t) => {
  // 0x85 is reported as Windows-1252; saxes reads its stand-in, which is not the file's
  const r = validate(xmlDoc(rawOrientation({ ...VALID, CODE_PE: '0<\u00857' })))
  t.same(codes(r), ['CGPEM_WINDOWS_1252', 'CGPEM_XML_MALFORMED'])
  t.notMatch(r.findings[1]?.message, /U\+0081|\u0081/)
  t.match(r.findings[1]?.message, /« < » qui n'ouvre pas de balise/)
})
