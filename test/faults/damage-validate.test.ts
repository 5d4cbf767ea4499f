import t from 'tap'
import { damagePecgm, damageProblem } from '../../src/faults/damage.js'
import { DAMAGE_CODES, type DamageCode } from '../../src/faults/model.js'
import { pecgmChunks } from '../../src/generate/pecgm-file.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import type { Terminator } from '../../src/layouts/pecgm-reader.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import type { FindingCode } from '../../src/validate/codes.js'
import { PecgmValidator } from '../../src/validate/pecgm-validator.js'

/** Each damage, as the project's own PECGM validator sees it: the finding a département's software should match. */

const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)
const REFERENCE = parseIsoDate('2026-11-01') as number
const TERMINATORS = ['LF', 'CRLF', 'none'] as const
const DETAILS = 12
const RECORDS = DETAILS + 2
const SEEDS = [1, 2, 3, 42]

function pecgm (terminator: Terminator): Buffer {
  const scenario = { ...demo, pecgm: { ...demo.pecgm, terminator } }
  return Buffer.concat([...pecgmChunks({ scenario, departement: '77', referenceDay: REFERENCE, records: DETAILS })])
}

function validate (bytes: Buffer): ReturnType<PecgmValidator['end']> {
  const v = new PecgmValidator({ today: REFERENCE })
  v.push(bytes)
  return v.end()
}

/** « PECGM_TRUNCATED, PECGM_UNKNOWN_RECORD_TYPE ×6, PECGM_FILLER_NOT_BLANK (warning) » */
function summary (report: ReturnType<PecgmValidator['end']>): string {
  const counts = new Map<string, number>()
  for (const f of report.findings) {
    const key = `${f.code}${f.severity === 'error' ? '' : ` (${f.severity})`}`
    counts.set(key, (counts.get(key) ?? 0) + 1)
  }
  return [...counts].map(([k, c]) => c > 1 ? `${k} ×${c}` : k).join(', ')
}

interface Expected {
  code: FindingCode
  /** 'r': the damaged record; 'last': the footer; 'after': one past it */
  record: number | 'r' | 'last' | 'after'
  /** false for a damage the validator only warns about */
  invalid: boolean
}

const EXPECTED: { readonly [K in Exclude<DamageCode, 'duplicate-file'>]: (term: Terminator) => Expected } = {
  truncated: () => ({ code: 'PECGM_TRUNCATED', record: 'r', invalid: true }),
  'footer-count': () => ({ code: 'PECGM_FOOTER_COUNT', record: 'last', invalid: true }),
  'header-missing': () => ({ code: 'PECGM_HEADER_MISSING', record: 1, invalid: true }),
  // back to back, the short record shifts all that follows: the file ends short of a record
  'record-length': (term) => term === 'none' ? { code: 'PECGM_TRUNCATED', record: 'last', invalid: true } : { code: 'PECGM_RECORD_LENGTH', record: 'r', invalid: true },
  // back to back, the CR LF after the footer is a short record of its own
  'crlf-last-line': (term) => term === 'none' ? { code: 'PECGM_TRUNCATED', record: 'after', invalid: true } : { code: 'PECGM_TERMINATOR', record: 'last', invalid: true },
  'no-final-newline': () => ({ code: 'PECGM_TERMINATOR', record: 'last', invalid: true }),
  'utf8-name': () => ({ code: 'PECGM_UTF8', record: 'r', invalid: true }),
  'c1-byte': () => ({ code: 'PECGM_WINDOWS_1252', record: 'r', invalid: true }),
  'unknown-code': () => ({ code: 'PECGM_CODE_UNKNOWN', record: 'r', invalid: true }),
  'invalid-date': () => ({ code: 'PECGM_DATE_INVALID', record: 'r', invalid: true }),
  'duplicate-nir': () => ({ code: 'PECGM_DUPLICATE_NIR', record: 'r', invalid: true }),
  // an empty stock is well formed: the validator warns, it does not refuse
  empty: () => ({ code: 'PECGM_NO_DETAIL', record: 2, invalid: false })
}

const FILES: Record<Terminator, Buffer> = { LF: pecgm('LF'), CRLF: pecgm('CRLF'), none: pecgm('none') }

t.test('the undamaged files are valid, with no finding', async (t) => {
  for (const term of TERMINATORS) {
    const report = validate(FILES[term])
    t.ok(report.valid, term)
    t.same(report.findings.map((f) => f.code), [], term)
  }
})

t.test('the validator reports each damage with its finding and record', async (t) => {
  const codes = (Object.keys(DAMAGE_CODES) as DamageCode[]).filter((c) => c !== 'duplicate-file') as (keyof typeof EXPECTED)[]
  for (const code of codes) {
    for (const term of TERMINATORS) {
      if (damageProblem(code, term, DETAILS) !== null) continue
      const seen = new Set<string>()
      for (const seed of SEEDS) {
        const { bytes, result } = damagePecgm(FILES[term], code, seed)
        const report = validate(bytes)
        const e = EXPECTED[code](term)
        const record = e.record === 'r' ? result.record : e.record === 'last' ? RECORDS : e.record === 'after' ? RECORDS + 1 : e.record
        const name = `${code} ${term} seed ${seed}`
        seen.add(summary(report))
        t.equal(report.valid, !e.invalid, `${name}: ${e.invalid ? 'invalid' : 'valid, with a warning'}`)
        if (e.invalid) t.ok(report.stats.errors > 0, `${name}: at least one error`)
        t.ok(report.findings.some((f) => f.code === e.code && f.record === record), `${name}: ${e.code} at record ${String(record)}`)
      }
      t.comment(`${code} ${term}: ${[...seen].join(' | ')}`)
    }
  }
})

t.test('a file deposited twice is valid both times: only its fingerprint tells', async (t) => {
  const { bytes } = damagePecgm(FILES.LF, 'duplicate-file', 1)
  t.ok(validate(bytes).valid)
})
