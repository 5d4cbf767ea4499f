import t from 'tap'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pecgmChunks, type PecgmRequest } from '../../src/generate/pecgm-file.js'
import { PecgmThreads } from '../../src/server/services/pecgm-threads.js'
import { REFERENCE, scenario } from '../generate/helpers.js'
import { testApp } from './helpers.js'

const demo = await scenario('demo')

async function digest (chunks: Iterable<Buffer> | AsyncIterable<Buffer>): Promise<string> {
  const h = createHash('sha256')
  for await (const c of chunks) h.update(c)
  return h.digest('hex')
}

function request (departement: string, extra: Partial<PecgmRequest> = {}): PecgmRequest {
  return { scenario: demo, departement, referenceDay: REFERENCE, ...extra }
}

t.test('a file made on a helper thread has the bytes of the one made on the event loop, several at once', async (t) => {
  const threads = new PecgmThreads({ minRecords: 1, threads: 2 })
  t.teardown(() => threads.close())
  const asked = [request('77'), request('93', { records: 5000, chunkSize: 64 * 1024 }), request('971', { periodicity: 'Q' }), request('77', { records: 0 })]
  const made = await Promise.all(asked.map(async (r) => await digest(threads.chunks(r, r.records ?? 1))))
  t.same(made, await Promise.all(asked.map(async (r) => await digest(pecgmChunks(r)))))
})

t.test('below the threshold the file is made on the event loop, with no thread started', async (t) => {
  const threads = new PecgmThreads({ minRecords: 10_000 })
  t.teardown(() => threads.close())
  const chunks = threads.chunks(request('77'), 300)
  t.ok(Symbol.iterator in chunks, 'a plain iterable: the generator itself')
  t.equal(await digest(chunks), await digest(pecgmChunks(request('77'))))
})

t.test('once a large file has started the threads, a small one is made on them too, with the same bytes', async (t) => {
  const threads = new PecgmThreads({ minRecords: 1000, threads: 1 })
  t.teardown(() => threads.close())
  await digest(threads.chunks(request('93', { records: 1000 }), 1000))
  const small = threads.chunks(request('77'), 300)
  t.notOk(Symbol.iterator in small, 'an async iterable: the thread\'s')
  t.equal(await digest(small), await digest(pecgmChunks(request('77'))))
})

t.test('a file given up halfway stops its thread, which makes the next one whole', async (t) => {
  const threads = new PecgmThreads({ minRecords: 1, threads: 1 })
  t.teardown(() => threads.close())
  const big = request('77', { records: 20_000, chunkSize: 16 * 1024 })
  let taken = 0
  for await (const chunk of threads.chunks(big, 20_000)) {
    t.ok(chunk.length > 0)
    if (++taken === 3) break
  }
  t.equal(await digest(threads.chunks(request('93'), 400)), await digest(pecgmChunks(request('93'))), 'the next file, whole and right')
})

t.test('a file waiting for its thread fails at once when its signal is aborted (the server stops), and the thread goes on with the next', async (t) => {
  const threads = new PecgmThreads({ minRecords: 1, threads: 1 })
  t.teardown(() => threads.close())
  // the only thread is busy with a file nobody reads past its first chunk
  const busy = (threads.chunks(request('77', { records: 50_000, chunkSize: 16 * 1024 }), 50_000) as AsyncIterable<Buffer>)[Symbol.asyncIterator]()
  await busy.next()
  const abort = new AbortController()
  const waiting = (threads.chunks(request('93'), 400, abort.signal) as AsyncIterable<Buffer>)[Symbol.asyncIterator]()
  const first = waiting.next()
  abort.abort()
  await t.rejects(first, /fabrication du PECGM abandonnée : le serveur s'arrête/, 'given up without a chunk of it made')
  await busy.return?.(undefined)
  t.equal(await digest(threads.chunks(request('971'), 200)), await digest(pecgmChunks(request('971'))), 'the next file, whole and right')
})

t.test('closing fails the files still being made, with a French message', async (t) => {
  const threads = new PecgmThreads({ minRecords: 1, threads: 1 })
  const chunks = threads.chunks(request('77', { records: 50_000, chunkSize: 16 * 1024 }), 50_000) as AsyncIterable<Buffer>
  const iterator = chunks[Symbol.asyncIterator]()
  await iterator.next()
  await threads.close()
  await t.rejects(async () => { for (;;) if ((await iterator.next()).done === true) break }, /fabrication du PECGM impossible : arrêt du serveur/)
  t.equal(await digest(threads.chunks(request('93'), 400)), await digest(pecgmChunks(request('93'))), 'once closed, files are made on the event loop')
})

t.test('the server\'s deposits from helper threads are the files it makes on the event loop', async (t) => {
  const dir = t.testdir()
  const threaded = await testApp(t, { depositThreadRecords: 1, dataDir: join(dir, 'threads') })
  const plain = await testApp(t, { dataDir: join(dir, 'event-loop') })
  const kept = (app: typeof plain): string[] => app.storage.files.list('77').concat(app.storage.files.list('93'), app.storage.files.list('971')).map((f) => `${f.name} ${f.sha256} ${f.size}`)
  t.ok(kept(plain).length >= 3)
  t.same(kept(threaded), kept(plain))
  const f = threaded.storage.files.list('77')[0]
  if (f === undefined) throw new Error('pas de fichier')
  t.equal(createHash('sha256').update(readFileSync(join(threaded.storage.dataDir, 'files', '77', f.name))).digest('hex'), f.sha256, 'the bytes on disk are those hashed')
})
