import { Worker } from 'node:worker_threads'

/** Bytes written between two messages to the hashing thread (and its read size). */
const HASH_STEP = 1 << 20
/** A direct file's blocks are written at offsets and in lengths that are multiples of this (the largest logical block size of a disk), and the ring's memory aligned on it as far as the disk asks. */
export const DIRECT_ALIGN = 4096

/**
 * The SHA-256 of a file being written, computed on a thread of its own that
 * reads the file back as it is written (from the page cache): the event
 * loop, which validates an upload as it arrives, neither hashes nor copies
 * the bytes (hashing took about an eighth of the validator's time, copying
 * them for another thread as much). It is told how far the file is written,
 * a message per MiB; the digest is of the bytes on disk.
 *
 * The same thread also writes the files that bypass the page cache
 * (DirectWrites, direct-file.ts): it hashes each block of shared memory it
 * is handed, then writes it.
 */
/** What a file of the thread is told back: its digest, or why there is none; for a direct file, its first failure at once. */
interface Listener {
  answered: (hex: string) => void
  failed: (err: Error) => void
  /** a direct file's first failure, as soon as it happens (its digest will fail too) */
  faulted?: (err: Error) => void
  dropped?: () => void
}

export class ThreadHash implements Listener {
  private readonly id: number
  private told = 0
  private result: { resolve: (hex: string) => void, reject: (err: Error) => void } | null = null
  private failure: Error | null = null
  private done = false

  constructor (path: string) {
    this.id = fileThread.register(this)
    fileThread.post([this.id, 'open', path])
  }

  /** `bytes` of the file are written (on disk or in the page cache): the thread may hash them. */
  written (bytes: number): void {
    if (this.done || bytes - this.told < HASH_STEP) return
    this.told = bytes
    fileThread.post([this.id, 'to', bytes])
  }

  /** The digest (hex) of the file's first `bytes`, all written. */
  digest (bytes: number): Promise<string> {
    if (this.failure !== null) return Promise.reject(this.failure)
    if (this.done) return Promise.reject(new Error('SHA-256 impossible : fichier abandonné'))
    this.done = true
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject }
      fileThread.post([this.id, 'end', bytes], true)
    })
  }

  /** The file is not kept: the thread forgets it. */
  drop (): void {
    if (this.done) return
    this.done = true
    fileThread.post([this.id, 'drop', 0])
  }

  answered (hex: string): void {
    this.result?.resolve(hex)
  }

  failed (err: Error): void {
    this.failure = err
    this.result?.reject(err)
  }
}

/**
 * A ring's blocks in shared memory, and one state word a block: what the
 * thread writes a direct file from. 0: the block is its owner's to fill; 1:
 * the thread has it; 2: the thread could not write the file (this block or an
 * earlier one), and has posted why before it said so here (FAILED_BLOCK).
 */
export interface RingBlocks {
  state: Int32Array
  /** each block's bytes */
  views: Uint8Array[]
}

/** The state word of a block the thread did not write because the file has failed (see RingBlocks). */
export const FAILED_BLOCK = 2

/**
 * A file written by the thread from a ring of blocks (direct-file.ts): each
 * block handed over is hashed, then written at its place. The descriptor
 * stays its owner's, who closes it once end() or drop() has answered: the
 * thread writes nothing to it after.
 */
export class DirectWrites implements Listener {
  private readonly id: number
  private result: { resolve: (hex: string) => void, reject: (err: Error) => void } | null = null
  private droppedDone: (() => void) | null = null
  private finished = false
  /** the thread stopped, or could not write: it has forgotten the file */
  private broken = false

  constructor (fd: number, ring: RingBlocks, private readonly onFault: (err: Error) => void) {
    this.id = fileThread.register(this)
    // its blocks are written while its owner may wait for nothing else: the thread holds the process from now until the file's end or drop is answered
    // (views of shared memory are sent as views of the same memory)
    fileThread.post([this.id, 'direct', { fd, state: ring.state, views: ring.views }], true)
  }

  /** Block `slot` holds `length` bytes of the file from `position` (a multiple of the block size): its state word must be 1. */
  block (slot: number, position: number, length: number): void {
    fileThread.post([this.id, 'block', slot, [position, length]])
  }

  /** Every block handed over: the file is cut to `size` bytes; its digest, or why there is none. */
  end (size: number): Promise<string> {
    if (this.broken) return Promise.reject(new Error('SHA-256 impossible : le fil des fichiers a oublié ce fichier'))
    this.finished = true
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject }
      fileThread.post([this.id, 'end', size])
    })
  }

  /** The file is not kept: resolves once the thread has let it go (the blocks handed over before are done). */
  drop (): Promise<void> {
    if (this.finished || this.broken) return Promise.resolve()
    this.finished = true
    return new Promise((resolve) => {
      this.droppedDone = resolve
      fileThread.post([this.id, 'drop', 1])
    })
  }

  answered (hex: string): void {
    this.result?.resolve(hex)
  }

  failed (err: Error): void {
    this.broken = true
    this.onFault(err)
    this.result?.reject(err)
    this.droppedDone?.()
  }

  faulted (err: Error): void {
    this.onFault(err)
  }

  dropped (): void {
    this.droppedDone?.()
  }
}

/**
 * The thread's code. A file read back: [id, 'open', path], then [id, 'to', n]
 * hashes it up to byte n. A file written here: [id, 'direct', {fd, state,
 * views}], then [id, 'block', slot, [position, length]]
 * hashes `length` bytes of block `slot` of the ring and writes them, rounded
 * up to DIRECT_ALIGN bytes, at `position` (the descriptor is opened with
 * O_DIRECT); the slot's word in `state` is then set back to 0, or to
 * FAILED_BLOCK once the file has failed (after the failure is posted). For
 * both, [id, 'end', n] (truncates a direct file to n bytes) answers [id,
 * 'digest', hex] or [id, 'failed', message, code]; [id, 'drop'] forgets the file
 * ([id, 'dropped'] when answered). A direct file's first failure is also
 * told at once: [id, 'error', message, code]. The thread never closes a direct
 * file's descriptor: its owner does, once answered.
 */
const WORKER = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, readSync, writeSync, ftruncateSync, closeSync } = require('node:fs')
const files = new Map()
const buffer = Buffer.allocUnsafe(${HASH_STEP})
const ALIGN = ${DIRECT_ALIGN}
const FAILED_BLOCK = ${FAILED_BLOCK}
function upTo (f, n) {
  if (f.fd === null) f.fd = openSync(f.path, 'r')
  while (f.at < n) {
    const got = readSync(f.fd, buffer, 0, Math.min(buffer.length, n - f.at), f.at)
    if (got === 0) throw new Error('fichier plus court que les octets écrits')
    f.hash.update(got === buffer.length ? buffer : buffer.subarray(0, got))
    f.at += got
  }
}
function writeBlock (f, slot, position, length) {
  const view = f.views[slot]
  f.hash.update(view.subarray(0, length))
  const rounded = Math.ceil(length / ALIGN) * ALIGN
  for (let done = 0; done < rounded;) {
    const n = writeSync(f.fd, view, done, rounded - done, position + done)
    if (n <= 0 || n % ALIGN !== 0) throw new Error('écriture incomplète (' + n + ' octets)')
    done += n
  }
}
function forget (id, f) {
  files.delete(id)
  if (!f.direct && f.fd !== null) try { closeSync(f.fd) } catch {}
}
parentPort.on('message', ([id, what, arg, more]) => {
  if (what === 'open') { files.set(id, { path: arg, fd: null, at: 0, hash: createHash('sha256'), error: null, direct: false }); return }
  if (what === 'direct') { files.set(id, { fd: arg.fd, views: arg.views, state: arg.state, hash: createHash('sha256'), error: null, direct: true }); return }
  const f = files.get(id)
  if (what === 'block') {
    if (f !== undefined && f.error === null) {
      try { writeBlock(f, arg, more[0], more[1]) } catch (err) {
        f.error = err
        parentPort.postMessage([id, 'error', err.message, err.code])
      }
    }
    // the slot is given back, written or not: its owner waits for no failed write. Once the file has failed, marked so
    // (FAILED_BLOCK), after the error was posted: its owner, woken by this word or by the message, whichever comes first, fills
    // no more blocks and waits for the message, which says why (a full disk is a 507)
    if (f !== undefined) { Atomics.store(f.state, arg, f.error === null ? 0 : FAILED_BLOCK); Atomics.notify(f.state, arg) }
    return
  }
  if (f === undefined) {
    if (what === 'end') parentPort.postMessage([id, 'failed', 'fichier inconnu'])
    if (what === 'drop' && arg === 1) parentPort.postMessage([id, 'dropped'])
    return
  }
  if (what === 'drop') {
    forget(id, f)
    if (arg === 1) parentPort.postMessage([id, 'dropped'])
    return
  }
  if (f.error === null) {
    try { if (f.direct) { if (what === 'end') ftruncateSync(f.fd, arg) } else upTo(f, arg) } catch (err) { f.error = err }
  }
  if (what === 'end') {
    forget(id, f)
    parentPort.postMessage(f.error === null ? [id, 'digest', f.hash.digest('hex')] : [id, 'failed', f.error.message, f.error.code])
  }
})
`

/**
 * The one file thread of the process, started with the first file. It
 * keeps the process alive only while an answer is awaited; if it stops, the
 * files it had fail (their commit throws, a direct file's writer is told)
 * and the next file starts another.
 */
const fileThread = new (class {
  private worker: Worker | null = null
  private readonly files = new Map<number, Listener>()
  private nextId = 1
  /** answers awaited (a digest asked for, a direct file open): the thread holds the process while there are any */
  private awaited = 0

  register (file: Listener): number {
    const id = this.nextId++
    this.files.set(id, file)
    return id
  }

  /** `hold`: an answer to this message (or to one that follows it) is awaited, and holds the process until it comes. */
  post (message: [number, string, unknown, unknown?], hold = false): void {
    const worker = this.worker ?? this.start()
    // a drop is answered only for a direct file (arg 1), which keeps its listener until then
    if (message[1] === 'drop' && message[2] !== 1) this.files.delete(message[0])
    if (hold && this.awaited++ === 0) worker.ref()
    worker.postMessage(message)
  }

  private start (): Worker {
    const worker = new Worker(WORKER, { eval: true })
    worker.on('message', ([id, kind, text, code]: [number, 'digest' | 'failed' | 'error' | 'dropped', string?, string?]) => {
      const file = this.files.get(id)
      if (kind === 'error') {
        file?.faulted?.(withCode(new Error(`écriture impossible : ${text ?? ''}`), code))
        return
      }
      if (--this.awaited === 0) worker.unref()
      this.files.delete(id)
      if (kind === 'digest') file?.answered(text ?? '')
      else if (kind === 'dropped') file?.dropped?.()
      else file?.failed(withCode(new Error(`SHA-256 impossible : ${text ?? ''}`), code))
    })
    const stopped = (err: Error): void => {
      if (this.worker !== worker) return
      this.worker = null
      this.awaited = 0
      const files = [...this.files.values()]
      this.files.clear()
      for (const f of files) f.failed(err)
    }
    worker.on('error', stopped)
    worker.on('exit', (code) => { stopped(new Error(`le fil de calcul des SHA-256 s'est arrêté (code ${code})`)) })
    // after the listeners, which would hold the process again
    if (this.awaited === 0) worker.unref()
    this.worker = worker
    return worker
  }
})()

/** The thread's error with the system's code it had (ENOSPC…), which the server turns into its answer (a full disk is a 507). */
function withCode (err: Error, code: string | undefined): Error {
  if (code !== undefined) (err as NodeJS.ErrnoException).code = code
  return err
}
