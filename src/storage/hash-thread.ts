import { Worker } from 'node:worker_threads'

/** Bytes written between two messages to the hashing thread (and its read size). */
const HASH_STEP = 1 << 20

/**
 * The SHA-256 of a file being written, computed on a thread of its own that
 * reads the file back as it is written (from the page cache): the event
 * loop, which validates an upload as it arrives, neither hashes nor copies
 * the bytes (hashing took about an eighth of the validator's time, copying
 * them for another thread as much). It is told how far the file is written,
 * a message per MiB; the digest is of the bytes on disk.
 */
export class ThreadHash {
  private readonly id: number
  private told = 0
  private result: { resolve: (hex: string) => void, reject: (err: Error) => void } | null = null
  private failure: Error | null = null
  private done = false

  constructor (path: string) {
    this.id = hashThread.open(this, path)
  }

  /** `bytes` of the file are written (on disk or in the page cache): the thread may hash them. */
  written (bytes: number): void {
    if (this.done || bytes - this.told < HASH_STEP) return
    this.told = bytes
    hashThread.post([this.id, 'to', bytes])
  }

  /** The digest (hex) of the file's first `bytes`, all written. */
  digest (bytes: number): Promise<string> {
    if (this.failure !== null) return Promise.reject(this.failure)
    if (this.done) return Promise.reject(new Error('SHA-256 impossible : fichier abandonné'))
    this.done = true
    return new Promise((resolve, reject) => {
      this.result = { resolve, reject }
      hashThread.post([this.id, 'end', bytes], true)
    })
  }

  /** The file is not kept: the thread forgets it. */
  drop (): void {
    if (this.done) return
    this.done = true
    hashThread.post([this.id, 'drop', 0])
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
 * The hashing thread's code: [id, 'open', path], then [id, 'to', n] hashes
 * the file up to byte n, [id, 'end', n] answers [id, digest] (or [id, null,
 * message]), [id, 'drop'] forgets it.
 */
const HASHER = `
const { parentPort } = require('node:worker_threads')
const { createHash } = require('node:crypto')
const { openSync, readSync, closeSync } = require('node:fs')
const files = new Map()
const buffer = Buffer.allocUnsafe(${HASH_STEP})
function upTo (f, n) {
  if (f.fd === null) f.fd = openSync(f.path, 'r')
  while (f.at < n) {
    const got = readSync(f.fd, buffer, 0, Math.min(buffer.length, n - f.at), f.at)
    if (got === 0) throw new Error('fichier plus court que les octets écrits')
    f.hash.update(got === buffer.length ? buffer : buffer.subarray(0, got))
    f.at += got
  }
}
function forget (id, f) {
  files.delete(id)
  if (f.fd !== null) try { closeSync(f.fd) } catch {}
}
parentPort.on('message', ([id, what, arg]) => {
  if (what === 'open') { files.set(id, { path: arg, fd: null, at: 0, hash: createHash('sha256'), error: null }); return }
  const f = files.get(id)
  if (f === undefined) {
    if (what === 'end') parentPort.postMessage([id, null, 'fichier inconnu'])
    return
  }
  if (what === 'drop') { forget(id, f); return }
  if (f.error === null) {
    try { upTo(f, arg) } catch (err) { f.error = err.message }
  }
  if (what === 'end') {
    forget(id, f)
    parentPort.postMessage(f.error === null ? [id, f.hash.digest('hex')] : [id, null, f.error])
  }
})
`

/**
 * The one hashing thread of the process, started with the first file. It
 * keeps the process alive only while a digest is awaited; if it stops, the
 * files it was hashing fail (their commit throws) and the next file starts
 * another.
 */
const hashThread = new (class {
  private worker: Worker | null = null
  private readonly files = new Map<number, ThreadHash>()
  private nextId = 1
  /** digests awaited: the thread holds the process while there are any */
  private awaited = 0

  open (file: ThreadHash, path: string): number {
    const id = this.nextId++
    this.files.set(id, file)
    this.post([id, 'open', path])
    return id
  }

  post (message: [number, string, number | string], answered = false): void {
    const worker = this.worker ?? this.start()
    if (message[1] === 'drop') this.files.delete(message[0])
    if (answered && this.awaited++ === 0) worker.ref()
    worker.postMessage(message)
  }

  private start (): Worker {
    const worker = new Worker(HASHER, { eval: true })
    worker.on('message', ([id, hex, error]: [number, string | null, string?]) => {
      if (--this.awaited === 0) worker.unref()
      const file = this.files.get(id)
      this.files.delete(id)
      if (hex !== null) file?.answered(hex)
      else file?.failed(new Error(`SHA-256 impossible : ${error ?? ''}`))
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
