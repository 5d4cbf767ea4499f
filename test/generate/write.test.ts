import t from 'tap'
import { compactFromDay, dayFromYmd } from '../../src/layouts/dates.js'
import { buildPool, viewOf, writePoolEntry } from '../../src/generate/pools.js'
import { encodeRecord } from '../../src/layouts/engine.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { writeDateTo, writeDigits, yearOfDay } from '../../src/generate/write.js'

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

t.test('digits are zero-padded on the left to their width, a longer number cut to its last digits, above 2³¹ too', async (t) => {
  const out = Buffer.alloc(10, 0x20)
  for (const [value, width, text] of [[0, 1, '0'], [7, 3, '007'], [1234567, 7, '1234567'], [42, 8, '00000042'], [99, 2, '99'],
    [2147483647, 10, '2147483647'], [2147483648, 10, '2147483648'], [98765432100, 8, '65432100'], [123456789, 7, '3456789']] as const) {
    out.fill(0x20)
    writeDigits(out, 0, value, width)
    t.equal(out.toString('latin1', 0, width), text, `${value} in ${width}`)
  }
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
