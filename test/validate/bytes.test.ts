import t from 'tap'
import { Rng } from '../../src/generate/rng.js'
import { codes, finding, person, problems, rawOrientation, validate, validateInChunks, VALID, xmlDoc, xmlFile } from './helpers.js'

/** A valid file where the NOM_NAISSANCE value (line 5, from column 20) is replaced by raw bytes. */
function withName (bytes: number[]): Buffer {
  const head = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM>\n  <ORIENTATION>\n    <NIR>2850599042123</NIR>\n    <NOM_NAISSANCE>', 'latin1')
  const tail = xmlFile([VALID]).subarray(xmlFile([VALID]).indexOf('</NOM_NAISSANCE>'))
  return Buffer.concat([head, Buffer.from(bytes), tail])
}

t.test('a valid file has no finding, in XML', async (t) => {
  const r = validate(xmlFile([VALID]))
  t.same(r.findings, [])
  t.ok(r.valid)
  t.equal(r.format, 'xml')
  t.equal(r.stats.records, 1)
})

t.test('reports each byte problem with its line, column, orientation and field', async (t) => {
  const cases = [
    { name: 'UTF-8 é', input: [0x4C, 0xC3, 0xA9, 0x4F], expect: { code: 'CGPEM_UTF8', column: 21, value: 'é' } },
    { name: 'UTF-8 three bytes (’)', input: [0x4C, 0xE2, 0x80, 0x99, 0x4F], expect: { code: 'CGPEM_UTF8', column: 21, value: '’' } },
    { name: 'UTF-8 four bytes', input: [0xF0, 0x9F, 0x98, 0x80], expect: { code: 'CGPEM_UTF8', column: 20 } },
    { name: 'Windows-1252 ’', input: [0x4C, 0x92, 0x4F], expect: { code: 'CGPEM_WINDOWS_1252', column: 21, value: '’', expected: '\'' } },
    { name: 'Windows-1252 œ', input: [0x9C], expect: { code: 'CGPEM_WINDOWS_1252', value: 'œ', expected: 'oe' } },
    { name: 'Windows-1252 €', input: [0x80], expect: { code: 'CGPEM_WINDOWS_1252', value: '€' } },
    { name: 'Windows-1252 …', input: [0x85], expect: { code: 'CGPEM_WINDOWS_1252', value: '…' } },
    { name: 'Windows-1252 –', input: [0x96], expect: { code: 'CGPEM_WINDOWS_1252', value: '–' } },
    { name: 'Windows-1252 —', input: [0x97], expect: { code: 'CGPEM_WINDOWS_1252', value: '—' } },
    { name: 'Windows-1252 “', input: [0x93], expect: { code: 'CGPEM_WINDOWS_1252', value: '“' } },
    { name: 'Windows-1252 ”', input: [0x94], expect: { code: 'CGPEM_WINDOWS_1252', value: '”' } },
    { name: 'Windows-1252 Œ', input: [0x8C], expect: { code: 'CGPEM_WINDOWS_1252', value: 'Œ' } },
    { name: 'Windows-1252 Ÿ', input: [0x9F], expect: { code: 'CGPEM_WINDOWS_1252', value: 'Ÿ' } },
    { name: 'Windows-1252 ‘', input: [0x91], expect: { code: 'CGPEM_WINDOWS_1252', value: '‘' } },
    { name: 'undefined in Windows-1252 too', input: [0x81], expect: { code: 'CGPEM_WINDOWS_1252', value: '0x81' } },
    { name: 'control character', input: [0x4C, 0x01, 0x4F], expect: { code: 'CGPEM_CONTROL_CHAR', column: 21, value: '0x01' } },
    { name: 'DEL', input: [0x7F], expect: { code: 'CGPEM_CONTROL_CHAR', value: '0x7F' } }
  ]
  for (const c of cases) {
    const r = validate(withName(c.input))
    t.same(problems(r), [c.expect.code], c.name)
    t.match(finding(r, c.expect.code as never), { line: 5, record: 1, field: 'NOM_NAISSANCE', severity: 'error', ...c.expect }, c.name)
    t.notOk(r.valid, c.name)
  }
})

t.test('ISO-8859-1 letters alone are not mistaken for UTF-8', async (t) => {
  const cases = [
    { name: 'é then a capital', input: [0xE9, 0x4C] },
    { name: 'Ã then ©-less text', input: [0xC3, 0x41] },
    { name: 'ÿ at the end', input: [0x4C, 0xFF] }
  ]
  for (const c of cases) t.same(problems(validate(withName(c.input))), [], c.name)
})

t.test('reports one finding of a kind per line, not one per byte', async (t) => {
  const r = validate(withName([0x92, 0x92, 0xC3, 0xA9, 0xC3, 0xA9, 0x01, 0x02]))
  t.same(codes(r).sort(), ['CGPEM_CONTROL_CHAR', 'CGPEM_UTF8', 'CGPEM_WINDOWS_1252'])
  const two = xmlDoc(rawOrientation({ ...VALID, NOM_NAISSANCE: 'L\x92A', PRENOM: 'H\x92L' }))
  t.same(validate(two).findings.filter((f) => f.code === 'CGPEM_WINDOWS_1252').map((f) => [f.line, f.field]), [[5, 'NOM_NAISSANCE'], [6, 'PRENOM']])
})

t.test('rejects a UTF-8 byte-order mark and still reads the file', async (t) => {
  const r = validate(Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), xmlFile([VALID])]))
  t.same(codes(r), ['CGPEM_UTF8_BOM'])
  t.match(r.findings[0], { line: 1, column: 1 })
  t.equal(r.format, 'xml')
  t.equal(r.stats.records, 1)
})

t.test('a file in UTF-16 gets one finding that says so, however it is cut into chunks, and the rest is not read', async (t) => {
  const text = xmlFile([VALID, person(2)]).toString('latin1')
  const le = Buffer.from(text, 'utf16le')
  const be = Buffer.from(le).swap16()
  const cases = [
    { name: 'little-endian with its mark', input: Buffer.concat([Buffer.from([0xFF, 0xFE]), le]), value: 'UTF-16LE, marque FF FE' },
    { name: 'big-endian with its mark', input: Buffer.concat([Buffer.from([0xFE, 0xFF]), be]), value: 'UTF-16BE, marque FE FF' },
    { name: 'little-endian without a mark', input: le, value: 'UTF-16LE sans marque : 3C 00' },
    { name: 'big-endian without a mark', input: be, value: 'UTF-16BE sans marque : 00 3C' }
  ]
  for (const c of cases) {
    for (const size of [1, 2, 3, 65_536]) {
      const r = validateInChunks(c.input, size)
      t.same(codes(r), ['CGPEM_UTF16'], `${c.name}, chunks of ${size}`)
      t.match(r.findings[0], { line: 1, column: 1, value: c.value, expected: 'ISO-8859-1' }, `${c.name}, chunks of ${size}`)
      t.equal(r.stats.bytes, c.input.length, 'every byte counted')
      t.equal(r.stats.records, 0)
      t.notOk(r.valid)
    }
  }
  t.match(validate(cases[0]?.input as Buffer).findings[0]?.message, /UTF-16.*ISO-8859-1.*Réenregistrez-le/)
})

t.test('files of one or two bytes are read as before the UTF-16 check: only their first two bytes can say UTF-16', async (t) => {
  t.same(codes(validateInChunks(Buffer.from('<'), 1)), ['CGPEM_XML_MALFORMED'], 'a lone « < »')
  t.same(codes(validateInChunks(Buffer.from(' '), 1)), ['CGPEM_EMPTY'], 'a lone blank')
  t.ok(codes(validateInChunks(Buffer.from([0x00]), 1)).includes('CGPEM_CONTROL_CHAR'), 'a lone null byte is a control character')
  t.notOk(codes(validateInChunks(Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), xmlFile([VALID])]), 1)).includes('CGPEM_UTF16'), 'a UTF-8 mark is not UTF-16')
  t.same(codes(validateInChunks(xmlFile([VALID]), 1)), [], 'a valid file, a byte at a time')
})

t.test('rejects an empty file, and one of blanks only', async (t) => {
  for (const [name, input] of [['empty', ''], ['blanks', ' \n\t\r\n']] as const) {
    const r = validate(Buffer.from(input, 'latin1'))
    t.same(codes(r), ['CGPEM_EMPTY'], name)
    t.equal(r.format, null, name)
    t.notOk(r.valid, name)
  }
})

t.test('byte checks work across chunk boundaries: any chunking gives the same report', async (t) => {
  const files = [
    { name: 'UTF-8 sequences', input: withName([0xC3, 0xA9, 0xE2, 0x80, 0x99, 0xF0, 0x9F, 0x98, 0x80]) },
    { name: 'byte-order mark', input: Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), xmlFile([VALID])]) },
    { name: 'CR LF line ends', input: Buffer.from(xmlFile([VALID, { ...VALID, NIR: '1850599042123' }]).toString('latin1').replace(/\n/g, '\r\n').replace('MARTIN', 'MA\x92TIN'), 'latin1') },
    { name: 'mixed problems', input: withName([0x92, 0x0B, 0xC3, 0xA9, 0x7F]) }
  ]
  for (const f of files) {
    const whole = validate(f.input)
    t.ok(whole.findings.length > 0 || f.name === 'none', f.name)
    for (const size of [1, 2, 3, 7]) t.same(validateInChunks(f.input, size), whole, `${f.name}, chunks of ${size}`)
  }
})

t.test('CR LF and lone CR count as one line end, as in XML', async (t) => {
  for (const end of ['\r\n', '\r']) {
    const file = Buffer.from(withName([0x92]).toString('latin1').replace(/\n/g, end), 'latin1')
    const r = validate(file)
    t.same(problems(r), ['CGPEM_WINDOWS_1252'], JSON.stringify(end))
    t.match(finding(r, 'CGPEM_WINDOWS_1252'), { line: 5, column: 20, record: 1, field: 'NOM_NAISSANCE' }, JSON.stringify(end))
  }
})

t.test('lines and columns stay exact whatever the mix of line ends and the alignment of the bytes', async (t) => {
  const rng = new Rng(11)
  const ends = ['\n', '\r\n', '\r', '\n\n']
  for (let round = 0; round < 20; round++) {
    let text = 'X'.repeat(rng.int(4))
    const expected: Array<[number, number]> = []
    for (let l = 0; l < 300; l++) {
      const before = 'abcdefghij'.slice(0, rng.int(10))
      if (rng.chance(0.2)) {
        const upTo = text + before
        const line = 1 + (upTo.match(/\r\n|\r|\n/g)?.length ?? 0)
        expected.push([line, upTo.length - Math.max(upTo.lastIndexOf('\n'), upTo.lastIndexOf('\r'))])
        text += `${before}\u0001${'k'.repeat(rng.int(5))}`
      } else {
        text += before
      }
      text += ends[rng.int(ends.length)] as string
    }
    const r = validate(Buffer.from(text, 'latin1'))
    t.same(r.findings.filter((f) => f.code === 'CGPEM_CONTROL_CHAR').map((f) => [f.line, f.column]), expected, `round ${round}`)
  }
})
