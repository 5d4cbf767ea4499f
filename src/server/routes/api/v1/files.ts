import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifySchemaCompiler } from 'fastify'
import type { Static } from 'typebox'
import { ServerError } from '../../../errors.js'
import { JSON_TYPE, sendJsonText } from '../../../headers.js'
import { routeValidator } from '../../../lazy-schemas.js'
import { DeleteFileSchema, DownloadFileSchema, LIST_LIMIT, ListFilesSchema, UploadFileSchema, type ListFilesQuerySchema } from '../../../schemas/files.js'
import { decodeCursor, reportJson, type ListPage, type ListQuery } from '../../../services/files.js'
import { callerDepartement } from '../../caller.js'
import { deleteUpload, receiveFromRequest, sendStoredFile } from '../../file-actions.js'

/**
 * The upload's body is a stream the route reads itself (validated by the
 * CGPEM validator as it arrives); its schema is there for the OpenAPI
 * description only. The query is checked as usual.
 */
const streamedBody: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? () => true : routeValidator(route) as ReturnType<FastifySchemaCompiler<unknown>>

/** The list's query as the service reads it; what the schema cannot check (an instant, a cursor) is refused here, naming the parameter. */
function listQuery (q: Static<typeof ListFilesQuerySchema>): ListQuery {
  const since = q.since === undefined ? null : Date.parse(q.since)
  if (since !== null && !Number.isFinite(since)) throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Requête invalide : le paramètre « since » de l'adresse doit être une date et une heure ISO 8601 avec fuseau (2026-11-27T08:00:00Z), lu « ${q.since ?? ''} ».`)
  const after = q.cursor === undefined ? null : decodeCursor(q.cursor)
  if (q.cursor !== undefined && after === null) throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', 'Requête invalide : le paramètre « cursor » de l\'adresse n\'est pas un curseur de ce serveur ; donnez la valeur next d\'une réponse précédente, telle quelle.')
  return { kind: q.kind ?? null, since, after, limit: q.limit ?? LIST_LIMIT }
}

/**
 * The list's bodies: the service keeps a page until the list changes, and
 * its body, serialized once by the route's 200 schema (fast-json-stringify,
 * as Fastify would), is kept with it: the same bytes.
 */
function pageBodies (): { serializerFor: (reply: FastifyReply) => (page: ListPage) => string } {
  const bodies = new WeakMap<ListPage, string>()
  let serialize: ((payload: { [key: string]: unknown }) => string) | undefined
  const serializeOnce = (page: ListPage): string => {
    let body = bodies.get(page)
    if (body === undefined) {
      if (serialize === undefined) throw new Error('the list route has no serializer for its 200 answer')
      body = serialize({ ...page })
      bodies.set(page, body)
    }
    return body
  }
  return {
    serializerFor (reply) {
      serialize ??= reply.getSerializationFunction('200')
      return serializeOnce
    }
  }
}

const filesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const bodies = pageBodies()

  // raw uploads: whatever the content type, the body is left for the route to stream (multipart keeps its parser)
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('*', (_request, _payload, done) => { done(null) })

  app.get('/', { schema: ListFilesSchema }, async (request, reply) => {
    const page = app.files.page(callerDepartement(request), listQuery(request.query))
    reply.type(JSON_TYPE).serializer(bodies.serializerFor(reply))
    return page
  })

  app.get('/:name', { schema: DownloadFileSchema }, async (request, reply) => {
    await sendStoredFile(app, request, reply, callerDepartement(request), request.params.name)
  })

  app.post('/', { schema: UploadFileSchema, validatorCompiler: streamedBody, config: { continues: true } }, async (request, reply) => {
    const result = await receiveFromRequest(app, request, reply, callerDepartement(request), { rawName: request.query.name })
    if (result === null) return reply
    // the report goes out as stored (reportJson): a thousand findings are not read and written again
    return sendJsonText(reply.code(result.accepted ? 201 : 422), `{"file":${JSON.stringify(app.files.view(result.file))},"report":${reportJson(result.report)}}`)
  })

  app.delete('/:name', { schema: DeleteFileSchema }, async (request, reply) => {
    await deleteUpload(app, request, callerDepartement(request), request.params.name)
    return await reply.code(204).send(null)
  })
}

export default filesRoutes
