import multipart from '@fastify/multipart'
import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'

/** Fields a form may have before its file part (ignored), and parts in all: past them, 400. */
export const MAX_FORM_FIELDS = 10

/**
 * multipart/form-data uploads, read as a stream (request.parts()): one file
 * part, at most the upload limit (busboy truncates past it; the route then
 * answers 413), a few fields around it.
 */
export default fp(async function multipartPlugin (app: FastifyInstance, options: { maxUploadBytes: number }) {
  await app.register(multipart, {
    throwFileSizeLimit: false,
    // the name as sent, path included: D9 then refuses it rather than busboy cutting it down
    preservePath: true,
    // the file part is buffered 1 MiB at a time, as raw uploads are (see build.ts)
    fileHwm: 1 << 20,
    highWaterMark: 1 << 20,
    limits: { fileSize: options.maxUploadBytes, files: 1, parts: MAX_FORM_FIELDS + 2, fields: MAX_FORM_FIELDS, fieldSize: 1024 }
  })
}, { name: 'phebus-multipart' })
