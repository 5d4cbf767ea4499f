import t, { type Test } from 'tap'
import type { FastifyInstance } from 'fastify'
import { parseNow } from '../../../src/clock.js'
import { findLeaks, pageText } from '../../messages-english.js'
import { ADMIN_PASSWORD, AS, Clock, monthlyName, T0, testApp } from '../helpers.js'
import { PageClient, textOf, type PageResponse } from './client.js'

/**
 * The console's tools through app.inject: the trail, the messages, the
 * clock and the faults, each page showing what its service returns, each
 * form refused without its token and done with it (traced), the same
 * state through the admin API; a 404 for anyone but the admin.
 */

const START = parseNow('2026-11-02T08:00:00')?.at as number
const FROZEN = { mode: 'frozen' as const, start: { at: START, zone: 'Europe/Paris' as const } }

async function asAdmin (t: Test, app?: FastifyInstance): Promise<{ app: FastifyInstance, c: PageClient }> {
  const a = app ?? await testApp(t)
  const c = new PageClient(a, '192.0.2.200')
  const login = await c.login('admin', ADMIN_PASSWORD)
  t.equal(login.headers.location, '/console', 'the admin lands on the console')
  return { app: a, c }
}

/** The page in French: no English word, no trace (codes and identifiers, in <code>, set aside). */
function french (t: Test, res: PageResponse, what: string): void {
  const text = pageText(res.body.replace(/<code\b[^>]*>[\s\S]*?<\/code>/g, ' '))
  t.same(findLeaks(text).map((l) => `${l.kind} « ${l.match} » : ${l.context}`), [], `${what} : en français`)
}

/** The ids of the trail's rows on a page of the journal. */
function rowIds (html: string): number[] {
  const table = /<table class="journal">([\s\S]*?)<\/table>/.exec(html)?.[1] ?? ''
  return [...table.matchAll(/<th scope="row">(\d+)<\/th>/g)].map((m) => Number(m[1]))
}

/** The address of a link of the page, by its text. */
function linkTo (html: string, text: string): string | null {
  const m = new RegExp(`<a href="([^"]+)"[^>]*>${text}</a>`).exec(html)
  return m === null ? null : (m[1] as string).replace(/&amp;/g, '&')
}

async function apiIds (app: FastifyInstance, query: string): Promise<number[]> {
  const res = await app.inject({ url: `/api/v1/admin/audit?${query}`, headers: AS.admin })
  t.equal(res.statusCode, 200, query)
  return (res.json().entries as { id: number }[]).map((e) => e.id)
}

t.test('a département\'s user gets the 404 of a page that does not exist on every tool page, GET and POST', async (t) => {
  const app = await testApp(t)
  const c = new PageClient(app)
  await c.login('dept77', 'demo-77')
  await c.get('/fichiers')
  for (const url of ['/console/journal', '/console/messages', '/console/horloge', '/console/horloge/resultat/x', '/console/pannes']) {
    const res = await c.get(url)
    t.equal(res.statusCode, 404, `GET ${url}`)
    t.match(textOf(res.body), /Page introuvable/)
  }
  for (const url of ['/console/messages/1', '/console/horloge/avancer', '/console/horloge/aller', '/console/horloge/mode', '/console/pannes', '/console/pannes/1/lever']) {
    t.equal((await c.post(url, { pas: '+1d' })).statusCode, 404, `POST ${url}`)
  }
  t.equal(app.clock.now(), T0, 'the clock did not move')
})

t.test('every form of the tools is refused without its token, and changes nothing', async (t) => {
  const { app, c } = await asAdmin(t, await testApp(t, { clock: FROZEN }))
  const before = app.clock.now()
  await c.get('/console/horloge')
  for (const [url, fields] of [
    ['/console/messages/1', { action: 'lu' }],
    ['/console/horloge/avancer', { pas: '+1d' }],
    ['/console/horloge/aller', { date: '2026-12-24' }],
    ['/console/horloge/mode', { mode: 'running' }],
    ['/console/pannes', { code: 'http-500', departement: '77' }],
    ['/console/pannes/1/lever', {}]
  ] as const) {
    const res = await c.post(url, { ...fields, _csrf: '' })
    t.equal(res.statusCode, 403, `${url} without its token`)
    t.match(textOf(res.body), /Accès refusé/)
  }
  t.equal(app.clock.now(), before, 'the clock did not move')
  t.equal(app.clock.mode, 'frozen')
  t.same(app.faults.list().faults, [], 'no fault set')
})

t.test('the journal shows the trail newest first, both times, filtered and paged as the API, by the same code', async (t) => {
  const wall = new Clock()
  const { app, c } = await asAdmin(t, await testApp(t, { now: wall.now }))
  // 77 lists and misses two files every 20 seconds (the admin's session stays open: it ends after 30 minutes idle); 93 lists
  for (let i = 0; i < 30; i++) {
    wall.advance(20_000)
    await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
    await app.inject({ url: '/api/v1/files/ABSENT.xml', headers: AS.dept77 })
    await app.inject({ url: '/api/v1/files/AUTRE.xml', headers: AS.dept77 })
    if (i % 3 === 0) await app.inject({ url: '/api/v1/files', headers: AS.dept93 })
  }
  app.auditTrail.record({ at: 0, kind: 'deposit', username: null, address: null, method: null, route: null, path: null, fileName: 'PECGM_77_X.txt', status: null, bytesIn: null, bytesOut: null, durationMs: null, sha256: null, departement: '77', detail: 'dépôt endommagé', faultId: 7 })

  const page = await c.get('/console/journal')
  t.equal(page.statusCode, 200)
  french(t, page, 'le journal')
  const ids = rowIds(page.body)
  t.equal(ids.length, 50, 'a page of 50')
  t.same(ids, [...ids].sort((a, b) => b - a), 'newest first')
  // the page's own request is traced after it: the API reads from the page's first entry
  t.same(ids, await apiIds(app, `limit=50&before=${(ids[0] ?? 0) + 1}`), 'the API\'s entries')
  t.match(page.body, /<a class="fault-mark" href="\/console\/pannes#panne-7">panne simulée n° 7<\/a>/, 'an entry that met a fault says which')
  t.match(textOf(page.body), /27\/11\/2026 \d\d:\d\d:\d\d machine : 27\/11\/2026 \d\d:\d\d:\d\d/, 'the exchange time and the wall time')
  const faulted = (await app.inject({ url: '/api/v1/admin/audit?kind=deposit&limit=5', headers: AS.admin })).json().entries as { faultId: number | null, detail: string }[]
  t.equal(faulted.find((e) => e.detail === 'dépôt endommagé')?.faultId, 7, 'and its faultId in the API')

  const cases: { name: string, page: string, api: string }[] = [
    { name: 'département', page: 'departement=93', api: 'departement=93' },
    { name: 'user', page: 'utilisateur=dept77', api: 'user=dept77' },
    { name: 'route', page: `route=${encodeURIComponent('/api/v1/files/:name')}`, api: `route=${encodeURIComponent('/api/v1/files/:name')}` },
    { name: 'exact status', page: 'statut=404', api: 'status=404' },
    { name: 'status class', page: 'statut=2xx&departement=77', api: 'status=2xx&departement=77' },
    { name: 'kind', page: 'genre=deposit', api: 'kind=deposit' },
    { name: 'from a minute (Paris time) to a minute, both included', page: 'du=2026-11-27&du_heure=11:05&au=2026-11-27&au_heure=11:09', api: 'from=2026-11-27T11:05&to=2026-11-27T11:09' },
    { name: 'a day', page: 'au=2026-11-26', api: 'to=2026-11-26' }
  ]
  for (const x of cases) {
    const res = await c.get(`/console/journal?${x.page}`)
    t.equal(res.statusCode, 200, x.name)
    t.same(rowIds(res.body), await apiIds(app, `${x.api}&limit=50`), `${x.name} : the page and the API show the same entries`)
  }
  const window = (await app.inject({ url: '/api/v1/admin/audit?from=2026-11-27T11:05&to=2026-11-27T11:09&limit=100', headers: AS.admin })).json().entries as { at: string }[]
  t.ok(window.length > 0, 'a window of the trail')
  t.ok(window.every((e) => e.at >= '2026-11-27T10:05:00.000Z' && e.at < '2026-11-27T10:10:00.000Z'), 'from 11:05 to 11:09:59 in Paris')
  t.same(await apiIds(app, 'to=2026-11-26'), [], 'nothing before the day of the first entry')
  const errors = await apiIds(app, 'status=404&limit=100')
  t.equal(errors.length, 60, 'each miss of 77')

  // « Entrées plus anciennes » walks the whole filtered trail, each entry once
  const walked: number[] = []
  let url: string | null = '/console/journal?statut=4xx'
  while (url !== null) {
    const res = await c.get(url)
    walked.push(...rowIds(res.body))
    url = linkTo(res.body, 'Entrées plus anciennes')
  }
  t.same(walked, errors, 'every 4xx, a page at a time, each once, newest first')
  t.match(linkTo((await c.get('/console/journal?statut=4xx')).body, 'Entrées plus anciennes'), /^\/console\/journal\?statut=4xx&avant=\d+$/, 'the filters kept')
})

t.test('the journal refuses what it cannot read at the field, and the API with the same words', async (t) => {
  const { app, c } = await asAdmin(t)
  const res = await c.get('/console/journal?statut=4x&du=2026-11-27&au=2026-11-26&du_heure=25:00')
  t.equal(res.statusCode, 400)
  french(t, res, 'le journal refusé')
  t.match(res.body, /<div class="error-summary"/)
  for (const field of ['statut', 'du']) {
    t.match(res.body, `<a href="#${field}">`, `the summary links to ${field}`)
    t.match(res.body, `id="${field}-erreur"`, `the message beside ${field}`)
  }
  t.equal(rowIds(res.body).length, 0, 'no entry shown for filters it cannot read')
  const order = await c.get('/console/journal?du=2026-11-27&au=2026-11-26')
  t.match(order.body, /id="au-erreur">La fin est avant le début/)
  for (const q of ['status=4x', 'status=600', 'from=demain', 'from=2026-11-27&to=2026-11-26']) {
    const api = await app.inject({ url: `/api/v1/admin/audit?${q}`, headers: AS.admin })
    t.equal(api.statusCode, 400, q)
    t.equal(api.json().code, 'PHEBUS_HTTP_BAD_REQUEST', q)
    t.same(findLeaks(api.json().message as string), [], `${q} : en français`)
  }
})

t.test('the journal refuses a kind or a page the API refuses, as the API does: a 400 page in French naming the parameter', async (t) => {
  const { app, c } = await asAdmin(t)
  const table = [
    { page: 'genre=xyz', api: 'kind=xyz', name: 'genre' },
    { page: 'avant=-5', api: 'before=-5', name: 'avant' },
    { page: 'avant=abc', api: 'before=abc', name: 'avant' },
    { page: 'avant=0x10', api: 'before=0x10', name: 'avant' },
    { page: 'departement=77&genre=xyz&avant=-5', api: 'departement=77&kind=xyz&before=-5', name: 'genre' }
  ]
  for (const row of table) {
    const api = await app.inject({ url: `/api/v1/admin/audit?${row.api}`, headers: AS.admin })
    t.equal(api.statusCode, 400, row.api)
    const res = await c.get(`/console/journal?${row.page}`)
    t.equal(res.statusCode, 400, row.page)
    t.match(textOf(res.body), `Requête invalide : le paramètre « ${row.name} » de l'adresse`, `${row.page} : the parameter named`)
    t.equal(textOf(/<h1>Requête invalide<\/h1>\s*<p>([^<]*)<\/p>/.exec(res.body)?.[1] ?? ''), (api.json().message as string).replaceAll('« kind »', '« genre »').replaceAll('« before »', '« avant »'), `${row.page} : the API's words, under the page's names`)
    t.notMatch(textOf(res.body), /\(en cours\)|\(filtrées\)|plus anciennes/, 'no page of entries captioned as filtered or older')
    t.same(findLeaks(textOf(res.body).replace(/« [a-z]+ »/g, '')), [], `${row.page} : en français`)
  }
  for (const ok of ['genre=', 'genre=deposit', 'avant=', `avant=${Number.MAX_SAFE_INTEGER}`]) t.equal((await c.get(`/console/journal?${ok}`)).statusCode, 200, ok)
})

t.test('messages: listed newest first with their file, marked read and answered through the page and the API, filtered', async (t) => {
  const { app, c } = await asAdmin(t)
  const d77 = new PageClient(app, '192.0.2.77')
  await d77.login('dept77', 'demo-77')
  await d77.get('/nous-ecrire')
  await d77.post('/nous-ecrire', { sujet: 'Stock illisible', message: 'Bonjour,\nle stock <b>ne</b> se lit pas.', fichier: monthlyName('77') })
  await d77.get('/nous-ecrire')
  await d77.post('/nous-ecrire', { sujet: 'Question', message: 'Quand arrive le flux ?' })
  const d93 = new PageClient(app, '192.0.2.93')
  await d93.login('dept93', 'demo-93')
  await d93.get('/nous-ecrire')
  await d93.post('/nous-ecrire', { sujet: 'Envoi refusé', message: 'Pourquoi ?' })
  const api = (await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages as { id: number, subject: string, fileSha256: string | null, readAt: string | null, answeredAt: string | null, answeredBy: string | null }[]
  t.same(api.map((m) => m.subject), ['Envoi refusé', 'Question', 'Stock illisible'])
  t.match(api[0], { readAt: null, answeredAt: null, answeredBy: null }, 'unread')
  const [m93, mQuestion, mStock] = api.map((m) => m.id) as [number, number, number]

  const page = await c.get('/console/messages')
  t.equal(page.statusCode, 200)
  french(t, page, 'les messages')
  const text = textOf(page.body)
  t.match(text, /Envoi refusé[\s\S]*Question[\s\S]*Stock illisible/, 'newest first')
  t.match(page.body, /le stock &lt;b&gt;ne&lt;\/b&gt; se lit pas\./, 'the body as text')
  t.match(page.body, `<a href="/console/departements/77#fichier-${monthlyName('77')}"><code>${monthlyName('77')}</code></a>`, 'the file, linked on the département\'s page')
  t.match(page.body, api[2]?.fileSha256 as string, 'with its SHA-256')
  t.equal((page.body.match(/<span class="badge todo">non lu<\/span>/g) ?? []).length, 3)

  const read = await c.post(`/console/messages/${mStock}`, { action: 'lu', retour: 'departement=77' })
  t.equal(read.statusCode, 303)
  t.equal(read.headers.location, `/console/messages?departement=77&fait=lu&message=${mStock}#message-${mStock}`)
  const after = await c.get(read.headers.location as string)
  t.match(textOf(after.body), `Message n° ${mStock} marqué comme lu.`)
  t.notMatch(textOf(after.body), /Envoi refusé/, 'the filter kept: 77 only')
  const stock = (await app.inject({ url: '/api/v1/admin/messages?departement=77', headers: AS.admin })).json().messages.find((m: { id: number }) => m.id === mStock)
  t.match(stock, { readAt: String, answeredAt: null }, 'read, in the API')
  const traced = app.auditTrail.query({ username: 'admin', route: '/console/messages/:id', limit: 1 })[0]
  t.match(traced, { status: 303, detail: `message n° ${mStock} marqué lu par admin` }, 'traced')

  const patched = await app.inject({ method: 'PATCH', url: `/api/v1/admin/messages/${mQuestion}`, headers: AS.admin, payload: { answered: true } })
  t.equal(patched.statusCode, 200)
  t.match(patched.json(), { id: mQuestion, readAt: String, answeredAt: String, answeredBy: 'admin' }, 'answered through the API, and so read')
  t.match(app.auditTrail.query({ username: 'admin', route: '/api/v1/admin/messages/:id', limit: 1 })[0], { detail: `message n° ${mQuestion} marqué répondu par admin` })
  t.match(textOf((await c.get('/console/messages')).body), /Question[\s\S]*répondu le \d\d\/\d\d\/2026 à \d\d:\d\d par admin/, 'the page shows it')

  const unread = await c.get('/console/messages?non-lus=1')
  t.match(textOf(unread.body), /Envoi refusé/)
  t.notMatch(textOf(unread.body), /Question|Stock illisible/, 'unread only')
  t.same((await app.inject({ url: '/api/v1/admin/messages?unread=true', headers: AS.admin })).json().messages.map((m: { id: number }) => m.id), [m93], 'the same through the API')

  // undone through the page: not answered (still read), then unread
  await c.get('/console/messages')
  await c.post(`/console/messages/${mQuestion}`, { action: 'non-repondu' })
  t.match((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.find((m: { id: number }) => m.id === mQuestion), { readAt: String, answeredAt: null, answeredBy: null })
  await c.post(`/console/messages/${mQuestion}`, { action: 'non-lu' })
  t.match((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages.find((m: { id: number }) => m.id === mQuestion), { readAt: null })

  t.equal((await c.post('/console/messages/99999', { action: 'lu' })).statusCode, 404, 'a message that does not exist')
  t.equal((await c.post(`/console/messages/${m93}`, { action: 'efface' })).statusCode, 400, 'an action that does not exist')
  const none = await app.inject({ method: 'PATCH', url: '/api/v1/admin/messages/99999', headers: AS.admin, payload: { read: true } })
  t.equal(none.statusCode, 404)
  t.same(findLeaks(none.json().message as string), [])
  t.equal((await app.inject({ method: 'PATCH', url: `/api/v1/admin/messages/${m93}`, headers: AS.admin, payload: {} })).statusCode, 400, 'nothing to change')
  t.equal((await app.inject({ method: 'PATCH', url: `/api/v1/admin/messages/${m93}`, headers: AS.dept93, payload: { read: true } })).statusCode, 404, 'a département cannot')

  // a page at a time
  for (let i = 0; i < 25; i++) {
    await d93.get('/nous-ecrire')
    await d93.post('/nous-ecrire', { sujet: `Relance ${i}`, message: 'Toujours rien.' })
  }
  const first = await c.get('/console/messages')
  t.equal((first.body.match(/<li id="message-/g) ?? []).length, 20, '20 a page')
  const older = linkTo(first.body, 'Messages plus anciens')
  t.match(older, /^\/console\/messages\?avant=\d+$/)
  const second = await c.get(older as string)
  t.equal((second.body.match(/<li id="message-/g) ?? []).length, 8, 'the rest')
  t.equal(linkTo(second.body, 'Messages plus anciens'), null, 'and no further')
})

t.test('messages: the flash of a mark is shown only when it is true, for a message that exists and is as the mark left it', async (t) => {
  const { app, c } = await asAdmin(t)
  const d77 = new PageClient(app, '192.0.2.77')
  await d77.login('dept77', 'demo-77')
  await d77.get('/nous-ecrire')
  await d77.post('/nous-ecrire', { sujet: 'Question', message: 'Quand arrive le flux ?' })
  const id = ((await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages as { id: number }[])[0]?.id ?? 0
  const flash = async (query: string): Promise<string | null> => /Message n° \d+ marqué[^.]*\./.exec(textOf((await c.get(`/console/messages?${query}`)).body))?.[0] ?? null
  t.equal(await flash('fait=lu&message=999'), null, 'no message 999: nothing said of it')
  for (const mark of ['lu', 'repondu']) t.equal(await flash(`fait=${mark}&message=${id}`), null, `« ${mark} » said of a message unread and unanswered`)
  t.equal(await flash(`fait=non-lu&message=${id}`), `Message n° ${id} marqué comme non lu.`, 'unread it is')
  await c.get('/console/messages')
  const read = await c.post(`/console/messages/${id}`, { action: 'lu' })
  t.equal(await flash((read.headers.location as string).split('?')[1]?.split('#')[0] ?? ''), `Message n° ${id} marqué comme lu.`, 'marked read: said')
  t.equal(await flash(`fait=non-lu&message=${id}`), null, 'no longer unread: not said')
  t.equal(await flash(`fait=non-repondu&message=${id}`), `Message n° ${id} marqué comme non répondu.`)
  await app.inject({ method: 'PATCH', url: `/api/v1/admin/messages/${id}`, headers: AS.admin, payload: { answered: true } })
  t.equal(await flash(`fait=repondu&message=${id}`), `Message n° ${id} marqué comme répondu.`)
  t.equal(await flash(`fait=non-repondu&message=${id}`), null, 'answered since: not said')
  t.equal(await flash(`fait=lu&message=${id}x`), null, 'an id that is no number')
})

t.test('the clock: a step sent twice from the same page (a double click, the back button) moves it once, and both answers lead to the one result', async (t) => {
  const { app, c } = await asAdmin(t, await testApp(t, { now: new Clock().now, clock: FROZEN }))
  const page = await c.get('/console/horloge')
  const order = /name="ordre" value="([^"]+)"/.exec(page.body)?.[1] ?? ''
  t.not(order, '', 'the forms name their order')
  const first = await c.post('/console/horloge/avancer', { pas: '+1M', ordre: order })
  const second = await c.post('/console/horloge/avancer', { pas: '+1M', ordre: order })
  t.equal(second.statusCode, 303)
  t.equal(second.headers.location, first.headers.location, 'the order already carried out: its result')
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().local, '2026-12-02 08:00 (Europe/Paris)', 'a month, not two')
  t.equal(app.auditTrail.query({ username: 'admin', route: '/console/horloge/avancer', limit: 5 }).filter((e) => e.detail !== null && e.detail !== '').length, 1, 'one move traced')

  const fresh = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/horloge')).body)?.[1] ?? ''
  t.not(fresh, order, 'the page shown again is a new order')
  await c.post('/console/horloge/avancer', { pas: '+1d', ordre: fresh })
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().local, '2026-12-03 08:00 (Europe/Paris)', 'which moves it')

  const both = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/horloge')).body)?.[1] ?? ''
  const [a, b] = await Promise.all([c.post('/console/horloge/avancer', { pas: '+1d', ordre: both }), c.post('/console/horloge/avancer', { pas: '+1d', ordre: both })])
  t.equal(a.headers.location, b.headers.location, 'sent twice at once: one result')
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().local, '2026-12-04 08:00 (Europe/Paris)', 'and one day')
})

t.test('the clock: one page\'s order is each of its forms\' own, so that another form or another value sent with it is carried out, not taken for a resubmission', async (t) => {
  const { app, c } = await asAdmin(t, await testApp(t, { now: new Clock().now, clock: FROZEN }))
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/horloge')).body)?.[1] ?? ''
  const month = await c.post('/console/horloge/avancer', { pas: '+1M', ordre: order })
  t.equal(month.statusCode, 303)
  const mode = await c.post('/console/horloge/mode', { mode: 'running', ordre: order })
  t.equal(mode.statusCode, 303)
  t.not(mode.headers.location, month.headers.location, 'the mode form leads to its own result')
  t.equal(app.clock.mode, 'running', 'and the mode changed')
  const day = await c.post('/console/horloge/avancer', { pas: '+1d', ordre: order })
  t.not(day.headers.location, month.headers.location, 'another step with the same order moves again')
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().today, '2026-12-03', 'a month, then a day')
  const again = await c.post('/console/horloge/avancer', { pas: '+1d', ordre: order })
  t.equal(again.headers.location, day.headers.location, 'the same form with the same value is a resubmission')
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().today, '2026-12-03', 'which moves nothing')
})

t.test('a fault form sent twice (a double click, the back button) sets one fault, and both answers lead to it', async (t) => {
  const { app, c } = await asAdmin(t)
  const order = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/pannes')).body)?.[1] ?? ''
  t.not(order, '', 'the form names its order')
  const fields = { code: 'http-500', departement: '77', requetes: 'download', duree: 'fois', fois: '1', part: '100', ordre: order }
  const [a, b] = await Promise.all([c.post('/console/pannes', fields), c.post('/console/pannes', fields)])
  const third = await c.post('/console/pannes', fields)
  t.equal(a.statusCode, 303)
  t.equal(b.headers.location, a.headers.location)
  t.equal(third.headers.location, a.headers.location)
  t.equal(app.faults.list({ departement: '77' }).faults.length, 1, 'one fault set')
  const other = await c.post('/console/pannes', { ...fields, departement: '93' })
  t.not(other.headers.location, a.headers.location, 'the same order for another département is another form')
  t.equal(app.faults.list({ departement: '93' }).faults.length, 1, 'which sets its fault')
  const fresh = /name="ordre" value="([^"]+)"/.exec((await c.get('/console/pannes')).body)?.[1] ?? ''
  await c.post('/console/pannes', { ...fields, ordre: fresh })
  t.equal(app.faults.list({ departement: '77' }).faults.length, 2, 'the page shown again sets another')
})

t.test('the clock: advanced by a month, the result lists the deposits and purges, reloading it moves nothing; back refused at the field', async (t) => {
  const wall = new Clock()
  const { app, c } = await asAdmin(t, await testApp(t, { now: wall.now, clock: FROZEN }))
  const page = await c.get('/console/horloge')
  t.equal(page.statusCode, 200)
  french(t, page, 'l\'horloge')
  const text = textOf(page.body)
  t.match(text, /Heure de l'échange 2026-11-02 08:00 \(Europe\/Paris\)/)
  t.match(text, /Mode arrêtée : elle n'avance que sur demande/)
  t.match(text, /Fuseau des jours Europe\/Paris/)

  const moved = await c.post('/console/horloge/avancer', { pas: '+1M' })
  t.equal(moved.statusCode, 303)
  t.match(moved.headers.location, /^\/console\/horloge\/resultat\/[0-9a-f-]{36}$/)
  const result = await c.get(moved.headers.location as string)
  t.equal(result.statusCode, 200)
  french(t, result, 'le résultat')
  const r = textOf(result.body)
  t.match(r, /De 2026-11-02 08:00 \(Europe\/Paris\) à 2026-12-02 08:00 \(Europe\/Paris\)/)
  for (const d of ['77', '93', '971']) {
    t.match(r, `${d} PECGM_${d}_M_20261201_20261201.txt`, `December's stock of ${d}, deposited`)
    t.match(result.body, `<a href="/console/departements/${d}#fichier-PECGM_${d}_M_20261201_20261201.txt">`, 'linked on its département\'s page')
  }
  t.match(r, /Supprimé en chemin[\s\S]*77 PECGM_77_M_20261101_20261102\.txt/, 'November\'s, purged')
  t.match(app.auditTrail.query({ username: 'admin', route: '/console/horloge/avancer', limit: 1 })[0], { status: 303, detail: /2026-11-02 08:00 \(Europe\/Paris\) → 2026-12-02 08:00/ }, 'traced')

  const again = await c.get(moved.headers.location as string)
  t.equal(again.statusCode, 200, 'reloading the result')
  t.equal((await app.inject({ url: '/api/v1/admin/clock', headers: AS.admin })).json().local, '2026-12-02 08:00 (Europe/Paris)', 'does not move the clock again')

  await c.get('/console/horloge')
  const back = await c.post('/console/horloge/aller', { date: '2026-11-15', heure: '09:00' })
  t.equal(back.statusCode, 409)
  french(t, back, 'l\'horloge refusée')
  t.match(back.body, '<a href="#date">')
  t.match(textOf(back.body), /L'horloge n'a pas bougé L'horloge de l'échange ne recule pas : 2026-11-15 09:00 \(Europe\/Paris\) est avant 2026-12-02 08:00/)
  t.match(back.body, /id="date-erreur"/)
  t.match(back.body, /id="date" name="date" type="date" value="2026-11-15"/, 'what was typed, kept')
  const step = await c.post('/console/horloge/avancer', { pas: '+1an' })
  t.equal(step.statusCode, 400)
  t.match(step.body, '<a href="#pas">')
  t.match(textOf(step.body), /Avance illisible : « \+1an »/)
  t.equal((await c.post('/console/horloge/aller', { date: '' })).statusCode, 400, 'no date')
  const api = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: AS.admin, payload: { to: '2026-11-15T09:00:00' } })
  t.equal(api.statusCode, 409, 'the API refuses it the same way')
  t.equal(api.json().code, 'PHEBUS_CLOCK_BACKWARDS')

  const offered = /id="date" name="date" type="date" value="([0-9-]+)"/.exec((await c.get('/console/horloge')).body)?.[1]
  t.equal(offered, '2026-12-03', '« Aller à une date » offers the exchange\'s next day')
  const asOffered = await c.post('/console/horloge/aller', { date: offered ?? '' })
  t.equal(asOffered.statusCode, 303, 'sent as offered, it moves the clock (its own day at midnight would be behind it)')
  t.match(textOf((await c.get(asOffered.headers.location as string)).body), /à 2026-12-03 00:00 \(Europe\/Paris\)/)
  await c.get('/console/horloge')
  const to = await c.post('/console/horloge/aller', { date: '2026-12-24', heure: '10:30' })
  t.equal(to.statusCode, 303)
  t.match(textOf((await c.get(to.headers.location as string)).body), /à 2026-12-24 10:30 \(Europe\/Paris\)/)
  await c.get('/console/horloge')
  const mode = await c.post('/console/horloge/mode', { mode: 'running' })
  t.equal(mode.statusCode, 303)
  t.match(textOf((await c.get(mode.headers.location as string)).body), /Horloge réglée[\s\S]*en marche/)
  t.equal(app.clock.mode, 'running')
  wall.advance(10 * 60_000)
  t.match(textOf((await c.get('/console/horloge')).body), /Heure de l'échange 2026-12-24 10:40/, 'running: ten minutes later on the wall, ten minutes later in the exchange')
  t.equal((await c.get('/console/horloge/resultat/inconnu')).statusCode, 404)
})

t.test('the clock\'s forms put each error at the field that is wrong, in the page\'s terms: an impossible date, an invalid time, a step too far or that moves nothing', async (t) => {
  const { app, c } = await asAdmin(t, await testApp(t, { clock: FROZEN }))
  const at = (html: string): Record<string, string> => Object.fromEntries([...html.matchAll(/<p class="field-error" id="([a-z]+)-erreur">([^<]+)<\/p>/g)].map((m) => [m[1] as string, textOf(m[2] as string)]))
  const table: { name: string, url: string, fields: Record<string, string>, expect: Record<string, RegExp> }[] = [
    { name: 'an hour past 23', url: '/console/horloge/aller', fields: { date: '2026-12-02', heure: '25:00' }, expect: { heure: /^Heure invalide : 25:00, attendu HH:MM\.$/ } },
    { name: 'a day February has not', url: '/console/horloge/aller', fields: { date: '2027-02-30', heure: '' }, expect: { date: /^Date impossible : 30 février 2027\.$/ } },
    { name: 'both wrong', url: '/console/horloge/aller', fields: { date: '2027-02-30', heure: '08:61' }, expect: { date: /^Date impossible : 30 février 2027\.$/, heure: /^Heure invalide : 08:61, attendu HH:MM\.$/ } },
    { name: 'a date that is no date', url: '/console/horloge/aller', fields: { date: '30/02/2027', heure: '08:00' }, expect: { date: /^Date illisible : « 30\/02\/2027 », attendu AAAA-MM-JJ\.$/ } },
    { name: 'a readable step, too far', url: '/console/horloge/avancer', fields: { pas: '+999999M' }, expect: { pas: /^Avance trop grande : « \+999999M » va au-delà d'un an\. Au plus un an d'un coup \(366 jours\)/ } },
    { name: 'a step of nothing', url: '/console/horloge/avancer', fields: { pas: '+0d' }, expect: { pas: /^Avance nulle : « \+0d » ne déplace pas l'horloge/ } },
    { name: 'a blank other step', url: '/console/horloge/avancer', fields: { pas: '   ' }, expect: { pas: /^Indiquez de combien avancer/ } }
  ]
  for (const row of table) {
    await c.get('/console/horloge')
    const res = await c.post(row.url, row.fields)
    t.equal(res.statusCode, 400, row.name)
    french(t, res, row.name)
    const errors = at(res.body)
    t.same(Object.keys(errors).sort(), Object.keys(row.expect).sort(), `${row.name} : at its field only`)
    for (const [field, re] of Object.entries(row.expect)) {
      t.match(errors[field], re, `${row.name} : ${field}`)
      t.match(res.body, `<a href="#${field}">`, `${row.name} : the summary links to ${field}`)
      t.match(res.body, new RegExp(`id="${field}"[^>]*aria-invalid="true"`))
    }
    t.notMatch(textOf(res.body), /Heure illisible|T25:00|\+04:00/, `${row.name} : not the API's words`)
  }
  t.equal(app.clock.now(), START, 'the clock did not move')
  const api = await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: AS.admin, payload: { advance: '+999999M' } })
  t.equal(api.statusCode, 400)
  t.match(api.json(), { code: 'PHEBUS_CLOCK_INVALID', message: /^Avance trop grande/ }, 'the API says the same of a step too far')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/admin/clock', headers: AS.admin, payload: { advance: '+0min' } })).statusCode, 200, 'the API still takes a step of nothing (now, or a mode only)')
})

t.test('faults: set with only what applies to the chosen code, listed active first, lifted; refused at the field; pre-filtered by département', async (t) => {
  const { app, c } = await asAdmin(t)
  const page = await c.get('/console/pannes?departement=93')
  t.equal(page.statusCode, 200)
  french(t, page, 'les pannes')
  t.match(page.body, /<option value="93" selected>93 — /, 'the département pre-selected')
  for (const code of ['truncated', 'duplicate-file', 'http-503', 'reset-after']) t.match(page.body, `<option value="${code}"`)
  t.match(textOf(page.body), /Fichier tronqué[\s\S]*Le fichier s'arrête au milieu d'un enregistrement détail/, 'what each does')
  t.match(page.body, /data-for="http-503 http-429"/, 'the fields of a code marked for the script')

  const posed = await c.post('/console/pannes', { code: 'http-503', departement: '77', depots: 'stock', requetes: 'download', fichier_vise: '', duree: 'fois', fois: '2', part: '100', graine: '', retry_after: '60', delai: '999', debit: '', octets: '' })
  t.equal(posed.statusCode, 303, 'set')
  const id = Number(/posee=(\d+)/.exec(posed.headers.location as string)?.[1])
  t.equal(posed.headers.location, `/console/pannes?departement=77&posee=${id}#panne-${id}`)
  t.match(app.faults.find(id), { code: 'http-503', departement: '77', route: 'download', deposit: null, remaining: 2, retryAfterSeconds: 60, delayMs: null, setBy: 'admin', active: true }, 'what applies kept, the rest ignored')
  const list = await c.get(posed.headers.location as string)
  t.match(textOf(list.body), `Panne n° ${id} posée : Erreur 503 avec Retry-After`)
  t.match(list.body, `<tr id="panne-${id}">`)
  t.match(textOf(list.body), /Erreur 503 avec Retry-After http-503 77 téléchargements Retry-After 60 s · graine \d+ 2 0 fois par admin/)
  t.match(app.auditTrail.query({ username: 'admin', route: '/console/pannes', limit: 5 }).find((e) => e.method === 'POST'), { status: 303, departement: '77', detail: `panne n° ${id} posée : http-503, téléchargements` }, 'traced')

  const forever = await c.post('/console/pannes', { code: 'truncated', departement: '93', depots: 'flux', requetes: 'upload', duree: 'levee', fois: '1', part: '50', graine: '42', retry_after: '5' })
  t.equal(forever.statusCode, 303)
  const id93 = Number(/posee=(\d+)/.exec(forever.headers.location as string)?.[1])
  t.match(app.faults.find(id93), { code: 'truncated', departement: '93', deposit: 'flux', route: null, remaining: null, share: null, seed: 42, retryAfterSeconds: null })
  const of93 = await c.get('/console/pannes?departement=93')
  t.match(textOf(of93.body), /1 panne du département 93, dont 1 active/)
  t.match(textOf(of93.body), /jusqu'à levée/)

  const refusals: { name: string, fields: Record<string, string>, field: string, says?: RegExp }[] = [
    { name: 'no code', fields: { code: '', departement: '77' }, field: 'code' },
    { name: 'an unknown code', fields: { code: 'meteore', departement: '77' }, field: 'code' },
    { name: 'no département', fields: { code: 'http-500', departement: '' }, field: 'departement' },
    { name: 'a département without an account', fields: { code: 'http-500', departement: '13' }, field: 'departement' },
    { name: 'a times of zero', fields: { code: 'http-500', departement: '77', duree: 'fois', fois: '0' }, field: 'fois', says: /Nombre de fois : un entier de 1 à 1 000 000, ou « Jusqu'à ce qu'elle soit levée »\./ },
    { name: 'a delay too long', fields: { code: 'delay', departement: '77', delai: '99999999' }, field: 'delai' },
    { name: 'a share over 100 %', fields: { code: 'http-503', departement: '77', part: '150' }, field: 'part', says: /un pourcentage de 0,1 à 100, lu « 150 »/ },
    { name: 'a share of 0 %', fields: { code: 'http-503', departement: '77', part: '0' }, field: 'part', says: /un pourcentage de 0,1 à 100, lu « 0 »/ },
    { name: 'a file not deposited', fields: { code: 'truncated', departement: '77', depots: 'fichier', fichier_depose: 'PECGM_77_ABSENT.txt' }, field: 'fichier_depose' }
  ]
  for (const x of refusals) {
    await c.get('/console/pannes')
    const res = await c.post('/console/pannes', x.fields)
    t.equal(res.statusCode, 400, x.name)
    t.match(res.body, `<a href="#${x.field}">`, `${x.name} : the summary links to ${x.field}`)
    t.match(res.body, `id="${x.field}-erreur"`, `${x.name} : the message beside it`)
    if (x.says !== undefined) t.match(textOf(res.body), x.says, `${x.name} : in the form's terms`)
    french(t, res, x.name)
  }

  t.notMatch(textOf((await c.get(`/console/pannes?departement=77&levee=${id}`)).body), `Panne n° ${id} levée`, 'an address that says « levée » of a fault still active: no such message')
  await c.get('/console/pannes')
  const lifted = await c.post(`/console/pannes/${id}/lever`, { retour: '77' })
  t.equal(lifted.statusCode, 303)
  t.equal(lifted.headers.location, `/console/pannes?departement=77&levee=${id}#panne-${id}`)
  const afterLift = await c.get(lifted.headers.location as string)
  t.match(textOf(afterLift.body), `Panne n° ${id} levée`)
  t.match(textOf(afterLift.body), /levée le \d\d\/\d\d\/2026 à \d\d:\d\d par admin/)
  t.match(app.faults.find(id), { active: false, liftedBy: 'admin' })
  const again = await c.post(`/console/pannes/${id}/lever`, {})
  t.equal(again.statusCode, 303, 'lifted once: a second click is no dead end')
  t.match(textOf((await c.get(again.headers.location as string)).body), new RegExp(`La panne n° ${id} \\(.*\\) n'était plus active : rien n'a été levé\\.`))
  await c.get('/console/pannes')
  t.equal((await c.post('/console/pannes/999999/lever', {})).statusCode, 404, 'a fault that never was')
  const all = await c.get('/console/pannes')
  t.ok(all.body.indexOf(`id="panne-${id93}"`) < all.body.indexOf(`id="panne-${id}"`), 'the active ones first')
  const api = (await app.inject({ url: '/api/v1/admin/faults', headers: AS.admin })).json().faults as { id: number }[]
  t.same(api.map((f) => f.id), [id93, id], 'the API lists the same')
})

t.test('faults: a share of the requests is listed as a French percentage, with its decimal comma', async (t) => {
  const { app, c } = await asAdmin(t)
  await c.get('/console/pannes')
  const posed = await c.post('/console/pannes', { code: 'http-500', departement: '77', requetes: 'list', part: '33,3', duree: 'fois', fois: '1' })
  t.equal(posed.statusCode, 303)
  const id = Number(/posee=(\d+)/.exec(posed.headers.location as string)?.[1])
  t.equal(Math.round((app.faults.find(id)?.share ?? 0) * 1000), 333)
  const list = textOf((await c.get(posed.headers.location as string)).body)
  t.match(list, '33,3 % des requêtes')
  t.notMatch(list, '33.3')
})

t.test('faults: « un fichier déjà déposé » chosen with no file named asks for its name, in the form\'s terms, and keeps what was chosen', async (t) => {
  const { app, c } = await asAdmin(t)
  await c.get('/console/pannes')
  const res = await c.post('/console/pannes', { code: 'truncated', departement: '77', depots: 'fichier', fichier_depose: '  ', duree: 'fois', fois: '1', graine: '12' })
  t.equal(res.statusCode, 400)
  t.match(res.body, '<a href="#fichier_depose">')
  t.match(res.body, 'id="fichier_depose-erreur"')
  const text = textOf(res.body)
  t.match(text, /Nommez le PECGM déjà déposé/)
  t.notMatch(text, /«\s*»/, 'no empty name quoted')
  t.match(res.body, /<input type="radio" id="depots-fichier" name="depots" value="fichier" checked>/, 'the choice kept')
  t.match(res.body, /id="graine"[^>]*value="12"/, 'what was typed kept')
  t.equal(app.faults.list().faults.length, 0, 'nothing set')
})

t.test('« Pannes » pages the lifted faults: the active ones and the newest lifted first, a link to the older ones, and back', async (t) => {
  const { app, c } = await asAdmin(t)
  const { FAULT_PAGE } = await import('../../../src/server/services/faults.js')
  const ids: number[] = []
  for (let i = 0; i < FAULT_PAGE + 2; i++) {
    const f = await app.faults.create({ code: 'delay', departement: '77', route: 'list', delayMs: 0 }, 'admin')
    app.faults.lift(f.id, 'admin')
    ids.push(f.id)
  }
  const active = await app.faults.create({ code: 'http-500', departement: '77', route: 'download', times: 1 }, 'admin')
  const first = await c.get('/console/pannes?departement=77')
  t.equal(first.statusCode, 200)
  const text = textOf(first.body)
  t.match(text, `${FAULT_PAGE + 1} pannes du département 77, dont 1 active (les actives d'abord, puis les levées les plus récentes)`)
  t.match(first.body, `id="panne-${active.id}"`, 'the active one')
  t.notMatch(first.body, `id="panne-${ids[0] ?? 0}"`, 'not the oldest lifted')
  const older = /<a href="([^"]+)" rel="next">Pannes levées plus anciennes<\/a>/.exec(first.body)?.[1]?.replaceAll('&amp;', '&')
  t.equal(older, `/console/pannes?departement=77&avant=${ids[2] ?? 0}#pannes-titre`)
  const second = await c.get(older ?? '')
  t.match(textOf(second.body), '2 pannes levées plus anciennes du département 77')
  t.match(second.body, `id="panne-${ids[0] ?? 0}"`)
  t.notMatch(second.body, `id="panne-${active.id}"`, 'the active one on the first page only')
  t.notMatch(second.body, 'rel="next"', 'the last page')
  t.match(second.body, 'Les pannes actives et les plus récentes')
})

t.test('messages: a file cited by a message and deleted since is named, not linked to an anchor that no longer exists', async (t) => {
  const { app, c } = await asAdmin(t)
  const d77 = new PageClient(app, '192.0.2.77')
  await d77.login('dept77', 'demo-77')
  await d77.get('/envoi')
  await d77.upload('/envoi', 'CGPEM_77_cite.xml', Buffer.from('<CGPEM/>'))
  await d77.get('/nous-ecrire')
  await d77.post('/nous-ecrire', { sujet: 'Envoi refusé', message: 'Pourquoi ?', fichier: 'CGPEM_77_cite.xml' })
  t.match((await c.get('/console/messages')).body, '<a href="/console/departements/77#fichier-CGPEM_77_cite.xml">', 'linked while it is there')
  t.equal((await app.inject({ method: 'DELETE', url: '/api/v1/files/CGPEM_77_cite.xml', headers: AS.dept77 })).statusCode, 204)
  const page = await c.get('/console/messages')
  t.notMatch(page.body, '#fichier-CGPEM_77_cite.xml', 'no link once it is gone')
  t.match(textOf(page.body), 'Fichier concerné : CGPEM_77_cite.xml (supprimé ou expiré depuis)')
})
