import t from 'tap'
import { easterSunday, firstWorkingDayOfMonth, isWeekend, isWorkingDay, publicHolidays } from '../src/calendar.js'
import { dayFromYmd, isoFromDay } from '../src/layouts/dates.js'

t.test('Easter Sunday, by the Gregorian computus', async (t) => {
  for (const [year, iso] of [[2024, '2024-03-31'], [2025, '2025-04-20'], [2026, '2026-04-05'], [2027, '2027-03-28'], [2038, '2038-04-25'], [2000, '2000-04-23']] as const) t.equal(isoFromDay(easterSunday(year)), iso, String(year))
})

t.test('the eleven public holidays of 2026', async (t) => {
  t.same([...publicHolidays(2026)].sort((a, b) => a - b).map(isoFromDay), ['2026-01-01', '2026-04-06', '2026-05-01', '2026-05-08', '2026-05-14', '2026-05-25', '2026-07-14', '2026-08-15', '2026-11-01', '2026-11-11', '2026-12-25'])
})

t.test('a weekend is a Saturday or a Sunday, before 1970 as after, as the calendar of Date says', async (t) => {
  let differ = 0
  for (let day = -40_000; day <= 60_000; day++) {
    const weekday = new Date(day * 86_400_000).getUTCDay()
    if (isWeekend(day) !== (weekday === 0 || weekday === 6)) differ++
  }
  t.equal(differ, 0, 'days 1860 to 2134')
  t.equal(isWeekend(dayFromYmd(2026, 12, 5)), true, 'Saturday 5 December 2026')
  t.equal(isWeekend(dayFromYmd(2026, 12, 7)), false, 'Monday 7 December 2026')
})

t.test('working days: not weekends, not public holidays, not a département\'s own', async (t) => {
  const cases: [string, boolean, string[]?][] = [
    ['2026-11-02', true], ['2026-11-01', false], ['2026-11-07', false], ['2026-11-08', false], ['2026-11-11', false],
    ['2026-05-27', true], ['2026-05-27', false, ['05-27']], ['2026-12-24', true]
  ]
  for (const [iso, expected, local] of cases) {
    const [y, m, d] = iso.split('-').map(Number) as [number, number, number]
    t.equal(isWorkingDay(dayFromYmd(y, m, d), local), expected, `${iso}${local ? ` (${local.join(', ')})` : ''}`)
  }
})

t.test('the first working day of a month, when its stock is deposited', async (t) => {
  for (const [month, iso] of [[1, '2026-01-02'], [5, '2026-05-04'], [11, '2026-11-02'], [12, '2026-12-01'], [8, '2026-08-03']] as const) {
    t.equal(isoFromDay(firstWorkingDayOfMonth(dayFromYmd(2026, month, 15))), iso, `month ${month}`)
  }
})
