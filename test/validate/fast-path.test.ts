import t from 'tap'
import { isDeepStrictEqual } from 'node:util'
import { Rng } from '../../src/generate/rng.js'
import { HOLD_LIMIT } from '../../src/validate/cgpem-tokenizer.js'
import { DECLARATION } from '../../src/validate/cgpem-subset.js'
import { CGPEM_XML_DECLARATION } from '../../src/generate/cgpem-file.js'
import type { ValidationReport } from '../../src/validate/report.js'
import type { ReadPath } from '../../src/validate/xml-reader.js'
import { person, rawOrientation, TODAY, VALID, validateChunked, xmlDoc, xmlFile } from './helpers.js'

/**
 * The fast path of the XML reader (cgpem-tokenizer.ts) against the complete
 * one (saxes throughout): the whole report, findings, positions, values and
 * stats, must be the same for every file and every way of cutting it into
 * chunks. helpers.ts makes the same comparison for every file the other
 * tests validate; here, a table of hand-made files at the edges of the
 * subset, then a seeded differential fuzz.
 */

/** Mutated files the fuzz compares; all of them run in the suite. */
const FUZZ_FILES = 10_000

function report (buf: Buffer, path: ReadPath, chunks: readonly number[]): ValidationReport {
  return validateChunked(buf, chunks, { today: TODAY, path })
}

/** The first difference between the two paths' reports, or null. */
function difference (buf: Buffer, chunks: readonly number[]): string | null {
  const fast = report(buf, 'fast', chunks)
  const complete = report(buf, 'complete', chunks)
  if (isDeepStrictEqual(fast, complete)) return null
  return `chunks ${chunks.join(',')}: fast ${JSON.stringify(fast.findings.slice(0, 3))} / complete ${JSON.stringify(complete.findings.slice(0, 3))}`
}

const ORIENTATION = rawOrientation(VALID)
const CASES: ReadonlyArray<{ name: string, input: Buffer }> = [
  { name: 'one valid orientation', input: xmlFile([VALID]) },
  { name: 'forty orientations', input: xmlFile(Array.from({ length: 40 }, (_, i) => person(i))) },
  // the first checked on its bytes, the second, which has a finding, on its strings: the same hashes
  { name: 'a person twice, once with a finding', input: xmlFile([{ ...VALID, NOM_NAISSANCE: 'Lefèvre  ÉLODIE' }, { ...VALID, NIR: '1850599042123', NOM_NAISSANCE: 'LEFEVRE ELODIE', DATE_DECISION_ORIENTATION: undefined }]) },
  { name: 'a person twice, the second with the finding', input: xmlFile([{ ...person(7), CODE_PE: undefined }, person(7), { ...person(8), NIR: undefined, IDENTIFIANT_PE: undefined }, { ...person(8), NIR: undefined }]) },
  { name: 'escaped values', input: xmlFile([{ ...VALID, ORGANISME_REFERENT: 'A & B <C> "D" \'E\'' }]) },
  { name: 'CR LF line ends', input: Buffer.from(xmlFile([VALID, person(1)]).toString('latin1').replace(/\n/g, '\r\n'), 'latin1') },
  { name: 'CR line ends', input: Buffer.from(xmlFile([VALID]).toString('latin1').replace(/\n/g, '\r'), 'latin1') },
  { name: 'a byte-order mark', input: Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), xmlFile([VALID])]) },
  { name: 'white space before the declaration', input: Buffer.concat([Buffer.from('  \n'), xmlFile([VALID])]) },
  { name: 'no declaration', input: Buffer.from(`<CGPEM>${ORIENTATION}</CGPEM>`, 'latin1') },
  { name: 'another encoding', input: xmlDoc(ORIENTATION, '<?xml version="1.0" encoding="UTF-8"?>') },
  { name: 'XML 1.1', input: xmlDoc(`<ORIENTATION><NOM_NAISSANCE>A\u0085B</NOM_NAISSANCE></ORIENTATION>${ORIENTATION}`, '<?xml version="1.1" encoding="ISO-8859-1"?>') },
  { name: 'a DOCTYPE', input: Buffer.from(`${CGPEM_XML_DECLARATION}\n<!DOCTYPE CGPEM [<!ENTITY x "y">]>\n<CGPEM>${ORIENTATION}</CGPEM>`, 'latin1') },
  { name: 'a comment between orientations', input: xmlDoc(`${ORIENTATION}<!-- note -->\n${ORIENTATION}`) },
  { name: 'a comment in a field', input: xmlDoc(ORIENTATION.replace('LEFÈVRE', 'LEF<!-- x -->ÈVRE') + ORIENTATION) },
  { name: 'a processing instruction', input: xmlDoc(`${ORIENTATION}<?pi data?>${ORIENTATION}`) },
  { name: 'CDATA in a field', input: xmlDoc(ORIENTATION.replace('LEFÈVRE', '<![CDATA[LEF]]>ÈVRE') + ORIENTATION) },
  { name: 'references', input: xmlDoc(ORIENTATION.replace('LEFÈVRE', 'L&amp;F&#200;V&#xC8;&lt;&gt;&quot;&apos;') + ORIENTATION) },
  { name: 'an unknown or malformed reference', input: xmlDoc(ORIENTATION.replace('LEFÈVRE', 'L&eacute;F&#X41;&#0;&;') + ORIENTATION) },
  { name: ']]> in text', input: xmlDoc(ORIENTATION.replace('LEFÈVRE', 'LE]]>F') + ORIENTATION) },
  { name: ']] and > apart', input: xmlDoc(ORIENTATION.replace('LEFÈVRE', 'LE]] >F]>]') + ORIENTATION) },
  { name: 'attributes', input: xmlDoc(`<ORIENTATION id="1">${ORIENTATION.slice(15)}`) },
  { name: 'namespace attributes', input: Buffer.from(`${CGPEM_XML_DECLARATION}<CGPEM xmlns="" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">${ORIENTATION}</CGPEM>`, 'latin1') },
  { name: 'a self-closing element', input: xmlDoc(ORIENTATION.replace('<CODE_PE>077</CODE_PE>', '<CODE_PE/>')) },
  { name: 'space inside tags', input: xmlDoc(ORIENTATION.replace('</NIR>', '</NIR >').replace('<PRENOM>', '<PRENOM\n>')) },
  { name: 'a mismatched end tag', input: xmlDoc(ORIENTATION.replace('</NIR>', '</NIRX>')) },
  { name: 'unknown, repeated and misplaced elements', input: xmlDoc(`<ORIENTATION><X>1</X><PRENOM>A</PRENOM><NIR>2850599042123</NIR><PRENOM>B</PRENOM><NIR><B>x</B></NIR></ORIENTATION><Y/>${ORIENTATION}`) },
  { name: 'an empty orientation and text in the root', input: xmlDoc(`<ORIENTATION>\n</ORIENTATION>texte<ORIENTATION>x</ORIENTATION>${ORIENTATION}`) },
  { name: 'another root', input: Buffer.from(`${CGPEM_XML_DECLARATION}\n<ROOT>${ORIENTATION}</ROOT>\n`, 'latin1') },
  { name: 'a second root', input: Buffer.concat([xmlFile([VALID]), Buffer.from('<CGPEM/>')]) },
  { name: 'text after the root', input: Buffer.concat([xmlFile([VALID]), Buffer.from('x\n')]) },
  { name: 'trailing white space of every kind', input: Buffer.concat([xmlFile([VALID]), Buffer.from(' \t\r\n\r\r\n\n')]) },
  { name: 'no orientation', input: xmlDoc('') },
  { name: 'truncated in a tag', input: xmlFile([VALID]).subarray(0, 200) },
  { name: 'truncated after a field', input: Buffer.from(xmlFile([VALID]).toString('latin1').split('</NIR>')[0] + '</NIR>', 'latin1') },
  { name: 'no end of the root', input: Buffer.from(`${CGPEM_XML_DECLARATION}\n<CGPEM>${ORIENTATION}`, 'latin1') },
  { name: 'nesting past the fast path and past the reader', input: xmlDoc(`${'<A>'.repeat(12)}${'</A>'.repeat(12)}${ORIENTATION}${'<B>'.repeat(20)}`) },
  { name: 'a value longer than what the fast path holds', input: xmlDoc(rawOrientation({ ...VALID, ORGANISME_REFERENT: 'x'.repeat(HOLD_LIMIT * 2) }) + ORIENTATION) },
  { name: 'a run longer than the reader accepts', input: xmlDoc(rawOrientation({ ...VALID, ORGANISME_REFERENT: 'x'.repeat(70_000) }) + ORIENTATION) },
  { name: 'white space longer than the fast path holds', input: xmlDoc(`${' '.repeat(HOLD_LIMIT + 10)}${ORIENTATION}`) },
  { name: 'control, Windows-1252 and UTF-8 bytes', input: Buffer.concat([xmlDoc(ORIENTATION.replace('LEFÈVRE', 'L\u0001E\u0092F\u00c3\u00a9\u007f')), Buffer.from([0xC3])]) },
  { name: 'a tab and a substitute in the root', input: xmlDoc(`\t\u0002\t${ORIENTATION}`) },
  { name: 'a name with a colon or a non-ASCII letter', input: xmlDoc(ORIENTATION.replace('<NIR>2850599042123</NIR>', '<a:NIR>1</a:NIR><NIRÉ>2</NIRÉ>')) }
]

t.test('the declaration the fast path reads is the one the generator writes', async (t) => {
  t.equal(DECLARATION.toString('latin1'), CGPEM_XML_DECLARATION)
})

t.test('hand-made files at the edges of the subset: the same report on both paths, however cut', async (t) => {
  const rng = new Rng(13)
  for (const { name, input } of CASES) {
    const randomSizes = Array.from({ length: 16 }, () => 1 + rng.int(300))
    for (const chunks of [[input.length || 1], [1], [7], [64], [4096], randomSizes]) {
      const diff = difference(input, chunks)
      if (diff !== null) t.fail(`${name}: ${diff}`)
    }
    t.pass(name)
  }
})

/** Pieces the mutations insert: markup the subset leaves to saxes, and what it reads itself. */
const INSERTS = ['<', '>', '&', ']]>', ']]', '<!--', '-->', '<!-- c -->', '<?', '?>', '<?pi x?>', '"', '\'', '=', '/', '<![CDATA[', ']]>', '<![CDATA[x]]>',
  '<!DOCTYPE CGPEM>', '&amp;', '&lt;', '&#233;', '&#xE9;', '&#X41;', '&#0;', '&bogus;', '&;', '</X>', '<X>', '<X/>', '<NIR>', '</NIR>', '<ORIENTATION>',
  '</ORIENTATION>', '</CGPEM>', ' a="1"', '\r\n', '\r', '\n', '\t', '\u0000', '\u0085', '\u0092', '\u00c3\u00a9', '\u00e9', '\u00ff', ' ']

function mutate (rng: Rng, base: Buffer): Buffer {
  let b = base
  const n = 1 + rng.int(3)
  for (let k = 0; k < n; k++) {
    const at = rng.int(b.length + 1)
    switch (rng.int(9)) {
      case 0: { // flip a byte
        const c = Buffer.from(b)
        if (c.length > 0) c[Math.min(at, c.length - 1)] = rng.int(256)
        b = c
        break
      }
      case 1: // insert markup or a special byte
      case 2:
        b = Buffer.concat([b.subarray(0, at), Buffer.from(INSERTS[rng.int(INSERTS.length)] as string, 'latin1'), b.subarray(at)])
        break
      case 3: // delete a few bytes
        b = Buffer.concat([b.subarray(0, at), b.subarray(at + 1 + rng.int(12))])
        break
      case 4: { // duplicate a tag
        const lt = b.indexOf(0x3C, rng.int(b.length))
        const gt = lt < 0 ? -1 : b.indexOf(0x3E, lt)
        if (gt > 0) b = Buffer.concat([b.subarray(0, at), b.subarray(lt, gt + 1), b.subarray(at)])
        break
      }
      case 5: // truncate
        b = b.subarray(0, at)
        break
      case 6: // random Latin-1 or control bytes
        b = Buffer.concat([b.subarray(0, at), Buffer.from(Array.from({ length: 1 + rng.int(4) }, () => rng.chance(0.5) ? rng.int(0x20) : 0x80 + rng.int(0x80))), b.subarray(at)])
        break
      case 7: // the file as a whole: CR LF, a byte-order mark, a DOCTYPE, leading white space
        b = [() => Buffer.from(b.toString('latin1').replace(/\n/g, '\r\n'), 'latin1'), () => Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), b]),
          () => Buffer.from(b.toString('latin1').replace('?>', '?><!DOCTYPE CGPEM>'), 'latin1'), () => Buffer.concat([Buffer.from(' \n'), b])][rng.int(4)]?.() ?? b
        break
      default: // a long run of text
        b = Buffer.concat([b.subarray(0, at), Buffer.alloc(rng.chance(0.5) ? HOLD_LIMIT + rng.int(64) : rng.int(200), rng.chance(0.5) ? 0x78 : 0x20), b.subarray(at)])
    }
  }
  return b
}

t.test(`a differential fuzz: ${FUZZ_FILES} mutated files, the same report on both paths, cut in several ways`, async (t) => {
  const rng = new Rng(20261120)
  const bases = [
    xmlFile([VALID]),
    xmlFile([person(1), person(2), { ...VALID, ORGANISME_REFERENT: 'A & B <C>' }]),
    xmlFile([{ ...VALID, NIR: undefined, IDENTIFIANT_PE: undefined }, { ...VALID, DATE_NAISSANCE: '20230230' }]),
    Buffer.from(xmlFile([person(3), person(3)]).toString('latin1').replace(/\n/g, '\r\n'), 'latin1')
  ]
  let failures = 0
  for (let i = 0; i < FUZZ_FILES; i++) {
    const input = mutate(rng, bases[i % bases.length] as Buffer)
    // every file whole; each also cut one way: 1 byte, 7 bytes or random sizes in turn
    const cut = i % 3 === 0 ? [1] : i % 3 === 1 ? [7] : Array.from({ length: 8 }, () => 1 + rng.int(400))
    for (const chunks of [[input.length || 1], cut]) {
      const diff = difference(input, chunks)
      if (diff !== null && failures++ < 5) t.fail(`file ${i} ${JSON.stringify(input.toString('latin1'))}: ${diff}`)
    }
  }
  t.equal(failures, 0, `${FUZZ_FILES} files, no difference`)
})
