import t from 'tap'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { DirectTempFile, openDirect, type IncomingFile } from '../../src/storage/direct-file.js'
import { FAILED_BLOCK } from '../../src/storage/hash-thread.js'
import { TempFile } from '../../src/storage/file-store.js'
import { openStorage } from '../../src/storage/storage.js'

const sha = (b: Buffer): string => createHash('sha256').update(b).digest('hex')

/** Pushes `chunks` as an upload does: a batch, then a wait when asked for. */
async function pushAll (file: IncomingFile, chunks: readonly Buffer[], batch = 16): Promise<void> {
  for (let i = 0; i < chunks.length; i += batch) {
    let wait: Promise<void> | null = null
    for (const c of chunks.slice(i, i + batch)) wait = file.push(c) ?? wait
    if (wait !== null) await wait
  }
}

/** Bytes that differ from one position to the next, cut into chunks of uneven sizes (as a socket gives them). */
function content (size: number, seed: number): { whole: Buffer, chunks: Buffer[] } {
  const whole = Buffer.alloc(size)
  for (let i = 0; i < size; i++) whole[i] = (i * 31 + seed * 7 + (i >> 12)) & 0xff
  const chunks: Buffer[] = []
  for (let at = 0, k = 0; at < size; k++) {
    const n = Math.min(size - at, [65_536, 1, 4095, 70_000, 12_345][k % 5] as number)
    chunks.push(whole.subarray(at, at + n))
    at += n
  }
  return { whole, chunks }
}

t.test('an upload is written straight to the disk where the file system allows it: the same bytes and SHA-256 at every size, nothing left in tmp/', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const sizes = [0, 1, 4095, 4096, 4097, (1 << 20) - 1, 1 << 20, (1 << 20) + 1, (3 << 20) + 12_345]
  for (const [i, size] of sizes.entries()) {
    const { whole, chunks } = content(size, i)
    const file = await storage.store.createIncoming()
    t.ok(file instanceof DirectTempFile, `${size} octets : écrit sans le cache des pages`)
    await pushAll(file, chunks)
    file.seal()
    const kept = await file.commit('77', `f${i}.xml`)
    t.equal(kept.size, size, `${size} octets : la taille`)
    t.equal(kept.sha256, sha(whole), `${size} octets : le SHA-256`)
    t.ok(readFileSync(storage.store.pathOf('77', `f${i}.xml`)).equals(whole), `${size} octets : les octets, ni plus ni moins`)
  }
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')
})

t.test('a ring of one block: the producer is told to wait while the thread writes, and every byte arrives in order', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const { whole, chunks } = content(5 << 20, 3)
  const file = await storage.store.createIncoming(1 << 20)
  t.ok(file instanceof DirectTempFile)
  let waits = 0
  for (let i = 0; i < chunks.length; i += 32) {
    let wait: Promise<void> | null = null
    for (const c of chunks.slice(i, i + 32)) wait = file.push(c) ?? wait
    if (wait !== null) {
      waits++
      await wait
    }
  }
  t.ok(waits > 0, 'asked to wait at least once')
  const kept = await file.commit('77', 'lent.xml')
  t.equal(kept.sha256, sha(whole))
  t.ok(readFileSync(storage.store.pathOf('77', 'lent.xml')).equals(whole))
})

t.test('files written at the same time each get their own bytes and digest; one discarded midway leaves nothing and the others right', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const contents = [0, 1, 2].map((i) => content((2 << 20) + i * 1000, 10 + i))
  const files = await Promise.all(contents.map(async () => await storage.store.createIncoming(2 << 20)))
  // interleaved, a chunk of each in turn
  const longest = Math.max(...contents.map((c) => c.chunks.length))
  for (let k = 0; k < longest; k++) {
    for (const [i, f] of files.entries()) {
      const c = contents[i]?.chunks[k]
      if (c === undefined || (i === 1 && k > 20)) continue
      const wait = f.push(c)
      if (wait !== null) await wait
    }
    if (k === 20) await (files[1] as IncomingFile).discard()
  }
  const kept = await Promise.all([0, 2].map(async (i) => await (files[i] as IncomingFile).commit('77', `m${i}.xml`)))
  t.equal(kept[0]?.sha256, sha((contents[0] as { whole: Buffer }).whole))
  t.equal(kept[1]?.sha256, sha((contents[2] as { whole: Buffer }).whole))
  t.notOk(existsSync(storage.store.pathOf('77', 'm1.xml')))
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')

  // the rings went back: the next file takes one and is right
  const next = content(1 << 20, 99)
  const file = await storage.store.createIncoming(2 << 20)
  await pushAll(file, next.chunks)
  t.equal((await file.commit('77', 'ensuite.xml')).sha256, sha(next.whole))
})

t.test('a write the disk refuses fails the file: the producer is told, the commit throws, the discard leaves nothing', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  // the file thread started and settled first: a thread starting opens descriptors of its own, which could take the
  // number the swap below frees
  const before = await storage.store.createIncoming(1 << 20)
  await pushAll(before, content(10, 1).chunks)
  await before.commit('77', 'avant.xml')
  const file = await storage.store.createIncoming(1 << 20)
  t.ok(file instanceof DirectTempFile)
  // the descriptor swapped behind the writer's back for one open for reading (the lowest free number is
  // given again at once): the thread's next write fails (EBADF), and no other file can be written to
  const fd = (file as unknown as { fh: { fd: number } }).fh.fd
  closeSync(fd)
  t.equal(openSync(file.path, 'r'), fd, 'the same descriptor number, read-only now')
  const { chunks } = content(4 << 20, 5)
  await t.rejects(pushAll(file, chunks), /écriture impossible/, 'the producer learns it at its next wait')
  // a whole batch pushed after the failure, only the last promise awaited (as an upload does): none of the others is left unhandled
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason) }
  process.on('unhandledRejection', onUnhandled)
  t.teardown(() => { process.off('unhandledRejection', onUnhandled) })
  let last: Promise<void> | null = null
  for (const c of chunks.slice(0, 8)) last = file.push(c) ?? last
  await t.rejects(last as Promise<void>, /écriture impossible/)
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(unhandled, [], 'no unhandled rejection')
  await t.rejects(file.commit('77', 'raté.xml'), /écriture impossible|SHA-256 impossible/)
  await file.discard()
  t.notOk(existsSync(storage.store.pathOf('77', 'raté.xml')), 'not kept')
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')
})

t.test('a block the thread marks failed stops the producer until the thread\'s own error comes, whichever of the two arrives first', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const file = await storage.store.createIncoming(1 << 20)
  t.ok(file instanceof DirectTempFile)
  const inside = file as unknown as { ring: { state: Int32Array }, filled: number, writes: { block: (slot: number) => void, faulted: (err: Error) => void } }
  const state = inside.ring.state
  // the thread's answer to a block handed over, as it gives it once the file has failed: the block marked, the message
  // that says why not yet handled here (the two reach this thread in either order)
  inside.writes.block = (slot) => {
    Atomics.store(state, slot, FAILED_BLOCK)
    Atomics.notify(state, slot)
  }
  let settled: string | null = null
  const wait = pushAll(file, content(3 << 20, 3).chunks).then(() => { settled = 'resolved' }, (err: Error) => { settled = err.message })
  await new Promise((resolve) => setTimeout(resolve, 50))
  t.equal(settled, null, 'the producer waits: it neither goes on nor is done')
  t.equal(inside.filled, 0, 'nothing copied into the marked block')
  inside.writes.faulted(Object.assign(new Error('écriture impossible : plus de place'), { code: 'ENOSPC' }))
  await wait
  t.equal(settled, 'écriture impossible : plus de place', 'it learns the thread\'s own error, in its words')
  await t.rejects(file.push(Buffer.alloc(1)) as Promise<void>, { code: 'ENOSPC' }, 'every push after it is refused, the code kept (a full disk is a 507)')
  await file.discard()
  t.same([...state], [...state].map(() => 0), 'the ring free again once the file is let go')
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')
})

t.test('where O_DIRECT is refused, or asked not to be used, an upload goes through the page cache the usual way', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const refused = await openDirect(join(storage.store.tmpDir, 'x.part'), 1 << 20, storage.store.filesDir, 0)
  t.equal(refused, null, 'no O_DIRECT flag on this system: no direct file')
  t.same(readdirSync(storage.store.tmpDir), [], 'and no file left behind')

  const file = await storage.store.createIncoming(1 << 20, false)
  t.ok(file instanceof TempFile, 'the page cache when asked')
  const { whole, chunks } = content(3 << 20, 8)
  await pushAll(file, chunks)
  t.equal((await file.commit('77', 'cache.xml')).sha256, sha(whole))
  t.ok(readFileSync(storage.store.pathOf('77', 'cache.xml')).equals(whole))
})
