import t from 'tap'
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { XmlDocument, XmlParseError, XmlValidateError, XsdValidator } from 'libxml2-wasm'
import { sampleOrientations } from '../../src/generate/cgpem-sample.js'
import { CGPEM_FIELDS } from '../../src/layouts/cgpem.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { buildCgpemXsd, XSD_EXPRESSIBLE } from '../../src/validate/xsd.js'
import { findProgram, missingProgram } from '../system-tools.js'
import { person, rawOrientation, TODAY, validate, VALID, xmlDoc, xmlFile } from './helpers.js'

/**
 * The CGPEM XSD against libxml2, the reference implementation of XML Schema
 * most tools build on: always through libxml2 compiled to WebAssembly
 * (libxml2-wasm, from npm), and through Debian's xmllint as well where it is
 * on PATH (.ci/run installs it).
 */

const XSD = new URL('../../docs/cgpem.xsd', import.meta.url).pathname
const XMLLINT = findProgram('xmllint')

t.test('docs/cgpem.xsd is the schema built from CGPEM_FIELDS (regenerate it as src/validate/xsd.ts says)', async (t) => {
  t.equal(readFileSync(XSD, 'utf8'), buildCgpemXsd())
})

/** The orientation with its fields in the table's order, one changed (undefined: left out). */
function withField (name: string, value: string | undefined): Buffer {
  const values: Record<string, string | undefined> = {}
  for (const f of CGPEM_FIELDS) values[f.name] = f.name === name ? value : VALID[f.name]
  return xmlDoc(rawOrientation(values))
}

const ORIENTATION = rawOrientation(VALID)
const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)
const SAMPLE = xmlFile(sampleOrientations({ scenario: demo, departement: '77', referenceDay: TODAY, today: TODAY, records: 200 }))

/** valid: what a schema can say about the file (structure and each field alone). */
const CORPUS: Array<{ name: string, input: Buffer, valid: boolean }> = [
  { name: 'the example', input: xmlFile([VALID]), valid: true },
  { name: 'several people', input: xmlFile([person(1), person(2), person(3)]), valid: true },
  { name: 'a CGPEM sample as the server generates it', input: SAMPLE, valid: true },
  { name: 'optional fields left out', input: xmlFile([{ NOM_NAISSANCE: 'MARTIN', PRENOM: 'Léa', DATE_NAISSANCE: '19900101', NATURE_ACCOMPAGNEMENT: '01' }]), valid: true },
  { name: 'optional fields empty or blank', input: xmlDoc(ORIENTATION.replace('<PRENOM>', '<NOM_MARITAL/><PRENOM>').replace('<NIR>2850599042123</NIR>', '<NIR>   </NIR>').replace('<TEL_CORRESPONDANT>0199001234', '<TEL_CORRESPONDANT>')), valid: true },
  { name: 'accents, hyphens, apostrophes', input: withField('NOM_NAISSANCE', 'D\'ARC-ÇÉÿ'), valid: true },
  { name: 'entities and CDATA', input: withField('ORGANISME_REFERENT', 'MDS &amp; CCAS <![CDATA[<Nord>]]>'), valid: true },
  { name: 'comments', input: xmlDoc(`<!-- export -->\n${ORIENTATION}`), valid: true },
  { name: 'schema attributes', input: Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="cgpem.xsd">\n${ORIENTATION}</CGPEM>`, 'latin1'), valid: true },
  { name: 'xsi:nil on a field', input: xmlDoc(ORIENTATION.replace('<NIR>2850599042123</NIR>', '<NIR xsi:nil="true" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>')), valid: false },
  { name: 'xsi:type on a field', input: xmlDoc(ORIENTATION.replace('<NIR>', '<NIR xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xs="http://www.w3.org/2001/XMLSchema" xsi:type="xs:string">')), valid: false },
  { name: 'another xsi attribute', input: Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:foo="1">\n${ORIENTATION}</CGPEM>`, 'latin1'), valid: false },
  { name: 'xsi bound to another namespace', input: Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM xmlns:xsi="urn:autre" xsi:noNamespaceSchemaLocation="cgpem.xsd">\n${ORIENTATION}</CGPEM>`, 'latin1'), valid: false },
  { name: 'identifiant of 8 digits, NIR born in 2A', input: xmlFile([{ ...VALID, IDENTIFIANT_PE: '12345678', NIR: '185052A123456' }]), valid: true },
  // beyond what a schema can say: valid for both
  { name: 'February 30th', input: withField('DATE_NAISSANCE', '20230230'), valid: true },
  { name: 'decision in the future', input: withField('DATE_DECISION_ORIENTATION', '20300101'), valid: true },
  { name: 'decision date missing (D7)', input: withField('DATE_DECISION_ORIENTATION', undefined), valid: true },
  { name: 'identifiant without CODE_PE', input: withField('CODE_PE', undefined), valid: true },
  { name: 'the same NIR twice', input: xmlFile([person(1), person(1)]), valid: true },
  // broken structure or field
  ...['NOM_NAISSANCE', 'PRENOM', 'DATE_NAISSANCE', 'NATURE_ACCOMPAGNEMENT'].map((name) => ({ name: `missing ${name}`, input: withField(name, undefined), valid: false })),
  { name: 'empty required field', input: withField('PRENOM', ''), valid: false },
  { name: 'required field of blanks', input: withField('NOM_NAISSANCE', '  '), valid: false },
  { name: 'birth name too long', input: withField('NOM_NAISSANCE', 'A'.repeat(26)), valid: false },
  { name: 'organisme too long', input: withField('ORGANISME_REFERENT', 'x'.repeat(91)), valid: false },
  { name: 'e-mail too long', input: withField('EMAIL_CORRESPONDANT', `${'a'.repeat(49)}@example.org`), valid: false },
  { name: 'NIR of 12', input: withField('NIR', '285059904212'), valid: false },
  { name: 'CODE_PE of 2', input: withField('CODE_PE', '77'), valid: false },
  { name: 'bad phone length', input: withField('TEL_CORRESPONDANT', '019900123'), valid: false },
  { name: 'letter in the phone', input: withField('TEL_CORRESPONDANT', '01990O1234'), valid: false },
  { name: 'bad nature', input: withField('NATURE_ACCOMPAGNEMENT', '07'), valid: false },
  { name: 'bad date format', input: withField('DATE_NAISSANCE', '1985-05-12'), valid: false },
  { name: 'letters in a date', input: withField('DATE_DECISION_ORIENTATION', '2026101O'), valid: false },
  { name: 'digit in a name', input: withField('PRENOM', 'H3lène'), valid: false },
  { name: 'tab in an AN field', input: withField('SERVICE_CORRESPONDANT', 'Service\tRSA'), valid: false },
  { name: 'NIR sex 3', input: withField('NIR', '3850599042123'), valid: false },
  { name: 'NIR month 13', input: withField('NIR', '2851399042123'), valid: false },
  { name: 'identifiant with a small letter', input: withField('IDENTIFIANT_PE', '1234567a'), valid: false },
  { name: 'e-mail without @', input: withField('EMAIL_CORRESPONDANT', 'paul.example.org'), valid: false },
  { name: 'element out of order', input: xmlDoc(ORIENTATION.replace('<NIR>2850599042123</NIR>\n', '').replace('</PRENOM>', '</PRENOM>\n    <NIR>2850599042123</NIR>')), valid: false },
  { name: 'unknown element', input: xmlDoc(ORIENTATION.replace('<PRENOM>', '<SURNOM>Lili</SURNOM>\n    <PRENOM>')), valid: false },
  { name: 'repeated element', input: xmlDoc(ORIENTATION.replace('</PRENOM>', '</PRENOM>\n    <PRENOM>Paul</PRENOM>')), valid: false },
  { name: 'text where an element is expected', input: xmlDoc(ORIENTATION.replace('    <PRENOM>', '  texte\n    <PRENOM>')), valid: false },
  { name: 'text in the root', input: xmlDoc(`texte\n${ORIENTATION}`), valid: false },
  { name: 'element inside a field', input: withField('PRENOM', '<B>Hélène</B>'), valid: false },
  { name: 'attribute', input: xmlDoc(ORIENTATION.replace('<NIR>', '<NIR format="court">')), valid: false },
  { name: 'empty ORIENTATION', input: xmlDoc(`${ORIENTATION}  <ORIENTATION/>\n`), valid: false },
  { name: 'no ORIENTATION', input: xmlDoc(''), valid: false },
  { name: 'wrong root', input: Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<PECGM>${ORIENTATION}</PECGM>`, 'latin1'), valid: false },
  { name: 'not well-formed', input: xmlDoc(ORIENTATION.replace('</PRENOM>', '</PRENAME>')), valid: false }
]

/** null when libxml2 accepts the file, else its first complaint. */
function libxml2Refusal (schema: XsdValidator, input: Buffer): string | null {
  let doc: XmlDocument | null = null
  try {
    doc = XmlDocument.fromBuffer(input)
    schema.validate(doc)
    return null
  } catch (e) {
    if (e instanceof XmlParseError || e instanceof XmlValidateError) return (e.details[0]?.message ?? e.message).trim()
    throw e
  } finally {
    doc?.dispose()
  }
}

t.test('libxml2 (WebAssembly) and the validator agree on what a schema can say', async (t) => {
  const xsd = XmlDocument.fromBuffer(readFileSync(XSD), { url: XSD })
  // the schema may point into its document: the document goes last
  const schema = XsdValidator.fromDoc(xsd)
  try {
    for (const c of CORPUS) {
      const refusal = libxml2Refusal(schema, c.input)
      t.equal(refusal === null, c.valid, `${c.name}: libxml2 ${refusal === null ? 'accepts' : `refuses (${refusal})`}`)
      const report = validate(c.input)
      const byValidator = !report.findings.some((f) => XSD_EXPRESSIBLE.has(f.code))
      t.equal(byValidator, c.valid, `${c.name}: the validator ${byValidator ? 'accepts' : `refuses (${report.findings.map((f) => f.code).join(', ')})`}`)
    }
  } finally {
    schema.dispose()
    xsd.dispose()
  }
})

t.test('xmllint, where installed, agrees as well', { skip: XMLLINT === null ? `vérification croisée par xmllint sautée : ${missingProgram('xmllint', 'libxml2-utils')} ; libxml2 en WebAssembly a vérifié le schéma` : false }, async (t) => {
  const dir = t.testdir()
  for (const [i, c] of CORPUS.entries()) {
    const file = join(dir, `cas-${i}.xml`)
    writeFileSync(file, c.input)
    const lint = spawnSync(XMLLINT as string, ['--noout', '--nonet', '--schema', XSD, file], { encoding: 'utf8' })
    if (lint.status === null) throw lint.error ?? new Error(`xmllint: ${lint.signal ?? 'no exit status'}`)
    const byXmllint = lint.status === 0
    t.equal(byXmllint, c.valid, `${c.name}: xmllint ${byXmllint ? 'accepts' : `refuses (${lint.stderr.split('\n')[0] ?? ''})`}`)
  }
})
