import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { LIST_PAGE_SQL, type StoredFile } from '../../src/storage/files.js'
import { AS, Clock, DAY, monthlyName, raw, T0, testApp, validCgpem } from './helpers.js'

/**
 * GET /api/v1/files for software that polls: kind, since (inclusive), limit
 * and the `next` cursor; without parameters, the whole list as before.
 */

const MINUTE = 60_000

interface Listed { files: { name: string, kind: string, createdAt: string }[], next: string | null }

/** Uploads at their time (two at the same millisecond, sent in reverse order of their names): the list's order is createdAt, then name. */
const UPLOADS = [
  { name: 'c1.xml', at: T0 + 1 * MINUTE },
  { name: 'c2.xml', at: T0 + 2 * MINUTE },
  { name: 'c3.xml', at: T0 + 3 * MINUTE },
  { name: 'c4-b.xml', at: T0 + 4 * MINUTE },
  { name: 'c4-a.xml', at: T0 + 4 * MINUTE },
  { name: 'c5.xml', at: T0 + 5 * MINUTE }
]
const CGPEM_ORDER = ['c1.xml', 'c2.xml', 'c3.xml', 'c4-a.xml', 'c4-b.xml', 'c5.xml']
const ALL_77 = [monthlyName('77'), ...CGPEM_ORDER]

async function appWithUploads (t: Test): Promise<FastifyInstance> {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const body = { 77: await validCgpem('77', 2), 93: await validCgpem('93', 2) }
  for (const u of UPLOADS) {
    clock.at = u.at
    for (const [dept, who] of [['77', AS.dept77], ['93', AS.dept93]] as const) {
      const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=${u.name}`, headers: { ...who, ...raw() }, payload: body[dept] })
      if (res.statusCode !== 201) throw new Error(`${dept} ${u.name}: ${res.statusCode} ${res.body}`)
    }
  }
  return app
}

async function list (app: FastifyInstance, query: string, who: Record<string, string> = AS.dept77): Promise<Listed> {
  const res = await app.inject({ url: `/api/v1/files${query}`, headers: who })
  if (res.statusCode !== 200) throw new Error(`${query}: ${res.statusCode} ${res.body}`)
  return res.json<Listed>()
}

/** Every page from `query` on, following `next`: the names of each. */
async function walk (app: FastifyInstance, query: string, who: Record<string, string> = AS.dept77): Promise<string[][]> {
  const pages: string[][] = []
  let cursor: string | null = null
  do {
    const page: Listed = await list(app, `?${query}${cursor === null ? '' : `&cursor=${cursor}`}`, who)
    pages.push(page.files.map((f) => f.name))
    cursor = page.next
  } while (cursor !== null && pages.length < 100)
  return pages
}

const iso = (ms: number): string => new Date(ms).toISOString()

t.test('without parameters the list is the one it was: every file, oldest first, and next null', async (t) => {
  const app = await appWithUploads(t)
  const page = await list(app, '')
  t.same(page.files.map((f) => f.name), ALL_77, 'createdAt, then name')
  t.equal(page.next, null)
  t.same(Object.keys(page.files[0] ?? {}).sort(), ['createdAt', 'expiresAt', 'kind', 'name', 'periodicity', 'role', 'sha256', 'size'], 'each file as before')
  t.same(await list(app, '/'), page, 'the form with a trailing slash answers the same')
})

t.test('kind keeps one kind; a cursor walk gives every file once, in order, whatever the page size', async (t) => {
  const app = await appWithUploads(t)
  t.same((await list(app, '?kind=PECGM')).files.map((f) => f.name), [monthlyName('77')])
  t.same((await list(app, '?kind=CGPEM')).files.map((f) => f.name), CGPEM_ORDER)
  const cases = [
    { query: 'limit=2', pages: [[monthlyName('77'), 'c1.xml'], ['c2.xml', 'c3.xml'], ['c4-a.xml', 'c4-b.xml'], ['c5.xml']] },
    { query: 'limit=1', pages: ALL_77.map((n) => [n]) },
    { query: 'limit=6', pages: [ALL_77.slice(0, 6), ALL_77.slice(6)] },
    { query: 'limit=7', pages: [ALL_77] },
    { query: 'kind=CGPEM&limit=4', pages: [CGPEM_ORDER.slice(0, 4), CGPEM_ORDER.slice(4)] },
    { query: 'kind=PECGM&limit=1', pages: [[monthlyName('77')]] }
  ]
  for (const c of cases) t.same(await walk(app, c.query), c.pages, c.query)
})

t.test('since takes the files created at that instant or after, in any offset, with or without a cursor', async (t) => {
  const app = await appWithUploads(t)
  const at4 = T0 + 4 * MINUTE
  const cases = [
    { name: 'at an upload\'s instant: included', query: `since=${iso(at4)}`, pages: [['c4-a.xml', 'c4-b.xml', 'c5.xml']] },
    { name: 'a millisecond later: not', query: `since=${iso(at4 + 1)}`, pages: [['c5.xml']] },
    { name: 'a millisecond earlier', query: `since=${iso(at4 - 1)}`, pages: [['c4-a.xml', 'c4-b.xml', 'c5.xml']] },
    { name: 'the same instant with an offset', query: `since=${encodeURIComponent('2026-11-27T11:04:00+01:00')}`, pages: [['c4-a.xml', 'c4-b.xml', 'c5.xml']] },
    { name: 'after everything: an empty page', query: `since=${iso(T0 + DAY)}`, pages: [[]] },
    { name: 'before everything: all', query: 'since=2000-01-01T00:00:00Z', pages: [ALL_77] },
    { name: 'with kind and pages', query: `kind=CGPEM&since=${iso(T0 + 2 * MINUTE)}&limit=2`, pages: [['c2.xml', 'c3.xml'], ['c4-a.xml', 'c4-b.xml'], ['c5.xml']] }
  ]
  for (const c of cases) t.same(await walk(app, c.query), c.pages, c.name)

  const first = await list(app, '?limit=2')
  t.same((await list(app, `?since=${iso(at4)}&cursor=${first.next ?? ''}`)).files.map((f) => f.name), ['c4-a.xml', 'c4-b.xml', 'c5.xml'], 'a cursor before since: since bounds the page')
  const late = await list(app, '?limit=5')
  t.same((await list(app, `?since=${iso(T0)}&cursor=${late.next ?? ''}`)).files.map((f) => f.name), ['c4-b.xml', 'c5.xml'], 'a cursor after since: the cursor does')
})

t.test('bad values are refused with a 400 that names the parameter', async (t) => {
  const app = await testApp(t)
  const cases = [
    { query: 'kind=pecgm', param: 'kind' },
    { query: 'kind=', param: 'kind' },
    { query: 'limit=0', param: 'limit' },
    { query: 'limit=1001', param: 'limit' },
    { query: 'limit=2.5', param: 'limit' },
    { query: 'limit=dix', param: 'limit' },
    { query: 'since=hier', param: 'since' },
    { query: 'since=2026-11-27', param: 'since' },
    { query: 'since=2026-11-27T08:00:00', param: 'since' },
    { query: 'since=2026-02-30T08:00:00Z', param: 'since' },
    { query: 'since=2026-12-31T23:59:60Z', param: 'since' },
    { query: 'cursor=***', param: 'cursor' },
    { query: 'cursor=', param: 'cursor' },
    { query: `cursor=${Buffer.from('pas un curseur').toString('base64url')}`, param: 'cursor' },
    { query: `cursor=${'A'.repeat(401)}`, param: 'cursor' }
  ]
  for (const c of cases) {
    const res = await app.inject({ url: `/api/v1/files?${c.query}`, headers: AS.dept77 })
    t.equal(res.statusCode, 400, c.query)
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_HTTP_BAD_REQUEST', `${c.query}: code`)
    t.match(res.json<{ message: string }>().message, c.param, `${c.query}: names ${c.param}`)
  }
  t.equal((await app.inject({ url: '/api/v1/files?limit=1000', headers: AS.dept77 })).statusCode, 200, '1000 is allowed')
  t.equal((await app.inject({ url: '/api/v1/files?kind=PECGM' })).statusCode, 401, 'credentials first')
})

t.test('a département lists only its own files, whatever kind, since or cursor it sends', async (t) => {
  const app = await appWithUploads(t)
  const own93 = [monthlyName('93'), ...CGPEM_ORDER]
  t.same((await walk(app, 'limit=3', AS.dept93)).flat(), own93, 'the same names, its own files')
  const of77 = await list(app, '?limit=2')
  t.same((await list(app, `?cursor=${of77.next ?? ''}`, AS.dept93)).files.map((f) => f.name), own93.slice(2), 'another\'s cursor is only a position in its own list')
  const theirs = (await list(app, '', AS.dept93)).files
  for (const f of (await list(app, '?since=2000-01-01T00:00:00Z')).files) t.notOk(f.name === monthlyName('93'), `77 never sees ${f.name} of 93`)
  const forged = Buffer.from(`${Date.parse(theirs[0]?.createdAt ?? '')}.${monthlyName('93')}`).toString('base64url')
  t.same((await list(app, `?cursor=${forged}`)).files.map((f) => f.name), CGPEM_ORDER, 'a cursor naming the other\'s file tells nothing of it')
})

t.test('a page costs its own rows: the queries search their index, and a walk over more files than a page reads them all once', async (t) => {
  const app = await testApp(t)
  const plan = (sql: string, ...args: unknown[]): string => (app.storage.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args) as { detail: string }[]).map((r) => r.detail).join(' | ')
  t.match(plan(LIST_PAGE_SQL.all, '77', T0, 'x', 10), /^SEARCH files USING INDEX files_by_time \(departement=\? AND \(created_at,name\)>\(\?,\?\)\)$/, 'all kinds: a range of files_by_time, no sort')
  t.match(plan(LIST_PAGE_SQL.ofKind, '77', 'CGPEM', T0, 'x', 10), /^SEARCH files USING INDEX files_by_kind_time \(departement=\? AND kind=\? AND \(created_at,name\)>\(\?,\?\)\)$/, 'one kind: a range of files_by_kind_time, no sort')

  const many = 2500
  const insert = app.storage.db.transaction(() => {
    for (let i = 0; i < many; i++) app.storage.files.insert(row(`r${String(i).padStart(5, '0')}.xml`, T0 + MINUTE + i))
  })
  insert()
  const first = await list(app, '')
  t.equal(first.files.length, 1000, 'without parameters: 1000 files a page')
  t.not(first.next, null, 'and next when more follow')
  const pages = await walk(app, 'limit=1000')
  t.same(pages.map((p) => p.length), [1000, 1000, 501], 'every file, a page at a time')
  t.equal(new Set(pages.flat()).size, many + 1, 'each once')
  t.same(pages.flat().slice(-2), ['r02498.xml', 'r02499.xml'], 'in order')
})

/** A file row as an upload leaves it (its bytes are not needed to list it). */
function row (name: string, createdAt: number): StoredFile {
  return { departement: '77', name, kind: 'CGPEM', periodicity: null, referenceDay: null, format: 'xml', size: 10, sha256: '0'.repeat(64), createdAt, status: 'accepted', reportId: null, answer: false }
}
