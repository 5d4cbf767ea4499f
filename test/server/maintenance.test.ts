import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildServer } from '../../src/server/build.js'
import { DepositQueue, DepositsFailed } from '../../src/server/services/deposits.js'
import type { Departement } from '../../src/scenarios/model.js'
import { AS, Clock, DAY, DEMO, appOptions, basic, monthlyName, testApp } from './helpers.js'
import { waitFor } from '../reliability/server-process.js'

const CODES = ['77', '93', '13', '69', '33', '59']

/** The demo scenario with six départements of a few thousand people: their start takes a while. */
function sixDepartements (dir: string): string {
  const demo = readFileSync(DEMO, 'utf8')
  const list = CODES.map((code) => `  - code: '${code}'\n    name: Département ${code}\n    population: 3000\n`).join('')
  const path = join(dir, 'six.yaml')
  writeFileSync(path, demo.replace(/departements:\n(?: {2}- [^\n]*\n(?: {4}[^\n]*\n)*)+/, `departements:\n${list}`))
  return path
}

/** A server on the six départements, just ready: its start stocks are being made. */
async function starting (t: Parameters<typeof testApp>[0]): Promise<FastifyInstance> {
  const dir = t.testdir()
  const app = await buildServer(appOptions(join(dir, 'data'), { scenarioPath: sixDepartements(dir), depositThreadRecords: 1_000_000 }))
  t.teardown(() => app.close())
  return app
}

t.test('the server is ready while its start stocks are made: a département\'s request waits for its own stock, the admin\'s for all', async (t) => {
  const app = await starting(t)
  t.equal((await app.inject({ url: '/readyz' })).statusCode, 200, '/readyz answers at once')
  t.not(app.maintenance.startDeposits(null), null, 'the stocks are still being made')

  const last = CODES[CODES.length - 1] as string
  const res = await app.inject({ url: '/api/v1/files', headers: basic(`dept${last}`, `demo-${last}`) })
  t.equal(res.statusCode, 200)
  t.same(res.json().files.map((f: { name: string }) => f.name), [monthlyName(last)], 'the last département\'s listing has its stock')
  const download = await app.inject({ url: `/api/v1/files/${monthlyName(last)}`, headers: basic(`dept${last}`, `demo-${last}`) })
  t.equal(download.body.split('\n').filter((l) => l.startsWith('D')).length, 3000, 'and its download is whole')

  t.equal((await app.inject({ url: '/api/v1/admin/departements', headers: AS.admin })).statusCode, 200)
  t.equal(app.maintenance.startDeposits(null), null, 'the admin\'s answer came once every stock was made')
  for (const code of CODES) t.ok(app.storage.files.stockDeposited(code, Date.UTC(2026, 10, 1) / 86_400_000), `${code} has its stock`)
  t.equal((await app.inject({ url: '/livez' })).statusCode, 200)
})

t.test('a request of no one (a probe, the login page) never waits for the deposits', async (t) => {
  const app = await starting(t)
  t.equal((await app.inject({ url: '/' })).statusCode, 200, 'the login page')
  t.not(app.maintenance.startDeposits(null), null, 'answered while the stocks are still being made')
  await app.maintenance.settled()
})

function departements (...codes: string[]): Departement[] {
  return codes.map((code) => ({ code, name: code, population: 1, holidays: [], daily: false }) as unknown as Departement)
}

t.test('the deposit queue makes a département asked for next, and lets its waiters go once it is made', async (t) => {
  const queue = new DepositQueue(departements('01', '02', '03', '04'))
  t.equal(queue.take()?.code, '01')
  const waited = queue.whenDone('04')
  t.not(waited, null)
  t.equal(queue.take()?.code, '04', 'asked for: next')
  t.equal(queue.take()?.code, '02', 'then the scenario\'s order again')
  let over = false
  const watched = waited?.then(() => { over = true })
  queue.done('01')
  await Promise.resolve()
  t.notOk(over, 'another département\'s deposit lets nobody else go')
  queue.done('04')
  await watched
  t.ok(over)
  t.equal(queue.whenDone('04'), null, 'made: nothing to wait for')
  t.equal(queue.whenDone('99'), null, 'not in the queue: nothing to wait for')
})

t.test('the deposit queue lets everyone go when it is closed (a failure), and the admin waits for all', async (t) => {
  const queue = new DepositQueue(departements('01', '02'))
  const all = queue.whenDone(null)
  t.not(all, null)
  queue.done('01')
  let over = false
  const watched = all?.then(() => { over = true })
  await Promise.resolve()
  t.notOk(over, 'one département still being made')
  const second = queue.whenDone('02')
  queue.close()
  await Promise.all([watched, second])
  t.ok(over)
  t.equal(queue.take(), undefined, 'closed: nothing more is made')
  t.equal(queue.whenDone(null), null)
})

t.test('the deposit queue, stopped (a failure, a stop), lets the départements not taken go at once, those being made once done', async (t) => {
  const queue = new DepositQueue(departements('01', '02', '03'))
  t.equal(queue.take()?.code, '01')
  const made = queue.whenDone('01')
  const notTaken = queue.whenDone('03')
  queue.stop()
  t.equal(queue.take(), undefined, 'nothing more is taken')
  await notTaken
  t.same(queue.dropped.map((d) => d.code), ['03', '02'], 'the départements left out (03 had been asked for: it came first)')
  let over = false
  const watched = made?.then(() => { over = true })
  await Promise.resolve()
  t.notOk(over, 'the département being made is still waited for')
  queue.done('01')
  await watched
  t.ok(over)
})

/** The demo scenario with 77 at `population` people (a stock of about 1.2 kB a person). */
function demoWith77 (dir: string, population: number): string {
  const path = join(dir, 'big77.yaml')
  writeFileSync(path, readFileSync(DEMO, 'utf8').replace("code: '77'\n    name: Seine-et-Marne\n    population: 300\n", `code: '77'\n    name: Seine-et-Marne\n    population: ${population}\n`))
  return path
}

const DECEMBER = Date.UTC(2026, 11, 1) / DAY

t.test('a failed run ends once every deposit under way has: nothing is still being written, and the next run makes no stock twice', async (t) => {
  const dir = t.testdir()
  const clock = new Clock()
  // 77's stock on a helper thread, long enough to be under way when the others fail
  const app = await testApp(t, { dataDir: join(dir, 'data'), scenarioPath: demoWith77(dir, 30_000), depositThreadRecords: 1000, now: clock.now })
  clock.advance(5 * DAY) // 2 December: December's stocks are due
  const store = app.files.storage.store
  const tmp = join(app.storage.dataDir, 'tmp')
  const createTemp = store.createTemp.bind(store)
  let calls = 0
  // the three départements begin at once, in the scenario's order: 77's file, then 93's and 971's, which fail once 77's is being written
  store.createTemp = async (...args: Parameters<typeof createTemp>) => {
    if (++calls !== 2 && calls !== 3) return await createTemp(...args)
    await waitFor('77\'s stock to be written', () => readdirSync(tmp).some((f) => statSync(join(tmp, f)).size > 0))
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  }
  const failed = await app.maintenance.runNow(false).then(() => null, (err: unknown) => err)
  t.ok(failed instanceof DepositsFailed, 'both failures told')
  t.match(failed, { code: 'ENOSPC', departements: ['93', '971'] })
  t.equal((failed as DepositsFailed).errors.length, 2)
  t.same(readdirSync(tmp), [], 'once the run has failed, nothing is being written')
  t.ok(app.storage.files.stockDeposited('77', DECEMBER), '77\'s stock, under way when the others failed, was made')
  t.notOk(app.storage.files.stockDeposited('93', DECEMBER))

  store.createTemp = createTemp
  const again = await app.maintenance.runNow(false)
  t.same(again.deposited.map((f) => f.departement), ['93', '971', '971'], 'the next run makes what failed (971: its stock and its daily flux)')
  const december = app.storage.files.list('77').filter((f) => f.periodicity === 'M' && f.referenceDay === DECEMBER)
  t.same(december.map((f) => f.name), ['PECGM_77_M_20261201_20261201.txt'], '77 has its December stock once')
})
