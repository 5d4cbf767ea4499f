// The installed command as a few bundled files (npm run build, after tsc): dist/bin/phebus-mock.js,
// a launcher, and one bundle per command in dist/commands/.
//
// Node spends most of a cold start finding, reading and compiling modules one
// by one: hundreds of small files for fastify, TypeBox and their kin. One
// bundle per command (`generate` never loads the server's code, `--help` no
// command's) starts the server in a third of the module-loading time. Each
// command's bundle is CommonJS, which the launcher runs with V8's code cache
// (src/cli/code-cache.ts: Node 20 caches no ES module's code), written by its
// first run; this script makes them (warm-code-cache.mjs). The bundle's name
// carries the hash of its content, since V8 checks a cache against its
// source's length only. tsc's dist/src/ stays what the tests and benches import.
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
import { readFileSync, rmSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

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

/** The launcher and the commands' bundles: CommonJS, import.meta.url that of their own file (import-meta-url.cjs). */
const commonJs = {
  ...common,
  format: 'cjs',
  banner: undefined,
  define: { 'import.meta.url': 'phebusImportMetaUrl' },
  inject: [join(root, 'scripts', 'import-meta-url.cjs')]
}

/** The commands (src/cli/command-names.ts, as tsc just built it), each a bundle, and `base`: the command line alone (--help, --version, mistakes). */
const { COMMAND_NAMES } = await import(pathToFileURL(join(root, 'dist', 'src', 'cli', 'command-names.js')).href)

/**
 * src/cli/commands.ts for the bundle of one command: that command alone,
 * imported with the command line (the launcher never runs a bundle for
 * another command than its own; `base`, none).
 */
function commandsOf (name) {
  return {
    name: 'phebus-commands',
    setup (b) {
      b.onResolve({ filter: /^\.\/commands\.js$/ }, (args) => args.importer.endsWith(join('src', 'cli', 'run.ts')) ? { path: name, namespace: 'phebus-commands' } : undefined)
      b.onLoad({ filter: /.*/, namespace: 'phebus-commands' }, () => ({
        resolveDir: join(root, 'src', 'cli'),
        loader: 'js',
        contents: name === 'base'
          ? 'export const COMMANDS = {}'
          : `import { ${name}Command } from './${name}.js'\nexport const COMMANDS = { ${name}: async () => ${name}Command }`
      }))
    }
  }
}

/**
 * The bundle's few characters beyond ASCII (in comments esbuild keeps, and in
 * a regular expression) written as \\uXXXX escapes, which mean the same there:
 * a file of ASCII alone is read a third sooner (no UTF-8 decoding) and held by
 * V8 in one byte a character, where these 180 bytes of 2.9 MB made the whole
 * server's source a string of two bytes a character.
 */
function asciiOnly (file) {
  const text = readFileSync(file, 'utf8')
  if (/^[\0-\x7f]*$/.test(text)) return
  writeFileSync(file, text.replace(/[^\0-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`))
}

for (const dir of ['bin', 'commands', 'workers']) rmSync(join(root, 'dist', dir), { recursive: true, force: true })
const [commands] = await Promise.all([
  // a bundle per command: CommonJS, import.meta.url that of its own file (the folders it looks in from there:
  // ../workers/, ./pecgm-worker.js, the package's root)
  Promise.all([...COMMAND_NAMES, 'base'].map(async (name) => {
    const result = await build({
      ...commonJs,
      entryPoints: [{ in: 'src/cli/main.ts', out: name }],
      entryNames: '[name]-[hash]',
      outExtension: { '.js': '.cjs' },
      outdir: 'dist/commands',
      metafile: true,
      // import() of a package left out (selfsigned, for --tls) as require(): a script read from V8's code cache loses
      // the callback Node gives it for import() (ERR_VM_DYNAMIC_IMPORT_CALLBACK_MISSING), and these packages are CommonJS
      supported: { 'dynamic-import': false },
      // without its indentation and comments (names kept: a trace reads as the code does, and the map gives the
      // sources' lines): the server's bundle a third smaller, read and decoded at each start. In lines of 200
      // characters or so: Node prints the line an uncaught error was thrown from, which was up to 550 KB long
      minifyWhitespace: true,
      lineLimit: 200,
      plugins: [commandsOf(name)]
    })
    const file = Object.keys(result.metafile.outputs).find((f) => f.endsWith('.cjs'))
    asciiOnly(join(root, file))
    return [name, file.slice('dist/commands/'.length)]
  })),
  // the generator's helper threads start their script from the bundle that starts them: ./pecgm-worker.js
  build({ ...common, entryPoints: [{ in: 'src/generate/pecgm-worker.ts', out: 'pecgm-worker' }], outdir: 'dist/commands' }),
  // the server's worker threads, found from the bundles (in dist/commands/) as ../workers/: where
  // services/pdf-renderer.ts and pecgm-threads.ts look, from dist/commands/ as from tsc's dist/src/server/services/
  build({
    ...common,
    entryPoints: ['src/server/workers/bilan-pdf.ts', 'src/server/workers/pecgm-deposit.ts', 'src/server/workers/cgpem-validate.ts'],
    outdir: 'dist/workers'
  })
])
// the launcher, which knows each command's bundle by name: CommonJS too, as its folder's package.json says (the
// package's own says ES modules), for Node's loader of ES modules costs every command some 15 ms before it starts
await build({
  ...commonJs,
  entryPoints: [{ in: 'src/cli/launcher.ts', out: 'phebus-mock' }],
  outdir: 'dist/bin',
  define: { ...commonJs.define, PHEBUS_BUNDLES: JSON.stringify(Object.fromEntries(commands)) }
})
writeFileSync(join(root, 'dist', 'bin', 'package.json'), JSON.stringify({ type: 'commonjs' }) + '\n')
asciiOnly(join(root, 'dist', 'bin', 'phebus-mock.js'))
