import t from 'tap'
import { compactFromDay, dayFromYmd, daysInMonth } from '../../src/layouts/dates.js'
import { buildPool, entriesHeld, entryForm, writePoolEntry } from '../../src/generate/pools.js'
import { encodeRecord } from '../../src/layouts/engine.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { dayOfDate, viewOf, writeDateTo, writeDigits, yearOfDay } from '../../src/generate/write.js'
import { planPecgm } from '../../src/generate/pecgm-file.js'
import { REFERENCE, scenario } from './helpers.js'

t.test('a date is written as compactFromDay writes it, and its year is read, every day from 1700 to 2300', async (t) => {
  const out = Buffer.alloc(16, 0x20)
  const view = viewOf(out)
  let written = 0
  let years = 0
  let days = 0
  for (let day = dayFromYmd(1700, 1, 1), last = dayFromYmd(2300, 12, 31); day <= last; day++, days++) {
    const expected = compactFromDay(day)
    writeDateTo(view, out, 3, day)
    if (out.toString('latin1', 3, 11) !== expected) written++
    if (yearOfDay(day) !== Number(expected.slice(0, 4))) years++
  }
  t.equal(written, 0, `dates written otherwise than compactFromDay, of ${days}`)
  t.equal(years, 0, 'years read otherwise')
  t.equal(out.toString('latin1', 0, 3) + out.toString('latin1', 11), ' '.repeat(8), 'nothing written around the date')
})

t.test('the day number of a real date is dayFromYmd\'s, every day from 1800 to 2200', async (t) => {
  let differ = 0
  let days = 0
  for (let y = 1800; y <= 2200; y++) {
    for (let m = 1; m <= 12; m++) {
      for (let d = 1; d <= daysInMonth(y, m); d++, days++) if (dayOfDate(y, m, d) !== dayFromYmd(y, m, d)) differ++
    }
  }
  t.equal(differ, 0, `of ${days}`)
})

t.test('digits are zero-padded on the left to their width, a longer number cut to its last digits, above 2³¹ too', async (t) => {
  const out = Buffer.alloc(10, 0x20)
  for (const [value, width, text] of [[0, 1, '0'], [7, 3, '007'], [1234567, 7, '1234567'], [42, 8, '00000042'], [99, 2, '99'],
    [2147483647, 10, '2147483647'], [2147483648, 10, '2147483648'], [98765432100, 8, '65432100'], [123456789, 7, '3456789']] as const) {
    out.fill(0x20)
    writeDigits(out, 0, value, width)
    t.equal(out.toString('latin1', 0, width), text, `${value} in ${width}`)
  }
})

t.test('digits are the number\'s last digits, zero-padded, and nothing around them, at every width and length, through a view given or not', async (t) => {
  const out = Buffer.alloc(16, 0x20)
  const view = viewOf(out)
  let differ = 0
  let tried = 0
  const values = [0, 1, 9, 10, 99, 100, 999, 1000, 9999, 10_000, 99_999, 1_234_567, 9_999_999, 10_000_000, 23_736_239, 99_999_999, 100_000_000, 2_147_483_647, 2_147_483_648, 98_765_432_100]
  for (let n = 0; n < 5000; n++) values.push(Math.floor(Math.random() * 10 ** (1 + (n % 10))))
  for (const value of values) {
    for (let width = 1; width <= 10; width++) {
      const expected = `   ${String(value).slice(-width).padStart(width, '0')}${' '.repeat(13 - width)}`
      for (const given of [true, false]) {
        tried++
        out.fill(0x20)
        if (given) writeDigits(out, 3, value, width, view)
        else writeDigits(out, 3, value, width)
        if (out.toString('latin1') !== expected && differ++ < 5) t.fail(`${value} in ${width}: ${out.toString('latin1')} against ${expected}`)
      }
    }
  }
  t.equal(differ, 0, `of ${tried}`)
})

t.test('a pool writes each entry as encodeRecord does, and reads its values back as written, cased and cut', async (t) => {
  const detail = getPecgmLayouts('001,0').detail
  const fields = ['SUIVI_PRINCIPAL_STRUCTURE', 'SUIVI_PRINCIPAL_VOIE', 'SUIVI_PRINCIPAL_COMPLEMENT', 'SUIVI_PRINCIPAL_CODE_POSTAL']
  const entries = [
    { SUIVI_PRINCIPAL_STRUCTURE: 'Agence de Meaux', SUIVI_PRINCIPAL_VOIE: '3 rue de l\'Église', SUIVI_PRINCIPAL_CODE_POSTAL: '77100' },
    { SUIVI_PRINCIPAL_STRUCTURE: 'Œuvre', SUIVI_PRINCIPAL_COMPLEMENT: 'Bâtiment « B », une adresse bien plus longue que sa zone' },
    {},
    { SUIVI_PRINCIPAL_CODE_POSTAL: '7' }
  ]
  for (const upper of [true, false]) {
    const pool = buildPool(detail, fields, entries, { upper })
    entries.forEach((entry, i) => {
      const expected = encodeRecord(detail, entry, { upper })
      const out = Buffer.alloc(detail.length, 0x20)
      writePoolEntry(out, 0, pool, i)
      t.same(out, expected, `entry ${i}, upper ${String(upper)}: the record's bytes`)
      for (const f of fields) {
        const field = detail.byName.get(f)
        if (field === undefined) throw new Error(f)
        t.equal(pool.values[i]?.[f], expected.toString('latin1', field.offset, field.offset + field.length).replace(/ +$/, ''), `entry ${i} ${f}`)
      }
    })
  }
})

t.test('an entry whose 8-byte words would read as a NaN is written a byte at a time, the same bytes', async (t) => {
  const detail = getPecgmLayouts('001,0').detail
  const fields = ['SUIVI_PRINCIPAL_STRUCTURE', 'SUIVI_PRINCIPAL_VOIE']
  // « ôÿ » as a word's last two bytes: 0xF4 0xFF, a NaN's exponent, read little-endian
  const entries = [{ SUIVI_PRINCIPAL_STRUCTURE: 'Agenceôÿ', SUIVI_PRINCIPAL_VOIE: 'rue' }, { SUIVI_PRINCIPAL_STRUCTURE: 'Agence de Meaux' }]
  const nan = buildPool(detail, fields, entries, { upper: false })
  t.ok(Number.isNaN(nan.bytes.readDoubleLE(0)), 'the entry\'s first word is a NaN')
  t.same([entryForm(nan, 0), entryForm(nan, 1)], ['bytes', 'words'], 'that entry a byte at a time, the other in 8-byte words')
  const narrow = buildPool(detail, ['STATUT_CERTIFICATION_IDENTITE'], [{ STATUT_CERTIFICATION_IDENTITE: 'O' }, {}], { upper: false })
  t.same([entryForm(narrow, 0), entryForm(narrow, 1)], ['bytes', 'none'], 'narrower than a word: a byte at a time; only spaces: nothing')
  entries.forEach((entry, i) => {
    const out = Buffer.alloc(detail.length, 0x20)
    writePoolEntry(out, 0, nan, i)
    t.same(out, encodeRecord(detail, entry, { upper: false }), `entry ${i}: the record's bytes`)
  })
})

t.test('a pool over fields that are unknown, outside the span from the first to the last, or named twice is refused, saying which field', async (t) => {
  const detail = getPecgmLayouts('001,0').detail
  const entries = [{ SUIVI_PRINCIPAL_STRUCTURE: 'Agence de Meaux', SUIVI_PRINCIPAL_VOIE: 'rue' }]
  t.throws(() => buildPool(detail, ['PAS_UN_CHAMP'], entries, { upper: false }), { name: 'RangeError', message: /unknown field in PAS_UN_CHAMP/ })
  t.throws(() => buildPool(detail, ['SUIVI_PRINCIPAL_STRUCTURE', 'NIR', 'SUIVI_PRINCIPAL_VOIE'], entries, { upper: false }), { name: 'RangeError', message: /field NIR, or not between/ })
  t.throws(() => buildPool(detail, ['SUIVI_PRINCIPAL_STRUCTURE', 'SUIVI_PRINCIPAL_STRUCTURE', 'SUIVI_PRINCIPAL_VOIE'], entries, { upper: false }),
    { name: 'RangeError', message: 'buildPool: field SUIVI_PRINCIPAL_STRUCTURE named twice' })
  const pool = buildPool(detail, ['SUIVI_PRINCIPAL_STRUCTURE', 'SUIVI_PRINCIPAL_VOIE'], entries, { upper: false })
  t.equal(pool.values[0]?.SUIVI_PRINCIPAL_VOIE, 'rue', 'each named once, in order: made')
})

t.test('a pool made again with the same bytes is given the same entries: the table grows with the different pools, never with the files made', async (t) => {
  const demo = await scenario('demo')
  const detail = getPecgmLayouts('001,0').detail
  const entries = [{ PRENOM: 'Anaïs' }, { PRENOM: 'Zoé' }]
  const one = buildPool(detail, ['PRENOM'], entries, { upper: false })
  t.equal(buildPool(detail, ['PRENOM'], entries, { upper: false }).base, one.base, 'the same bytes: the same entries')
  t.not(buildPool(detail, ['PRENOM'], entries, { upper: true }).base, one.base, 'other bytes (upper case): entries of their own')
  // a département's context is made for each file: the server makes one for every deposit, sample and answer
  const req = { scenario: demo, departement: '93', referenceDay: REFERENCE, records: 10 }
  planPecgm(req)
  const held = entriesHeld()
  for (let i = 0; i < 20; i++) planPecgm(req)
  t.equal(entriesHeld(), held, 'twenty more contexts of the same département: not one entry more')
  planPecgm({ ...req, seed: 77 })
  t.ok(entriesHeld() > held, 'another seed makes other agencies and advisers: their entries')
})
