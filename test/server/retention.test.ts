import t from 'tap'
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { parseNow } from '../../src/clock.js'
import { dayFromYmd } from '../../src/layouts/dates.js'
import { addDuration, parseDuration } from '../../src/server/options.js'
import { depositPecgm } from '../../src/server/services/deposits.js'
import { AS, Clock, DAY, monthlyName, raw, T0, testApp, validCgpem } from './helpers.js'

t.test('durations: calendar months, days, hours, minutes, seconds', async (t) => {
  const cases = [
    { text: '1M', from: '2026-01-31T10:00:00Z', to: '2026-02-28T10:00:00Z' },
    { text: '1M', from: '2026-11-27T10:00:00Z', to: '2026-12-27T10:00:00Z' },
    { text: '2M', from: '2027-12-31T00:00:00Z', to: '2028-02-29T00:00:00Z' },
    { text: '10d', from: '2026-11-27T10:00:00Z', to: '2026-12-07T10:00:00Z' },
    { text: '12h', from: '2026-11-27T10:00:00Z', to: '2026-11-27T22:00:00Z' },
    { text: '30min', from: '2026-11-27T10:00:00Z', to: '2026-11-27T10:30:00Z' },
    { text: '45s', from: '2026-11-27T10:00:00Z', to: '2026-11-27T10:00:45Z' }
  ]
  for (const c of cases) {
    const d = parseDuration(c.text)
    t.ok(d, c.text)
    if (d) t.equal(new Date(addDuration(Date.parse(c.from), d)).toISOString(), new Date(c.to).toISOString(), `${c.from} + ${c.text}`)
  }
  for (const bad of ['', '1', '0d', '1y', '-1d', '1.5d', 'M']) t.equal(parseDuration(bad), null, `« ${bad} » is refused`)
})

t.test('a month of retention is a month of the exchange\'s days: a stock deposited on 1 March at 06:00 in Nouméa (UTC+11:00) stays until 1 April', async (t) => {
  const start = parseNow('2027-03-01T08:00:00+11:00')
  const app = await testApp(t, { clock: { mode: 'frozen', start } })
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { name: string, createdAt: string, expiresAt: string }[] }>().files
  // 06:00 there is 19:00 UTC the day before: a month counted on UTC days ended on 29 March
  t.same(files.map((f) => [f.name, f.createdAt, f.expiresAt]), [['PECGM_77_M_20270301_20270301.txt', '2027-02-28T19:00:00.000Z', '2027-03-31T19:00:00.000Z']])
  t.equal(new Date(addDuration(Date.parse('2027-01-30T23:30:00Z'), { months: 1 }, 'Europe/Paris')).toISOString(), '2027-02-27T23:30:00.000Z', '31 January 00:30 in Paris: 28 February, not 1 March')
})

t.test('expired files are purged (a daily PECGM after ten days, a monthly one and an upload after a month), and each purge is traced', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const daily = await depositPecgm(app.files, app.scenario, { departement: '77', periodicity: 'Q', referenceDay: dayFromYmd(2026, 11, 27), fabricationDay: dayFromYmd(2026, 11, 27) })
  const up = await app.inject({ method: 'POST', url: '/api/v1/files?name=sent.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77', 3) })
  const reportId = up.json<{ report: { id: string } }>().report.id
  const names = async (): Promise<string[]> => (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { name: string }[] }>().files.map((f) => f.name).sort()
  const purge = async (): Promise<{ count: number, purged: { name: string }[] }> => (await app.inject({ method: 'POST', url: '/api/v1/admin/purge', headers: AS.admin })).json()
  const before = await names()
  t.ok([monthlyName('77'), daily.name, 'sent.xml'].every((n) => before.includes(n)))

  // November's stocks were deposited on its first working day, 2 November at 06:00 in Paris: a month later they go
  const stocks = ['77', '93', '971'].map(monthlyName)
  clock.at = Date.UTC(2026, 11, 2, 5) - 1
  t.equal((await purge()).count, 0, 'nothing before its time')
  clock.at = Date.UTC(2026, 11, 2, 5)
  t.same((await purge()).purged.map((f) => f.name).sort(), stocks, 'the monthly stocks a month after their deposit')
  // 971's flux of 27 November, deposited at 06:00 by the server, goes ten days later at 06:00
  const flux971 = 'PECGM_971_Q_20261127_20261127.txt'
  clock.at = T0 + 10 * DAY - 1
  t.same((await purge()).purged.map((f) => f.name), [flux971], 'the server\'s own daily file, at 06:00; the one deposited at 11:00 not yet')
  clock.at = T0 + 10 * DAY
  const first = await purge()
  t.same(first.purged.map((f) => f.name), [daily.name], 'the daily file after ten days')
  t.notOk(existsSync(join(app.storage.dataDir, 'files', '77', daily.name)), 'gone from the disk')
  t.same(await names(), ['sent.xml'], 'only the upload is left')

  clock.at = Date.UTC(2026, 11, 27, 10) - 1
  t.equal((await purge()).count, 0, 'nothing the day before')
  clock.at = Date.UTC(2026, 11, 27, 10)
  const second = await purge()
  t.same(second.purged.map((f) => f.name), ['sent.xml'], 'the upload after a month')
  const left = [...stocks, 'sent.xml', flux971]
  t.same(await names(), [])
  t.equal((await app.inject({ url: `/api/v1/reports/${reportId}`, headers: AS.dept77 })).statusCode, 404, 'the report went with its file')

  const trail = (await app.inject({ url: '/api/v1/admin/audit?kind=purge&limit=100', headers: AS.admin })).json<{ entries: { fileName: string | null, departement: string | null, sha256: string | null }[] }>().entries
  t.same(trail.filter((e) => e.fileName !== null).map((e) => e.fileName).sort(), [daily.name, ...left].sort(), 'each purged file is traced')
  t.ok(trail.filter((e) => e.fileName !== null).every((e) => e.sha256 !== null && e.departement !== null), 'with its département and SHA-256')
  t.ok(trail.filter((e) => e.fileName === null).length >= 3, 'and each run of the purge')
})

t.test('retention is configurable, and applies at start and every maintenance run; a stock is never deposited twice', async (t) => {
  // 2 November 2026, 06:00:30 in Paris: November's stocks were deposited 30 s ago
  const clock = new Clock(Date.UTC(2026, 10, 2, 5, 0, 30))
  const dataDir = t.testdir()
  const first = await testApp(t, { dataDir, now: clock.now, retention: { monthly: { ms: 60_000 } } })
  const expires = (await first.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { expiresAt: string }[] }>().files[0]?.expiresAt
  t.equal(expires, '2026-11-02T05:01:00.000Z', 'the listing shows the configured expiry')
  await first.close()
  clock.advance(60_000)
  const second = await testApp(t, { dataDir, now: clock.now, retention: { monthly: { ms: 60_000 } }, maintenanceIntervalMs: 20 })
  const trail = (await second.inject({ url: '/api/v1/admin/audit?kind=purge&limit=10', headers: AS.admin })).json<{ entries: { fileName: string | null }[] }>().entries
  t.equal(trail.filter((e) => e.fileName !== null).length, 3, 'purged at start')
  const listed = (await second.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { name: string }[] }>().files
  t.same(listed, [], 'and not deposited again: the month\'s stock was made once')

  // the periodic run purges too: an upload kept a minute
  await second.close()
  const third = await testApp(t, { dataDir, now: clock.now, retention: { rejected: { ms: 60_000 } }, maintenanceIntervalMs: 20 })
  const sent = await third.inject({ method: 'POST', url: '/api/v1/files?name=casse.xml', headers: { ...AS.dept77, ...raw() }, payload: Buffer.from('<CGPEM>') })
  t.equal(sent.statusCode, 422)
  clock.advance(60_000)
  const purgedFiles = async (): Promise<number> => (await third.inject({ url: '/api/v1/admin/audit?kind=purge&limit=100', headers: AS.admin }))
    .json<{ entries: { fileName: string | null }[] }>().entries.filter((e) => e.fileName !== null).length
  // the maintenance timer runs every 20 ms here: wait (bounded) for its next purge
  for (let i = 0; i < 200 && await purgedFiles() < 4; i++) await new Promise((resolve) => setTimeout(resolve, 10))
  t.equal(await purgedFiles(), 4, 'purged again by the periodic run')
  await third.close() // before tap removes the folder: the timer must not write into it meanwhile
})
