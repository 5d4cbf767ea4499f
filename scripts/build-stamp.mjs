// Whether dist/ is newer than every source it is built from, for the project's prepare script.
//
// npm runs prepare after `npm install` and `npm ci`, and npm 11 runs it again at the first `npx phebus-mock` of a
// folder (npx installs a command the folder declares itself into its cache, ~/.npm/_npx, and prepares it there:
// npm_command=exec). There, a dist/ built after the last change of every source is the build's own output: doing it
// again took 30 s to 2 min for the same files. Anywhere else (an install, whose dependencies may have changed what
// the bundles hold), prepare builds.
//
//   node scripts/build-stamp.mjs --write   the last step of `npm run build`: dist/ is complete
//   node scripts/build-stamp.mjs --fresh   exit 0 when npx runs prepare and dist/ is complete and newer than every
//                                          source; 1 otherwise (prepare then builds)
import { readdirSync, statSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const stamp = join(root, 'dist', '.built')
/** What `npm run build` reads: tsconfig.build.json's folders, the build's scripts, the configuration. */
const SOURCES = ['src', 'generators', 'bench', 'scripts', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']

function newest (path) {
  let st
  try {
    st = statSync(path)
  } catch {
    return 0
  }
  if (!st.isDirectory()) return st.mtimeMs
  let latest = st.mtimeMs
  for (const name of readdirSync(path)) latest = Math.max(latest, newest(join(path, name)))
  return latest
}

const mode = process.argv[2]
if (mode === '--write') {
  writeFileSync(stamp, 'dist/ construit : voir scripts/build-stamp.mjs\n')
} else if (mode === '--fresh') {
  let built = 0
  try {
    built = statSync(stamp).mtimeMs
  } catch {}
  const fresh = process.env.npm_command === 'exec' && built > 0 && SOURCES.every((s) => newest(join(root, s)) < built)
  if (fresh) console.error('phebus-mock : dist/ est à jour, la compilation n\'est pas refaite pour npx.')
  process.exit(fresh ? 0 : 1)
} else {
  console.error('usage : node scripts/build-stamp.mjs --write | --fresh')
  process.exit(2)
}
