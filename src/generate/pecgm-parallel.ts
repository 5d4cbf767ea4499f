import { frameRecord, pecgmFrame, planPecgm, writeSlots, type PecgmPlan, type PecgmRequest } from './pecgm-file.js'
import type { PecgmHelpers } from './helper-threads.js'
import { PersonDraw } from './person.js'

/**
 * A large PECGM made on several threads: the same bytes as pecgmChunks(),
 * sooner. The file's slots are cut into tasks of one chunk each; helper
 * threads (worker_threads) and the calling thread take the next task in
 * turn from a shared counter, the helpers writing theirs into shared
 * buffers, and the calling thread hands the chunks out in order. A person
 * depends on its slot only (person.ts), so who writes a task changes
 * nothing of its bytes.
 *
 * The helpers are started before the scenario is read (helper-threads.ts),
 * so that loading their modules overlaps the command's own start; they get
 * the request once it is known. Should a helper fail or stop answering, the
 * calling thread writes what is left alone: the file is the same, only later.
 */

/** Chunks a helper may have written ahead of the one the calling thread hands out. */
const SLOTS_PER_HELPER = 4

/** How long the calling thread waits for a helper's chunk before writing the rest alone. */
const STALL_MS = 5_000

// the control words shared with the helpers
const CLAIM = 0 // the next task to take
const FAILED = 1 // a helper failed: the calling thread goes on alone
const STOP = 2 // the file is done (or given up): helpers stop
const CONTROL_WORDS = 3

/** What a helper is sent: the request (the scenario is plain data) and the shared memory. */
export interface HelperJob {
  request: PecgmRequest
  /** the helper's number, 0 to helpers − 1 */
  helper: number
  /** the number of tasks: slots cut in chunks of chunkSize bytes of records */
  tasks: number
  chunkSize: number
  control: SharedArrayBuffer
  /** per task: 0 not done, else 1 + the number of records (Int32) */
  done: SharedArrayBuffer
  /** per task: the buffer slot its records are in (Int32) */
  slotOf: SharedArrayBuffer
  /** per buffer slot: 1 while its chunk is not yet written out (Int32) */
  busy: SharedArrayBuffer
  /** helpers × SLOTS_PER_HELPER buffers of chunkSize bytes */
  buffers: SharedArrayBuffer
  slotsPerHelper: number
}

/**
 * The chunks of a PECGM (header, details, footer), the same bytes as
 * pecgmChunks(req, plan) with a ring of 2: a chunk stays valid until the one
 * after it has been taken. Needs `helpers` started and not yet used.
 */
export function * parallelPecgmChunks (req: PecgmRequest, plan: PecgmPlan, helpers: PecgmHelpers): Generator<Buffer> {
  const stride = plan.context.layouts.detail.length + plan.terminator.length
  const perTask = Math.max(1, Math.floor((req.chunkSize ?? 1 << 20) / stride))
  const chunkSize = perTask * stride
  const tasks = Math.ceil(plan.count / perTask)
  const n = helpers.workers.length
  const slotsPerHelper = SLOTS_PER_HELPER
  const job: Omit<HelperJob, 'helper'> = {
    request: { ...req, ring: undefined },
    tasks,
    chunkSize,
    control: new SharedArrayBuffer(CONTROL_WORDS * 4),
    done: new SharedArrayBuffer(Math.max(1, tasks) * 4),
    slotOf: new SharedArrayBuffer(Math.max(1, tasks) * 4),
    busy: new SharedArrayBuffer(n * slotsPerHelper * 4),
    buffers: new SharedArrayBuffer(n * slotsPerHelper * chunkSize),
    slotsPerHelper
  }
  const control = new Int32Array(job.control)
  const done = new Int32Array(job.done)
  const slotOf = new Int32Array(job.slotOf)
  const busy = new Int32Array(job.busy)
  helpers.workers.forEach((w, helper) => w.postMessage({ ...job, helper } satisfies HelperJob))

  const own = [Buffer.allocUnsafe(chunkSize), Buffer.allocUnsafe(chunkSize)]
  // the own buffer handed out last: it may be in the writer's hands until the next chunk is taken
  let lastOwn = 1
  const p = new PersonDraw()
  const release = (slot: number): void => {
    if (slot >= 0) {
      Atomics.store(busy, slot, 0)
      Atomics.notify(busy, slot)
    }
  }
  /** Writes task `k` on this thread, into the own buffer not handed out last. */
  const writeTask = (k: number): { buffer: number, records: number } => {
    const buffer = 1 - lastOwn
    const records = writeSlots(plan, own[buffer] as Buffer, k * perTask, Math.min(plan.count, (k + 1) * perTask), p)
    return { buffer, records }
  }

  let alone = false
  let exhausted = false
  let held: { task: number, buffer: number, records: number } | null = null
  // the helper slot of the chunk handed out last (-1: an own buffer); released once the next one is taken
  let lastSlot = -1
  let written = 0
  try {
    yield frameRecord(pecgmFrame(plan), 'header', plan.count)
    for (let next = 0; next < tasks;) {
      let chunk: Buffer
      let slot = -1
      let ownBuffer = -1
      if (held !== null && held.task === next) {
        ownBuffer = held.buffer
        chunk = (own[ownBuffer] as Buffer).subarray(0, held.records * stride)
        written += held.records
        held = null
      } else if (!alone && Atomics.load(done, next) !== 0) {
        const records = (Atomics.load(done, next)) - 1
        slot = Atomics.load(slotOf, next)
        chunk = Buffer.from(job.buffers, slot * chunkSize, records * stride)
        written += records
      } else if (alone) {
        const t = writeTask(next)
        ownBuffer = t.buffer
        chunk = (own[ownBuffer] as Buffer).subarray(0, t.records * stride)
        written += t.records
      } else if (held === null && !exhausted) {
        // take the next task: `next` itself when no helper has, else a later one to write while the helpers finish theirs
        const k = Atomics.add(control, CLAIM, 1)
        if (k < tasks) held = { task: k, ...writeTask(k) }
        else exhausted = true
        continue
      } else {
        // `next` is a helper's, and this thread has written its own (or none is left): wait for it
        if (Atomics.wait(done, next, 0, STALL_MS) === 'timed-out' || Atomics.load(control, FAILED) !== 0) {
          if (Atomics.load(done, next) === 0) {
            // the rest on this thread, the held task again too (its buffer is the one writeTask takes next)
            alone = true
            held = null
          }
        }
        continue
      }
      if (chunk.length > 0) {
        yield chunk
        // the consumer asks for the next chunk: the one before the chunk just taken is done with
        release(lastSlot)
        lastSlot = slot
        if (ownBuffer >= 0) lastOwn = ownBuffer
      } else {
        release(slot)
      }
      next++
    }
    yield frameRecord(pecgmFrame(plan), 'footer', written)
  } finally {
    Atomics.store(control, STOP, 1)
    for (let s = 0; s < busy.length; s++) release(s)
  }
}

/** What a helper thread does with a job (pecgm-worker.ts): plan the file, then take tasks until none is left. */
export function runHelper (job: HelperJob): void {
  const control = new Int32Array(job.control)
  const done = new Int32Array(job.done)
  try {
    helperLoop(job, planPecgm(job.request), control, done)
  } catch {
    // the calling thread sees it and writes the rest alone (a plan that fails has failed it first)
    Atomics.store(control, FAILED, 1)
    for (let k = 0; k < done.length; k++) Atomics.notify(done, k)
  }
}

function helperLoop (job: HelperJob, plan: PecgmPlan, control: Int32Array, done: Int32Array): void {
  const slotOf = new Int32Array(job.slotOf)
  const busy = new Int32Array(job.busy)
  const stride = plan.context.layouts.detail.length + plan.terminator.length
  const perTask = job.chunkSize / stride
  const p = new PersonDraw()
  for (let turn = 0; ; turn++) {
    const slot = job.helper * job.slotsPerHelper + (turn % job.slotsPerHelper)
    // the slot's last chunk must have been written out before it is written again
    while (Atomics.load(busy, slot) !== 0) {
      if (Atomics.load(control, STOP) !== 0) return
      Atomics.wait(busy, slot, 1, 1000)
    }
    if (Atomics.load(control, STOP) !== 0) return
    const k = Atomics.add(control, CLAIM, 1)
    if (k >= job.tasks) return
    const out = Buffer.from(job.buffers, slot * job.chunkSize, job.chunkSize)
    const records = writeSlots(plan, out, k * perTask, Math.min(plan.count, (k + 1) * perTask), p)
    Atomics.store(busy, slot, 1)
    Atomics.store(slotOf, k, slot)
    Atomics.store(done, k, records + 1)
    Atomics.notify(done, k)
  }
}
