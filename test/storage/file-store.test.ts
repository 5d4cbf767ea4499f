import t from 'tap'
import { createHash } from 'node:crypto'
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
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
