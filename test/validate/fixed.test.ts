import t from 'tap'
import { CGPEM_FIXED_LAYOUT } from '../../src/layouts/cgpem.js'
import { encodeRecord } from '../../src/layouts/engine.js'
import { CgpemValidator } from '../../src/validate/validator.js'
import { codes, finding, fixedFile, person, problems, TODAY, validate, validateInChunks, VALID, xmlFile } from './helpers.js'

/** One fixed-width line written field by field, without the padding rules of D3 (to write what the encoder would fix). */
function line (values: Record<string, string>): string {
  let s = ''
  for (const f of CGPEM_FIXED_LAYOUT.fields) s += (values[f.name] ?? '').padEnd(f.length, ' ').slice(0, f.length)
  return s
}

t.test('reads the fixed-width form of decision D6, told apart by content', async (t) => {
  const file = fixedFile([person(1), person(2), { ...VALID, NOM_MARITAL: 'MARTIN' }])
  const r = validate(file)
  t.equal(r.format, 'fixed')
  t.same(codes(r), ['CGPEM_FORMAT_FIXED'])
  t.equal(r.findings[0]?.severity, 'info')
  t.equal(r.stats.records, 3)
  t.ok(r.valid)
  t.equal(file.length, 3 * 383)
})

t.test('a line starting with blanks (no NIR) is still fixed-width', async (t) => {
  const r = validate(fixedFile([{ ...VALID, NIR: undefined }, person(2)]))
  t.equal(r.format, 'fixed')
  t.same(problems(r), [])
})

t.test('the same field rules as the XML form, with columns from the layout', async (t) => {
  const cases = [
    { name: 'missing birth name', values: { ...VALID, NOM_NAISSANCE: undefined }, expect: { code: 'CGPEM_FIELD_REQUIRED', field: 'NOM_NAISSANCE', column: 14 } },
    { name: 'February 30th', values: { ...VALID, DATE_NAISSANCE: '20230230' }, expect: { code: 'CGPEM_DATE_INVALID', field: 'DATE_NAISSANCE', column: 89 } },
    { name: 'bad nature', values: { ...VALID, NATURE_ACCOMPAGNEMENT: '09' }, expect: { code: 'CGPEM_NATURE_UNKNOWN', field: 'NATURE_ACCOMPAGNEMENT' } },
    { name: 'decision date missing (D7)', values: { ...VALID, DATE_DECISION_ORIENTATION: undefined }, expect: { code: 'CGPEM_FIELD_EXPECTED' } },
    { name: 'short CODE_PE', values: { ...VALID, CODE_PE: '77' }, expect: { code: 'CGPEM_FIELD_LENGTH', field: 'CODE_PE' } }
  ]
  for (const c of cases) {
    const r = validate(fixedFile([person(1), c.values]))
    t.same(problems(r), [c.expect.code], c.name)
    t.match(finding(r, c.expect.code as never), { line: 2, record: 2, ...c.expect }, c.name)
  }
})

t.test('what the encoder would fix is caught in a hand-written line', async (t) => {
  const cases: Array<{ name: string, values: Record<string, string>, expect: string }> = [
    { name: 'phone of 9 digits, left-aligned', values: { TEL_CORRESPONDANT: '019900123' }, expect: 'CGPEM_FIELD_TYPE' },
    { name: 'letters in a date', values: { DATE_NAISSANCE: '1985O512' }, expect: 'CGPEM_FIELD_TYPE' },
    { name: 'digit in a name', values: { PRENOM: 'H3lene' }, expect: 'CGPEM_FIELD_TYPE' }
  ]
  for (const c of cases) {
    const text = `${line({ ...VALID, ...c.values })}\n`
    const r = validate(Buffer.from(text, 'latin1'))
    t.same(problems(r), [c.expect], c.name)
  }
})

t.test('a line of the wrong length is reported, its fields are not read', async (t) => {
  const good = encodeRecord(CGPEM_FIXED_LAYOUT, VALID).toString('latin1')
  const cases = [
    { name: 'one character short', input: `${good.slice(0, 381)}\n`, expect: { value: '381', column: 382 } },
    { name: 'one character long', input: `${good}X\n`, expect: { value: '383', column: 383 } },
    { name: 'UTF-8 name makes it long', input: `${good.replace('LEFÈVRE', Buffer.from('LEFÈVRE', 'utf8').toString('latin1')).slice(0, 383)}\n`, expect: { value: '383' } },
    { name: 'no line end at all, huge', input: 'X'.repeat(2_000_000), expect: { value: '2000000', column: 383 } }
  ]
  for (const c of cases) {
    const r = validate(Buffer.from(c.input, 'latin1'))
    t.match(finding(r, 'CGPEM_FIXED_LINE_LENGTH'), { line: 1, record: 1, expected: '382 caractères', ...c.expect }, c.name)
    t.notOk(r.findings.some((f) => f.code.startsWith('CGPEM_FIELD')), `${c.name}: no field finding`)
  }
})

t.test('line ends: LF, CR LF, none at the end; empty lines at the end are ignored', async (t) => {
  const lf = fixedFile([person(1), person(2)]).toString('latin1')
  const cases = [
    { name: 'CR LF', input: lf.replace(/\n/g, '\r\n'), expect: [] },
    { name: 'no final line end', input: lf.slice(0, -1), expect: [] },
    { name: 'trailing empty lines', input: `${lf}\n\n`, expect: [] },
    { name: 'empty line between', input: lf.replace('\n', '\n\n'), expect: ['CGPEM_FIXED_LINE_LENGTH'] }
  ]
  for (const c of cases) {
    const r = validate(Buffer.from(c.input, 'latin1'))
    t.same(problems(r), c.expect, c.name)
    t.equal(r.stats.records, 2, c.name)
  }
  t.match(finding(validate(Buffer.from(lf.replace('\n', '\n\n'), 'latin1')), 'CGPEM_FIXED_LINE_LENGTH')?.message, /^La ligne fait 0 caractère ; /, 'in the singular, as French says 0 and 1')
})

t.test('a run of empty lines is kept as a count, not one entry a line: millions of them take no memory', async (t) => {
  const lines = 4_000_000
  const v = new CgpemValidator({ today: TODAY })
  const chunk = Buffer.alloc(1 << 20, 0x0a)
  const base = process.memoryUsage().heapUsed
  let peak = 0
  for (let n = 0; n < lines; n += chunk.length) {
    v.push(chunk.subarray(0, Math.min(chunk.length, lines - n)))
    peak = Math.max(peak, process.memoryUsage().heapUsed - base)
  }
  // a line with text after them: each empty line is a short line, reported at its own line
  v.push(Buffer.from('x'))
  const r = v.end()
  t.ok(peak < 32 * 2 ** 20, `the heap grew by ${Math.round(peak / 2 ** 20)} MiB reading ${lines} empty lines (a line number kept for each took 80)`)
  t.equal(r.stats.byCode.CGPEM_FIXED_LINE_LENGTH, lines + 1, 'each empty line counted, and the last line')
  const lengths = r.findings.filter((f) => f.code === 'CGPEM_FIXED_LINE_LENGTH')
  t.same(lengths.slice(0, 3).map((f) => [f.line, f.value]), [[1, '0'], [2, '0'], [3, '0']], 'each at its line')
})

t.test('byte problems name the orientation and the field under their column', async (t) => {
  const text = fixedFile([person(1), { ...VALID, PRENOM_CORRESPONDANT: 'Lea' }]).toString('latin1').replace('Lea', 'L\x92a')
  const r = validate(Buffer.from(text, 'latin1'))
  t.same(problems(r), ['CGPEM_WINDOWS_1252'])
  t.match(finding(r, 'CGPEM_WINDOWS_1252'), { line: 2, record: 2, field: 'PRENOM_CORRESPONDANT', column: 239 })
})

t.test('a field holding a byte already reported gets no finding of its own, and nothing of the stand-in shows', async (t) => {
  const base = fixedFile([VALID]).toString('latin1')
  const at = (name: string): number => (CGPEM_FIXED_LAYOUT.fields.find((f) => f.name === name)?.from ?? 0) - 1
  const put = (name: string, bytes: Buffer): Buffer => {
    const b = Buffer.from(base, 'latin1')
    bytes.copy(b, at(name))
    return b
  }
  const cases: Array<[string, Buffer, string]> = [
    ['UTF-8 in a nature', put('NATURE_ACCOMPAGNEMENT', Buffer.from('é', 'utf8')), 'CGPEM_UTF8'],
    ['UTF-8 in a date', put('DATE_NAISSANCE', Buffer.concat([Buffer.from('198505'), Buffer.from('é', 'utf8')])), 'CGPEM_UTF8'],
    ['Windows-1252 in a NIR', put('NIR', Buffer.from([0x32, 0x92])), 'CGPEM_WINDOWS_1252'],
    ['Windows-1252 in an identifier', put('IDENTIFIANT_PE', Buffer.from([0x31, 0x80])), 'CGPEM_WINDOWS_1252'],
    ['a control character in a date', put('DATE_DECISION_ORIENTATION', Buffer.from([0x32, 0x01])), 'CGPEM_CONTROL_CHAR']
  ]
  for (const [name, file, code] of cases) {
    const r = validate(file)
    t.same(problems(r), [code], name)
    t.notOk(JSON.stringify(r).includes('\\u0081'), `${name}: no stand-in in the report`)
  }
})

t.test('after a byte-order mark, byte findings count columns as the fields do, and the mark is no field\'s', async (t) => {
  const text = fixedFile([VALID]).toString('latin1')
  // the last byte of NOM_NAISSANCE (columns 14–38) made a Windows-1252 apostrophe
  const line = Buffer.from(text, 'latin1')
  line[37] = 0x92
  const r = validate(Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), line]))
  t.same(problems(r), ['CGPEM_UTF8_BOM', 'CGPEM_WINDOWS_1252'])
  t.match(finding(r, 'CGPEM_WINDOWS_1252'), { line: 1, column: 38, field: 'NOM_NAISSANCE', value: '’' })
  t.equal(finding(r, 'CGPEM_UTF8_BOM')?.field, undefined)
  t.equal(finding(r, 'CGPEM_UTF8_BOM')?.value, 'EF BB BF')
  // a byte finding's value names the byte: not masked as the identifier it sits in
  const nir = Buffer.from(text, 'latin1')
  nir[3] = 0x01
  t.match(finding(validate(nir), 'CGPEM_CONTROL_CHAR'), { field: 'NIR', value: '0x01', column: 4 })
})

t.test('any chunking gives the same report, fixed form', async (t) => {
  const text = fixedFile([person(1), { ...VALID, NOM_NAISSANCE: undefined }, person(3)]).toString('latin1').replace(/\n/g, '\r\n').replace('Paul', 'P\xE2\x80\x99ul')
  const file = Buffer.from(`${text}\n\n`, 'latin1')
  const whole = validate(file)
  t.ok(whole.findings.length >= 3)
  for (const size of [1, 2, 383, 1000]) t.same(validateInChunks(file, size), whole, `chunks of ${size}`)
})

t.test('the same orientations give the same findings in both forms', async (t) => {
  const orientations = [person(1), { ...VALID, PRENOM: undefined, DATE_NAISSANCE: '20230230' }, person(1), { ...VALID, NIR: undefined, IDENTIFIANT_PE: undefined, NATURE_ACCOMPAGNEMENT: '06' }]
  const key = (r: ReturnType<typeof validate>): string[] => problems(r).map((c, i) => `${c} ${r.findings.filter((f) => f.code !== 'CGPEM_FORMAT_FIXED')[i]?.record ?? ''}`)
  t.same(key(validate(fixedFile(orientations))), key(validate(xmlFile(orientations))))
})
