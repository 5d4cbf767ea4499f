import t from 'tap'
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { ProvisionalFiles } from '../../src/cli/output.js'

t.test('what a whole made goes, the latest first (files, then the folders they were in), unless it is kept', async (t) => {
  const dir = t.testdir({ before: 'kept' })
  const made = new ProvisionalFiles()
  for (const folder of [join(dir, 'a'), join(dir, 'a', 'b')]) {
    mkdirSync(folder)
    made.add(folder, true)
  }
  for (const name of ['one.txt', 'two.txt']) {
    writeFileSync(join(dir, 'a', 'b', name), name)
    made.add(join(dir, 'a', 'b', name))
  }
  t.equal(made.removeAll(), 2, 'two files')
  t.same(readdirSync(dir), ['before'], 'the folders it made went too, what was there stays')

  const kept = new ProvisionalFiles()
  writeFileSync(join(dir, 'three.txt'), 'x')
  kept.add(join(dir, 'three.txt'))
  kept.keep()
  t.equal(kept.removeAll(), 0, 'nothing once kept')
  t.ok(existsSync(join(dir, 'three.txt')))
})

t.test('a folder that holds something else than what the whole made stays', async (t) => {
  const dir = t.testdir()
  const made = new ProvisionalFiles()
  mkdirSync(join(dir, 'a'))
  made.add(join(dir, 'a'), true)
  writeFileSync(join(dir, 'a', 'other.txt'), 'not the whole\'s')
  made.removeAll()
  t.same(readdirSync(join(dir, 'a')), ['other.txt'])
})
