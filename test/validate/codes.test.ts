import t from 'tap'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { FINDING_CODES } from '../../src/validate/codes.js'

const ROOT = new URL('../../', import.meta.url).pathname
const SRC = join(ROOT, 'src', 'validate')
const sources = readdirSync(SRC).filter((f) => f.endsWith('.ts')).map((f) => ({ name: f, text: readFileSync(join(SRC, f), 'utf8') }))
/** the one finding the server adds to a report, during a qualification */
const serverSource = { name: 'qualification.ts (server)', text: readFileSync(join(ROOT, 'src', 'server', 'services', 'qualification.ts'), 'utf8') }
const declared = new Set(Object.keys(FINDING_CODES))

t.test('docs/validation.md lists exactly the codes of codes.ts', async (t) => {
  const docs = readFileSync(join(ROOT, 'docs', 'validation.md'), 'utf8')
  const rows = [...docs.matchAll(/^\| `((?:CGPEM|PECGM)_[A-Z0-9_]+)` \| (error|warning|info) \|/gm)]
  const listed = rows.map((m) => m[1] as string)
  t.same([...listed].sort(), [...declared].sort(), 'the same codes both ways')
  t.equal(new Set(listed).size, listed.length, 'each listed once')
  for (const m of rows) {
    const code = m[1] as keyof typeof FINDING_CODES
    t.equal(m[2], FINDING_CODES[code].severity, `${code}: the severity of the docs is the declared one`)
  }
})

t.test('every code the validator can emit is declared', async (t) => {
  const used = new Set<string>()
  for (const s of [...sources, serverSource]) {
    if (s.name === 'codes.ts') continue
    for (const m of s.text.matchAll(/'((?:CGPEM|PECGM)_[A-Z0-9_]+)'/g)) used.add(m[1] as string)
  }
  t.ok(used.size > 30, `${used.size} codes used`)
  for (const code of used) t.ok(declared.has(code), `${code} is declared`)
  for (const code of declared) t.ok(used.has(code), `${code} is emitted somewhere`)
})

t.test('each code has a French title and meaning', async (t) => {
  for (const [code, info] of Object.entries(FINDING_CODES)) {
    t.ok(info.title.length > 5 && info.meaning.length > 20, code)
    t.match(code, /^(CGPEM|PECGM)_[A-Z0-9_]+$/)
  }
})

t.test('the validator core imports no Fastify, no database and no process', async (t) => {
  for (const s of sources) {
    const imports = [...s.text.matchAll(/^import .* from '([^']+)'/gm)].map((m) => m[1] as string)
    for (const i of imports) t.notOk(/fastify|sqlite|^node:(process|fs|child_process|worker_threads)/.test(i) || i.includes('/server/') || i.includes('/storage/') || i.includes('/cli/'), `${s.name} imports ${i}`)
    const code = s.text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '')
    t.notMatch(code, /\bprocess\./, `${s.name} does not touch process`)
  }
})
