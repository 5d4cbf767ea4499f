import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FINDING_CODES } from '../../src/validate/codes.js'
import { describeLeaks, findLeaks } from '../messages-english.js'

/** The PECGM codes of codes.ts, docs/validation.md and the PECGM validator's sources say the same (as codes.test.ts does for CGPEM). */

const ROOT = new URL('../../', import.meta.url).pathname
const SRC = join(ROOT, 'src', 'validate')
const sources = [
  ...readdirSync(SRC).filter((f) => f.startsWith('pecgm-') && f.endsWith('.ts')).map((f) => readFileSync(join(SRC, f), 'utf8')),
  readFileSync(join(ROOT, 'src', 'layouts', 'pecgm-reader.ts'), 'utf8')
]
const declared = new Set(Object.keys(FINDING_CODES).filter((c) => c.startsWith('PECGM_')))

t.test('docs/validation.md lists exactly the PECGM codes of codes.ts, with their severity', async (t) => {
  const docs = readFileSync(join(ROOT, 'docs', 'validation.md'), 'utf8')
  const rows = [...docs.matchAll(/^\| `(PECGM_[A-Z0-9_]+)` \| (error|warning|info) \|/gm)]
  const listed = rows.map((m) => m[1] as string)
  t.same([...listed].sort(), [...declared].sort(), 'the same codes both ways')
  t.equal(new Set(listed).size, listed.length, 'each listed once')
  for (const m of rows) {
    const code = m[1] as keyof typeof FINDING_CODES
    t.equal(m[2], FINDING_CODES[code].severity, `${code}: the severity of the docs is the declared one`)
  }
})

t.test('every PECGM code is emitted by the PECGM validator, and every code it emits is declared', async (t) => {
  const used = new Set<string>()
  for (const text of sources) for (const m of text.matchAll(/'(PECGM_[A-Z0-9_]+)'/g)) used.add(m[1] as string)
  t.ok(used.size >= 25, `${used.size} codes used`)
  for (const code of used) t.ok(declared.has(code), `${code} is declared`)
  for (const code of declared) t.ok(used.has(code), `${code} is emitted somewhere`)
})

t.test('each PECGM code has a French title and meaning', async (t) => {
  for (const code of declared) {
    const info = FINDING_CODES[code as keyof typeof FINDING_CODES]
    t.ok(info.title.length > 5 && info.meaning.length > 20, code)
    const leaks = findLeaks(`${info.title}. ${info.meaning}`)
    t.same(leaks, [], `${code}: ${describeLeaks(leaks)}`)
  }
})
