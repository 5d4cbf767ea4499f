import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyInstance, FastifyReply } from 'fastify'
import { bilanView } from '../../pages/qualification.js'
import { sendPage } from '../../pages/page.js'
import { sampleCsv, sampleJson } from '../../../../qualification/sample.js'
import { sendJsonText } from '../../../headers.js'
import { notFound } from '../../../http-errors.js'
import type { Static } from 'typebox'
import { ApproveSchema, GetBilanSchema, GetQualificationSchema, GetSampleSchema, HISTORY_LIMIT, HistorySchema, StartSchema, type QualificationStateSchema } from '../../../schemas/qualification.js'
import type { QualificationService, QualificationState } from '../../../services/qualification.js'
import { negotiate } from '../../../accept.js'
import { callerDepartement } from '../../caller.js'

/** What GET /api/v1/qualification answers: the campaign, its step, the plan with each check, the verdict so far. */
export type QualificationStateView = Static<typeof QualificationStateSchema>

export function stateView (departement: string, s: QualificationState): QualificationStateView {
  return {
    departement,
    started: s.started,
    iteration: s.iteration,
    step: s.step,
    planning: s.campaign.planning,
    correspondents: s.campaign.correspondents as unknown as QualificationStateView['correspondents'],
    sampleSize: s.campaign.sampleSize,
    checks: s.checks as QualificationStateView['checks'],
    verdict: s.verdict,
    approvals: s.approvals,
    final: s.final,
    answer: s.answer
  }
}

export function qualificationState (service: QualificationService, departement: string): QualificationStateView {
  const s = service.state(departement)
  if (s === null) throw notFound()
  return stateView(departement, s)
}

/** The sample as CSV (ISO-8859-1) or JSON; its download (a GET, not a HEAD) is the `echantillon` check's evidence. */
export function sendSample (app: FastifyInstance, reply: FastifyReply, departement: string, format: 'csv' | 'json'): FastifyReply {
  const sample = app.qualification.sample(departement)
  if (sample === null) throw notFound()
  // a HEAD (Fastify answers it with this GET's handler) sends no byte of the sample: no download of it, as for a PECGM
  if (reply.request.method !== 'HEAD') app.qualification.sampleDownloaded(departement)
  // people's NIR, names and births (fictitious here): kept by no cache, the browser's included (both doors)
  reply.header('cache-control', 'no-store')
  if (format === 'csv') {
    return reply.type('text/csv; charset=ISO-8859-1').header('content-disposition', 'attachment; filename="echantillon.csv"').send(sampleCsv(sample))
  }
  return sendJsonText(reply, JSON.stringify(sampleJson(sample)))
}

const qualificationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { schema: GetQualificationSchema }, async (request) => {
    return qualificationState(app.qualification, callerDepartement(request))
  })

  app.post('/start', { schema: StartSchema }, async (request, reply) => {
    const departement = callerDepartement(request)
    const s = app.qualification.start(departement, request.principal?.username ?? '')
    if (s === null) throw notFound()
    reply.code(201)
    return stateView(departement, s)
  })

  app.get('/sample', { schema: GetSampleSchema }, async (request, reply) => {
    // one address, several answers: a cache must key them by Accept
    reply.header('vary', 'Accept')
    return sendSample(app, reply, callerDepartement(request), negotiate(request.headers.accept, ['application/json', 'text/csv']) === 'text/csv' ? 'csv' : 'json')
  })

  app.get('/bilan', { schema: GetBilanSchema }, async (request, reply) => {
    const bilan = app.qualification.bilan(callerDepartement(request))
    if (bilan === null) throw notFound()
    const type = negotiate(request.headers.accept, ['application/json', 'application/pdf', 'text/html'])
    reply.header('vary', 'Accept')
    if (type === 'application/pdf') return reply.type('application/pdf').send(await app.pdf.render(bilan))
    if (type === 'text/html') return sendPage(app, request, reply, 'bilan', `Bilan, itération ${bilan.iteration}`, { ...bilanView(bilan), standalone: true })
    return sendJsonText(reply, JSON.stringify(bilan))
  })

  app.get('/iterations', { schema: HistorySchema }, async (request) => {
    const page = app.qualification.history(callerDepartement(request), request.query.before ?? Number.MAX_SAFE_INTEGER, request.query.limit ?? HISTORY_LIMIT)
    if (page === null) throw notFound()
    return page
  })

  app.post('/approval', { schema: ApproveSchema }, async (request, reply) => {
    const bilan = app.qualification.approve(callerDepartement(request), 'departement', request.principal?.username ?? '', request.query.seal)
    if (bilan === null) throw notFound()
    return sendJsonText(reply, JSON.stringify(bilan))
  })
}

export default qualificationRoutes
