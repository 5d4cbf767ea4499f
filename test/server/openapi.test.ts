import t from 'tap'
import { execFile } from 'node:child_process'
import { writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { promisify } from 'node:util'
import { AS, diskFull, raw, testApp } from './helpers.js'

interface Parameter { name: string, in: string, required?: boolean, schema?: { default?: unknown } }
interface Operation {
  operationId?: string
  tags?: string[]
  security?: unknown[]
  responses: Record<string, { description: string, content?: Record<string, unknown> }>
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { format?: string }> } }> }
  parameters?: Parameter[]
}
interface Description {
  openapi: string
  servers?: { url: string }[]
  security?: unknown[]
  tags?: { name: string }[]
  paths: Record<string, Record<string, Operation>>
  components: { securitySchemes: Record<string, unknown> }
}

function operations (doc: Description): { path: string, method: string, op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ path, method, op })))
}

t.test('GET /docs/json is the OpenAPI 3.1 description built from the route schemas', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ url: '/docs/json' })
  t.equal(res.statusCode, 200, 'without credentials')
  const doc = res.json<Description>()
  t.equal(doc.openapi, '3.1.0')
  t.same(doc.servers?.map((s) => s.url), ['/'], 'one server: this one, paths relative to it')
  t.match(doc.components.securitySchemes, { basic: { type: 'http', scheme: 'basic' } })
  const routes = [
    { path: '/livez', method: 'get', id: 'checkLiveness', statuses: ['200'], open: true },
    { path: '/readyz', method: 'get', id: 'checkReadiness', statuses: ['200', '503'], open: true },
    { path: '/api/v1/files', method: 'get', id: 'listFiles', statuses: ['200', '400', '401', '403', '429'], open: false },
    { path: '/api/v1/files', method: 'post', id: 'uploadFile', statuses: ['201', '400', '401', '403', '409', '413', '415', '422', '429', '503', '507'], open: false },
    { path: '/api/v1/files/{name}', method: 'get', id: 'downloadFile', statuses: ['200', '304', '400', '401', '403', '404', '410', '412', '429'], open: false },
    { path: '/api/v1/files/{name}', method: 'delete', id: 'deleteFile', statuses: ['204', '400', '401', '403', '404', '412', '429'], open: false },
    { path: '/api/v1/reports/{id}', method: 'get', id: 'getReport', statuses: ['200', '400', '401', '403', '404', '429'], open: false },
    { path: '/api/v1/qualification', method: 'get', id: 'getQualification', statuses: ['200', '401', '403', '404', '429'], open: false },
    { path: '/api/v1/qualification/start', method: 'post', id: 'startQualification', statuses: ['201', '401', '403', '404', '409', '429'], open: false },
    { path: '/api/v1/admin/departements', method: 'get', statuses: ['200', '401', '404', '429'], open: false },
    { path: '/api/v1/admin/departements', method: 'post', statuses: ['201', '400', '401', '403', '404', '409', '413', '415', '429'], open: false },
    { path: '/api/v1/admin/audit', method: 'get', statuses: ['200', '400', '401', '404', '429'], open: false },
    { path: '/api/v1/admin/purge', method: 'post', statuses: ['200', '401', '403', '404', '429'], open: false }
  ]
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method]
    const name = `${r.method.toUpperCase()} ${r.path}`
    t.ok(op, `${name} is described`)
    if (!op) continue
    if (r.id !== undefined) t.equal(op.operationId, r.id, `${name}: operationId`)
    t.same(Object.keys(op.responses).sort(), r.statuses, `${name}: one response per status`)
    t.same(op.security, r.open ? [] : [{ basic: [] }], `${name}: ${r.open ? 'public' : 'HTTP Basic'}`)
  }
  t.same(doc.security, [{ basic: [] }], 'HTTP Basic unless an operation says otherwise')

  const all = operations(doc)
  t.same(all.filter((o) => o.op.operationId === undefined).map((o) => `${o.method} ${o.path}`), [], 'every operation has an operationId')
  const ids = all.map((o) => o.op.operationId)
  t.equal(new Set(ids).size, ids.length, 'operationIds are unique')
  t.same(ids.filter((id) => id !== undefined && !/^[a-z]+(?:[A-Z][a-z0-9]*)+$/.test(id)), [], 'operationIds are camelCase verbs and their object')
  const declared = new Set(doc.tags?.map((tag) => tag.name))
  t.same([...new Set(all.flatMap((o) => o.op.tags ?? []))].filter((tag) => !declared.has(tag)), [], 'every tag used is declared')
  t.same(Object.keys(doc.paths).filter((p) => p.endsWith('/') || p.startsWith('/docs') || p.startsWith('/assets')), [], 'no trailing slash; neither the browser\'s assets nor the pages\' are described')
  t.same(all.flatMap((o) => (o.op.parameters ?? []).filter((p) => p.required === true && p.in !== 'path').map((p) => `${o.op.operationId ?? o.path} ${p.name}`)), [], 'no query or header parameter is required (limit and the others have a default or none)')
  t.same(all.flatMap((o) => Object.entries(o.op.responses).filter(([, r]) => r.description === 'Default Response').map(([s]) => `${o.op.operationId ?? o.path} ${s}`)), [], 'every response says what it is')

  const media = (path: string, method: string, status: string): string[] => Object.keys(doc.paths[path]?.[method]?.responses[status]?.content ?? {}).sort()
  t.same(media('/api/v1/files/{name}', 'get', '200'), ['application/octet-stream', 'application/xml', 'text/plain'], 'a file: its bytes, in the media type it is sent with')
  t.same(media('/api/v1/qualification/bilan', 'get', '200'), ['application/json', 'application/pdf', 'text/html'], 'the bilan: JSON, HTML or PDF')
  t.same(media('/api/v1/qualification/sample', 'get', '200'), ['application/json', 'text/csv'], 'the sample: JSON or CSV')
  t.same(media('/api/v1/files', 'get', '401'), ['application/json'], 'errors: JSON')
  t.same(Object.keys(doc.paths['/api/v1/files/{name}']?.get?.responses['304'] ?? {}), ['description'], '304 has no body')

  const upload = doc.paths['/api/v1/files']?.post
  t.equal(upload?.requestBody?.content['multipart/form-data']?.schema.properties?.file?.format, 'binary', 'the upload as a file part')
  t.ok(upload?.requestBody?.content['application/octet-stream'], 'or raw bytes')
  t.ok(upload?.parameters?.some((p) => p.name === 'name' && p.in === 'query'))
  t.same(doc.paths['/api/v1/files']?.get?.parameters?.map((p) => p.name), ['kind', 'since', 'limit', 'cursor'], 'the list\'s parameters')
})

t.test('an operation whose parameters or body its schema checks declares the 400 that refuses them', async (t) => {
  const app = await testApp(t)
  const doc = (await app.inject({ url: '/docs/json' })).json<Description>()
  const checked = operations(doc).filter((o) => o.op.requestBody !== undefined || (o.op.parameters ?? []).some((p) => p.in !== 'header'))
  t.same(checked.filter((o) => o.op.responses['400'] === undefined).map((o) => o.op.operationId), [], 'every one says 400')
  // for instance: a seal that is not 64 hexadecimal digits, a report id past its length, a département code past 3 characters
  for (const [method, url, headers] of [
    ['POST', '/api/v1/qualification/approval?seal=abc', AS.dept77],
    ['GET', `/api/v1/reports/${'a'.repeat(101)}`, AS.dept77],
    ['POST', '/api/v1/admin/qualifications/1234/restart', AS.admin],
    ['POST', '/api/v1/admin/qualifications/77/approval?seal=abc', AS.admin]
  ] as const) {
    const res = await app.inject({ method, url, headers })
    t.equal(res.statusCode, 400, `${method} ${url.slice(0, 60)}`)
    t.equal(res.json().code, 'PHEBUS_HTTP_BAD_REQUEST')
  }
})

t.test('the admin operations that deposit a PECGM declare the 507 of a full disk and the 503 of a stop, as they answer', async (t) => {
  const app = await testApp(t)
  const doc = (await app.inject({ url: '/docs/json' })).json<Description>()
  for (const [path, method] of [['/api/v1/admin/clock', 'post'], ['/api/v1/admin/deposits', 'post'], ['/api/v1/admin/repairs', 'post'], ['/api/v1/admin/faults', 'post']] as const) {
    const statuses = Object.keys(doc.paths[path]?.[method]?.responses ?? {})
    t.ok(statuses.includes('507') && statuses.includes('503'), `${method.toUpperCase()} ${path}: 503 and 507 in ${statuses.join(', ')}`)
  }
  // a deposit asked now, then the correct version of a damaged one, on a full disk
  diskFull(app, true)
  const deposit = await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'M' } })
  t.equal(deposit.statusCode, 507, deposit.body)
  t.equal(deposit.json().code, 'PHEBUS_STORAGE_FULL')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/faults', headers: AS.admin, payload: { code: 'footer-count', departement: '77' } })).statusCode, 201)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'M' } })).statusCode, 201, 'a damaged deposit')
  diskFull(app, true)
  const repair = await app.inject({ method: 'POST', url: '/api/v1/admin/repairs', headers: AS.admin, payload: { departement: '77' } })
  t.equal(repair.statusCode, 507, repair.body)
})

t.test('an operation that changes something declares the 403 of a request from another site; one with a body, the 413 and 415 of a body it does not take', async (t) => {
  const app = await testApp(t)
  const doc = (await app.inject({ url: '/docs/json' })).json<Description>()
  const all = operations(doc)
  t.same(all.filter((o) => o.method !== 'get' && o.op.responses['403'] === undefined).map((o) => o.op.operationId), [], '403 wherever an Origin of another site is refused')
  t.same(all.filter((o) => o.op.requestBody !== undefined && (o.op.responses['413'] === undefined || o.op.responses['415'] === undefined)).map((o) => o.op.operationId), [], '413 and 415 wherever a body is read')
  const admin = { ...AS.admin, 'content-type': 'application/json' }
  const answers = [
    await app.inject({ method: 'POST', url: '/api/v1/admin/purge', headers: { ...AS.admin, origin: 'https://ailleurs.example' } }),
    await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: { ...AS.admin, 'content-type': 'text/plain' }, payload: 'advance=+1d' }),
    await app.inject({ method: 'POST', url: '/api/v1/admin/departements', headers: admin, payload: JSON.stringify({ code: '13', name: 'x'.repeat(2 << 20) }) }),
    await app.inject({ method: 'POST', url: '/api/v1/files?name=cgpem.xml', headers: { ...AS.dept77, ...raw(), 'content-encoding': 'gzip' }, payload: 'x' })
  ]
  t.same(answers.map((a) => a.statusCode), [403, 415, 413, 415])
})

t.test('the paths are described without their trailing slash, and both forms still answer', async (t) => {
  const app = await testApp(t)
  const headers = { authorization: `Basic ${Buffer.from('dept77:demo-77').toString('base64')}` }
  for (const url of ['/api/v1/files', '/api/v1/files/', '/api/v1/qualification', '/api/v1/qualification/']) {
    t.equal((await app.inject({ url, headers })).statusCode, 200, url)
  }
})

t.test('@redocly/cli lint (its recommended rules) finds no error in the description', async (t) => {
  const app = await testApp(t)
  const dir = t.testdir()
  const file = join(dir, 'openapi.json')
  writeFileSync(file, (await app.inject({ url: '/docs/json' })).body)
  // the package's own script, run by this node: nothing but npm needed, no network (telemetry and update check off)
  const pkg = createRequire(import.meta.url).resolve('@redocly/cli/package.json')
  const cli = join(dirname(pkg), (createRequire(import.meta.url)('@redocly/cli/package.json') as { bin: { redocly: string } }).bin.redocly)
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true', NO_COLOR: '1' }
  // it exits 1 when it finds an error: its report is read either way
  const run = await promisify(execFile)(process.execPath, [cli, 'lint', '--extends=recommended', '--format=json', file], { cwd: dir, env, maxBuffer: 16 << 20 })
    .catch((err: { stdout?: string, stderr?: string }) => ({ stdout: err.stdout ?? '', stderr: err.stderr ?? '' }))
  let report: { totals: { errors: number, warnings: number }, problems: { severity: string, ruleId: string, location: { pointer: string }[] }[] }
  try {
    report = JSON.parse(run.stdout) as typeof report
  } catch {
    t.fail(`redocly gave no report: ${run.stderr.slice(-2000)}`)
    return
  }
  const problems = (severity: string): string[] => report.problems.filter((p) => p.severity === severity).map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}`)
  t.same(problems('error'), [], 'no error')
  t.equal(report.totals.errors, 0)
  // kept: the probes answer no 4xx (a probe has no parameter and needs no credentials); declaring one would be false
  t.same(problems('warn').sort(), [
    'operation-4xx-response #/paths/~1livez/get/responses',
    'operation-4xx-response #/paths/~1readyz/get/responses'
  ], 'only the warnings docs/serveur.md explains')
})

t.test('/docs is the API browser: public, its assets undescribed, under the app\'s Content-Security-Policy plus data: images', async (t) => {
  const app = await testApp(t)
  const page = await app.inject({ url: '/docs', headers: { accept: 'text/html' } })
  t.equal(page.statusCode, 200, 'without credentials')
  t.match(page.headers['content-type'], /^text\/html/)
  t.match(page.body, /swagger-ui-bundle\.js/)
  const csp = String(page.headers['content-security-policy'])
  t.match(csp, /(^|;)script-src 'self'(;|$)/, 'no inline script, no other origin')
  t.match(csp, /(^|;)style-src 'self'(;|$)/, 'no inline style')
  t.match(csp, /(^|;)img-src 'self' data:(;|$)/, 'the images of its stylesheet')
  for (const asset of ['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-ui.css', '/docs/static/swagger-initializer.js', '/docs/yaml']) {
    t.equal((await app.inject({ url: asset })).statusCode, 200, `${asset} without credentials`)
  }
  const login = await app.inject({ url: '/', headers: { accept: 'text/html' } })
  t.match(String(login.headers['content-security-policy']), /(^|;)img-src 'self'(;|$)/, 'the app\'s own pages keep their policy')
})
