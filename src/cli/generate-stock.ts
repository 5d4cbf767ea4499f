import { open, rename, unlink } from 'node:fs/promises'
import { basename, dirname, join } from 'node:path'
import type { PecgmHelpers } from '../generate/helper-threads.js'
import type { PecgmPlan, PecgmRequest } from '../generate/pecgm-file.js'
import { writeStockInParallel } from '../generate/pecgm-parallel.js'
import { fileSystemError, PhebusError } from '../errors.js'

/**
 * A large monthly stock written whole or not at all, as writeFileAtomically
 * (output.ts) writes a file the command can make again: into a temporary
 * file beside it, renamed over the target, not forced to disk. Its records
 * are written at their places by this thread and the helpers
 * (pecgm-parallel.ts), which are stopped before the file is closed: none
 * writes to it after. Its number of bytes.
 */
export async function writeStockFile (path: string, req: PecgmRequest, plan: PecgmPlan, helpers: PecgmHelpers): Promise<number> {
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`)
  try {
    const fh = await open(tmp, 'wx')
    let bytes: number
    try {
      bytes = writeStockInParallel(fh.fd, req, plan, helpers)
    } finally {
      await helpers.close()
      await fh.close()
    }
    await rename(tmp, path)
    return bytes
  } catch (err) {
    await unlink(tmp).catch(() => {})
    if (err instanceof PhebusError) throw err
    // the reason names the file asked for, never the temporary one
    throw fileSystemError(err, path, 'écrire')
  }
}
