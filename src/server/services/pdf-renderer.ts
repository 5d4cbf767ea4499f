import type { Worker } from 'node:worker_threads'
import type { Bilan } from '../../qualification/bilan.js'
import { ServerError } from '../errors.js'
import { startWorker } from './worker-script.js'

/**
 * Bilans as PDF, written by one worker thread started at the first request:
 * laying a document out takes tens of milliseconds, and loading pdfkit far
 * more, none of which may hold the event loop. Jobs wait in a bounded queue;
 * past it the answer is 503.
 */

const QUEUE_MAX = 32
const RETRY_AFTER_S = 2

interface Job {
  resolve: (pdf: Buffer) => void
  reject: (err: Error) => void
}

type Reply = { ready: true } | { id: number, pdf: Uint8Array } | { id: number, error: string }

export class PdfRenderer {
  private worker: Worker | null = null
  private ready: Promise<void> | null = null
  private readonly jobs = new Map<number, Job>()
  private nextId = 1

  async render (bilan: Bilan): Promise<Buffer> {
    if (this.jobs.size >= QUEUE_MAX) throw new ServerError('PHEBUS_HTTP_BUSY', 'Trop de bilans PDF en cours de fabrication : réessayez dans un instant.', { retryAfter: RETRY_AFTER_S })
    const id = this.nextId++
    const done = new Promise<Buffer>((resolve, reject) => { this.jobs.set(id, { resolve, reject }) })
    try {
      await this.start()
      this.worker?.postMessage({ id, bilan })
    } catch (err) {
      this.settle(id, { error: (err as Error).message })
    }
    return await done
  }

  /** Stops the worker; jobs still waiting fail. */
  async close (): Promise<void> {
    const w = this.worker
    this.worker = null
    this.ready = null
    this.failAll('arrêt du serveur')
    await w?.terminate()
  }

  private async start (): Promise<void> {
    this.ready ??= new Promise<void>((resolve, reject) => {
      const w = startWorker('bilan-pdf')
      this.worker = w
      w.unref()
      w.on('message', (m: Reply) => {
        if ('ready' in m) resolve()
        else this.settle(m.id, m)
      })
      const failed = (why: string): void => {
        if (this.worker === w) {
          this.worker = null
          this.ready = null
        }
        reject(new Error(why))
        this.failAll(why)
      }
      w.on('error', (err) => { failed(err.message) })
      w.on('exit', (code) => { failed(`le processus de fabrication des PDF s'est arrêté (code ${code})`) })
    })
    await this.ready
  }

  private settle (id: number, m: { pdf: Uint8Array } | { error: string }): void {
    const job = this.jobs.get(id)
    if (!job) return
    this.jobs.delete(id)
    if ('pdf' in m) job.resolve(Buffer.from(m.pdf.buffer, m.pdf.byteOffset, m.pdf.byteLength))
    else job.reject(new Error(`bilan PDF impossible : ${m.error}`))
  }

  private failAll (why: string): void {
    for (const [id] of this.jobs) this.settle(id, { error: why })
  }
}
