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
// a failure run() did not answer itself ends the process as an uncaught one does: its trace, exit 1
main(argv).then((code) => { process.exitCode = code }, (err: unknown) => { throw err })
