import t from 'tap'
import { openSync, writeSync, closeSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { buildServer } from '../../src/server/build.js'
import { appOptions } from './helpers.js'

t.test('a database damaged past its header refuses the start in French with what to do, where SQLite\'s English came out from a later read', async (t) => {
  const dataDir = t.testdir()
  const first = await buildServer(appOptions(dataDir))
  await first.maintenance.settled()
  await first.close()
  const path = join(dataDir, 'phebus.sqlite')
  const pages = Math.floor(statSync(path).size / 4096)
  t.ok(pages > 3, `a database of ${pages} pages`)
  // every page but the first (the header) overwritten: whatever the start reads next is damaged
  const fd = openSync(path, 'r+')
  const junk = Buffer.alloc(4096, 0xa5)
  for (let p = 1; p < pages; p++) writeSync(fd, junk, 0, junk.length, p * 4096)
  closeSync(fd)
  await t.rejects(buildServer(appOptions(dataDir)), { name: 'ServerError', code: 'PHEBUS_SERVER_DATABASE', message: /^La base .*phebus\.sqlite est corrompue ou n'est pas une base SQLite \(SQLITE_CORRUPT\).*sauvegarde.*--reset/ })
})
