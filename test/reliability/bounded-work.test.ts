import t from 'tap'
import type { FastifyInstance } from 'fastify'
import type Database from 'better-sqlite3'
import { cli } from '../cli/helpers.js'
import { AS, listenOnLoopback, raw, T0, testApp } from '../server/helpers.js'

/**
 * What a request costs is bounded by what it asks, never by what the server
 * has seen: the qualification's routes and an upload read the same rows
 * after hundreds of uploads and thousands of requests as after a few, and
 * none of them reads the audit trail. Counted, not timed: every row the
 * database hands back during the request, by table.
 */

interface Reads { rows: number, byTable: Record<string, number> }

/** Counts the rows every prepared statement of the database hands back, while on. */
class RowMeter {
  private on = false
  private reads: Reads = { rows: 0, byTable: {} }

  constructor (db: Database.Database) {
    const proto = Object.getPrototypeOf(db.prepare('SELECT 1')) as Record<string, (...args: unknown[]) => unknown>
    const meter = this as RowMeter
    for (const method of ['get', 'all', 'iterate'] as const) {
      const original = proto[method] as (...args: unknown[]) => unknown
      proto[method] = function (this: Database.Statement, ...args: unknown[]) {
        const result = original.apply(this, args)
        if (!meter.on) return result
        if (method === 'iterate') return meter.countEach(this.source, result as Iterable<unknown>)
        meter.count(this.source, method === 'all' ? (result as unknown[]).length : result === undefined ? 0 : 1)
        return result
      }
    }
  }

  private count (source: string, n: number): void {
    this.reads.rows += n
    for (const table of source.match(/\b(?:FROM|JOIN)\s+([a-z_]+)/gi) ?? []) {
      const name = table.split(/\s+/)[1] as string
      this.reads.byTable[name] = (this.reads.byTable[name] ?? 0) + n
    }
  }

  private * countEach (source: string, rows: Iterable<unknown>): Generator<unknown> {
    for (const r of rows) {
      this.count(source, 1)
      yield r
    }
  }

  async measure (work: () => Promise<unknown>): Promise<Reads> {
    this.reads = { rows: 0, byTable: {} }
    this.on = true
    try {
      await work()
    } finally {
      this.on = false
    }
    return this.reads
  }
}

/** A clock that moves one second at each reading. */
function ticking (): () => number {
  let at = T0
  return () => (at += 1000)
}

async function listening (app: FastifyInstance): Promise<string> {
  return (await listenOnLoopback(app)).url
}

t.test('the qualification\'s routes and an upload read as many rows after hundreds of uploads and thousands of requests as after a few, and never the trail', async (t) => {
  // credentials remembered all along: a check of the password now and then is not what is measured
  const app = await testApp(t, { now: ticking(), auth: { cacheTtlMs: 30 * 86_400_000 } })
  const url = await listening(app)
  const run = await cli('qualify', '--url', url, '--user', 'dept77', '--password', 'demo-77')
  t.equal(run.code, 0, run.stdout.toString())
  const meter = new RowMeter(app.storage.db)
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { name: string, kind: string }[] }>().files
  const second = files.filter((f) => f.kind === 'CGPEM').map((f) => f.name).sort().at(-1) as string
  const cgpem = (await app.inject({ url: `/api/v1/files/${second}`, headers: AS.dept77 })).rawPayload
  let n = 0
  // the upload, then what the server does for it once it has answered (the qualification's record, the answer PECGM): counted with it
  const upload = async (body: Buffer = cgpem): Promise<number> => {
    const { statusCode } = await app.inject({ method: 'POST', url: `/api/v1/files?name=encore-${++n}.xml`, headers: { ...AS.dept77, ...raw() }, payload: body })
    await app.departementWork.whenDone('77')
    return statusCode
  }

  const requests: [string, () => Promise<unknown>][] = [
    ['GET /qualification', async () => await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })],
    ['GET /qualification/bilan', async () => await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })],
    ['GET /qualification/bilan (HTML)', async () => await app.inject({ url: '/api/v1/qualification/bilan', headers: { ...AS.dept77, accept: 'text/html' } })],
    ['GET /qualification/iterations', async () => await app.inject({ url: '/api/v1/qualification/iterations?limit=5', headers: AS.dept77 })],
    ['GET /qualification/sample', async () => await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })],
    ['POST /qualification/approval', async () => await app.inject({ method: 'POST', url: '/api/v1/qualification/approval', headers: AS.dept77 })],
    ['an accepted upload, answered', async () => t.equal(await upload(), 201)],
    ['a refused upload', async () => t.equal(await upload(Buffer.from('<CGPEM>')), 422)]
  ]
  const measureAll = async (): Promise<Map<string, Reads>> => {
    const out = new Map<string, Reads>()
    for (const [name, work] of requests) out.set(name, await meter.measure(work))
    return out
  }

  // past the twenty answers kept and the five refused uploads the evidence names, so that both measures do the same
  for (let i = 0; i < 25; i++) await upload()
  for (let i = 0; i < 6; i++) await upload(Buffer.from(`<CGPEM>${i}`))
  const few = await measureAll()

  for (let i = 0; i < 80; i++) await upload()
  for (let i = 0; i < 60; i++) await upload(Buffer.from(`<CGPEM>${i}`))
  for (let i = 0; i < 2000; i++) await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  for (let i = 0; i < 100; i++) await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })
  app.auditTrail.flush()
  const trailRows = app.storage.db.prepare<[], number>('SELECT count(*) FROM audit').pluck().get() ?? 0
  t.ok(trailRows > 2000, `the trail holds ${trailRows} entries`)
  const many = await measureAll()

  for (const [name] of requests) {
    const a = few.get(name) as Reads
    const b = many.get(name) as Reads
    t.same(b.byTable, a.byTable, `${name}: the same rows (${b.rows}) after 140 more uploads and 2,100 requests`)
    if (name.includes('qualification')) t.equal(b.byTable.audit ?? 0, 0, `${name}: nothing from the trail`)
  }
  t.match((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json(), { verdict: 'positif' }, 'and the verdict is the same')
})

t.test('the iterations are read a page at a time, whatever their number', async (t) => {
  const app = await testApp(t, { now: ticking() })
  const meter = new RowMeter(app.storage.db)
  const start = async (): Promise<void> => { await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept93 }) }
  const page = async (): Promise<Reads> => await meter.measure(async () => await app.inject({ url: '/api/v1/qualification/iterations?limit=5', headers: AS.dept93 }))
  for (let i = 0; i < 6; i++) await start()
  const few = await page()
  for (let i = 0; i < 60; i++) await start()
  const many = await page()
  t.same(many.byTable, few.byTable, `${many.rows} rows either way`)
  t.equal((await app.inject({ url: '/api/v1/qualification/iterations?limit=5', headers: AS.dept93 })).json<{ iterations: unknown[] }>().iterations.length, 5)
})
