import type { PecgmHelpers } from '../generate/helper-threads.js'
import { pecgmChunks, type PecgmPlan, type PecgmRequest } from '../generate/pecgm-file.js'
import { writeStockInParallel } from '../generate/pecgm-parallel.js'
import { writeAll, writeThroughTemporary } from './output.js'

/** A stock's request and this thread's plan of it. */
export interface PlannedStock { request: PecgmRequest, plan: PecgmPlan }

/**
 * A large monthly stock written whole or not at all, as writeFileAtomically
 * (output.ts) writes a file the command can make again: into a temporary
 * file beside it, renamed over the target, not forced to disk. Its records
 * are written at their places by this thread and the helpers
 * (pecgm-parallel.ts), which are stopped before the file is closed: none
 * writes to it after. Its number of bytes. A device or a FIFO (`-o
 * /dev/null`) is written in place, in order, on this thread.
 *
 * `planned` may still be on its way (the scenario being read, the file
 * planned): the file is opened meanwhile, so that this thread starts
 * writing as soon as it has its plan. Opened after, it waited for the file
 * system (three calls of its thread pool, which the helpers' start and V8's
 * compilers kept waiting for a processor: 6 to 18 ms of the command's
 * start). An error of the scenario or of the plan comes first, as it did
 * when it came before the file was opened.
 */
export async function writeStockFile (path: string, planned: PlannedStock | Promise<PlannedStock>, helpers: PecgmHelpers): Promise<number> {
  const ready = Promise.resolve(planned)
  ready.catch(() => {}) // observed below, whichever of the two fails first
  try {
    return await writeThroughTemporary(path, async (fh, inPlace) => {
      try {
        const { request, plan } = await ready
        if (!inPlace) return await writeStockInParallel(fh.fd, request, plan, helpers)
        // a device or a FIFO: no writing at places, the records in order on this thread
        let bytes = 0
        for (const chunk of pecgmChunks({ ...request, ring: 1 }, plan)) {
          await writeAll(fh, chunk)
          bytes += chunk.length
        }
        return bytes
      } finally {
        await helpers.close()
      }
    })
  } catch (err) {
    // stopped here too when the file failed before it could be written (closing them twice changes nothing)
    await helpers.close()
    await ready
    throw err
  }
}
