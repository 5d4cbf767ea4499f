import t from 'tap'
import { testApp } from './helpers.js'

interface Operation {
  security?: unknown[]
  responses: Record<string, unknown>
  requestBody?: { content: Record<string, { schema: { properties?: Record<string, { format?: string }> } }> }
  parameters?: { name: string, in: string }[]
}

t.test('GET /docs serves the OpenAPI description built from the route schemas', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ url: '/docs' })
  t.equal(res.statusCode, 200)
  const doc = res.json<{ openapi: string, paths: Record<string, Record<string, Operation>>, components: { securitySchemes: Record<string, unknown> } }>()
  t.match(doc.openapi, /^3\./)
  t.same(doc.components.securitySchemes, { basic: { type: 'http', scheme: 'basic' } })
  const routes = [
    { path: '/livez', method: 'get', statuses: ['200'], secured: false },
    { path: '/readyz', method: 'get', statuses: ['200', '503'], secured: false },
    { path: '/api/v1/files/', method: 'get', statuses: ['200', '401', '403', '429'], secured: true },
    { path: '/api/v1/files/', method: 'post', statuses: ['201', '400', '401', '403', '409', '413', '422', '429', '503', '507'], secured: true },
    { path: '/api/v1/files/{name}', method: 'get', statuses: ['200', '304', '401', '403', '404', '429'], secured: true },
    { path: '/api/v1/files/{name}', method: 'delete', statuses: ['204', '401', '403', '404', '429'], secured: true },
    { path: '/api/v1/qualification/start', method: 'post', statuses: ['201', '401', '403', '404', '429'], secured: true },
    { path: '/api/v1/reports/{id}', method: 'get', statuses: ['200', '401', '403', '404', '429'], secured: true },
    { path: '/api/v1/admin/departements', method: 'get', statuses: ['200', '401', '404', '429'], secured: true },
    { path: '/api/v1/admin/departements', method: 'post', statuses: ['201', '400', '401', '404', '409', '429'], secured: true },
    { path: '/api/v1/admin/audit', method: 'get', statuses: ['200', '400', '401', '404', '429'], secured: true },
    { path: '/api/v1/admin/purge', method: 'post', statuses: ['200', '401', '404', '429'], secured: true }
  ]
  for (const r of routes) {
    const op = doc.paths[r.path]?.[r.method]
    t.ok(op, `${r.method.toUpperCase()} ${r.path} is described`)
    if (!op) continue
    t.same(Object.keys(op.responses).sort(), r.statuses, `${r.method.toUpperCase()} ${r.path}: one response per status`)
    t.equal(op.security !== undefined, r.secured, `${r.method.toUpperCase()} ${r.path}: authentication`)
  }
  const upload = doc.paths['/api/v1/files/']?.post
  t.equal(upload?.requestBody?.content['multipart/form-data']?.schema.properties?.file?.format, 'binary', 'the upload as a file part')
  t.ok(upload?.requestBody?.content['application/octet-stream'], 'or raw bytes')
  t.ok(upload?.parameters?.some((p) => p.name === 'name' && p.in === 'query'))
  t.notOk(doc.paths['/docs'], '/docs itself is not listed')
})
