import t from 'tap'
import { advanceBy, calendarDay, Clock, localText, PARIS_RULE_YEARS, parisRuleOffset, parseNow, zoneDataOffset } from '../src/clock.js'

const H = 3_600_000

t.test('--now is read as Paris time unless it carries an offset, which then sets the calendar days', async (t) => {
  const cases: { input: string, iso: string | null, zone?: string | number }[] = [
    { input: '2026-11-02T08:00:00', iso: '2026-11-02T07:00:00.000Z', zone: 'Europe/Paris' },
    { input: '2026-07-14T08:00', iso: '2026-07-14T06:00:00.000Z', zone: 'Europe/Paris' },
    { input: '2026-11-02', iso: '2026-11-01T23:00:00.000Z', zone: 'Europe/Paris' },
    { input: '2026-11-02T08:00:00+04:00', iso: '2026-11-02T04:00:00.000Z', zone: 240 },
    { input: '2026-11-02T08:00:00Z', iso: '2026-11-02T08:00:00.000Z', zone: 0 },
    { input: '2026-02-30', iso: null },
    { input: '2026-11-02T25:00', iso: null },
    { input: 'demain', iso: null },
    // offsets that exist only: from −12:00 to +14:00, minutes below 60
    { input: '2026-11-02T08:00:00+14:00', iso: '2026-11-01T18:00:00.000Z', zone: 840 },
    { input: '2026-11-02T08:00:00-12:00', iso: '2026-11-02T20:00:00.000Z', zone: -720 },
    { input: '2026-11-02T08:00:00+25:00', iso: null },
    { input: '2026-11-02T08:00:00+14:30', iso: null },
    { input: '2026-11-02T08:00:00-13:00', iso: null },
    { input: '2026-11-02T08:00:00+99:99', iso: null },
    { input: '2026-11-02T08:00:00+04:60', iso: null },
    // a year before 100 is that year (Date.UTC reads 0–99 as 1900–1999), with its own leap days
    { input: '0026-03-01T12:00:00Z', iso: '0026-03-01T12:00:00.000Z', zone: 0 },
    { input: '0024-02-29T00:00:00+01:00', iso: '0024-02-28T23:00:00.000Z', zone: 60 },
    { input: '0026-02-29', iso: null }
  ]
  for (const c of cases) {
    const r = parseNow(c.input)
    if (c.iso === null) t.equal(r, null, c.input)
    else t.same(r === null ? null : { iso: new Date(r.at).toISOString(), zone: r.zone }, { iso: c.iso, zone: c.zone }, c.input)
  }
})

t.test('calendar days are those of Europe/Paris, whatever the machine\'s zone', async (t) => {
  // 23:30 UTC on 31 December is already 1 January in Paris
  t.equal(calendarDay(Date.UTC(2026, 11, 31, 23, 30)), Math.floor(Date.UTC(2027, 0, 1) / 86_400_000))
  t.equal(calendarDay(Date.UTC(2026, 6, 31, 22, 30)), Math.floor(Date.UTC(2026, 7, 1) / 86_400_000), 'summer time: UTC+2')
  t.equal(calendarDay(Date.UTC(2026, 6, 31, 21, 30)), Math.floor(Date.UTC(2026, 6, 31) / 86_400_000))
  t.equal(calendarDay(Date.UTC(2026, 10, 2, 2), 240), Math.floor(Date.UTC(2026, 10, 2) / 86_400_000), 'a fixed offset')
})

t.test('Paris\'s offset by the European rule is the zone data\'s, at each change of offset from 1996 to 2099 and between them', async (t) => {
  // the rule answers without ICU's zone data (25 ms to load); should the zone data Node carries ever differ (the
  // Union ending summer time), this says so
  let differences = 0
  const check = (at: number): void => {
    if (parisRuleOffset(at) !== zoneDataOffset(at)) differences++
  }
  const { first, last } = PARIS_RULE_YEARS
  for (let year = first; year <= last; year++) {
    for (const month of [3, 10]) {
      // the zone data's change of offset in that month, found by halving (from the 20th to the month's end)
      let lo = Date.UTC(year, month - 1, 20)
      let hi = Date.UTC(year, month, 1)
      t.not(zoneDataOffset(lo), zoneDataOffset(hi), `${year}-${month}: the zone data change offset that month`)
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2)
        if (zoneDataOffset(mid) === zoneDataOffset(lo)) lo = mid
        else hi = mid
      }
      // zoneDataOffset reads whole seconds: the change is at hi rounded up to the second
      for (const at of [hi - 1000, hi - 1, hi, hi + 1, hi + 999, hi + 1000, hi + 3_600_000]) check(at)
      t.equal(new Date(hi).getUTCDay(), 0, `${year}-${month}: on a Sunday`)
    }
    // and every 61 hours of the year between them
    for (let at = Date.UTC(year, 0, 1); at < Date.UTC(year + 1, 0, 1); at += 61 * 3_600_000) check(at)
  }
  t.equal(differences, 0, 'no instant where the rule and the zone data differ')
  t.equal(parisRuleOffset(Date.UTC(first - 1, 6, 1)), null, 'before the rule: the zone data answer')
  t.equal(parisRuleOffset(Date.UTC(last + 1, 6, 1)), null, 'after the years checked: the zone data answer')
  t.equal(calendarDay(Date.UTC(1995, 8, 24, 22, 30)), Math.floor(Date.UTC(1995, 8, 24) / 86_400_000), '1995: summer time ended in September, as the zone data say')
})

t.test('advancing by days and months keeps the local time across a change of offset', async (t) => {
  const start = parseNow('2026-10-24T08:00:00')?.at as number
  t.equal(localText(advanceBy(start, '+1d', 'Europe/Paris') as number, 'Europe/Paris'), '2026-10-25 08:00 (Europe/Paris)')
  t.equal(localText(advanceBy(start, '+2d', 'Europe/Paris') as number, 'Europe/Paris'), '2026-10-26 08:00 (Europe/Paris)', 'past the end of summer time')
  t.equal(localText(advanceBy(parseNow('2026-01-31T08:00')?.at as number, '+1M', 'Europe/Paris') as number, 'Europe/Paris'), '2026-02-28 08:00 (Europe/Paris)', 'the last day of a shorter month')
  t.equal(advanceBy(start, '+12h', 'Europe/Paris'), start + 12 * H)
  t.equal(advanceBy(start, '+30min', 'Europe/Paris'), start + 30 * 60_000)
  for (const bad of ['1d', '+1y', '-1d', '+d', '']) t.equal(advanceBy(start, bad, 'Europe/Paris'), null, bad)
})

t.test('a running clock follows the wall from its start, a frozen one moves only when set, and neither goes back', async (t) => {
  let wall = 1_000_000
  const running = new Clock({ mode: 'running', at: 5_000_000, wallAt: wall, zone: 'Europe/Paris' }, () => wall)
  wall += 60_000
  t.equal(running.now(), 5_060_000)
  const frozen = new Clock({ mode: 'frozen', at: 5_000_000, wallAt: wall, zone: 'Europe/Paris' }, () => wall)
  wall += 60_000
  t.equal(frozen.now(), 5_000_000)
  frozen.set(6_000_000)
  t.equal(frozen.now(), 6_000_000)
  t.throws(() => { frozen.set(5_999_999) }, RangeError)
  const onWall = new Clock({ mode: 'wall', at: 0, wallAt: 0, zone: 'Europe/Paris' }, () => wall)
  t.equal(onWall.now(), wall)
  onWall.set(wall + H)
  t.equal(onWall.mode, 'running', 'a wall clock set by hand runs on from there')
  t.equal(onWall.now(), wall + H)
})

t.test('moving a running clock to a time it passed a millisecond ago lands on now instead of failing', async (t) => {
  let wall = Date.UTC(2026, 11, 2, 9)
  const clock = new Clock({ mode: 'wall', at: 0, wallAt: 0, zone: 'Europe/Paris' }, () => wall)
  const read = clock.now()
  wall += 1 // the wall clock ticks between the request's reading and the move
  t.throws(() => clock.set(read), RangeError, 'set refuses any time before now')
  t.equal(clock.setAtLeast(read), read + 1, 'setAtLeast stays at now')
  t.equal(clock.mode, 'running')
  t.equal(clock.setAtLeast(read + H, 'frozen'), read + H, 'a later time is reached as asked')
  wall += H
  t.equal(clock.now(), read + H, 'frozen')
})
