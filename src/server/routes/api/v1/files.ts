import { TypeBoxValidatorCompiler, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifySchemaCompiler } from 'fastify'
import { DeleteFileSchema, DownloadFileSchema, ListFilesSchema, UploadFileSchema } from '../../../schemas/files.js'
import { callerDepartement } from '../../caller.js'
import { deleteUpload, receiveFromRequest, sendStoredFile } from '../../file-actions.js'

/**
 * The upload's body is a stream the route reads itself (validated by the
 * CGPEM validator as it arrives); its schema is there for the OpenAPI
 * description only. The query is checked as usual.
 */
const streamedBody: FastifySchemaCompiler<unknown> = (route) =>
  route.httpPart === 'body' ? () => true : (TypeBoxValidatorCompiler as FastifySchemaCompiler<unknown>)(route)

const filesRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // raw uploads: whatever the content type, the body is left for the route to stream (multipart keeps its parser)
  app.removeContentTypeParser(['application/json', 'text/plain'])
  app.addContentTypeParser('*', (_request, _payload, done) => { done(null) })

  app.get('/', { schema: ListFilesSchema }, async (request) => {
    return { files: app.files.list(callerDepartement(request)) }
  })

  app.get('/:name', { schema: DownloadFileSchema }, async (request, reply) => {
    await sendStoredFile(app, request, reply, callerDepartement(request), request.params.name)
  })

  app.post('/', { schema: UploadFileSchema, validatorCompiler: streamedBody, config: { continues: true } }, async (request, reply) => {
    const result = await receiveFromRequest(app, request, reply, callerDepartement(request), { rawName: request.query.name })
    reply.code(result.accepted ? 201 : 422)
    return { file: app.files.view(result.file), report: result.report }
  })

  app.delete('/:name', { schema: DeleteFileSchema }, async (request, reply) => {
    await deleteUpload(app, request, callerDepartement(request), request.params.name)
    return await reply.code(204).send(null)
  })
}

export default filesRoutes
