import t from 'tap'
import { readFileSync } from 'node:fs'
import { ERROR_CODES } from '../src/errors.js'

t.test('docs/erreurs.md lists exactly the error codes of src/errors.ts', async (t) => {
  const doc = readFileSync(new URL('../docs/erreurs.md', import.meta.url), 'utf8')
  const listed = [...doc.matchAll(/^\| `(PHEBUS_[A-Z0-9_]+)` \|/gm)].map((m) => m[1])
  t.same(listed.sort(), Object.keys(ERROR_CODES).sort())
})
