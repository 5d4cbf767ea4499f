import t from 'tap'
import { execFile } from 'node:child_process'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { startServer } from '../../src/server/start.js'
import { appOptions } from './helpers.js'
import { ASSETS_DIR, TEMPLATES_DIR } from '../../src/server/views.js'

/**
 * No Docker engine runs here: the Dockerfile is read, and each command it
 * runs is checked to be one the project and its tests run too.
 */

const ROOT = new URL('../../', import.meta.url).pathname
const run = promisify(execFile)

interface Instruction { op: string, args: string, stage: number }

function parseDockerfile (text: string): Instruction[] {
  const joined = text.replace(/\\\r?\n/g, ' ')
  let stage = -1
  const out: Instruction[] = []
  for (const line of joined.split('\n')) {
    const m = /^\s*([A-Z]+)\s+(.*)$/.exec(line)
    if (!m || line.trimStart().startsWith('#')) continue
    const op = m[1] as string
    if (op === 'FROM') stage++
    out.push({ op, args: (m[2] as string).trim(), stage })
  }
  return out
}

function execForm (args: string): string[] {
  return JSON.parse(args) as string[]
}

const dockerfile = parseDockerfile(readFileSync(join(ROOT, 'Dockerfile'), 'utf8'))
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string>, scripts: Record<string, string> }

t.test('the Dockerfile builds in one stage with the commands CI runs, and runs from another', async (t) => {
  const froms = dockerfile.filter((i) => i.op === 'FROM')
  t.equal(froms.length, 2, 'a build stage and a runtime stage')
  t.match(froms[0]?.args, /^node:\S+ AS build$/)
  t.match(froms[1]?.args, /^node:\S+-slim$/, 'a slim runtime image')

  const ciInstall = /^\s*(npm ci\b.*)$/m.exec(readFileSync(join(ROOT, '.ci/run'), 'utf8'))?.[1]?.trim()
  const allowed = new Set([ciInstall, 'npm run build', 'npm prune --omit=dev'])
  const runs = dockerfile.filter((i) => i.op === 'RUN')
  for (const r of runs.filter((i) => i.stage === 0)) t.ok(allowed.has(r.args), `build stage: « ${r.args} » is a command CI or the tests run`)
  t.ok(runs.some((r) => r.args === ciInstall), 'installs exactly as CI does')
  t.ok(runs.some((r) => r.args === 'npm run build'), 'builds with the build script')
  t.ok(pkg.scripts.build, 'which package.json defines')
  for (const r of runs.filter((i) => i.stage === 1)) t.match(r.args, /^mkdir -p \S+ && chown node:node \S+$/, 'the runtime stage only makes the data folder')
})

t.test('the runtime stage runs phebus-mock serve as a non-root user, data in a volume, host and port from the environment', async (t) => {
  const final = dockerfile.filter((i) => i.stage === 1)
  const cmd = execForm(final.find((i) => i.op === 'CMD')?.args ?? '[]')
  t.same(cmd, ['node', pkg.bin['phebus-mock'], 'serve'], 'the start command: phebus-mock serve, through the package\'s bin')
  t.equal(pkg.scripts.start, cmd.join(' '), 'the same as npm start')
  const source = join(ROOT, (pkg.bin['phebus-mock'] as string).replace(/^dist\//, '').replace(/\.js$/, '.ts'))
  const help = await run(process.execPath, ['--import', 'tsx', source, 'serve', '--help'], { cwd: ROOT })
  t.match(help.stdout, /^Usage : phebus-mock serve/, 'and the command line knows serve')
  t.equal(final.find((i) => i.op === 'USER')?.args, 'node', 'not root')
  const env = final.filter((i) => i.op === 'ENV').map((i) => i.args).join(' ')
  t.match(env, /HOST=0\.0\.0\.0/)
  t.match(env, /PORT=8080/)
  const dataDir = /PHEBUS_DATA_DIR=(\S+)/.exec(env)?.[1]
  t.ok(dataDir)
  t.same(execForm(final.find((i) => i.op === 'VOLUME')?.args ?? '[]'), [dataDir], 'the data folder is the volume')
  const copied = final.filter((i) => i.op === 'COPY').map((i) => i.args.split(/\s+/).at(-2))
  const pages = [TEMPLATES_DIR, ASSETS_DIR].map((d) => `/app/${d.slice(ROOT.length).replace(/\/$/, '')}`)
  for (const needed of ['/app/dist', '/app/node_modules', '/app/scenarios', '/app/generators/data', '/app/package.json', ...pages]) t.ok(copied.includes(needed), `copies ${needed}`)
  const files = (pkg as unknown as { files: string[] }).files
  for (const dir of pages) t.ok(files.includes(dir.slice('/app/'.length)), `the npm package holds ${dir.slice('/app/'.length)} too`)
})

t.test('the HEALTHCHECK command says up when /livez answers and down when nothing does', async (t) => {
  const health = dockerfile.find((i) => i.op === 'HEALTHCHECK')?.args ?? ''
  const cmd = execForm(health.slice(health.indexOf('CMD') + 3).trim())
  t.equal(cmd[0], 'node')
  t.equal(cmd[1], '-e')
  const script = cmd[2] as string
  t.match(script, /\/livez/)
  const quiet = { write: () => true } as unknown as NodeJS.WritableStream
  const server = await startServer({ app: appOptions(t.testdir()), host: '127.0.0.1', port: 0, tls: { mode: 'off' }, stdout: quiet as never, stderr: quiet as never, handleSignals: false })
  const port = new URL(server.url).port
  const up = await run(process.execPath, ['-e', script], { env: { ...process.env, PORT: port } }).then(() => 0, (e: { code: number }) => e.code)
  t.equal(up, 0, 'healthy while the server runs')
  await server.close()
  const down = await run(process.execPath, ['-e', script], { env: { ...process.env, PORT: port } }).then(() => 0, (e: { code: number }) => e.code)
  t.equal(down, 1, 'unhealthy once it is gone')
})

t.test('pruning dev dependencies is safe: the server imports no package the lock marks dev-only', async (t) => {
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> }
  const files = (dir: string): string[] => readdirSync(dir).flatMap((n) => {
    const p = join(dir, n)
    if (p.endsWith('generators/tools')) return []
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') && !p.endsWith('.d.ts') ? [p] : []
  })
  const imported = new Set<string>()
  for (const f of [...files(join(ROOT, 'src')), ...files(join(ROOT, 'generators'))]) {
    for (const m of readFileSync(f, 'utf8').matchAll(/^import [^'"]*['"]([^'".][^'"]*)['"]/gm)) {
      const spec = m[1] as string
      if (spec.startsWith('node:')) continue
      imported.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0] as string)
    }
  }
  t.ok(imported.has('fastify') && imported.has('better-sqlite3'))
  for (const name of imported) {
    const entry = lock.packages[`node_modules/${name}`]
    t.ok(entry !== undefined && entry.dev !== true, `${name} is installed for production`)
  }
})
