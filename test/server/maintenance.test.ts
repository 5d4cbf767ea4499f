import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildServer } from '../../src/server/build.js'
import { DepositQueue } from '../../src/server/services/deposits.js'
import type { Departement } from '../../src/scenarios/model.js'
import { AS, DEMO, appOptions, basic, monthlyName, type testApp } from './helpers.js'

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
