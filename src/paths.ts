import { existsSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

let root: string | null = null

/**
 * The folder of phebus-mock's package.json, whether the code runs from its
 * TypeScript sources or from dist/: data files (communes, scenarios) are read
 * from there.
 */
export function packageRoot (): string {
  if (root !== null) return root
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    const candidate = join(dir, 'package.json')
    if (existsSync(candidate) && (JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string }).name === 'phebus-mock') {
      root = dir
      return dir
    }
    const up = dirname(dir)
    if (up === dir) throw new Error('phebus-mock: package.json introuvable')
    dir = up
  }
}

export function dataFile (name: string): string {
  return join(packageRoot(), 'generators', 'data', name)
}

/**
 * The command as npm installs it (package.json's bin): the bundle that
 * `npm run build` writes, which the tests and benches that run "what a user
 * runs" start.
 */
export function installedCommand (): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { bin: Record<string, string> }
  return join(packageRoot(), pkg.bin['phebus-mock'] as string)
}
