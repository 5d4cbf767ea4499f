import t from 'tap'
import { execFileSync } from 'node:child_process'
import { copyFileSync, lstatSync, mkdirSync, readlinkSync, realpathSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../src/paths.js'

const SCRIPT = join(packageRoot(), 'scripts', 'link-self.mjs')

/** A project folder with the script, a node_modules (and its .bin) and a command: where `prepare` runs it. */
function project (root: string): string {
  mkdirSync(join(root, 'scripts'), { recursive: true })
  mkdirSync(join(root, 'node_modules', '.bin'), { recursive: true })
  mkdirSync(join(root, 'dist', 'bin'), { recursive: true })
  writeFileSync(join(root, 'dist', 'bin', 'phebus-mock.js'), '#!/usr/bin/env node\n')
  copyFileSync(SCRIPT, join(root, 'scripts', 'link-self.mjs'))
  return root
}

function run (root: string): string {
  return execFileSync(process.execPath, [join(root, 'scripts', 'link-self.mjs')], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
}

t.test('prepare links the project into its own node_modules, so that npx phebus-mock runs it at once instead of installing a copy', async (t) => {
  const root = project(t.testdir())
  run(root)
  t.equal(readlinkSync(join(root, 'node_modules', 'phebus-mock')), '..', 'node_modules/phebus-mock is the project')
  t.equal(realpathSync(join(root, 'node_modules', '.bin', 'phebus-mock')), realpathSync(join(root, 'dist', 'bin', 'phebus-mock.js')), 'node_modules/.bin/phebus-mock is its command')
  run(root)
  t.ok(lstatSync(join(root, 'node_modules', 'phebus-mock')).isSymbolicLink(), 'a second run leaves the links as they are, without an error')
})

t.test('nothing is linked in a folder installed as another project\'s dependency, nor over what is there already', async (t) => {
  const dir = t.testdir()
  const installed = project(join(dir, 'node_modules', 'phebus-mock'))
  run(installed)
  t.throws(() => lstatSync(join(installed, 'node_modules', 'phebus-mock')), 'no link inside a dependency')
  const own = project(join(dir, 'own'))
  mkdirSync(join(own, 'node_modules', 'phebus-mock'))
  run(own)
  t.ok(lstatSync(join(own, 'node_modules', 'phebus-mock')).isDirectory(), 'a folder of that name is left alone')
})
