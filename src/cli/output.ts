import { open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { dirname, basename, join } from 'node:path'
import type { Writable } from 'node:stream'
import { fileSystemError, PhebusError } from '../errors.js'
import { ClosedOutput, drained } from './io.js'

/** A file the command can make again from its inputs: written whole or not at all, not forced to disk (see writeFileAtomically). */
export const MADE_AGAIN = Object.freeze({ sync: false })

/** Bytes written between two background data syncs of a large file. */
const FLUSH_EVERY = 64 << 20

/** Writes chunks to a stream, waiting when it asks to (flat memory); ClosedOutput when its reader goes. */
export async function writeChunks (chunks: Iterable<Buffer>, out: Writable): Promise<number> {
  let bytes = 0
  for (const chunk of chunks) {
    if (out.destroyed) throw new ClosedOutput()
    bytes += chunk.length
    if (!out.write(chunk)) await drained(out)
  }
  return bytes
}

/**
 * Writes a file whole or not at all: into a temporary file beside it, then
 * renamed over the target. A failure leaves the target as it was. With
 * `sync` (the default) the file is on disk before the rename, whole even
 * after a power cut; without, only a crash of the process is covered: what
 * the commands make again from their inputs (generate, sample) need no more,
 * and the disk then writes at its own pace instead of the command waiting.
 * One write is in flight while the next chunk is made: a chunk must stay
 * valid until the one after it has been taken (a ring of 2 buffers is enough).
 */
export async function writeFileAtomically (path: string, chunks: Iterable<Buffer>, options: { sync?: boolean } = {}): Promise<number> {
  const sync = options.sync ?? true
  return await writeThroughTemporary(path, async (fh) => {
    let bytes = 0
    let pending: Promise<void> = Promise.resolve()
    let flushing: Promise<void> = Promise.resolve()
    let unflushed = 0
    try {
      for (const chunk of chunks) {
        await pending
        pending = writeAll(fh, chunk)
        pending.catch(() => {}) // observed at the next await
        bytes += chunk.length
        unflushed += chunk.length
        if (sync && unflushed >= FLUSH_EVERY) {
          // the disk works while the next chunks are made: the final sync has little left to do
          unflushed = 0
          const previous = flushing
          flushing = pending.then(async () => { await previous; await fh.datasync() })
          flushing.catch(() => {})
        }
      }
      await pending
      await flushing
      if (sync) await fh.sync()
    } finally {
      await pending.catch(() => {})
      await flushing.catch(() => {})
    }
    return bytes
  })
}

/**
 * Whole or not at all: `write` fills a temporary file beside `path` (and
 * says how many bytes), which is then closed and renamed over the target; a
 * failure removes it and leaves the target as it was, the reason naming the
 * file asked for, never the temporary one.
 */
export async function writeThroughTemporary (path: string, write: (fh: FileHandle) => Promise<number>): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    const fh = await open(tmp, 'wx')
    let bytes: number
    try {
      bytes = await write(fh)
    } finally {
      await fh.close()
    }
    await rename(tmp, path)
    return bytes
  } catch (err) {
    await unlink(tmp).catch(() => {})
    if (err instanceof PhebusError) throw err
    throw fileSystemError(err, path, 'écrire')
  }
}

async function writeAll (fh: FileHandle, chunk: Buffer): Promise<void> {
  let done = 0
  while (done < chunk.length) done += (await fh.write(chunk, done, chunk.length - done)).bytesWritten
}
