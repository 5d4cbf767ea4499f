import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { pecgmChunks, type PecgmRequest } from '../../generate/pecgm-file.js'
import type { DepositJob, DepositReply } from '../workers/pecgm-deposit.js'
import { startWorker } from './worker-script.js'

/**
 * The bytes of the server's deposits. A small file (the demo's few hundred
 * people, a daily flux) is generated on the event loop, in chunks, as
 * before; a large one (from `minRecords` people) on helper threads, one per
 * processor, started at the first large deposit: the national scenario's
 * 101 stocks are made on every core while the server stays responsive, and
 * the same bytes come out either way (test/server/pecgm-threads.test.ts).
 */

interface Pending {
  chunks: Uint8Array[]
  ended: boolean
  error: string | null
  wake: (() => void) | null
  worker: Helper
}

interface Helper {
  worker: Worker
  ready: Promise<void>
  jobs: number
}

export interface PecgmThreadsOptions {
  /** the population from which a file is made on a helper thread */
  minRecords: number
  /** helper threads at most (default: one per processor) */
  threads?: number
}

export class PecgmThreads {
  private helpers: Helper[] | null = null
  private readonly pending = new Map<number, Pending>()
  private nextId = 1
  private closed = false

  constructor (private readonly options: PecgmThreadsOptions) {}

  /**
   * The file's chunks; each stays valid until the next is taken (a ring of
   * two, on the event loop). Once the threads are started, small files go
   * to them too: the event loop then never compiles and runs the generator
   * beside them (the national scenario's smaller départements). `signal`
   * aborted: a file waiting for its thread's next chunk fails at once, and
   * the thread stops making it.
   */
  chunks (request: PecgmRequest, population: number, signal?: AbortSignal): AsyncIterable<Buffer> | Iterable<Buffer> {
    if (this.closed || (population < this.options.minRecords && this.helpers === null)) return pecgmChunks({ ...request, ring: 2 })
    return this.threaded(request, signal)
  }

  async close (): Promise<void> {
    this.closed = true
    const helpers = this.helpers ?? []
    this.helpers = null
    for (const [id, p] of this.pending) this.fail(id, p, 'arrêt du serveur')
    await Promise.all(helpers.map(async (h) => await h.worker.terminate()))
  }

  private async * threaded (request: PecgmRequest, signal?: AbortSignal): AsyncGenerator<Buffer> {
    const helper = this.pick()
    const id = this.nextId++
    const p: Pending = { chunks: [], ended: false, error: null, wake: null, worker: helper }
    this.pending.set(id, p)
    helper.jobs++
    let finished = false
    // its thread may be making another file first: the wait for a chunk ends with the signal too
    const aborted = (): void => { p.wake?.() }
    signal?.addEventListener('abort', aborted)
    try {
      await helper.ready
      helper.worker.postMessage({ id, request } satisfies DepositJob)
      for (;;) {
        if (signal?.aborted === true) throw new Error('fabrication du PECGM abandonnée : le serveur s\'arrête')
        const chunk = p.chunks.shift()
        if (chunk !== undefined) {
          helper.worker.postMessage({ id, taken: true } satisfies DepositJob)
          yield Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
          continue
        }
        if (p.error !== null) throw new Error(`fabrication du PECGM impossible : ${p.error}`)
        if (p.ended) break
        await new Promise<void>((resolve) => { p.wake = resolve })
        p.wake = null
      }
      finished = true
    } finally {
      signal?.removeEventListener('abort', aborted)
      this.pending.delete(id)
      helper.jobs--
      // given up before its end (the disk failed, the server stops): the thread stops making it
      if (!finished && p.error === null && !this.closed) helper.worker.postMessage({ id, cancel: true } satisfies DepositJob)
    }
  }

  /** The helper with the fewest files to make, the helpers started at the first call. */
  private pick (): Helper {
    this.helpers ??= Array.from({ length: this.options.threads ?? availableParallelism() }, () => this.start())
    return this.helpers.reduce((a, b) => (b.jobs < a.jobs ? b : a))
  }

  private start (): Helper {
    const worker = startWorker('pecgm-deposit')
    worker.unref()
    const helper: Helper = { worker, jobs: 0, ready: Promise.resolve() }
    helper.ready = new Promise<void>((resolve, reject) => {
      worker.on('message', (m: DepositReply) => {
        if ('ready' in m) { resolve(); return }
        const p = this.pending.get(m.id)
        if (p === undefined) return
        if ('chunk' in m) p.chunks.push(m.chunk)
        else if ('end' in m) p.ended = true
        else p.error = m.error
        p.wake?.()
      })
      const failed = (why: string): void => {
        reject(new Error(why))
        if (this.helpers?.includes(helper) === true) this.helpers = this.helpers.filter((h) => h !== helper)
        if (this.helpers?.length === 0) this.helpers = null
        for (const [id, p] of this.pending) if (p.worker === helper) this.fail(id, p, why)
      }
      worker.on('error', (err) => { failed(err.message) })
      worker.on('exit', (code) => { failed(`le fil de fabrication des PECGM s'est arrêté (code ${code})`) })
    })
    helper.ready.catch(() => {}) // awaited by each file given to this helper
    return helper
  }

  private fail (id: number, p: Pending, why: string): void {
    p.error ??= why
    p.wake?.()
    this.pending.delete(id)
  }
}
