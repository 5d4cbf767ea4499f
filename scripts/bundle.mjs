// The installed command as a few bundled files (npm run build, after tsc): dist/bin/phebus-mock.js.
//
// Node spends most of a cold start finding, reading and compiling modules one
// by one: hundreds of small files for fastify, TypeBox and their kin. One
// bundle per command (esbuild's code splitting: `generate` never loads the
// server's chunk, `--help` no command's) starts the server in a third of the
// module-loading time. tsc's dist/src/ stays what the tests and benches import.
//
// Left out of the bundle and loaded from node_modules as installed: a native
// module (better-sqlite3), and packages that read files next to their own code
// (pdfkit's fonts, swagger-ui's page: swagger-ui is handed the bundle's yaml
// and @fastify/static, plugins/external/swagger.ts), or that only
// some requests need: --tls
// (selfsigned), a route's first request (the schema compilers, ajv and
// fast-json-stringify), app.inject (light-my-request, the tests'). And
// @fastify/cookie, which loads `cookie` (CommonJS) by a dynamic import():
// bundled, that import gave a module whose only export is `default`, and
// every page that sets a cookie (the login page first) answered 500; Node's
// own loader gives it cookie's named exports (test/server/serve-pipeline.test.ts).
import { build } from 'esbuild'
import { rmSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const common = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  external: ['better-sqlite3', 'pdfkit', '@fastify/swagger-ui', 'selfsigned', '@fastify/ajv-compiler', '@fastify/fast-json-stringify-compiler', 'light-my-request', '@fastify/cookie'],
  // the CommonJS packages bundled into ES modules still call require() for Node's own modules
  banner: { js: "import { createRequire as phebusCreateRequire } from 'node:module'; const require = phebusCreateRequire(import.meta.url);" },
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
  absWorkingDir: root
}

rmSync(join(root, 'dist', 'bin'), { recursive: true, force: true })
rmSync(join(root, 'dist', 'workers'), { recursive: true, force: true })
await Promise.all([
  build({
    ...common,
    // the generator's helper threads start their script from the chunk that starts them: ./pecgm-worker.js
    entryPoints: [{ in: 'src/cli.ts', out: 'phebus-mock' }, { in: 'src/generate/pecgm-worker.ts', out: 'pecgm-worker' }],
    splitting: true,
    outdir: 'dist/bin',
    chunkNames: '[name]-[hash]'
  }),
  // the server's worker threads, found from the bundle's chunks (in dist/bin/) as ../workers/: where
  // services/pdf-renderer.ts and pecgm-threads.ts look, from dist/bin/ as from tsc's dist/src/server/services/
  build({
    ...common,
    entryPoints: ['src/server/workers/bilan-pdf.ts', 'src/server/workers/pecgm-deposit.ts', 'src/server/workers/cgpem-validate.ts'],
    outdir: 'dist/workers'
  })
])
