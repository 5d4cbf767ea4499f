import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { startModuleWorker } from '../threads.js'
import type { PecgmRequest } from './pecgm-file.js'

/**
 * The helper threads of a large stock (pecgm-parallel.ts). This module loads
 * nothing of the generator, so that a command can start them first thing:
 * their modules then load while the command reads its scenario.
 */

/** A request as a helper is sent it: without the calling thread's ring of buffers (a helper writes tasks, never chunks). */
export function helperRequest (request: PecgmRequest): PecgmRequest {
  return { ...request, ring: undefined }
}

/** What a helper is sent first, when the calling thread knows the request before it plans it (PecgmHelpers#prepare). */
export interface HelperMessage { prepare: PecgmRequest }

/** Below this many slots, a helper costs more than it saves (its start is about 0.1 s of processor). */
export const PARALLEL_MIN_SLOTS = 100_000

export interface PecgmHelpers {
  readonly workers: readonly Worker[]
  /**
   * Sends the helpers the request of the file to come, so that they plan it
   * (its pools, its population) while the calling thread plans it too,
   * rather than after: they then start writing as soon as it does.
   */
  prepare: (request: PecgmRequest) => void
  /** the request last sent to prepare(): a job of that very request uses the helpers' plan of it */
  readonly prepared: PecgmRequest | null
  /** Stops the helpers: once it has resolved, none writes to the file it was given any more. */
  close: () => Promise<void>
}

/** How many helper threads are worth starting on this machine: one per processor beside the calling thread's, 3 at most. */
export function helperCount (): number {
  return Math.max(0, Math.min(3, availableParallelism() - 1))
}

/** The helper's module: its built file beside this one, or the TypeScript source when run from source (tests). */
function helperUrl (): URL {
  return new URL(import.meta.url.endsWith('.ts') ? './pecgm-worker.ts' : './pecgm-worker.js', import.meta.url)
}

/** Starts `count` helper threads, which load the generator and wait for a job; null when none is worth it. */
export function startHelpers (count = helperCount()): PecgmHelpers | null {
  if (count < 1) return null
  const workers: Worker[] = []
  for (let i = 0; i < count; i++) {
    const w = startModuleWorker(helperUrl())
    w.unref() // never what keeps the process alive
    w.on('error', () => {}) // a failure shows in the shared memory, or as a stall: the calling thread goes on alone
    workers.push(w)
  }
  let prepared: PecgmRequest | null = null
  return {
    workers,
    prepare: (request) => {
      prepared = request
      const message: HelperMessage = { prepare: helperRequest(request) }
      for (const w of workers) w.postMessage(message)
    },
    get prepared () { return prepared },
    close: async () => { await Promise.all(workers.map(async (w) => await w.terminate())) }
  }
}
