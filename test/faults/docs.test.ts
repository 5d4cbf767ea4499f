import t from 'tap'
import { readFileSync } from 'node:fs'
import { DAMAGE_CODES, FAULT_CODES, HTTP_FAULT_CODES } from '../../src/faults/model.js'

/** docs/pannes.md lists each fault with the title, effect and advice the code declares, and no other. */

const docs = readFileSync(new URL('../../docs/pannes.md', import.meta.url), 'utf8')

t.test('docs/pannes.md lists every fault code once, with its declared words', async (t) => {
  const rows = [...docs.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$/gm)]
  t.same(rows.map((m) => m[1]).sort(), Object.keys(FAULT_CODES).sort(), 'the same codes both ways')
  for (const m of rows) {
    const info = FAULT_CODES[m[1] as keyof typeof FAULT_CODES]
    t.same([m[2], m[3], m[4]], [info.title, info.effect, info.expected], `${m[1] ?? ''}: the words of model.ts`)
  }
})

t.test('every damage code says what validate reports of it', async (t) => {
  const said = [...docs.matchAll(/^\| `([a-z0-9-]+)` \| ([^|]+) \|$/gm)].map((m) => m[1])
  t.same(said.sort(), Object.keys(DAMAGE_CODES).sort())
})

t.test('codes are stable words: lower case and dashes; the HTTP ones and the damages do not overlap', async (t) => {
  for (const code of Object.keys(FAULT_CODES)) t.match(code, /^[a-z0-9]+(-[a-z0-9]+)*$/)
  t.equal(Object.keys(DAMAGE_CODES).filter((c) => c in HTTP_FAULT_CODES).length, 0)
})
