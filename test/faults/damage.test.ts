import t, { type Test } from 'tap'
import { DamageError, damagePecgm, damageProblem, PecgmDamager } from '../../src/faults/damage.js'
import { DAMAGE_CODES, type DamageCode } from '../../src/faults/model.js'
import { pecgmChunks, pecgmFromDetails, type PecgmFrame } from '../../src/generate/pecgm-file.js'
import { checkDate, parseIsoDate } from '../../src/layouts/dates.js'
import { readPecgm, type PecgmProblemCode, type Terminator } from '../../src/layouts/pecgm-reader.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import type { Scenario } from '../../src/scenarios/model.js'
import { frenchNumber } from '../../src/text/french.js'

const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)
const REFERENCE = parseIsoDate('2026-11-01') as number
const TERMINATORS = ['LF', 'CRLF', 'none'] as const
const ENDINGS: Record<Terminator, Buffer> = { LF: Buffer.from('\n'), CRLF: Buffer.from('\r\n'), none: Buffer.alloc(0) }
const CODES = Object.keys(DAMAGE_CODES) as DamageCode[]
const DETAILS = 12
const RECORDS = DETAILS + 2
const SEEDS = [1, 2, 3, 42, 20261101]

function scenarioWith (terminator: Terminator, letterCase: 'upper' | 'mixed' = 'upper'): Scenario {
  return { ...demo, pecgm: { ...demo.pecgm, terminator, case: letterCase } }
}

function pecgm (terminator: Terminator, records = DETAILS): Buffer {
  return Buffer.concat([...pecgmChunks({ scenario: scenarioWith(terminator), departement: '77', referenceDay: REFERENCE, records })])
}

function fromDetails (terminator: Terminator, details: Record<string, string>[]): Buffer {
  const frame: PecgmFrame = { scenario: scenarioWith(terminator, 'mixed'), departement: '77', periodicity: 'M', referenceDay: REFERENCE, fabricationDay: REFERENCE }
  return pecgmFromDetails(frame, details)
}

const FILES: Record<Terminator, Buffer> = { LF: pecgm('LF'), CRLF: pecgm('CRLF'), none: pecgm('none') }
const stride = (term: Terminator): number => 1200 + ENDINGS[term].length

/** Every code with every terminator it applies to (no-final-newline has none to lose with 'none'). */
const CASES = TERMINATORS.flatMap((terminator) => CODES.filter((code) => damageProblem(code, terminator, DETAILS) === null).map((code) => ({ code, terminator })))

function inChunks (input: Buffer, code: DamageCode, seed: number, size: number): Buffer {
  const d = new PecgmDamager(code, seed, input.length)
  const out: Buffer[] = []
  for (let i = 0; i < input.length; i += size) out.push(...d.push(input.subarray(i, i + size)))
  out.push(...d.end())
  return Buffer.concat(out)
}

/** The record at 0-based `index` of a file of records `stride` bytes apart. */
function recordOf (file: Buffer, term: Terminator, index: number): Buffer {
  return file.subarray(index * stride(term), (index + 1) * stride(term))
}

/** 0-based columns where two records of the same length differ. */
function differing (a: Buffer, b: Buffer): number[] {
  const cols: number[] = []
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) cols.push(i)
  return cols
}

/** Checks that a same-length damage touched only `index`, and returns the columns it changed there. */
function onlyRecordChanged (t: Test, input: Buffer, output: Buffer, term: Terminator, index: number): number[] {
  t.equal(output.length, input.length, 'same length')
  for (let i = 0; i < RECORDS; i++) {
    if (i !== index) t.ok(recordOf(output, term, i).equals(recordOf(input, term, i)), `record ${i + 1} untouched`)
  }
  return differing(recordOf(input, term, index), recordOf(output, term, index))
}

const inside = (cols: number[], from: number, length: number): boolean => cols.length > 0 && cols.every((c) => c >= from - 1 && c < from - 1 + length)

/** What each damage does to the bytes, checked against the input; `r` the 0-based damaged record. */
const SHAPES: { readonly [K in DamageCode]: (t: Test, input: Buffer, output: Buffer, term: Terminator, r: number) => void } = {
  truncated: (t, input, output, term, r) => {
    t.ok(output.equals(input.subarray(0, output.length)), 'a prefix of the input')
    t.ok(output.length > r * stride(term) && output.length < r * stride(term) + 1200, 'cut inside the record, never at 0 or 1200')
  },
  'footer-count': (t, input, output, term, r) => {
    t.equal(r, RECORDS - 1, 'the footer')
    t.ok(inside(onlyRecordChanged(t, input, output, term, r), 13, 9), 'NB_ENREGISTREMENTS only')
    const announced = recordOf(output, term, r).toString('latin1', 12, 21)
    t.match(announced, /^[0-9]{9}$/)
    t.not(Number(announced), DETAILS)
  },
  'header-missing': (t, input, output, term) => {
    t.ok(output.equals(input.subarray(stride(term))), 'the input without its first record')
  },
  'record-length': (t, input, output, term, r) => {
    const end = r * stride(term) + 1200
    const cut = input.length - output.length
    t.ok(cut >= 1 && cut <= 9, `a few bytes less (${cut})`)
    t.ok(output.equals(Buffer.concat([input.subarray(0, end - cut), input.subarray(end)])), 'the end of its FILLER removed, nothing else')
    t.ok(input.subarray(end - cut, end).every((b) => b === 0x20), 'only blanks removed')
  },
  'crlf-last-line': (t, input, output, term) => {
    const body = input.subarray(0, input.length - ENDINGS[term].length)
    t.ok(output.equals(Buffer.concat([body, term === 'CRLF' ? ENDINGS.LF : ENDINGS.CRLF])), 'only the last terminator changed')
  },
  'no-final-newline': (t, input, output, term) => {
    t.ok(output.equals(input.subarray(0, input.length - ENDINGS[term].length)), 'only the last terminator removed')
  },
  'utf8-name': (t, input, output, term, r) => {
    const cols = onlyRecordChanged(t, input, output, term, r)
    t.ok(inside(cols, 15, 25) || inside(cols, 65, 25), 'NOM_NAISSANCE or PRENOM only')
    const from = cols[0] as number < 64 ? 14 : 64
    const before = recordOf(input, term, r).toString('latin1', from, from + 25).trimEnd()
    const after = recordOf(output, term, r).toString('latin1', from, from + 25).trimEnd()
    t.equal(after, Buffer.from(before, 'utf8').toString('latin1'), 'the name re-encoded as UTF-8')
  },
  'c1-byte': (t, input, output, term, r) => {
    const cols = onlyRecordChanged(t, input, output, term, r)
    t.equal(cols.length, 1, 'one byte')
    t.ok(inside(cols, 15, 25), 'in NOM_NAISSANCE')
    t.equal(recordOf(output, term, r)[cols[0] as number], 0x92)
  },
  'unknown-code': (t, input, output, term, r) => {
    const cols = onlyRecordChanged(t, input, output, term, r)
    const rec = recordOf(output, term, r)
    const fields = [{ from: 140, value: '9' }, { from: 907, value: '99' }, { from: 909, value: 'XYZ' }]
    t.ok(fields.some((f) => inside(cols, f.from, f.value.length) && rec.toString('latin1', f.from - 1, f.from - 1 + f.value.length) === f.value), 'one code field, set to a code of no list')
  },
  'invalid-date': (t, input, output, term, r) => {
    const cols = onlyRecordChanged(t, input, output, term, r)
    const from = [90, 132].find((f) => inside(cols, f, 8)) ?? 0
    t.ok(from > 0, 'DATE_NAISSANCE or DATE_DEBUT_IDE only')
    const before = recordOf(input, term, r).toString('latin1', from - 1, from + 7)
    const after = recordOf(output, term, r).toString('latin1', from - 1, from + 7)
    t.equal(after.slice(0, 4), before.slice(0, 4), 'same year')
    t.not(checkDate(after), null, `${after} is no date`)
  },
  'duplicate-nir': (t, input, output, term, r) => {
    t.ok(inside(onlyRecordChanged(t, input, output, term, r), 2, 13), 'NIR only')
    const nir = recordOf(output, term, r).toString('latin1', 1, 14)
    const sources = Array.from({ length: r - 1 }, (_, i) => i + 1).filter((i) => recordOf(input, term, i).toString('latin1', 1, 14) === nir)
    t.equal(sources.length, 1, 'the NIR of one earlier detail')
  },
  empty: (t, input, output, term) => {
    const s = stride(term)
    const footer = input.subarray(input.length - s)
    t.equal(output.length, 2 * s, 'two records')
    t.ok(output.subarray(0, s).equals(input.subarray(0, s)), 'the header untouched')
    t.ok(inside(differing(footer, output.subarray(s)), 13, 9), 'the footer changed in NB_ENREGISTREMENTS only')
    t.equal(output.toString('latin1', s + 12, s + 21), '000000000')
  },
  'duplicate-file': (t, input, output) => {
    t.ok(output.equals(input), 'the same bytes')
  }
}

type Expected = { code: PecgmProblemCode, record: number | 'r' | 'last' | 'after', field?: RegExp }
/** What the reader reports for each damage ('r': the damaged record, 'last': the footer, 'after': one past it). */
const READER: { readonly [K in DamageCode]: (term: Terminator) => Expected[] } = {
  truncated: (term) => term === 'none'
    ? [{ code: 'PECGM_TRUNCATED', record: 'r' }, { code: 'PECGM_FOOTER_MISSING', record: 'r' }]
    : [{ code: 'PECGM_TERMINATOR', record: 'r' }, { code: 'PECGM_RECORD_LENGTH', record: 'r' }, { code: 'PECGM_FOOTER_MISSING', record: 'r' }],
  'footer-count': () => [{ code: 'PECGM_FOOTER_COUNT', record: 'last', field: /^NB_ENREGISTREMENTS$/ }],
  'header-missing': () => [{ code: 'PECGM_HEADER_NOT_FIRST', record: 1 }, { code: 'PECGM_HEADER_MISSING', record: 1 }],
  // back to back, what follows the short record is read shifted: checked apart
  'record-length': () => [{ code: 'PECGM_RECORD_LENGTH', record: 'r' }, { code: 'PECGM_FOOTER_COUNT', record: 'last' }],
  'crlf-last-line': (term) => [term === 'none' ? { code: 'PECGM_TRUNCATED', record: 'after' } : { code: 'PECGM_TERMINATOR', record: 'last' }],
  'no-final-newline': () => [{ code: 'PECGM_TERMINATOR', record: 'last' }],
  // an upper-case accented letter in UTF-8 ends with a byte of 0x80–0x9F (É is C3 89)
  'utf8-name': () => [{ code: 'FIELD_NOT_PRINTABLE', record: 'r', field: /^(NOM_NAISSANCE|PRENOM)$/ }],
  'c1-byte': () => [{ code: 'FIELD_NOT_PRINTABLE', record: 'r', field: /^NOM_NAISSANCE$/ }],
  'unknown-code': () => [],
  'invalid-date': () => [{ code: 'FIELD_BAD_DATE', record: 'r', field: /^DATE_(NAISSANCE|DEBUT_IDE)$/ }],
  'duplicate-nir': () => [],
  empty: () => [],
  'duplicate-file': () => []
}

t.test('every damage code is handled, and only duplicate-file leaves the bytes as they were', async (t) => {
  for (const code of CODES) {
    const { bytes, result } = damagePecgm(FILES.LF, code, 7)
    t.equal(result.code, code)
    t.ok(result.detail.length > 20, `${code}: a detail for the admin`)
    t.equal(bytes.equals(FILES.LF), code === 'duplicate-file', code)
  }
})

t.test('the same code, seed and input give the same bytes, whatever the chunk size', async (t) => {
  for (const { code, terminator } of CASES) {
    const input = FILES[terminator]
    const whole = damagePecgm(input, code, 42)
    t.ok(damagePecgm(input, code, 42).bytes.equals(whole.bytes), `${code} ${terminator}: twice the same`)
    for (const size of [1, 7, 1 << 20]) {
      t.ok(inChunks(input, code, 42, size).equals(whole.bytes), `${code} ${terminator}: chunks of ${size}`)
    }
  }
})

t.test('each damage changes exactly what it says and leaves the other records byte for byte', async (t) => {
  for (const { code, terminator } of CASES) {
    for (const seed of SEEDS) {
      const input = FILES[terminator]
      const { bytes, result } = damagePecgm(input, code, seed)
      const r = (result.record ?? 1) - 1
      t.test(`${code} ${terminator} seed ${seed}`, async (t) => { SHAPES[code](t, input, bytes, terminator, r) })
    }
  }
})

t.test('the reader reports each damage with its code and record', async (t) => {
  for (const { code, terminator } of CASES) {
    for (const seed of SEEDS) {
      const { bytes, result } = damagePecgm(FILES[terminator], code, seed)
      const problems = readPecgm(bytes).problems
      const name = `${code} ${terminator} seed ${seed}`
      if (code === 'record-length' && terminator === 'none') {
        t.ok(problems.every((p) => p.record >= (result.record as number)), `${name}: nothing before the short record`)
        t.equal(problems.find((p) => p.code === 'PECGM_TRUNCATED')?.record, RECORDS, `${name}: the file ends short of a record`)
        continue
      }
      const expected = READER[code](terminator)
      const at = (e: Expected): number => e.record === 'r' ? result.record as number : e.record === 'last' ? RECORDS : e.record === 'after' ? RECORDS + 1 : e.record
      t.same(problems.map((p) => [p.code, p.record]), expected.map((e) => [e.code, at(e)]), name)
      expected.forEach((e, i) => { if (e.field) t.match(problems[i]?.field, e.field, `${name}: field`) })
    }
  }
})

t.test('different seeds damage different records', async (t) => {
  const perDetail: DamageCode[] = ['truncated', 'record-length', 'utf8-name', 'c1-byte', 'unknown-code', 'invalid-date', 'duplicate-nir']
  const input = pecgm('LF', 60)
  for (const code of perDetail) {
    const records = new Set(Array.from({ length: 30 }, (_, seed) => damagePecgm(input, code, seed).result.record))
    t.ok(records.size >= 8, `${code}: ${records.size} records for 30 seeds`)
    t.notOk(records.has(1) || records.has(62), `${code}: never the header or the footer`)
  }
})

t.test('holds back at most the first record and the one it damages', async (t) => {
  const input = FILES.CRLF
  for (const code of CODES) {
    const d = new PecgmDamager(code, 3, input.length)
    const final = damagePecgm(input, code, 3).bytes
    let emitted = 0
    for (let i = 0; i < input.length; i += 1000) {
      const out = Buffer.concat(d.push(input.subarray(i, i + 1000)))
      t.ok(out.equals(final.subarray(emitted, emitted + out.length)), `${code}: in order`)
      emitted += out.length
      const received = Math.min(i + 1000, input.length)
      // all the output the bytes received can give is out, but for the first record and one held
      const due = Math.min(final.length, received - Math.max(0, input.length - final.length))
      t.ok(emitted >= due - 2 * stride('CRLF'), `${code}: ${emitted} bytes out after ${received} in`)
    }
    d.end()
  }
})

t.test('a name in UTF-8 keeps the record at 1200 bytes when its field has the blanks', async (t) => {
  const input = fromDetails('LF', [{ NIR: '1850577042123', NOM_NAISSANCE: 'Lefèvre', PRENOM: 'Hélène', DATE_NAISSANCE: '19850512' }])
  const { bytes, result } = damagePecgm(input, 'utf8-name', 1)
  t.equal(bytes.length, input.length)
  t.equal(result.record, 2)
  t.ok(bytes.includes(Buffer.from('LefÃ¨vre', 'latin1')) || bytes.includes(Buffer.from('HÃ©lÃ¨ne', 'latin1')), 'C3 A8 / C3 A9 where è and é were')
  t.same(readPecgm(bytes).problems, [], 'é and è in UTF-8 are C3 A9 and C3 A8: printable Latin-1, the reader sees nothing wrong')
})

t.test('a name in UTF-8 that does not fit its field lengthens the record and says so', async (t) => {
  const name = 'Éléonore-Émérentienne-Gé'.padEnd(25, 'é')
  const input = fromDetails('LF', [{ NIR: '1850577042123', NOM_NAISSANCE: name, PRENOM: 'Paul', DATE_NAISSANCE: '19850512' }])
  const { bytes, result } = damagePecgm(input, 'utf8-name', 1)
  const accents = [...name].filter((c) => c > '\u007f').length
  t.equal(bytes.length, input.length + accents)
  t.match(result.detail, `${frenchNumber(1200 + accents)} octets`)
  t.same(readPecgm(bytes).problems.map((p) => [p.code, p.record]), [['PECGM_RECORD_LENGTH', 2], ['PECGM_FOOTER_COUNT', 3]])
})

t.test('without an accented name, the last detail gets an É in UTF-8', async (t) => {
  const details = ['DUPONT', 'MARTIN', 'PETIT'].map((nom, i) => ({ NIR: `18505770421${i}0`, NOM_NAISSANCE: nom, PRENOM: 'PAUL', DATE_NAISSANCE: '19850512' }))
  const input = fromDetails('none', details)
  for (const seed of SEEDS) {
    const { bytes, result } = damagePecgm(input, 'utf8-name', seed)
    t.equal(result.record, 4, `seed ${seed}: the last detail`)
    t.equal(bytes.toString('latin1', 3 * 1200 + 14, 3 * 1200 + 20), 'PÃ\u0089TIT', `seed ${seed}: the E of PETIT as É in UTF-8`)
    t.equal(bytes.length, input.length)
  }
})

t.test('c1-byte replaces the apostrophe of a name when it has one', async (t) => {
  const input = fromDetails('LF', [{ NIR: '1850577042123', NOM_NAISSANCE: 'N\'DIAYE', PRENOM: 'AWA', DATE_NAISSANCE: '19850512' }])
  const { bytes } = damagePecgm(input, 'c1-byte', 5)
  t.equal(bytes.toString('latin1', 1201 + 14, 1201 + 21), 'N\u0092DIAYE')
})

t.test('the footer never announces a negative count', async (t) => {
  const input = fromDetails('LF', [{ NIR: '1850577042123', NOM_NAISSANCE: 'A', DATE_NAISSANCE: '19850512' }])
  for (let seed = 0; seed < 40; seed++) {
    const { bytes } = damagePecgm(input, 'footer-count', seed)
    const announced = bytes.toString('latin1', 2 * 1201 + 12, 2 * 1201 + 21)
    t.ok(/^[0-9]{9}$/.test(announced) && Number(announced) !== 1, `seed ${seed}: ${announced}`)
  }
})

t.test('refuses what is not a correct PECGM of the size given, and damages a file cannot take', async (t) => {
  const lf = FILES.LF
  const one = fromDetails('LF', [{ NIR: '1850577042123', NOM_NAISSANCE: 'A', DATE_NAISSANCE: '19850512' }])
  const none = fromDetails('none', [])
  const lfInNone = Buffer.from(FILES.none)
  lfInNone[1200] = 0x0A
  const cases: { name: string, run: () => unknown, code: string }[] = [
    { name: 'a size that is no whole number of records', run: () => new PecgmDamager('truncated', 1, lf.length - 1), code: 'DAMAGE_BAD_INPUT' },
    { name: 'a size under two records', run: () => new PecgmDamager('truncated', 1, 1201), code: 'DAMAGE_BAD_INPUT' },
    { name: 'a byte after the header that is no terminator', run: () => damagePecgm(Buffer.concat([lf.subarray(0, 1200), Buffer.from('X'), lf.subarray(1201)]), 'truncated', 1), code: 'DAMAGE_BAD_INPUT' },
    { name: 'a terminator the size does not allow', run: () => damagePecgm(lfInNone, 'empty', 1), code: 'DAMAGE_BAD_INPUT' },
    { name: 'fewer bytes than announced', run: () => { const d = new PecgmDamager('empty', 1, lf.length); d.push(lf.subarray(0, 5000)); d.end() }, code: 'DAMAGE_BAD_INPUT' },
    { name: 'more bytes than announced', run: () => { const d = new PecgmDamager('empty', 1, lf.length - 1201); d.push(lf) }, code: 'DAMAGE_BAD_INPUT' },
    { name: 'a seed that is no integer', run: () => new PecgmDamager('empty', 1.5, lf.length), code: 'DAMAGE_BAD_INPUT' },
    { name: 'an unknown code', run: () => new PecgmDamager('bogus' as DamageCode, 1, lf.length), code: 'DAMAGE_BAD_INPUT' },
    { name: 'the result before the end', run: () => new PecgmDamager('empty', 1, lf.length).result, code: 'DAMAGE_BAD_INPUT' },
    { name: 'no final newline to remove', run: () => new PecgmDamager('no-final-newline', 1, FILES.none.length), code: 'DAMAGE_NOT_APPLICABLE' },
    { name: 'one NIR to duplicate', run: () => damagePecgm(one, 'duplicate-nir', 1), code: 'DAMAGE_NOT_APPLICABLE' },
    ...(['utf8-name', 'c1-byte', 'unknown-code', 'invalid-date'] as const).map((code) => ({
      name: `${code} without a detail`, run: () => damagePecgm(none, code, 1), code: 'DAMAGE_NOT_APPLICABLE'
    }))
  ]
  for (const c of cases) {
    t.throws(c.run, { name: 'DamageError', code: c.code }, c.name)
    try { c.run() } catch (err) {
      t.ok(err instanceof DamageError && !/undefined|\bthe\b|\bmust\b/.test(err.message), `${c.name}: French message « ${(err as Error).message} »`)
    }
  }
})

t.test('the damages a file without details can take', async (t) => {
  const none = fromDetails('LF', [])
  for (const code of ['truncated', 'record-length', 'footer-count', 'header-missing', 'crlf-last-line', 'no-final-newline', 'empty', 'duplicate-file'] as const) {
    const { bytes, result } = damagePecgm(none, code, 1)
    t.equal(bytes.equals(none), code === 'empty' || code === 'duplicate-file', code)
    if (code === 'truncated' || code === 'record-length') {
      t.equal(result.record, 2, `${code}: the footer, the only record after the header`)
      t.ok(bytes.length < none.length && bytes.subarray(0, 1201).equals(none.subarray(0, 1201)), `${code}: the header untouched, the footer short`)
    }
  }
})

t.test('damageProblem says in French why a damage does not apply, null when it does', async (t) => {
  const table: { code: DamageCode, terminator: Terminator, details: number, applies: boolean }[] = [
    { code: 'no-final-newline', terminator: 'none', details: 5, applies: false },
    { code: 'no-final-newline', terminator: 'LF', details: 0, applies: true },
    { code: 'duplicate-nir', terminator: 'LF', details: 1, applies: false },
    { code: 'duplicate-nir', terminator: 'none', details: 2, applies: true },
    { code: 'truncated', terminator: 'CRLF', details: 0, applies: true },
    { code: 'c1-byte', terminator: 'CRLF', details: 0, applies: false },
    { code: 'empty', terminator: 'LF', details: 0, applies: true }
  ]
  for (const c of table) {
    const problem = damageProblem(c.code, c.terminator, c.details)
    t.equal(problem === null, c.applies, `${c.code} ${c.terminator} ${c.details}`)
    if (problem !== null) t.match(problem, c.code)
  }
})
