import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { prepareError } from '../../http-errors.js'
import { ServerError } from '../../errors.js'
import { notFound } from '../../http-errors.js'
import { MESSAGE_LIMITS, type FieldError, type MessageDraft } from '../../services/messages.js'
import { dateTimeText } from '../../views.js'
import { callerDepartement } from '../caller.js'
import { FormOrders } from './orders.js'
import { formText, seeOther, sendPage, type PageConfig } from './page.js'
import { loginKeepingDraft } from './session.js'

/**
 * « Nous écrire » (Annexe 6): the link of the login page. Logged in, a form
 * (subject, message, one of the département's files); the message is kept,
 * traced, and read by the admin (GET /api/v1/admin/messages). Not logged in,
 * how to reach it: a message belongs to a département.
 */
/** The form sent twice (a double click, the back button) sends one message: the second send leads to it. One per app. */
const ORDERS = new WeakMap<FastifyInstance, FormOrders>()

function ordersOf (app: FastifyInstance): FormOrders {
  let orders = ORDERS.get(app)
  if (orders === undefined) {
    orders = new FormOrders()
    ORDERS.set(app, orders)
  }
  return orders
}

function form (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, values: MessageDraft, errors: FieldError[], notice: string | null = null): FastifyReply {
  const departement = callerDepartement(request)
  const err: Record<string, string> = {}
  for (const e of errors) err[e.field] ??= e.message
  return sendPage(app, request, reply, 'contact', errors.length > 0 ? 'Nous écrire : erreur' : 'Nous écrire', {
    values: { sujet: values.subject, message: values.body, fichier: values.fileName },
    order: ordersOf(app).draw(),
    errors,
    err,
    notice,
    limits: MESSAGE_LIMITS,
    files: app.files.list(departement).map((f) => f.name)
  })
}

/** The form again after a login, with the text a post without session carried (loginKeepingDraft): nothing sent yet. */
export function contactFormWithDraft (app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, draft: MessageDraft): FastifyReply {
  return form(app, request, reply, draft, [],
    'Vous êtes reconnecté. Votre message n\'a pas encore été envoyé : le voici tel que vous l\'aviez écrit ; relisez-le, puis envoyez-le.')
}

const contactPages: FastifyPluginAsync = async (app) => {
  const orders = ordersOf(app)

  app.get('/nous-ecrire', { config: { public: true } satisfies PageConfig }, async (request, reply) => {
    if (request.principal === null) {
      return sendPage(app, request, reply, 'error', 'Nous écrire', {
        heading: 'Nous écrire',
        message: 'Connectez-vous d\'abord : le message est rattaché au département, et il peut citer l\'un de ses fichiers. Si votre compte est verrouillé après des échecs, la page de connexion dit à quelle heure réessayer.',
        requestId: null
      })
    }
    const q = request.query as Record<string, string | undefined>
    return form(app, request, reply, { subject: '', body: '', fileName: q.fichier?.slice(0, 100) ?? '' }, [])
  })

  app.post('/nous-ecrire', { config: { draft: true } satisfies PageConfig }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const draft: MessageDraft = { subject: formText(body.sujet), body: formText(body.message), fileName: formText(body.fichier) }
    // its session ended while it was written: nothing sent, the text kept through the login (PageConfig.draft)
    if (request.principal === null) return loginKeepingDraft(app, request, reply, '/nous-ecrire', draft)
    const departement = callerDepartement(request)
    const errors = app.messages.check(departement, draft)
    if (errors.length > 0) {
      prepareError(new ServerError('PHEBUS_CONTACT_INVALID', errors.map((e) => e.message).join(' ')), request, reply)
      return form(app, request, reply, draft, errors)
    }
    return await orders.once(formText(body.ordre), departement, reply, async (lead) => {
      const m = app.messages.send(app.config.now(), departement, request.principal?.username ?? '', draft)
      request.trace.fileName = m.fileName
      request.trace.sha256 = m.fileSha256
      request.trace.detail = `message n° ${m.id}`
      lead(`/nous-ecrire/${m.id}`)
      return seeOther(reply, `/nous-ecrire/${m.id}`)
    })
  })

  app.get<{ Params: { id: string } }>('/nous-ecrire/:id', async (request, reply) => {
    const id = Number(request.params.id)
    const m = Number.isSafeInteger(id) && id > 0 ? app.messages.find(callerDepartement(request), id) : null
    if (m === null) throw notFound()
    return sendPage(app, request, reply, 'contact-sent', 'Message envoyé', { m, at: dateTimeText(m.at) })
  })
}

export default contactPages
