import { writeSync } from 'node:fs'
import { frameRecord, pecgmFrame, planPecgm, writeSlots, type PecgmPlan, type PecgmRequest } from './pecgm-file.js'
import { helperRequest, type PecgmHelpers } from './helper-threads.js'
import { PersonDraw } from './person.js'
import { KernelBuffer, stockKernel, type StockKernel } from './stock-kernel.js'
import { viewOf } from './write.js'

/**
 * A large stock written to a file on several threads: the same bytes as
 * pecgmChunks(), sooner. A stock lists every slot of the population, so
 * each record's place in the file is known before it is made: the slots are
 * cut into tasks of a few hundred records, helper threads (worker_threads) and
 * the calling thread take the next task in turn from a shared counter, and
 * each writes its task's records straight to their place (a positioned
 * write), one thread at a time: a thread that finds the file taken makes its
 * next task meanwhile (TaskWriter). A person depends on its slot only
 * (person.ts), so who writes a task changes nothing of its bytes.
 *
 * The helpers are started before the scenario is read (helper-threads.ts),
 * so that loading their modules overlaps the command's own start; they get
 * the request once it is known. Should a helper fail or stop answering, the
 * calling thread writes the tasks it had taken again: the file is the same,
 * only later. A daily flux lists some slots only, at places known once the
 * slots before them are made: it is written on one thread (pecgmChunks).
 */

/**
 * Bytes of records a task (about). Small enough that a task's buffer stays
 * in the processor's cache beside what a person is made from, until the file
 * system copies it: tasks of 2 MiB spent 2.5 times as long in the kernel.
 * Large enough that the threads take the file in turn rarely. With
 * FileLock, 256 KiB made a million records 3 to 5 % sooner than 768 KiB
 * (medians of 9 alternated whole commands each way, 4 December 2026: the
 * generator's tables stay in the cache the kernel's copy goes through),
 * and 128 KiB no sooner than 256. With the stock kernel (6 December 2026,
 * medians of 7 alternated whole commands each, three rounds), 128 KiB was
 * sooner in two rounds (0.73 s against 0.90, 0.71 against 1.01, while 256
 * KiB's runs spread widely), later in the third (0.70 against 0.68), and the
 * bench gave it 0.54 and 0.63 of its reference against 0.57 to 0.65: no sure
 * difference. 64 KiB (0.79 s) and 512 KiB (0.97 s) were later. Kept.
 */
const TASK_BYTES = 256 << 10

/**
 * How long the calling thread makes records before it lets its event loop
 * run: a signal is handled there (Ctrl+C removes the temporary file before
 * the command ends, cli/output.ts), and it would otherwise wait for the
 * whole file. A turn of the loop every 50 ms costs nothing measurable.
 */
const YIELD_MS = 50

/** How long the calling thread waits for a helper's task before writing it again itself. */
const STALL_MS = 5_000

// the control words shared with the helpers
const CLAIM = 0 // the next task to take
const FAILED = 1 // a helper failed: the calling thread writes again what it had taken
const STOP = 2 // the file is done (or given up): helpers stop
const LOCK = 3 // 1 while a thread writes to the file (see TaskWriter)
const CONTROL_WORDS = 4

/**
 * Task buffers a thread: one being filled, the others made while another
 * thread has the file (see TaskWriter).
 */
const BUFFERS = 3

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
 * of bytes. The helpers may still be running when it ends (one that
 * stalled): stop them before the file is closed.
 */
export async function writeStockInParallel (fd: number, req: PecgmRequest, plan: PecgmPlan, helpers: PecgmHelpers): Promise<number> {
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
  let writer: TaskWriter | null = null
  try {
    writeAt(fd, header, 0)
    writer = new TaskWriter(plan, job)
    let turn = performance.now()
    for (let k = Atomics.add(control, CLAIM, 1); k < tasks; k = Atomics.add(control, CLAIM, 1)) {
      writer.write(k, done)
      if (performance.now() - turn > YIELD_MS) {
        await new Promise(setImmediate)
        turn = performance.now()
      }
    }
    // none left to take: this thread's last ones are written, the helpers' waited for, or written again here
    writer.flush(done, true)
    let stalled = false
    for (let k = 0; k < tasks; k++) {
      if (!stalled && Atomics.load(done, k) === 0 && Atomics.load(control, FAILED) === 0) {
        stalled = Atomics.wait(done, k, 0, STALL_MS) === 'timed-out'
      }
      if (Atomics.load(done, k) === 0) {
        writer.write(k, done)
        writer.flush(done, true)
      }
    }
    const footer = frameRecord(pecgmFrame(plan), 'footer', plan.count)
    const end = header.length + plan.count * stride
    writeAt(fd, footer, end)
    return end + footer.length
  } finally {
    Atomics.store(control, STOP, 1)
    writer?.close()
  }
}

/**
 * One thread's writer of tasks: buffers for its tasks' records, and scratch
 * for the people. Only one thread writes to the file at a time: the kernel
 * lets one write to a file at once and makes the others wait for it
 * spinning, a processor lost to making records (a tenth of the processor
 * time of a million records, and the more so as the host is slow to give
 * the page cache its memory: docs/performance.md). A thread that finds the
 * file taken keeps its task and makes the next one in another buffer; it
 * writes them all when it next finds the file free, and waits for it
 * (sleeping) only with every buffer full.
 */
class TaskWriter {
  private readonly free: TaskBuffer[] = []
  /** tasks made and not yet written, in the order made */
  private readonly pending: { k: number, buffer: TaskBuffer, length: number }[] = []
  private readonly p = new PersonDraw()
  private readonly stride: number
  /** the file's: one thread writes at a time */
  readonly lock: FileLock
  /** its buffers in the stock kernel's memory, given back by close() */
  private readonly kernelBuffers: KernelBuffer[] = []
  private readonly kernel: StockKernel | null

  constructor (private readonly plan: PecgmPlan, private readonly job: HelperJob) {
    this.stride = plan.context.layouts.detail.length + plan.terminator.length
    this.lock = new FileLock(new Int32Array(job.control), LOCK)
    // in the stock kernel's memory when it makes the records, which then writes them in place; its images of the
    // plan first, which may grow that memory
    const kernel = this.kernel = stockKernel()
    kernel?.contextOf(plan.population)
    for (let i = 0; i < BUFFERS; i++) {
      const buffer = kernel?.buffer(job.perTask * this.stride)
      if (buffer !== undefined) this.kernelBuffers.push(buffer)
      this.free.push(new TaskBuffer(buffer ?? Buffer.allocUnsafe(job.perTask * this.stride)))
    }
  }

  /** Gives its buffers in the kernel's memory back (its tasks written, or the file given up): the next file's writer takes them. */
  close (): void {
    for (const buffer of this.kernelBuffers.splice(0)) this.kernel?.release(buffer)
  }

  /** Makes task `k`'s records, and writes them to their place in the file now if it is free, else later (flush). */
  write (k: number, done: Int32Array): void {
    if (this.free.length === 0) this.flush(done, true)
    const { plan, job, stride } = this
    const buffer = this.free.pop() as TaskBuffer
    const from = k * job.perTask
    // a stock writes a record for every slot: the task's records are its slots'
    const records = writeSlots(plan, buffer.out(), from, Math.min(plan.count, from + job.perTask), this.p, buffer.view)
    this.pending.push({ k, buffer, length: records * stride })
    this.flush(done, false)
  }

  /**
   * Writes the tasks made and not yet written, each then said in `done`:
   * at once if the file is free, else (with `wait`) once it is, else not now.
   */
  flush (done: Int32Array, wait: boolean): void {
    if (this.pending.length === 0 || !this.lock.acquire(wait)) return
    try {
      for (let task = this.pending[0]; task !== undefined; task = this.pending[0]) {
        writeAt(this.job.fd, task.buffer.out().subarray(0, task.length), this.job.start + task.k * this.job.perTask * this.stride)
        this.pending.shift()
        this.free.push(task.buffer)
        Atomics.store(done, task.k, 1)
        Atomics.notify(done, task.k)
      }
    } finally {
      this.lock.release()
    }
  }
}

/** A task's buffer, a Buffer or one in the stock kernel's memory, with its view (viewOf) taken again only when its bytes change. */
class TaskBuffer {
  private bytes: Buffer = Buffer.alloc(0)
  view: DataView = viewOf(this.bytes)

  constructor (private readonly source: Buffer | KernelBuffer) {}

  out (): Buffer {
    const bytes = this.source instanceof KernelBuffer ? this.source.bytes() : this.source
    if (bytes !== this.bytes) {
      this.bytes = bytes
      this.view = viewOf(bytes)
    }
    return bytes
  }
}

/**
 * The lock a file's writers take in turn (a word of shared memory: 1 while
 * taken). A writer that waits for it sleeps; should the thread that has it
 * stop answering for `stallMs`, the writer goes on without it (the bytes it
 * writes are the same, only the kernel then makes it wait).
 */
export class FileLock {
  /** this writer has the lock */
  private held = false
  /** the lock's holder stopped answering: this writer no longer takes it */
  private bypass = false

  constructor (private readonly words: Int32Array, private readonly index: number, private readonly stallMs = STALL_MS) {}

  /** Takes the lock: at once, or (with `wait`) sleeping until its holder lets it go; false when taken and not waited for. */
  acquire (wait: boolean): boolean {
    const { words, index } = this
    if (this.bypass) return true
    for (;;) {
      if (Atomics.compareExchange(words, index, 0, 1) === 0) return (this.held = true)
      if (!wait) return false
      if (Atomics.wait(words, index, 1, this.stallMs) === 'timed-out' && Atomics.load(words, index) === 1) return (this.bypass = true)
    }
  }

  /** Lets the lock go, if this writer has it, and wakes a writer waiting for it. */
  release (): void {
    if (!this.held) return
    this.held = false
    Atomics.store(this.words, this.index, 0)
    Atomics.notify(this.words, this.index, 1)
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
  let writer: TaskWriter | null = null
  try {
    if (prepared instanceof Error) throw prepared
    writer = new TaskWriter(prepared ?? planPecgm(job.request), job)
    for (let k = Atomics.add(control, CLAIM, 1); k < job.tasks && Atomics.load(control, STOP) === 0; k = Atomics.add(control, CLAIM, 1)) {
      writer.write(k, done)
    }
    // its last tasks, unless the calling thread has given up the file (it writes again whatever is not done)
    if (Atomics.load(control, STOP) === 0) writer.flush(done, true)
  } catch {
    // the calling thread sees it and writes again the tasks taken (a plan that fails has failed it first)
    writer?.lock.release()
    Atomics.store(control, FAILED, 1)
    for (let k = 0; k < done.length; k++) Atomics.notify(done, k)
  } finally {
    writer?.close()
  }
}
