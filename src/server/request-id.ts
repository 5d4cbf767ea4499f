import { randomFillSync } from 'node:crypto'

/**
 * Request ids (X-Request-Id, and the trail's request_id): UUIDs of version
 * 7 (RFC 9562), whose first 48 bits are the time in ms and the other 74
 * random. Made in time order, they go to the end of the trail's index by
 * request id, where a random UUID (version 4) lands anywhere in it: once the
 * trail held a few hundred thousand requests, that index made an audit
 * entry cost four times as much to write.
 */

/** Random bytes drawn at once, used 10 per id. */
const POOL_BYTES = 4096
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'))

let pool = Buffer.alloc(0)
let used = 0

/** A UUID of version 7 for the instant `now` (ms since the epoch). */
export function timeOrderedId (now: number): string {
  if (used + 10 > pool.length) {
    pool = randomFillSync(Buffer.allocUnsafe(POOL_BYTES))
    used = 0
  }
  const r = pool
  const at = used
  used += 10
  const time = Math.max(0, Math.floor(now)).toString(16).padStart(12, '0').slice(-12)
  const h = (i: number): string => HEX[r[at + i] as number] as string
  // version 7 in the 13th hex digit, the variant (10xx) in the 17th
  return `${time.slice(0, 8)}-${time.slice(8)}-7${h(0).slice(1)}${h(1)}-${HEX[0x80 | ((r[at + 2] as number) & 0x3f)] as string}${h(3)}-${h(4)}${h(5)}${h(6)}${h(7)}${h(8)}${h(9)}`
}
