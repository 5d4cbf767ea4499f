import t from 'tap'
import { spawnSync } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { openDatabase, schemaVersion } from '../../src/storage/database.js'
import { MIGRATIONS } from '../../src/storage/migrations.js'
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
