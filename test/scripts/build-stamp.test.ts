import t, { type Test } from 'tap'
import { spawnSync } from 'node:child_process'
import { copyFileSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../../scripts/build-stamp.mjs', import.meta.url))

/** A project folder of its own: the script, a source, a dist/. */
function project (t: Test): string {
  const root = t.testdir({ src: { 'a.ts': 'export {}\n' }, dist: {}, scripts: {}, 'package.json': '{}\n' })
  copyFileSync(SCRIPT, join(root, 'scripts', 'build-stamp.mjs'))
  return root
}

function run (root: string, mode: string, command?: string): { status: number | null, stderr: string } {
  const env: NodeJS.ProcessEnv = { ...process.env }
  delete env.npm_command
  if (command !== undefined) env.npm_command = command
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build-stamp.mjs'), mode], { env, encoding: 'utf8' })
  return { status: r.status, stderr: r.stderr }
}

/** Sets a path's times `seconds` from now, so that the order of two writes does not depend on the clock's grain. */
function age (path: string, seconds: number): void {
  const at = new Date(Date.now() + seconds * 1000)
  utimesSync(path, at, at)
}

t.test('npx\'s prepare skips the build only when dist/ was built after every source changed', async (t) => {
  const root = project(t)
  t.equal(run(root, '--fresh', 'exec').status, 1, 'never built: build')
  for (const p of ['src/a.ts', 'src', 'scripts/build-stamp.mjs', 'scripts', 'package.json']) age(join(root, p), -60)
  t.equal(run(root, '--write').status, 0, 'the build marks dist/ complete')
  const skipped = run(root, '--fresh', 'exec')
  t.equal(skipped.status, 0, 'built after every source: npx skips the build')
  t.match(skipped.stderr, /dist\/ est à jour/, 'and says so in French')
  t.equal(run(root, '--fresh', 'ci').status, 1, 'an install (npm ci) always builds: its dependencies may have changed')
  t.equal(run(root, '--fresh').status, 1, 'and so does npm install, or prepare run by hand')

  age(join(root, 'src', 'a.ts'), 60)
  t.equal(run(root, '--fresh', 'exec').status, 1, 'a source changed since: build')
  age(join(root, 'src', 'a.ts'), -60)
  t.equal(run(root, '--fresh', 'exec').status, 0)

  mkdirSync(join(root, 'src', 'new'))
  writeFileSync(join(root, 'src', 'new', 'b.ts'), 'export {}\n')
  age(join(root, 'src', 'new', 'b.ts'), 60)
  t.equal(run(root, '--fresh', 'exec').status, 1, 'a source added in a new folder: build')
})

t.test('a mode it does not know: usage in French, exit 2', async (t) => {
  const r = run(project(t), '--bad')
  t.equal(r.status, 2)
  t.match(r.stderr, /usage/)
})
