import { writeSync } from 'node:fs'
import { frameRecord, pecgmFrame, planPecgm, writeSlots, type PecgmPlan, type PecgmRequest } from './pecgm-file.js'
import { helperRequest, type PecgmHelpers } from './helper-threads.js'
import { PersonDraw } from './person.js'

/**
 * A large stock written to a file on several threads: the same bytes as
 * pecgmChunks(), sooner. A stock lists every slot of the population, so
 * each record's place in the file is known before it is made: the slots are
 * cut into tasks of a few hundred records, helper threads (worker_threads) and
 * the calling thread take the next task in turn from a shared counter, and
 * each writes its task's records straight to their place (a positioned
 * write), so that no thread ever waits for another's. A person depends on
 * its slot only (person.ts), so who writes a task changes nothing of its bytes.
 *
 * The helpers are started before the scenario is read (helper-threads.ts),
 * so that loading their modules overlaps the command's own start; they get
 * the request once it is known. Should a helper fail or stop answering, the
 * calling thread writes the task it had taken again: the file is the same,
 * only later. A daily flux lists some slots only, at places known once the
 * slots before them are made: it is written on one thread (pecgmChunks).
 */

/**
 * Bytes of records a task (about). Small enough that a task's buffer stays
 * in the processor's cache (1 MiB of L2 a core here) beside what a person is
 * made from, until the file system copies it: tasks of 2 MiB spent 2.5 times
 * as long in the kernel. Large enough that the threads' positioned writes
 * rarely meet on the file's lock, which the kernel waits for spinning: from
 * 256 KiB to 768 KiB, a million records took 60 ms less system time (0.46 s
 * to 0.40 s, medians of 10 interleaved runs).
 */
const TASK_BYTES = 768 << 10

/** How long the calling thread waits for a helper's task before writing it again itself. */
const STALL_MS = 5_000

// the control words shared with the helpers
const CLAIM = 0 // the next task to take
const FAILED = 1 // a helper failed: the calling thread writes again what it had taken
const STOP = 2 // the file is done (or given up): helpers stop
const CONTROL_WORDS = 3

/** What a helper is sent: the request (the scenario is plain data), the file and the shared memory. */
export interface HelperJob {
  request: PecgmRequest
  /** the file, open for writing (a descriptor is the process's, every thread's) */
  fd: number
  /** where the first detail record goes: the header's length */
  start: number
  /** slots a task */
  perTask: number
  tasks: number
  control: SharedArrayBuffer
  /** the helpers were sent this request to plan before (PecgmHelpers#prepare): their plan of it serves */
  prepared: boolean
  /** per task: 1 once its records are in the file (Int32) */
  done: SharedArrayBuffer
}

/**
 * Writes the monthly stock of `plan` to the empty file `fd` (header, details,
 * footer) on this thread and `helpers`, started and not yet used: its number
 * of bytes. The helpers may still be running when it returns (one that
 * stalled): stop them before the file is closed.
 */
export function writeStockInParallel (fd: number, req: PecgmRequest, plan: PecgmPlan, helpers: PecgmHelpers): number {
  if (plan.periodicity !== 'M') throw new RangeError('writeStockInParallel: a monthly stock only')
  const stride = plan.context.layouts.detail.length + plan.terminator.length
  const header = frameRecord(pecgmFrame(plan), 'header', plan.count)
  const perTask = Math.max(1, Math.floor((req.chunkSize ?? TASK_BYTES) / stride))
  const tasks = Math.ceil(plan.count / perTask)
  const job: HelperJob = {
    request: helperRequest(req),
    fd,
    start: header.length,
    perTask,
    tasks,
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    prepared: helpers.prepared === req,
    done: new SharedArrayBuffer(Math.max(1, tasks) * 4)
  }
  const control = new Int32Array(job.control)
  const done = new Int32Array(job.done)
  for (const w of helpers.workers) w.postMessage(job)
  try {
    writeAt(fd, header, 0)
    const writer = new TaskWriter(plan, job)
    for (let k = Atomics.add(control, CLAIM, 1); k < tasks; k = Atomics.add(control, CLAIM, 1)) writer.write(k, done)
    // none left to take: the helpers' last ones are waited for, or written again here
    let stalled = false
    for (let k = 0; k < tasks; k++) {
      if (!stalled && Atomics.load(done, k) === 0 && Atomics.load(control, FAILED) === 0) {
        stalled = Atomics.wait(done, k, 0, STALL_MS) === 'timed-out'
      }
      if (Atomics.load(done, k) === 0) writer.write(k, done)
    }
    const footer = frameRecord(pecgmFrame(plan), 'footer', plan.count)
    const end = header.length + plan.count * stride
    writeAt(fd, footer, end)
    return end + footer.length
  } finally {
    Atomics.store(control, STOP, 1)
  }
}

/** One thread's writer of tasks: a buffer for one task's records, and scratch for the people. */
class TaskWriter {
  private readonly out: Buffer
  private readonly p = new PersonDraw()
  private readonly stride: number

  constructor (private readonly plan: PecgmPlan, private readonly job: HelperJob) {
    this.stride = plan.context.layouts.detail.length + plan.terminator.length
    this.out = Buffer.allocUnsafe(job.perTask * this.stride)
  }

  /** Writes task `k` to its place in the file, then says so in `done`. */
  write (k: number, done: Int32Array): void {
    const { plan, job, stride } = this
    const from = k * job.perTask
    // a stock writes a record for every slot: the task's records are its slots'
    const records = writeSlots(plan, this.out, from, Math.min(plan.count, from + job.perTask), this.p)
    writeAt(job.fd, this.out.subarray(0, records * stride), job.start + from * stride)
    Atomics.store(done, k, 1)
    Atomics.notify(done, k)
  }
}

/** Writes all of `bytes` at `position` of the file `fd`. */
function writeAt (fd: number, bytes: Uint8Array, position: number): void {
  for (let written = 0; written < bytes.length;) {
    written += writeSync(fd, bytes, written, bytes.length - written, position + written)
  }
}

/**
 * What a helper thread does with a job (pecgm-worker.ts): plan the file (or
 * take `prepared`, its plan of the same request made before, or the error
 * that planning it threw), then take tasks until none is left.
 */
export function runHelper (job: HelperJob, prepared: PecgmPlan | Error | null = null): void {
  const control = new Int32Array(job.control)
  const done = new Int32Array(job.done)
  try {
    if (prepared instanceof Error) throw prepared
    const writer = new TaskWriter(prepared ?? planPecgm(job.request), job)
    while (Atomics.load(control, STOP) === 0) {
      const k = Atomics.add(control, CLAIM, 1)
      if (k >= job.tasks) return
      writer.write(k, done)
    }
  } catch {
    // the calling thread sees it and writes again the task taken (a plan that fails has failed it first)
    Atomics.store(control, FAILED, 1)
    for (let k = 0; k < done.length; k++) Atomics.notify(done, k)
  }
}
