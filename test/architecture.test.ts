import t from 'tap'
import { readdirSync, readFileSync, statSync } from 'node:fs'
import { join } from 'node:path'

/** The core reads no argv or env, never exits, and knows nothing of Fastify or the database. */
const CORE = ['layouts', 'text', 'scenarios', 'generate', 'validate', 'qualification']
const FORBIDDEN = [/from 'fastify'/, /from '@fastify\//, /from 'better-sqlite3'/, /\bprocess\.(argv|env|exit)\b/, /from '\.\.\/(server|storage|cli)\//]

function files (dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name)
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : []
  })
}

t.test('the core imports no Fastify, no database and reads no process state', async (t) => {
  const src = new URL('../src/', import.meta.url).pathname
  for (const area of CORE) {
    let list: string[] = []
    try { list = files(join(src, area)) } catch { continue }
    for (const file of list) {
      const text = readFileSync(file, 'utf8')
      for (const rule of FORBIDDEN) t.notMatch(text, rule, `${file.slice(src.length)} ${rule}`)
    }
  }
})
