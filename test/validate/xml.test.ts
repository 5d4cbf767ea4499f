import t from 'tap'
import type { ValidationReport } from '../../src/validate/report.js'
import { codes, finding, rawOrientation, validate, validateInChunks, VALID, xmlDoc, xmlFile } from './helpers.js'

const ORIENTATION = rawOrientation(VALID)
const DECL = '<?xml version="1.0" encoding="ISO-8859-1"?>'

t.test('the XML declaration must be there and name ISO-8859-1', async (t) => {
  const cases = [
    { name: 'missing', input: Buffer.from(`<CGPEM>\n${ORIENTATION}</CGPEM>\n`, 'latin1'), expect: [{ code: 'CGPEM_XML_DECLARATION_MISSING', line: 1, column: 1 }] },
    { name: 'without encoding', input: xmlDoc(ORIENTATION, '<?xml version="1.0"?>'), expect: [{ code: 'CGPEM_XML_ENCODING', line: 1 }] },
    { name: 'UTF-8', input: xmlDoc(ORIENTATION, '<?xml version="1.0" encoding="UTF-8"?>'), expect: [{ code: 'CGPEM_XML_ENCODING', value: 'UTF-8', expected: 'ISO-8859-1', message: /nomme l'encodage UTF-8 ; un CGPEM est en ISO-8859-1 et le déclare ainsi : encoding="ISO-8859-1"/ }] },
    { name: 'latin1 alias', input: xmlDoc(ORIENTATION, '<?xml version="1.0" encoding="latin1"?>'), expect: [{ code: 'CGPEM_XML_ENCODING', value: 'latin1', message: /latin1, un autre nom d'ISO-8859-1 .* sous ce nom exactement, encoding="ISO-8859-1"/ }] },
    { name: 'ISO_8859-1 alias', input: xmlDoc(ORIENTATION, '<?xml version="1.0" encoding="ISO_8859-1"?>'), expect: [{ code: 'CGPEM_XML_ENCODING', value: 'ISO_8859-1', message: /un autre nom d'ISO-8859-1/ }] },
    { name: 'lower case ISO-8859-1', input: xmlDoc(ORIENTATION, '<?xml version="1.0" encoding="iso-8859-1"?>'), expect: [] },
    { name: 'standalone', input: xmlDoc(ORIENTATION, '<?xml version="1.0" encoding="ISO-8859-1" standalone="yes"?>'), expect: [] },
    { name: 'XML 1.1', input: xmlDoc(ORIENTATION, '<?xml version="1.1" encoding="ISO-8859-1"?>'), expect: [{ code: 'CGPEM_XML_VERSION', severity: 'warning', line: 1, column: 1, value: '1.1', expected: '1.0', message: /version 1\.1 : un CGPEM est en XML 1\.0 et le déclare ainsi, version="1\.0"/ }] },
    { name: 'XML 1.1 in UTF-8', input: xmlDoc(ORIENTATION, '<?xml version="1.1" encoding="UTF-8"?>'), expect: [{ code: 'CGPEM_XML_VERSION' }, { code: 'CGPEM_XML_ENCODING', value: 'UTF-8' }] }
  ]
  for (const c of cases) {
    const r = validate(c.input)
    t.match(r.findings, c.expect, c.name)
    t.equal(r.findings.length, c.expect.length, c.name)
    t.equal(r.stats.records, 1, `${c.name}: the orientation is still read`)
  }
})

t.test('a well-formedness error is reported with its line and column, and stops the XML reading', async (t) => {
  const cases = [
    { name: 'truncated file', input: xmlFile([VALID]).subarray(0, 200), line: 7 },
    { name: 'mismatched close tag', input: xmlDoc('  <ORIENTATION>\n    <NOM_NAISSANCE>X</PRENOM>\n  </ORIENTATION>\n'), line: 4 },
    { name: 'undefined entity', input: xmlDoc(rawOrientation({ ...VALID, NOM_NAISSANCE: 'A&nbsp;B' })), line: 5 },
    { name: '< in a value', input: xmlDoc(rawOrientation({ ...VALID, NOM_NAISSANCE: 'A < B' })), line: 5 },
    { name: 'text after the root', input: Buffer.concat([xmlFile([VALID]), Buffer.from('oops\n')]), line: 20 },
    { name: 'second root', input: Buffer.concat([xmlFile([VALID]), Buffer.from('<CGPEM/>\n')]), line: 20 },
    { name: 'declaration not at the start', input: Buffer.from(`\n${DECL}\n<CGPEM>${ORIENTATION}</CGPEM>`, 'latin1'), line: 2 },
    { name: 'no root at all', input: Buffer.from(`${DECL}\n<!-- rien -->\n`, 'latin1'), line: 3 }
  ]
  for (const c of cases) {
    const r = validate(c.input)
    t.same(codes(r), ['CGPEM_XML_MALFORMED'], c.name)
    t.match(finding(r, 'CGPEM_XML_MALFORMED'), { line: c.line, column: Number, severity: 'error' }, c.name)
    t.notOk(r.valid, c.name)
  }
})

t.test('after a fatal XML error, byte checks still run to the end of the file', async (t) => {
  const r = validate(xmlDoc(`  <ORIENTATION>\n    <NIR>1</NOM>\n  </ORIENTATION>\n${rawOrientation({ ...VALID, PRENOM: 'H\x92l' })}`))
  t.same(codes(r), ['CGPEM_XML_MALFORMED', 'CGPEM_WINDOWS_1252'])
  t.match(r.findings[1], { line: 9 })
  t.notOk('record' in (r.findings[1] ?? {}), 'no orientation is named once the XML reading stopped')
})

t.test('an element or attribute name with an identifier glued to it shows it masked, in the message as in the value', async (t) => {
  const nir = VALID.NIR as string
  const cases = [
    { name: 'element', input: xmlDoc(rawOrientation({ ...VALID }).replace(`<NIR>${nir}</NIR>`, `<NIR${nir}/>`)), code: 'CGPEM_ELEMENT_UNKNOWN', shown: 'NIR28***********' },
    { name: 'attribute', input: xmlDoc(rawOrientation({ ...VALID }).replace('<NIR>', `<NIR n${nir}="1">`)), code: 'CGPEM_ATTRIBUTE_UNEXPECTED', shown: 'n28***********' },
    { name: 'telephone', input: xmlDoc(rawOrientation({ ...VALID }).replace('<NIR>', '<TEL0199001234/><NIR>')), code: 'CGPEM_ELEMENT_UNKNOWN', shown: 'TEL01********' }
  ] as const
  for (const c of cases) {
    const r = validate(c.input)
    const f = finding(r, c.code)
    t.equal(f?.value, c.shown, `${c.name}: the value`)
    t.match(f?.message, c.shown, `${c.name}: the message`)
    for (const id of [nir, '0199001234']) t.notOk(JSON.stringify(r).includes(id), `${c.name}: ${id} nowhere in the report`)
  }
  // short numbers in a name stay as they are: a made-up element is named so that it can be found
  t.equal(finding(validate(xmlDoc(rawOrientation({ ...VALID }).replace('<NIR>', '<ZONE2024/><NIR>'))), 'CGPEM_ELEMENT_UNKNOWN')?.value, 'ZONE2024')
})

t.test('an identifier read outside any field (text out of a zone, a root, the declaration, a malformed tag) shows masked', async (t) => {
  const nir = VALID.NIR as string
  const orientation = rawOrientation({ ...VALID })
  const cases = [
    { name: 'text out of a zone', input: xmlDoc(orientation.replace(`<NIR>${nir}</NIR>`, `<NIR>${nir}</NIR>${nir}`)), code: 'CGPEM_TEXT_UNEXPECTED' },
    { name: 'root', input: Buffer.from(`${DECL}\n<CGPEM${nir}>${orientation}</CGPEM${nir}>\n`, 'latin1'), code: 'CGPEM_ROOT' },
    { name: 'encoding', input: xmlDoc(orientation, `<?xml version="1.0" encoding="X${nir}"?>`), code: 'CGPEM_XML_ENCODING' },
    { name: 'version', input: xmlDoc(orientation, `<?xml version="1.${nir}" encoding="ISO-8859-1"?>`), code: 'CGPEM_XML_VERSION' },
    { name: 'malformed tag', input: xmlDoc(orientation.replace('<NIR>', `<NIR a${nir}="1" a${nir}="2">`)), code: 'CGPEM_XML_MALFORMED' }
  ] as const
  for (const c of cases) {
    const r = validate(c.input)
    const f = finding(r, c.code)
    t.ok(f !== undefined, `${c.name}: ${c.code}`)
    t.match(`${f?.message ?? ''} ${f?.value ?? ''}`, nir.slice(0, 2) + '*'.repeat(nir.length - 2), `${c.name}: shown masked`)
    t.notOk(JSON.stringify(r).includes(nir), `${c.name}: ${nir} nowhere in the report`)
  }
})

t.test('refuses any DOCTYPE, never expanding its entities', async (t) => {
  const cases = [
    { name: 'plain', input: `${DECL}\n<!DOCTYPE CGPEM SYSTEM "cgpem.dtd">\n<CGPEM>${ORIENTATION}</CGPEM>` },
    { name: 'entity declaration', input: `${DECL}\n<!DOCTYPE CGPEM [<!ENTITY nom "LEFEVRE">]>\n<CGPEM>${rawOrientation({ ...VALID, NOM_NAISSANCE: '&nom;' })}</CGPEM>` }
  ]
  for (const c of cases) {
    const r = validate(Buffer.from(c.input, 'latin1'))
    t.same(codes(r), ['CGPEM_XML_DOCTYPE'], c.name)
    t.equal(r.stats.records, 0, c.name)
  }
})

t.test('checks the structure: root, known elements, order, repetition, text, attributes', async (t) => {
  const cases = [
    { name: 'wrong root', input: Buffer.from(`${DECL}\n<PECGM>\n${ORIENTATION}</PECGM>\n`, 'latin1'), expect: [{ code: 'CGPEM_ROOT', line: 2, column: 1, value: 'PECGM' }] },
    { name: 'unknown element in the root', input: xmlDoc(`${ORIENTATION}  <ENTETE>x</ENTETE>\n`), expect: [{ code: 'CGPEM_ELEMENT_UNKNOWN', line: 19, column: 3, value: 'ENTETE' }] },
    { name: 'field in the root', input: xmlDoc(`${ORIENTATION}  <NIR>2850599042123</NIR>\n`), expect: [{ code: 'CGPEM_ELEMENT_UNKNOWN', value: 'NIR' }] },
    { name: 'unknown field', input: xmlDoc(rawOrientation({ ...VALID, COMMENTAIRE: 'x' })), expect: [{ code: 'CGPEM_ELEMENT_UNKNOWN', line: 18, column: 5, record: 1, value: 'COMMENTAIRE' }] },
    { name: 'element inside a field', input: xmlDoc(rawOrientation({ ...VALID, PRENOM: '<B>Hélène</B>' })), expect: [{ code: 'CGPEM_ELEMENT_UNKNOWN', record: 1, field: 'PRENOM', value: 'B' }] },
    { name: 'ORIENTATION inside ORIENTATION', input: xmlDoc(`  <ORIENTATION>\n${ORIENTATION}  </ORIENTATION>\n`), expect: [{ code: 'CGPEM_ELEMENT_UNKNOWN', value: 'ORIENTATION' }, { code: 'CGPEM_ORIENTATION_EMPTY' }] },
    { name: 'repeated field', input: xmlDoc(ORIENTATION.replace('</PRENOM>', '</PRENOM>\n    <PRENOM>Paul</PRENOM>')), expect: [{ code: 'CGPEM_ELEMENT_REPEATED', line: 7, record: 1, field: 'PRENOM' }] },
    { name: 'fields out of order', input: xmlDoc(rawOrientation({ NOM_NAISSANCE: 'LEFÈVRE', NIR: '2850599042123', PRENOM: 'Hélène', DATE_NAISSANCE: '19850512', NATURE_ACCOMPAGNEMENT: '01', DATE_DECISION_ORIENTATION: '20261015' })), expect: [{ code: 'CGPEM_ELEMENT_ORDER', line: 5, record: 1, field: 'NIR' }] },
    { name: 'text in ORIENTATION', input: xmlDoc(ORIENTATION.replace('    <PRENOM>', '  oops\n    <PRENOM>')), expect: [{ code: 'CGPEM_TEXT_UNEXPECTED', line: 6, column: 3, record: 1, value: 'oops' }] },
    { name: 'text in CGPEM', input: xmlDoc(`${ORIENTATION}  stray </CGPEM>`.replace('</CGPEM>', '')), expect: [{ code: 'CGPEM_TEXT_UNEXPECTED', line: 19, column: 3, value: 'stray' }] },
    { name: 'attribute', input: xmlDoc(ORIENTATION.replace('<NIR>', '<NIR type="x">')), expect: [{ code: 'CGPEM_ATTRIBUTE_UNEXPECTED', line: 4, record: 1, field: 'NIR', value: 'type' }] },
    { name: 'empty ORIENTATION', input: xmlDoc(`${ORIENTATION}  <ORIENTATION/>\n  <ORIENTATION>\n  </ORIENTATION>\n`), expect: [{ code: 'CGPEM_ORIENTATION_EMPTY', line: 19, record: 2 }, { code: 'CGPEM_ORIENTATION_EMPTY', line: 20, record: 3 }] },
    { name: 'no ORIENTATION', input: xmlDoc(''), expect: [{ code: 'CGPEM_NO_ORIENTATION' }] }
  ]
  for (const c of cases) {
    const r = validate(c.input)
    t.match(r.findings, c.expect, c.name)
    t.same(codes(r), c.expect.map((e) => e.code), c.name)
    t.notOk(r.valid, c.name)
  }
})

t.test('of xsi:… attributes, only where the schema is goes unremarked, and only with xsi bound to its namespace: nil, type or any other is an attribute like the others, as libxml2 reads them', async (t) => {
  const BIND = 'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"'
  const root = (attributes: string): Buffer => Buffer.from(`${DECL}\n<CGPEM ${attributes}>\n${ORIENTATION}</CGPEM>`, 'latin1')
  const cases = [
    { name: 'schemaLocation, bound on the root', input: root(`${BIND} xsi:schemaLocation="urn:x cgpem.xsd"`), unexpected: [] },
    { name: 'noNamespaceSchemaLocation on a field, bound on the root', input: Buffer.from(`${DECL}\n<CGPEM ${BIND}>\n${ORIENTATION.replace('<NIR>', '<NIR xsi:noNamespaceSchemaLocation="cgpem.xsd">')}</CGPEM>`, 'latin1'), unexpected: [] },
    { name: 'nil', input: xmlDoc(ORIENTATION.replace('<NIR>2850599042123</NIR>', `<NIR xsi:nil="true" ${BIND}/>`)), unexpected: ['xsi:nil'] },
    { name: 'type', input: root(`${BIND} xsi:type="T"`), unexpected: ['xsi:type'] },
    { name: 'another name', input: root(`${BIND} xsi:foo="1"`), unexpected: ['xsi:foo'] },
    { name: 'xsi bound to another namespace', input: root('xmlns:xsi="urn:autre" xsi:noNamespaceSchemaLocation="cgpem.xsd"'), unexpected: ['xsi:noNamespaceSchemaLocation'] },
    { name: 'xsi not bound', input: root('xsi:noNamespaceSchemaLocation="cgpem.xsd"'), unexpected: ['xsi:noNamespaceSchemaLocation'] },
    { name: 'bound on an orientation, used after it', input: Buffer.from(`${DECL}\n<CGPEM>\n${ORIENTATION.replace('<ORIENTATION>', `<ORIENTATION ${BIND}>`)}${ORIENTATION.replace('<NIR>', '<NIR xsi:noNamespaceSchemaLocation="x">')}</CGPEM>`, 'latin1'), unexpected: ['xsi:noNamespaceSchemaLocation'] }
  ]
  for (const c of cases) {
    const r = validate(c.input)
    t.same(r.findings.filter((f) => f.code === 'CGPEM_ATTRIBUTE_UNEXPECTED').map((f) => f.value), c.unexpected, c.name)
  }
})

t.test('a zone out of place is reported once, on itself: the zones outside the longest run already in the table\'s order', async (t) => {
  // CODE_PE moved up to just after NIR: the zones that follow are in order, CODE_PE is not
  const moved = ORIENTATION.replace(/\n\s*<CODE_PE>077<\/CODE_PE>/, '').replace('</NIR>', '</NIR>\n    <CODE_PE>077</CODE_PE>')
  const r = validate(xmlDoc(moved))
  const order = r.findings.filter((f) => f.code === 'CGPEM_ELEMENT_ORDER')
  t.equal(order.length, 1, 'one finding, where each zone after it was one')
  t.match(order[0], { field: 'CODE_PE', line: 5, record: 1, message: /^CODE_PE n'est pas à sa place : l'ordre de la table le place après [A-Z_]+\.$/ })
  // two neighbours swapped: the second to come is the one out of place, as before
  const swapped = validate(xmlDoc(rawOrientation({ NOM_NAISSANCE: 'LEFÈVRE', NIR: '2850599042123', PRENOM: 'Hélène', DATE_NAISSANCE: '19850512', NATURE_ACCOMPAGNEMENT: '01', DATE_DECISION_ORIENTATION: '20261015' })))
  t.match(swapped.findings.filter((f) => f.code === 'CGPEM_ELEMENT_ORDER'), [{ field: 'NIR', message: 'NIR n\'est pas à sa place : l\'ordre de la table le place en tête de l\'orientation.' }])
  t.same(validate(xmlDoc(ORIENTATION)).findings, [], 'in order: nothing')
})

t.test('accepts what XML allows and a CGPEM does not forbid', async (t) => {
  const cases = [
    { name: 'comments and processing instructions', input: xmlDoc(`<!-- export du 20/11 -->\n<?outil phebus?>\n${ORIENTATION.replace('<NIR>', '<!-- NIR -->\n    <NIR>')}`) },
    { name: 'entities and character references', input: xmlDoc(rawOrientation({ ...VALID, ORGANISME_REFERENT: 'MDS Nord &amp; Est, 1 rue &#233;cole' })) },
    { name: 'CDATA', input: xmlDoc(rawOrientation({ ...VALID, ORGANISME_REFERENT: '<![CDATA[MDS <Nord>]]>' })) },
    { name: 'schema attributes', input: Buffer.from(`${DECL}\n<CGPEM xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="cgpem.xsd">\n${ORIENTATION}</CGPEM>`, 'latin1') },
    { name: 'empty optional elements', input: xmlDoc(ORIENTATION.replace('<PRENOM>', '<NOM_MARITAL></NOM_MARITAL><PRENOM>').replace('<TEL_CORRESPONDANT>0199001234', '<TEL_CORRESPONDANT>')) },
    { name: 'self-closing optional elements', input: xmlDoc(ORIENTATION.replace('<PRENOM>', '<NOM_MARITAL/><PRENOM>').replace('<CODE_PE>077</CODE_PE>', '<CODE_PE/>').replace('<IDENTIFIANT_PE>1234567A</IDENTIFIANT_PE>', '')) },
    { name: 'optional elements of blanks', input: xmlDoc(ORIENTATION.replace('<PRENOM>', '<NOM_MARITAL>   </NOM_MARITAL><PRENOM>').replace('<NIR>2850599042123</NIR>', '<NIR>  </NIR>')) },
    { name: 'tabs and CR LF between elements', input: Buffer.from(xmlDoc(ORIENTATION).toString('latin1').replace(/\n {4}/g, '\r\n\t'), 'latin1') }
  ]
  for (const c of cases) t.same(validate(c.input).findings, [], c.name)
})

t.test('stops on nesting far deeper than a CGPEM', async (t) => {
  const deep = Buffer.from(`${DECL}\n<CGPEM>${'<A>'.repeat(40)}${'</A>'.repeat(40)}</CGPEM>`, 'latin1')
  const r = validate(deep)
  t.same(codes(r), ['CGPEM_ELEMENT_UNKNOWN', 'CGPEM_XML_TOO_DEEP'])
  t.match(finding(r, 'CGPEM_XML_TOO_DEEP'), { line: 2 })
})

t.test('stops on a run of text far longer than any field', async (t) => {
  const long = xmlDoc(rawOrientation({ ...VALID, ORGANISME_REFERENT: 'x'.repeat(200_000) }))
  const r = validate(long)
  t.same(codes(r), ['CGPEM_XML_TOKEN_TOO_LONG'])
  const comment = xmlDoc(`<!--${'-x'.repeat(100_000)}-->${ORIENTATION}`)
  t.same(codes(validate(comment)), ['CGPEM_XML_TOKEN_TOO_LONG'])
})

t.test('a value longer than its field but short of the bound is just too long', async (t) => {
  const r = validate(xmlDoc(rawOrientation({ ...VALID, ORGANISME_REFERENT: 'x'.repeat(5000) })))
  t.same(codes(r), ['CGPEM_FIELD_TOO_LONG'])
  t.match(r.findings[0], { field: 'ORGANISME_REFERENT', value: /^x{59}…$/ })
  t.match(r.findings[0]?.message, /5000/)
})

t.test('structure findings do not depend on how the file is cut into chunks', async (t) => {
  const file = xmlDoc(`${ORIENTATION.replace('<NIR>', '<NIR a="1">')}  text\n  <ORIENTATION/>\n${rawOrientation({ PRENOM: 'A', NOM_NAISSANCE: 'B', X: 'y' })}`)
  const whole = validate(file)
  t.ok(whole.findings.length >= 5)
  for (const size of [1, 5, 64]) t.same(validateInChunks(file, size), whole, `chunks of ${size}`)
})

t.test('a file cut after a line end is reported on the line after its last, column 1, not column 0', async (t) => {
  const input = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM>\n<ORIENTATION>\n', 'latin1')
  for (const r of [validate(input), validateInChunks(input, 7)]) {
    const f = r.findings.find((x) => x.code === 'CGPEM_XML_MALFORMED')
    t.match(f, { line: 4, column: 1 })
    t.match(f?.message, /jamais fermé/)
  }
})

t.test('a C1 control written as a character reference is a forbidden character, not a byte the byte checks reported', async (t) => {
  const r = validate(xmlDoc(rawOrientation({ ...VALID, PRENOM: 'ANS&#x92;BERT', NATURE_ACCOMPAGNEMENT: '0&#133;' })))
  t.same(codes(r), ['CGPEM_FIELD_TYPE', 'CGPEM_FIELD_TYPE'])
  t.match(r.findings[0], { field: 'PRENOM', message: /U\+0092 en position 4/ })
  t.match(r.findings[1], { field: 'NATURE_ACCOMPAGNEMENT', message: /U\+0085 en position 2/ })
})

t.test('a UTF-8 or Windows-1252 byte in a coded field is reported once, by the byte checks', async (t) => {
  // xmlDoc writes ISO-8859-1: the characters C3 A9 are the two bytes of a UTF-8 « é », 96 a Windows-1252 dash
  const doc = (nature: string, date: string): Buffer => xmlDoc(rawOrientation({ ...VALID, NATURE_ACCOMPAGNEMENT: nature, DATE_NAISSANCE: date }))
  const utf8 = doc('\u00c3\u00a9', '198505\u00c3\u00a9')
  t.same(codes(validate(utf8)), ['CGPEM_UTF8', 'CGPEM_UTF8'])
  const w1252 = doc('0\u0096', '1985\u00960512')
  t.same(codes(validate(w1252)), ['CGPEM_WINDOWS_1252', 'CGPEM_WINDOWS_1252'])
  t.notOk(JSON.stringify(validate(utf8)).includes('\\u0081'), 'no stand-in in the report')
})

t.test('after a byte-order mark, line 1 counts its columns after the mark, for XML and byte findings alike, on both paths', async (t) => {
  const BOM = Buffer.from([0xEF, 0xBB, 0xBF])
  // all on line 1 (the declaration has 43 characters): a Windows-1252 byte in NIR, a control byte right after </NIR>, in no field
  const body = `${DECL}<CGPEM><ORIENTATION><NIR>28505\u009299042123</NIR>\u0001 <NOM_NAISSANCE a="1">A</NOM_NAISSANCE></ORIENTATION>x</CGPEM>\n`
  const column = (s: string): number => body.indexOf(s) + 1
  const cases = [
    {
      name: 'an orientation on line 1',
      body,
      expect: [
        { code: 'CGPEM_WINDOWS_1252', column: column('\u0092'), record: 1, field: 'NIR' },
        { code: 'CGPEM_CONTROL_CHAR', column: column('\u0001'), record: 1, field: undefined },
        { code: 'CGPEM_ATTRIBUTE_UNEXPECTED', column: column(' a="1">') + 6, record: 1, field: 'NOM_NAISSANCE' },
        { code: 'CGPEM_FIELD_REQUIRED', column: column('<ORIENTATION>'), record: 1, field: 'PRENOM' },
        { code: 'CGPEM_FIELD_REQUIRED', column: column('<ORIENTATION>'), record: 1, field: 'DATE_NAISSANCE' },
        { code: 'CGPEM_FIELD_REQUIRED', column: column('<ORIENTATION>'), record: 1, field: 'NATURE_ACCOMPAGNEMENT' },
        { code: 'CGPEM_FIELD_EXPECTED', column: column('<ORIENTATION>'), record: 1, field: 'DATE_DECISION_ORIENTATION' },
        { code: 'CGPEM_TEXT_UNEXPECTED', column: column('x</CGPEM>'), record: undefined, field: undefined }
      ]
    },
    { name: 'another root', body: `${DECL}<ROOT/>`, expect: [{ code: 'CGPEM_ROOT', column: 44, record: undefined, field: undefined }, { code: 'CGPEM_NO_ORIENTATION', column: undefined, record: undefined, field: undefined }] },
    { name: 'text after the root', body: `${DECL}<CGPEM/>garbage`, expect: [{ code: 'CGPEM_XML_MALFORMED', column: 52, record: undefined, field: undefined }] },
    { name: 'a mismatched end tag', body: `${DECL}<CGPEM></CGPEX>`, expect: [{ code: 'CGPEM_XML_MALFORMED', column: 58, record: undefined, field: undefined }] }
  ]
  const where = (r: ValidationReport): unknown[] => r.findings.map((f) => ({ code: f.code, column: f.column, record: f.record, field: f.field }))
  for (const c of cases) {
    const plain = Buffer.from(c.body, 'latin1')
    const marked = Buffer.concat([BOM, plain])
    t.same(where(validate(plain)), c.expect, `${c.name}, without a mark`)
    t.same(where(validate(marked)), [{ code: 'CGPEM_UTF8_BOM', column: 1, record: undefined, field: undefined }, ...c.expect], `${c.name}, with a mark: the same columns`)
    t.same(where(validateInChunks(marked, 1)), where(validate(marked)), `${c.name}, with a mark, a byte at a time`)
  }
})
