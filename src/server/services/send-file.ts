import type { ServerResponse } from 'node:http'
import type { FileHandle } from 'node:fs/promises'

/**
 * Sends a file's bytes on an HTTP response from a few reused 1 MiB buffers:
 * a buffer is read into again only once the socket has taken what it held
 * (the write's callback). A read stream allocates a fresh 1 MiB buffer per
 * chunk, and the page faults of that fresh memory cost more than the copy
 * itself: reused buffers about double the throughput here.
 */

const CHUNK = 1 << 20
/** Buffers in flight per download: one being read while two are being written. */
const IN_FLIGHT = 3
/** Free buffers kept between downloads. */
const POOL_MAX = 16
const pool: Buffer[] = []

function take (): Buffer {
  return pool.pop() ?? Buffer.allocUnsafeSlow(CHUNK)
}

function give (buf: Buffer): void {
  if (pool.length < POOL_MAX) pool.push(buf)
}

/** Resolves when all is written, or when the client went away (the rest is dropped), with the bytes the socket took. */
export async function sendFile (res: ServerResponse, fh: FileHandle, size: number): Promise<number> {
  const free: Buffer[] = []
  let owned = 0
  let sent = 0
  let waiting: (() => void) | null = null
  const client = { gone: false }
  const onClose = (): void => {
    client.gone = true
    waiting?.()
  }
  res.once('close', onClose)
  try {
    let position = 0
    while (position < size && !client.gone) {
      let buf = free.pop()
      if (buf === undefined && owned < IN_FLIGHT) {
        buf = take()
        owned++
      }
      if (buf === undefined) {
        await new Promise<void>((resolve) => { waiting = resolve })
        waiting = null
        continue
      }
      const { bytesRead } = await fh.read(buf, 0, Math.min(CHUNK, size - position), position)
      if (bytesRead === 0) throw new Error(`file shorter than its recorded size (${position} of ${size} bytes)`)
      position += bytesRead
      const held = buf
      res.write(held.subarray(0, bytesRead), (err) => {
        if (!err) sent += bytesRead
        free.push(held)
        waiting?.()
      })
    }
    // 'close' as well: a client gone after the last write never lets 'finish' come
    if (!client.gone) await new Promise<void>((resolve) => { res.once('close', resolve); res.end(resolve) })
    return sent
  } finally {
    res.off('close', onClose)
    await fh.close()
    // buffers still held by an aborted write are left to the garbage collector
    for (const b of free) give(b)
  }
}
