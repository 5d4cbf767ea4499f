import t from 'tap'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { writeStockFile, type PlannedStock } from '../../src/cli/generate-stock.js'
import { PhebusError } from '../../src/errors.js'
import { startHelpers } from '../../src/generate/helper-threads.js'
import { pecgmChunks, planPecgm, type PecgmRequest } from '../../src/generate/pecgm-file.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'

const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)
const req: PecgmRequest = { scenario: demo, departement: '77', referenceDay: parseIsoDate('2026-11-01') as number, records: 3000, chunkSize: 1201 * 40 }

function sha (bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

t.test('a large stock is written whole over the old file, the bytes of one thread, and the helpers are stopped', async (t) => {
  const dir = t.testdir({ 'f.txt': 'before' })
  const helpers = startHelpers(1)
  if (helpers === null) return t.fail('no helper')
  const bytes = await writeStockFile(join(dir, 'f.txt'), { request: req, plan: planPecgm(req) }, helpers)
  const expected = Buffer.concat([...pecgmChunks(req)])
  t.equal(bytes, expected.length)
  t.equal(sha(readFileSync(join(dir, 'f.txt'))), sha(expected))
  t.same(readdirSync(dir), ['f.txt'], 'no temporary file left')
  t.ok(helpers.workers.every((w) => w.threadId === -1), 'the helpers have ended')
})

t.test('a stock that cannot be put in place leaves no temporary file, and says why, naming the file asked for', async (t) => {
  const dir = t.testdir({ 'f.txt': {} }) // a folder where the file should go
  const helpers = startHelpers(1)
  if (helpers === null) return t.fail('no helper')
  await t.rejects(writeStockFile(join(dir, 'f.txt'), { request: req, plan: planPecgm(req) }, helpers), { code: 'PHEBUS_IO', message: /f\.txt est un dossier/ })
  t.same(readdirSync(dir), ['f.txt'])
  t.ok(statSync(join(dir, 'f.txt')).isDirectory(), 'the folder as it was')
  t.ok(helpers.workers.every((w) => w.threadId === -1), 'the helpers have ended')
})

t.test('a stock whose plan fails leaves no temporary file and says the plan\'s error, before the file\'s own', async (t) => {
  const dir = t.testdir({ 'f.txt': 'before' })
  const failed = Promise.reject(new PhebusError('PHEBUS_SCENARIO_INVALID', 'le scénario est faux'))
  const helpers = startHelpers(1)
  if (helpers === null) return t.fail('no helper')
  await t.rejects(writeStockFile(join(dir, 'f.txt'), failed, helpers), { code: 'PHEBUS_SCENARIO_INVALID' })
  t.same(readdirSync(dir), ['f.txt'], 'no temporary file left')
  t.equal(readFileSync(join(dir, 'f.txt'), 'utf8'), 'before')
  t.ok(helpers.workers.every((w) => w.threadId === -1), 'the helpers have ended')
  // the file cannot be opened either (its folder is absent): the plan's error still
  const again = startHelpers(1)
  if (again === null) return t.fail('no helper')
  const late = new Promise<PlannedStock>((resolve, reject) => setTimeout(() => reject(new PhebusError('PHEBUS_SCENARIO_INVALID', 'le scénario est faux')), 50))
  await t.rejects(writeStockFile(join(dir, 'absent', 'f.txt'), late, again), { code: 'PHEBUS_SCENARIO_INVALID' })
  t.ok(again.workers.every((w) => w.threadId === -1), 'the helpers have ended')
})

t.test('a stock is written once its plan comes, the file opened meanwhile', async (t) => {
  const dir = t.testdir()
  const helpers = startHelpers(1)
  if (helpers === null) return t.fail('no helper')
  const planned = new Promise<PlannedStock>((resolve) => setTimeout(() => resolve({ request: req, plan: planPecgm(req) }), 50))
  await writeStockFile(join(dir, 'f.txt'), planned, helpers)
  t.equal(sha(readFileSync(join(dir, 'f.txt'))), sha(Buffer.concat([...pecgmChunks(req)])))
  t.same(readdirSync(dir), ['f.txt'])
})
