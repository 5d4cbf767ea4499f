import t from 'tap'
import { compactFromDay, dayFromYmd } from '../../src/layouts/dates.js'
import { viewOf } from '../../src/generate/pools.js'
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

t.test('digits are zero-padded on the left to their width', async (t) => {
  const out = Buffer.alloc(8, 0x20)
  for (const [value, width, text] of [[0, 1, '0'], [7, 3, '007'], [1234567, 7, '1234567'], [42, 8, '00000042'], [99, 2, '99']] as const) {
    out.fill(0x20)
    writeDigits(out, 0, value, width)
    t.equal(out.toString('latin1', 0, width), text, `${value} in ${width}`)
  }
})
