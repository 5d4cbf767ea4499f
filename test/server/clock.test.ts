import t from 'tap'
import { parseNow } from '../../src/clock.js'
import { AS, Clock as WallClock, diskFull, testApp } from './helpers.js'
import { PageClient } from './pages/client.js'
import { openStorage } from '../../src/storage/storage.js'

const START = parseNow('2026-11-02T08:00:00')?.at as number
const frozen = { mode: 'frozen' as const, start: { at: START, zone: 'Europe/Paris' as const } }

async function move (app: Awaited<ReturnType<typeof testApp>>, body: object): Promise<{ statusCode: number, json: () => any }> {
  return await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: AS.admin, payload: body })
}

t.test('a frozen clock started with --now stays put while the wall clock runs, and the admin reads it', async (t) => {
  const wall = new WallClock()
  const app = await testApp(t, { now: wall.now, clock: frozen })
  wall.advance(3_600_000)
  const res = await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })
  t.same(res.json(), { now: '2026-11-02T07:00:00.000Z', local: '2026-11-02 08:00 (Europe/Paris)', today: '2026-11-02', mode: 'frozen', zone: 'Europe/Paris' })
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string, createdAt: string }[]
  t.same(files.map((f) => f.name), ['PECGM_77_M_20261101_20261102.txt'], 'the stock of the clock\'s month, dated by the clock')
  t.equal(files[0]?.createdAt, '2026-11-02T05:00:00.000Z', 'at its scheduled time, 06:00 in Paris')
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.dept77 })).statusCode, 404, 'admin only')
})

t.test('advancing by a month lives each day in order: the next stock, the expired files purged, all traced with both times', async (t) => {
  const wall = new WallClock()
  const app = await testApp(t, { now: wall.now, clock: frozen })
  const res = await move(app, { advance: '+1M' })
  t.equal(res.statusCode, 200)
  const body = res.json()
  t.equal(body.clock.local, '2026-12-02 08:00 (Europe/Paris)')
  t.equal(body.clock.mode, 'frozen')
  t.same(body.deposited.map((f: { name: string }) => f.name).filter((n: string) => n.includes('_M_')).sort(), ['PECGM_77_M_20261201_20261201.txt', 'PECGM_93_M_20261201_20261201.txt', 'PECGM_971_M_20261201_20261201.txt'], 'December\'s stock, made on the 1st')
  t.same(body.purged.map((f: { name: string }) => f.name).filter((n: string) => n.includes('_M_')).sort(), ['PECGM_77_M_20261101_20261102.txt', 'PECGM_93_M_20261101_20261102.txt', 'PECGM_971_M_20261101_20261102.txt'], 'November\'s, a month old')
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string, createdAt: string }[]
  t.same(files.map((f) => [f.name, f.createdAt]), [['PECGM_77_M_20261201_20261201.txt', '2026-12-01T05:00:00.000Z']])
  app.auditTrail.flush()
  const trail = (await app.inject({ url: '/api/v1/admin/audit?kind=clock', headers: AS.admin })).json().entries as { at: string, exchangeAt: string, detail: string }[]
  t.match(trail[0]?.detail, /avancée par admin : de 2026-11-02 08:00 \(Europe\/Paris\) à 2026-12-02 08:00 \(Europe\/Paris\)/)
  t.equal(trail[0]?.at, new Date(wall.at).toISOString(), 'the wall time')
  t.equal(trail[0]?.exchangeAt, '2026-12-02T07:00:00.000Z', 'and the exchange time')
  const again = await move(app, { advance: '+1d' })
  t.same(again.json().deposited.map((f: { name: string }) => f.name), ['PECGM_971_Q_20261203_20261203.txt'], 'nothing twice: only the next day\'s flux')
})

t.test('the clock never goes back, and refuses what it cannot read', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const back = await move(app, { to: '2026-11-01T08:00:00' })
  t.equal(back.statusCode, 409)
  t.equal(back.json().code, 'PHEBUS_CLOCK_BACKWARDS')
  for (const body of [{ advance: '+1y' }, { to: 'demain' }, { advance: '+1d', to: '2026-12-01' }]) {
    const res = await move(app, body)
    t.equal(res.statusCode, 400, JSON.stringify(body))
    t.equal(res.json().code, 'PHEBUS_CLOCK_INVALID')
  }
  const to = await move(app, { to: '2026-11-20T09:30:00', mode: 'running' })
  t.equal(to.json().clock.local, '2026-11-20 09:30 (Europe/Paris)')
  t.equal(to.json().clock.mode, 'running')
})

t.test('on a restart the kept clock wins over an earlier --now', async (t) => {
  const dataDir = t.testdir()
  const first = await testApp(t, { dataDir, clock: frozen })
  await move(first, { advance: '+1M' })
  await first.close()
  const second = await testApp(t, { dataDir, clock: frozen })
  const clock = (await second.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json()
  t.equal(clock.local, '2026-12-02 08:00 (Europe/Paris)')
  t.equal(second.clockKept, 'celle du dossier de données, gardée : --now (2026-11-02 08:00 (Europe/Paris)) la ferait reculer', 'said beside the clock serve shows')
  t.equal(first.clockKept, null)
  await second.close()
  const later = await testApp(t, { dataDir, clock: { mode: 'frozen', start: { at: parseNow('2027-01-04T08:00:00')?.at as number, zone: 'Europe/Paris' } } })
  t.equal((await later.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().local, '2027-01-04 08:00 (Europe/Paris)', 'a later --now is taken')
})

t.test('a running clock stands still while the server is stopped, and after a kill runs on as if it had run', async (t) => {
  const dataDir = t.testdir()
  const wall = new WallClock()
  const running = { mode: 'running' as const, start: frozen.start }
  const local = async (app: Awaited<ReturnType<typeof testApp>>): Promise<string> => (await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().local
  const first = await testApp(t, { dataDir, now: wall.now, clock: running })
  wall.advance(3_600_000)
  await first.close()
  wall.advance(5 * 3_600_000)
  const second = await testApp(t, { dataDir, now: wall.now, clock: running })
  t.equal(await local(second), '2026-11-02 09:00 (Europe/Paris)', 'from the time kept at the stop, the same --now given')
  await second.close()
  wall.advance(3_600_000)
  const third = await testApp(t, { dataDir, now: wall.now })
  t.equal(await local(third), '2026-11-02 09:00 (Europe/Paris)', 'nothing asked: it stays as it was, running from where it stood')
  wall.advance(3_600_000)
  await third.close()
  // a kill: the clock is not written at the stop, the row stays as the start (or its last change) wrote it
  const storage = openStorage(dataDir)
  const kept = storage.clock.get()
  if (kept !== null) storage.clock.put(kept)
  storage.close()
  wall.advance(2 * 3_600_000)
  const fourth = await testApp(t, { dataDir, now: wall.now })
  t.equal(await local(fourth), '2026-11-02 12:00 (Europe/Paris)', 'after a kill, as if it had run during the stop')
})

t.test('a move whose deposits fail stops at the day that failed, in the mode asked, kept, and the next move makes that day first', async (t) => {
  const wall = new WallClock()
  const app = await testApp(t, { now: wall.now, clock: { mode: 'running', start: frozen.start } })
  // Tuesday's flux of 971 is written, Wednesday's finds the disk full
  diskFull(app, false, true)
  const res = await move(app, { advance: '+3d' })
  t.equal(res.statusCode, 507)
  t.equal(res.json().code, 'PHEBUS_STORAGE_FULL')
  t.equal(res.json().message, 'Le disque du serveur est plein : l\'horloge de l\'échange s\'est arrêtée au 2026-11-04 06:00 (Europe/Paris), dont les dépôts n\'ont pas pu être faits, au lieu d\'aller au 2026-11-05 08:00 (Europe/Paris) ; 1 dépôt fait avant (PECGM_971_Q_20261103_20261103.txt). Avancez-la de nouveau une fois de la place faite : ce jour-là est refait d\'abord.')
  const clock = (await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json()
  t.equal(clock.local, '2026-11-04 06:00 (Europe/Paris)')
  t.equal(clock.mode, 'running', 'still running, as it was')
  t.equal(app.storage.clock.get()?.at, parseNow('2026-11-04T06:00:00')?.at, 'kept where it stopped')
  app.auditTrail.flush()
  t.match(app.auditTrail.query({ kind: 'clock', limit: 1 })[0]?.detail, /avancée par admin : de 2026-11-02 08:00 \(Europe\/Paris\) à 2026-11-04 06:00 \(Europe\/Paris\) au lieu de 2026-11-05 08:00 \(Europe\/Paris\), en marche ; 1 dépôt\(s\), 0 fichier\(s\) supprimé\(s\) ; arrêtée là : dépôts impossibles \(le disque est plein\)/)
  const again = await move(app, { advance: '+1d' })
  t.equal(again.statusCode, 200)
  t.same(again.json().deposited.map((f: { name: string }) => f.name), ['PECGM_971_Q_20261104_20261104.txt', 'PECGM_971_Q_20261105_20261105.txt'], 'the day that failed, then the next')
})

t.test('security timers keep the wall clock: advancing a month logs nobody out and lifts no lock', async (t) => {
  const wall = new WallClock()
  const app = await testApp(t, { now: wall.now, clock: frozen })
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  for (let i = 0; i < 5; i++) await app.inject({ url: '/api/v1/files', headers: { authorization: `Basic ${Buffer.from('dept93:mauvais').toString('base64')}` } })
  await move(app, { advance: '+1M' })
  t.equal((await c.get('/fichiers')).statusCode, 200, 'still logged in')
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept93 })).statusCode, 429, 'still locked')
})

t.test('a stock waits for its first working day, the département\'s own holidays included', async (t) => {
  // Friday 1 May 2026 is a holiday: May's stock is made on Monday 4 May; 971 would skip 27 May, not a first day
  const app = await testApp(t, { clock: { mode: 'frozen', start: { at: parseNow('2026-04-30T08:00:00')?.at as number, zone: 'Europe/Paris' } } })
  const moved = (await move(app, { to: '2026-05-04T05:00:00' })).json()
  t.same(moved.deposited.map((f: { name: string }) => f.name).filter((n: string) => n.includes('_M_')), [], 'no stock on the holiday nor on the weekend, nor before 06:00 on Monday')
  const monday = (await move(app, { to: '2026-05-04T06:00:00' })).json()
  t.same(monday.deposited.map((f: { name: string }) => f.name).sort(), ['PECGM_77_M_20260501_20260504.txt', 'PECGM_93_M_20260501_20260504.txt', 'PECGM_971_M_20260501_20260504.txt', 'PECGM_971_Q_20260504_20260504.txt'])
})

t.test('the stock due at an instant: the latest whose first working day, 06:00 in Paris, is past', async (t) => {
  const { dueMonthlyStock } = await import('../../src/server/services/deposits.js')
  const { isoFromDay } = await import('../../src/layouts/dates.js')
  const due = (now: string, holidays: string[] = []): string => {
    const d = dueMonthlyStock(parseNow(now)?.at as number, holidays)
    return `${isoFromDay(d.referenceDay)} ${isoFromDay(d.fabricationDay)} ${new Date(d.at).toISOString()}`
  }
  t.equal(due('2026-11-27T11:00'), '2026-11-01 2026-11-02 2026-11-02T05:00:00.000Z')
  t.equal(due('2026-11-01T11:00'), '2026-10-01 2026-10-01 2026-10-01T04:00:00.000Z', 'on a holiday Sunday, October\'s (summer time: 06:00 is 04:00 UTC)')
  t.equal(due('2026-12-01T05:59'), '2026-11-01 2026-11-02 2026-11-02T05:00:00.000Z', 'before 06:00 on the first working day')
  t.equal(due('2026-12-01T06:00'), '2026-12-01 2026-12-01 2026-12-01T05:00:00.000Z')
  t.equal(due('2026-12-01T09:00', ['12-01']), '2026-11-01 2026-11-02 2026-11-02T05:00:00.000Z', 'a département\'s own holiday')
  t.equal(due('2026-12-02T09:00', ['12-01']), '2026-12-01 2026-12-02 2026-12-02T05:00:00.000Z')
})

t.test('the admin deposits now, without moving the clock: the day\'s flux, or the month\'s stock again under the next name', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const deposit = async (body: object): Promise<{ statusCode: number, json: () => any }> => await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: body })
  const flux = await deposit({ departement: '93', periodicity: 'Q' })
  t.equal(flux.statusCode, 201)
  t.match(flux.json(), { departement: '93', name: 'PECGM_93_Q_20261102_20261102.txt', createdAt: '2026-11-02T07:00:00.000Z' })
  t.equal((await deposit({ departement: '93', periodicity: 'M' })).json().name, 'PECGM_93_M_20261101_20261102_2.txt')
  t.equal((await deposit({ departement: '13', periodicity: 'M' })).statusCode, 404, 'a département of the scenario')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.dept93, payload: { departement: '93', periodicity: 'Q' } })).statusCode, 404, 'admin only')
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().local, '2026-11-02 08:00 (Europe/Paris)', 'the clock did not move')
  const roles = ((await app.inject({ url: '/api/v1/files', headers: AS.dept93 })).json().files as { name: string, role: string }[]).map((f) => `${f.name} ${f.role}`).sort()
  t.same(roles, ['PECGM_93_M_20261101_20261102.txt stock', 'PECGM_93_M_20261101_20261102_2.txt stock', 'PECGM_93_Q_20261102_20261102.txt flux'])
})

t.test('a month on a frozen clock: December\'s stock, the daily files of the last ten days, the older ones deposited then purged; the same twice, byte for byte', async (t) => {
  const run = async (): Promise<{ files: { name: string, sha256: string, role: string }[], deposited: string[], purged: string[] }> => {
    const app = await testApp(t, { clock: frozen })
    await move(app, { advance: '+1M' })
    const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept971 })).json().files as { name: string, sha256: string, role: string }[]
    app.auditTrail.flush()
    const trail = (kind: string): string[] => app.auditTrail.query({ kind: kind as 'deposit', departement: '971', limit: 1000 }).map((e) => e.fileName ?? '').filter((n) => n.includes('_Q_'))
    const out = { files, deposited: trail('deposit'), purged: trail('purge') }
    await app.close()
    return out
  }
  const first = await run()
  const days = ['20261123', '20261124', '20261125', '20261126', '20261127', '20261130', '20261201', '20261202']
  t.same(first.files.map((f) => f.name).sort(), ['PECGM_971_M_20261201_20261201.txt', ...days.map((d) => `PECGM_971_Q_${d}_${d}.txt`)].sort(), 'December\'s stock and the daily files, nothing else')
  t.same(first.files.filter((f) => f.role === 'flux').map((f) => f.name.slice(12, 20)).sort(), days, 'a daily file for each working day of the last ten days')
  const older = ['20261102', '20261103', '20261104', '20261105', '20261106', '20261109', '20261110', '20261112', '20261113', '20261116', '20261117', '20261118', '20261119', '20261120']
  t.same(first.purged.map((n) => n.slice(12, 20)).sort(), older, 'each older daily file purged (11 November is a holiday: none that day)')
  t.same(first.deposited.map((n) => n.slice(12, 20)).sort(), [...older, ...days].sort(), 'and deposited before')
  const second = await run()
  t.same(second.files.map((f) => [f.name, f.sha256]), first.files.map((f) => [f.name, f.sha256]), 'the same files, byte for byte')
})

t.test('on a running clock, asking for now (or only a mode) is never « backwards »', async (t) => {
  const app = await testApp(t, { now: Date.now })
  for (const body of [{}, { mode: 'running' }, { advance: '+0min' }]) {
    const res = await move(app, body)
    t.equal(res.statusCode, 200, JSON.stringify(body))
  }
  t.equal((await move(app, { mode: 'frozen' })).json().clock.mode, 'frozen')
})

t.test('a move crosses a year at most (each day is lived), and one move runs at a time', async (t) => {
  const app = await testApp(t, { clock: frozen })
  for (const body of [{ to: '2028-06-01' }, { to: '2027-11-04' }, { advance: '+13M' }]) {
    const res = await move(app, body)
    t.equal(res.statusCode, 400, JSON.stringify(body))
    t.match(res.json(), { code: 'PHEBUS_CLOCK_INVALID', message: /Au plus un an d'un coup \(366 jours\).*Avancez en plusieurs fois/ })
  }
  // past the dates an exchange may have, whatever the distance
  for (const body of [{ to: '2200-01-01' }, { to: '9999-12-31' }, { to: '0026-03-01T08:00:00' }]) {
    const res = await move(app, body)
    t.equal(res.statusCode, 400, JSON.stringify(body))
    t.match(res.json(), { code: 'PHEBUS_CLOCK_INVALID', message: /est hors des dates que le simulateur sait faire vivre \(du 1980-01-01 au 2099-12-31\)/ })
    // the year as given, where « 0026 » was answered as 1926
    t.match(res.json().message, new RegExp(`^${body.to.slice(0, 10)} `), 'the date named is the one asked for')
  }
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().today, '2026-11-02', 'the clock did not move')
  const [first, second] = await Promise.all([move(app, { advance: '+1M' }), move(app, { advance: '+1d' })])
  t.equal(first.statusCode, 200)
  t.equal(second.statusCode, 409, 'the second waits for nobody: refused while the first runs')
  t.equal(second.json().code, 'PHEBUS_CLOCK_BUSY')
  const year = await move(app, { to: '2027-12-02T08:00:00' })
  t.equal(year.statusCode, 200, 'a whole year (366 days) goes')
  t.equal(year.json().clock.today, '2027-12-02')
})

t.test('a clock whose --now carried an offset has its days and its 06:00 deposits there', async (t) => {
  const start = parseNow('2027-01-04T01:00:00-04:00')
  t.equal(start?.zone, -240)
  const app = await testApp(t, { clock: { mode: 'frozen', start: start as { at: number, zone: -240 } } })
  const names = async (): Promise<string[]> => ((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files as { name: string }[]).map((f) => f.name)
  t.same(await names(), [], 'at 01:00 there, January\'s stock (4 January, 06:00) is not due yet (and December\'s is past its month)')
  t.equal((await move(app, { to: '2027-01-04T05:59:00-04:00' })).json().deposited.length, 0, 'nor at 05:59')
  const at6 = await move(app, { to: '2027-01-04T06:00:00-04:00' })
  t.same(at6.json().deposited.map((f: { name: string }) => f.name).filter((n: string) => n.startsWith('PECGM_77_')), ['PECGM_77_M_20270101_20270104.txt'], 'at 06:00 there')
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files.find((f: { name: string }) => f.name === 'PECGM_77_M_20270101_20270104.txt')?.createdAt, '2027-01-04T10:00:00.000Z')
})

t.test('a move that starts before 06:00 lives that day\'s 06:00 too: its daily flux is deposited, not skipped', async (t) => {
  // Tuesday 3 November 2026, 05:00: the day's deposits are not due yet; the move goes past that day's 06:00 and the next's
  const app = await testApp(t, { clock: { mode: 'frozen', start: { at: parseNow('2026-11-03T05:00:00')?.at as number, zone: 'Europe/Paris' } } })
  const moved = (await move(app, { to: '2026-11-04T08:00:00' })).json()
  t.same(moved.deposited.map((f: { name: string }) => f.name), ['PECGM_971_Q_20261103_20261103.txt', 'PECGM_971_Q_20261104_20261104.txt'], 'Tuesday\'s flux, then Wednesday\'s')
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept971 })).json().files as { name: string, createdAt: string }[]
  t.same(files.map((f) => f.name).sort(), ['PECGM_971_M_20261101_20261102.txt', 'PECGM_971_Q_20261102_20261102.txt', 'PECGM_971_Q_20261103_20261103.txt', 'PECGM_971_Q_20261104_20261104.txt'])
  t.equal(files.find((f) => f.name === 'PECGM_971_Q_20261103_20261103.txt')?.createdAt, '2026-11-03T05:00:00.000Z', 'made at its own 06:00')
})

t.test('a time to reach without an offset is read in the clock\'s zone, the one its days and its answers are in', async (t) => {
  const app = await testApp(t, { clock: { mode: 'frozen', start: parseNow('2027-01-04T01:00:00-04:00') as { at: number, zone: -240 } } })
  const moved = (await move(app, { to: '2027-01-04T06:00:00' })).json()
  t.equal(moved.clock.local, '2027-01-04 06:00 (UTC-04:00)', 'the 06:00 of the clock\'s days')
  t.same(moved.deposited.map((f: { name: string }) => f.name).filter((n: string) => n.startsWith('PECGM_77_')), ['PECGM_77_M_20270101_20270104.txt'], 'January\'s stock, due at that 06:00')
  const day = (await move(app, { to: '2027-01-05' })).json()
  t.equal(day.clock.local, '2027-01-05 00:00 (UTC-04:00)', 'a date alone: its midnight there')
  t.equal((await move(app, { to: '2027-01-05T08:00:00+01:00' })).json().clock.local, '2027-01-05 03:00 (UTC-04:00)', 'an offset given is kept')
})
