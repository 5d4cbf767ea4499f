import t from 'tap'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AS, Clock, DAY, DEMO, raw, testApp, validCgpem } from './helpers.js'
import { PageClient, textOf } from './pages/client.js'

/** The demo scenario with small quotas: three files or 120 kio for every département, 93 allowed more files. */
function scenarioWithQuotas (dir: string): string {
  const yaml = readFileSync(DEMO, 'utf8')
    .replace('population: 400\n', 'population: 400\n    quotas: { uploadedFiles: 5 }\n')
  const path = join(dir, 'quotas.yaml')
  writeFileSync(path, `${yaml}\nquotas:\n  uploadedFiles: 3\n  uploadedBytes: 120k\n`)
  return path
}

interface Answer { statusCode: number, headers: Record<string, unknown>, json: <T = { code: string, message: string }>() => T }

t.test('past its quota of files a département gets 507, nothing is kept, and deleting one of its uploads makes room', async (t) => {
  const dir = t.testdir()
  const app = await testApp(t, { dataDir: join(dir, 'data'), scenarioPath: scenarioWithQuotas(dir) })
  const body = await validCgpem('77', 3)
  const send = async (name: string, headers = AS.dept77): Promise<Answer> => await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...headers, ...raw() }, payload: body })
  for (const n of [1, 2, 3]) t.equal((await send(`c${n}.xml`)).statusCode, 201, `upload ${n}`)
  const over = await send('c4.xml')
  t.equal(over.statusCode, 507)
  t.equal(over.json().code, 'PHEBUS_FILE_QUOTA')
  t.match(over.json().message, /3 fichiers envoyés gardés au plus.*DELETE \/api\/v1\/files/)
  t.notOk(app.storage.files.find('77', 'c4.xml'), 'no row')
  t.same(readdirSync(join(app.storage.dataDir, 'tmp')), [], 'no temporary file left')
  t.equal((await send('c4.xml', AS.dept93)).statusCode, 201, 'another département has its own quota')

  const deleted = await app.inject({ method: 'DELETE', url: '/api/v1/files/c1.xml', headers: AS.dept77 })
  t.equal(deleted.statusCode, 204)
  t.notOk(readdirSync(join(app.storage.dataDir, 'files', '77')).includes('c1.xml'), 'gone from the disk')
  t.equal((await send('c4.xml')).statusCode, 201, 'room again')

  const stock = app.storage.files.list('77').find((f) => f.kind === 'PECGM')
  const readOnly = await app.inject({ method: 'DELETE', url: `/api/v1/files/${stock?.name ?? ''}`, headers: AS.dept77 })
  t.equal(readOnly.statusCode, 403)
  t.equal(readOnly.json().code, 'PHEBUS_FILE_READ_ONLY')
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/files/c4.xml', headers: AS.dept93, remoteAddress: '10.0.0.9' })).statusCode, 204, 'each deletes its own')
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/files/c4.xml', headers: AS.dept93 })).statusCode, 404, 'and only once')
  t.ok(app.storage.files.find('77', 'c4.xml'), 'the 77 file of the same name is untouched')

  app.auditTrail.flush()
  const traced = app.storage.db.prepare<[], { status: number, file_name: string, sha256: string | null }>("SELECT status, file_name, sha256 FROM audit WHERE method = 'DELETE' ORDER BY id").all()
  t.same(traced.map((e) => [e.status, e.file_name]), [[204, 'c1.xml'], [403, stock?.name], [204, 'c4.xml'], [404, null]], 'each deletion traced with its file')
  t.ok(traced.filter((e) => e.status === 204).every((e) => e.sha256?.length === 64), 'and its SHA-256')
})

t.test('past its quota of bytes an upload is stopped with 507, announced or not, and the server\'s own deposits never count', async (t) => {
  const dir = t.testdir()
  const app = await testApp(t, { dataDir: join(dir, 'data'), scenarioPath: scenarioWithQuotas(dir) })
  const big = await validCgpem('77', 200)
  t.ok(big.length > 120 * 1024, 'a file larger than the quota')
  const announced = await app.inject({ method: 'POST', url: '/api/v1/files?name=big.xml', headers: { ...AS.dept77, ...raw() }, payload: big })
  t.equal(announced.statusCode, 507, 'refused on its Content-Length, before its body')
  const { Readable } = await import('node:stream')
  const streamed = await app.inject({ method: 'POST', url: '/api/v1/files?name=big-streamed.xml', headers: { ...AS.dept77, ...raw(), 'transfer-encoding': 'chunked' }, payload: Readable.from([big.subarray(0, 60_000), big.subarray(60_000)]) })
  t.equal(streamed.statusCode, 507, 'or as its bytes come')
  t.same(readdirSync(join(app.storage.dataDir, 'tmp')), [], 'nothing kept')
  t.same(app.storage.files.usage('77'), { uploadedFiles: 0, uploadedBytes: 0, answers: 0 }, 'the monthly stock is not counted')
})

t.test('a refused CGPEM is kept ten days, an accepted one a month', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  const good = await validCgpem('77', 2)
  await app.inject({ method: 'POST', url: '/api/v1/files?name=bon.xml', headers: { ...AS.dept77, ...raw() }, payload: good })
  await app.inject({ method: 'POST', url: '/api/v1/files?name=casse.xml', headers: { ...AS.dept77, ...raw() }, payload: Buffer.from('<CGPEM>') })
  const expiry = (name: string): string | undefined => app.files.list('77').find((f) => f.name === name)?.expiresAt
  t.equal(expiry('casse.xml'), '2026-12-07T10:00:00.000Z')
  t.equal(expiry('bon.xml'), '2026-12-27T10:00:00.000Z')
  clock.advance(10 * DAY)
  const purged = (await app.inject({ method: 'POST', url: '/api/v1/admin/purge', headers: AS.admin })).json<{ purged: { name: string }[] }>().purged
  t.same(purged.map((p) => p.name).filter((n) => !n.startsWith('PECGM_')), ['casse.xml'], 'of the uploads, the refused one only (November\'s stocks expired on 2 December)')
})

t.test('past its quota, the upload page says to delete from « Mes fichiers », not with a request of the API', async (t) => {
  const dir = t.testdir()
  const app = await testApp(t, { dataDir: join(dir, 'data'), scenarioPath: scenarioWithQuotas(dir) })
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  const body = await validCgpem('77', 3)
  for (const n of [1, 2, 3]) {
    await c.get('/envoi')
    t.equal((await c.upload('/envoi', `c${n}.xml`, body)).statusCode, 303, `upload ${n}`)
  }
  await c.get('/envoi')
  const over = await c.upload('/envoi', 'c4.xml', body)
  t.equal(over.statusCode, 507)
  const text = textOf(over.body)
  t.match(text, /3 fichiers envoyés gardés au plus/, 'the service\'s reason')
  t.notMatch(text, /DELETE|\/api\//, 'no request of the API on a page')
  t.match(text, /« Supprimer », dans « Mes fichiers »/)
  const api = await app.inject({ method: 'POST', url: '/api/v1/files?name=c4.xml', headers: { ...AS.dept77, ...raw() }, payload: body })
  t.match(api.json().message, /DELETE \/api\/v1\/files/, 'the API still names its request')
})
