import { mkdir, open, rename } from 'node:fs/promises'
import { join } from 'node:path'

/** Renames a written, synced temporary file to <filesDir>/<département>/<name>, then syncs that folder: the file is there whole, for good. */
export async function placeFile (tempPath: string, filesDir: string, departement: string, name: string): Promise<void> {
  const dir = join(filesDir, departement)
  await mkdir(dir, { recursive: true })
  await rename(tempPath, join(dir, name))
  await syncDir(dir)
}

async function syncDir (dir: string): Promise<void> {
  const fh = await open(dir, 'r')
  try {
    await fh.sync()
  } finally {
    await fh.close()
  }
}
