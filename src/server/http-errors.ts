import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { STATUS_CODES } from 'node:http'
import { isServerError, ServerError } from './errors.js'
import { malformedUrlOf } from './outside-routes.js'
import { describeValidation, type SchemaIssue } from './schema-errors.js'
import type { ErrorBody } from './schemas/common.js'

/** What is not the caller's answers exactly as what does not exist. */
export function notFound (): ServerError {
  return new ServerError('PHEBUS_HTTP_NOT_FOUND')
}

/** Fastify's and the plugins' own errors, as the server's codes. */
const FOREIGN: Readonly<Record<string, ServerError['code']>> = {
  FST_BASIC_AUTH_MISSING_OR_BAD_AUTHORIZATION_HEADER: 'PHEBUS_AUTH_REQUIRED',
  FST_REQ_FILE_TOO_LARGE: 'PHEBUS_FILE_TOO_LARGE',
  FST_PARTS_LIMIT: 'PHEBUS_FILE_FORM_FIELDS',
  FST_FILES_LIMIT: 'PHEBUS_FILE_SECOND_PART',
  FST_FIELDS_LIMIT: 'PHEBUS_FILE_FORM_FIELDS',
  // a body a parser reads whole (JSON, a form): an upload is streamed, never parsed, and has its own limit
  FST_ERR_CTP_BODY_TOO_LARGE: 'PHEBUS_HTTP_BODY_TOO_LARGE',
  // the system's and the database's: a full disk, or no descriptor left
  ENOSPC: 'PHEBUS_STORAGE_FULL',
  EDQUOT: 'PHEBUS_STORAGE_FULL',
  SQLITE_FULL: 'PHEBUS_STORAGE_FULL',
  // a data folder made read-only while the server runs (a remount, a full-disk guard of the file system)
  EROFS: 'PHEBUS_STORAGE_READ_ONLY',
  SQLITE_READONLY: 'PHEBUS_STORAGE_READ_ONLY',
  EMFILE: 'PHEBUS_HTTP_BUSY',
  ENFILE: 'PHEBUS_HTTP_BUSY'
}

/**
 * Fastify's and the plugins' other client errors, told in French: their own
 * messages are English. Each keeps its status, its code in `details`, and is
 * PHEBUS_HTTP_BAD_REQUEST but for the statuses that have a code of their own
 * (CLIENT_STATUS_CODES).
 */
const FOREIGN_MESSAGES: Readonly<Record<string, (request: FastifyRequest | undefined) => string>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: () => 'Requête invalide : le corps n\'est pas du JSON bien formé, alors que l\'en-tête Content-Type annonce application/json.',
  FST_ERR_CTP_EMPTY_JSON_BODY: () => 'Requête invalide : le corps est vide, alors que l\'en-tête Content-Type annonce application/json.',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: (request) => `Type de contenu refusé : cette route ne lit pas « ${request?.headers['content-type'] ?? ''} » (en-tête Content-Type).`,
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: () => 'Requête invalide : la taille du corps ne correspond pas à l\'en-tête Content-Length.',
  FST_ERR_CTP_INVALID_TYPE: () => 'Requête invalide : l\'en-tête Content-Type est mal formé.',
  FST_INVALID_MULTIPART_CONTENT_TYPE: () => 'Requête invalide : le corps n\'est pas un formulaire multipart/form-data.',
  FST_PROTO_VIOLATION: () => 'Formulaire refusé : un champ porte un nom réservé (__proto__, constructor).',
  FST_INVALID_JSON_FIELD_ERROR: () => 'Formulaire refusé : un champ annoncé comme JSON n\'est pas du JSON bien formé.',
  FST_MP_PREMATURE_CLOSE: () => 'Envoi interrompu avant la fin du formulaire multipart/form-data.'
}

/** The client errors of Fastify whose status has its own code: a body the route does not read (415) is not a malformed request. */
const CLIENT_STATUS_CODES: Readonly<Record<number, ServerError['code']>> = {
  415: 'PHEBUS_HTTP_UNSUPPORTED_MEDIA_TYPE'
}

/** Seconds a client is told to wait after a 503 the server did not set a delay for (no descriptor left). */
const BUSY_RETRY_S = 5

/** Any error thrown while answering, as a status and a JSON body with a stable code and a French message. */
export function toErrorBody (err: unknown, request?: FastifyRequest): ErrorBody {
  let status: number
  let code: string
  let message: string
  const details: string[] = []
  const e = err as Partial<FastifyError>
  const badUrl = request === undefined ? null : malformedUrlOf(request.raw)
  if (isServerError(err)) {
    ({ statusCode: status, code, message } = err)
  } else if (e.validation !== undefined && badUrl !== null) {
    // the URL the router could not read stands in under an escaped or cut form, which its schema may refuse: the URL's
    // own error is told (a %XX that is no UTF-8, an over-long segment), as the preHandler after validation would have
    ({ statusCode: status, code, message } = badUrl.error)
  } else if (e.validation !== undefined) {
    status = 400
    code = 'PHEBUS_HTTP_BAD_REQUEST'
    message = validationMessage(e, request)
  } else if (typeof e.code === 'string' && FOREIGN[e.code] !== undefined) {
    const mapped = new ServerError(FOREIGN[e.code] as ServerError['code'])
    ;({ statusCode: status, code, message } = mapped)
    details.push(e.code)
  } else if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    status = e.statusCode
    code = CLIENT_STATUS_CODES[status] ?? 'PHEBUS_HTTP_BAD_REQUEST'
    const told = typeof e.code === 'string' ? FOREIGN_MESSAGES[e.code] : undefined
    // never the framework's own words: they are English
    message = told === undefined ? `Requête refusée (statut ${status}).` : told(request)
    if (typeof e.code === 'string') details.push(e.code)
  } else {
    status = 500
    code = 'PHEBUS_HTTP_INTERNAL'
    message = new ServerError('PHEBUS_HTTP_INTERNAL').message
  }
  const body: ErrorBody = { statusCode: status, code, error: STATUS_CODES[status] ?? 'Error', message }
  if (details.length > 0) body.details = details
  return body
}

/**
 * The app's error handler: a coded JSON body, Retry-After for a lock, and
 * the connection closed when the request's body was not read to its end
 * (an upload refused early), so that the client stops sending.
 */
export function handleError (err: unknown, request: FastifyRequest, reply: FastifyReply): ErrorBody {
  return { ...prepareError(err, request, reply), requestId: request.id }
}

/**
 * What every error answer does whatever its form (JSON for the API, a page
 * for the browser): its code and status, Retry-After, the connection closed
 * on an unread body, the code in the trail, an internal error logged.
 */
export function prepareError (err: unknown, request: FastifyRequest, reply: FastifyReply): ErrorBody {
  const body = toErrorBody(err, request)
  // a 500 injected on purpose (src/faults) is no error of the server's
  if (body.code === 'PHEBUS_HTTP_INTERNAL' && request.trace?.faultId == null) request.log.error({ err }, 'erreur interne')
  if (isServerError(err) && err.retryAfter !== undefined) reply.header('retry-after', String(err.retryAfter))
  else if (body.statusCode === 503) reply.header('retry-after', String(BUSY_RETRY_S))
  if (hasUnreadBody(request)) reply.header('connection', 'close')
  if (request.trace !== null) request.trace.detail = body.code
  reply.code(body.statusCode)
  return body
}

const PART_DATA = { querystring: 'query', params: 'params', headers: 'headers', body: 'body' } as const

/** A validation error in French, with the values sent and the route's schema when the request is at hand. */
function validationMessage (e: Partial<FastifyError>, request: FastifyRequest | undefined): string {
  const part = (e as { validationContext?: string }).validationContext ?? 'body'
  const dataKey = PART_DATA[part as keyof typeof PART_DATA] as keyof FastifyRequest | undefined
  const data = request !== undefined && dataKey !== undefined ? request[dataKey] : undefined
  const schemas = request?.routeOptions.schema as Record<string, unknown> | undefined
  let schema = schemas?.[part] ?? (part === 'querystring' ? schemas?.query : undefined)
  const content = (schema as { content?: Record<string, { schema?: unknown }> } | undefined)?.content
  if (content !== undefined) schema = content[request?.headers['content-type']?.split(';')[0]?.trim() ?? '']?.schema
  return describeValidation(part, (e.validation ?? []) as SchemaIssue[], data, schema)
}

function hasUnreadBody (request: FastifyRequest): boolean {
  if (request.raw.complete) return false
  const length = request.headers['content-length']
  return request.headers['transfer-encoding'] !== undefined || (length !== undefined && length !== '0')
}
