import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { DAMAGE_CODES, FAULT_DEFAULTS, FAULT_LIMITS, HTTP_FAULT_CODES, isDamageCode, isHttpFaultCode, type FaultCode, type FaultInput, type FaultView } from '../../../../faults/model.js'
import { isServerError, ServerError } from '../../../errors.js'
import { notFound, prepareError } from '../../../http-errors.js'
import { listDepartements } from '../../../services/accounts.js'
import { USED_UP, faultTraceDetail } from '../../../services/faults.js'
import { frenchNumber } from '../../../../text/french.js'
import { dateTimeText } from '../../../views.js'
import { formText, seeOther, sendPage } from '../page.js'
import { FormOrders, formScope } from '../orders.js'
import { departementHref, faultSetBy, fieldErrors, queryText } from './shared.js'

/** The form's fields, as posted. */
const FIELDS = ['code', 'departement', 'depots', 'fichier_depose', 'requetes', 'fichier_vise', 'duree', 'fois', 'part', 'graine', 'retry_after', 'delai', 'debit', 'octets'] as const
type Field = typeof FIELDS[number]
type Values = Record<Field, string>

const BLANK: Values = { code: '', departement: '', depots: 'any', fichier_depose: '', requetes: 'any', fichier_vise: '', duree: 'fois', fois: '1', part: '100', graine: '', retry_after: '', delai: '', debit: '', octets: '' }

/** A count refused, in the form's terms (the service's message names the API's null). */
const TIMES_IN_FORM = `Nombre de fois : un entier de 1 à ${frenchNumber(FAULT_LIMITS.times)}, ou « Jusqu'à ce qu'elle soit levée ».`

/** Where each key of a FaultInput is on the form (a file: the damage's or the HTTP fault's field). */
function fieldOf (key: string | undefined, code: string): Field {
  switch (key) {
    case 'departement': return 'departement'
    case 'deposit': return 'depots'
    case 'route': return 'requetes'
    case 'file': return isDamageCode(code) ? 'fichier_depose' : 'fichier_vise'
    case 'times': return 'fois'
    case 'share': return 'part'
    case 'seed': return 'graine'
    case 'retryAfterSeconds': return 'retry_after'
    case 'delayMs': return 'delai'
    case 'bytesPerSecond': return 'debit'
    case 'afterBytes': return 'octets'
    default: return 'code'
  }
}

/** A number field: undefined when empty, NaN when not a number (the service says what is wrong). */
function numberOf (text: string): number | undefined {
  const t = text.trim().replace(/\s/g, '').replace(',', '.')
  return t === '' ? undefined : Number(t)
}

/** The form's « part » (a percentage, blank for all): from 0.1 to 100, as its field says. */
function partInRange (text: string): boolean {
  const part = numberOf(text)
  return part === undefined || (part >= 0.1 && part <= 100)
}

/**
 * The fault the form asks for, with only what applies to its code: the
 * fields of the other family and the parameters of other codes are
 * ignored, as the form shows them all without JavaScript.
 */
export function faultInputOf (v: Values): FaultInput {
  const input = { code: v.code as FaultCode, departement: v.departement } as FaultInput
  if (isDamageCode(v.code)) {
    if (v.depots === 'fichier') input.file = v.fichier_depose.trim()
    else if (v.depots !== '') input.deposit = v.depots as NonNullable<FaultInput['deposit']>
  } else if (isHttpFaultCode(v.code)) {
    if (v.requetes !== '') input.route = v.requetes as NonNullable<FaultInput['route']>
    if (v.fichier_vise.trim() !== '') input.file = v.fichier_vise.trim()
    const part = numberOf(v.part)
    if (part !== undefined && part !== 100) input.share = part / 100
    const param = (key: 'retryAfterSeconds' | 'delayMs' | 'bytesPerSecond' | 'afterBytes', text: string): void => {
      const n = numberOf(text)
      if (n !== undefined) input[key] = n
    }
    if (v.code === 'http-503' || v.code === 'http-429') param('retryAfterSeconds', v.retry_after)
    if (v.code === 'delay') param('delayMs', v.delai)
    if (v.code === 'slow-body') param('bytesPerSecond', v.debit)
    if (v.code === 'reset-after') param('afterBytes', v.octets)
  }
  input.times = v.duree === 'levee' ? null : (numberOf(v.fois) ?? 1)
  const seed = numberOf(v.graine)
  if (seed !== undefined) input.seed = seed
  return input
}

/**
 * « Pannes » (/console/pannes): set a fault on a département, see them all
 * (the active ones first), lift one; the same service as
 * /api/v1/admin/faults (app.faults).
 */
const faultPages: FastifyPluginAsync = async (app) => {
  // the form sent twice (a double click, the back button) sets one fault: the second send leads to it
  const orders = new FormOrders()

  function page (request: FastifyRequest, reply: FastifyReply, values: Values, errors: { field: Field, message: string }[], flash: string | null): FastifyReply {
    const q = request.query as Record<string, unknown>
    const filter = queryText(q.departement, 3).toUpperCase()
    const asked = Number(queryText(q.avant, 20))
    const before = Number.isSafeInteger(asked) && asked > 0 ? asked : undefined
    const { faults, next } = app.faults.list({ ...(filter === '' ? {} : { departement: filter }), ...(before === undefined ? {} : { before }) })
    const at = (avant: number | null): string => {
      const kept = new URLSearchParams()
      if (filter !== '') kept.set('departement', filter)
      if (avant !== null) kept.set('avant', String(avant))
      const query = kept.toString()
      return `/console/pannes${query === '' ? '' : `?${query}`}#pannes-titre`
    }
    return sendPage(app, request, reply, 'console-faults', errors.length > 0 ? 'Pannes : erreur' : 'Pannes', {
      values,
      order: orders.draw(),
      errors,
      err: fieldErrors(errors),
      flash,
      filter,
      departements: listDepartements(app.storage).map((d) => ({ code: d.code, name: d.name })),
      damages: Object.entries(DAMAGE_CODES).map(([code, c]) => ({ code, ...c })),
      https: Object.entries(HTTP_FAULT_CODES).map(([code, c]) => ({ code, ...c })),
      defaults: FAULT_DEFAULTS,
      faults: faults.map(viewOf),
      active: faults.filter((f) => f.active).length,
      paged: before !== undefined,
      older: next === null ? null : at(next),
      newest: at(null)
    })
  }

  app.get('/console/pannes', async (request, reply) => {
    const q = request.query as Record<string, unknown>
    const departement = queryText(q.departement, 3).toUpperCase()
    const posed = Number(queryText(q.posee, 20))
    const lifted = Number(queryText(q.levee, 20))
    const told = Number.isSafeInteger(posed) && posed > 0 ? app.faults.find(posed) : Number.isSafeInteger(lifted) && lifted > 0 ? app.faults.find(lifted) : null
    const already = Number(queryText(q.dejaLevee, 20))
    const before = Number.isSafeInteger(already) && already > 0 ? app.faults.find(already) : null
    const flash = before !== null
      ? `La panne n° ${before.id} (${before.title}, département ${before.departement}) n'était plus active : rien n'a été levé.`
      : told === null ? null : told.id === posed ? `Panne n° ${told.id} posée : ${told.title}, ${told.target}, département ${told.departement}.` : told.active ? null : `Panne n° ${told.id} levée : ${told.title}, département ${told.departement}.`
    return page(request, reply, { ...BLANK, departement }, [], flash)
  })

  app.post('/console/pannes', async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>
    const values = Object.fromEntries(FIELDS.map((f) => [f, formText(body[f]).slice(0, 120)])) as Values
    // the choices the form cannot do without (a code, a département, the name of a file when « un fichier déjà déposé » is chosen), said as the form says them; the rest is the service's to check
    const missing = [
      ...(values.code === '' ? [{ field: 'code' as const, message: 'Choisissez une panne dans la liste.' }] : []),
      ...(values.departement === '' ? [{ field: 'departement' as const, message: 'Choisissez le département visé.' }] : []),
      ...(isDamageCode(values.code) && values.depots === 'fichier' && values.fichier_depose.trim() === '' ? [{ field: 'fichier_depose' as const, message: 'Nommez le PECGM déjà déposé dont une copie endommagée sera déposée, ou choisissez les prochains dépôts.' }] : []),
      // a percentage here, a share from 0 to 1 for the service: said in the form's own terms
      ...(isHttpFaultCode(values.code) && !partInRange(values.part) ? [{ field: 'part' as const, message: `Part des requêtes touchées : un pourcentage de 0,1 à 100, lu « ${values.part} ».` }] : [])
    ]
    if (missing.length > 0) {
      prepareError(new ServerError('PHEBUS_FAULT_INVALID', missing.map((e) => e.message).join(' ')), request, reply)
      return page(request, reply, values, missing, null)
    }
    return await orders.once(formText(body.ordre), formScope('poser', values), reply, async (lead) => {
      try {
        const fault = await app.faults.create(faultInputOf(values), request.principal?.username ?? 'admin')
        request.trace.departement = fault.departement
        request.trace.detail = faultTraceDetail(fault, 'set')
        const location = `/console/pannes?departement=${encodeURIComponent(fault.departement)}&posee=${fault.id}#panne-${fault.id}`
        lead(location)
        return seeOther(reply, location)
      } catch (err) {
        if (!isServerError(err) || err.code !== 'PHEBUS_FAULT_INVALID') throw err
        prepareError(err, request, reply)
        const field = fieldOf(err.field, values.code)
        // the API's « null » is the form's « Jusqu'à ce qu'elle soit levée »
        return page(request, reply, values, [{ field, message: field === 'fois' ? TIMES_IN_FORM : err.message }], null)
      }
    })
  })

  app.post<{ Params: { id: string } }>('/console/pannes/:id/lever', async (request, reply) => {
    const id = Number(request.params.id)
    const fault = Number.isSafeInteger(id) && id > 0 ? app.faults.lift(id, request.principal?.username ?? 'admin') : null
    if (fault === null) {
      // lifted already (a second click, another trainer, its times used up): the list says so, no dead end
      const known = Number.isSafeInteger(id) && id > 0 ? app.faults.find(id) : null
      if (known === null) throw notFound()
      return seeOther(reply, `/console/pannes?departement=${encodeURIComponent(known.departement)}&dejaLevee=${known.id}#panne-${known.id}`)
    }
    request.trace.departement = fault.departement
    request.trace.detail = faultTraceDetail(fault, 'lifted')
    const back = queryText(formText((request.body as Record<string, unknown> | undefined)?.retour), 3).toUpperCase()
    return seeOther(reply, `/console/pannes?${back === '' ? '' : `departement=${encodeURIComponent(back)}&`}levee=${fault.id}#panne-${fault.id}`)
  })
}

function viewOf (f: FaultView): object {
  return {
    ...f,
    departementHref: departementHref(f.departement),
    remainingText: f.remaining === null ? 'jusqu\'à levée' : String(f.remaining),
    setAtText: dateTimeText(f.setAt),
    liftedText: f.liftedAt === null ? null : f.liftedBy === USED_UP ? `épuisée le ${dateTimeText(f.liftedAt)}` : `levée le ${dateTimeText(f.liftedAt)} par ${f.liftedBy ?? ''}`,
    setByText: faultSetBy(f.setBy),
    params: [
      f.share === null || f.share === 1 ? null : `${frenchNumber(f.share * 100)} % des requêtes`,
      f.retryAfterSeconds === null ? null : `Retry-After ${f.retryAfterSeconds} s`,
      f.delayMs === null ? null : `délai ${f.delayMs.toLocaleString('fr-FR')} ms`,
      f.bytesPerSecond === null ? null : `${f.bytesPerSecond.toLocaleString('fr-FR')} octets/s`,
      f.afterBytes === null ? null : `coupure après ${f.afterBytes.toLocaleString('fr-FR')} octets`,
      `graine ${f.seed}`
    ].filter((x) => x !== null)
  }
}

export default faultPages
