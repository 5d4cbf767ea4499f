import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { FINDING_CODES, type FindingCode } from '../../../validate/codes.js'
import type { Finding } from '../../../validate/report.js'
import { isServerError } from '../../errors.js'
import { notFound, prepareError } from '../../http-errors.js'
import type { FileView, ReportView } from '../../services/files.js'
import { formatSize } from '../../../units.js'
import { dateTimeText } from '../../views.js'
import { callerDepartement } from '../caller.js'
import { SessionMemory } from './session-memory.js'
import { deleteUpload, receiveFromRequest, sendStoredFile, sendStoredReport } from '../file-actions.js'
import { FormOrders } from './orders.js'
import { PreRendered, checkFormToken, formText, pageErrorText, seeOther, sendPage, type PageConfig } from './page.js'

/** Findings shown on one page of a report. */
export const FINDINGS_PER_PAGE = 100

const SEVERITY_TEXT = { error: 'erreur', warning: 'avertissement', info: 'information' } as const
export const STATUS_TEXT = { accepted: 'accepté', rejected: 'refusé' } as const
export const ROLE_TEXT = { stock: 'stock mensuel', flux: 'flux quotidien', answer: 'réponse à un CGPEM de la qualification' } as const

interface Params { name: string }

/**
 * A file as a row of a list (« Mes fichiers », a département in the console),
 * its links under `base` ('' for the département's own pages).
 */
export function fileRow (f: FileView, base: string): object {
  return {
    name: f.name,
    href: `${base}/fichiers/${encodeURIComponent(f.name)}`,
    kind: f.kind,
    periodicity: f.role === undefined ? '' : ROLE_TEXT[f.role],
    created: dateTimeText(f.createdAt, false),
    size: formatSize(f.size),
    expires: dateTimeText(f.expiresAt, false),
    status: f.status === undefined ? null : STATUS_TEXT[f.status],
    statusClass: f.status === 'accepted' ? 'ok' : 'ko',
    reportHref: f.reportId === undefined ? null : `${base}/rapports/${encodeURIComponent(f.reportId)}`
  }
}

/**
 * « Mes fichiers », « Envoyer un fichier » and the report of an upload:
 * the same services as /api/v1/files and /api/v1/reports.
 */
const filePages: FastifyPluginAsync = async (app) => {
  const deletions = new FormOrders()
  // the rows of a département's list, newest first, rendered once per version of the list (the file service drops it when a file comes or goes)
  const rendered = new WeakMap<readonly FileView[], PreRendered>()
  function rows (list: readonly FileView[]): PreRendered {
    let html = rendered.get(list)
    if (html === undefined) {
      html = new PreRendered(app.views.render('files-rows', {
        rows: list.toReversed().map((f) => ({
          ...fileRow(f, ''),
          deleteHref: f.kind === 'CGPEM' ? `/fichiers/${encodeURIComponent(f.name)}/supprimer` : null
        }))
      }))
      rendered.set(list, html)
    }
    return html
  }

  // the names each session deleted lately: « Mes fichiers » says a deletion only when it was this session's
  const deleted = new SessionMemory()

  /** A file that is not there: « Mes fichiers » that says so when this session deleted it (from another tab), else 404. */
  function goneHere (request: FastifyRequest, reply: FastifyReply, name: string): FastifyReply {
    if (!deleted.has(request.session, name)) throw notFound()
    return seeOther(reply, `/fichiers?supprime=${encodeURIComponent(name)}`)
  }

  app.get('/fichiers', async (request, reply) => {
    const list = app.files.list(callerDepartement(request))
    const q = request.query as Record<string, string | undefined>
    // only a name this session deleted, and that the list no longer has: the address cannot make the page say anything else
    const gone = q.supprime
    const flash = typeof gone === 'string' && deleted.has(request.session, gone) && !list.some((f) => f.name === gone) ? `${gone} a été supprimé, avec son rapport.` : null
    return sendPage(app, request, reply, 'files', 'Mes fichiers', { rows: list, tbody: rows(list), flash })
  })

  app.get<{ Params: Params }>('/fichiers/:name', async (request, reply) => {
    await sendStoredFile(app, request, reply, callerDepartement(request), request.params.name)
  })

  app.get<{ Params: Params }>('/fichiers/:name/supprimer', async (request, reply) => {
    const departement = callerDepartement(request)
    const file = app.files.find(departement, request.params.name)
    if (file === null) return goneHere(request, reply, request.params.name)
    if (file.kind !== 'CGPEM') return await deleteUpload(app, request, departement, file.name) // refused: a PECGM is read-only
    return sendPage(app, request, reply, 'delete', `Supprimer ${file.name}`, {
      file: { name: file.name, status: file.status === null ? '' : STATUS_TEXT[file.status], created: dateTimeText(file.createdAt), size: formatSize(file.size) },
      action: `/fichiers/${encodeURIComponent(file.name)}/supprimer`,
      order: deletions.draw()
    })
  })

  app.post<{ Params: Params }>('/fichiers/:name/supprimer', async (request, reply) => {
    const departement = callerDepartement(request)
    // deleted from another tab of this session: what that tab was told (a double click of one confirmation: the order below)
    if (app.files.find(departement, request.params.name) === null && deleted.has(request.session, request.params.name)) return goneHere(request, reply, request.params.name)
    // confirmed twice (a double click): the second leads where the first did, and deletes no file of that name sent since
    return await deletions.once(formText((request.body as Record<string, unknown> | undefined)?.ordre), departement, reply, async (lead) => {
      const file = await deleteUpload(app, request, departement, request.params.name)
      deleted.add(request.session, file.name)
      const location = `/fichiers?supprime=${encodeURIComponent(file.name)}`
      lead(location)
      return seeOther(reply, location)
    })
  })

  const uploadForm = (error: string | null): object => ({ error, maxSize: formatSize(app.config.maxUploadBytes) })

  app.get('/envoi', async (request, reply) => {
    callerDepartement(request)
    return sendPage(app, request, reply, 'upload', 'Envoyer un fichier', uploadForm(null))
  })

  app.post('/envoi', { config: { csrf: 'own', continues: true } satisfies PageConfig & { continues: boolean } }, async (request, reply) => {
    const departement = callerDepartement(request)
    try {
      const result = await receiveFromRequest(app, request, reply, departement, {
        beforeFile: (fields) => { checkFormToken(app, request, fields.get('_csrf')) }
      })
      if (result === null) return reply
      return seeOther(reply, `/rapports/${encodeURIComponent(result.report.id)}`)
    } catch (err) {
      // a refused form (its token) is the error page; a refused file, the form again with why
      if (!isServerError(err) || err.code === 'PHEBUS_PAGE_CSRF' || (err.statusCode >= 500 && err.statusCode !== 503 && err.statusCode !== 507)) throw err
      const body = prepareError(err, request, reply)
      return sendPage(app, request, reply, 'upload', 'Envoyer un fichier : erreur', uploadForm(pageErrorText(request, body.code, body.message)))
    }
  })

  app.get<{ Params: { id: string } }>('/rapports/:id', async (request, reply) => {
    const report = app.files.report(callerDepartement(request), request.params.id)
    if (report === null) throw notFound()
    request.trace.fileName = report.fileName
    return sendPage(app, request, reply, 'report', `Rapport de ${report.fileName}`, reportPage(app, callerDepartement(request), report, request.query as ReportQuery, {
      base: `/rapports/${encodeURIComponent(report.id)}`,
      files: { href: '/fichiers', label: 'Mes fichiers' },
      upload: '/envoi'
    }))
  })

  app.get<{ Params: { id: string } }>('/rapports/:id/json', async (request, reply) => {
    return await sendStoredReport(app, request, reply, callerDepartement(request), request.params.id)
  })
}

/** A report page's query: one code only, and the page of its findings. */
export interface ReportQuery { code?: string, page?: string }

/** Where a report page leads: its own address (its pages, codes and JSON), the files it belongs to, another upload (the département's only). */
export interface ReportLinks {
  base: string
  files: { href: string, label: string }
  upload: string | null
}

/** What the report template shows of a report: its counts, its findings by code, a page of them; the département's page and the console's. */
export function reportPage (app: FastifyInstance, departement: string, report: ReportView, query: ReportQuery, links: ReportLinks): object {
  const file = app.files.find(departement, report.fileName)
  const base = links.base
  const counts = Object.entries(report.stats.byCode) as [FindingCode, number][]
  const code = query.code
  const selected = code !== undefined && Object.hasOwn(FINDING_CODES, code) ? code as FindingCode : null
  const groups = counts.map(([c, count]) => ({
    code: c,
    count,
    severity: FINDING_CODES[c].severity,
    severityText: SEVERITY_TEXT[FINDING_CODES[c].severity],
    href: `${base}?code=${c}`,
    current: c === selected
  }))
  const order = new Map(counts.map(([c], i) => [c, i]))
  const findings = report.findings.filter((f) => selected === null || f.code === selected)
    .sort((a, b) => (order.get(a.code) ?? 0) - (order.get(b.code) ?? 0))
  const pageCount = Math.max(1, Math.ceil(findings.length / FINDINGS_PER_PAGE))
  const page = Number(query.page ?? '1')
  const current = Number.isInteger(page) && page >= 1 && page <= pageCount ? page : 1
  const slice = findings.slice((current - 1) * FINDINGS_PER_PAGE, current * FINDINGS_PER_PAGE)
  const link = (p: number): string => `${base}?${selected === null ? '' : `code=${selected}&`}page=${p}`
  return {
    report,
    fileName: report.fileName,
    created: dateTimeText(report.createdAt),
    format: report.format === 'xml' ? 'XML' : report.format === 'fixed' ? 'largeur fixe' : 'non reconnu',
    size: file === null ? formatSize(report.stats.bytes) : formatSize(file.size),
    jsonHref: `${base}/json`,
    links,
    groups,
    shown: grouped(slice, report.stats.byCode),
    pages: pageCount > 1 ? { page: current, count: pageCount, prev: current > 1 ? link(current - 1) : null, next: current < pageCount ? link(current + 1) : null } : null
  }
}

/** Consecutive findings of one code, as one group (with the code's count in the whole file). */
function grouped (findings: readonly Finding[], totals: ReportView['stats']['byCode']): { code: FindingCode, severityText: string, meaning: string, count: number, findings: Finding[] }[] {
  const out: { code: FindingCode, severityText: string, meaning: string, count: number, findings: Finding[] }[] = []
  for (const f of findings) {
    const last = out.at(-1)
    if (last !== undefined && last.code === f.code) {
      last.findings.push(f)
    } else {
      out.push({ code: f.code, severityText: SEVERITY_TEXT[FINDING_CODES[f.code].severity], meaning: FINDING_CODES[f.code].meaning, count: totals[f.code] ?? 1, findings: [f] })
    }
  }
  return out
}

export default filePages
