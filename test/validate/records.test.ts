import t from 'tap'
import { codes, finding, person, rawOrientation, validate, validateInChunks, VALID, xmlDoc, xmlFile } from './helpers.js'

t.test('rules across fields: identifiant without agency, Pôle emploi without identifier', async (t) => {
  const cases = [
    { name: 'IDENTIFIANT_PE without CODE_PE', input: { ...VALID, CODE_PE: undefined }, expect: [{ code: 'CGPEM_CODE_PE_MISSING', severity: 'error', record: 1, field: 'CODE_PE', line: 3 }] },
    { name: 'CODE_PE without IDENTIFIANT_PE is fine', input: { ...VALID, IDENTIFIANT_PE: undefined }, expect: [] },
    { name: 'nature 05 without NIR nor identifiant', input: { ...VALID, NIR: undefined, IDENTIFIANT_PE: undefined }, expect: [{ code: 'CGPEM_PE_UNMATCHABLE', severity: 'warning', record: 1 }] },
    { name: 'nature 06 without NIR nor identifiant', input: { ...VALID, NATURE_ACCOMPAGNEMENT: '06', NIR: undefined, IDENTIFIANT_PE: undefined }, expect: [{ code: 'CGPEM_PE_UNMATCHABLE' }] },
    { name: 'nature 05 with the identifiant only', input: { ...VALID, NIR: undefined }, expect: [] },
    { name: 'nature 05 with the NIR only', input: { ...VALID, IDENTIFIANT_PE: undefined }, expect: [] },
    { name: 'nature 01 without identifiers', input: { ...VALID, NATURE_ACCOMPAGNEMENT: '01', NIR: undefined, IDENTIFIANT_PE: undefined }, expect: [] }
  ]
  for (const c of cases) {
    const r = validate(xmlFile([c.input]))
    t.match(r.findings, c.expect, c.name)
    t.equal(r.findings.length, c.expect.length, c.name)
  }
  t.ok(validate(xmlFile([{ ...VALID, NIR: undefined, IDENTIFIANT_PE: undefined }])).valid, 'a warning alone leaves the file accepted')
})

t.test('names the first orientation of a person oriented twice', async (t) => {
  const cases = [
    { name: 'same NIR', input: [person(1), person(2), person(3, { NIR: person(1).NIR })], expect: [{ code: 'CGPEM_DUPLICATE_NIR', severity: 'error', record: 3, firstRecord: 1, field: 'NIR', value: /^1\d{2}\*{10}$/ }] },
    { name: 'same identity, other case and accents', input: [person(1, { NOM_NAISSANCE: 'LEFÈVRE', PRENOM: 'Hélène' }), person(2, { NIR: undefined, NOM_NAISSANCE: 'Lefevre', PRENOM: 'HELENE' })], expect: [{ code: 'CGPEM_DUPLICATE_IDENTITY', severity: 'warning', record: 2, firstRecord: 1 }] },
    { name: 'same identity with runs of blanks', input: [person(4, { PRENOM: 'Jean Pierre' }), person(9, { NOM_NAISSANCE: person(4).NOM_NAISSANCE, PRENOM: ' Jean  Pierre ' })], expect: [{ code: 'CGPEM_DUPLICATE_IDENTITY', record: 2, firstRecord: 1 }] },
    { name: 'same NIR and identity: one finding', input: [person(1), person(1)], expect: [{ code: 'CGPEM_DUPLICATE_NIR', record: 2, firstRecord: 1 }] },
    { name: 'homonyms born on other days', input: [person(1), person(2, { NOM_NAISSANCE: person(1).NOM_NAISSANCE, DATE_NAISSANCE: '19850513' })], expect: [] },
    { name: 'a third time names the first', input: [person(1), person(2), person(1), person(1)], expect: [{ code: 'CGPEM_DUPLICATE_NIR', record: 3, firstRecord: 1 }, { code: 'CGPEM_DUPLICATE_NIR', record: 4, firstRecord: 1 }] }
  ]
  for (const c of cases) {
    const r = validate(xmlFile(c.input))
    t.match(r.findings, c.expect, c.name)
    t.equal(r.findings.length, c.expect.length, c.name)
  }
})

t.test('Done when: a UTF-8 name, a missing birth name on orientation 3 and a date of 20230230 are each named', async (t) => {
  const xml = xmlFile([person(1), person(2), person(3, { NOM_NAISSANCE: undefined }), person(4, { DATE_NAISSANCE: '20230230' })])
    .toString('latin1')
    .replace(person(2).NOM_NAISSANCE as string, Buffer.from('DURAND-LÉON', 'utf8').toString('latin1'))
  const file = Buffer.from(xml, 'latin1')
  const r = validate(file)
  t.notOk(r.valid)
  t.same(codes(r), ['CGPEM_UTF8', 'CGPEM_FIELD_REQUIRED', 'CGPEM_DATE_INVALID'])
  t.match(finding(r, 'CGPEM_UTF8'), { line: 21, column: 28, record: 2, field: 'NOM_NAISSANCE', value: 'É' })
  t.match(finding(r, 'CGPEM_FIELD_REQUIRED'), { line: 35, record: 3, field: 'NOM_NAISSANCE' })
  t.match(finding(r, 'CGPEM_DATE_INVALID'), { line: 54, record: 4, field: 'DATE_NAISSANCE', value: '20230230' })
  t.same(validateInChunks(file, 1), r, 'fed one byte at a time: the same report')
})

t.test('caps the list of findings but counts them all', async (t) => {
  const many = Array.from({ length: 5000 }, (_, i) => person(i, { NOM_NAISSANCE: undefined }))
  const r = validate(xmlFile(many), { maxFindings: 1000 })
  t.equal(r.stats.errors, 5000)
  t.equal(r.stats.byCode.CGPEM_FIELD_REQUIRED, 5000)
  t.equal(r.findings.length, 1000)
  t.equal(r.truncated, true)
  t.same(r.omitted, { CGPEM_FIELD_REQUIRED: 4000 })
  t.same(r.findings.map((f) => f.record), Array.from({ length: 1000 }, (_, i) => i + 1), 'the first ones, in file order')
  const all = validate(xmlFile(many.slice(0, 10)), { maxFindings: 1000 })
  t.equal(all.truncated, false)
  t.notOk('omitted' in all)
  const none = validate(xmlFile(many.slice(0, 10)), { maxFindings: 0 })
  t.same([none.findings.length, none.stats.errors, none.valid, none.omitted], [0, 10, false, { CGPEM_FIELD_REQUIRED: 10 }])
})

t.test('an orientation that breaks several rules gets one finding per field', async (t) => {
  const r = validate(xmlDoc(rawOrientation({ NIR: '1234', NOM_NAISSANCE: 'X1', PRENOM: 'A'.repeat(30), DATE_NAISSANCE: '2023', NATURE_ACCOMPAGNEMENT: '09' })))
  t.same(r.findings.map((f) => [f.code, f.field]), [
    ['CGPEM_FIELD_LENGTH', 'NIR'],
    ['CGPEM_FIELD_TYPE', 'NOM_NAISSANCE'],
    ['CGPEM_FIELD_TOO_LONG', 'PRENOM'],
    ['CGPEM_FIELD_LENGTH', 'DATE_NAISSANCE'],
    ['CGPEM_NATURE_UNKNOWN', 'NATURE_ACCOMPAGNEMENT'],
    ['CGPEM_FIELD_EXPECTED', 'DATE_DECISION_ORIENTATION']
  ])
})

t.test('counts orientations and bytes', async (t) => {
  const file = xmlFile([person(1), person(2), person(3)])
  const r = validate(file)
  t.same(r.stats, { bytes: file.length, records: 3, errors: 0, warnings: 0, infos: 0, byCode: {} })
  t.equal(r.valid, true)
})

t.test('finds every repetition in a long file, after all its orientations are read', async (t) => {
  const people = Array.from({ length: 3000 }, (_, i) => person(i % 2000, i >= 2000 ? { PRENOM: 'Autre' } : {}))
  const r = validate(xmlFile([...people, { ...VALID, NOM_NAISSANCE: undefined }]))
  const dups = r.findings.filter((f) => f.code === 'CGPEM_DUPLICATE_NIR')
  t.equal(r.stats.byCode.CGPEM_DUPLICATE_NIR, 1000)
  t.same(dups.slice(0, 3).map((f) => [f.record, f.firstRecord]), [[2001, 1], [2002, 2], [2003, 3]])
  t.equal(r.findings[0]?.code, 'CGPEM_FIELD_REQUIRED', 'the checks of each orientation come first')
  t.notOk(r.findings.some((f) => f.code === 'CGPEM_DUPLICATE_IDENTITY'), 'another first name: not the same identity')
})
