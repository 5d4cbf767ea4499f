import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname } from 'node:path'
import vm from 'node:vm'
import { threadId } from 'node:worker_threads'

/**
 * A CommonJS bundle run with V8's code cache: the bytecode of what its last
 * run compiled, read back instead of compiled again. Node 20 keeps no cache
 * of its own (module.enableCompileCache came with Node 22), and what the
 * server compiles before it is ready (fastify, its plugins, the routes, the
 * pages) is a quarter of its start.
 *
 * The cache sits beside the bundle, named by V8's version; the bundle's name
 * carries the hash of its content (scripts/bundle.mjs), for V8 checks a
 * cache against its source's length only. V8 refuses a cache made by
 * another version or with other flags: the bundle is then compiled as
 * usual, and its cache made again. Nor does V8 check a cache's own bytes
 * (but in its debug builds): a cache damaged on the disk crashed the
 * command at each run, so the file begins with the SHA-256 of the rest, and
 * one that does not match is not given to V8. A cache is written once, at
 * the end of the run (what it compiled by then), through a temporary file
 * and a rename, so that two processes never read a half-written one; a
 * folder that cannot be written to (an installation read-only) keeps none.
 * PHEBUS_CODE_CACHE=0 neither reads nor writes one, and neither does a run
 * with Node's source maps (--enable-source-maps): those are applied to a
 * module Node loads itself, not to a script compiled by vm.
 */

export interface LoadedBundle {
  /** the bundle's module.exports */
  exports: Record<string, unknown>
  /** true when the code came from the cache */
  cached: boolean
  /** Writes the cache of what has run so far, unless it was read or cannot be used. */
  save: () => void
}

const HELP_OR_VERSION = new Set(['--help', '-h', '--version', 'help'])

/**
 * Whether a run's cache is worth writing: a run that did its work (exit 0),
 * not a help, a version or a mistake, whose cache would hold little of the
 * command and would stay, since a cache V8 takes is not written again.
 */
export function worthCaching (exitCode: number, argv: readonly string[]): boolean {
  return exitCode === 0 && !argv.some((a) => HELP_OR_VERSION.has(a))
}

export function cacheFileOf (file: string): string {
  return `${file}.${process.versions.v8}.${process.arch}.v8-cache`
}

/** Bytes of the SHA-256 that begins a cache file. */
const DIGEST = 32

/** node:crypto, loaded when a cache is read or written only (7 ms of a start that has none). */
function sha256 (bytes: Uint8Array): Buffer {
  const { createHash } = createRequire(import.meta.url)('node:crypto') as typeof import('node:crypto')
  return createHash('sha256').update(bytes).digest()
}

/** The cache's bytes for V8, or undefined when there is none, or its SHA-256 does not match. */
function readCache (cacheFile: string): Buffer | undefined {
  let file: Buffer
  try {
    file = readFileSync(cacheFile)
  } catch {
    return undefined // none yet: this run makes it
  }
  if (file.length <= DIGEST) return undefined
  const data = file.subarray(DIGEST)
  return sha256(data).equals(file.subarray(0, DIGEST)) ? data : undefined
}

export function loadBundle (file: string, env: NodeJS.ProcessEnv = process.env, sourceMaps = process.sourceMapsEnabled): LoadedBundle {
  if (sourceMaps) {
    return { exports: createRequire(file)(file) as Record<string, unknown>, cached: false, save: () => {} }
  }
  const source = readFileSync(file, 'utf8')
  const enabled = env.PHEBUS_CODE_CACHE !== '0'
  const cacheFile = cacheFileOf(file)
  const cachedData = enabled ? readCache(cacheFile) : undefined
  // Node's own wrapper of a CommonJS module, on the source's first line: its positions stay those of the bundle's map.
  // No import() in a bundle (scripts/bundle.mjs makes them require()): Node 20 loses its callback for a script read
  // from the cache, and it fails there alone
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData })
  const cached = cachedData !== undefined && script.cachedDataRejected !== true
  const module = { exports: {} as Record<string, unknown> }
  const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: unknown, filename: string, dirname: string) => void
  wrapper(module.exports, createRequire(file), module, file, dirname(file))
  let saved = !enabled || cached
  return {
    exports: module.exports,
    cached,
    save: () => {
      if (saved) return
      saved = true
      const temporary = `${cacheFile}.${process.pid}-${threadId}.tmp`
      try {
        const data = script.createCachedData()
        writeFileSync(temporary, Buffer.concat([sha256(data), data]))
        renameSync(temporary, cacheFile)
      } catch {
        // a folder that cannot be written to: the next run compiles again
        rmSync(temporary, { force: true })
      }
    }
  }
}
