import { send, json } from './http.js'

/**
 * The routes as the server describes them at GET /docs/json (OpenAPI 3.1): what
 * the isolation matrix walks, so that a new route is covered the day it is
 * added.
 */

interface Parameter { name: string, in: string, required?: boolean, schema?: { type?: string, format?: string, enum?: unknown[], minimum?: number } }
interface Operation {
  tags?: string[]
  security?: unknown[]
  parameters?: Parameter[]
  requestBody?: { content?: Record<string, unknown> }
}
interface Description {
  security?: unknown[]
  paths: Record<string, Record<string, Operation>>
}

export interface Route {
  method: string
  /** the OpenAPI path, e.g. /api/v1/files/{name} */
  path: string
  /** path parameters, in order */
  params: Parameter[]
  /** required query parameters, and the optional `departement` one */
  query: Parameter[]
  /** the content type of the body to send, or null */
  bodyType: string | null
  /** no credentials needed: `security: []`, or outside /api with no security at all */
  open: boolean
  /** an administration route (tag `admin`, or under /api/v1/admin) */
  admin: boolean
  /** true when the description lists it; false for HEAD of a GET and the methods the heavy matrix adds */
  described: boolean
}

const METHODS = ['get', 'head', 'post', 'put', 'patch', 'delete', 'options']
const BODY_PREFERENCE = ['application/json', 'application/octet-stream']

function toRoute (path: string, method: string, op: Operation, global: unknown[] | undefined, described: boolean): Route {
  const parameters = op.parameters ?? []
  // under /api, only an explicit `security: []` opens a route
  const open = op.security !== undefined ? op.security.length === 0 : (global === undefined || global.length === 0) && !path.startsWith('/api/')
  const types = Object.keys(op.requestBody?.content ?? {})
  return {
    method: method.toUpperCase(),
    path,
    params: parameters.filter((p) => p.in === 'path'),
    query: parameters.filter((p) => p.in === 'query' && (p.required === true || p.name === 'departement')),
    bodyType: types.length === 0 ? null : BODY_PREFERENCE.find((t) => types.includes(t)) ?? types[0] ?? null,
    open,
    admin: (op.tags ?? []).includes('admin') || path.startsWith('/api/v1/admin/'),
    described
  }
}

/**
 * Every described operation, HEAD beside each GET (Fastify serves it), and
 * with `allMethods` every other method on each path too (undescribed: the
 * same rules apply to whatever answers there).
 */
export async function describedRoutes (url: string, allMethods: boolean): Promise<{ routes: Route[], described: number }> {
  const res = await send(`${url}/docs/json`)
  if (res.status !== 200) throw new Error(`GET /docs/json : ${res.status}`)
  const doc = json<Description>(res)
  const routes: Route[] = []
  let described = 0
  for (const [path, ops] of Object.entries(doc.paths)) {
    const present = new Set(Object.keys(ops).filter((m) => METHODS.includes(m)))
    for (const m of present) {
      routes.push(toRoute(path, m, ops[m] as Operation, doc.security, true))
      described++
    }
    const model = ops.get ?? ops[[...present][0] ?? ''] ?? {}
    for (const m of METHODS) {
      if (present.has(m)) continue
      if (m === 'head' && present.has('get')) routes.push(toRoute(path, m, ops.get as Operation, doc.security, false))
      else if (allMethods) routes.push({ ...toRoute(path, m, { ...model, requestBody: undefined }, doc.security, false), described: false })
    }
  }
  return { routes, described }
}

/** A plausible value for a required query parameter of unknown meaning. */
export function placeholder (p: Parameter): string {
  if (p.schema?.enum !== undefined && p.schema.enum.length > 0) return String(p.schema.enum[0])
  if (p.schema?.type === 'integer' || p.schema?.type === 'number') return String(p.schema.minimum ?? 1)
  if (p.schema?.type === 'boolean') return 'true'
  return 'x'
}

export type { Parameter }
