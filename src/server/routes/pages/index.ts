import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import formbody from '@fastify/formbody'
import { ServerError } from '../../errors.js'
import { prepareError } from '../../http-errors.js'
import type { ErrorBody } from '../../schemas/common.js'
import consolePages from './console/index.js'
import contactPages from './contact.js'
import filePages from './files.js'
import qualificationPages from './qualification.js'
import sessionPages from './session.js'
import { SESSION_COOKIE, checkFormToken, cookieOptions, pageErrorText, seeOther, sendPage, type PageConfig } from './page.js'

/** A form's fields (login, message): a few kilobytes at most. */
const FORM_BODY_LIMIT = 64 * 1024

/**
 * The partner interface (Annexe 6): French pages rendered on the server,
 * a second door onto the API's services. A session cookie opens every page
 * but the login; every POST carries its session's form token.
 */
const pageRoutes: FastifyPluginAsync = async (app) => {
  // the OpenAPI description (/docs/json) is the API's: the pages are not in it
  app.addHook('onRoute', (route) => { route.schema = { ...route.schema, hide: true } })
  await app.register(formbody, { bodyLimit: FORM_BODY_LIMIT })

  app.addHook('onRequest', async (request, reply) => {
    loadSession(app, request, reply)
    // /fichiers/ is /fichiers/:name with no name: the page it means (the others come to the not-found handler, app.ts)
    const bare = withoutTrailingSlash(app, request)
    if (bare !== null) return reply.code(301).header('location', bare).send()
    const config = request.routeOptions.config as PageConfig
    // a form that keeps its text goes to its handler, which gives the login page with it and does nothing else
    if (config.public !== true && request.principal === null && !(config.draft === true && request.method === 'POST')) throw new ServerError('PHEBUS_PAGE_SESSION')
  })

  app.addHook('preHandler', async (request) => {
    const config = request.routeOptions.config as PageConfig
    if (request.method !== 'POST' || config.csrf === 'own') return
    // no session, no token to check it against: the handler only shows the login page with the form's text (PageConfig.draft)
    if (request.principal === null && config.draft === true) return
    checkFormToken(app, request, (request.body as Record<string, unknown> | undefined)?._csrf)
  })

  app.setErrorHandler((err, request, reply) => errorPage(app, err, request, reply))

  await app.register(sessionPages)
  await app.register(filePages)
  await app.register(qualificationPages)
  await app.register(contactPages)
  await app.register(consolePages)
}

/** The session of the request's cookie, if any: the principal set, the trail told who; an ended one's cookie cleared. */
export function loadSession (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply): void {
  const token = request.cookies[SESSION_COOKIE]
  if (token === undefined) return
  const found = app.sessions.find(token)
  if ('session' in found) {
    request.session = found.session
    request.principal = found.principal
    request.trace.username = found.principal.username
    request.trace.departement = found.principal.departement
  } else {
    request.sessionEnded = found.ended
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
  }
}

const HEADINGS: Readonly<Record<number, string>> = {
  400: 'Requête invalide',
  403: 'Accès refusé',
  404: 'Page introuvable',
  405: 'Action impossible sur cette page',
  409: 'Conflit',
  410: 'Fichier disparu du serveur',
  // a page's body is a form, but an upload's (PHEBUS_FILE_TOO_LARGE: FILE_HEADINGS)
  413: 'Formulaire trop volumineux',
  429: 'Trop de tentatives',
  503: 'Serveur occupé',
  507: 'Espace de stockage plein'
}

/** The headings of an error of a file, where its status's heading says a form. */
const FILE_HEADINGS: Readonly<Record<string, string>> = {
  PHEBUS_FILE_TOO_LARGE: 'Fichier trop volumineux'
}

/** What a form too large says: its limit, and what to do. */
const FORM_TOO_LARGE_TEXT = `Le formulaire envoyé dépasse ${FORM_BODY_LIMIT / 1024} Kio : rien n'a été fait. Raccourcissez le texte saisi et recommencez.`

const NOT_FOUND_TEXT = 'Cette page n\'existe pas, ou elle ne concerne pas votre département. Vérifiez l\'adresse, ou repartez de vos fichiers.'

/**
 * Any error on a page, as a French page with its status (never a stack
 * trace); a missing or ended session, as the login page to come back.
 */
export function errorPage (app: FastifyInstance, err: unknown, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const body = prepareError(err, request, reply)
  if (body.code === 'PHEBUS_PAGE_SESSION') return toLogin(request, reply)
  return renderError(app, request, reply, body)
}

export function renderError (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, body: ErrorBody): FastifyReply {
  const status = body.statusCode
  const heading = (Object.hasOwn(FILE_HEADINGS, body.code) ? FILE_HEADINGS[body.code] : HEADINGS[status]) ?? (status >= 500 ? 'Erreur du serveur' : 'Requête refusée')
  const message = status === 404 ? NOT_FOUND_TEXT : body.code === 'PHEBUS_HTTP_BODY_TOO_LARGE' ? FORM_TOO_LARGE_TEXT : status >= 500 && status !== 503 && status !== 507 ? 'Le serveur n\'a pas pu répondre à cause d\'une erreur de sa part. Réessayez ; si l\'erreur persiste, signalez-la avec la référence ci-dessous.' : pageErrorText(request, body.code, body.message)
  return sendPage(app, request, reply.code(status), 'error', heading, { heading, message, requestId: status >= 500 ? request.id : null })
}

/**
 * Where a page's address with a slash after it (/fichiers/, as an address
 * bar may keep it) is without: the same path bare, the same query string,
 * for a GET (a form posted to a wrong address is not sent elsewhere). Null
 * unless the bare path is a page the caller may GET: never an address of
 * another site (//autre.site), nor of the console to anyone but the admin.
 */
export function withoutTrailingSlash (app: FastifyInstance, request: FastifyRequest): string | null {
  if (request.method !== 'GET' && request.method !== 'HEAD') return null
  const url = request.url
  const q = url.indexOf('?')
  const path = q < 0 ? url : url.slice(0, q)
  if (!path.endsWith('/') || path.startsWith('/api/')) return null
  const bare = path.replace(/\/+$/, '')
  if (!/^\/[^/\\]/.test(bare) || !app.allowedMethods(request, bare).includes('GET')) return null
  const location = q < 0 ? bare : `${bare}${url.slice(q)}`
  // printable ASCII only: what a Location header carries as it is
  return /^[\x21-\x7e]*$/.test(location) ? location : null
}

/** To the login page, which says why and brings the user back here once logged in (a GET only: a form is not posted twice). */
function toLogin (request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const params = new URLSearchParams()
  if (request.method === 'GET') params.set('suivant', request.url)
  if (request.sessionEnded !== null) params.set('fin', request.sessionEnded)
  const q = params.toString()
  return seeOther(reply, q === '' ? '/' : `/?${q}`)
}

export default pageRoutes
