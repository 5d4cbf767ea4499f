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

t.test('the Dockerfile installs from the lock before copying the sources, builds once, and runs from another stage', async (t) => {
  const froms = dockerfile.filter((i) => i.op === 'FROM')
  t.equal(froms.length, 2, 'a build stage and a runtime stage')
  t.match(froms[0]?.args, /^node:\S+ AS build$/)
  t.match(froms[1]?.args, /^node:\S+-slim$/, 'a slim runtime image')

  const build = dockerfile.filter((i) => i.stage === 0 && (i.op === 'COPY' || i.op === 'RUN'))
  t.same(build[0], { op: 'COPY', args: 'package.json package-lock.json ./', stage: 0 }, 'first the package files alone')
  const install = build[1]
  t.equal(install?.op, 'RUN')
  t.match(install?.args, /^npm ci --ignore-scripts --no-audit --no-fund && npm rebuild \S+/, 'then the install, from the lock, before any source: a change of code reuses its layer')
  // --ignore-scripts keeps the project's prepare (the build) out of the install: the build runs once, below
  const rebuilt = (install?.args ?? '').replace(/^.*npm rebuild /, '').split(/\s+/).sort()
  const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean, hasInstallScript?: boolean }> }
  const needScripts = Object.entries(lock.packages).filter(([path, p]) => path.startsWith('node_modules/') && p.hasInstallScript === true && p.dev !== true).map(([path]) => path.replace(/^.*node_modules\//, '')).sort()
  t.same(rebuilt, needScripts, 'and the install scripts of exactly the production packages that have one')
  const runs = build.filter((i) => i.op === 'RUN').map((i) => i.args)
  t.same(runs.slice(1), ['npm run build', 'npm prune --omit=dev'], 'one build, with the build script, then the dev dependencies pruned')
  t.ok(pkg.scripts.build, 'which package.json defines')
  const ciInstall = /^\s*(npm ci\b.*)$/m.exec(readFileSync(join(ROOT, '.ci/run'), 'utf8'))?.[1]?.trim()
  t.equal(install?.args.replace(' --ignore-scripts', '').replace(/ && npm rebuild .*$/, ''), ciInstall, 'the same install as CI, scripts aside')
  for (const r of dockerfile.filter((i) => i.op === 'RUN' && i.stage === 1)) t.match(r.args, /^mkdir -p \S+ && chown node:node \S+$/, 'the runtime stage only makes the data folder')

  const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n').map((l) => l.trim())
  for (const local of ['node_modules', 'dist', 'data', '.git']) t.ok(ignored.includes(local), `.dockerignore leaves out ${local}`)
})

t.test('the runtime stage runs phebus-mock serve as a non-root user, data in a volume, host and port from the environment', async (t) => {
  const final = dockerfile.filter((i) => i.stage === 1)
  const cmd = execForm(final.find((i) => i.op === 'CMD')?.args ?? '[]')
  t.same(cmd, ['node', pkg.bin['phebus-mock'], 'serve'], 'the start command: phebus-mock serve, through the package\'s bin')
  t.equal(pkg.scripts.start, `exec ${cmd.join(' ')}`, 'the same as npm start (which execs it, so that a signal to npm reaches the server)')
  // the bin is the bundle of src/cli.ts (scripts/bundle.mjs), run here from its source
  t.match(pkg.bin['phebus-mock'], /^dist\/bin\//)
  const source = join(ROOT, 'src', 'cli.ts')
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

t.test('the HEALTHCHECK says healthy once ready (/readyz), probed every second while starting, and down when nothing answers', async (t) => {
  const health = dockerfile.find((i) => i.op === 'HEALTHCHECK')?.args ?? ''
  t.match(health, /--start-interval=1s/, 'probed every second during the start period: compose up --wait goes on as soon as it is ready')
  const cmd = execForm(health.slice(health.indexOf('CMD') + 3).trim())
  t.equal(cmd[0], 'node')
  t.equal(cmd[1], '-e')
  const script = cmd[2] as string
  t.match(script, /\/readyz/)
  const quiet = { write: () => true } as unknown as NodeJS.WritableStream
  const server = await startServer({ app: appOptions(t.testdir()), host: '127.0.0.1', port: 0, tls: { mode: 'off' }, stdout: quiet as never, stderr: quiet as never, handleSignals: false })
  const port = new URL(server.url).port
  await server.app.maintenance.settled()
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

/** A Docker engine that answers, or why there is none. */
async function dockerEngine (): Promise<string | null> {
  try {
    await run('docker', ['version', '--format', '{{.Server.Version}}'], { timeout: 10_000 })
    return null
  } catch (err) {
    return (err as { code?: string }).code === 'ENOENT' ? 'la commande docker est absente' : 'le moteur Docker ne répond pas'
  }
}

const noEngine = await dockerEngine()

t.test('where a Docker engine answers: the image builds, and its container becomes healthy and serves the API', { skip: noEngine !== null && `image non construite : ${noEngine} ; le Dockerfile est vérifié par les tests ci-dessus` }, async (t) => {
  const tag = `phebus-mock-test:${process.pid}`
  const name = `phebus-mock-test-${process.pid}`
  t.teardown(async () => {
    await run('docker', ['rm', '-f', name]).catch(() => {})
    await run('docker', ['rmi', '-f', tag]).catch(() => {})
  })
  await run('docker', ['build', '-t', tag, ROOT], { timeout: 15 * 60_000, maxBuffer: 64 << 20 })
  await run('docker', ['run', '-d', '--name', name, '-p', '127.0.0.1::8080', '-e', 'PHEBUS_ADMIN_PASSWORD=admin-du-test-docker', tag])
  const port = (await run('docker', ['port', name, '8080/tcp'])).stdout.trim().split(':').at(-1)
  let health = ''
  for (let i = 0; i < 120 && health !== 'healthy'; i++) {
    health = (await run('docker', ['inspect', '--format', '{{.State.Health.Status}}', name])).stdout.trim()
    if (health !== 'healthy') await new Promise((resolve) => setTimeout(resolve, 1000))
  }
  t.equal(health, 'healthy', 'healthy once ready')
  const files = await fetch(`http://127.0.0.1:${port ?? ''}/api/v1/files`, { headers: { authorization: `Basic ${Buffer.from('dept77:demo-77').toString('base64')}` } })
  t.equal(files.status, 200, 'a département lists its files')
  const user = (await run('docker', ['exec', name, 'id', '-un'])).stdout.trim()
  t.equal(user, 'node', 'not root')
})
