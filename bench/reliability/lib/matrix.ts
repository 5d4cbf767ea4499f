import { randomBytes, randomUUID } from 'node:crypto'
import { demoPassword, demoScenario, DEMO_DEPARTEMENTS, validCgpem } from './cgpem.js'
import type { Violation } from '../group.js'
import { basicAuth, codeOf, json, keepAliveAgent, send, type Answer } from './http.js'
import { describedRoutes, placeholder, type Parameter, type Route } from './openapi.js'

/**
 * The isolation matrix: every route of the OpenAPI description × method ×
 * caller (each département, the admin, nobody, wrong credentials) × whose
 * resource the path names (each département's file names, report ids and
 * code, or something that exists nowhere). Invariants: without valid
 * credentials, 401 on everything under /api; a département never gets a
 * 2xx/3xx on another's resource, and gets for it exactly what it gets for
 * a resource that does not exist; on an admin route, exactly the 404 of a
 * route that does not exist; never a 5xx but the documented 503 and 507.
 */

export interface MatrixOptions {
  url: string
  adminPassword: string
  /** every method on every path, not only the described ones */
  allMethods: boolean
  /** every resource of each département; otherwise one of each kind */
  allResources: boolean
  /** the kinds of wrong credentials tried */
  intruders: readonly Intruder[]
}

export type Intruder = 'personne' | 'mauvais mot de passe' | 'identifiant inconnu' | 'en-tête mal formé'

export interface MatrixOutcome {
  routes: number
  described: number
  requests: number
  /** a département reading its own resource: the substituted values are real */
  ownReads: number
  /** a département probing another's resource */
  crossProbes: number
  byStatus: Map<number, number>
  violations: Violation[]
}

interface Caller {
  label: string
  /** the département of the caller, null for the others */
  departement: string | null
  kind: 'departement' | 'admin' | 'intruder'
  headers: () => Record<string, string>
}

/** What each département owns, by kind of path parameter. */
interface Holdings { name: string[], id: string[], departement: string[] }
type Kind = keyof Holdings

const ABSENT = 'absent'

/** Whose values fill a path parameter, from its name, format and place. */
function kindsOf (p: Parameter, path: string): Kind[] {
  if (p.name === 'departement' || p.name === 'code') return ['departement']
  if (p.schema?.format === 'uuid' || p.name === 'id' || path.includes('/reports/')) return ['id']
  if (p.name === 'name' || path.includes('/files/')) return ['name']
  return ['name', 'id', 'departement']
}

/** The response as a caller sees it: status, headers but the date and request id, body with its request id masked. */
function seen (a: Answer): Seen {
  const id = a.headers['x-request-id']
  const headers: Record<string, string> = {}
  for (const [k, v] of Object.entries(a.headers)) if (k !== 'date' && k !== 'x-request-id') headers[k] = String(v)
  let body = a.body.toString('latin1')
  if (typeof id === 'string' && id !== '') body = body.split(id).join('<id>')
  return { status: a.status, headers, body }
}

interface Seen { status: number, headers: Record<string, string>, body: string }

const CONNECTION_HEADERS = new Set(['connection', 'keep-alive'])

/**
 * What a caller can tell apart between two answers, as an invariant label
 * and words, or null. A difference in Connection / Keep-Alive alone gets a
 * label of its own (a defect reported apart).
 */
function difference (base: string, a: Seen, b: Seen): { invariant: string, words: string } | null {
  if (a.status !== b.status) return { invariant: base, words: `statut ${a.status} au lieu de ${b.status}` }
  if (a.body !== b.body) return { invariant: base, words: 'corps différent' }
  const names = [...new Set([...Object.keys(a.headers), ...Object.keys(b.headers)])].filter((k) => a.headers[k] !== b.headers[k]).sort()
  if (names.length === 0) return null
  return {
    invariant: names.every((k) => CONNECTION_HEADERS.has(k)) ? `${base} (en-tête Connection)` : base,
    words: `en-têtes ${names.map((k) => `${k}: ${a.headers[k] ?? '—'} au lieu de ${b.headers[k] ?? '—'}`).join(', ')}`
  }
}

/** Wrong credentials from addresses that change every few failures, so that lock-outs never stand in for the 401 under test. */
class Intruders {
  private failures = 0

  /** 127.0.1.1, 127.0.1.2…: four failures each, below every lock-out threshold */
  address (): string {
    const n = Math.floor(this.failures++ / 4)
    return `127.0.${1 + (Math.floor(n / 254) % 254)}.${1 + (n % 254)}`
  }

  headers (kind: Intruder): Record<string, string> {
    switch (kind) {
      case 'personne': return {}
      case 'mauvais mot de passe': return { authorization: basicAuth('dept77', 'demo-93') }
      case 'identifiant inconnu': return { authorization: basicAuth(`inconnu${this.failures}`, 'x') }
      case 'en-tête mal formé': return { authorization: ['Basic !!!', 'Bearer abc', 'Basic ', `Basic ${Buffer.from('sansdeuxpoints').toString('base64')}`][this.failures % 4] as string }
    }
  }
}

async function holdings (url: string): Promise<Map<string, Holdings>> {
  const scenario = await demoScenario()
  const out = new Map<string, Holdings>()
  for (const d of DEMO_DEPARTEMENTS) {
    const authorization = basicAuth(`dept${d}`, demoPassword(d))
    const up = await send(`${url}/api/v1/files?name=isolation-${d}.xml`, { method: 'POST', headers: { authorization, 'content-type': 'application/octet-stream' }, body: validCgpem(scenario, d, 6) })
    if (up.status !== 201 && up.status !== 422) throw new Error(`envoi du CGPEM de ${d} : ${up.status} ${up.body.toString()}`)
    const files = json<{ files: { name: string, reportId?: string }[] }>(await send(`${url}/api/v1/files`, { headers: { authorization } })).files
    out.set(d, { name: files.map((f) => f.name), id: files.flatMap((f) => f.reportId === undefined ? [] : [f.reportId]), departement: [d] })
  }
  return out
}

/** The files of every département, as "dept/name sha256", to tell afterwards that nobody's were touched. */
async function snapshot (url: string): Promise<Set<string>> {
  const out = new Set<string>()
  for (const d of DEMO_DEPARTEMENTS) {
    const files = json<{ files: { name: string, sha256: string }[] }>(await send(`${url}/api/v1/files`, { headers: { authorization: basicAuth(`dept${d}`, demoPassword(d)) } })).files
    for (const f of files) out.add(`${d}/${f.name} ${f.sha256}`)
  }
  return out
}

function bodyFor (route: Route): { body?: Buffer, headers: Record<string, string> } {
  if (route.bodyType === null) return { headers: {} }
  if (route.bodyType === 'application/json') return { body: Buffer.from('{}'), headers: { 'content-type': 'application/json' } }
  return { body: Buffer.from('x'), headers: { 'content-type': route.bodyType } }
}

interface Probe {
  /** the département whose resources fill the path; ABSENT for nothing that exists; null when the path names nothing */
  target: string | null
  url: string
}

/** The probes of a route: one per value (tuple) of each département, and one with values that exist nowhere. */
function probes (route: Route, own: Map<string, Holdings>, absent: Holdings, all: boolean): Probe[] {
  const named = route.params.length > 0 || route.query.some((q) => q.name === 'departement')
  const fill = (h: Holdings, pick: number): string => {
    let path = route.path
    for (const p of route.params) {
      const values = kindsOf(p, route.path).flatMap((k) => h[k])
      path = path.replace(`{${p.name}}`, encodeURIComponent(values[pick % Math.max(1, values.length)] ?? 'x'))
    }
    const query = route.query.map((q) => `${q.name}=${encodeURIComponent(q.name === 'departement' ? (h.departement[0] ?? 'x') : placeholder(q))}`)
    return query.length > 0 ? `${path}?${query.join('&')}` : path
  }
  if (!named) return [{ target: null, url: fill(absent, 0) }]
  const out: Probe[] = [{ target: ABSENT, url: fill(absent, 0) }]
  for (const [d, h] of own) {
    const widest = Math.max(1, ...route.params.map((p) => kindsOf(p, route.path).flatMap((k) => h[k]).length))
    for (let i = 0; i < (all ? widest : 1); i++) out.push({ target: d, url: fill(h, i) })
  }
  return out
}

export async function runIsolationMatrix (o: MatrixOptions): Promise<MatrixOutcome> {
  const agent = keepAliveAgent()
  const intruders = new Intruders()
  const violations: Violation[] = []
  const byStatus = new Map<number, number>()
  let requests = 0
  let ownReads = 0
  let crossProbes = 0
  try {
    const own = await holdings(o.url)
    const before = await snapshot(o.url)
    const taken = new Set(DEMO_DEPARTEMENTS as readonly string[])
    const absent: Holdings = { name: [`absent-${randomBytes(4).toString('hex')}.txt`], id: [randomUUID()], departement: [['13', '2A', '974', '01'].find((c) => !taken.has(c)) ?? '13'] }
    const { routes, described } = await describedRoutes(o.url, o.allMethods)
    routes.push(...['/api/v1/no-such-route', '/api/v1/admin/no-such-route'].map((path) => ({ method: 'GET', path, params: [], query: [], bodyType: null, open: false, admin: path.includes('/admin/'), described: false })))

    const callers: Caller[] = [
      ...DEMO_DEPARTEMENTS.map((d): Caller => ({ label: `dept${d}`, departement: d, kind: 'departement', headers: () => ({ authorization: basicAuth(`dept${d}`, demoPassword(d)) }) })),
      { label: 'admin', departement: null, kind: 'admin', headers: () => ({ authorization: basicAuth('admin', o.adminPassword) }) },
      ...o.intruders.map((k): Caller => ({ label: k, departement: null, kind: 'intruder', headers: () => intruders.headers(k) }))
    ]

    const call = async (caller: Caller, method: string, url: string, route: Route): Promise<Answer> => {
      const { body, headers } = bodyFor(route)
      const a = await send(`${o.url}${url}`, {
        method,
        headers: { ...caller.headers(), ...headers },
        ...(body === undefined ? {} : { body }),
        agent,
        ...(caller.kind === 'intruder' ? { localAddress: intruders.address() } : {})
      })
      requests++
      byStatus.set(a.status, (byStatus.get(a.status) ?? 0) + 1)
      if (a.status >= 500 && a.status !== 503 && a.status !== 507) violations.push({ invariant: 'réponse 5xx', detail: `${caller.label} ${method} ${url} : ${a.status} ${a.body.subarray(0, 200).toString('latin1')}` })
      return a
    }

    /** the 404 of a route that does not exist, by caller and method (what a département must get on admin routes) */
    const noRoute = new Map<string, Seen>()
    for (const route of routes) {
      for (const caller of callers) {
        const list = probes(route, own, absent, o.allResources)
        const absentSeen = new Map<string, Seen>()
        for (const probe of list) {
          // never change what the caller owns, nor let the admin change anyone's: unsafe methods only where they must fail
          const unsafe = !['GET', 'HEAD', 'OPTIONS'].includes(route.method)
          if (unsafe && probe.target !== null && probe.target !== ABSENT && (caller.kind === 'admin' || probe.target === caller.departement)) continue
          const a = await call(caller, route.method, probe.url, route)
          const where = `${caller.label} ${route.method} ${probe.url}`
          if (caller.kind === 'intruder') {
            if (route.open) continue
            const code = codeOf(a)
            const refused = a.status === 401 || (a.status === 429 && code !== null && code.startsWith('PHEBUS_AUTH_')) || (a.status === 503 && code === 'PHEBUS_AUTH_BUSY')
            if (!refused) violations.push({ invariant: 'accès sans identifiants valides', detail: `${where} : ${a.status} ${code ?? ''}` })
            else if (a.status === 401 && a.headers['www-authenticate'] === undefined) violations.push({ invariant: 'accès sans identifiants valides', detail: `${where} : 401 sans WWW-Authenticate` })
            continue
          }
          if (caller.kind !== 'departement') continue
          if (route.admin) {
            const key = `${caller.label} ${route.method} ${route.bodyType ?? ''}`
            let reference = noRoute.get(key)
            if (reference === undefined) {
              reference = seen(await call(caller, route.method, `/api/v1/admin/absent-${randomBytes(4).toString('hex')}`, route))
              noRoute.set(key, reference)
            }
            const diff = difference('route d\'admin visible d\'un département', seen(a), reference)
            if (diff !== null) violations.push({ invariant: diff.invariant, detail: `${where} : ${diff.words}, par rapport au 404 d'une route inexistante` })
            continue
          }
          if (probe.target === ABSENT) absentSeen.set(route.method, seen(a))
          if (probe.target === null || probe.target === ABSENT) continue
          if (probe.target === caller.departement) {
            if (a.status >= 200 && a.status < 300) ownReads++
            continue
          }
          crossProbes++
          if (a.status >= 200 && a.status < 400) violations.push({ invariant: 'accès aux données d\'un autre département', detail: `${where} (ressource de ${probe.target}) : ${a.status}` })
          else {
            const reference = absentSeen.get(route.method)
            const base = 'réponse différente de celle d\'une ressource absente'
            const diff = reference === undefined ? { invariant: base, words: 'pas de référence' } : difference(base, seen(a), reference)
            if (diff !== null) violations.push({ invariant: diff.invariant, detail: `${where} (ressource de ${probe.target}) : ${diff.words}` })
          }
        }
      }
    }

    const after = await snapshot(o.url)
    for (const f of before) if (!after.has(f)) violations.push({ invariant: 'fichier d\'un département modifié', detail: `${f} : absent ou changé après la matrice` })
    return { routes: routes.length, described, requests, ownReads, crossProbes, byStatus, violations }
  } finally {
    agent.destroy()
  }
}
