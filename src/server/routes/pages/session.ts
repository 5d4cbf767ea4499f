import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { MAX_USERNAME_LENGTH } from '../../auth/authenticator.js'
import { ServerError, isServerError } from '../../errors.js'
import { prepareError } from '../../http-errors.js'
import { LOGIN_COOKIE, SESSION_COOKIE, cookieOptions, homeOf, formText, safeNext, seeOther, sendPage, type PageConfig } from './page.js'
import { SESSION_MAX_MS } from '../../plugins/app/pages.js'
import { contactFormWithDraft } from './contact.js'
import type { MessageDraft } from '../../services/messages.js'

interface LoginForm {
  identifiant?: unknown
  motDePasse?: unknown
  suivant?: unknown
  _csrf?: unknown
  brouillonSujet?: unknown
  brouillonMessage?: unknown
  brouillonFichier?: unknown
}

const ENDED: Readonly<Record<string, string>> = {
  idle: 'Votre session a pris fin après 30 minutes sans activité : reconnectez-vous.',
  max: 'Votre session a pris fin 8 heures après la connexion : reconnectez-vous.',
  unknown: 'Votre session n\'existe plus (déconnexion, ou session close ailleurs) : reconnectez-vous.'
}

/** A field of the login form left empty, by the id of its input. */
interface LoginFieldError { field: 'identifiant' | 'mot-de-passe', message: string }

function missingFields (username: string, password: string): LoginFieldError[] {
  const out: LoginFieldError[] = []
  if (username === '') out.push({ field: 'identifiant', message: 'Saisissez votre identifiant' })
  if (password === '') out.push({ field: 'mot-de-passe', message: 'Saisissez votre mot de passe' })
  return out
}

/**
 * The login page of Annexe 6 (« Phebus Interface Partenaire »,
 * « Authentification »), the login and the logout. Failed logins count
 * against the API's lock-out: the same authenticator, the same trail.
 */
interface LoginPageData {
  username?: string
  error?: string
  errorTitle?: string | undefined
  fieldError?: boolean
  missing?: LoginFieldError[]
  notice?: string | null
  next?: string
  /** the text of a form posted after its session ended (PageConfig.draft), carried by the login form back to that form */
  draft?: MessageDraft | null
}

/** The login form, with a token from the login cookie's secret (a form posted from elsewhere has neither). */
function loginPage (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, data: LoginPageData): FastifyReply {
  let secret = request.cookies[LOGIN_COOKIE]
  if (secret === undefined || secret.length > 64) {
    secret = app.sessions.loginSecret()
    reply.setCookie(LOGIN_COOKIE, secret, cookieOptions(request))
  }
  return sendPage(app, request, reply, 'login', 'Authentification', {
    csrf: app.sessions.csrfToken(secret),
    username: data.username ?? '',
    error: data.error ?? null,
    errorTitle: data.errorTitle ?? 'La connexion a échoué',
    // wrong credentials are the fields' error (the summary leads to them); an expired form or a lock is not
    fieldError: data.fieldError === true,
    // a field left empty: its own message beside it, each in the summary
    missing: data.missing ?? [],
    err: Object.fromEntries((data.missing ?? []).map((e) => [e.field, e.message])),
    notice: data.notice ?? null,
    next: data.next ?? '/fichiers',
    draft: data.draft ?? null,
    demo: app.provisioned.demo.slice(0, 3).map((a) => ({ username: a.username, password: a.password }))
  })
}

/**
 * A form that keeps its text (PageConfig.draft) posted without a session:
 * the login page (401), saying why and that nothing was sent, with the text
 * in hidden fields that the login takes back to the form at `next`.
 */
export function loginKeepingDraft (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, next: string, draft: MessageDraft): FastifyReply {
  prepareError(new ServerError('PHEBUS_PAGE_SESSION'), request, reply)
  const why = request.sessionEnded !== null && Object.hasOwn(ENDED, request.sessionEnded) ? (ENDED[request.sessionEnded] ?? '').replace(/ : reconnectez-vous\.$/, '') : 'Vous n\'êtes pas connecté'
  return loginPage(app, request, reply, { next, draft, notice: `${why} : votre message n'a pas été envoyé. Il vous attend : reconnectez-vous, il reviendra dans le formulaire, prêt à être envoyé.` })
}

/** The draft a login form carries, when it carries one. */
function draftOf (form: LoginForm): MessageDraft | null {
  const draft = { subject: formText(form.brouillonSujet), body: formText(form.brouillonMessage), fileName: formText(form.brouillonFichier) }
  return draft.subject === '' && draft.body === '' && draft.fileName === '' ? null : draft
}

const sessionPages: FastifyPluginAsync = async (app) => {
  const publicPage = { config: { public: true, csrf: 'own' } satisfies PageConfig }

  app.get('/', publicPage, async (request, reply) => {
    const q = request.query as Record<string, string | undefined>
    if (request.principal !== null) return seeOther(reply, homeOf(request.principal.departement))
    // the ends ENDED has itself: « constructor » or « __proto__ » in the address are no end (nor the prototype's text)
    const fin = q.fin
    const notice = q.deconnecte !== undefined ? 'Vous êtes déconnecté.' : typeof fin === 'string' && Object.hasOwn(ENDED, fin) ? ENDED[fin] ?? null : null
    return loginPage(app, request, reply, { notice, next: safeNext(q.suivant) })
  })

  app.post('/connexion', publicPage, async (request, reply) => {
    const form = (request.body ?? {}) as LoginForm
    const username = formText(form.identifiant).trim()
    const next = safeNext(form.suivant)
    // a form's text waiting for the login (loginKeepingDraft): kept through every failed try
    const draft = draftOf(form)
    const secret = request.cookies[LOGIN_COOKIE]
    if (secret === undefined || !app.sessions.verifyCsrf(secret, form._csrf)) {
      prepareError(new ServerError('PHEBUS_PAGE_CSRF'), request, reply)
      return loginPage(app, request, reply, { username, next, draft, error: 'Le formulaire de connexion a expiré, ou votre navigateur refuse les cookies de ce site : réessayez (les cookies sont nécessaires pour rester connecté).' })
    }
    request.trace.username = username.length > MAX_USERNAME_LENGTH ? `${username.slice(0, MAX_USERNAME_LENGTH)}…` : username
    // a field left empty is no try of a password: said beside the field, counted against no lock
    const missing = missingFields(username, formText(form.motDePasse))
    if (missing.length > 0) {
      prepareError(new ServerError('PHEBUS_HTTP_BAD_REQUEST', missing.map((e) => `${e.message}.`).join(' ')), request, reply)
      return loginPage(app, request, reply, { username, next, draft, error: missing.map((e) => e.message).join(' ; '), errorTitle: 'Formulaire incomplet', missing })
    }
    // should the browser leave while the password is checked, its entry waits for the outcome (audit.ts)
    request.trace.login = true
    request.trace.loginPending = true
    try {
      const principal = await app.authenticator.authenticate(username, formText(form.motDePasse), request.ip)
      request.trace.departement = principal.departement
      app.loginSettled(request)
      const old = request.cookies[SESSION_COOKIE]
      if (old !== undefined) app.sessions.close(old)
      const { token, session } = app.sessions.open(principal.username)
      reply.clearCookie(LOGIN_COOKIE, cookieOptions(request))
      reply.setCookie(SESSION_COOKIE, token, cookieOptions(request, SESSION_MAX_MS / 1000))
      // a form's text carried through the login goes back into its form, with this session's token, nothing sent yet
      if (draft !== null && next === '/nous-ecrire' && principal.departement !== null) {
        request.principal = principal
        request.session = session
        return contactFormWithDraft(app, request, reply, draft)
      }
      // the login form's default is the files: the admin's home is the console
      return seeOther(reply, next === '/fichiers' ? homeOf(principal.departement) : next)
    } catch (err) {
      if (!isServerError(err)) {
        app.loginSettled(request)
        throw err
      }
      request.trace.departement ??= app.authenticator.departementOf(username)
      const body = prepareError(err, request, reply)
      app.loginSettled(request)
      const error = body.code === 'PHEBUS_AUTH_REQUIRED' ? 'Identifiant ou mot de passe incorrect.' : body.message
      // a lock's message says until when (Paris time) and that an administrator may lift it
      const errorTitle = body.statusCode === 429 ? 'Connexion bloquée pour l\'instant' : undefined
      return loginPage(app, request, reply, { username, next, draft, error, errorTitle, fieldError: body.code === 'PHEBUS_AUTH_REQUIRED' })
    }
  })

  // the address of a form typed again (Enter in the address bar after a failed login): the login page, or home when logged in
  app.get('/connexion', publicPage, async (_request, reply) => seeOther(reply, '/'))
  app.get('/deconnexion', publicPage, async (_request, reply) => seeOther(reply, '/'))

  app.post('/deconnexion', async (request, reply) => {
    const token = request.cookies[SESSION_COOKIE]
    if (token !== undefined) app.sessions.close(token)
    reply.clearCookie(SESSION_COOKIE, cookieOptions(request))
    return seeOther(reply, '/?deconnecte=1')
  })
}

export default sessionPages
