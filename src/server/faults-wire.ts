import type { ServerResponse } from 'node:http'
import type { Socket } from 'node:net'
import { setTimeout as sleep } from 'node:timers/promises'

/**
 * How an HTTP fault changes an answer on the wire (src/faults): its body
 * sent at a given rate, or the connection reset after a given number of
 * its bytes. What is stored is never touched: only what is sent.
 */
export interface WireFault {
  faultId: number
  /** slow-body: bytes per second */
  bytesPerSecond: number | null
  /** reset-after: bytes of the body sent before the connection is reset */
  afterBytes: number | null
}

/** A slow body goes out in slices ten times a second, never larger than this. */
const MAX_SLICE = 64 * 1024
const TICK_MS = 100
/** The moment given to the bytes before the reset that cuts them. */
export const RESET_GRACE_MS = 20

/** Resets the connection (TCP RST): what a client sees of a server that fell over mid-answer. */
export function resetConnection (socket: Socket | null): void {
  if (socket === null || socket.destroyed) return
  // resetAndDestroy sends an RST (Node ≥ 16.17); a socket that cannot (a TLS one) is destroyed
  if (typeof socket.resetAndDestroy === 'function' && socket.constructor.name === 'Socket') socket.resetAndDestroy()
  else socket.destroy()
}

/**
 * The body's bytes as the fault lets them go: sliced and paced for a slow
 * body, cut after `afterBytes` (the caller then resets the connection).
 */
export async function * paced (source: AsyncIterable<Buffer> | Iterable<Buffer>, fault: WireFault): AsyncGenerator<Buffer> {
  let left = fault.afterBytes ?? Number.POSITIVE_INFINITY
  const slice = fault.bytesPerSecond === null ? Number.POSITIVE_INFINITY : Math.max(1, Math.min(MAX_SLICE, Math.floor(fault.bytesPerSecond * TICK_MS / 1000)))
  const pause = fault.bytesPerSecond === null ? 0 : Math.max(1, Math.round(slice * 1000 / fault.bytesPerSecond))
  for await (const chunk of source) {
    for (let at = 0; at < chunk.length && left > 0;) {
      const n = Math.min(chunk.length - at, slice, left)
      yield chunk.subarray(at, at + n)
      at += n
      left -= n
      if (pause > 0) await sleep(pause)
    }
    if (left <= 0) return
  }
}

/**
 * Writes a body through the fault on a response already started, minding
 * back-pressure; resets the connection once `afterBytes` are out. Resolves
 * with the bytes the socket took, when done or when the client went away.
 */
export async function sendPaced (res: ServerResponse, source: AsyncIterable<Buffer> | Iterable<Buffer>, fault: WireFault): Promise<number> {
  let sent = 0
  let gone = false
  // one listener for the whole body: a piece's wait ends when it is flushed or when the client goes, whichever first
  // (a listener a piece, never taken off once flushed, piled up by the thousand on a slow body)
  let wake: (() => void) | null = null
  const onClose = (): void => {
    gone = true
    wake?.()
  }
  res.once('close', onClose)
  try {
    for await (const piece of paced(source, fault)) {
      if (gone) break
      const copy = Buffer.from(piece)
      await new Promise<void>((resolve) => {
        wake = resolve
        res.write(copy, () => { resolve() })
      })
      wake = null
      if (!gone) sent += copy.length
    }
    if (gone) return sent
    if (fault.afterBytes !== null) {
      // what was written is on its way: give it a moment, then the reset (an RST at once can overtake it)
      await sleep(RESET_GRACE_MS)
      resetConnection(res.socket)
      return sent
    }
    await new Promise<void>((resolve) => { res.once('close', resolve); res.end(resolve) })
    return sent
  } finally {
    res.off('close', onClose)
  }
}
