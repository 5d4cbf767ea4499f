import { constants, writeSync } from 'node:fs'
import { open, unlink, type FileHandle } from 'node:fs/promises'
import { DIRECT_ALIGN, DirectWrites, FAILED_BLOCK, type RingBlocks } from './hash-thread.js'
import { placeFile } from './place.js'

/**
 * An upload written to disk without going through the page cache (O_DIRECT):
 * the event loop copies each chunk into a ring of blocks in shared memory,
 * and the file thread (hash-thread.ts) hashes each full block and writes it
 * at its place, straight from that memory to the disk.
 *
 * Why: on this kind of machine (a virtual machine that gives its free
 * memory back to the host), putting 30 MB into the page cache costs about
 * 70 ms of processor, more than half what validating them does, on the two
 * cores the validator needs; written directly, the same 30 MB cost 2 ms
 * (docs/performance.md). The bytes are on the disk once written, so the
 * sync at commit has only the size and the device's cache to flush. The
 * price: the file is not in the page cache afterwards, so its first download
 * reads it from the disk.
 *
 * Where O_DIRECT is refused (tmpfs, some network or overlay file systems,
 * systems without it), openDirect answers null and the upload goes through
 * the page cache as every other file does (TempFile, file-store.ts).
 */

/** Bytes a block: the thread hashes and writes a block at a time. */
const BLOCK = 1 << 20

/** What every file written through tmp/ does, whichever way its bytes go to the disk. */
export interface IncomingFile {
  readonly path: string
  size: number
  /** Queues a chunk (kept as is, never reused by its producer); the promise, when there is one, says to wait before the next batch. */
  push: (chunk: Buffer) => Promise<void> | null
  /** The last byte is pushed: the writing ends and the sync starts while the producer finishes its work. */
  seal: () => void
  /** Syncs, renames to files/<département>/<name>, syncs the folder; returns the SHA-256 (hex) and size. */
  commit: (departement: string, name: string) => Promise<{ sha256: string, size: number }>
  discard: () => Promise<void>
}

/**
 * A ring of `blocks` blocks, views of one shared memory: room to align, the
 * blocks from where the disk takes an O_DIRECT write, then their state words.
 */
interface DirectRing extends RingBlocks {
  blocks: number
}

/** Rings by number of blocks, free for the next uploads. */
const rings = new Map<number, DirectRing[]>()

/**
 * A rejected promise with a handler already: what push() returns once the
 * file has failed. A producer pushes a whole batch and awaits the last
 * promise it was given; the others, left alone, would each be an unhandled
 * rejection, which ends the process.
 */
export function handledRejection (err: Error): Promise<never> {
  const p = Promise.reject(err)
  p.catch(() => {})
  return p
}

/** Atomics.waitAsync (Node 16 and later), which TypeScript's ES2022 library does not declare. */
const waitAsync = (Atomics as unknown as { waitAsync: (a: Int32Array, index: number, value: number) => { async: boolean, value: Promise<unknown> | string } }).waitAsync

/** A ring of `blocks` blocks whose memory the disk accepts for O_DIRECT (tried on `fd`), or null when none is found. */
function takeRing (fd: number, blocks: number): DirectRing | null {
  const pooled = rings.get(blocks)?.pop()
  if (pooled !== undefined) return pooled
  const memory = new SharedArrayBuffer(DIRECT_ALIGN + blocks * BLOCK + blocks * 4)
  const align = alignment(fd, new Uint8Array(memory))
  if (align === null) return null
  const views = Array.from({ length: blocks }, (_, k) => new Uint8Array(memory, align + k * BLOCK, BLOCK))
  return { blocks, state: new Int32Array(memory, DIRECT_ALIGN + blocks * BLOCK, blocks), views }
}

/**
 * Every ring made is kept for the next uploads once its own is done: their
 * number is the most uploads ever at once, which the upload gate bounds. A
 * ring let go would not be freed: the file thread keeps a handle on its
 * memory until that thread's own garbage collection, which, allocating
 * almost nothing, it hardly ever runs (memory grew without bound under
 * uploads at once when only four were kept).
 */
function giveBack (ring: DirectRing): void {
  if (ring.state.some((s) => s !== 0)) return
  const pool = rings.get(ring.blocks) ?? []
  pool.push(ring)
  rings.set(ring.blocks, pool)
}

/**
 * The first offset into `memory` from which the disk takes an O_DIRECT
 * write: JavaScript cannot see an address, so it is found by trying, with
 * one aligned block written at the start of the file (which the file's first
 * block, or its truncation, replaces). Null when none works.
 */
function alignment (fd: number, memory: Uint8Array): number | null {
  for (let at = 0; at < DIRECT_ALIGN; at += 8) {
    try {
      writeSync(fd, memory, at, DIRECT_ALIGN, 0)
      return at
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err
    }
  }
  return null
}

/**
 * A new file at `path` written directly to the disk, with a ring of
 * `queueBytes` at most (one block at least, four at most); null when this
 * file system or this system refuses O_DIRECT, so that the caller writes it
 * the usual way. `flag`: the system's O_DIRECT (undefined or 0 where there
 * is none).
 */
export async function openDirect (path: string, queueBytes: number, filesDir: string, flag: number | undefined = constants.O_DIRECT): Promise<DirectTempFile | null> {
  if (typeof flag !== 'number' || flag === 0) return null
  let fh: FileHandle
  try {
    fh = await open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | flag, 0o640)
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EINVAL') throw err
    // some file systems (ramfs) create the file before refusing the flag
    await unlink(path).catch(() => {})
    return null
  }
  let ring: DirectRing | null = null
  try {
    ring = takeRing(fh.fd, Math.max(1, Math.min(4, Math.floor(queueBytes / BLOCK))))
  } finally {
    if (ring === null) {
      // the caller makes its file the usual way, at another path
      await fh.close()
      await unlink(path)
    }
  }
  if (ring === null) return null
  return new DirectTempFile(path, fh, ring, filesDir)
}

export class DirectTempFile implements IncomingFile {
  size = 0
  private readonly writes: DirectWrites
  /** the block being filled, how many bytes it holds, and where it goes in the file */
  private slot = 0
  private filled = 0
  private position = 0
  /** chunks not yet copied into the ring (it was full), and how far into the first */
  private readonly pending: Buffer[] = []
  private pendingAt = 0
  private error: Error | null = null
  /** the wait for a free block, while there is one: resolves when pending is copied */
  private draining: Promise<void> | null = null
  private wake: (() => void) | null = null
  private sealed: Promise<string> | null = null
  private closed = false

  constructor (readonly path: string, private readonly fh: FileHandle, private readonly ring: DirectRing, private readonly filesDir: string) {
    this.writes = new DirectWrites(fh.fd, ring, (err) => {
      this.error ??= err
      this.wakeUp()
    })
  }

  push (chunk: Buffer): Promise<void> | null {
    if (this.error !== null) return handledRejection(this.error)
    if (this.sealed !== null) return handledRejection(new Error('fichier déjà scellé'))
    this.size += chunk.length
    this.pending.push(chunk)
    this.copy()
    if (this.pending.length === 0) return null
    this.draining ??= this.drain()
    return this.draining
  }

  seal (): void {
    if (this.sealed !== null) return
    this.sealed = this.finish()
    this.sealed.catch(() => {})
  }

  async commit (departement: string, name: string): Promise<{ sha256: string, size: number }> {
    this.seal()
    const sha256 = await (this.sealed as Promise<string>)
    if (this.error !== null) throw this.error
    await this.fh.sync()
    await this.close()
    await placeFile(this.path, this.filesDir, departement, name)
    return { sha256, size: this.size }
  }

  async discard (): Promise<void> {
    this.error ??= new Error('fichier abandonné')
    this.wakeUp()
    await this.sealed?.catch(() => {})
    await this.writes.drop()
    await this.close().catch(() => {})
    await unlink(this.path).catch(() => {})
  }

  /** Copies what is pending into free blocks, handing each full one to the thread, as far as the ring allows. */
  private copy (): void {
    const { ring } = this
    while (this.pending.length > 0 && this.error === null) {
      if (this.filled === 0 && Atomics.load(ring.state, this.slot) !== 0) return // the thread still has this block
      const chunk = this.pending[0] as Buffer
      const n = Math.min(chunk.length - this.pendingAt, BLOCK - this.filled)
      const view = ring.views[this.slot] as Uint8Array
      view.set(n === chunk.length ? chunk : chunk.subarray(this.pendingAt, this.pendingAt + n), this.filled)
      this.filled += n
      this.pendingAt += n
      if (this.pendingAt === chunk.length) {
        this.pending.shift()
        this.pendingAt = 0
      }
      if (this.filled === BLOCK) this.handOver()
    }
  }

  /** The block being filled goes to the thread; the next one is filled from its start. */
  private handOver (): void {
    const { ring } = this
    Atomics.store(ring.state, this.slot, 1)
    this.writes.block(this.slot, this.position, this.filled)
    this.position += this.filled
    this.slot = (this.slot + 1) % ring.blocks
    this.filled = 0
  }

  /** Waits for the block to fill to be free, copies, until nothing is pending (or the file failed). */
  private async drain (): Promise<void> {
    try {
      while (this.pending.length > 0) {
        if (this.error !== null) throw this.error
        if (Atomics.load(this.ring.state, this.slot) === FAILED_BLOCK) {
          // the thread could not write: why is in a message it posted before it marked the block, on its way
          await new Promise<void>((resolve) => { this.wake = resolve })
          continue
        }
        const waited = waitAsync(this.ring.state, this.slot, 1)
        if (waited.async) await Promise.race([waited.value, new Promise<void>((resolve) => { this.wake = resolve })])
        this.wake = null
        this.copy()
      }
      if (this.error !== null) throw this.error
    } finally {
      this.draining = null
    }
  }

  private wakeUp (): void {
    const w = this.wake
    this.wake = null
    w?.()
  }

  /** Hands the last bytes over, and the end: the digest. */
  private async finish (): Promise<string> {
    if (this.draining !== null) await this.draining
    if (this.error !== null) throw this.error
    if (this.filled > 0) this.handOver()
    return await this.writes.end(this.size)
  }

  private async close (): Promise<void> {
    if (this.closed) return
    this.closed = true
    await this.fh.close()
    // the thread is done with the file (it has answered its end or drop): the ring serves the next one, the blocks it
    // could not write (FAILED_BLOCK) free again, since it writes none of them any more
    const { state } = this.ring
    for (let k = 0; k < state.length; k++) if (Atomics.load(state, k) === FAILED_BLOCK) Atomics.store(state, k, 0)
    giveBack(this.ring)
  }
}
