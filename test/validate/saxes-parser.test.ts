import t from 'tap'
import { SaxesParser } from 'saxes'
import { Rng } from '../../src/generate/rng.js'
import { newFastSaxesParser, newPlainSaxesParser } from '../../src/validate/saxes-parser.js'
import { CGPEM_FIELDS } from '../../src/layouts/cgpem.js'
import { person, VALID, xmlFile } from './helpers.js'

/** Every event and error of a parser, with the position saxes gives at that moment. */
function trace (parser: SaxesParser<{ position: true }>, chunks: string[]): string[] {
  const out: string[] = []
  const at = (): string => `${parser.line}:${parser.column}:${parser.position}`
  parser.on('xmldecl', (d) => out.push(`decl ${JSON.stringify(d)} ${at()}`))
  parser.on('doctype', (d) => out.push(`doctype ${d} ${at()}`))
  parser.on('opentagstart', (tag) => out.push(`start ${tag.name} ${at()}`))
  parser.on('opentag', (tag) => out.push(`open ${tag.name} ${JSON.stringify(tag.attributes)} ${at()}`))
  parser.on('closetag', (tag) => out.push(`close ${tag.name} ${at()}`))
  parser.on('text', (s) => out.push(`text ${JSON.stringify(s)} ${at()}`))
  parser.on('cdata', (s) => out.push(`cdata ${JSON.stringify(s)} ${at()}`))
  parser.on('comment', (s) => out.push(`comment ${JSON.stringify(s)} ${at()}`))
  parser.on('processinginstruction', (pi) => out.push(`pi ${JSON.stringify(pi)} ${at()}`))
  parser.on('error', (e) => out.push(`error ${e.message} ${at()}`))
  for (const c of chunks) parser.write(c)
  parser.close()
  return out
}

function cut (s: string, size: number): string[] {
  const out: string[] = []
  for (let i = 0; i < s.length; i += size) out.push(s.slice(i, i + size))
  return out
}

t.test('the fast paths change nothing the parser reports: events, text, positions, errors', async (t) => {
  const rng = new Rng(42)
  const alphabet = '<<>>/!?-= "\'&;#[]]abcXYZ_.:-09\n\n\r\t \u00e9\u0085\u0092\u2028'
  const docs = [
    xmlFile([VALID, person(1), person(2)]).toString('latin1'),
    xmlFile([VALID]).toString('latin1').replace(/\n/g, '\r\n'),
    xmlFile([VALID]).toString('latin1').replace(/<NIR>/, '<NIRX>').replace('</NIR>', '</NIRX>').replace('<PRENOM>', '<PRENOM\n>').replace('</PRENOM>', '</PRENOM >').replace('<CODE_PE>', '<CODE_PÉ>').replace('</CODE_PE>', '</CODE_PÉ>'),
    `<CGPEM>${CGPEM_FIELDS.map((f) => `<${f.name}/><${f.name}:x/><${f.name.slice(0, -1)}/>`).join('')}</CGPEM>`,
    '<?xml version="1.0" encoding="ISO-8859-1"?><CGPEM><A b="1" c:d="2">x ]]&gt; &amp; y]]>z</A><B>é\u0085\u0092\u2028</B><C>]]]></C><ns:D/></CGPEM>',
    '<?xml version="1.1"?><CGPEM><A>\u0085x\u0092y\u2028z\r</A></CGPEM>',
    ...Array.from({ length: 60 }, () => `<R>${Array.from({ length: 1 + rng.int(400) }, () => alphabet[rng.int(alphabet.length)]).join('')}</R>`)
  ]
  for (const [i, doc] of docs.entries()) {
    for (const size of [doc.length, 1, 3, 17]) {
      const expected = trace(newPlainSaxesParser(), cut(doc, size))
      const actual = trace(newFastSaxesParser(), cut(doc, size))
      t.same(actual, expected, `document ${i}, chunks of ${size}`)
    }
  }
})

t.test('a bare « & » fails where it stops, as xmllint says, instead of swallowing the markup up to a far « ; »', async (t) => {
  const cases = [
    { doc: '<R>\n<N>R&D</N>\n<P>x;</P></R>', error: '2:6', text: ['R&D', 'x;'] },
    { doc: '<R><N>A & B</N><P>;</P></R>', error: '1:9', text: ['A & B', ';'] },
    { doc: '<R><N>A&amp\nB</N>;</R>', error: '1:11', text: ['A&amp\nB', ';'] },
    { doc: '<R><N>&#233 x</N>;</R>', error: '1:11', text: ['&#233 x', ';'] },
    { doc: '<R><N a="x&y z"/>;</R>', error: '1:12', text: [';'] },
    { doc: '<R><N>A&\u00c9T\u00c9 B</N>;</R>', error: '1:11', text: ['A&\u00c9T\u00c9 B', ';'] }
  ]
  for (const { doc, error, text } of cases) {
    for (const size of [doc.length, 1, 4]) {
      for (const parser of [newFastSaxesParser(), newPlainSaxesParser()]) {
        const errors: string[] = []
        const texts: string[] = []
        let attribute = ''
        parser.on('error', (e) => errors.push(e.message))
        parser.on('text', (s) => { if (s.trim() !== '') texts.push(s) })
        parser.on('opentag', (tag) => { if (tag.attributes.a !== undefined) attribute = String(tag.attributes.a) })
        for (const c of cut(doc, size)) parser.write(c)
        parser.close()
        t.same(errors.map((m) => m.split(': ')[0]), [error], `${JSON.stringify(doc)} in chunks of ${size}: one error, there`)
        t.match(errors[0], /entity reference without its semicolon/)
        t.same(texts, text, 'the « & » and what follows it kept as text')
        if (doc.includes('a="')) t.equal(attribute, 'x&y z', 'in an attribute value too')
      }
    }
  }
  // a reference that ends with « ; » is saxes' own, as before
  const ok = newFastSaxesParser()
  const seen: string[] = []
  ok.on('text', (s) => seen.push(s))
  ok.on('error', (e) => seen.push(`error ${e.message}`))
  ok.write('<R>a &amp; b &#233; c &lt;</R>').close()
  t.same(seen, ['a & b é c <'])
})

t.test('text outside the root fails at its first character that is not white space, whatever the writes, its text as saxes gives it', async (t) => {
  const cases = [
    { doc: '<R/>garbage', error: '1:5' },
    { doc: '<?xml version="1.0"?>\nabc\n<R/>', error: '2:1' },
    { doc: '<R/>\n \t\r\n  oops\r\nx', error: '3:3' },
    { doc: '<R/>\r\r  &amp;x', error: '3:3' },
    { doc: '<R/><!-- c -->\n x', error: '2:2' },
    { doc: '<?xml version="1.1"?><R/>\u0085  y', error: '2:3' },
    { doc: '<R/>\n \ud83d\ude00', error: '2:2' }
  ]
  const run = (parser: SaxesParser<{ position: true }>, chunks: string[]): { errors: string[], texts: string[] } => {
    const errors: string[] = []
    const texts: string[] = []
    parser.on('error', (e) => errors.push(e.message))
    parser.on('text', (s) => texts.push(s))
    for (const c of chunks) parser.write(c)
    parser.close()
    return { errors, texts }
  }
  for (const { doc, error } of cases) {
    const saxes = run(new SaxesParser({ position: true }), [doc])
    for (const size of [doc.length, 1, 2, 5]) {
      for (const parser of [newFastSaxesParser(), newPlainSaxesParser()]) {
        const { errors, texts } = run(parser, cut(doc, size))
        const outside = errors.filter((m) => m.includes('text data outside of root node'))
        t.same(outside.map((m) => m.split(': ')[0]), [error], `${JSON.stringify(doc)} in chunks of ${size}: reported once, there`)
        t.same(errors.length, saxes.errors.length, `${JSON.stringify(doc)} in chunks of ${size}: no other error than saxes'`)
        t.same(texts.join(''), saxes.texts.join(''), `${JSON.stringify(doc)} in chunks of ${size}: saxes' text`)
      }
    }
  }
})
