import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { createHash } from 'node:crypto'
import { existsSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { connect } from 'node:net'
import { pecgmChunks } from '../../src/generate/pecgm-file.js'
import { dayFromYmd } from '../../src/layouts/dates.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { depositPecgm } from '../../src/server/services/deposits.js'
import { AS, DEMO, monthlyName, raw, testApp, validCgpem } from './helpers.js'
import { PageClient, textOf } from './pages/client.js'

t.test('a PECGM downloads as deposited: the bytes, ETag, Content-Length, ISO-8859-1 text', async (t) => {
  const app = await testApp(t)
  const scenario = await loadScenarioFile(DEMO)
  const expected = Buffer.concat([...pecgmChunks({ scenario, departement: '77', referenceDay: dayFromYmd(2026, 11, 1), fabricationDay: dayFromYmd(2026, 11, 2), periodicity: 'M' })])
  const sha256 = createHash('sha256').update(expected).digest('hex')

  const res = await app.inject({ url: `/api/v1/files/${monthlyName('77')}`, headers: AS.dept77 })
  t.equal(res.statusCode, 200)
  t.same(res.rawPayload, expected, 'the stock of the scenario, byte for byte')
  t.equal(res.headers['content-type'], 'text/plain; charset=ISO-8859-1')
  t.equal(res.headers['content-length'], String(expected.length))
  t.equal(res.headers.etag, `"${sha256}"`)
  t.match(res.headers['content-disposition'], `filename="${monthlyName('77')}"`)

  const listed = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: unknown[] }>().files
  t.same(listed, [{
    name: monthlyName('77'),
    kind: 'PECGM',
    periodicity: 'M',
    size: expected.length,
    sha256,
    createdAt: '2026-11-02T05:00:00.000Z',
    expiresAt: '2026-12-02T05:00:00.000Z',
    role: 'stock'
  }], 'listed with its fields: deposited on the first working day of November, 06:00 in Paris')

  const cases = [
    { name: 'its ETag', value: `"${sha256}"`, status: 304 },
    { name: 'its ETag among others', value: `"abc", W/"${sha256}"`, status: 304 },
    { name: 'another ETag', value: '"abc"', status: 200 }
  ]
  for (const c of cases) {
    const r = await app.inject({ url: `/api/v1/files/${monthlyName('77')}`, headers: { ...AS.dept77, 'if-none-match': c.value } })
    t.equal(r.statusCode, c.status, `If-None-Match with ${c.name}`)
    if (c.status === 304) {
      t.equal(r.rawPayload.length, 0)
      t.equal(r.headers['content-type'], undefined, 'no type of a body it does not have')
      t.notOk(Number(r.headers['content-length'] ?? 0) > 0, 'nor its length')
      t.equal(r.headers.etag, `"${sha256}"`)
    }
    t.equal(r.headers['cache-control'], 'no-store', `If-None-Match with ${c.name}: the same Cache-Control, 304 or 200`)
  }
})

t.test('an uploaded CGPEM downloads back as sent, typed by its form', async (t) => {
  const app = await testApp(t)
  const cases = [
    { name: 'xml.xml', body: await validCgpem('77', 4, 'xml'), type: 'application/xml' },
    { name: 'fixed.txt', body: await validCgpem('77', 4, 'fixed'), type: 'text/plain; charset=ISO-8859-1' }
  ]
  for (const c of cases) {
    const up = await app.inject({ method: 'POST', url: `/api/v1/files?name=${c.name}`, headers: { ...AS.dept77, ...raw() }, payload: c.body })
    t.equal(up.statusCode, 201, c.name)
    const res = await app.inject({ url: `/api/v1/files/${c.name}`, headers: AS.dept77 })
    t.same(res.rawPayload, c.body)
    t.equal(res.headers['content-type'], c.type)
  }
})

t.test('HEAD gives the headers of a download without its bytes', async (t) => {
  const app = await testApp(t)
  const get = await app.inject({ url: `/api/v1/files/${monthlyName('77')}`, headers: AS.dept77 })
  const head = await app.inject({ method: 'HEAD', url: `/api/v1/files/${monthlyName('77')}`, headers: AS.dept77 })
  t.equal(head.statusCode, 200)
  t.equal(head.rawPayload.length, 0)
  t.equal(head.headers['content-length'], get.headers['content-length'])
  t.equal(head.headers.etag, get.headers.etag)
})

t.test('a client that leaves in the middle of a large download does not disturb the server', async (t) => {
  const app = await testApp(t)
  const big = await depositPecgm(app.files, app.scenario, { departement: '77', periodicity: 'M', referenceDay: dayFromYmd(2026, 11, 1), fabricationDay: dayFromYmd(2026, 11, 27), records: 8000 })
  t.ok(big.size > 8 << 20, 'larger than what is in flight at once')
  await app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = app.server.address() as { port: number }
  for (let i = 0; i < 3; i++) {
    await new Promise<void>((resolve) => {
      let seen = 0
      const socket = connect(port, '127.0.0.1', () => socket.write(`GET /api/v1/files/${big.name} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\n\r\n`))
      socket.on('data', (c: Buffer) => {
        seen += c.length
        if (seen > 1 << 20) socket.destroy()
      })
      socket.on('close', () => resolve())
    })
  }
  const whole = await fetch(`http://127.0.0.1:${port}/api/v1/files/${big.name}`, { headers: AS.dept77 })
  const bytes = Buffer.from(await whole.arrayBuffer())
  t.equal(bytes.length, big.size, 'the next download is whole')
  t.equal(createHash('sha256').update(bytes).digest('hex'), big.sha256)
})

t.test('a listed file taken away from the data folder by hand is answered 410 in French and forgotten, as start-up forgets it', async (t) => {
  const app = await testApp(t)
  const name = monthlyName('77')
  const path = app.storage.store.pathOf('77', name)
  rmSync(path)
  const gone = await app.inject({ url: `/api/v1/files/${name}`, headers: AS.dept77 })
  t.equal(gone.statusCode, 410, 'no internal error')
  const body = gone.json<{ code: string, message: string }>()
  t.equal(body.code, 'PHEBUS_FILE_GONE')
  t.match(body.message, `Le fichier ${name} n'est plus sur le serveur`)
  t.notMatch(body.message, path, 'the server\'s folders are not told to the département')
  const listed = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { name: string }[] }>().files
  t.notOk(listed.some((f) => f.name === name), 'no longer listed')
  t.equal((await app.inject({ url: `/api/v1/files/${name}`, headers: AS.dept77 })).statusCode, 404, 'then unknown, as any file never kept')
  app.auditTrail.flush()
  const entries = (await app.inject({ url: '/api/v1/admin/audit?kind=reconcile', headers: AS.admin })).json<{ entries: { fileName: string, detail: string }[] }>().entries
  t.match(entries, [{ fileName: name, detail: /absent du disque .*enregistrement supprimé/ }], 'once in the trail, with why')
})

t.test('a download that comes while its file is being deleted finds nothing (404), and is not taken for a file lost by hand', async (t) => {
  const app = await testApp(t)
  const payload = await validCgpem('77', 2)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=envoi.xml', headers: { ...AS.dept77, ...raw() }, payload })).statusCode, 201)
  const store = app.storage.store
  const setAside = store.setAside.bind(store)
  let release = (): void => {}
  const held = new Promise<void>((resolve) => { release = resolve })
  let aside = (): void => {}
  const movedAside = new Promise<void>((resolve) => { aside = resolve })
  // the deletion held between moving the file aside and deleting its row
  store.setAside = async (departement, name) => {
    const path = await setAside(departement, name)
    aside()
    await held
    return path
  }
  const deletion = app.inject({ method: 'DELETE', url: '/api/v1/files/envoi.xml', headers: AS.dept77 })
  await movedAside
  const meanwhile = await app.inject({ url: '/api/v1/files/envoi.xml', headers: AS.dept77 })
  t.equal(meanwhile.statusCode, 404, 'gone, as the département asked')
  release()
  t.equal((await deletion).statusCode, 204, 'the deletion goes on')
  app.auditTrail.flush()
  const entries = (await app.inject({ url: '/api/v1/admin/audit?kind=reconcile', headers: AS.admin })).json<{ entries: unknown[] }>().entries
  t.same(entries, [], 'no « retiré hors de phebus-mock » in the trail')
  t.same(readdirSync(store.tmpDir), [], 'nothing left aside')
})

t.test('a listed file whose size changed on disk is forgotten and removed, never sent short of its Content-Length', async (t) => {
  const app = await testApp(t)
  const name = monthlyName('93')
  const path = app.storage.store.pathOf('93', name)
  writeFileSync(path, 'tronqué à la main\n')
  const res = await app.inject({ url: `/api/v1/files/${name}`, headers: AS.dept93 })
  t.equal(res.statusCode, 410)
  t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_GONE')
  t.notOk(existsSync(path), 'what was left on disk is removed, as start-up would')
  const page = new PageClient(app)
  await page.login('dept93', 'demo-93')
  const other = monthlyName('77')
  t.equal((await page.get(`/fichiers/${name}`)).statusCode, 404, 'the page then knows it no more')
  rmSync(app.storage.store.pathOf('77', other))
  const p77 = new PageClient(app)
  await p77.login('dept77', 'demo-77')
  const shown = await p77.get(`/fichiers/${other}`)
  t.equal(shown.statusCode, 410)
  t.match(textOf(shown.body), `Fichier disparu du serveur Le fichier ${other} n'est plus sur le serveur`)
})

/** dept77's CGPEM `name`, sent by the API: the app, the status of the sending, the file's address and its entity tag. */
async function sentCgpem (t: Parameters<typeof testApp>[0], name: string): Promise<{ app: FastifyInstance, status: number, url: string, etag: string }> {
  const app = await testApp(t)
  const payload = await validCgpem('77', 3, 'xml')
  const sent = await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, ...raw() }, payload })
  // the tag once sent, so that a refusal shows as its status, asserted by the test
  const etag = sent.statusCode === 201 ? `"${sent.json<{ file: { sha256: string } }>().file.sha256}"` : ''
  return { app, status: sent.statusCode, url: `/api/v1/files/${name}`, etag }
}

t.test('a DELETE whose If-None-Match names the version present (or *) deletes nothing: 412 (RFC 9110 § 13.1.2), another tag goes ahead', async (t) => {
  const { app, status, url, etag } = await sentCgpem(t, 'CGPEM_77_if-none-match.xml')
  t.equal(status, 201)
  for (const ifNoneMatch of ['*', etag, `W/${etag}`, `"autre", ${etag}`]) {
    const res = await app.inject({ method: 'DELETE', url, headers: { ...AS.dept77, 'if-none-match': ifNoneMatch } })
    t.equal(res.statusCode, 412, `DELETE with If-None-Match ${ifNoneMatch}`)
    t.match(res.json(), { code: 'PHEBUS_HTTP_PRECONDITION_FAILED', message: /If-None-Match désigne la version présente de CGPEM_77_if-none-match\.xml/ })
    t.equal((await app.inject({ url, headers: AS.dept77 })).statusCode, 200, 'still there')
  }
  const deleted = await app.inject({ method: 'DELETE', url, headers: { ...AS.dept77, 'if-none-match': '"autre"' } })
  t.equal(deleted.statusCode, 204, 'deleted when it names another version')
})

t.test('If-Match names the version meant: another one is neither sent nor deleted (412, nothing done), its own or * goes ahead', async (t) => {
  const { app, status, url, etag } = await sentCgpem(t, 'CGPEM_77_if-match.xml')
  t.equal(status, 201)
  const cases = [
    { ifMatch: etag, status: 200 },
    { ifMatch: `"autre", ${etag}`, status: 200 },
    { ifMatch: '*', status: 200 },
    { ifMatch: '"autre"', status: 412 },
    { ifMatch: `W/${etag}`, status: 412, why: 'a weak tag matches nothing (strong comparison)' }
  ]
  for (const c of cases) {
    const res = await app.inject({ url, headers: { ...AS.dept77, 'if-match': c.ifMatch } })
    t.equal(res.statusCode, c.status, c.why ?? `GET with If-Match ${c.ifMatch}`)
    if (c.status === 412) t.match(res.json(), { code: 'PHEBUS_HTTP_PRECONDITION_FAILED', message: /If-Match ne désigne pas la version présente de CGPEM_77_if-match\.xml/ })
  }
  const refused = await app.inject({ method: 'DELETE', url, headers: { ...AS.dept77, 'if-match': '"autre"' } })
  t.equal(refused.statusCode, 412)
  t.equal((await app.inject({ url, headers: AS.dept77 })).statusCode, 200, 'still there')
  const deleted = await app.inject({ method: 'DELETE', url, headers: { ...AS.dept77, 'if-match': etag } })
  t.equal(deleted.statusCode, 204, 'deleted when it names the version present')
  const pecgm = await app.inject({ url: `/api/v1/files/${monthlyName('77')}`, headers: { ...AS.dept77, 'if-match': '"autre"' } })
  t.equal(pecgm.statusCode, 412, 'a PECGM alike')
})
