import t from 'tap'
import { readFileSync } from 'node:fs'
import { ERROR_CODES, fileSystemError, fileSystemReason } from '../src/errors.js'

t.test('docs/erreurs.md lists exactly the error codes of src/errors.ts', async (t) => {
  const doc = readFileSync(new URL('../docs/erreurs.md', import.meta.url), 'utf8')
  const listed = [...doc.matchAll(/^\| `(PHEBUS_[A-Z0-9_]+)` \|/gm)].map((m) => m[1])
  t.same(listed.sort(), Object.keys(ERROR_CODES).sort())
})

t.test('a file-system error is told in French, naming the file given, never a temporary one', async (t) => {
  const tmp = '/data/out/.g.txt.14476.tmp'
  const table = [
    { code: 'ENOENT', action: 'lire', expect: /^Fichier introuvable : \/data\/out\/g\.txt$/ },
    { code: 'ENOENT', action: 'écrire', expect: /^Dossier introuvable : \/data\/out \(pour écrire g\.txt\)$/ },
    { code: 'ENOTDIR', action: 'écrire', expect: /n'est pas un dossier/ },
    { code: 'EISDIR', action: 'lire', expect: /est un dossier, pas un fichier/ },
    { code: 'EACCES', action: 'lire', expect: /^Permission refusée : \/data\/out\/g\.txt ne peut pas être lu$/ },
    { code: 'EACCES', action: 'écrire', expect: /^Permission refusée : impossible d'écrire dans \/data\/out$/ },
    { code: 'EPERM', action: 'créer le dossier', expect: /^Permission refusée/ },
    { code: 'ENOSPC', action: 'écrire', expect: /^Disque plein/ },
    { code: 'EDQUOT', action: 'écrire', expect: /^Disque plein/ },
    { code: 'EROFS', action: 'écrire', expect: /lecture seule/ },
    { code: 'EEXIST', action: 'créer le dossier', expect: /existe déjà et n'est pas un dossier/ },
    { code: 'EMFILE', action: 'lire', expect: /Trop de fichiers ouverts/ },
    { code: 'EFBIG', action: 'écrire', expect: /^Fichier trop grand pour la limite du système \(EFBIG.*\/data\/out\/g\.txt n'a pas pu être écrit en entier/ },
    { code: 'ENXIO', action: 'écrire', expect: /^\/data\/out\/g\.txt n'est pas un fichier où écrire \(une socket/ },
    { code: 'ENXIO', action: 'lire', expect: /^\/data\/out\/g\.txt ne peut pas être lu : une socket/ },
    { code: 'EXDEV', action: 'écrire', expect: /^Impossible d'écrire \/data\/out\/g\.txt \(erreur système EXDEV\)$/ }
  ] as const
  for (const c of table) {
    const err = Object.assign(new Error(`${c.code}: something English, open '${tmp}'`), { code: c.code, path: tmp })
    const reason = fileSystemReason(err, '/data/out/g.txt', c.action)
    t.match(reason, c.expect, `${c.code} (${c.action})`)
    t.notMatch(reason, /\.tmp|something|open '/, `${c.code}: nothing of the system's message`)
  }
  const e = fileSystemError(Object.assign(new Error('x'), { code: 'ENOENT' }), '/data/absent.xml', 'lire')
  t.equal(e.code, 'PHEBUS_IO')
  t.same(e.position, { file: '/data/absent.xml' })
})
