import type { OutgoingHttpHeaders } from 'node:http'
import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifySchemaCompiler } from 'fastify'
import type { StoredFile } from '../../../../storage/files.js'
import { ServerError } from '../../../errors.js'
import { notFound } from '../../../http-errors.js'
import { DownloadFileSchema, ListFilesSchema, UploadFileSchema } from '../../../schemas/files.js'
import { sendFile } from '../../../services/send-file.js'
import { claimName, receiveUpload } from '../../../services/uploads.js'
import { callerDepartement } from '../../caller.js'

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

  app.post('/', { schema: UploadFileSchema, validatorCompiler: streamedBody }, async (request, reply) => {
    const departement = callerDepartement(request)
    let name: string | undefined
    let source: AsyncIterable<Buffer>
    let truncated: (() => boolean) | undefined
    let declaredLength: number | null = null
    if (request.isMultipart()) {
      const part = await request.file().catch((err: Error & { statusCode?: number }) => {
        throw err.statusCode === undefined ? new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Corps multipart/form-data mal formé : ${err.message}`, { cause: err }) : err
      })
      if (part === undefined || part.fieldname !== 'file') throw new ServerError('PHEBUS_FILE_NAME_MISSING', 'Partie « file » absente du formulaire multipart/form-data.')
      name = part.filename
      source = part.file
      truncated = () => part.file.truncated
    } else {
      name = request.query.name
      source = request.raw
      const length = request.headers['content-length']
      declaredLength = length === undefined ? null : Number(length)
    }
    if (name === undefined || name === '') throw new ServerError('PHEBUS_FILE_NAME_MISSING')
    request.trace.fileName = name
    const release = claimName(app.files, departement, name)
    request.trace.bytesIn = 0
    const result = await receiveUpload(app.files, {
      departement,
      name,
      source,
      declaredLength,
      maxBytes: app.config.maxUploadBytes,
      truncated,
      onBytes: (n) => { request.trace.bytesIn = (request.trace.bytesIn ?? 0) + n },
      qualification: {
        tally: () => app.qualification.tally(departement),
        annotate: (summary) => app.qualification.annotate(summary),
        // the upload is stored whatever happens to its answer: a failed deposit is logged, not turned into a 500
        uploaded: async (file, summary) => {
          try {
            await app.qualification.uploaded(departement, file, summary)
          } catch (err) {
            request.log.error({ err }, 'qualification : réponse au CGPEM impossible')
          }
        }
      }
    }, release)
    request.trace.sha256 = result.file.sha256
    reply.code(result.accepted ? 201 : 422)
    return { file: app.files.view(result.file), report: result.report }
  })
}

export default filesRoutes
