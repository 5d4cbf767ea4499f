import { Type, type Static, type TSchema } from 'typebox'
import type { Readable } from 'node:stream'
import { SERVER_ERRORS } from '../errors.js'

/*
 * How a route describes itself in the OpenAPI 3.1 description (GET /docs/json,
 * linted by @redocly/cli in test/server/openapi.test.ts). Every route schema:
 *
 * - operationId: an English camelCase verb and its object, unique in the API
 *   (listFiles, uploadFile, getReport, startQualification, approveBilan…).
 * - tags: one of those declared in plugins/external/swagger.ts (santé,
 *   fichiers, rapports, qualification, admin); a new tag is declared there first.
 * - security: `security: BASIC_AUTH` for a route that needs credentials (all of
 *   /api), `security: PUBLIC` for one that needs none (the probes). The
 *   document's default is BASIC_AUTH, but each route says which it is.
 * - responses: one per status, each with its description (`described()`, or
 *   the schema's own; the browser shows « Default Response » otherwise). JSON
 *   is a TypeBox schema; any other media type (HTML, PDF, CSV, the file bytes)
 *   is declared with `media()`, JSON beside it when the route can answer both;
 *   bytes are `BinarySchema`; an answer without a body is
 *   `Type.Null({ description })`. Errors: `errorResponses()`.
 * - an optional parameter is `Type.Optional(…)`, with its `default` when it
 *   has one: never required.
 * - paths: the description has no trailing slash (swagger.ts drops the one a
 *   '/' route gets under a prefix; both forms answer).
 */

/** The security of a route that needs HTTP Basic credentials. */
export const BASIC_AUTH = [{ basic: [] }]
/** The security of a public route: no credentials. */
export const PUBLIC: [] = []

/** A body of bytes (a file, a PDF), whatever its media type. */
export const BinarySchema = Type.Unsafe<Buffer | Readable>({ type: 'string', format: 'binary' })

/** A response in other media types than JSON (or in several), each with its schema. */
export function media (description: string, content: Record<string, TSchema>): { description: string, content: Record<string, { schema: TSchema }> } {
  return { description, content: Object.fromEntries(Object.entries(content).map(([type, schema]) => [type, { schema }])) }
}

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

/** A schema with the description its answer shows in the API's description (a copy: the schema stays as it is). */
export function described<T extends TSchema> (description: string, schema: T): T {
  const copy = Object.defineProperties({}, Object.getOwnPropertyDescriptors(schema)) as T & { description?: string }
  copy.description = description
  return copy
}

/** What an error status means, whatever the route (the body's code says exactly what). */
const ERROR_ANSWERS: Readonly<Record<number, string>> = {
  400: 'requête invalide : le message dit quel paramètre ou quelle partie, et ce qui est permis',
  401: 'identifiants absents, mal formés ou faux (WWW-Authenticate: Basic)',
  403: 'refusé à ce compte ou à cette requête (le code dit pourquoi)',
  404: 'introuvable, ou pas à l\'appelant (la même réponse)',
  409: 'en conflit avec l\'état présent (le message dit lequel)',
  410: 'fichier listé que le disque du serveur n\'a plus (retiré à la main du dossier de données) : il est oublié',
  412: 'If-Match ne désigne pas la version présente du fichier, ou If-None-Match la désigne (suppression) : rien n\'est fait',
  413: 'envoi plus gros que la taille maximale, ou corps JSON au-delà de sa limite : rien n\'est gardé ni fait',
  415: 'corps d\'un type que la route ne lit pas (Content-Type), ou compressé (Content-Encoding) : rien n\'est fait',
  429: 'identifiant ou adresse bloqués après trop d\'échecs de connexion (Retry-After)',
  503: 'serveur occupé, ou pas encore prêt (Retry-After)',
  507: 'quota du département atteint, ou disque du serveur plein : rien n\'est gardé'
}

/** The error answers of a route, one schema per status. */
export function errorResponses<const S extends readonly number[]> (...statuses: S): { [K in S[number]]: typeof ErrorSchema } {
  return Object.fromEntries(statuses.map((s) => [s, described(ERROR_ANSWERS[s] ?? 'erreur', ErrorSchema)])) as { [K in S[number]]: typeof ErrorSchema }
}

export const StatusSchema = Type.Object({ status: Type.String() })
