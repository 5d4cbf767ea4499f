import t from 'tap'
import { existsSync } from 'node:fs'
import { testApp } from './helpers.js'

/**
 * The tests' server (helpers.ts) closes, and so waits for what it still does
 * once it has answered, before tap removes the test's folder: a task still
 * writing there (an answer PECGM) found it gone, or kept tap from removing it
 * (ENOENT, ENOTEMPTY), now and then.
 */
let seen: boolean | null = null

t.test('a test whose server still has a task when it ends', async (t) => {
  const app = await testApp(t)
  const dir = app.config.dataDir
  app.departementWork.add('77', async () => {
    await new Promise((resolve) => setTimeout(resolve, 200))
    seen = existsSync(dir)
  }, (err) => { throw err })
  t.pass('ends before its task')
})

t.test('that task ran while the test\'s folder was still there', async (t) => {
  t.equal(seen, true)
})
