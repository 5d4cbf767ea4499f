import type { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../../threads.js'

/**
 * A worker thread running src/server/workers/<name>: its compiled file, found
 * as ../workers/ from here (tsc's dist/src/server/services/) or from the
 * bundle's chunks (dist/bin/, whose workers are in dist/workers/); from the
 * TypeScript sources (the tests, tsx), through tsx's loader (startModuleWorker).
 */
export function startWorker (name: string): Worker {
  return startModuleWorker(new URL(`../workers/${name}.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url))
}
