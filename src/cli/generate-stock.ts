import type { PecgmHelpers } from '../generate/helper-threads.js'
import type { PecgmPlan, PecgmRequest } from '../generate/pecgm-file.js'
import { writeStockInParallel } from '../generate/pecgm-parallel.js'
import { writeThroughTemporary } from './output.js'

/**
 * A large monthly stock written whole or not at all, as writeFileAtomically
 * (output.ts) writes a file the command can make again: into a temporary
 * file beside it, renamed over the target, not forced to disk. Its records
 * are written at their places by this thread and the helpers
 * (pecgm-parallel.ts), which are stopped before the file is closed: none
 * writes to it after. Its number of bytes.
 */
export async function writeStockFile (path: string, req: PecgmRequest, plan: PecgmPlan, helpers: PecgmHelpers): Promise<number> {
  return await writeThroughTemporary(path, async (fh) => {
    try {
      return writeStockInParallel(fh.fd, req, plan, helpers)
    } finally {
      await helpers.close()
    }
  })
}
