import t from 'tap'
import { encodeRecord } from '../../src/layouts/engine.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { findLineEnd, PecgmReader, readPecgm } from '../../src/layouts/pecgm-reader.js'

const l = getPecgmLayouts('001,0')
const header = encodeRecord(l.header, { TYPE_ENREGISTREMENT: 'E', FICHIER: 'PECG', PERIODICITE: 'M', DEPARTEMENT: '77', DATE_REFERENCE: '20261101', DATE_FABRICATION: '20261101', VERSION: '001,0' })
const detail = (nom: string): Buffer => encodeRecord(l.detail, { TYPE_ENREGISTREMENT: 'D', NIR: '1850599042123', NOM_NAISSANCE: nom, PRENOM: 'Hélène', DATE_NAISSANCE: '19850512' })
const footer = (n: number): Buffer => encodeRecord(l.footer, { TYPE_ENREGISTREMENT: 'F', DEPARTEMENT: '77', DATE_REFERENCE: '20261101', NB_ENREGISTREMENTS: String(n) })

function file (records: Buffer[], terminator: string): Buffer {
  return Buffer.concat(records.flatMap((r) => [r, Buffer.from(terminator)]))
}

t.test('reads a file with each record terminator (D2)', async (t) => {
  for (const term of ['\n', '\r\n', '']) {
    const r = readPecgm(file([header, detail('LEFÈVRE'), detail('N\'DIAYE'), footer(2)], term))
    t.same(r.problems, [], JSON.stringify(term))
    t.equal(r.summary.details, 2)
    t.equal(r.summary.terminator, term === '\n' ? 'LF' : term === '\r\n' ? 'CRLF' : 'none')
    t.equal(r.records[1]?.values.NOM_NAISSANCE, 'LEFÈVRE')
    t.equal(r.records[1]?.values.DEPARTEMENT, undefined)
    t.equal(r.records[0]?.values.DEPARTEMENT, '77')
  }
})

t.test('finds how records end from the first two records, and the reader reads by it (D2)', async (t) => {
  const h = header
  const f = footer(1)
  const d = detail('A')
  const cases: Array<[string, Buffer, string]> = [
    ['LF', file([h, f], '\n'), 'LF'],
    ['CR LF', file([h, f], '\r\n'), 'CRLF'],
    ['back to back', Buffer.concat([h, f]), 'none'],
    ['back to back, an LF after the last', Buffer.concat([h, f, Buffer.from('\n')]), 'none'],
    ['a short first line', file([h.subarray(0, 10)], '\n'), 'LF'],
    ['a first record one byte short, CR LF', Buffer.concat([h.subarray(0, 1199), Buffer.from('\r\n'), f]), 'CRLF'],
    // the first record too long: its line end still says how lines end, where records back to back would misread every record
    ['a first record two bytes too long, LF', file([Buffer.concat([h, Buffer.from('  ')]), d, f], '\n'), 'LF'],
    ['a first record one byte too long, CR LF', file([Buffer.concat([h, Buffer.from(' ')]), d, f], '\r\n'), 'CRLF'],
    ['a stray CR before CR LF', Buffer.concat([h, Buffer.from('\r\r\n'), f]), 'CRLF'],
    ['CR alone', file([h, d, f], '\r'), 'CR'],
    // back to back, an LF byte inside the second record: the second record begins where a first of 1200 bytes ends
    ['back to back, an LF inside the second record', Buffer.concat([h, Buffer.concat([d.subarray(0, 50), Buffer.from('\n'), d.subarray(51)]), f]), 'none']
  ]
  for (const [name, bytes, want] of cases) {
    t.equal(findLineEnd(bytes), want, name)
    t.equal(readPecgm(bytes).summary.terminator, want, `${name}: the reader agrees`)
  }
})

t.test('a first record of a wrong length is said once, the file read by its line ends', async (t) => {
  const r = readPecgm(file([Buffer.concat([header, Buffer.from('  ')]), detail('A'), detail('B'), footer(2)], '\n'))
  t.same(r.problems.map((p) => [p.code, p.line]), [['PECGM_RECORD_LENGTH', 1], ['PECGM_HEADER_MISSING', 1]])
  t.equal(r.summary.details, 2)
})

t.test('CR alone is said once, at the first line, and the records read between CRs', async (t) => {
  const r = readPecgm(file([header, detail('A'), detail('B'), footer(2)], '\r'))
  t.same(r.problems.map((p) => [p.code, p.line]), [['PECGM_TERMINATOR', 1]])
  t.match(r.problems[0]?.message, /CR seul/)
  t.equal(r.summary.details, 2)
  t.equal(r.records[1]?.values.NOM_NAISSANCE, 'A')
})

t.test('gives the same records whatever the chunk size', async (t) => {
  const bytes = file([header, detail('A'), detail('B'), detail('C'), footer(3)], '\r\n')
  const whole = readPecgm(bytes)
  for (const size of [1, 7, 1199, 1200, 1201, 1202, 4096]) {
    const reader = new PecgmReader()
    const records = []
    const problems = []
    for (let i = 0; i < bytes.length; i += size) {
      const r = reader.push(bytes.subarray(i, i + size))
      records.push(...r.records)
      problems.push(...r.problems)
    }
    const end = reader.end()
    records.push(...end.records)
    problems.push(...end.problems)
    t.same(records, whole.records, `chunks of ${size}`)
    t.same(problems, [], `chunks of ${size}`)
  }
})

t.test('describes a damaged file with positions instead of throwing', async (t) => {
  const short = detail('X').subarray(0, 1100)
  const cases = [
    { name: 'empty file', input: Buffer.alloc(0), codes: ['PECGM_EMPTY'] },
    { name: 'short line', input: file([header, short, footer(1)], '\n'), codes: ['PECGM_RECORD_LENGTH', 'PECGM_FOOTER_COUNT'], line: 2 },
    { name: 'footer count wrong', input: file([header, detail('A'), footer(5)], '\n'), codes: ['PECGM_FOOTER_COUNT'], line: 3 },
    { name: 'no footer', input: file([header, detail('A')], '\n'), codes: ['PECGM_FOOTER_MISSING'] },
    { name: 'no header', input: file([detail('A'), footer(1)], '\n'), codes: ['PECGM_HEADER_NOT_FIRST', 'PECGM_HEADER_MISSING'], line: 1 },
    { name: 'unknown type', input: file([header, Buffer.concat([Buffer.from('X'), detail('A').subarray(1)]), footer(0)], '\n'), codes: ['PECGM_UNKNOWN_RECORD_TYPE'], line: 2 },
    { name: 'truncated back-to-back', input: Buffer.concat([header, detail('A'), detail('B').subarray(0, 600)]), codes: ['PECGM_TRUNCATED', 'PECGM_FOOTER_MISSING'], line: 3 },
    { name: 'mixed terminators', input: Buffer.concat([header, Buffer.from('\n'), detail('A'), Buffer.from('\r\n'), footer(1), Buffer.from('\n')]), codes: ['PECGM_TERMINATOR'], line: 2 },
    { name: 'bad date', input: file([header, encodeRecord(l.detail, { TYPE_ENREGISTREMENT: 'D', DATE_NAISSANCE: '20230230' }), footer(1)], '\n'), codes: ['FIELD_BAD_DATE'], line: 2 }
  ]
  for (const c of cases) {
    const r = readPecgm(c.input)
    t.same(r.problems.map((p) => p.code), c.codes, c.name)
    if (c.line !== undefined) t.equal(r.problems[0]?.line, c.line, `${c.name}: line`)
  }
})

t.test('a bad date names its field and column', async (t) => {
  const r = readPecgm(file([header, encodeRecord(l.detail, { TYPE_ENREGISTREMENT: 'D', DATE_NAISSANCE: '20230230' }), footer(1)], '\n'))
  t.match(r.problems[0], { code: 'FIELD_BAD_DATE', line: 2, record: 2, field: 'DATE_NAISSANCE', column: 90, value: '20230230' })
})
