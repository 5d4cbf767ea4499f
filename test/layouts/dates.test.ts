import t from 'tap'
import { checkDate, compactFromDay, dayFromYmd, daysInMonth } from '../../src/layouts/dates.js'

const utcDay = (y: number, m: number, d: number): number => Math.floor(Date.UTC(y, m - 1, d) / 86_400_000)

t.test('a day number is the one Date.UTC gives, months and days out of range carried over', async (t) => {
  let differ = 0
  let checked = 0
  for (let y = 1600; y <= 2400; y += 1) {
    for (let m = -13; m <= 26; m++) {
      for (const d of [-31, 0, 1, 28, 29, 30, 31, 32, 366]) {
        checked++
        if (dayFromYmd(y, m, d) !== utcDay(y, m, d)) differ++
      }
    }
  }
  t.equal(differ, 0, `${checked} dates compared`)
  t.equal(dayFromYmd(1970, 1, 1), 0)
  t.equal(dayFromYmd(2000, 2, 29) + 1, dayFromYmd(2000, 3, 1))
  t.equal(dayFromYmd(2100, 2, 29), dayFromYmd(2100, 3, 1), '2100 is not a leap year')
})

t.test('years below 100 and non-integers read as Date.UTC reads them', async (t) => {
  t.equal(dayFromYmd(50, 1, 1), utcDay(50, 1, 1), 'year 50 is 1950 for Date.UTC')
  t.ok(Number.isNaN(dayFromYmd(Number.NaN, 1, 1)))
  t.equal(dayFromYmd(2026.5, 1, 1), utcDay(2026.5, 1, 1))
})

t.test('month lengths and checked dates', async (t) => {
  t.same([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].map((m) => daysInMonth(2024, m)), [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])
  t.equal(daysInMonth(1900, 2), 28)
  t.equal(checkDate('20260229'), 'jour 29 inexistant en 02/2026')
  t.equal(checkDate('20240229'), null)
  t.equal(compactFromDay(dayFromYmd(2026, 12, 2)), '20261202')
})
