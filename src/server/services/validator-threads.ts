import { availableParallelism } from 'node:os'
import type { Worker } from 'node:worker_threads'
import { tallyingValidator, type OrientationSummary, type TallyMember } from '../../qualification/tally.js'
import type { ValidationReport } from '../../validate/report.js'
import { MIB } from '../../units.js'
import type { ValidateJob, ValidateReply } from '../workers/cgpem-validate.js'
import { startWorker } from './worker-script.js'

/**
 * Where an upload is validated. On the event loop, the validator took four
 * fifths of an upload's time there (100 of 125 ms for 30 MB), beside what
 * receiving, hashing and writing the bytes ask of it, and the upload waited
 * for both in turn. On a thread of its own (workers/cgpem-validate.ts) it
 * runs while the event loop receives the next bytes: the event loop copies
 * each batch of chunks once and sends it, the thread validates it and says
 * so, a few MiB behind at most. The same validator, fed the same bytes,
 * gives the same report (test/server/validator-threads.test.ts).
 *
 * A small upload (its announced size under `minBytes`) is validated on the
 * event loop: a round trip to a thread would cost more than it saves. A
 * larger one that finds every thread taken, or none ready yet (the threads
 * start with the first upload that could use one), waits for one, in the
 * order they came (QueuedValidation): validated on the event loop, a file
 * made of findings (each line a wrong length, thirty times slower than a
 * valid one) held every other request of the server for seconds. Its body is
 * not read meanwhile, and its connection is not cut for the silence
 * (`queued`, held by the route). Only when no thread can start do the uploads
 * waiting fall back to the event loop.
 */

/** What receiving an upload asks of its validation, wherever it runs. */
export interface UploadValidation {
  /** validated on a thread, not on the event loop */
  readonly onThread: boolean
  /** The chunk, to validate; it is read before the next flush() returns and may be reused after. */
  push: (chunk: Uint8Array) => void
  /** Sends what was pushed; a promise while the validator is too far behind (wait for it before pushing more). */
  flush: () => Promise<void> | null
  /** The report, and the tally of the orientations when a sample was given. */
  end: () => Promise<{ report: ValidationReport, summary: OrientationSummary | null }>
  /** Given up (the upload failed): a thread is free for the next. */
  discard: () => void
  /** while it waits for a thread: settles once it has one (or failed); null when it never waited */
  readonly queued?: Promise<void> | null
}

export interface ValidationRequest {
  /** "today" (a day number) for the date checks */
  today: number
  /** the qualification's sample to tally the orientations against, null for none */
  sample: { key: string, members: readonly TallyMember[] } | null
  /** the upload's announced size, null when unknown (multipart) */
  declaredLength: number | null
}

export interface ValidatorThreadsOptions {
  /** uploads announced smaller than this are validated on the event loop */
  minBytes: number
  /** threads at most (default: one per processor) */
  threads?: number
}

/** Bytes sent to a thread and not yet validated, past which the upload waits. */
const AHEAD_BYTES = 4 * MIB

interface Helper {
  worker: Worker
  ready: boolean
  /** resolves once ready, or failed */
  started: Promise<void>
  /** the upload it validates, null when free */
  job: ThreadValidation | null
  /** the key of the sample the thread holds (it is sent again only when it changes) */
  sampleKey: string | null
}

export class ValidatorThreads {
  private readonly helpers: Helper[] = []
  /** the uploads waiting for a thread, the first come first */
  private readonly waiting: QueuedValidation[] = []
  private nextId = 1
  private closed = false

  constructor (private readonly options: ValidatorThreadsOptions) {}

  begin (request: ValidationRequest): UploadValidation {
    if (this.closed || (request.declaredLength !== null && request.declaredLength < this.options.minBytes)) return validateOnEventLoop(request)
    const helper = this.free()
    if (helper !== null) return this.assign(helper, request)
    const queued: QueuedValidation = new QueuedValidation(request, () => {
      const i = this.waiting.indexOf(queued)
      if (i >= 0) this.waiting.splice(i, 1)
    })
    this.waiting.push(queued)
    return queued
  }

  /** Uploads waiting for a thread. */
  get queued (): number {
    return this.waiting.length
  }

  private assign (helper: Helper, request: ValidationRequest): ThreadValidation {
    const job: ThreadValidation = new ThreadValidation(helper, this.nextId++, () => {
      if (helper.job !== job) return
      helper.job = null
      this.handOn(helper)
    })
    helper.job = job
    const sample = request.sample
    const sendSample = sample !== null && sample.key !== helper.sampleKey
    helper.sampleKey = sample?.key ?? helper.sampleKey
    job.post({ id: job.id, start: { today: request.today, sampleKey: sample?.key ?? null, sample: sendSample ? sample.members : null } })
    return job
  }

  /** A thread ready and free (its upload done, or just started): the first upload waiting gets it. */
  private handOn (helper: Helper): void {
    if (this.closed || !helper.ready || helper.job !== null || !this.helpers.includes(helper)) return
    const next = this.waiting.shift()
    if (next !== undefined) next.assign(this.assign(helper, next.request))
  }

  /** Threads started, ready or not. */
  get threads (): number {
    return this.helpers.length
  }

  /** Resolves once every thread started is ready to validate (or has failed). */
  async whenReady (): Promise<void> {
    await Promise.all(this.helpers.map(async (h) => await h.started))
  }

  async close (): Promise<void> {
    this.closed = true
    for (const q of this.waiting.splice(0)) q.fail('arrêt du serveur')
    const helpers = this.helpers.splice(0)
    for (const h of helpers) h.job?.fail('arrêt du serveur')
    await Promise.all(helpers.map(async (h) => await h.worker.terminate()))
  }

  /** A ready thread with no upload, else null, one more started when there is room for it. */
  private free (): Helper | null {
    if (this.closed) return null
    const ready = this.helpers.find((h) => h.ready && h.job === null)
    if (ready !== undefined) return ready
    if (this.helpers.length < (this.options.threads ?? availableParallelism())) this.start()
    return null
  }

  private start (): void {
    const worker = startWorker('cgpem-validate')
    worker.unref()
    let started: () => void = () => {}
    const helper: Helper = { worker, ready: false, started: new Promise((resolve) => { started = resolve }), job: null, sampleKey: null }
    this.helpers.push(helper)
    worker.on('message', (m: ValidateReply) => {
      if ('ready' in m) {
        helper.ready = true
        started()
        this.handOn(helper)
      } else if (helper.job?.id === m.id) {
        helper.job.reply(m)
      }
    })
    const failed = (why: string): void => {
      started()
      const i = this.helpers.indexOf(helper)
      if (i >= 0) this.helpers.splice(i, 1)
      helper.job?.fail(why)
      // no thread left to wait for (none could start): the uploads waiting are validated on the event loop, as before threads
      if (this.helpers.length === 0) for (const q of this.waiting.splice(0)) q.assign(validateOnEventLoop(q.request))
    }
    worker.on('error', (err) => { failed(err.message) })
    worker.on('exit', (code) => { failed(`le fil de validation s'est arrêté (code ${code})`) })
  }
}

/** An upload validated on the event loop, as each chunk comes. */
export function validateOnEventLoop (request: ValidationRequest): UploadValidation {
  const { validator, tally } = tallyingValidator(request.today, request.sample?.members ?? null)
  return {
    onThread: false,
    push: (chunk) => { validator.push(chunk) },
    flush: () => null,
    end: async () => ({ report: validator.end(), summary: tally?.summary() ?? null }),
    discard: () => {}
  }
}

/**
 * An upload waiting for a thread: what is pushed meanwhile is kept (one
 * batch: the upload waits for flush() before it reads more), then handed to
 * the thread's validation, which takes over.
 */
class QueuedValidation implements UploadValidation {
  private target: UploadValidation | null = null
  private readonly pending: Uint8Array[] = []
  private failure: Error | null = null
  readonly queued: Promise<void>
  private settle: () => void = () => {}

  constructor (readonly request: ValidationRequest, private readonly leave: () => void) {
    this.queued = new Promise((resolve) => { this.settle = resolve })
  }

  get onThread (): boolean {
    return this.target?.onThread ?? true
  }

  /** Its thread (or the event loop), once its turn comes; one given up has left the queue (`leave`) and never gets one. */
  assign (target: UploadValidation): void {
    this.target = target
    for (const chunk of this.pending.splice(0)) target.push(chunk)
    this.settle()
  }

  fail (why: string): void {
    this.failure ??= new Error(why)
    this.settle()
  }

  push (chunk: Uint8Array): void {
    if (this.target !== null) this.target.push(chunk)
    else this.pending.push(chunk)
  }

  flush (): Promise<void> | null {
    if (this.failure !== null) throw this.failure
    if (this.target !== null) return this.target.flush()
    return this.queued.then(async () => {
      if (this.failure !== null) throw this.failure
      await this.target?.flush()
    })
  }

  async end (): Promise<{ report: ValidationReport, summary: OrientationSummary | null }> {
    await this.queued
    if (this.failure !== null) throw this.failure
    return await (this.target as UploadValidation).end()
  }

  discard (): void {
    if (this.target !== null) this.target.discard()
    else this.leave()
  }
}

/** An upload validated on a thread: its chunks gathered, copied once a batch, and sent. */
class ThreadValidation implements UploadValidation {
  readonly onThread = true
  private batch: Uint8Array[] = []
  private batchBytes = 0
  private ahead = 0
  private room: (() => void) | null = null
  private failure: Error | null = null
  private result: { report: ValidationReport, summary: OrientationSummary | null } | null = null
  private settle: (() => void) | null = null
  private done = false

  constructor (private readonly helper: Helper, readonly id: number, private readonly release: () => void) {}

  post (m: ValidateJob, transfer: ArrayBuffer[] = []): void {
    this.helper.worker.postMessage(m, transfer)
  }

  push (chunk: Uint8Array): void {
    // copied at flush(), before the caller reuses it
    this.batch.push(chunk)
    this.batchBytes += chunk.length
  }

  flush (): Promise<void> | null {
    if (this.failure !== null) throw this.failure
    if (this.batchBytes > 0) {
      // memory of its own, moved to the thread, not copied again
      const bytes = Buffer.allocUnsafeSlow(this.batchBytes)
      let at = 0
      for (const c of this.batch) {
        bytes.set(c, at)
        at += c.length
      }
      this.post({ id: this.id, chunk: bytes }, [bytes.buffer as ArrayBuffer])
      this.ahead += this.batchBytes
      this.batch = []
      this.batchBytes = 0
    }
    if (this.ahead <= AHEAD_BYTES) return null
    return new Promise<void>((resolve) => { this.room = resolve })
  }

  async end (): Promise<{ report: ValidationReport, summary: OrientationSummary | null }> {
    await this.flush()
    if (this.failure === null) {
      this.post({ id: this.id, end: true })
      await new Promise<void>((resolve) => { this.settle = resolve })
    }
    this.finish()
    if (this.failure !== null) throw this.failure
    return this.result as { report: ValidationReport, summary: OrientationSummary | null }
  }

  discard (): void {
    if (this.done) return
    if (this.failure === null) this.post({ id: this.id, cancel: true })
    this.finish()
  }

  /** What the thread said of this upload. */
  reply (m: Exclude<ValidateReply, { ready: true }>): void {
    if ('taken' in m) {
      this.ahead -= m.taken
      if (this.ahead <= AHEAD_BYTES) this.makeRoom()
    } else if ('report' in m) {
      this.result = { report: m.report, summary: m.summary }
      this.wake()
    } else {
      this.fail(`validation impossible : ${m.error}`)
    }
  }

  /** The thread failed or stopped: the upload fails (the bytes it had are not kept to validate again). */
  fail (why: string): void {
    this.failure ??= new Error(why)
    this.wake()
  }

  private makeRoom (): void {
    const room = this.room
    this.room = null
    room?.()
  }

  /** The report came, or the thread failed: whoever waits goes on. */
  private wake (): void {
    this.makeRoom()
    const settle = this.settle
    this.settle = null
    settle?.()
  }

  private finish (): void {
    this.done = true
    this.release()
  }
}
