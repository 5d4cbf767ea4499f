import t from 'tap'
import { createHash } from 'node:crypto'
import { closeSync, openSync, readFileSync } from 'node:fs'
import { once } from 'node:events'
import { join } from 'node:path'
import { Worker } from 'node:worker_threads'
import { startHelpers, type PecgmHelpers } from '../../src/generate/helper-threads.js'
import { pecgmChunks, planPecgm, type PecgmRequest } from '../../src/generate/pecgm-file.js'
import { FileLock, writeStockInParallel } from '../../src/generate/pecgm-parallel.js'
import { stockKernel } from '../../src/generate/stock-kernel.js'
import { REFERENCE, scenario } from './helpers.js'

const demo = await scenario('demo')
const edge = await scenario('edge-cases')

function sha (bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** The bytes pecgmChunks gives on one thread. */
function alone (req: PecgmRequest): Buffer {
  return Buffer.concat([...pecgmChunks(req)])
}

/** Writes the stock of `req` (planned as `plan`) to a new file of `dir` with `helpers`: its bytes, and the count writeStockInParallel said. */
async function inParallel (dir: string, req: PecgmRequest, helpers: PecgmHelpers, plan = planPecgm(req)): Promise<{ bytes: Buffer, said: number }> {
  const path = join(dir, `stock-${Math.random().toString(36).slice(2)}.txt`)
  const fd = openSync(path, 'wx')
  let said: number
  try {
    said = await writeStockInParallel(fd, req, plan, helpers)
  } finally {
    closeSync(fd)
  }
  return { bytes: readFileSync(path), said }
}

/** Runs `fn` with `count` helper threads started, and stops them after it, whatever happens. */
async function withHelpers (t: { fail: (message: string) => unknown }, count: number, fn: (helpers: PecgmHelpers) => unknown): Promise<void> {
  const helpers = startHelpers(count)
  if (helpers === null) {
    t.fail('no helper')
    return
  }
  try {
    await fn(helpers)
  } finally {
    await helpers.close()
  }
}

/** Resolves once every helper's thread has ended by itself (waited for: a helper does not keep the process alive). */
async function ended (helpers: PecgmHelpers): Promise<void> {
  await Promise.all(helpers.workers.map(async (w) => await new Promise<void>((resolve) => {
    if (w.threadId === -1) return resolve()
    w.ref()
    w.once('exit', () => resolve())
  })))
}

const cases: { name: string, req: PecgmRequest }[] = [
  { name: 'a stock', req: { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 6000, chunkSize: 1201 * 37 } },
  { name: 'a stock in CRLF, mixed case, another seed', req: { scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'CRLF', case: 'mixed' } }, departement: '971', referenceDay: REFERENCE, records: 4000, seed: 9, chunkSize: 1202 * 50 } },
  { name: 'a stock with records end to end', req: { scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'none' } }, departement: '93', referenceDay: REFERENCE, records: 2500, chunkSize: 1200 * 64 } },
  { name: 'a stock with named individuals', req: { scenario: edge, departement: '77', referenceDay: REFERENCE, records: 3000, chunkSize: 1201 * 20 } },
  { name: 'a stock of fewer people than a task holds', req: { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 7 } },
  { name: 'an empty stock', req: { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 0 } }
]

/** The first case, the one the failure tests write. */
const first = cases[0] as { name: string, req: PecgmRequest }

t.test('written by helper threads and the calling thread, a stock has the same bytes as on one thread', async (t) => {
  const dir = t.testdir()
  for (const c of cases) {
    const expected = alone(c.req)
    for (const count of [1, 2]) {
      await withHelpers(t, count, async (helpers) => {
        const { bytes, said } = await inParallel(dir, c.req, helpers)
        t.equal(sha(bytes), sha(expected), `${c.name}, ${count} helper(s)`)
        t.equal(said, expected.length, `${c.name}: the number of bytes written`)
      })
    }
  }
})

t.test('helpers told the request before the calling thread plans it write from their own plan of it, the same bytes', async (t) => {
  const dir = t.testdir()
  for (const c of cases) {
    await withHelpers(t, 2, async (helpers) => {
      helpers.prepare(c.req)
      t.equal(helpers.prepared, c.req)
      // ready before the job (their modules loaded, the file planned): they take their share of the tasks
      await Promise.all(helpers.workers.map(async (w) => await once(w, 'message')))
      t.equal(sha((await inParallel(dir, c.req, helpers)).bytes), sha(alone(c.req)), c.name)
    })
  }
})

t.test('helpers told another request than the job\'s plan the job\'s again, the same bytes', async (t) => {
  await withHelpers(t, 1, async (helpers) => {
    // tasks of ten records, enough of them that the helper, ready before the job, takes some
    const req: PecgmRequest = { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 60_000, chunkSize: 1201 * 10 }
    helpers.prepare({ ...req, seed: 4242 }) // same shape, other people: a plan of it would write other records
    await once(helpers.workers[0] as Worker, 'message') // it has planned what it was told
    t.equal(sha((await inParallel(t.testdir(), req, helpers)).bytes), sha(alone(req)))
  })
})

t.test('a helper told a request it cannot plan leaves the file to the calling thread, the same bytes', async (t) => {
  await withHelpers(t, 1, async (helpers) => {
    const wrong = { ...first.req, departement: '13' }
    helpers.prepare(wrong)
    // the helpers' request is the one told, the calling thread's plan the good one
    t.equal(sha((await inParallel(t.testdir(), wrong, helpers, planPecgm(first.req))).bytes), sha(alone(first.req)))
    await ended(helpers)
  })
})

t.test('helpers that never answer leave the calling thread to write it all, the same bytes', async (t) => {
  const helpers = startHelpers(1)
  if (helpers === null) return t.fail('no helper')
  await helpers.close() // terminated before they are sent the job
  t.equal(sha((await inParallel(t.testdir(), first.req, helpers)).bytes), sha(alone(first.req)))
})

t.test('a helper that cannot make the file leaves it to the calling thread, the same bytes', async (t) => {
  await withHelpers(t, 1, async (helpers) => {
    // the calling thread's plan is the request's, the helper's request names a département the scenario lacks
    t.equal(sha((await inParallel(t.testdir(), { ...first.req, departement: '13' }, helpers, planPecgm(first.req))).bytes), sha(alone(first.req)))
    await ended(helpers)
  })
})

t.test('a file that cannot be written is an error, and the helpers stop', async (t) => {
  await withHelpers(t, 1, async (helpers) => {
    const fd = openSync(join(t.testdir({ 'stock.txt': '' }), 'stock.txt'), 'r') // open for reading only
    try {
      await t.rejects(writeStockInParallel(fd, first.req, planPecgm(first.req), helpers), { code: 'EBADF' })
      await ended(helpers)
    } finally {
      closeSync(fd)
    }
  })
})

t.test('stocks written one after another on a thread leave the stock kernel\'s memory as the first left it, the same bytes', async (t) => {
  const kernel = stockKernel()
  if (kernel === null) return t.fail('no kernel')
  const dir = t.testdir()
  // no helper: every task is made by this thread's writer, in this thread's kernel
  const none: PecgmHelpers = { workers: [], prepare: () => {}, prepared: null, close: async () => {} }
  // tasks of the writer's own size (256 KiB): three buffers of it a writer
  const req: PecgmRequest = { ...first.req, records: 500, chunkSize: undefined }
  const expected = sha(alone(req))
  t.equal(sha((await inParallel(dir, req, none)).bytes), expected, 'the first file')
  const size = kernel.memory().byteLength
  for (let i = 0; i < 20; i++) t.equal(sha((await inParallel(dir, req, none)).bytes), expected, `file ${i + 2}`)
  t.equal(kernel.memory().byteLength, size, 'the memory has not grown')
  // two files at once on this thread: each writer its own buffers, neither's records in the other's
  const [a, b] = await Promise.all([inParallel(dir, req, none), inParallel(dir, cases[1]?.req as PecgmRequest, none)])
  t.equal(sha(a.bytes), expected)
  t.equal(sha(b.bytes), sha(alone(cases[1]?.req as PecgmRequest)))
})

t.test('a daily flux is not written in parallel (its records have no place known in advance)', async (t) => {
  await withHelpers(t, 1, async (helpers) => {
    const req: PecgmRequest = { scenario: demo, departement: '93', referenceDay: REFERENCE + 1, periodicity: 'Q', records: 1000 }
    await t.rejects(writeStockInParallel(-1, req, planPecgm(req), helpers), RangeError)
  })
})

t.test('a writer that finds the file taken does not wait for it unless asked, and has it once let go', async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(8))
  const a = new FileLock(words, 1)
  const b = new FileLock(words, 1)
  t.equal(a.acquire(false), true)
  t.equal(words[1], 1)
  t.equal(b.acquire(false), false, 'taken: the writer goes on making records')
  b.release() // not its to let go
  t.equal(words[1], 1)
  a.release()
  t.equal(words[1], 0)
  t.equal(b.acquire(false), true)
  t.equal(a.acquire(false), false)
  b.release()
  t.equal(words[0], 0, 'the word beside is untouched')
})

t.test('a writer waiting for the file sleeps until another thread lets it go', async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(8))
  const lock = new FileLock(words, 0, 60_000)
  // another thread takes the word, says so, and lets it go 200 ms later, as a FileLock does
  const other = new Worker(`
    const { workerData, parentPort } = require('node:worker_threads')
    const words = new Int32Array(workerData)
    Atomics.compareExchange(words, 0, 0, 1)
    parentPort.postMessage('taken')
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200)
    Atomics.store(words, 0, 0)
    Atomics.notify(words, 0, 1)
  `, { eval: true, workerData: words.buffer })
  await once(other, 'message')
  t.equal(lock.acquire(false), false, 'taken by the other thread')
  t.equal(lock.acquire(true), true, 'had once the other let it go, well before the stall')
  t.equal(words[0], 1)
  lock.release()
  t.equal(words[0], 0, 'it was held, not bypassed: letting it go frees it')
  await once(other, 'exit')
})

t.test('a writer whose file stays taken by a thread that stopped answering goes on without the lock', async (t) => {
  const words = new Int32Array(new SharedArrayBuffer(4))
  const stuck = new FileLock(words, 0)
  const waiting = new FileLock(words, 0, 50)
  t.equal(stuck.acquire(false), true)
  t.equal(waiting.acquire(true), true, 'after the stall, without the lock')
  t.equal(words[0], 1, 'still the stuck thread\'s')
  t.equal(waiting.acquire(false), true, 'and without it from then on')
  waiting.release()
  t.equal(words[0], 1, 'what it never had it does not let go')
})
