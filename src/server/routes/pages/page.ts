import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import { ServerError } from '../../errors.js'
import { QUOTA_ADVICE } from '../../services/upload-gate.js'
import { NAME_RULE_TEXT } from '../../services/uploads.js'
import { SUPPORT } from '../../views.js'

/** The cookie of a session, and the one that carries the login form's secret before any session. */
export const SESSION_COOKIE = 'phebus_session'
export const LOGIN_COOKIE = 'phebus_connexion'

/** What a page route says of itself: `public` pages need no session; `csrf: 'form'` checks the token of the urlencoded body (the default for POST), 'own' when the route checks it itself (login, multipart). */
export interface PageConfig {
  public?: boolean
  csrf?: 'form' | 'own'
  /**
   * A form whose text is worth keeping (« Nous écrire »): posted once its
   * session has ended, it is answered by the login page carrying that text,
   * which goes back into the form after the login, where a redirect to the
   * login page lost it. Nothing is done without a session.
   */
  draft?: boolean
}

const MENU = [
  { href: '/fichiers', label: 'Mes fichiers' },
  { href: '/envoi', label: 'Envoyer un fichier' },
  { href: '/qualification', label: 'Qualification' },
  { href: '/nous-ecrire', label: 'Nous écrire' }
] as const

/** The console's menu (the admin): the room first, a département's page under it. */
const CONSOLE_MENU = [
  { href: '/console', label: 'La salle' },
  { href: '/console/journal', label: 'Journal' },
  { href: '/console/messages', label: 'Messages' },
  { href: '/console/horloge', label: 'Horloge' },
  { href: '/console/pannes', label: 'Pannes' }
] as const

/** Where a user lands once logged in: the console for the admin, the files for a département. */
export function homeOf (departement: string | null): string {
  return departement === null ? '/console' : '/fichiers'
}

export function cookieOptions (request: FastifyRequest, maxAgeS?: number): { path: string, httpOnly: true, sameSite: 'strict', secure: boolean, maxAge?: number } {
  return { path: '/', httpOnly: true, sameSite: 'strict', secure: request.protocol === 'https', ...(maxAgeS === undefined ? {} : { maxAge: maxAgeS }) }
}

/** The session's form token, or '' without a session. */
export function csrfOf (app: FastifyInstance, request: FastifyRequest): string {
  return request.session === null ? '' : app.sessions.csrfToken(request.session.csrfSecret)
}

/**
 * HTML made once and kept as UTF-8 bytes: a long list's rows, rendered
 * once per version of the list. sendPage puts the bytes in place as they
 * are, so that a large page is not encoded again at each request (a page of
 * 1,000 files spent most of its time in measuring and encoding its text).
 */
export class PreRendered {
  readonly bytes: Buffer
  constructor (html: string) {
    this.bytes = Buffer.from(html, 'utf8')
  }
}

/** Where a PreRendered value of `data` goes in the rendered page: a comment no text of a page contains. */
function slotMark (i: number): string {
  return `<!--phebus-pre-rendered-${i}-->`
}

/**
 * Renders a page inside the layout: the user, the menu, a form token for the
 * logout button, the assets. `data` goes to the template as `it`; a
 * PreRendered value is written raw (`<%~`) where the template puts it.
 */
export function sendPage (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, template: string, title: string, data: object = {}): FastifyReply {
  const p = request.principal
  const path = request.url.split('?')[0] ?? ''
  const admin = p !== null && p.role === 'admin'
  const menu = admin ? CONSOLE_MENU : MENU
  // the longest entry the path is under is the current one (/console/journal is not also /console)
  const current = menu.filter((m) => path === m.href || path.startsWith(`${m.href}/`)).map((m) => m.href).sort((a, b) => b.length - a.length)[0]
  const slots: Buffer[] = []
  const given = Object.fromEntries(Object.entries(data).map(([k, v]) => {
    if (!(v instanceof PreRendered)) return [k, v]
    slots.push(v.bytes)
    return [k, slotMark(slots.length - 1)]
  }))
  const html = app.views.render(template, {
    title,
    user: p === null ? null : { username: p.username, departement: p.departement, label: p.departement === null ? 'Administration' : `Département ${p.departement}`, home: homeOf(p.departement) },
    menu: menu.map((m) => ({ ...m, current: m.href === current })),
    csrf: csrfOf(app, request),
    assets: app.views.assets,
    support: SUPPORT,
    standalone: false,
    ...given
  })
  return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(slots.length === 0 ? html : withSlots(html, slots))
}

/** The page's bytes, each slot's mark replaced by its bytes. */
function withSlots (html: string, slots: readonly Buffer[]): Buffer {
  const parts: Buffer[] = []
  let from = 0
  slots.forEach((bytes, i) => {
    const mark = slotMark(i)
    const at = html.indexOf(mark, from)
    // a template that escaped the mark (`<%=`) or left the value out: a mistake of the code, not of the request
    if (at < 0) throw new Error(`page: no place for pre-rendered value ${i} (written with <%~ ?)`)
    parts.push(Buffer.from(html.slice(from, at), 'utf8'), bytes)
    from = at + mark.length
  })
  parts.push(Buffer.from(html.slice(from), 'utf8'))
  return Buffer.concat(parts)
}

/** After a form: the page to see next (303 See Other, so that reloading does not post again). */
export function seeOther (reply: FastifyReply, to: string): FastifyReply {
  return reply.code(303).header('location', to).send()
}

/** A form's field as text ('' when absent or not text). */
export function formText (v: unknown): string {
  return typeof v === 'string' ? v : ''
}

/** A same-site path to go back to after login ("/fichiers?x"), never another site's address. */
export function safeNext (value: unknown): string {
  // printable ASCII only, no backslash: a tab or a line end (« /\t/autre.site ») is dropped by browsers, and a header cannot carry it
  if (typeof value !== 'string' || !value.startsWith('/') || value.startsWith('//') || value.length > 512 || !/^[\x21-\x7e]*$/.test(value) || value.includes('\\')) return '/fichiers'
  return value
}

/** What a quota's refusal says to do on a page: the « Supprimer » of « Mes fichiers », where the API's names its DELETE. */
const QUOTA_ADVICE_ON_PAGES = 'Supprimez des fichiers envoyés (« Supprimer », dans « Mes fichiers » ; les plus anciens d\'abord, les refusés ne servent plus) avant d\'en envoyer d\'autres.'

/** The rule of a file's name on a page: the words of the upload form's hint, where the API's gives its regular expression. */
const NAME_RULE_ON_PAGES = 'ne suit pas la règle des noms (décision D9) : lettres sans accent, chiffres, point, tiret et souligné, sans espace, 100 caractères au plus, le premier une lettre ou un chiffre. Renommez le fichier, puis choisissez-le de nouveau.'

/**
 * What an error of a service says on a page: its message, but where the
 * message tells what to do by a request of the API (POST …/start, DELETE
 * …/files/NOM) or gives a rule as a regular expression, what to do on the
 * pages instead, in their words; to the admin, in the console, what the
 * département does.
 */
export function pageErrorText (request: FastifyRequest, code: string, message: string): string {
  switch (code) {
    case 'PHEBUS_QUALIFICATION_NOT_STARTED': {
      if (request.principal?.departement != null) return 'La qualification n\'est pas commencée (ou elle a été recommencée) : il n\'y a pas encore de bilan. Commencez-la depuis la page « Qualification » ; ce qui a été fait avant ne compte pas.'
      const d = request.trace?.departement ?? null
      return `Le département${d === null ? '' : ` ${d}`} n'a pas commencé sa qualification (ou elle a été recommencée) : il n'a pas encore de bilan. Il la commence lui-même, depuis sa page « Qualification » ou par l'API.`
    }
    case 'PHEBUS_FILE_QUOTA':
      return message.replace(QUOTA_ADVICE, QUOTA_ADVICE_ON_PAGES)
    case 'PHEBUS_FILE_NAME_INVALID':
      return message.replace(NAME_RULE_TEXT, NAME_RULE_ON_PAGES)
    case 'PHEBUS_FILE_READ_ONLY':
      // a day as the pages write every other: 02/12/2026, not 2026-12-02
      return message.replace(/\b(\d{4})-(\d{2})-(\d{2})\b/g, '$3/$2/$1')
    case 'PHEBUS_FILE_TOO_LARGE':
      // the server's option is its operator's business, not the département's
      return request.principal?.departement != null ? message.replace(/ \(option --max-upload\)/, '') : message
    default:
      return message
  }
}

/** 403 unless the token was made for this session. */
export function checkFormToken (app: FastifyInstance, request: FastifyRequest, token: unknown): void {
  if (request.session === null || !app.sessions.verifyCsrf(request.session.csrfSecret, token)) throw new ServerError('PHEBUS_PAGE_CSRF')
}
