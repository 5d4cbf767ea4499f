#!/usr/bin/env node
import { fileURLToPath } from 'node:url'
import { loadBundle, worthCaching } from './code-cache.js'
import { commandName } from './command-names.js'

/**
 * The installed command (package.json's bin, built by scripts/bundle.mjs):
 * the command line's command, run from its own bundle (each holds the
 * command line and that one command; `base` the command line alone, for
 * --help, --version and mistakes), through V8's code cache (code-cache.ts).
 * Built as CommonJS (dist/bin/package.json says so): Node's loader of ES
 * modules, and the facades it makes of node:fs and its kin, cost every
 * command some 15 ms before its first line ran (docs/performance.md).
 */

/** Each bundle's file in ../commands/, by command: set by the build (esbuild's define). */
declare const PHEBUS_BUNDLES: Record<string, string>

const argv = process.argv.slice(2)
const name = commandName(argv) ?? 'base'
const bundle = loadBundle(fileURLToPath(new URL(`../commands/${PHEBUS_BUNDLES[name] ?? PHEBUS_BUNDLES.base ?? ''}`, import.meta.url)))
// the cache is written as the process ends, with what the whole run compiled (worthCaching)
process.once('exit', (code) => { if (worthCaching(code, argv)) bundle.save() })
const main = bundle.exports.main as (argv: string[]) => Promise<number>
let settled = false
main(argv).then((code) => {
  settled = true
  process.exitCode = code
}, (err: unknown) => {
  // a failure run() did not answer itself (a defect): shown as it is (its trace, or the value thrown), exit 1, whatever
  // --unhandled-rejections says, as when the ES module launcher awaited it
  settled = true
  process.exitCode = 1
  console.error(err)
})
// nothing left to wait for, and the command not done: a promise never kept (a defect). Said, exit 13, as Node says an
// unsettled top-level await (the ES module launcher's); never after process.exit(), which emits no beforeExit
process.once('beforeExit', () => {
  if (settled) return
  process.exitCode = 13
  process.stderr.write(`phebus-mock : erreur interne, la commande « ${name} » s'est arrêtée sans finir (une promesse jamais tenue).\n`)
})
