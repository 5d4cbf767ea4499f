// The code caches of the installed command (src/cli/code-cache.ts), made at the end of `npm run build`: each
// command's bundle run once on what a first user would give it (a small stock, its validation, a sample,
// the demo server started, a page and the API asked, then stopped), so that its cache holds what such a run
// compiles. A command's first run would make it anyway; made here, that first run is already quick, and so is
// the Docker image's, whose folder is not written to at run time.
//
// Best effort: a run that fails here says so and leaves its command without a cache (it is made by its first
// run elsewhere); the build itself does not fail for it, the tests check the commands.
import { spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bin = join(root, 'dist', 'bin', 'phebus-mock.js')
const scenario = join(root, 'scenarios', 'demo.yaml')
const dir = mkdtempSync(join(tmpdir(), 'phebus-cache-'))
// the demo server's admin password is drawn at random when none is given: nothing to keep
const env = { ...process.env, PHEBUS_ADMIN_PASSWORD: '', PHEBUS_CODE_CACHE: '1' }

function start (args) {
  return spawn(process.execPath, [bin, ...args], { cwd: dir, env, stdio: ['ignore', 'ignore', 'pipe'] })
}

async function ended (child, what) {
  let stderr = ''
  child.stderr.on('data', (d) => { stderr += String(d) })
  const code = await new Promise((resolve) => child.on('close', resolve))
  if (code !== 0) throw new Error(`${what} : code ${code}\n${stderr.trim()}`)
}

async function serve () {
  const ready = join(dir, 'pret.json')
  const child = start(['serve', '--port', '0', '--host', '127.0.0.1', '--data-dir', join(dir, 'donnees'), '--ready-file', ready, '--log-format', 'json'])
  const exit = ended(child, 'serve')
  for (let waited = 0; !existsSync(ready); waited += 20) {
    if (waited > 30_000 || child.exitCode !== null) throw new Error('serve : pas prêt en 30 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const { url } = JSON.parse(readFileSync(ready, 'utf8'))
  const basic = { authorization: `Basic ${Buffer.from('dept77:demo-77').toString('base64')}` }
  for (const [path, headers] of [['/', { accept: 'text/html' }], ['/api/v1/files', basic], ['/readyz', {}]]) {
    await (await fetch(url + path, { headers })).arrayBuffer()
  }
  child.kill('SIGTERM')
  await exit
}

const runs = [
  ['scenario', 'check', scenario],
  ['generate', '--scenario', scenario, '--departement', '77', '--date', '2026-11-02', '--records', '2000', '--output', 'stock.txt'],
  ['sample', 'cgpem', '--scenario', scenario, '--departement', '77', '--date', '2026-11-02', '--records', '2000', '--output', 'cgpem.xml'],
  ['validate', 'cgpem.xml']
]
try {
  for (const args of runs) await ended(start(args), args.slice(0, 2).join(' '))
  await serve()
} catch (err) {
  console.warn(`warm-code-cache : caches incomplets, faits par la première exécution de chaque commande (${err.message})`)
} finally {
  rmSync(dir, { recursive: true, force: true })
}
