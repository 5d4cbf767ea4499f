import t from 'tap'
import { createHash } from 'node:crypto'
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { reconcileStorage } from '../../src/storage/reconcile.js'
import { openStorage } from '../../src/storage/storage.js'
import type { StoredFile } from '../../src/storage/files.js'

function row (departement: string, name: string, content: Buffer): StoredFile {
  return { departement, name, kind: 'CGPEM', periodicity: null, referenceDay: null, format: 'xml', size: content.length, sha256: createHash('sha256').update(content).digest('hex'), createdAt: 1, status: 'accepted', reportId: null, answer: false }
}

t.test('a file is written whole through tmp/, with its SHA-256, or not at all', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const parts = [Buffer.from('première partie, '), Buffer.from('seconde partie')]
  const temp = await storage.store.createTemp()
  for (const p of parts) await temp.write(p)
  t.equal(readdirSync(storage.store.tmpDir).length, 1, 'written in tmp/ first')
  const { sha256, size } = await temp.commit('77', 'a.txt')
  const whole = Buffer.concat(parts)
  t.same(readFileSync(storage.store.pathOf('77', 'a.txt')), whole)
  t.equal(sha256, createHash('sha256').update(whole).digest('hex'))
  t.equal(size, whole.length)
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')

  const dropped = await storage.store.createTemp()
  const queued = dropped.push(Buffer.alloc(10_000, 1))
  if (queued) await queued
  await dropped.discard()
  t.same(readdirSync(storage.store.tmpDir), [], 'a discarded file leaves nothing')
  t.notOk(existsSync(storage.store.pathOf('77', 'b.txt')))
})

t.test('chunks pushed while the queue is full share one wait for its drain: no listener piles up, no warning, the bytes all there', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const warnings: Error[] = []
  const warned = (w: Error): void => { warnings.push(w) }
  process.on('warning', warned)
  t.teardown(() => { process.off('warning', warned) })
  // a queue of 1 KiB: every chunk of a 64-chunk batch finds it full, as an upload's batch does on a slow disk
  const temp = await storage.store.createTemp(1024)
  const chunks = Array.from({ length: 64 }, (_, i) => Buffer.alloc(4096, i))
  const waits = new Set<Promise<void>>()
  for (const c of chunks) {
    const w = temp.push(c)
    if (w !== null) waits.add(w)
  }
  t.equal(waits.size, 1, 'one promise for the whole batch')
  await Promise.all(waits)
  const { sha256 } = await temp.commit('77', 'queue.txt')
  const whole = Buffer.concat(chunks)
  t.same(readFileSync(storage.store.pathOf('77', 'queue.txt')), whole)
  t.equal(sha256, createHash('sha256').update(whole).digest('hex'))
  // a warning is emitted on the next tick
  await new Promise((resolve) => setImmediate(resolve))
  t.same(warnings.map((w) => w.name), [], 'no MaxListenersExceededWarning')
})

t.test('a file larger than a background sync, sealed before its commit: the same bytes and SHA-256; sealed then discarded: nothing left', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  // 20 MiB: more than one background sync (8 MiB) as it grows, the rest at the seal
  const chunks = Array.from({ length: 20 }, (_, i) => Buffer.alloc(1 << 20, i))
  const temp = await storage.store.createTemp()
  for (const c of chunks) {
    const queued = temp.push(c)
    if (queued) await queued
  }
  temp.seal()
  const { sha256, size } = await temp.commit('77', 'grand.xml')
  const whole = Buffer.concat(chunks)
  t.equal(size, whole.length)
  t.equal(sha256, createHash('sha256').update(whole).digest('hex'))
  t.ok(readFileSync(storage.store.pathOf('77', 'grand.xml')).equals(whole), 'the bytes pushed')

  const dropped = await storage.store.createTemp()
  for (const c of chunks.slice(0, 10)) await dropped.write(c)
  dropped.seal()
  await dropped.discard()
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')
})

t.test('files written at the same time each get the SHA-256 of their own bytes; one discarded midway leaves the others right', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  // 3 MiB each, in 64 kB chunks written in turn: the hashing thread serves them all at once
  const contents = [1, 2, 3].map((n) => Buffer.alloc(3 << 20, n))
  const temps = await Promise.all(contents.map(() => storage.store.createTemp()))
  const dropped = await storage.store.createTemp()
  for (let at = 0; at < (3 << 20); at += 1 << 16) {
    for (const [i, temp] of temps.entries()) {
      const queued = temp.push((contents[i] as Buffer).subarray(at, at + (1 << 16)))
      if (queued) await queued
    }
    if (at < (2 << 20)) await dropped.write(Buffer.alloc(1 << 16, 9))
    else if (at === (2 << 20)) await dropped.discard()
  }
  const kept = await Promise.all(temps.map((temp, i) => temp.commit('77', `f${i}.xml`)))
  for (const [i, k] of kept.entries()) {
    t.equal(k.sha256, createHash('sha256').update(contents[i] as Buffer).digest('hex'), `file ${i}`)
    t.equal(k.size, 3 << 20)
  }
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')
})

t.test('a file the hashing thread cannot read back is not kept: its commit fails, and the next file is hashed as before', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const temp = await storage.store.createTemp()
  // less than a MiB: the hashing thread opens the file only at the commit, and finds it gone
  await temp.write(Buffer.alloc(1 << 19, 1))
  unlinkSync(temp.path)
  await t.rejects(temp.commit('77', 'perdu.xml'), /SHA-256 impossible/)
  await temp.discard()
  t.notOk(existsSync(storage.store.pathOf('77', 'perdu.xml')), 'not kept')
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')

  const next = await storage.store.createTemp()
  const bytes = Buffer.alloc(3 << 20, 7)
  await next.write(bytes)
  t.equal((await next.commit('77', 'suivant.xml')).sha256, createHash('sha256').update(bytes).digest('hex'))
})

t.test('a département\'s usage follows every insert and delete of its rows at once, and no other département\'s', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const zero = { uploadedFiles: 0, uploadedBytes: 0, answers: 0 }
  t.same(storage.files.usage('77'), zero)
  const a = row('77', 'a.xml', Buffer.alloc(1000))
  storage.files.insert(a)
  t.same(storage.files.usage('77'), { uploadedFiles: 1, uploadedBytes: 1000, answers: 0 }, 'after an upload')
  t.same(storage.files.usage('93'), zero)
  storage.files.insert({ ...row('77', 'PECGM_77.txt', Buffer.alloc(500)), kind: 'PECGM', answer: true })
  t.same(storage.files.usage('77'), { uploadedFiles: 1, uploadedBytes: 1000, answers: 1 }, 'after an answer')
  storage.files.insert(row('93', 'b.xml', Buffer.alloc(200)))
  t.same(storage.files.usage('77'), { uploadedFiles: 1, uploadedBytes: 1000, answers: 1 }, 'another département\'s upload')
  storage.files.delete([a])
  t.same(storage.files.usage('77'), { uploadedFiles: 0, uploadedBytes: 0, answers: 1 }, 'after a deletion')
  t.same(storage.files.usage('93'), { uploadedFiles: 1, uploadedBytes: 200, answers: 0 })
})

t.test('at start, the database and the disk are made to agree', async (t) => {
  const dir = t.testdir()
  const storage = openStorage(dir)
  t.teardown(() => storage.close())
  const good = Buffer.from('gardé')
  const store = storage.store
  mkdirSync(join(store.filesDir, '77'), { recursive: true })
  writeFileSync(store.pathOf('77', 'kept.xml'), good)
  storage.files.insert(row('77', 'kept.xml', good))
  storage.files.insert(row('77', 'row-without-file.xml', good))
  writeFileSync(store.pathOf('77', 'short.xml'), good.subarray(0, 2))
  storage.files.insert(row('77', 'short.xml', good))
  writeFileSync(store.pathOf('77', 'file-without-row.xml'), good)
  writeFileSync(join(store.tmpDir, 'upload.part'), 'à moitié')

  const events = await reconcileStorage(storage, 42)
  t.same(readdirSync(join(store.filesDir, '77')), ['kept.xml'])
  t.same(storage.files.list('77').map((f) => f.name), ['kept.xml'])
  t.same(readdirSync(store.tmpDir), [])
  t.same(events.map((e) => e.fileName ?? '(tmp)').sort(), ['(tmp)', 'file-without-row.xml', 'row-without-file.xml', 'short.xml'], 'each repair is traced')
  t.ok(events.every((e) => e.kind === 'reconcile' && e.at === 42))
})

t.test('files of the same instant are listed in the order they came (a frozen clock: the answer after the upload it answers)', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  for (const name of ['cgpem-1.xml', 'PECGM_77_M_20261101_20261102_2.txt', 'a.xml']) storage.files.insert(row('77', name, Buffer.from(name)))
  t.same(storage.files.list('77').map((f) => f.name), ['cgpem-1.xml', 'PECGM_77_M_20261101_20261102_2.txt', 'a.xml'])
})

t.test('once a file through the page cache has failed, a whole batch pushed leaves no unhandled rejection', async (t) => {
  const storage = openStorage(t.testdir())
  t.teardown(() => storage.close())
  const temp = await storage.store.createTemp(1 << 16)
  // its descriptor swapped for one open for reading (the lowest free number is given again at once): its writes fail
  const fd = (temp as unknown as { fh: { fd: number } }).fh.fd
  closeSync(fd)
  t.equal(openSync(temp.path, 'r'), fd, 'the same descriptor number, read-only now')
  const unhandled: unknown[] = []
  const onUnhandled = (reason: unknown): void => { unhandled.push(reason) }
  process.on('unhandledRejection', onUnhandled)
  t.teardown(() => { process.off('unhandledRejection', onUnhandled) })
  // the first batch meets the failure; the next is pushed once it is known, its last promise alone awaited (as an upload does)
  let failures = 0
  for (let round = 0; round < 2; round++) {
    let last: Promise<void> | null = null
    for (let i = 0; i < 8; i++) last = temp.push(Buffer.alloc(1 << 16, i)) ?? last
    await last?.catch(() => { failures++ })
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  t.equal(failures, 2, 'each batch is told')
  await new Promise((resolve) => setTimeout(resolve, 20))
  t.same(unhandled, [], 'no unhandled rejection')
  await temp.discard()
  t.same(readdirSync(storage.store.tmpDir), [], 'nothing left in tmp/')
})
