import t from 'tap'
import { parseNow } from '../../src/clock.js'
import { AS, basic, testApp } from './helpers.js'

const START = parseNow('2026-11-02T08:00:00')?.at as number
const frozen = { mode: 'frozen' as const, start: { at: START, zone: 'Europe/Paris' as const } }

type App = Awaited<ReturnType<typeof testApp>>
interface Reply { statusCode: number, json: () => any, body: string }

async function create (app: App, code: string, name = 'Bouches-du-Rhône'): Promise<Reply> {
  return await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: AS.admin, payload: { code, name } })
}

async function move (app: App, body: object): Promise<{ deposited: string[], purged: string[] }> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: AS.admin, payload: body })
  const names = (list: { name: string }[]): string[] => list.map((f) => f.name).sort()
  return { deposited: names(res.json().deposited), purged: names(res.json().purged) }
}

async function filesOf (app: App, auth: { authorization: string }): Promise<{ name: string, role: string, createdAt: string }[]> {
  return (await app.inject({ url: '/api/v1/files', headers: auth })).json().files
}

/** The detail records of a PECGM (its lines but the header and the footer). */
async function details (app: App, auth: { authorization: string }, name: string): Promise<number> {
  const body = (await app.inject({ url: `/api/v1/files/${name}`, headers: auth })).body
  return body.split('\n').filter((l) => l.startsWith('D')).length
}

t.test('a département the admin creates gets the month\'s stock at once, at its scheduled time, with the scenario\'s median population', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const res = await create(app, '13')
  t.equal(res.statusCode, 201)
  const auth = basic('dept13', res.json().password)
  const files = await filesOf(app, auth)
  t.same(files.map((f) => [f.name, f.role, f.createdAt]), [['PECGM_13_M_20261101_20261102.txt', 'stock', '2026-11-02T05:00:00.000Z']], 'November\'s stock, dated like the scenario\'s')
  t.equal(await details(app, auth, 'PECGM_13_M_20261101_20261102.txt'), 300, 'the median of the demo\'s 300, 400 and 200')
  t.same(res.json().departement.files, 1, 'the 201 counts it')
})

t.test('advancing the clock a month deposits its stock with the others\', no daily flux, nothing twice', async (t) => {
  const dataDir = t.testdir()
  const app = await testApp(t, { dataDir, clock: frozen })
  const auth = basic('dept2A', (await create(app, '2a', 'Corse-du-Sud')).json().password)
  const month = await move(app, { advance: '+1M' })
  t.same(month.deposited.filter((n) => n.includes('_M_')), ['PECGM_2A_M_20261201_20261201.txt', 'PECGM_77_M_20261201_20261201.txt', 'PECGM_93_M_20261201_20261201.txt', 'PECGM_971_M_20261201_20261201.txt'])
  t.same(month.deposited.filter((n) => n.startsWith('PECGM_2A_')), ['PECGM_2A_M_20261201_20261201.txt'], 'no daily flux: it is not asked for')
  t.same(month.purged.filter((n) => n.startsWith('PECGM_2A_')), ['PECGM_2A_M_20261101_20261102.txt'], 'November\'s, a month old, like the others\'')
  t.same((await filesOf(app, auth)).map((f) => [f.name, f.createdAt]), [['PECGM_2A_M_20261201_20261201.txt', '2026-12-01T05:00:00.000Z']])
  t.same((await move(app, { advance: '+1d' })).deposited.filter((n) => n.startsWith('PECGM_2A_')), [], 'nothing twice')
  await app.close()
  const again = await testApp(t, { dataDir, clock: frozen })
  t.same((await filesOf(again, auth)).map((f) => f.name), ['PECGM_2A_M_20261201_20261201.txt'], 'nothing twice after a restart either')
  t.same((await move(again, { to: '2027-01-04T08:00:00' })).deposited.filter((n) => n.startsWith('PECGM_2A_')), ['PECGM_2A_M_20270101_20270104.txt'], 'January\'s after New Year\'s Day and the weekend')
})

t.test('the admin deposits now for a département it created, the month\'s stock or the day\'s flux', async (t) => {
  const app = await testApp(t, { clock: frozen })
  await create(app, '13')
  const deposit = async (body: object): Promise<Reply> => await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: body })
  const cases = [
    { name: 'the stock again, under the next name', body: { departement: '13', periodicity: 'M' }, status: 201, file: 'PECGM_13_M_20261101_20261102_2.txt' },
    { name: 'the day\'s flux', body: { departement: '13', periodicity: 'Q' }, status: 201, file: 'PECGM_13_Q_20261102_20261102.txt' },
    { name: 'a département nobody created', body: { departement: '14', periodicity: 'M' }, status: 404, file: undefined }
  ]
  for (const c of cases) {
    const res = await deposit(c.body)
    t.equal(res.statusCode, c.status, c.name)
    t.equal(res.json().name, c.file, c.name)
  }
})

t.test('a deposit takes the next sequence suffix when the département holds its name in another case (a database filled before names were told apart ignoring case)', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const flux = 'PECGM_77_Q_20261102_20261102.txt'
  // as an upload could name a file before: the row alone, the disk of a case-sensitive system
  app.storage.files.insert({ departement: '77', name: flux.toLowerCase(), kind: 'CGPEM', periodicity: null, referenceDay: null, format: null, size: 0, sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855', createdAt: START, status: 'rejected', reportId: null, answer: false })
  const res = await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'Q' } })
  t.equal(res.statusCode, 201)
  t.equal(res.json().name, 'PECGM_77_Q_20261102_20261102_2.txt', 'not the name that differs only by case')
  t.equal(app.storage.files.find('77', flux.toLowerCase())?.size, 0, 'the file already there is left as it was')
})

t.test('a code with no commune known to the generator is refused at creation, in French, and nothing is created', async (t) => {
  const app = await testApp(t, { clock: frozen })
  const res = await create(app, '975', 'Saint-Pierre-et-Miquelon')
  t.equal(res.statusCode, 400)
  t.equal(res.json().code, 'PHEBUS_HTTP_BAD_REQUEST')
  t.match(res.json().message, /975/)
  t.equal(app.storage.accounts.findByDepartement('975'), null)
  t.equal((await create(app, '20')).json().code, 'PHEBUS_HTTP_BAD_REQUEST', 'an invalid code keeps its own refusal')
})
