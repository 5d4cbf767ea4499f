import type { FastifyRequest } from 'fastify'
import { ServerError } from '../errors.js'

/** The caller's département; 403 for the admin, who has no files of its own. */
export function callerDepartement (request: FastifyRequest): string {
  const d = request.principal?.departement
  if (d === null || d === undefined) throw new ServerError('PHEBUS_AUTH_FORBIDDEN')
  return d
}
