import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { randomUUID } from 'node:crypto'
import type { IncomingMessage } from 'node:http'
import type { Socket } from 'node:net'
import { maxHeaderSize, STATUS_CODES } from 'node:http'
import { FILE_NAME_MAX_LENGTH } from '../layouts/file-names.js'
import { formatSize } from '../units.js'
import { ServerError } from './errors.js'
import { timeOrderedId } from './request-id.js'
import { afterAnswers } from './plugins/app/limits.js'
import type { ErrorBody } from './schemas/common.js'

/**
 * What Fastify and Node answer by themselves, before any route or hook,
 * made the server's own: a URL the router cannot decode, a parameter longer
 * than it takes, a request the HTTP parser cannot read. Each gets the
 * project's error body, its request id, and its line in the trail; the first
 * two go through the whole pipeline (authentication included) like any
 * request.
 */

const malformed = Symbol('phebus.malformedUrl')

interface Malformed {
  error: ServerError
  /** the URL as sent, for the trail */
  url: string
}

type MarkedRequest = IncomingMessage & { [malformed]?: Malformed }

/** The URL as the client sent it and why it is refused, when the router could not take it. */
export function malformedUrlOf (raw: IncomingMessage): Malformed | null {
  return (raw as MarkedRequest)[malformed] ?? null
}

/** Longest path segment let through to the routes once a URL was refused for a too long one. */
const SEGMENT_KEPT = 200

/**
 * Fastify's `frameworkErrors`: the request is marked with its error and sent
 * through the routes again under a URL the router can read (every '%' taken
 * literally, overlong segments cut), so that it is authenticated where it
 * must be, answered by the error handler and traced like any other.
 */
export function frameworkErrors (app: () => FastifyInstance): (err: FastifyError, request: FastifyRequest, reply: FastifyReply) => void {
  return (err, request, reply) => {
    const raw = request.raw as MarkedRequest
    if (raw[malformed] !== undefined) {
      // already re-routed once: should not happen, answer without the pipeline rather than loop
      writeRaw(reply.raw.socket, 400, errorBody(new ServerError('PHEBUS_HTTP_BAD_URL'), request.id))
      return
    }
    const url = raw.url ?? '/'
    const q = url.indexOf('?')
    const path = q < 0 ? url : url.slice(0, q)
    const query = q < 0 ? '' : url.slice(q)
    const tooLong = err.code === 'FST_ERR_MAX_PARAM_LENGTH'
    raw[malformed] = {
      url,
      error: tooLong
        ? new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Adresse refusée : un élément du chemin dépasse la longueur permise (${path.length} caractères en tout).`)
        : new ServerError('PHEBUS_HTTP_BAD_URL', `Adresse mal formée : « ${path.slice(0, 120)} » contient un échappement %XX qui ne désigne pas un caractère UTF-8.`)
    }
    raw.url = path.split('/').map((s) => s.replace(/%/g, '%25').slice(0, SEGMENT_KEPT)).join('/') + (tooLong ? '' : query.replace(/%/g, '%25'))
    app().routing(raw, reply.raw)
  }
}

/** The error body of an answer, with the request's id. */
export function errorBody (err: ServerError, requestId: string): ErrorBody {
  return { statusCode: err.statusCode, code: err.code, error: STATUS_CODES[err.statusCode] ?? 'Error', message: err.message, requestId }
}

/**
 * Fastify's `clientErrorHandler`: a request the HTTP parser could not read
 * (no route, no credentials to check) is answered in the project's format
 * and traced, then its connection closed.
 */
export function clientErrorHandler (this: FastifyInstance, err: NodeJS.ErrnoException, socket: Socket): void {
  if (err.code === 'ECONNRESET' || socket.destroyed) return
  const timeout = err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
  const overflow = err.code === 'HPE_HEADER_OVERFLOW'
  const error = timeout
    ? new ServerError('PHEBUS_HTTP_IDLE_TIMEOUT', 'Requête trop lente : elle n\'est pas arrivée entière dans le délai permis.')
    : overflow && overflowed(err as ParseError) === 'address'
      ? new ServerError('PHEBUS_HTTP_URI_TOO_LONG', `Adresse trop longue : la ligne de requête dépasse à elle seule les ${formatSize(maxHeaderSize)} que le serveur lit pour elle et les en-têtes ensemble (un nom de fichier a ${FILE_NAME_MAX_LENGTH} caractères au plus).`)
      // 431 for headers too long, with its own code (as 414 for an address too long), where it was 431 with 400's code
      : new ServerError(overflow ? 'PHEBUS_HTTP_HEADERS_TOO_LARGE' : 'PHEBUS_HTTP_BAD_REQUEST', `Requête HTTP illisible (${err.code ?? 'inconnue'}) : ${overflow ? overflowReason(err as ParseError) : reasonOf(err.code)}`)
  // the trail, when the app is up (a parse error can come before it is)
  const trail = (this as Partial<FastifyInstance>).auditTrail
  const now = (this as Partial<FastifyInstance>).config?.now
  // a request id of version 7 as every other request's (request-id.ts), from the clock the app has once up
  const requestId = now === undefined ? randomUUID() : timeOrderedId(now())
  const status = error.statusCode
  // what came before on this connection is answered first (HTTP/1.1 answers in order), then this, then the connection closes
  afterAnswers(socket, () => {
    if (socket.writable) writeRaw(socket, status, errorBody(error, requestId))
    socket.destroy()
  })
  if (trail && now) {
    trail.record({ at: now(), kind: 'request', username: null, address: socket.remoteAddress ?? null, method: null, route: null, path: null, fileName: null, status, bytesIn: null, bytesOut: null, durationMs: null, sha256: null, departement: null, detail: error.code === 'PHEBUS_HTTP_BAD_REQUEST' || error.code === 'PHEBUS_HTTP_HEADERS_TOO_LARGE' ? (err.code ?? error.code) : error.code, requestId })
  }
}

/** What Node's HTTP parser gives with its error: the chunk it was reading, and where in it the error came. */
type ParseError = NodeJS.ErrnoException & { rawPacket?: Buffer, bytesParsed?: number }

/**
 * What went past the parser's limit (the request line and the headers
 * together): the address, the headers, or unknown. The limit is checked at
 * the end of a span (the URL ends at a space, a header at its CR) or of the
 * chunk being read: an error on a space is the URL's; otherwise the line
 * being read, when it starts in this chunk, says which it is (a method, a
 * space and no other space: the request line). A chunk that goes on with a
 * line begun in an earlier one, ended by the limit, cannot tell.
 */
function overflowed (err: ParseError): 'address' | 'headers' | 'unknown' {
  const { rawPacket: chunk, bytesParsed: at } = err
  if (chunk === undefined || at === undefined || at < 0 || at > chunk.length) return 'unknown'
  if (chunk[at] === 0x20) return 'address'
  const lineStart = chunk.lastIndexOf(0x0a, at - 1) + 1
  const line = chunk.subarray(lineStart, at).toString('latin1')
  if (REQUEST_LINE.test(line)) return 'address'
  return lineStart > 0 || /^[A-Z]+ /.test(line) ? 'headers' : 'unknown'
}

/** The start of a request line, up to its URL: a method, a space, no other space. */
const REQUEST_LINE = /^[A-Z]+ [^ \r\n]*$/

/** Headers too long, or what cannot be told apart from them: the limit is on the request line and the headers together. */
function overflowReason (err: ParseError): string {
  const limit = formatSize(maxHeaderSize)
  return overflowed(err) === 'headers'
    ? `en-têtes trop longs (${limit} au plus, avec la ligne de requête).`
    : `adresse ou en-têtes trop longs (${limit} au plus, ensemble).`
}

function reasonOf (code: string | undefined): string {
  switch (code) {
    case 'HPE_INVALID_METHOD': return 'méthode HTTP inconnue.'
    case 'HPE_INVALID_URL': return 'adresse invalide.'
    case 'HPE_INVALID_EOF_STATE': return 'la connexion a été fermée avant la fin de la requête (un corps plus court que son Content-Length, ou des en-têtes inachevés).'
    case 'HPE_INVALID_VERSION': return 'version HTTP inconnue : HTTP/1.1 ou HTTP/1.0.'
    case 'HPE_INVALID_HEADER_TOKEN': return 'un en-tête mal formé (un caractère interdit dans son nom, ou une ligne sans « : »).'
    case 'HPE_INVALID_CONTENT_LENGTH': return 'en-tête Content-Length invalide (un nombre d\'octets, donné une fois).'
    case 'HPE_UNEXPECTED_CONTENT_LENGTH': return 'Content-Length et Transfer-Encoding: chunked donnés ensemble : un seul des deux.'
    case 'HPE_INVALID_TRANSFER_ENCODING': return 'en-tête Transfer-Encoding invalide : chunked, en dernier, et jamais avec Content-Length.'
    case 'HPE_INVALID_CHUNK_SIZE': return 'corps découpé (Transfer-Encoding: chunked) mal formé : la taille d\'un morceau n\'est pas un nombre hexadécimal.'
    case 'HPE_CR_EXPECTED':
    case 'HPE_LF_EXPECTED': return 'une ligne de la requête ne finit pas par CR LF.'
    default: return 'elle ne suit pas HTTP/1.1.'
  }
}

function writeRaw (socket: Socket | null, status: number, body: ErrorBody): void {
  if (socket === null || !socket.writable) return
  const json = JSON.stringify(body)
  socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(json)}\r\nX-Request-Id: ${body.requestId ?? ''}\r\nConnection: close\r\n\r\n${json}`)
}
