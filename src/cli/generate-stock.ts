import type { PecgmHelpers } from '../generate/helper-threads.js'
import { pecgmChunks, type PecgmPlan, type PecgmRequest } from '../generate/pecgm-file.js'
import { writeStockInParallel } from '../generate/pecgm-parallel.js'
import { writeAll, writeThroughTemporary } from './output.js'

/**
 * A large monthly stock written whole or not at all, as writeFileAtomically
 * (output.ts) writes a file the command can make again: into a temporary
 * file beside it, renamed over the target, not forced to disk. Its records
 * are written at their places by this thread and the helpers
 * (pecgm-parallel.ts), which are stopped before the file is closed: none
 * writes to it after. Its number of bytes. A device or a FIFO (`-o
 * /dev/null`) is written in place, in order, on this thread.
 */
export async function writeStockFile (path: string, req: PecgmRequest, plan: PecgmPlan, helpers: PecgmHelpers): Promise<number> {
  return await writeThroughTemporary(path, async (fh, inPlace) => {
    try {
      if (!inPlace) return await writeStockInParallel(fh.fd, req, plan, helpers)
      // a device or a FIFO: no writing at places, the records in order on this thread
      let bytes = 0
      for (const chunk of pecgmChunks({ ...req, ring: 1 }, plan)) {
        await writeAll(fh, chunk)
        bytes += chunk.length
      }
      return bytes
    } finally {
      await helpers.close()
    }
  })
}
