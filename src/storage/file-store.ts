import { randomBytes } from 'node:crypto'
import { mkdirSync, readdirSync, rmSync, statSync, type WriteStream } from 'node:fs'
import { open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { handledRejection, openDirect, type IncomingFile } from './direct-file.js'
import { ThreadHash } from './hash-thread.js'
import { placeFile } from './place.js'

/** Bytes queued for the disk before a writer is asked to wait, by default. */
export const QUEUE_BYTES = 8 << 20
/** Bytes written between two syncs in the background: the one at commit has only what came after the last to flush. */
const SYNC_EVERY = 8 << 20

/**
 * Files on disk: <data>/files/<département>/<name>, written through
 * <data>/tmp/. A file appears under files/ whole or not at all: it is written
 * to a temporary file, synced, renamed into place, and the folder synced.
 * Names reaching this module have been checked (D9 or generated).
 */
export class FileStore {
  readonly filesDir: string
  readonly tmpDir: string
  /** uploads bypass the page cache (until the file system refuses it): see createIncoming */
  private direct = true

  constructor (dataDir: string) {
    this.filesDir = join(dataDir, 'files')
    this.tmpDir = join(dataDir, 'tmp')
    mkdirSync(this.filesDir, { recursive: true, mode: 0o700 })
    mkdirSync(this.tmpDir, { recursive: true, mode: 0o700 })
  }

  pathOf (departement: string, name: string): string {
    return join(this.filesDir, departement, name)
  }

  /** Removes what a previous run left half-written. */
  emptyTmp (): number {
    let n = 0
    for (const name of readdirSync(this.tmpDir)) {
      rmSync(join(this.tmpDir, name), { recursive: true, force: true })
      n++
    }
    return n
  }

  /** Every file under files/, as [département, name, size]. */
  listOnDisk (): { departement: string, name: string, size: number }[] {
    const out: { departement: string, name: string, size: number }[] = []
    for (const departement of readdirSync(this.filesDir)) {
      const dir = join(this.filesDir, departement)
      if (!statSync(dir).isDirectory()) continue
      for (const name of readdirSync(dir)) {
        const st = statSync(join(dir, name))
        if (st.isFile()) out.push({ departement, name, size: st.size })
      }
    }
    return out
  }

  /** A file on disk, or null. */
  sizeOf (departement: string, name: string): number | null {
    try {
      const st = statSync(this.pathOf(departement, name))
      return st.isFile() ? st.size : null
    } catch {
      return null
    }
  }

  /** A new file under tmp/; `queueBytes`: how much may wait for the disk before its writer waits. */
  async createTemp (queueBytes = QUEUE_BYTES): Promise<TempFile> {
    const path = this.tempPath()
    const fh = await open(path, 'wx', 0o640)
    return new TempFile(this, path, fh, queueBytes)
  }

  /**
   * A new file under tmp/ for bytes that arrive from outside (an upload):
   * written straight to the disk where the file system allows it
   * (direct-file.ts), through the page cache otherwise; `direct: false`
   * asks for the page cache (tests, and a data folder that refuses it).
   */
  async createIncoming (queueBytes = QUEUE_BYTES, direct = this.direct): Promise<IncomingFile> {
    if (direct) {
      const file = await openDirect(this.tempPath(), queueBytes, this.filesDir)
      if (file !== null) return file
      // refused here once, refused every time: the next uploads go the usual way at once
      this.direct = false
    }
    return await this.createTemp(queueBytes)
  }

  private tempPath (): string {
    return join(this.tmpDir, `${randomBytes(9).toString('hex')}.part`)
  }

  async remove (departement: string, name: string): Promise<void> {
    await unlink(this.pathOf(departement, name)).catch((err: NodeJS.ErrnoException) => {
      if (err.code !== 'ENOENT') throw err
    })
  }

  /**
   * The first step of a deletion that can be undone: the file is moved out
   * of files/ into tmp/ (the same file system: uploads come the other way),
   * where start-up drops whatever a crash left. Returns where it went, null
   * when it was not there; throws, having moved nothing, when the folder
   * refuses (read-only).
   */
  async setAside (departement: string, name: string): Promise<string | null> {
    const aside = join(this.tmpDir, `${randomBytes(9).toString('hex')}.supprime`)
    try {
      await rename(this.pathOf(departement, name), aside)
      return aside
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null
      throw err
    }
  }

  /** Undoes setAside: the file back at its place. */
  async putBack (aside: string, departement: string, name: string): Promise<void> {
    await rename(aside, this.pathOf(departement, name))
  }

  /** Ends a deletion: what setAside moved goes; start-up drops it if this cannot. */
  async drop (aside: string): Promise<void> {
    await unlink(aside).catch(() => {})
  }
}

/**
 * A file being written, through a write stream that queues up to 8 MiB so
 * that whoever produces the bytes (the validator, the generator) rarely
 * waits for the disk. Its size is counted as chunks pass, its SHA-256
 * computed by the hashing thread as the file is written (hash-thread.ts),
 * and what is written is synced in the background as the file grows, so
 * that the sync at commit, which the producer waits for, has only the last
 * bytes to flush. commit() makes it visible; discard() leaves nothing.
 */
export class TempFile implements IncomingFile {
  size = 0
  private readonly hash: ThreadHash
  /** the SHA-256 asked for once the last byte is in */
  private digest: Promise<string> | null = null
  private readonly stream: WriteStream
  private error: Error | null = null
  private previous: Promise<void> = Promise.resolve()
  /** bytes written when the latest background sync started, and that sync while it runs */
  private syncedBytes = 0
  private syncing: Promise<void> | null = null
  /** the end of the writing and its sync, once started */
  private sealed: Promise<void> | null = null
  private closed = false
  /** the drain awaited while the queue is full (drained()) */
  private draining: Promise<void> | null = null

  constructor (private readonly store: FileStore, readonly path: string, private readonly fh: FileHandle, queueBytes = QUEUE_BYTES) {
    this.hash = new ThreadHash(path)
    this.stream = fh.createWriteStream({ highWaterMark: queueBytes, autoClose: false })
    this.stream.on('error', (err) => { this.error = err })
  }

  /**
   * For a chunk this file may keep (it is never reused by its producer):
   * queued at once; the promise, when there is one, says to wait for the
   * queue to drain.
   */
  push (chunk: Buffer): Promise<void> | null {
    if (this.error !== null) return handledRejection(this.error)
    this.size += chunk.length
    return this.stream.write(chunk, this.written) ? null : this.drained()
  }

  /**
   * For a chunk its producer will reuse (a ring of buffers): resolves once
   * the previous chunk is on disk, so that a chunk stays untouched until the
   * one after it has been taken.
   */
  async write (chunk: Buffer): Promise<void> {
    await this.previous
    if (this.error !== null) throw this.error
    this.size += chunk.length
    this.previous = new Promise((resolve) => {
      this.stream.write(chunk, (err) => {
        this.written(err)
        resolve()
      })
    })
  }

  /**
   * Ends the writing and starts syncing the file (commit() does, when it
   * was not done): called once the last byte is pushed, the sync goes on
   * while the producer finishes its work. Its failure is commit()'s to tell.
   */
  seal (): void {
    if (this.sealed !== null) return
    const ended = this.end()
    // the last bytes are hashed while they are synced
    this.digest = ended.then(() => this.hash.digest(this.size))
    this.digest.catch(() => {})
    this.sealed = ended.then(() => this.sync())
    this.sealed.catch(() => {})
  }

  /** Syncs, renames to files/<département>/<name>, syncs the folder; returns the SHA-256 (hex) and size. */
  async commit (departement: string, name: string): Promise<{ sha256: string, size: number }> {
    this.seal()
    await this.sealed
    const sha256 = await (this.digest as Promise<string>)
    await this.close()
    await placeFile(this.path, this.store.filesDir, departement, name)
    return { sha256, size: this.size }
  }

  /** Ends the writing without keeping the file (no sync, no rename): it can be read at `path`, then discarded. */
  async finish (): Promise<void> {
    await this.previous
    await new Promise<void>((resolve, reject) => {
      this.stream.end((err?: Error | null) => { if (err) reject(err); else resolve() })
    })
    if (this.error !== null) throw this.error
  }

  async discard (): Promise<void> {
    this.hash.drop()
    await this.sealed?.catch(() => {})
    await this.syncing
    await this.close().catch(() => {})
    await unlink(this.path).catch(() => {})
  }

  private async end (): Promise<void> {
    // a file already finished (read back before being kept) is ended already
    if (!this.stream.writableEnded) {
      await new Promise<void>((resolve, reject) => {
        this.stream.end((err?: Error | null) => { if (err) reject(err); else resolve() })
      })
    }
    if (this.error !== null) throw this.error
  }

  private async sync (): Promise<void> {
    await this.syncing
    if (this.error !== null) throw this.error
    await this.fh.sync()
  }

  /** A chunk is written: once SYNC_EVERY bytes more are, they are synced in the background (one sync at a time). */
  private readonly written = (err?: Error | null): void => {
    if (err != null) return
    this.hash.written(this.stream.bytesWritten)
    if (this.syncing !== null || this.stream.bytesWritten - this.syncedBytes < SYNC_EVERY) return
    this.syncedBytes = this.stream.bytesWritten
    this.syncing = this.fh.datasync().then(() => { this.syncing = null }, (e: Error) => {
      this.syncing = null
      this.error ??= e
    })
  }

  /**
   * The queue's next drain: one promise, and one pair of listeners, for all
   * the chunks pushed while the queue is full (a producer pushes a whole batch
   * before it waits: a promise each would add listeners per chunk).
   */
  private drained (): Promise<void> {
    this.draining ??= new Promise<void>((resolve, reject) => {
      const done = (): void => { this.stream.off('error', failed); this.draining = null; resolve() }
      const failed = (err: Error): void => { this.stream.off('drain', done); this.draining = null; reject(err) }
      this.stream.once('drain', done)
      this.stream.once('error', failed)
    })
    return this.draining
  }

  private async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    // the stream holds a reference on the handle until it is closed itself: fh.close() would wait for ever
    if (!this.stream.closed) {
      const closed = new Promise<void>((resolve) => { this.stream.once('close', () => { resolve() }) })
      this.stream.destroy()
      await closed
    }
    await this.fh.close()
  }
}
