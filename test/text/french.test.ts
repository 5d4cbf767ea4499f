import t from 'tap'
import { frenchCount, frenchDate, frenchDateTime, frenchList, frenchNumber, frenchPercent } from '../../src/text/french.js'

const NBSP = '\u00a0'

t.test('numbers: decimal comma, thousands grouped by a no-break space (one every PDF font has)', async (t) => {
  const table: { input: [number, number?], expect: string }[] = [
    { input: [0], expect: '0' },
    { input: [999], expect: '999' },
    { input: [1234], expect: `1${NBSP}234` },
    { input: [10_000_000], expect: `10${NBSP}000${NBSP}000` },
    { input: [1234567.5], expect: `1${NBSP}234${NBSP}567,5` },
    { input: [0.5, 1], expect: '0,5' },
    { input: [2, 1], expect: '2,0' },
    { input: [-3.25, 2], expect: '-3,25' }
  ]
  for (const c of table) t.equal(frenchNumber(...c.input), c.expect, String(c.input))
  t.notMatch(frenchNumber(1e9), /\u202f/, 'never the narrow space, which the PDF fonts lack')
})

t.test('whole numbers are written without Intl, exactly as Intl writes them', async (t) => {
  const intl = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 20 })
  const values = [0, -0, 1, -1, 12, 123, 999, 1000, -1000, 9999, 10_000, 123_456, 999_999, 1_000_000, -1_234_567, 1_201_002_402,
    2 ** 31, -(2 ** 31), Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]
  for (let k = 0; k < 2000; k++) values.push(Math.floor((Math.sin(k) * 10 ** (k % 16))))
  let different = 0
  for (const v of values) if (frenchNumber(v) !== intl.format(v).replace(/\u202f/g, NBSP)) different++
  t.equal(different, 0, `${values.length} values, the same text as Intl's`)
  for (const digits of [0, 1, 2, 3]) {
    const fixed = new Intl.NumberFormat('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits })
    let differ = 0
    for (const v of values) if (frenchNumber(v, digits) !== fixed.format(v).replace(/\u202f/g, NBSP)) differ++
    t.equal(differ, 0, `${values.length} values with ${digits} decimal(s), the same text as Intl's`)
  }
  t.equal(frenchNumber(-0), '-0', 'minus zero as Intl writes it')
  t.equal(frenchNumber(2 ** 60), intl.format(2 ** 60).replace(/\u202f/g, NBSP), 'beyond the safe integers: Intl')
})

t.test('percentages: « 100,0 % », a no-break space before the sign', async (t) => {
  t.equal(frenchPercent(1), `100,0${NBSP}%`)
  t.equal(frenchPercent(0.953), `95,3${NBSP}%`)
  t.equal(frenchPercent(0.5, 0), `50${NBSP}%`)
})

t.test('dates: « 1er » for the first of a month, the day otherwise', async (t) => {
  const table = [
    { input: '2027-03-01', expect: '1er mars 2027' },
    { input: '2027-03-02', expect: '2 mars 2027' },
    { input: '2026-11-27', expect: '27 novembre 2026' },
    { input: '2026-01-01T23:30:00Z', expect: '1er janvier 2026' }
  ]
  for (const c of table) t.equal(frenchDate(c.input), c.expect, c.input)
})

t.test('instants: the day and the time as Paris reads them', async (t) => {
  const table = [
    { input: '2027-02-28T23:30:00Z', expect: '1er mars 2027 à 00:30' },
    { input: '2026-11-27T10:05:00Z', expect: '27 novembre 2026 à 11:05' },
    { input: '2026-07-01T06:00:00Z', expect: '1er juillet 2026 à 08:00' }
  ]
  for (const c of table) t.equal(frenchDateTime(c.input), c.expect, c.input)
})

t.test('lists items as French does: commas, then « et » before the last', async (t) => {
  t.equal(frenchList([]), '')
  t.equal(frenchList(['01']), '01')
  t.equal(frenchList(['01', '05']), '01 et 05')
  t.equal(frenchList(['01', '05', '06']), '01, 05 et 06')
})

t.test('counts: 0 and 1 in the singular, as French says them, 2 and more in the plural', async (t) => {
  t.same([0, 1, 2, 1200].map((n) => frenchCount(n, 'caractère')), ['0 caractère', '1 caractère', '2 caractères', '1200 caractères'])
  t.equal(frenchCount(3, 'journal', 'journaux'), '3 journaux')
})
