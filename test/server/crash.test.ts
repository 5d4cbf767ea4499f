import t from 'tap'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { get, launch, start, waitFor } from '../reliability/server-process.js'
import { basic } from './helpers.js'

/**
 * The server in child processes, started as `phebus-mock serve` is (the
 * command line, src/cli.ts): killed mid-upload, restarted, started twice on
 * one folder.
 */

const ADMIN = 'admin-password-crash'
const DEPT77 = basic('dept77', 'demo-77')

t.test('killed during an upload: after restart no partial file, a consistent database, nothing deposited twice; a second server on the folder is refused', async (t) => {
  const dataDir = t.testdir()
  const first = await start(t, dataDir, { adminPassword: ADMIN })
  // the trail is written in batches (a crash loses at most the last 100 ms, docs/serveur.md): reading it writes what waits, so that the count below is of deposits, not of a lost batch;
  // and an admin's request waits for the start's deposits, which go on once the server is ready
  const traced = JSON.parse((await get(`${first.url}/api/v1/admin/audit?kind=deposit`, basic('admin', ADMIN))).body) as { entries: unknown[] }
  t.equal(traced.entries.length, 4, 'the first start\'s deposits, traced: the three stocks and 971\'s daily flux')
  const files77 = join(dataDir, 'files', '77')
  t.same(readdirSync(files77).length, 1, 'the month\'s stock was deposited')

  // an upload that announces 8 MB and sends 1 MB, then the server dies
  const upload = request(`${first.url}/api/v1/files?name=half.xml`, { method: 'POST', headers: { ...DEPT77, 'content-type': 'application/octet-stream', 'content-length': 8_000_000 } })
  upload.on('error', () => {})
  upload.write(Buffer.alloc(1_000_000, 0x20))
  const tmp = join(dataDir, 'tmp')
  await waitFor('the upload to reach the disk', () => readdirSync(tmp).some((f) => statSync(join(tmp, f)).size > 0))
  first.child.kill('SIGKILL')
  t.equal(await first.exited, null, 'killed')
  t.ok(existsSync(join(dataDir, 'phebus.lock')), 'its lock stayed behind')

  const second = await start(t, dataDir, { adminPassword: ADMIN })
  t.same(readdirSync(tmp), [], 'the half-written upload is gone')
  t.same(readdirSync(files77).length, 1, 'no partial file, nothing deposited twice')
  const list = JSON.parse((await get(`${second.url}/api/v1/files`)).body) as { files: { name: string }[] }
  t.same(list.files.map((f) => f.name), readdirSync(files77), 'the database and the disk agree')
  const trail = JSON.parse((await get(`${second.url}/api/v1/admin/audit?kind=deposit`, basic('admin', ADMIN))).body) as { entries: unknown[] }
  t.equal(trail.entries.length, 4, 'four deposits in all over two starts: each stock and 971\'s daily flux, once')

  const db = new Database(join(dataDir, 'phebus.sqlite'), { readonly: true })
  t.equal(db.pragma('integrity_check', { simple: true }), 'ok', 'the database is consistent')
  t.equal(db.prepare("SELECT count(*) FROM files WHERE name = 'half.xml'").pluck().get(), 0)
  db.close()

  const third = launch(t, dataDir, { adminPassword: ADMIN })
  t.equal(await third.exited, 2, 'a second server on the same folder refuses to start')
  t.match(third.stderr(), /PHEBUS_SERVER_DATA_DIR_LOCKED/)
  t.match(third.stderr(), /déjà utilisé/)
  t.equal((await get(`${second.url}/livez`)).status, 200, 'the first one is still serving')

  second.child.kill('SIGTERM')
  t.equal(await second.exited, 0, 'SIGTERM: a clean stop, exit code 0')
  t.notOk(existsSync(join(dataDir, 'phebus.lock')), 'the lock is released')
  t.match(second.stderr(), /arrêté/)
})
