import type { OutgoingHttpHeaders } from 'node:http'
import type { FileHandle } from 'node:fs/promises'
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Multipart } from '@fastify/multipart'
import type { StoredFile } from '../../storage/files.js'
import { ServerError } from '../errors.js'
import { notFound } from '../http-errors.js'
import { contentLength, ifNoneMatchNames, sendJsonText } from '../headers.js'
import { expectsContinue, holdWhile, sendContinue } from '../plugins/app/limits.js'
import { MAX_FORM_FIELDS } from '../plugins/external/multipart.js'
import { reportJson } from '../services/files.js'
import { sendFile } from '../services/send-file.js'
import { sendPaced } from '../faults-wire.js'
import { claimName, receiveUpload, tooLarge, type UploadResult } from '../services/uploads.js'
import type { UploadTicket } from '../services/upload-gate.js'

/**
 * What the API and the pages do to a file, written once: send its bytes or
 * its report's JSON, receive an upload (validated as it arrives), delete an upload. The routes
 * only say how the answer looks (JSON, a page, a redirect).
 */

function contentType (f: StoredFile): string {
  if (f.kind === 'PECGM' || f.format === 'fixed') return 'text/plain; charset=ISO-8859-1'
  return f.format === 'xml' ? 'application/xml' : 'application/octet-stream'
}

/**
 * If-Match (RFC 9110 § 13.1.1), evaluated before anything is done: a client
 * that names the version it means (the ETag of the list or of an earlier
 * download) is never sent nor made to delete another one. Compared strongly:
 * a weak tag (W/"…") matches nothing.
 */
function checkIfMatch (ifMatch: string | undefined, file: StoredFile): void {
  if (ifMatch === undefined) return
  const etag = `"${file.sha256}"`
  if (ifMatch.split(',').some((t) => { const v = t.trim(); return v === '*' || v === etag })) return
  throw new ServerError('PHEBUS_HTTP_PRECONDITION_FAILED', `If-Match ne désigne pas la version présente de ${file.name} (ETag ${etag}) : rien n'a été fait. Relisez la liste des fichiers, puis recommencez avec son empreinte.`)
}

/**
 * If-None-Match on a DELETE (RFC 9110 § 13.1.2): a tag that names the version
 * present (compared weakly), or *, is a condition that fails; nothing is
 * deleted, 412 (a GET answers 304 instead: sendStoredFile).
 */
function checkIfNoneMatch (ifNoneMatch: string | undefined, file: StoredFile): void {
  const etag = `"${file.sha256}"`
  if (!ifNoneMatchNames(ifNoneMatch, etag)) return
  throw new ServerError('PHEBUS_HTTP_PRECONDITION_FAILED', `If-None-Match désigne la version présente de ${file.name} (ETag ${etag}) : rien n'a été fait.`)
}

/** Sends a report of the département as JSON, as stored (reportJson: a thousand findings are not read and written again); 404 when it is not there. */
export async function sendStoredReport (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, departement: string, id: string): Promise<FastifyReply> {
  const report = app.files.storedReport(departement, id)
  if (report === null) throw notFound()
  request.trace.fileName = report.fileName
  return await sendJsonText(reply, reportJson(report))
}

/** Sends a file of the département as stored, with its ETag (SHA-256); 304 on If-None-Match; 404 when it is not there. */
export async function sendStoredFile (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, departement: string, name: string): Promise<void> {
  const file = app.files.find(departement, name)
  if (file === null) throw notFound()
  request.trace.fileName = file.name
  request.trace.sha256 = file.sha256
  checkIfMatch(request.headers['if-match'], file)
  const etag = `"${file.sha256}"`
  reply.header('etag', etag)
  // a département's file (personal data, fictitious here): kept by no cache, the browser's included; a program that
  // keeps the ETag itself may still ask If-None-Match. Said on a 304 as on the 200 (RFC 9110 § 15.4.5); the 200's
  // reply is hijacked: no onSend hook says it for it
  reply.header('cache-control', 'no-store')
  if (ifNoneMatchNames(request.headers['if-none-match'], etag)) {
    // no body, hence no Content-Type nor Content-Length of one (RFC 9110 § 15.4.5)
    await reply.code(304).send()
    return
  }
  const fh = await app.files.open(file)
  reply.header('content-type', contentType(file))
  reply.header('content-length', file.size)
  reply.header('content-disposition', `attachment; filename="${file.name}"`)
  // sent by hand from reused 1 MiB buffers (send-file.ts); the trail's onResponse hook still runs
  reply.hijack()
  reply.raw.writeHead(200, reply.getHeaders() as OutgoingHttpHeaders)
  if (request.method === 'HEAD') {
    await fh.close()
    reply.raw.end()
    return
  }
  const wire = request.wireFault
  // a fault on the wire (slow body, reset after N bytes) sends the same bytes, paced or cut
  const sending = wire === null ? sendFile(reply.raw, fh, file.size) : sendPaced(reply.raw, fileBytes(fh, file.size), wire).finally(() => fh.close())
  const sent = await sending.catch((err: unknown) => {
    request.log.error({ err }, 'téléchargement interrompu')
    reply.raw.destroy()
    return 0
  })
  if (wire?.afterBytes != null && sent < file.size) request.trace.detail = `connexion coupée après ${sent} octets`
  // the admin reading a département's file (the console) is no download of the département's
  if (request.principal?.role !== 'admin') app.qualification.downloaded(departement, file, sent, request.trace.faultId)
}

/** A file's bytes, read a chunk at a time from its handle. */
async function * fileBytes (fh: FileHandle, size: number): AsyncGenerator<Buffer> {
  const buf = Buffer.allocUnsafe(Math.min(size, 1 << 16))
  for (let position = 0; position < size;) {
    const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, size - position), position)
    if (bytesRead === 0) return
    position += bytesRead
    yield buf.subarray(0, bytesRead)
  }
}

export interface UploadOptions {
  /** the name of a raw upload (?name=); a multipart upload names its file part */
  rawName?: string | undefined
  /** checks the form's fields that come before the file part (the pages' CSRF token), before a byte of the file is read */
  beforeFile?: (fields: ReadonlyMap<string, string>) => void
}

/**
 * Receives a CGPEM: everything that can be said before the body is said
 * before it is asked for (Expect: 100-continue): a compressed body (415),
 * the name of a raw upload, the announced size, the uploads at once and the quota. Then the body is
 * validated as it arrives and the file kept with its report, accepted or not.
 * Null when a fault reset the connection (nothing is kept, nothing to answer).
 */
export async function receiveFromRequest (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, departement: string, options: UploadOptions = {}): Promise<UploadResult | null> {
  refuseEncoding(request.headers['content-encoding'])
  const multipart = request.isMultipart()
  const admitted = admit(app, request, departement, multipart, options.rawName)
  let { release } = admitted
  const { declared, ticket } = admitted
  try {
    if (expectsContinue(request.headers.expect)) sendContinue(reply.raw)
    const upload: IncomingUpload = multipart ? await multipartUpload(request, options.beforeFile) : { name: options.rawName as string, source: request.raw }
    if (multipart) {
      request.trace.fileName = upload.name
      // a fault on the uploads of this file: its name is known now, before a byte of the file is read
      if (await app.namedUploadFault(request, reply, departement, upload.name) === 'cut') return null
      release = claimName(app.files, departement, upload.name)
    }
    request.trace.bytesIn = 0
    let iteration: number | null = null
    const result = await receiveUpload(app.files, {
      departement,
      name: upload.name,
      source: upload.source,
      declaredLength: multipart ? null : declared,
      queueBytes: ticket.queueBytes,
      maxBytes: app.config.maxUploadBytes,
      truncated: upload.truncated,
      afterBody: upload.rest,
      onBytes: (n) => {
        request.trace.bytesIn = (request.trace.bytesIn ?? 0) + n
        ticket.add(n)
      },
      validation: (v) => {
        const validation = app.validators.begin(v)
        // waiting for a validating thread, the body is not read: its silence is the server's
        if (validation.queued != null) holdWhile(request.raw, validation.queued)
        return validation
      },
      qualification: {
        sample: () => {
          const t = app.qualification.tallySample(departement)
          iteration = t?.iteration ?? null
          return t?.sample ?? null
        },
        annotate: (summary) => app.qualification.annotate(summary),
        // in the transaction that stores the upload: evidence of the iteration whatever happens next
        recorded: (file, summary) => { if (iteration !== null) app.qualification.recordUpload(departement, file, summary, iteration) },
        // its answer PECGM after the upload's own, as Pôle emploi answers later: the département's next request waits for it;
        // the upload is stored whatever happens to its answer: a failed deposit is logged, never turned into a 500, and stays due
        uploaded: () => {
          if (iteration !== null) app.qualification.answerLater(departement, (err) => { request.log.error({ err }, 'qualification : réponse au CGPEM impossible') })
        }
      }
    }, release ?? (() => {}))
    release = null
    request.trace.sha256 = result.file.sha256
    return result
  } finally {
    release?.()
    ticket.release()
  }
}

/**
 * 415 for a body sent compressed (Content-Encoding other than identity):
 * the server keeps and validates the bytes it receives, and compressed ones
 * are not the file. Said before the body is asked for.
 */
function refuseEncoding (header: string | undefined): void {
  if (header === undefined) return
  const codings = header.split(',').map((c) => c.trim().toLowerCase()).filter((c) => c !== '' && c !== 'identity')
  if (codings.length === 0) return
  const named = header.trim()
  throw new ServerError('PHEBUS_HTTP_UNSUPPORTED_MEDIA_TYPE', `Content-Encoding ${named.length > 60 ? `${named.slice(0, 60)}…` : named} non pris en charge : envoyez le fichier tel quel, sans le compresser (le serveur garde et valide les octets qu'il reçoit).`)
}

function admit (app: FastifyInstance, request: FastifyRequest, departement: string, multipart: boolean, name: string | undefined): { declared: number | null, release: (() => void) | null, ticket: UploadTicket } {
  const declared = contentLength(request.headers['content-length'])
  let release: (() => void) | null = null
  if (!multipart) {
    if (name === undefined || name === '') throw new ServerError('PHEBUS_FILE_NAME_MISSING')
    request.trace.fileName = name
    release = claimName(app.files, departement, name)
  }
  try {
    if (declared !== null && declared > app.config.maxUploadBytes + (multipart ? MULTIPART_OVERHEAD : 0)) throw tooLarge(app.config.maxUploadBytes)
    return { declared, release, ticket: app.uploads.enter(departement, declared) }
  } catch (err) {
    release?.()
    throw err
  }
}

/** Deletes an upload of the département (a CGPEM and its report); a PECGM is read-only; 404 when it is not there. */
export async function deleteUpload (app: FastifyInstance, request: FastifyRequest, departement: string, name: string): Promise<StoredFile> {
  const file = app.files.find(departement, name)
  if (file === null) throw notFound()
  request.trace.fileName = file.name
  request.trace.sha256 = file.sha256
  checkIfMatch(request.headers['if-match'], file)
  checkIfNoneMatch(request.headers['if-none-match'], file)
  if (file.kind !== 'CGPEM') throw new ServerError('PHEBUS_FILE_READ_ONLY', `${file.name} est un PECGM déposé par Pôle emploi : il ne se supprime pas, il expire le ${new Date(app.files.expiresAt(file)).toISOString().slice(0, 10)}. Seuls les CGPEM envoyés par le département se suppriment.`)
  await app.files.remove([file], null)
  return file
}

/** Room for the multipart framing around the file part, within the upload limit's check of Content-Length. */
const MULTIPART_OVERHEAD = 64 * 1024

interface IncomingUpload {
  name: string
  source: AsyncIterable<Buffer>
  truncated?: () => boolean
  /** reads what follows the file part: a second file part refuses the whole upload */
  rest?: () => Promise<void>
}

/** The « file » part of a multipart/form-data body: fields before it are allowed (kept for `beforeFile`) up to the plugin's limit, a second file is not. */
async function multipartUpload (request: FastifyRequest, beforeFile: UploadOptions['beforeFile']): Promise<IncomingUpload> {
  const parts = request.parts()[Symbol.asyncIterator]()
  /** fields given before the file part (the parser gives none past its limit), and whether the file part was given */
  let fieldsBefore = 0
  let fileGiven = false
  const next = async (): Promise<IteratorResult<Multipart>> => await parts.next().catch((err: Error & { statusCode?: number, code?: string }) => {
    if (err.code === 'FST_FIELDS_LIMIT' || err.code === 'FST_PARTS_LIMIT') throw tooManyFields(fieldsBefore, fileGiven, err)
    throw err.statusCode === undefined ? new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Corps multipart/form-data mal formé : ${multipartProblem(err.message)}.`, { cause: err }) : err
  })
  const fields = new Map<string, string>()
  /** a text field named file came (no filename: not a file part) */
  let fileAsText = false
  for (;;) {
    const part = await next()
    if (part.done === true) {
      beforeFile?.(fields)
      // curl -F 'file=<cgpem.xml' sends the file's content as a text field named file
      if (fileAsText) throw new ServerError('PHEBUS_FILE_NAME_MISSING', 'Formulaire multipart/form-data refusé : la partie « file » est un champ texte, pas un fichier (avec curl : -F file=@chemin).')
      throw new ServerError('PHEBUS_FILE_NAME_MISSING', 'Partie « file » absente du formulaire multipart/form-data.')
    }
    if (part.value.type !== 'file') {
      fieldsBefore++
      if (part.value.fieldname === 'file') fileAsText = true
      if (typeof part.value.value === 'string') fields.set(part.value.fieldname, part.value.value)
      continue
    }
    fileGiven = true
    beforeFile?.(fields)
    const file = part.value
    if (file.fieldname !== 'file') throw new ServerError('PHEBUS_FILE_NAME_MISSING', `Partie fichier « ${file.fieldname.slice(0, 40)} » : le formulaire doit appeler « file » la partie du fichier.`)
    if (file.filename === '') throw new ServerError('PHEBUS_FILE_NAME_MISSING', 'Aucun fichier choisi : choisissez le fichier CGPEM à envoyer.')
    return {
      name: file.filename,
      source: file.file,
      truncated: () => file.file.truncated,
      rest: async () => {
        for (let more = await next(); more.done !== true; more = await next()) {
          if (more.value.type === 'file') throw new ServerError('PHEBUS_FILE_SECOND_PART')
        }
      }
    }
  }
}

/**
 * The form's fields are over the plugin's limit (MAX_FORM_FIELDS, before
 * and after the file part together), told as truly as the parser lets it be
 * known: it gives no field past its limit, and may give the file part before
 * its error. Fewer fields given before the file than the limit: the one too
 * many came after it; the limit reached before it: it may have come on
 * either side, unless the file part was never given.
 */
function tooManyFields (fieldsBefore: number, fileGiven: boolean, cause: Error): ServerError {
  const limit = `${MAX_FORM_FIELDS} au plus, avant et après la partie « file » ensemble`
  const message = !fileGiven
    ? `trop de champs avant la partie « file » (${limit})`
    : fieldsBefore < MAX_FORM_FIELDS
      ? `trop de champs : ${fieldsBefore} avant la partie « file » et d'autres après elle, plus qu'il n'en est permis (${limit}) ; le fichier n'est pas gardé`
      : `trop de champs (${limit}) ; le fichier n'est pas gardé`
  return new ServerError('PHEBUS_FILE_FORM_FIELDS', `Formulaire multipart/form-data refusé : ${message}.`, { cause })
}

/** What the multipart parser (busboy, in English) found wrong, in French. */
function multipartProblem (message: string): string {
  if (/boundary not found/i.test(message)) return 'l\'en-tête Content-Type ne donne pas de séparateur (boundary=…)'
  if (/unexpected end of (form|multipart)/i.test(message)) return 'le corps s\'arrête avant la fin du formulaire'
  if (/malformed part header/i.test(message)) return 'un en-tête de partie est mal formé'
  if (/unsupported content type/i.test(message)) return 'ce n\'est pas du multipart/form-data'
  return 'le formulaire ne se lit pas'
}
