import type { OutgoingHttpHeaders } from 'node:http'
import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyRequest, FastifySchemaCompiler } from 'fastify'
import type { Multipart } from '@fastify/multipart'
import type { StoredFile } from '../../../../storage/files.js'
import { ServerError } from '../../../errors.js'
import { notFound } from '../../../http-errors.js'
import { DeleteFileSchema, DownloadFileSchema, ListFilesSchema, UploadFileSchema } from '../../../schemas/files.js'
import { sendFile } from '../../../services/send-file.js'
import { claimName, receiveUpload, tooLarge } from '../../../services/uploads.js'
import type { UploadTicket } from '../../../services/upload-gate.js'
import { expectsContinue, sendContinue } from '../../../plugins/app/limits.js'
import { callerDepartement } from '../../caller.js'
import { contentLength } from '../../../headers.js'

/**
 * The upload's body is a stream the route reads itself (validated by the
 * CGPEM validator as it arrives); its schema is there for the OpenAPI
 * description only. The query is checked as usual.
 */
const streamedBody: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? () => true : (TypeBoxValidatorCompiler as FastifySchemaCompiler<unknown>)(route)

function contentType (f: StoredFile): string {
  if (f.kind === 'PECGM' || f.format === 'fixed') return 'text/plain; charset=ISO-8859-1'
  return f.format === 'xml' ? 'application/xml' : 'application/octet-stream'
}

function matches (ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false
  return ifNoneMatch.split(',').some((t) => { const v = t.trim(); return v === '*' || v === etag || v === `W/${etag}` })
}

const filesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // raw uploads: whatever the content type, the body is left for the route to stream (multipart keeps its parser)
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('*', (_request, _payload, done) => { done(null) })

  app.get('/', { schema: ListFilesSchema }, async (request) => {
    return { files: app.files.list(callerDepartement(request)) }
  })

  app.get('/:name', { schema: DownloadFileSchema }, async (request, reply) => {
    const departement = callerDepartement(request)
    const file = app.files.find(departement, request.params.name)
    if (file === null) throw notFound()
    request.trace.fileName = file.name
    request.trace.sha256 = file.sha256
    const etag = `"${file.sha256}"`
    reply.header('etag', etag)
    if (matches(request.headers['if-none-match'], etag)) return reply.code(304).send(null)
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
    const sent = await sendFile(reply.raw, fh, file.size).catch((err: unknown) => {
      request.log.error({ err }, 'téléchargement interrompu')
      reply.raw.destroy()
      return 0
    })
    app.qualification.downloaded(departement, file, sent)
  })

  /**
   * Everything that can be said before the body is said before it is asked
   * for (Expect: 100-continue): the name of a raw upload, the announced size,
   * the uploads at once and the quota.
   */
  function admit (request: FastifyRequest, departement: string, multipart: boolean, name: string | undefined): { declared: number | null, release: (() => void) | null, ticket: UploadTicket } {
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

  app.post('/', { schema: UploadFileSchema, validatorCompiler: streamedBody, config: { continues: true } }, async (request, reply) => {
    const departement = callerDepartement(request)
    const multipart = request.isMultipart()
    const admitted = admit(request, departement, multipart, request.query.name)
    let { release } = admitted
    const { declared, ticket } = admitted
    try {
      if (expectsContinue(request.headers.expect)) sendContinue(reply.raw)
      const upload: IncomingUpload = multipart ? await multipartUpload(request) : { name: request.query.name as string, source: request.raw }
      if (multipart) {
        request.trace.fileName = upload.name
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
        qualification: {
          tally: () => {
            const t = app.qualification.tally(departement)
            iteration = t?.iteration ?? null
            return t?.tally ?? null
          },
          annotate: (summary) => app.qualification.annotate(summary),
          // the upload is stored whatever happens to its answer: a failed deposit is logged, not turned into a 500
          uploaded: async (file, summary) => {
            if (iteration === null) return
            try {
              await app.qualification.uploaded(departement, file, summary, iteration)
            } catch (err) {
              request.log.error({ err }, 'qualification : réponse au CGPEM impossible')
            }
          }
        }
      }, release ?? (() => {}))
      release = null
      request.trace.sha256 = result.file.sha256
      reply.code(result.accepted ? 201 : 422)
      return { file: app.files.view(result.file), report: result.report }
    } finally {
      release?.()
      ticket.release()
    }
  })

  app.delete('/:name', { schema: DeleteFileSchema }, async (request, reply) => {
    const file = app.files.find(callerDepartement(request), request.params.name)
    if (file === null) throw notFound()
    request.trace.fileName = file.name
    request.trace.sha256 = file.sha256
    if (file.kind !== 'CGPEM') throw new ServerError('PHEBUS_FILE_READ_ONLY', `${file.name} est un PECGM déposé par Pôle emploi : il ne se supprime pas, il expire le ${new Date(app.files.expiresAt(file)).toISOString().slice(0, 10)}. Seuls les CGPEM envoyés par le département se suppriment.`)
    await app.files.remove([file], null)
    return await reply.code(204).send(null)
  })
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

/** The « file » part of a multipart/form-data body: fields before it are allowed (and ignored) up to the plugin's limit, a second file is not. */
async function multipartUpload (request: FastifyRequest): Promise<IncomingUpload> {
  const parts = request.parts()[Symbol.asyncIterator]()
  const next = async (): Promise<IteratorResult<Multipart>> => await parts.next().catch((err: Error & { statusCode?: number }) => {
    throw err.statusCode === undefined ? new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Corps multipart/form-data mal formé : ${err.message}`, { cause: err }) : err
  })
  for (;;) {
    const part = await next()
    if (part.done === true) throw new ServerError('PHEBUS_FILE_NAME_MISSING', 'Partie « file » absente du formulaire multipart/form-data.')
    if (part.value.type !== 'file') continue
    const file = part.value
    if (file.fieldname !== 'file') throw new ServerError('PHEBUS_FILE_NAME_MISSING', `Partie fichier « ${file.fieldname.slice(0, 40)} » : le formulaire doit appeler « file » la partie du fichier.`)
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

export default filesRoutes
