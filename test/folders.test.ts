import t from 'tap'
import { existsSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { makeFolders } from '../src/folders.js'

t.test('makeFolders makes a folder and those missing above it, and gives the outermost it made', async (t) => {
  const dir = t.testdir()
  t.equal(makeFolders(join(dir, 'a', 'b', 'c')), join(dir, 'a'))
  t.ok(statSync(join(dir, 'a', 'b', 'c')).isDirectory())
  t.equal(makeFolders(join(dir, 'a', 'b')), undefined, 'there already: nothing made')
  writeFileSync(join(dir, 'f'), 'x')
  t.throws(() => makeFolders(join(dir, 'f')), { code: 'EEXIST' }, 'a file of its name')
  t.throws(() => makeFolders(join(dir, 'f', 'g')), { code: 'ENOTDIR' }, 'a file on the way')
})

// Node's own (mkdir with recursive) never returns there: it finds the parent, tries again, forever, at full CPU
t.test('under a folder of a file system that takes no new folder (/proc), makeFolders fails at once with ENOENT', { skip: !existsSync('/proc/self') && 'no /proc' }, async (t) => {
  t.throws(() => makeFolders('/proc/phebus-mock-absent'), { code: 'ENOENT', path: '/proc/phebus-mock-absent' })
  t.throws(() => makeFolders('/proc/self/phebus-mock-absent/x'), { code: 'ENOENT' })
})
