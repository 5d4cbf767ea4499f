import type { FastifyReply } from 'fastify'

/** Fastify's content type for a JSON body it serializes: the same for JSON sent as text. */
export const JSON_TYPE = 'application/json; charset=utf-8'

/** JSON already written (a stored report, a bilan): sent as it is, past the route's serializer. */
export function sendJsonText (reply: FastifyReply, json: string): FastifyReply {
  return reply.type(JSON_TYPE).send(json)
}

/** A Content-Length as a number of bytes: null when absent or not a plain count. */
export function contentLength (v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null
  if (typeof v !== 'string' || !/^[0-9]{1,15}$/.test(v)) return null
  return Number(v)
}

/**
 * A Content-Security-Policy with `source` added to one directive (created if
 * absent): how a third-party page gets what it needs and nothing else.
 */
export function allowInCsp (policy: string, directive: string, source: string): string {
  const directives = policy.split(';').map((d) => d.trim()).filter((d) => d !== '')
  const at = directives.findIndex((d) => d.split(/\s+/)[0] === directive)
  if (at < 0) return [...directives, `${directive} ${source}`].join(';')
  const current = directives[at] as string
  if (!current.split(/\s+/).includes(source)) directives[at] = `${current} ${source}`
  return directives.join(';')
}

/** Whether If-None-Match names `etag` (weak comparison, RFC 9110 § 13.1.2): the answer is then 304. */
export function ifNoneMatchNames (ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  return ifNoneMatch.split(',').some((t) => { const v = t.trim(); return v === '*' || v === etag || v === `W/${etag}` })
}
