import t from 'tap'
import type { LightMyRequestResponse } from 'fastify'
import { AS, basic, monthlyName, raw, testApp, validCgpem } from './helpers.js'

/** What a caller can learn from an answer: status, headers (but the date and its own request id), body. */
function seen (res: LightMyRequestResponse): { status: number, headers: Record<string, unknown>, body: string } {
  const { date: _date, 'x-request-id': id, ...headers } = res.headers
  return { status: res.statusCode, headers, body: res.body.replace(String(id), '(id)') }
}

t.test('a département never sees, reads or learns of another\'s files and reports; nobody learns anything', async (t) => {
  const app = await testApp(t)
  const sample = { 77: await validCgpem('77', 5), 93: await validCgpem('93', 5) }
  const uploaded: Record<string, { name: string, reportId: string }> = {}
  for (const [dept, who] of [['77', AS.dept77], ['93', AS.dept93]] as const) {
    const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=sent-by-${dept}.xml`, headers: { ...who, ...raw() }, payload: sample[dept] })
    t.equal(res.statusCode, 201)
    uploaded[dept] = { name: `sent-by-${dept}.xml`, reportId: res.json<{ report: { id: string } }>().report.id }
  }
  const identities = [
    { who: 'dept77', own: '77', other: '93', headers: AS.dept77 },
    { who: 'dept93', own: '93', other: '77', headers: AS.dept93 }
  ] as const

  for (const id of identities) {
    const mine = uploaded[id.own] as { name: string, reportId: string }
    const theirs = uploaded[id.other] as { name: string, reportId: string }
    const get = async (url: string): Promise<LightMyRequestResponse> => await app.inject({ url, headers: id.headers })

    const listed = (await get('/api/v1/files')).json<{ files: { name: string }[] }>().files.map((f) => f.name)
    const theirList = (await app.inject({ url: '/api/v1/files', headers: id.own === '77' ? AS.dept93 : AS.dept77 })).json<{ files: { name: string }[] }>().files.map((f) => f.name)
    t.ok(listed.includes(monthlyName(id.own)) && listed.includes(mine.name), `${id.who} lists its PECGM and its upload`)
    t.notOk(listed.includes(theirs.name) || listed.includes(monthlyName(id.other)), `${id.who} lists nothing of the other`)
    for (const name of listed) t.equal((await get(`/api/v1/files/${name}`)).statusCode, 200, `${id.who} reads ${name}`)
    for (const name of theirList.filter((n) => !listed.includes(n))) {
      t.equal((await get(`/api/v1/files/${name}`)).statusCode, 404, `${id.who} cannot read the other's ${name}`)
    }

    t.equal((await get(`/api/v1/files/${monthlyName(id.own)}`)).statusCode, 200, `${id.who} reads its PECGM`)
    t.equal((await get(`/api/v1/reports/${mine.reportId}`)).statusCode, 200, `${id.who} reads its report`)

    const notFound = seen(await get('/api/v1/files/no-such-file.txt'))
    t.equal(notFound.status, 404)
    const probes = [
      `/api/v1/files/${monthlyName(id.other)}`,
      `/api/v1/files/${theirs.name}`,
      `/api/v1/files/${encodeURIComponent(`../${id.other}/${theirs.name}`)}`,
      '/api/v1/files/..%2F..%2Fphebus.sqlite'
    ]
    for (const url of probes) t.same(seen(await get(url)), notFound, `${id.who}: ${url} answers as a file that does not exist`)
    const noReport = seen(await get('/api/v1/reports/00000000-0000-4000-8000-000000000000'))
    t.same(seen(await get(`/api/v1/reports/${theirs.reportId}`)), noReport, `${id.who}: the other's report answers as one that does not exist`)

    const head = await app.inject({ method: 'HEAD', url: `/api/v1/files/${monthlyName(id.other)}`, headers: id.headers })
    t.equal(head.statusCode, 404, `${id.who}: HEAD tells nothing either`)

    const sameName = await app.inject({ method: 'POST', url: `/api/v1/files?name=${theirs.name}`, headers: { ...id.headers, ...raw() }, payload: sample[id.own] })
    t.equal(sameName.statusCode, 201, `${id.who}: a name the other uses is free here (no 409 that would tell)`)

    const noRoute = seen(await get('/api/v1/admin/no-such-route'))
    t.equal(noRoute.status, 404)
    for (const [method, url] of [['GET', '/api/v1/admin/departements'], ['POST', '/api/v1/admin/departements'], ['GET', '/api/v1/admin/audit?departement=77'], ['POST', '/api/v1/admin/purge']] as const) {
      const res = await app.inject({ method, url, headers: id.headers })
      t.same(seen(res), noRoute, `${id.who}: ${method} ${url} answers as a route that does not exist`)
    }
  }

  // the first département's upload of the second's name did not touch the second's file
  const back = await app.inject({ url: '/api/v1/files/sent-by-93.xml', headers: AS.dept93 })
  t.same(back.rawPayload, sample[93])

  const nobodyRoutes = [
    ['GET', '/api/v1/files'],
    ['GET', `/api/v1/files/${monthlyName('77')}`],
    ['GET', '/api/v1/files/no-such-file.txt'],
    ['POST', '/api/v1/files?name=x.xml'],
    ['GET', `/api/v1/reports/${(uploaded['77'] as { reportId: string }).reportId}`],
    ['GET', '/api/v1/admin/departements'],
    ['POST', '/api/v1/admin/departements'],
    ['GET', '/api/v1/admin/audit'],
    ['POST', '/api/v1/admin/purge'],
    ['GET', '/api/v1/no-such-route']
  ] as const
  for (const [label, headers] of [['nobody', {}], ['a wrong password', basic('dept77', 'demo-93')], ['an unknown user', basic('dept13', 'demo-13')]] as const) {
    const answers: string[] = []
    for (const [method, url] of nobodyRoutes) {
      const res = await app.inject({ method, url, headers: { ...headers, ...raw() }, payload: method === 'POST' ? 'x' : undefined, remoteAddress: label === 'nobody' ? '127.0.0.1' : `10.0.0.${answers.length + 1}` })
      t.equal(res.statusCode, 401, `${label}: ${method} ${url}`)
      t.match(res.headers['www-authenticate'], /^Basic realm="phebus-mock"/)
      answers.push(res.json<{ code: string }>().code)
    }
    t.same(new Set(answers), new Set(['PHEBUS_AUTH_REQUIRED']), `${label}: the same answer everywhere`)
  }
})
