import t from 'tap'
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { DATABASE_FILE, openStorage } from '../../src/storage/storage.js'

/** A data folder whose files/ holds a département's file, as an earlier run leaves it. */
function folderWithFiles (dir: string): string {
  mkdirSync(join(dir, 'files', '77'), { recursive: true })
  const kept = join(dir, 'files', '77', 'CGPEM_77_kept.xml')
  writeFileSync(kept, '<cgpem/>')
  return kept
}

t.test('a database gone (or emptied) while files/ still holds files: the start is refused in French, saying what to do, and nothing is deleted', async (t) => {
  for (const database of ['absent', 'empty'] as const) {
    const dir = t.testdir()
    openStorage(dir).close()
    const kept = folderWithFiles(dir)
    for (const name of [DATABASE_FILE, `${DATABASE_FILE}-wal`, `${DATABASE_FILE}-shm`]) rmSync(join(dir, name), { force: true })
    if (database === 'empty') writeFileSync(join(dir, DATABASE_FILE), '')
    t.throws(() => openStorage(dir), { name: 'ServerError', code: 'PHEBUS_SERVER_DATABASE', message: /base .*phebus\.sqlite.* (absente|vide).*1 fichier.*sauvegarde.*--reset/ }, `${database}: refused`)
    t.ok(existsSync(kept), `${database}: the file is kept`)
    if (database === 'absent') t.notOk(existsSync(join(dir, DATABASE_FILE)), 'absent: no new database made')
    t.notOk(existsSync(join(dir, 'phebus.lock')), `${database}: the lock released`)
    const reset = openStorage(dir, { reset: true })
    t.same(readdirSync(join(dir, 'files')), [], `${database}: --reset starts anew, as the message says`)
    reset.close()
  }
})

t.test('a first start, or a folder with an empty files/, makes its database', async (t) => {
  const dir = t.testdir()
  mkdirSync(join(dir, 'files', '77'), { recursive: true })
  openStorage(dir).close()
  t.ok(existsSync(join(dir, DATABASE_FILE)))
})

t.test('a data folder made by the server is its owner\'s only: the folder, files/, tmp/, the base and its journal (password hashes, trail, messages); one that exists keeps its own permissions', async (t) => {
  const { chmodSync, statSync } = await import('node:fs')
  const dir = join(t.testdir(), 'neuf', 'data')
  const storage = openStorage(dir)
  t.teardown(() => { storage.close() })
  storage.db.prepare('CREATE TABLE IF NOT EXISTS t (x)').run()
  for (const path of [dir, join(dir, 'files'), join(dir, 'tmp'), join(dir, DATABASE_FILE), join(dir, `${DATABASE_FILE}-wal`)]) {
    t.equal(statSync(path).mode & 0o077, 0, `${path.slice(dir.length) || '/'}: nothing for the group or others`)
  }
  const mine = t.testdir()
  chmodSync(mine, 0o755)
  const other = openStorage(mine)
  t.teardown(() => { other.close() })
  t.equal(statSync(mine).mode & 0o777, 0o755, 'a folder given as it is keeps its permissions')
})

t.test('a data folder under a file system that takes no new folder (/proc) is refused at once, where the start hung at full CPU', { skip: !existsSync('/proc/self') && 'no /proc' }, async (t) => {
  t.throws(() => openStorage('/proc/phebus-mock-absent/data'), { name: 'ServerError', code: 'PHEBUS_SERVER_DATABASE', message: /^Impossible de créer le dossier de données : \/proc existe, mais son système de fichiers n'y accepte aucun nouveau dossier \(un système virtuel comme \/proc ou \/sys\) : \/proc\/phebus-mock-absent ne peut pas y être créé\.$/ })
})

t.test('a folder that is not a data folder (no database) whose tmp/ or files/ hold what the server never puts there is refused, with --reset too, and nothing is deleted', async (t) => {
  const cases: Array<{ layout: Parameters<typeof t.testdir>[0], kept: string[], says: RegExp }> = [
    { layout: { tmp: { 'notes.txt': 'mine' } }, kept: ['tmp', 'notes.txt'], says: /tmp\/notes\.txt/ },
    { layout: { files: { 'thesis.txt': 'mine' } }, kept: ['files', 'thesis.txt'], says: /files\/thesis\.txt/ },
    { layout: { files: { photos: { 'a.jpg': 'mine' } } }, kept: ['files', 'photos', 'a.jpg'], says: /files\/photos/ }
  ]
  for (const c of cases) {
    for (const reset of [false, true]) {
      const dir = t.testdir(c.layout)
      t.throws(() => openStorage(dir, { reset }), { name: 'ServerError', code: 'PHEBUS_SERVER_DATABASE', message: new RegExp(`^Le dossier ${dir.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} n'est pas un dossier de données de phebus-mock \\(pas de base ${DATABASE_FILE}\\) et garde ${c.says.source}, que le serveur n'y met pas : il l'effacerait\\. Donnez un dossier neuf ou vide, ou celui d'un lancement précédent\\.$`) }, `${c.kept.join('/')}, reset ${reset}`)
      t.ok(existsSync(join(dir, ...c.kept)), `${c.kept.join('/')}, reset ${reset}: kept`)
      t.notOk(existsSync(join(dir, DATABASE_FILE)), 'no database made')
    }
  }
  // what the server itself leaves (an upload's .part, a deletion's .supprime, a département's folder) is no obstacle
  const ours = t.testdir({ tmp: { '0123456789abcdef01.part': 'half', '0123456789abcdef02.supprime': 'aside' }, files: { 77: {}, '2A': {} } })
  openStorage(ours).close()
  t.ok(existsSync(join(ours, DATABASE_FILE)))
})
