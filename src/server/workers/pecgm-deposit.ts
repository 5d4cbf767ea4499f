import { parentPort } from 'node:worker_threads'
import { pecgmChunks, type PecgmRequest } from '../../generate/pecgm-file.js'

/**
 * A thread that makes the bytes of the server's large deposits (see
 * services/pecgm-threads.ts): the generator runs here, off the event loop,
 * and each chunk goes to the server as it is made, at most a few ahead of
 * what the server has written. Files are made one after the other, in the
 * order they are asked for.
 */

export type DepositJob = { id: number, request: PecgmRequest } | { id: number, taken: true } | { id: number, cancel: true }
export type DepositReply = { ready: true } | { id: number, chunk: Uint8Array } | { id: number, end: true } | { id: number, error: string }

/** Chunks sent and not yet taken by the server: past this the thread waits. */
const AHEAD = 4

const port = parentPort
if (port === null) throw new Error('pecgm-deposit.ts runs as a worker thread')

const jobs: { id: number, request: PecgmRequest }[] = []
let running = false
let current = -1
let cancelled = false
let ahead = 0
let wake: (() => void) | null = null

port.on('message', (m: DepositJob) => {
  if ('taken' in m) {
    // a chunk of a file already finished or given up, taken late, makes no room for the next file's
    if (m.id !== current) return
    ahead--
    wake?.()
  } else if ('cancel' in m) {
    // the server gave the file up (its disk failed…): not made, or no further
    const queued = jobs.findIndex((j) => j.id === m.id)
    if (queued >= 0) jobs.splice(queued, 1)
    if (current === m.id) {
      cancelled = true
      wake?.()
    }
  } else {
    jobs.push(m)
    if (!running) runJobs().catch(() => {}) // each job's failure is sent to the server
  }
})

/** Resolves once the server has taken enough chunks for one more to be sent, or gave the file up. */
async function room (): Promise<void> {
  while (ahead >= AHEAD && !cancelled) await new Promise<void>((resolve) => { wake = resolve }) // eslint-disable-line no-unmodified-loop-condition -- changed by the messages the wait lets in
  wake = null
}

async function runJobs (): Promise<void> {
  running = true
  for (let job = jobs.shift(); job !== undefined; job = jobs.shift()) {
    current = job.id
    cancelled = false
    ahead = 0
    try {
      for (const chunk of pecgmChunks(job.request)) {
        if (cancelled) break
        // a chunk of its own memory (the header and footer may sit in Node's shared pool): moved, not copied, to the server
        const own = chunk.byteOffset === 0 && chunk.byteLength === chunk.buffer.byteLength ? chunk : new Uint8Array(chunk)
        ahead++
        port?.postMessage({ id: job.id, chunk: own } satisfies DepositReply, [own.buffer as ArrayBuffer])
        await room()
      }
      if (!cancelled) port?.postMessage({ id: job.id, end: true } satisfies DepositReply)
    } catch (err) {
      port?.postMessage({ id: job.id, error: (err as Error).message } satisfies DepositReply)
    }
  }
  current = -1
  running = false
}

port.postMessage({ ready: true } satisfies DepositReply)
