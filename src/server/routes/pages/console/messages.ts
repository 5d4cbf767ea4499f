import type { FastifyPluginAsync } from 'fastify'
import { ServerError } from '../../../errors.js'
import { notFound } from '../../../http-errors.js'
import type { MessageMark } from '../../../services/messages.js'
import type { Message } from '../../../../storage/sessions.js'
import { dateTimeText } from '../../../views.js'
import { formText, seeOther, sendPage } from '../page.js'
import { departementFileHref, departementHref, queryText } from './shared.js'

/** Messages on one page of the console. */
export const MESSAGES_PAGE = 20

/** What each button asks, and what the page says once it is done. */
const MARKS = {
  lu: { change: { read: true }, done: 'marqué comme lu' },
  'non-lu': { change: { read: false }, done: 'marqué comme non lu' },
  repondu: { change: { answered: true }, done: 'marqué comme répondu' },
  'non-repondu': { change: { answered: false }, done: 'marqué comme non répondu' }
} as const satisfies Record<string, { change: MessageMark, done: string }>

type MarkName = keyof typeof MARKS

function isMark (v: string): v is MarkName {
  return Object.hasOwn(MARKS, v)
}

/** Whether a message is as a mark left it (read, unanswered…): a flash says so only then. */
function bears (m: Message, change: MessageMark): boolean {
  return (change.read === undefined || (m.readAt !== null) === change.read) &&
    (change.answered === undefined || (m.answeredAt !== null) === change.answered)
}

/** The list's own parameters (filters and page), kept from one page to the next and across a button. */
const LIST_KEYS = ['departement', 'non-lus', 'avant'] as const

function listQuery (source: Record<string, unknown>): URLSearchParams {
  const p = new URLSearchParams()
  for (const k of LIST_KEYS) {
    const v = queryText(source[k], 20)
    if (v !== '') p.set(k, v)
  }
  return p
}

/**
 * « Messages » (/console/messages): what the départements wrote through
 * « Nous écrire », newest first, marked read or answered by the same
 * service as PATCH /api/v1/admin/messages/{id}.
 */
const messagePages: FastifyPluginAsync = async (app) => {
  app.get('/console/messages', async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const departement = queryText(q.departement, 3).toUpperCase()
    const unread = queryText(q['non-lus'], 3) !== ''
    const before = Number(queryText(q.avant, 20))
    const { messages, next } = app.messages.page(departement === '' ? null : departement, Number.isSafeInteger(before) && before > 0 ? before : Number.MAX_SAFE_INTEGER, MESSAGES_PAGE, unread)
    const kept = listQuery(q)
    const mark = queryText(q.fait, 20)
    const markedId = Number(queryText(q.message, 20))
    // said only when true: the message exists and is as the mark left it (not a link anyone can write, nor a mark undone since)
    const marked = isMark(mark) && Number.isSafeInteger(markedId) && markedId > 0 ? app.messages.get(markedId) : null
    const flash = marked !== null && isMark(mark) && bears(marked, MARKS[mark].change) ? `Message n° ${marked.id} ${MARKS[mark].done}.` : null
    const older = new URLSearchParams(kept)
    if (next !== null) older.set('avant', String(next))
    const newest = new URLSearchParams(kept)
    newest.delete('avant')
    return sendPage(app, request, reply, 'console-messages', 'Messages', {
      values: { departement, unread },
      messages: messages.map((m) => viewOf(m, m.fileName !== null && app.files.find(m.departement, m.fileName) !== null)),
      flash,
      back: kept.toString(),
      filtered: departement !== '' || unread,
      paged: kept.has('avant'),
      older: next === null ? null : `/console/messages?${older.toString()}`,
      newest: `/console/messages?${newest.toString()}`
    })
  })

  app.post<{ Params: { id: string } }>('/console/messages/:id', async (request, reply) => {
    const id = Number(request.params.id)
    const body = (request.body ?? {}) as Record<string, unknown>
    const action = formText(body.action)
    if (!Number.isSafeInteger(id) || id < 1) throw notFound()
    if (!isMark(action)) throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', 'Formulaire refusé : l\'action demandée n\'existe pas (lu, non-lu, repondu, non-repondu).')
    const marked = app.messages.mark(id, MARKS[action].change, request.principal?.username ?? 'admin', app.config.now())
    if (marked === null) throw notFound()
    request.trace.departement = marked.message.departement
    request.trace.detail = marked.detail
    const back = listQuery(Object.fromEntries(new URLSearchParams(formText(body.retour).slice(0, 200))))
    back.set('fait', action)
    back.set('message', String(id))
    return seeOther(reply, `/console/messages?${back.toString()}#message-${id}`)
  })
}

/** A message as the page shows it; `fileKept`: the file it cites is still the département's (else it is named, not linked). */
function viewOf (m: Message, fileKept: boolean): object {
  return {
    id: m.id,
    at: dateTimeText(m.at),
    departement: m.departement,
    departementHref: departementHref(m.departement),
    user: m.username,
    subject: m.subject,
    body: m.body,
    file: m.fileName === null ? null : { name: m.fileName, sha256: m.fileSha256, href: fileKept ? departementFileHref(m.departement, m.fileName) : null },
    read: m.readAt === null ? null : dateTimeText(m.readAt),
    answered: m.answeredAt === null ? null : { at: dateTimeText(m.answeredAt), by: m.answeredBy ?? '' },
    state: m.answeredAt !== null ? 'answered' : m.readAt !== null ? 'read' : 'unread',
    actions: (m.readAt === null
      ? [['lu', 'Marquer comme lu'], ['repondu', 'Marquer comme répondu']]
      : m.answeredAt === null
        ? [['repondu', 'Marquer comme répondu'], ['non-lu', 'Marquer comme non lu']]
        : [['non-repondu', 'Marquer comme non répondu'], ['non-lu', 'Marquer comme non lu']]
    ).map(([action, label]) => ({ action, label }))
  }
}

export default messagePages
