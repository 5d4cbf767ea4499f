import { Type, type Static } from 'typebox'
import { SERVER_ERRORS } from '../errors.js'

/** Every error answer: the HTTP status, a stable code (docs/serveur.md), a French message. */
export const ErrorSchema = Type.Object({
  statusCode: Type.Integer(),
  code: Type.String({ description: 'code stable, voir docs/serveur.md', examples: Object.keys(SERVER_ERRORS) }),
  error: Type.String({ description: 'la raison HTTP' }),
  message: Type.String({ description: 'ce qui ne va pas, en français' }),
  details: Type.Optional(Type.Array(Type.String())),
  requestId: Type.Optional(Type.String({ description: 'l\'identifiant de la requête, aussi dans l\'en-tête X-Request-Id et dans le journal d\'audit' }))
}, { title: 'Erreur' })

export type ErrorBody = Static<typeof ErrorSchema>

/** The error answers of a route, one schema per status. */
export function errorResponses<const S extends readonly number[]> (...statuses: S): { [K in S[number]]: typeof ErrorSchema } {
  return Object.fromEntries(statuses.map((s) => [s, ErrorSchema])) as { [K in S[number]]: typeof ErrorSchema }
}

export const StatusSchema = Type.Object({ status: Type.String() })
