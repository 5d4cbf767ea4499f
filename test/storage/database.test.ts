import t from 'tap'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openDatabase, schemaVersion } from '../../src/storage/database.js'
import { MIGRATIONS } from '../../src/storage/migrations.js'
import { FIND_IGNORING_CASE_SQL, FileRepository } from '../../src/storage/files.js'
import { lockDataDir, LOCK_FILE } from '../../src/storage/lock.js'

t.test('a new database is created at the latest schema, in WAL mode; opening it again changes nothing', async (t) => {
  const path = join(t.testdir(), 'phebus.sqlite')
  const db = openDatabase(path)
  t.equal(schemaVersion(db), MIGRATIONS.length)
  t.equal(db.pragma('journal_mode', { simple: true }), 'wal')
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()
  for (const table of ['accounts', 'audit', 'files', 'reports']) t.ok(tables.includes(table), `table ${table}`)
  db.prepare('INSERT INTO audit (at, kind) VALUES (1, ?)').run('start')
  db.close()
  const again = openDatabase(path)
  t.equal(schemaVersion(again), MIGRATIONS.length)
  t.equal(again.prepare('SELECT count(*) FROM audit').pluck().get(), 1, 'the data is kept')
  again.close()
})

t.test('a database from a newer phebus-mock is refused with a coded error', async (t) => {
  const path = join(t.testdir(), 'phebus.sqlite')
  const raw = new Database(path)
  raw.pragma(`user_version = ${MIGRATIONS.length + 1}`)
  raw.close()
  t.throws(() => openDatabase(path), { name: 'ServerError', code: 'PHEBUS_SERVER_DATABASE' })
})

t.test('a file that is not a SQLite database is refused in French, saying what to do, never SQLite\'s English', async (t) => {
  const path = join(t.testdir(), 'phebus.sqlite')
  writeFileSync(path, 'garbage!garbage!'.repeat(512))
  t.throws(() => openDatabase(path), { name: 'ServerError', code: 'PHEBUS_SERVER_DATABASE', message: /^La base .*phebus\.sqlite est corrompue.*SQLITE_NOTADB.*sauvegarde.*--reset/ })
})

t.test('migration 18 reads names ignoring case over an index, and keeps a pair of names that differ only by case made before it', async (t) => {
  const path = join(t.testdir(), 'phebus.sqlite')
  const before = new Database(path)
  for (const [i, sql] of MIGRATIONS.slice(0, 17).entries()) {
    before.exec(sql)
    before.pragma(`user_version = ${i + 1}`)
  }
  const insert = before.prepare("INSERT INTO files (departement, name, kind, size, sha256, created_at) VALUES ('77', ?, 'CGPEM', 1, 'x', ?)")
  insert.run('cgpem-77.xml', 1)
  insert.run('CGPEM-77.xml', 2)
  before.close()
  const db = openDatabase(path)
  t.teardown(() => db.close())
  t.equal(schemaVersion(db), MIGRATIONS.length)
  t.same(db.prepare('SELECT name FROM files ORDER BY created_at').pluck().all(), ['cgpem-77.xml', 'CGPEM-77.xml'], 'the pair is kept as it was')
  const files = new FileRepository(db)
  t.equal(files.findIgnoringCase('77', 'Cgpem-77.XML')?.name, 'cgpem-77.xml', 'a case variant finds a file of that name')
  t.equal(files.findIgnoringCase('77', 'CGPEM-77.xml')?.name, 'CGPEM-77.xml', 'the exact name first')
  t.equal(files.findIgnoringCase('93', 'cgpem-77.xml'), null, 'in its département only')
  const plan = (db.prepare(`EXPLAIN QUERY PLAN ${FIND_IGNORING_CASE_SQL}`).all('77', 'a', 'a') as { detail: string }[]).map((r) => r.detail).join(' | ')
  t.match(plan, /^SEARCH files USING INDEX files_by_name_nocase \(departement=\? AND name=\?\)/, 'read by its index, never the département\'s files one by one')
})

t.test('the data folder lock: one holder, a dead holder\'s lock taken over', async (t) => {
  const cases = [
    { name: 'no lock', before: null as string | null, ok: true },
    { name: 'a lock of a process that is gone', before: 'dead', ok: true },
    { name: 'a lock of our own pid left by a previous life (a container restarted)', before: String(process.pid), ok: true },
    { name: 'an unreadable lock', before: 'garbage', ok: true },
    { name: 'a lock of a live process', before: String(process.ppid), ok: false }
  ]
  const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout
  for (const c of cases) {
    const dir = t.testdir()
    if (c.before !== null) writeFileSync(join(dir, LOCK_FILE), c.before === 'dead' ? dead : c.before)
    if (c.ok) {
      const lock = lockDataDir(dir)
      t.throws(() => lockDataDir(dir), { name: 'ServerError', code: 'PHEBUS_SERVER_DATA_DIR_LOCKED' }, `${c.name}: then held`)
      lock.release()
      lockDataDir(dir).release()
      t.pass(`${c.name}: released, it can be taken again`)
    } else {
      t.throws(() => lockDataDir(dir), { name: 'ServerError', code: 'PHEBUS_SERVER_DATA_DIR_LOCKED' }, c.name)
    }
  }
})
