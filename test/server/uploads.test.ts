import t from 'tap'
import { createHash } from 'node:crypto'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { todayDay } from '../../src/layouts/dates.js'
import { validateBuffer } from '../../src/validate/stream.js'
import { AS, listenOnLoopback, multipart, raw, T0, testApp, validCgpem } from './helpers.js'

interface UploadBody {
  file: { name: string, kind: string, size: number, sha256: string, status: string, reportId: string }
  report: { id: string, valid: boolean, findings: { code: string, line?: number }[], stats: { records: number } }
}

t.test('a valid CGPEM is accepted (201) in either form, kept, listed, and its report kept', async (t) => {
  const app = await testApp(t)
  const body = await validCgpem('77', 30)
  const cases = [
    { name: 'multipart', file: 'cgpem-77.xml', request: () => ({ ...multipart('cgpem-77.xml', body), url: '/api/v1/files' }) },
    { name: 'raw bytes with ?name=', file: 'cgpem-77-raw.xml', request: () => ({ payload: body, headers: raw(), url: '/api/v1/files?name=cgpem-77-raw.xml' }) }
  ]
  for (const c of cases) {
    const r = c.request()
    const res = await app.inject({ method: 'POST', url: r.url, headers: { ...AS.dept77, ...r.headers }, payload: r.payload })
    t.equal(res.statusCode, 201, c.name)
    const b = res.json<UploadBody>()
    t.match(b.file, { name: c.file, kind: 'CGPEM', size: body.length, status: 'accepted', reportId: b.report.id }, c.name)
    t.equal(b.report.valid, true)
    t.equal(b.report.stats.records, 30)
    t.same(readFileSync(join(app.storage.dataDir, 'files', '77', c.file)), body, `${c.name}: the bytes as sent`)

    const report = await app.inject({ url: `/api/v1/reports/${b.report.id}`, headers: AS.dept77 })
    t.equal(report.statusCode, 200)
    t.same(report.json(), b.report, `${c.name}: the report can be read again`)
  }
  const list = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { name: string, status?: string }[] }>()
  t.same(list.files.filter((f) => f.status !== undefined).map((f) => [f.name, f.status]).sort(), [['cgpem-77-raw.xml', 'accepted'], ['cgpem-77.xml', 'accepted']])
})

t.test('a broken CGPEM is rejected (422) with its findings, kept with its report, as the validator alone would report it', async (t) => {
  const app = await testApp(t)
  const good = (await validCgpem('77', 10)).toString('latin1')
  const broken = Buffer.from(good.replace(/<NATURE_ACCOMPAGNEMENT>0[1-6]</, '<NATURE_ACCOMPAGNEMENT>99<'), 'latin1')
  const res = await app.inject({ method: 'POST', url: '/api/v1/files?name=broken.xml', headers: { ...AS.dept77, ...raw() }, payload: broken })
  t.equal(res.statusCode, 422)
  const b = res.json<UploadBody>()
  t.equal(b.file.status, 'rejected')
  t.equal(b.report.valid, false)
  t.ok(b.report.findings.some((f) => f.line !== undefined), 'findings carry positions')
  const direct = validateBuffer(broken, { today: todayDay(T0) })
  t.same(b.report.findings, JSON.parse(JSON.stringify(direct.findings)), 'validated as it streamed in: same findings as the validator alone')
  const again = await app.inject({ url: `/api/v1/reports/${b.report.id}`, headers: AS.dept77 })
  t.equal(again.statusCode, 200)
  t.equal(again.json<{ valid: boolean }>().valid, false)
  const list = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: { name: string, status?: string }[] }>()
  t.ok(list.files.some((f) => f.name === 'broken.xml' && f.status === 'rejected'), 'the rejected file is listed')
})

t.test('an upload sent in many small chunks, or in chunks coming faster than the validator takes them (several MiB waiting), is kept whole with the SHA-256 of its bytes and the report of the whole file', async (t) => {
  const app = await testApp(t)
  const { Readable } = await import('node:stream')
  // 7 bytes at a time; then about 4 MiB in 16 kB chunks all ready at once: the request pauses at a MiB waiting and resumes as it is taken
  for (const c of [{ name: 'drip.xml', records: 12, piece: 7 }, { name: 'flood.xml', records: 6000, piece: 16384 }]) {
    const body = await validCgpem('77', c.records)
    const pieces = Array.from({ length: Math.ceil(body.length / c.piece) }, (_, i) => body.subarray(i * c.piece, (i + 1) * c.piece))
    const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=${c.name}`, headers: { ...AS.dept77, ...raw() }, payload: Readable.from(pieces) })
    t.equal(res.statusCode, 201, c.name)
    const b = res.json<UploadBody>()
    t.equal(b.report.stats.records, c.records)
    t.equal(b.file.size, body.length)
    t.equal(b.file.sha256, createHash('sha256').update(body).digest('hex'))
    t.same(readFileSync(join(app.storage.dataDir, 'files', '77', c.name)), body, `${c.name}: the bytes as sent`)
  }
})

t.test('names: D9 rule (400), a name already used (409), missing (400)', async (t) => {
  const app = await testApp(t)
  const body = await validCgpem('77', 3)
  const first = await app.inject({ method: 'POST', url: '/api/v1/files?name=same.xml', headers: { ...AS.dept77, ...raw() }, payload: body })
  t.equal(first.statusCode, 201)
  const cases = [
    { name: 'a name already used', url: '/api/v1/files?name=same.xml', status: 409, code: 'PHEBUS_FILE_NAME_TAKEN' },
    { name: 'a name starting with a dot', url: '/api/v1/files?name=.hidden', status: 400, code: 'PHEBUS_FILE_NAME_INVALID' },
    { name: 'a path', url: `/api/v1/files?name=${encodeURIComponent('../../phebus.sqlite')}`, status: 400, code: 'PHEBUS_FILE_NAME_INVALID' },
    { name: 'a space', url: '/api/v1/files?name=a%20b.xml', status: 400, code: 'PHEBUS_FILE_NAME_INVALID' },
    { name: 'an accent', url: `/api/v1/files?name=${encodeURIComponent('décision.xml')}`, status: 400, code: 'PHEBUS_FILE_NAME_INVALID' },
    { name: '101 characters', url: `/api/v1/files?name=${'a'.repeat(101)}`, status: 400, code: 'PHEBUS_FILE_NAME_INVALID' },
    { name: 'no name at all', url: '/api/v1/files', status: 400, code: 'PHEBUS_FILE_NAME_MISSING' }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: c.url, headers: { ...AS.dept77, ...raw() }, payload: body })
    t.equal(res.statusCode, c.status, c.name)
    t.equal(res.json<{ code: string }>().code, c.code, c.name)
  }
  const bad = multipart('../evil.xml', body)
  const res = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...bad.headers }, payload: bad.payload })
  t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_NAME_INVALID', 'multipart: the part\'s own name follows D9 too')
  const wrongField = multipart('ok.xml', body, 'document')
  const res2 = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...wrongField.headers }, payload: wrongField.payload })
  t.equal(res2.json<{ code: string }>().code, 'PHEBUS_FILE_NAME_MISSING', 'multipart: the part must be called file')
  t.same(readdirSync(join(app.storage.dataDir, 'tmp')), [], 'nothing half-written left')
})

t.test('an upload may not take a name beginning with PECGM_, in any case (the names of Pôle emploi\'s deposits): 400, before the body is read, nothing kept', async (t) => {
  const app = await testApp(t)
  const body = await validCgpem('77', 3)
  const names = ['PECGM_77_M_20270101_20270104.txt', 'pecgm_77_m_20261101_20261102.txt', 'Pecgm_notes.xml', 'PECGM_77_M_20261101_20261102.txt']
  for (const name of names) {
    for (const form of ['raw', 'multipart'] as const) {
      const mp = multipart(name, body)
      const res = form === 'raw'
        ? await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, ...raw() }, payload: body })
        : await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...mp.headers }, payload: mp.payload })
      t.equal(res.statusCode, 400, `${name} (${form})`)
      t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_NAME_INVALID', `${name} (${form})`)
      t.match(res.json<{ message: string }>().message, /commence par PECGM_, comme les fichiers que Pôle emploi dépose/, `${name} (${form})`)
    }
  }
  t.same(readdirSync(join(app.storage.dataDir, 'files', '77')), ['PECGM_77_M_20261101_20261102.txt'], 'nothing kept')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=CGPEM_PECGM_77.xml', headers: { ...AS.dept77, ...raw() }, payload: body })).statusCode, 201, 'PECGM further in a name is no deposit\'s')
})

t.test('names are unique per département ignoring case: an exact duplicate, a case variant, or a name being written gets 409 naming the file it collides with', async (t) => {
  const app = await testApp(t)
  const body = await validCgpem('77', 3)
  const post = async (name: string, payload: Buffer | NodeJS.ReadableStream = body): Promise<{ statusCode: number, json: <T>() => T }> =>
    await app.inject({ method: 'POST', url: `/api/v1/files?name=${name}`, headers: { ...AS.dept77, ...raw() }, payload })
  t.equal((await post('Decision-77.xml')).statusCode, 201)
  const cases = [
    { name: 'an exact duplicate', upload: 'Decision-77.xml', message: /^Le fichier Decision-77\.xml existe déjà pour ce département/ },
    { name: 'a case variant', upload: 'decision-77.XML', message: /^Le nom decision-77\.XML est déjà pris : le fichier Decision-77\.xml existe déjà pour ce département, et les deux noms ne diffèrent que par les majuscules et minuscules/ }
  ]
  for (const c of cases) {
    const res = await post(c.upload)
    t.equal(res.statusCode, 409, c.name)
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_NAME_TAKEN', c.name)
    t.match(res.json<{ message: string }>().message, c.message, c.name)
  }
  t.equal((await post('decision-77.xml.bak')).statusCode, 201, 'a longer name is another name')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=decision-77.xml', headers: { ...AS.dept93, ...raw() }, payload: await validCgpem('93', 3) })).statusCode, 201, 'another département\'s names are its own')

  // a name being written: its upload holds it until it is answered
  const { PassThrough } = await import('node:stream')
  const slow = new PassThrough()
  const first = post('En-Cours.xml', slow)
  // its name is claimed before it enters the uploads at once
  for (let waited = 0; app.uploads.active === 0 && waited < 5000; waited += 10) await new Promise((resolve) => setTimeout(resolve, 10))
  const during = await post('EN-COURS.xml').finally(() => slow.end(body))
  t.equal(during.statusCode, 409, 'a case variant of a name being written')
  t.match(during.json<{ message: string }>().message, /le fichier En-Cours\.xml est en cours d'envoi pour ce département/)
  t.equal((await first).statusCode, 201, 'the first upload is kept')
  t.same(readdirSync(join(app.storage.dataDir, 'files', '77')).sort(), ['Decision-77.xml', 'En-Cours.xml', 'PECGM_77_M_20261101_20261102.txt', 'decision-77.xml.bak'], 'one file for each name, none overwritten')
  t.same(readFileSync(join(app.storage.dataDir, 'files', '77', 'Decision-77.xml')), body)
})

t.test('a compressed upload (Content-Encoding other than identity) is refused, 415 in French, raw or multipart, before its body is read (no 100 Continue), and nothing is kept', async (t) => {
  const app = await testApp(t)
  const { gzipSync } = await import('node:zlib')
  const body = await validCgpem('77', 3)
  const packed = gzipSync(body)
  const mp = multipart('multi.xml', packed)
  const cases = [
    { name: 'raw, gzip', encoding: 'gzip', url: '/api/v1/files?name=brut.xml', headers: raw(), payload: packed },
    { name: 'multipart, gzip', encoding: 'gzip', url: '/api/v1/files', headers: mp.headers, payload: mp.payload },
    { name: 'raw, br', encoding: 'br', url: '/api/v1/files?name=brut.xml', headers: raw(), payload: packed },
    { name: 'raw, identity then gzip', encoding: 'identity, gzip', url: '/api/v1/files?name=brut.xml', headers: raw(), payload: packed }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: c.url, headers: { ...AS.dept77, ...c.headers, 'content-encoding': c.encoding }, payload: c.payload })
    t.equal(res.statusCode, 415, c.name)
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_HTTP_UNSUPPORTED_MEDIA_TYPE', c.name)
    t.equal(res.json<{ message: string }>().message.startsWith(`Content-Encoding ${c.encoding} non pris en charge : envoyez le fichier tel quel`), true, c.name)
  }
  t.same(readdirSync(join(app.storage.dataDir, 'files', '77')), ['PECGM_77_M_20261101_20261102.txt'], 'nothing kept')
  const identity = await app.inject({ method: 'POST', url: '/api/v1/files?name=tel-quel.xml', headers: { ...AS.dept77, ...raw(), 'content-encoding': 'Identity' }, payload: body })
  t.equal(identity.statusCode, 201, 'identity is the bytes as they are')

  // with Expect: 100-continue, the refusal comes instead of the 100: the client sends nothing of its file
  const { port } = await listenOnLoopback(app)
  const { connect } = await import('node:net')
  for (const form of ['raw', 'multipart'] as const) {
    const socket = connect(port, '127.0.0.1')
    t.teardown(() => { socket.destroy() })
    await new Promise<void>((resolve) => socket.once('connect', resolve))
    const type = form === 'raw' ? 'application/octet-stream' : mp.headers['content-type'] ?? ''
    socket.write(`POST /api/v1/files${form === 'raw' ? '?name=attente.xml' : ''} HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\nContent-Type: ${type}\r\nContent-Encoding: gzip\r\nContent-Length: ${packed.length}\r\nExpect: 100-continue\r\n\r\n`)
    let text = ''
    await new Promise<void>((resolve) => {
      socket.on('data', (c: Buffer) => { text += c.toString('utf8'); if (/\r\n\r\n[^]*\}$/.test(text)) resolve() })
      socket.once('close', () => { resolve() })
    })
    t.match(text, /^HTTP\/1\.1 415 /, `${form}: 415 at once`)
    t.notMatch(text, /100 Continue/, `${form}: no 100 Continue`)
    t.match(text, /Content-Encoding gzip non pris en charge : envoyez le fichier tel quel/, form)
  }
})

t.test('too many multipart fields are told as they are, whichever side of the file part they are on, never as fields before it when they came after (nothing kept)', async (t) => {
  const app = await testApp(t)
  const body = await validCgpem('77', 2)
  const boundary = 'frontiere'
  const fields = (n: number, from = 0): string => Array.from({ length: n }, (_, i) => `--${boundary}\r\nContent-Disposition: form-data; name="champ${from + i}"\r\n\r\nvaleur\r\n`).join('')
  const file = (name: string): Buffer => Buffer.concat([Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/xml\r\n\r\n`), body, Buffer.from('\r\n')])
  const post = async (before: number, name: string, after: number): Promise<{ statusCode: number, json: <T>() => T }> => await app.inject({
    method: 'POST',
    url: '/api/v1/files',
    headers: { ...AS.dept77, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([Buffer.from(fields(before)), file(name), Buffer.from(`${fields(after, before)}--${boundary}--\r\n`)])
  })
  const limit = '10 au plus, avant et après la partie « file » ensemble'
  const cases = [
    { name: 'eleven before', before: 11, after: 0, message: `Formulaire multipart/form-data refusé : trop de champs (${limit}) ; le fichier n'est pas gardé.` },
    { name: 'eleven after', before: 0, after: 11, message: `Formulaire multipart/form-data refusé : trop de champs : 0 avant la partie « file » et d'autres après elle, plus qu'il n'en est permis (${limit}) ; le fichier n'est pas gardé.` },
    { name: 'six before and six after', before: 6, after: 6, message: `Formulaire multipart/form-data refusé : trop de champs : 6 avant la partie « file » et d'autres après elle, plus qu'il n'en est permis (${limit}) ; le fichier n'est pas gardé.` }
  ]
  for (const c of cases) {
    const res = await post(c.before, `${c.before}-${c.after}.xml`, c.after)
    t.equal(res.statusCode, 400, c.name)
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_FORM_FIELDS', c.name)
    t.equal(res.json<{ message: string }>().message, c.message, c.name)
    t.notMatch(res.json<{ message: string }>().message, c.before === 0 ? /avant la partie « file » \(/ : /$^/, `${c.name}: not said to be before the file`)
  }
  t.same(readdirSync(join(app.storage.dataDir, 'files', '77')), ['PECGM_77_M_20261101_20261102.txt'], 'nothing kept')
  t.equal((await post(5, 'autour.xml', 5)).statusCode, 201, 'ten fields around the file are ignored')
})

t.test('a text field named file (curl -F \'file=<cgpem.xml\') is told to be a text field, not a file, with the curl option that sends one', async (t) => {
  const app = await testApp(t)
  const body = (await validCgpem('77', 2)).subarray(0, 800).toString('latin1')
  const boundary = 'frontiere'
  const payload = `--${boundary}\r\nContent-Disposition: form-data; name="file"\r\n\r\n${body}\r\n--${boundary}--\r\n`
  const res = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: Buffer.from(payload, 'latin1') })
  t.equal(res.statusCode, 400)
  t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_NAME_MISSING')
  t.equal(res.json<{ message: string }>().message, 'Formulaire multipart/form-data refusé : la partie « file » est un champ texte, pas un fichier (avec curl : -F file=@chemin).')
  const none = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, 'content-type': `multipart/form-data; boundary=${boundary}` }, payload: `--${boundary}\r\nContent-Disposition: form-data; name="autre"\r\n\r\nx\r\n--${boundary}--\r\n` })
  t.equal(none.json<{ message: string }>().message, 'Partie « file » absente du formulaire multipart/form-data.', 'no part named file at all: said so')
})

t.test('a refused name with control characters is shown with each as « ? », as the schema errors show them, never raw in the message', async (t) => {
  const app = await testApp(t)
  const cases = [
    { query: 'x.xml%00', shown: 'x.xml?' },
    { query: 'x.xml%0A', shown: 'x.xml?' },
    { query: 'a%0D%0Ab%09c%7F%C2%85.xml', shown: 'a??b?c??.xml' }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=${c.query}`, headers: { ...AS.dept77, ...raw() }, payload: 'x' })
    t.equal(res.statusCode, 400, c.query)
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_NAME_INVALID', c.query)
    const message = res.json<{ message: string }>().message
    t.ok(message.startsWith(`Nom de fichier refusé : « ${c.shown} » ne suit pas la règle D9`), `${c.query}: ${message}`)
    t.notOk([...message].some((ch) => ch < ' ' || (ch >= '\u007f' && ch <= '\u009f')), `${c.query}: no control character in the message`)
  }
  const mp = multipart('y.xml\u0001', Buffer.from('x'))
  const res = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...mp.headers }, payload: mp.payload })
  t.match(res.json<{ message: string }>().message, /^Nom de fichier refusé : « y\.xml\? »/, 'a multipart file name too')
})

t.test('over the size limit: 413, and nothing left on disk or in the database', async (t) => {
  const app = await testApp(t, { maxUploadBytes: 4096 })
  const big = await validCgpem('77', 20)
  t.ok(big.length > 4096)
  const mp = multipart('big-mp.xml', big)
  const { Readable } = await import('node:stream')
  const cases = [
    { name: 'raw, announced length', url: '/api/v1/files?name=big.xml', headers: raw(), payload: big },
    { name: 'raw, no length (chunked)', url: '/api/v1/files?name=big2.xml', headers: raw(), payload: Readable.from([big.subarray(0, 3000), big.subarray(3000)]) },
    { name: 'multipart', url: '/api/v1/files', headers: mp.headers, payload: mp.payload }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: c.url, headers: { ...AS.dept77, ...c.headers }, payload: c.payload })
    t.equal(res.statusCode, 413, c.name)
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_TOO_LARGE', c.name)
  }
  t.same(readdirSync(join(app.storage.dataDir, 'tmp')), [], 'no temporary file')
  t.same(readdirSync(join(app.storage.dataDir, 'files', '77')), ['PECGM_77_M_20261101_20261102.txt'], 'no file')
  const list = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json<{ files: unknown[] }>()
  t.equal(list.files.length, 1, 'no row')
  const exact = await app.inject({ method: 'POST', url: '/api/v1/files?name=small.xml', headers: { ...AS.dept77, ...raw() }, payload: big.subarray(0, 4096) })
  t.equal(exact.statusCode, 422, 'exactly at the limit is read (and judged)')
})

t.test('the admin has no files of its own: 403 on the département routes', async (t) => {
  const app = await testApp(t)
  for (const [method, url] of [['GET', '/api/v1/files'], ['POST', '/api/v1/files?name=x.xml'], ['GET', '/api/v1/files/x'], ['GET', '/api/v1/reports/x']] as const) {
    const res = await app.inject({ method, url, headers: { ...AS.admin, ...raw() }, payload: method === 'POST' ? 'x' : undefined })
    t.equal(res.statusCode, 403, `${method} ${url}`)
    t.equal(res.json<{ code: string }>().code, 'PHEBUS_AUTH_FORBIDDEN')
  }
})

t.test('a malformed or cut multipart body is a client error, and leaves nothing', async (t) => {
  const app = await testApp(t)
  const body = await validCgpem('77', 5)
  const whole = multipart('cut.xml', body)
  const cases = [
    { name: 'cut before its closing boundary', payload: whole.payload.subarray(0, whole.payload.length - 40), headers: whole.headers },
    { name: 'no boundary in its content type', payload: whole.payload, headers: { 'content-type': 'multipart/form-data' } },
    { name: 'garbage', payload: Buffer.from('not a form at all'), headers: whole.headers }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...c.headers }, payload: c.payload })
    t.ok(res.statusCode >= 400 && res.statusCode < 500, `${c.name}: ${res.statusCode}`)
    t.match(res.json<{ code: string }>().code, /^PHEBUS_(HTTP_BAD_REQUEST|FILE_INCOMPLETE|FILE_NAME_MISSING)$/, c.name)
  }
  t.same(readdirSync(join(app.storage.dataDir, 'tmp')), [], 'no temporary file')
  t.same(readdirSync(join(app.storage.dataDir, 'files', '77')), ['PECGM_77_M_20261101_20261102.txt'], 'no file')
})

t.test('a report goes out as stored, and is the very JSON the route\'s schema would write: accepted, rejected, truncated at 1 000 findings, with a qualification\'s own', async (t) => {
  const app = await testApp(t)
  const { default: fastJsonStringify } = await import('fast-json-stringify')
  const { UploadResultSchema } = await import('../../src/server/schemas/files.js')
  const { ReportSchema } = await import('../../src/server/schemas/reports.js')
  // a body that the schema's serializer leaves as it is has no property the schema lacks, none missing, none of another type
  const bySchema = { upload: fastJsonStringify(UploadResultSchema as object), report: fastJsonStringify(ReportSchema as object) }
  const start = await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  t.equal(start.statusCode, 201, 'a campaign: its findings join the report')
  const good = await validCgpem('77', 1500)
  const everyNatureWrong = Buffer.from((await validCgpem('77', 1200)).toString('latin1').replace(/<NATURE_ACCOMPAGNEMENT>0[1-6]</g, '<NATURE_ACCOMPAGNEMENT>99<'), 'latin1')
  const cases = [
    { name: 'accepted.xml', body: good, status: 201, departement: '77', as: AS.dept77 },
    { name: 'accepted-93.xml', body: await validCgpem('93', 5), status: 201, departement: '93', as: AS.dept93 },
    { name: 'truncated.xml', body: everyNatureWrong, status: 422, departement: '77', as: AS.dept77 }
  ]
  for (const c of cases) {
    const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=${c.name}`, headers: { ...c.as, ...raw() }, payload: c.body })
    t.equal(res.statusCode, c.status, c.name)
    t.match(res.headers['content-type'], /^application\/json; charset=utf-8/)
    const answered = res.json<UploadBody & { report: { truncated: boolean } }>()
    t.same(answered, JSON.parse(bySchema.upload(answered)), `${c.name}: the upload's answer`)
    if (c.name === 'truncated.xml') t.equal(answered.report.truncated, true, 'more findings than listed')
    if (c.name === 'accepted.xml') t.ok(answered.report.findings.some((f) => f.code.startsWith('CGPEM_ORIENTATION')), 'the qualification\'s findings are in it')
    const again = await app.inject({ url: `/api/v1/reports/${answered.report.id}`, headers: c.as })
    t.equal(again.statusCode, 200)
    t.match(again.headers['content-type'], /^application\/json; charset=utf-8/)
    t.same(again.json(), JSON.parse(bySchema.report(again.json())), `${c.name}: the report read again`)
    t.same(again.json(), answered.report, `${c.name}: the same report`)
    t.equal(again.body, JSON.stringify(app.files.report(c.departement, answered.report.id)), `${c.name}: byte for byte the report read and written again`)
  }
})

t.test('a refused name of any length is traced by its first 100 characters (what a D9 name may hold): the trail does not grow by what a client sends', async (t) => {
  const app = await testApp(t)
  const long = `${'x'.repeat(200_000)}.xml`
  const res = await app.inject({ method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, 'content-type': 'multipart/form-data; boundary=b' }, payload: `--b\r\nContent-Disposition: form-data; name="file"; filename="${long}"\r\nContent-Type: application/xml\r\n\r\n<x/>\r\n--b--\r\n` })
  t.equal(res.statusCode, 400)
  t.equal(res.json<{ code: string }>().code, 'PHEBUS_FILE_NAME_INVALID')
  const entries = (await app.inject({ url: '/api/v1/admin/audit?user=dept77', headers: AS.admin })).json<{ entries: { fileName: string | null, status: number }[] }>().entries
  const traced = entries.find((e) => e.status === 400)?.fileName
  t.equal(traced, `${'x'.repeat(100)}…`)
})
