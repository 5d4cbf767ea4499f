import t from 'tap'
import { encodeRecord } from '../../src/layouts/engine.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { PecgmReader, readPecgm } from '../../src/layouts/pecgm-reader.js'

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
