import type { FastifyPluginAsync } from 'fastify'
import { Type } from 'typebox'
import { ServerError } from '../../../errors.js'
import { prepareError } from '../../../http-errors.js'
import { routeValidator } from '../../../lazy-schemas.js'
import { describeValidation, type SchemaIssue } from '../../../schema-errors.js'
import { AuditQuerySchema } from '../../../schemas/admin.js'
import { readAuditFilter, type AuditFilterText } from '../../../services/audit-trail.js'
import type { AuditKind, StoredAuditEntry } from '../../../../storage/audit.js'
import { sendPage } from '../page.js'
import { dateTimeSeconds, departementHref, faultHref, fieldErrors, queryText } from './shared.js'

/** Entries on one page of the console's trail. */
export const JOURNAL_PAGE = 50

export const KIND_TEXT: Readonly<Record<AuditKind, string>> = {
  request: 'requête',
  deposit: 'dépôt',
  purge: 'purge',
  reconcile: 'rapprochement',
  start: 'démarrage',
  stop: 'arrêt',
  clock: 'horloge',
  fault: 'panne'
}

/** The form's fields, as the page's address carries them. */
const FIELDS = ['departement', 'utilisateur', 'genre', 'route', 'statut', 'du', 'du_heure', 'au', 'au_heure', 'requete'] as const
type Field = typeof FIELDS[number]

/**
 * The address's parameters that GET /api/v1/admin/audit checks by its
 * schema (kind, before), under the page's names: the same schema nodes,
 * the same validator (routeValidator) and the same French words.
 */
const JournalQuerySchema = Type.Object({ genre: AuditQuerySchema.properties.kind, avant: AuditQuerySchema.properties.before })
const checkQuery = routeValidator({ schema: JournalQuerySchema, httpPart: 'querystring' })

/** The kind and the page asked for, as the API reads them; a 400 naming the parameter for a value it refuses. */
function readKindAndBefore (q: Record<string, unknown>): { kind: AuditKind | undefined, before: number | undefined } {
  // '' is the form's « Tous » (and no page): no filter, as when absent
  const given = Object.fromEntries((['genre', 'avant'] as const).flatMap((k) => (q[k] === undefined || q[k] === '' ? [] : [[k, q[k]]])))
  const data = { ...given }
  if (checkQuery(data) !== true) throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', describeValidation('querystring', (checkQuery.errors ?? []) as SchemaIssue[], given, JournalQuerySchema))
  return { kind: data.genre as AuditKind | undefined, before: data.avant as number | undefined }
}

/** A date input and a time input as one time text ('' when no date). */
function timeText (date: string, time: string): string {
  return date === '' ? '' : time === '' ? date : `${date}T${time}`
}

/**
 * « Journal » (/console/journal): the audit trail, filtered as
 * GET /api/v1/admin/audit is and by the same code (readAuditFilter,
 * AuditTrail.page), newest first, a page at a time by id.
 */
const journalPages: FastifyPluginAsync = async (app) => {
  app.get('/console/journal', async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const { kind, before } = readKindAndBefore(q)
    const values = Object.fromEntries(FIELDS.map((f) => [f, queryText(q[f], 100)])) as Record<Field, string>
    const text: AuditFilterText = {
      departement: values.departement,
      user: values.utilisateur,
      kind,
      request: values.requete,
      route: values.route,
      status: values.statut,
      from: timeText(values.du, values.du_heure),
      to: timeText(values.au, values.au_heure)
    }
    const { query, errors } = readAuditFilter(text)
    const field = { status: 'statut', from: 'du', to: 'au' } as const
    const shown = errors.map((e) => ({ field: field[e.field], message: e.message }))
    if (values.du === '' && values.du_heure !== '') shown.push({ field: 'du', message: 'Indiquez aussi la date de début : l\'heure seule ne suffit pas.' })
    if (values.au === '' && values.au_heure !== '') shown.push({ field: 'au', message: 'Indiquez aussi la date de fin : l\'heure seule ne suffit pas.' })
    let page: { entries: StoredAuditEntry[], next: number | null } = { entries: [], next: null }
    if (shown.length > 0) {
      prepareError(new ServerError('PHEBUS_HTTP_BAD_REQUEST', shown.map((e) => e.message).join(' ')), request, reply)
    } else {
      page = app.auditTrail.page({ ...query, ...(before === undefined ? {} : { before }), limit: JOURNAL_PAGE })
    }
    // the same filters on every link of the page
    const kept = new URLSearchParams(FIELDS.flatMap((f): [string, string][] => (values[f] === '' ? [] : [[f, values[f]]])))
    const link = (extra: Record<string, string>): string => `/console/journal?${new URLSearchParams([...kept, ...Object.entries(extra)]).toString()}`
    const filtered = [...kept].length > 0
    return sendPage(app, request, reply, 'console-journal', shown.length > 0 ? 'Journal : erreur' : 'Journal', {
      values,
      kinds: Object.entries(KIND_TEXT).map(([value, label]) => ({ value, label })),
      errors: shown,
      err: fieldErrors(shown),
      rows: page.entries.map(rowOf),
      filtered,
      paged: before !== undefined,
      older: page.next === null ? null : link({ avant: String(page.next) }),
      newest: link({}),
      api: `/api/v1/admin/audit?${apiQuery(text, before)}`
    })
  })
}

/** The same page through the API, for the one who wants its JSON. */
function apiQuery (f: AuditFilterText, before: number | undefined): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(f) as [string, string | undefined][]) if (v !== undefined && v !== '') p.set(k, v)
  if (before !== undefined) p.set('before', String(before))
  p.set('limit', String(JOURNAL_PAGE))
  return p.toString()
}

function rowOf (e: StoredAuditEntry): object {
  const status = e.status
  return {
    id: e.id,
    exchange: e.exchangeAt == null ? null : dateTimeSeconds(e.exchangeAt),
    wall: dateTimeSeconds(e.at),
    kind: KIND_TEXT[e.kind] ?? e.kind,
    user: e.username,
    departement: e.departement,
    departementHref: e.departement === null ? null : departementHref(e.departement),
    method: e.method,
    route: e.route,
    // the path only when it says more than the route
    path: e.path !== null && e.path !== e.route ? e.path : null,
    requestId: e.requestId ?? null,
    duration: e.durationMs === null ? null : `${e.durationMs.toLocaleString('fr-FR')} ms`,
    status,
    statusClass: status === null ? '' : status >= 400 ? 'ko' : 'ok',
    fileName: e.fileName,
    sha256: e.sha256,
    detail: e.detail,
    fault: e.faultId == null ? null : { id: e.faultId, href: faultHref(e.faultId) }
  }
}

export default journalPages
