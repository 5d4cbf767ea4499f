import t from 'tap'
import { createHash } from 'node:crypto'
import { startHelpers } from '../../src/generate/helper-threads.js'
import { pecgmChunks, planPecgm, type PecgmRequest } from '../../src/generate/pecgm-file.js'
import { parallelPecgmChunks } from '../../src/generate/pecgm-parallel.js'
import { REFERENCE, scenario } from './helpers.js'

const demo = await scenario('demo')
const edge = await scenario('edge-cases')

/** The digest of chunks taken one at a time, as a writer takes them (a chunk is read before the next is asked for). */
function digest (chunks: Iterable<Buffer>): { sha: string, bytes: number, chunks: number } {
  const h = createHash('sha256')
  let bytes = 0
  let n = 0
  for (const c of chunks) {
    h.update(c)
    bytes += c.length
    n++
  }
  return { sha: h.digest('hex'), bytes, chunks: n }
}

/** The chunks a writer of a ring of 2 sees: each kept until the one after the next is taken, then checked unchanged. */
function ringChecked (chunks: Iterable<Buffer>): { sha: string, reused: number } {
  const h = createHash('sha256')
  let previous: { view: Buffer, copy: Buffer } | null = null
  let reused = 0
  for (const c of chunks) {
    // taking this chunk must not have touched the one before it (its write is in flight)
    if (previous !== null && !previous.view.equals(previous.copy)) reused++
    h.update(c)
    previous = { view: c, copy: Buffer.from(c) }
  }
  return { sha: h.digest('hex'), reused }
}

const cases: { name: string, req: PecgmRequest }[] = [
  { name: 'a stock', req: { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 6000, chunkSize: 1201 * 37 } },
  { name: 'a stock in CRLF, mixed case, another seed', req: { scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'CRLF', case: 'mixed' } }, departement: '971', referenceDay: REFERENCE, records: 4000, seed: 9, chunkSize: 1202 * 50 } },
  { name: 'a stock with named individuals', req: { scenario: edge, departement: '77', referenceDay: REFERENCE, records: 3000, chunkSize: 1201 * 20 } },
  { name: 'a daily flux', req: { scenario: demo, departement: '93', referenceDay: REFERENCE + 1, periodicity: 'Q', records: 60_000, chunkSize: 1201 * 400 } },
  { name: 'an empty stock', req: { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 0 } }
]

t.test('on helper threads, the same bytes as on one thread', async (t) => {
  for (const c of cases) {
    const alone = digest(pecgmChunks(c.req))
    for (const count of [1, 2]) {
      const helpers = startHelpers(count)
      t.ok(helpers, 'helpers started')
      if (helpers === null) continue
      try {
        const together = ringChecked(parallelPecgmChunks(c.req, planPecgm(c.req), helpers))
        t.equal(together.sha, alone.sha, `${c.name}, ${count} helper(s)`)
        t.equal(together.reused, 0, `${c.name}: no chunk is reused while the writer may still hold it`)
      } finally {
        await helpers.close()
      }
    }
  }
})

t.test('helpers that never answer leave the calling thread to write it all, the same bytes', async (t) => {
  const helpers = startHelpers(1)
  if (helpers === null) return t.fail('no helper')
  await helpers.close() // terminated before they are sent the job
  const c = cases[0] as { name: string, req: PecgmRequest }
  t.equal(digest(parallelPecgmChunks(c.req, planPecgm(c.req), helpers)).sha, digest(pecgmChunks(c.req)).sha)
})

t.test('a consumer that stops early stops the helpers too', async (t) => {
  const helpers = startHelpers(1)
  if (helpers === null) return t.fail('no helper')
  try {
    const c = cases[0] as { name: string, req: PecgmRequest }
    let taken = 0
    for (const chunk of parallelPecgmChunks(c.req, planPecgm(c.req), helpers)) {
      t.ok(chunk.length > 0)
      if (++taken === 3) break
    }
    t.equal(taken, 3)
  } finally {
    await helpers.close()
  }
})
