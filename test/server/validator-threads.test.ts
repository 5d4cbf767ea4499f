import t from 'tap'
import { Rng } from '../../src/generate/rng.js'
import { buildSample } from '../../src/qualification/sample.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { validateOnEventLoop, ValidatorThreads, type UploadValidation, type ValidationRequest } from '../../src/server/services/validator-threads.js'
import { MIB } from '../../src/units.js'
import { fixedFile, person, TODAY, VALID, xmlDoc, xmlFile } from '../validate/helpers.js'
import { AS, DEMO, raw, testApp, validCgpem } from './helpers.js'

/** Files with something to say: accepted, rejected on a field, a duplicate, truncated findings, fixed-width, not XML at all, empty. */
const FILES: ReadonlyArray<{ name: string, bytes: Buffer }> = [
  { name: 'valid', bytes: xmlFile(Array.from({ length: 50 }, (_, i) => person(i))) },
  { name: 'a bad date and a duplicate', bytes: xmlFile([person(1, { DATE_DECISION_ORIENTATION: '20261399' }), person(2), person(2)]) },
  { name: '1,200 findings (truncated)', bytes: xmlFile(Array.from({ length: 1200 }, (_, i) => person(i, { CODE_PE: 'X' }))) },
  { name: 'fixed-width', bytes: fixedFile([VALID, person(3, { NATURE_ACCOMPAGNEMENT: '99' })]) },
  { name: 'a DOCTYPE (the complete parser)', bytes: Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE CGPEM>\n'), xmlDoc('').subarray(44)]) },
  { name: 'not XML', bytes: Buffer.from('<CGPEM><ORIENTATION><NIR>1</NIR></CGPEM', 'latin1') },
  { name: 'empty', bytes: Buffer.alloc(0) }
]

/** The file pushed in chunks of random sizes (1 byte to 200 KiB), flushed after every few, the waits awaited. */
async function feed (v: UploadValidation, bytes: Buffer, rng: Rng): Promise<string> {
  for (let at = 0; at < bytes.length;) {
    for (let k = rng.between(1, 4); k > 0 && at < bytes.length; k--) {
      const size = rng.between(1, 200 << 10)
      v.push(bytes.subarray(at, at + size))
      at += size
    }
    await v.flush()
  }
  return JSON.stringify(await v.end())
}

async function threads (t: { teardown: (f: () => Promise<void>) => void, equal: (a: unknown, b: unknown) => void }, options: { minBytes?: number, threads?: number } = {}): Promise<ValidatorThreads> {
  const pool = new ValidatorThreads({ minBytes: 0, threads: 1, ...options })
  t.teardown(async () => { await pool.close() })
  // the first upload starts a thread, and waits for it; given up, it leaves the thread free
  pool.begin({ today: TODAY, sample: null, declaredLength: null }).discard()
  t.equal(pool.threads, 1)
  await pool.whenReady()
  return pool
}

t.test('a thread gives the report and the tally the event loop gives, byte for byte, however the file comes cut', async (t) => {
  const pool = await threads(t)
  const scenario = await loadScenarioFile(DEMO)
  const members = buildSample(scenario, '77', TODAY)
  const qualifying = await validCgpem('77', 300)
  const cases = [...FILES.map((f) => ({ ...f, sample: null })), { name: 'in qualification', bytes: qualifying, sample: { key: '77:1', members } }, { name: 'in qualification again', bytes: qualifying, sample: { key: '77:1', members } }]
  const rng = new Rng()
  rng.reseed(7, 1, 1)
  for (const c of cases) {
    const request: ValidationRequest = { today: TODAY, sample: c.sample, declaredLength: c.bytes.length }
    const threaded = pool.begin(request)
    t.equal(threaded.onThread, true, `${c.name}: on the thread`)
    const onLoop = await feed(validateOnEventLoop(request), c.bytes, rng)
    t.equal(await feed(threaded, c.bytes, rng), onLoop, c.name)
  }
  const summary = JSON.parse(await feed(pool.begin({ today: TODAY, sample: { key: '77:1', members }, declaredLength: null }), qualifying, rng)).summary
  t.ok(summary.total === 300 && summary.matched > 0, 'the tally counted, and matched people of the sample')
})

t.test('the event loop waits for a thread left behind, a few MiB at most, then goes on', async (t) => {
  const pool = await threads(t)
  const big = xmlFile(Array.from({ length: 40_000 }, (_, i) => person(i)))
  t.ok(big.length > 8 * MIB)
  const v = pool.begin({ today: TODAY, sample: null, declaredLength: null })
  let waited = 0
  for (let at = 0; at < big.length; at += MIB) {
    v.push(big.subarray(at, at + MIB))
    const behind = v.flush()
    if (behind !== null) {
      waited++
      await behind
    }
  }
  t.ok(waited > 0, 'pushed faster than validated: it waited')
  const onLoop = await feed(validateOnEventLoop({ today: TODAY, sample: null, declaredLength: null }), big, new Rng())
  t.equal(JSON.stringify(await v.end()), onLoop)
})

t.test('an upload finds the thread taken: it waits for it, first come first, its body unread; a small one is validated on the event loop; one given up while waiting leaves its place', async (t) => {
  const pool = await threads(t, { minBytes: 1000 })
  const onLoop = async (bytes: Buffer): Promise<string> => await feed(validateOnEventLoop({ today: TODAY, sample: null, declaredLength: null }), bytes, new Rng())
  const first = pool.begin({ today: TODAY, sample: null, declaredLength: null })
  first.push(FILES[1]?.bytes ?? Buffer.alloc(0))
  await first.flush()
  t.equal(first.onThread, true)
  t.equal(first.queued ?? null, null, 'the first never waited')

  const second = pool.begin({ today: TODAY, sample: null, declaredLength: null })
  const given = pool.begin({ today: TODAY, sample: null, declaredLength: null })
  t.equal(pool.queued, 2, 'the next two wait')
  t.ok(second.queued, 'and say so')
  const bytes = FILES[2]?.bytes ?? Buffer.alloc(0)
  second.push(bytes.subarray(0, 1000))
  let flushed = false
  const wait = second.flush()?.then(() => { flushed = true })
  t.ok(wait, 'flush() waits for the thread')
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(flushed, false, 'still waiting while the first holds the thread')
  given.discard()
  t.equal(pool.queued, 1, 'one given up leaves its place')

  const small = pool.begin({ today: TODAY, sample: null, declaredLength: 999 })
  t.equal(small.onThread, false, 'under minBytes: on the event loop, at once')
  t.equal(small.queued ?? null, null)
  small.discard()

  first.discard()
  await wait
  t.equal(flushed, true, 'the first done, the second has the thread')
  t.equal(pool.queued, 0)
  t.equal(second.onThread, true)
  second.push(bytes.subarray(1000))
  await second.flush()
  t.equal(JSON.stringify(await second.end()), await onLoop(bytes), 'its report, whole: the bytes pushed while it waited are in it')
  // what the thread had of the first was dropped: each report is its own
  const third = pool.begin({ today: TODAY, sample: null, declaredLength: 5000 })
  t.equal(third.onThread, true, 'the thread is free again')
  t.equal(third.queued ?? null, null)
  t.equal(await feed(third, FILES[0]?.bytes ?? Buffer.alloc(0), new Rng()), await onLoop(FILES[0]?.bytes ?? Buffer.alloc(0)))
})

t.test('a stop fails the uploads waiting for a thread with a message', async (t) => {
  const pool = await threads(t)
  const holder = pool.begin({ today: TODAY, sample: null, declaredLength: null })
  const waiting = pool.begin({ today: TODAY, sample: null, declaredLength: null })
  waiting.push(Buffer.from('<CGPEM/>'))
  const flushed = t.rejects(Promise.resolve(waiting.flush()), { message: 'arrêt du serveur' })
  await pool.close()
  await flushed
  await t.rejects(waiting.end(), { message: 'arrêt du serveur' })
  holder.discard()
  waiting.discard()
})

t.test('a stop in the middle of an upload fails it with a message, and no thread is left', async (t) => {
  const pool = await threads(t)
  const v = pool.begin({ today: TODAY, sample: null, declaredLength: null })
  v.push(FILES[0]?.bytes.subarray(0, 1000) ?? Buffer.alloc(0))
  await v.flush()
  await pool.close()
  await t.rejects(v.end(), { message: 'arrêt du serveur' })
  t.equal(pool.threads, 0)
  v.discard()
})

t.test('uploads validated on a thread are answered as on the event loop, in qualification or not', async (t) => {
  const app = await testApp(t, { validateThreadBytes: 0 })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const body = await validCgpem('77', 200)
  const bad = Buffer.from(body.toString('latin1').replace(/<NATURE_ACCOMPAGNEMENT>0[0-9]</g, '<NATURE_ACCOMPAGNEMENT>99<'), 'latin1')
  const reports: string[] = []
  for (const [i, payload] of [body, bad, body, bad].entries()) {
    // the first starts the thread and waits for it; the next ones find it ready
    if (i === 2) await app.validators.whenReady()
    const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=envoi-${i}.xml`, headers: { ...AS.dept77, ...raw() }, payload })
    t.equal(res.statusCode, i % 2 === 0 ? 201 : 422)
    const report = res.json().report as Record<string, unknown>
    reports.push(JSON.stringify({ ...report, id: null, fileName: null, createdAt: null }))
  }
  t.equal(app.validators.threads > 0, true)
  t.equal(reports[2], reports[0], 'accepted: the same report')
  t.equal(reports[3], reports[1], 'rejected: the same report')
  t.match(reports[0], /CGPEM_ORIENTATION_UNMATCHED/, 'with the qualification\'s notes')
})
