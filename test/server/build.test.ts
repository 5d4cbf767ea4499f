import t from 'tap'
import Database from 'better-sqlite3'
import { closeSync, openSync, writeSync } from 'node:fs'
import { join } from 'node:path'
import { buildServer } from '../../src/server/build.js'
import { appOptions } from './helpers.js'

t.test('a database damaged past its header refuses the start in French with what to do, where SQLite\'s English came out from a later read', async (t) => {
  const dataDir = t.testdir()
  const first = await buildServer(appOptions(dataDir))
  await first.maintenance.settled()
  await first.close()
  const path = join(dataDir, 'phebus.sqlite')
  // the accounts' table only: opening the base and its migrations read other pages, the start's provisioning reads it
  const db = new Database(path, { readonly: true })
  const { rootpage: root, size } = db.prepare<[], { rootpage: number, size: number }>("SELECT rootpage, (SELECT page_size FROM pragma_page_size) AS size FROM sqlite_master WHERE name = 'accounts'").get() as { rootpage: number, size: number }
  db.close()
  const fd = openSync(path, 'r+')
  writeSync(fd, Buffer.alloc(size, 0xa5), 0, size, (root - 1) * size)
  closeSync(fd)
  await t.rejects(buildServer(appOptions(dataDir)), { name: 'ServerError', code: 'PHEBUS_SERVER_DATABASE', message: /^La base .*phebus\.sqlite est corrompue ou n'est pas une base SQLite \(SQLITE_CORRUPT\).*sauvegarde.*--reset/ })
})
