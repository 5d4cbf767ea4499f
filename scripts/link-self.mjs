// `npx phebus-mock` in a clone of the project, as the README writes it: npm runs a command at once when a package of
// that name is in the folder's node_modules, and otherwise installs it in its cache first, which for this folder is a
// copy of it and its whole `prepare` (the build, `tap build`): one to two minutes for a newcomer's first command. The
// project does not list itself among its dependencies, so `prepare` gives its node_modules a link to the project
// itself, as `npm link` would without touching anything outside the folder. Nothing is done when the folder is
// installed as somebody else's dependency (it is then in their node_modules already), when node_modules is absent, or
// when something is already there under that name.
import { existsSync, lstatSync, symlinkSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const modules = join(root, 'node_modules')
const inAnotherProject = basename(dirname(root)) === 'node_modules'

function taken (path) {
  try {
    lstatSync(path)
    return true
  } catch {
    return false
  }
}

/** `path` made a link to `target` (relative to the link's folder), unless something is there already. */
function link (target, path, type) {
  if (taken(path)) return
  try {
    symlinkSync(target, path, type)
  } catch (err) {
    // best effort (a file system without links): npx then installs the folder in its cache, slowly, as before
    process.stderr.write(`phebus-mock : lien ${path.slice(root.length + 1)} non créé (${err.code ?? err.message}) ; « npx phebus-mock » sera lent à sa première exécution, « node dist/bin/phebus-mock.js » ne l'est pas.\n`)
  }
}

if (!inAnotherProject && existsSync(modules)) {
  link('..', join(modules, 'phebus-mock'), 'dir')
  // the command itself, as npm links a dependency's: node_modules/.bin/phebus-mock for scripts
  if (existsSync(join(modules, '.bin'))) link('../phebus-mock/dist/bin/phebus-mock.js', join(modules, '.bin', 'phebus-mock'), 'file')
}
