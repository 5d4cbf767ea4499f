import { randomUUID } from 'node:crypto'
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { localText, parseNow, readStep, type ClockMode } from '../../../../clock.js'
import { isoFromDay, parseIsoDate } from '../../../../layouts/dates.js'
import { frenchDayWords } from '../../../../text/french.js'
import type { StoredFile } from '../../../../storage/files.js'
import { isServerError, ServerError } from '../../../errors.js'
import { notFound, prepareError } from '../../../http-errors.js'
import { clockView, moveDetail, orderClock, type ClockOrder } from '../../../services/time.js'
import { formText, seeOther, sendPage } from '../page.js'
import { FormOrders, formScope } from '../orders.js'
import { departementFileHref, departementHref, fieldErrors } from './shared.js'

/** Results of the last moves kept for their page (303 then GET: reloading it moves nothing). */
const KEPT_RESULTS = 20

const MODE_TEXT = {
  wall: 'l\'horloge de la machine',
  running: 'en marche, partie d\'une heure donnée',
  frozen: 'arrêtée : elle n\'avance que sur demande'
} as const

/** The steps offered as buttons; any other is typed. */
const STEPS = [
  { step: '+1d', label: 'Avancer d\'un jour (+1d)' },
  { step: '+1M', label: 'Avancer d\'un mois (+1M)' }
] as const

interface FieldError { field: 'pas' | 'date' | 'heure' | 'mode', message: string }

interface Result {
  from: number
  to: number
  mode: ClockMode
  deposited: { departement: string, name: string }[]
  purged: { departement: string, name: string }[]
}

/** An AAAA-MM-JJ date of the form, its parts (not yet a day the calendar has). */
const DATE_FIELD = /^(\d{4})-(\d{2})-(\d{2})$/

/**
 * What is wrong with the date and the time of « Aller à une date », each at
 * its field and in the form's terms: read by the service's own reader
 * (parseNow), which would only say the whole « to » is unreadable.
 */
function timeErrors (date: string, heure: string): FieldError[] {
  const errors: FieldError[] = []
  const parts = DATE_FIELD.exec(date)
  const day = parseNow(date) === null ? null : date
  if (date === '') errors.push({ field: 'date', message: 'Indiquez la date à atteindre.' })
  else if (parts === null) errors.push({ field: 'date', message: `Date illisible : « ${date} », attendu AAAA-MM-JJ.` })
  else if (day === null) errors.push({ field: 'date', message: `Date impossible : ${frenchDayWords(Number(parts[1]), Number(parts[2]), Number(parts[3]))}.` })
  // the time read on the day asked for, or on any day the calendar has when that one is wrong: the time's own fault only
  if (heure !== '' && parseNow(`${day ?? '2000-01-01'}T${heure}`) === null) errors.push({ field: 'heure', message: `Heure invalide : ${heure}, attendu HH:MM.` })
  return errors
}

/**
 * « Horloge » (/console/horloge): the exchange clock, moved by the same
 * order as POST /api/v1/admin/clock (orderClock): a step, a date and time,
 * a mode. A move answers 303 to its result's page (what was deposited and
 * purged on the way), so that reloading it moves nothing.
 */
const clockPages: FastifyPluginAsync = async (app) => {
  const results = new Map<string, Result>()
  // a form sent again moves nothing and leads to the result of its first send
  const orders = new FormOrders(KEPT_RESULTS)

  function page (request: FastifyRequest, reply: FastifyReply, errors: FieldError[], values: Record<string, string>): FastifyReply {
    const view = clockView(app.clock)
    const date = view.local.slice(0, 10)
    // « Aller à une date » offers the exchange's next day: its own day at midnight is behind the clock, which never goes back
    const nextDate = isoFromDay((parseIsoDate(date) ?? 0) + 1)
    return sendPage(app, request, reply, 'console-clock', errors.length > 0 ? 'Horloge : erreur' : 'Horloge', {
      clock: { ...view, modeText: MODE_TEXT[view.mode], date, nextDate, time: view.local.slice(11, 16) },
      steps: STEPS,
      order: orders.draw(),
      errors,
      err: fieldErrors(errors),
      values: { pas: '', date: '', heure: '', ...values }
    })
  }

  app.get('/console/horloge', async (request, reply) => page(request, reply, [], {}))

  /** Carries out an order of the form `action`; on a refusal, the page again with the error at its field. */
  async function move (request: FastifyRequest, reply: FastifyReply, action: string, order: ClockOrder, values: Record<string, string>, fieldOf: (f: string | undefined) => FieldError['field']): Promise<FastifyReply> {
    // the page's forms share one order: each form, with its values, is its own
    return await orders.once(formText((request.body as Record<string, unknown> | undefined)?.ordre), formScope(action, values), reply, async (lead) => {
      try {
        const moved = await orderClock(app, order, request.principal?.username ?? 'admin')
        const named = (f: StoredFile): { departement: string, name: string } => ({ departement: f.departement, name: f.name })
        const key = randomUUID()
        results.set(key, { from: moved.from, to: moved.to, mode: app.clock.mode, deposited: moved.deposited.map(named), purged: moved.purged.map(named) })
        for (const old of results.keys()) if (results.size > KEPT_RESULTS) results.delete(old)
        const location = `/console/horloge/resultat/${key}`
        lead(location)
        request.trace.detail = moveDetail(moved, app.clock.zone)
        return seeOther(reply, location)
      } catch (err) {
        // refused or failed, the order was not carried out: sent again, it is tried again
        if (!isServerError(err) || (err.code !== 'PHEBUS_CLOCK_INVALID' && err.code !== 'PHEBUS_CLOCK_BACKWARDS')) throw err
        prepareError(err, request, reply)
        return page(request, reply, [{ field: fieldOf(err.field), message: err.message }], values)
      }
    })
  }

  app.post('/console/horloge/avancer', async (request, reply) => {
    const pas = formText((request.body as Record<string, unknown> | undefined)?.pas).trim().slice(0, 16)
    if (pas === '') return refuse(request, reply, { field: 'pas', message: 'Indiquez de combien avancer : +1d, +12h, +1M…' }, { pas })
    // the API takes « +0min » (now, or a mode only); from this form, a step that moves nothing is a mistake
    if (readStep(pas)?.count === 0) return refuse(request, reply, { field: 'pas', message: `Avance nulle : « ${pas} » ne déplace pas l'horloge. Indiquez au moins +1min ; pour changer seulement le mode, utilisez « Changer le mode ».` }, { pas })
    return await move(request, reply, 'avancer', { advance: pas }, { pas }, () => 'pas')
  })

  app.post('/console/horloge/aller', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const date = formText(body.date).trim().slice(0, 10)
    const heure = formText(body.heure).trim().slice(0, 8)
    const errors = timeErrors(date, heure)
    if (errors.length > 0) return refuse(request, reply, errors, { date, heure })
    return await move(request, reply, 'aller', { to: heure === '' ? date : `${date}T${heure}` }, { date, heure }, () => 'date')
  })

  app.post('/console/horloge/mode', async (request, reply) => {
    const mode = formText((request.body as Record<string, unknown> | undefined)?.mode)
    if (mode !== 'running' && mode !== 'frozen') return refuse(request, reply, { field: 'mode', message: 'Choisissez « en marche » ou « arrêtée ».' }, {})
    return await move(request, reply, 'mode', { mode }, { mode }, () => 'mode')
  })

  function refuse (request: FastifyRequest, reply: FastifyReply, error: FieldError | FieldError[], values: Record<string, string>): FastifyReply {
    const errors = Array.isArray(error) ? error : [error]
    prepareError(new ServerError('PHEBUS_CLOCK_INVALID', errors.map((e) => e.message).join(' ')), request, reply)
    return page(request, reply, errors, values)
  }

  app.get<{ Params: { key: string } }>('/console/horloge/resultat/:key', async (request, reply) => {
    const r = results.get(request.params.key)
    if (r === undefined) throw notFound()
    const zone = app.clock.zone
    const gone = new Set(r.purged.map((f) => `${f.departement}/${f.name}`))
    // a file deposited then purged on the way is gone: no link to it
    const withLinks = (f: { departement: string, name: string }): object => ({ ...f, departementHref: departementHref(f.departement), href: gone.has(`${f.departement}/${f.name}`) ? null : departementFileHref(f.departement, f.name) })
    return sendPage(app, request, reply, 'console-clock-result', 'Horloge avancée', {
      from: localText(r.from, zone),
      to: localText(r.to, zone),
      moved: r.to > r.from,
      modeText: MODE_TEXT[r.mode],
      deposited: r.deposited.map(withLinks),
      purged: r.purged.map((f) => ({ ...f, departementHref: departementHref(f.departement) }))
    })
  })
}

export default clockPages
