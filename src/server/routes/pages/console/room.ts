import { randomUUID } from 'node:crypto'
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify'
import { DAMAGE_CODES } from '../../../../faults/model.js'
import { approvalText, dateTimeFr } from '../../../../qualification/render.js'
import { liftDetail, parisMoment, type LockView } from '../../../auth/locks.js'
import { isServerError, ServerError } from '../../../errors.js'
import { notFound, prepareError } from '../../../http-errors.js'
import { departementAccount, listDepartements, NEW_DEPARTEMENT_CODES, newDepartementProblems, openDepartement, renewPassword, type DepartementProblem, type DepartementView } from '../../../services/accounts.js'
import { depositNow } from '../../../services/deposits.js'
import { dateTimeText } from '../../../views.js'
import { sendStoredFile, sendStoredReport } from '../../file-actions.js'
import { fileRow, reportPage, type ReportQuery } from '../files.js'
import { formText, seeOther, sendPage } from '../page.js'
import { bilanView, checkView, sealOf, verdictWords } from '../qualification.js'
import { FormOrders, formScope } from '../orders.js'
import { SessionMemory } from '../session-memory.js'
import { departementHref, faultSetBy } from './shared.js'

/** The room's rows, fetched again by app.js. */
const ROWS_HREF = '/console/salle/lignes'

/** Renewals of a password kept for the page a second send of their form leads to (as many as the orders kept). */
const KEPT_RENEWALS = 50

/** What a renewal did, for that page: never the password. */
interface Renewal { code: string, at: number, drawn: boolean }

interface CodeParams { code: string }

/**
 * The room at a glance (/console), a département's page
 * (/console/departements/:code) with its files, reports, qualification and
 * the admin's actions on it, and creating a département. The same services
 * as /api/v1/admin.
 */
const roomPages: FastifyPluginAsync = async (app) => {
  // « Déposer maintenant » sent twice (a double click, the back button) deposits once: the second send leads where the first did
  const deposits = new FormOrders()
  const creations = new FormOrders()
  // what each admin session did, by département: a flash says only that (flashOf)
  const done = new SessionMemory()
  /** Where an action done for a département leads: its page, with the flash that says it, remembered for this session (flashOf). */
  const doneHref = (request: FastifyRequest, code: string, fait: string, more = ''): string => {
    done.add(request.session, `${code} ${fait}`)
    return `${departementHref(code)}?fait=${fait}${more}`
  }
  // « Nouveau mot de passe » sent twice draws once: the second send leads to a page that says the first changed it (the password is kept nowhere to be shown again)
  const renewals = new FormOrders(KEPT_RENEWALS)
  const renewed = new Map<string, Renewal>()

  app.get('/console', async (request, reply) => {
    const rows = roomRows(app)
    return sendPage(app, request, reply, 'console-room', 'La salle', { count: rows.length, tbody: app.views.render('console-room-rows', { rows }), rowsHref: ROWS_HREF })
  })

  app.get(ROWS_HREF, async (_request, reply) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(app.views.render('console-room-rows', { rows: roomRows(app) })))

  app.get('/console/departements/nouveau', async (request, reply) => newForm(request, reply, { code: '', nom: '' }, []))

  app.post('/console/departements/nouveau', async (request, reply) => {
    const form = request.body as Record<string, unknown>
    // sent twice (a double click), the second answer would be « déjà un compte » and the browser would show it in place of the password: it says what happened instead
    // the code and name it names (never the password): the same order sent again with other values creates what they say
    const scope = formScope('nouveau', { code: formText(form.code).trim().toUpperCase(), nom: formText(form.nom).trim() })
    return await creations.once(formText(form.ordre), scope, reply, async (lead) => await create(request, reply, form, lead))
  })

  async function create (request: FastifyRequest, reply: FastifyReply, form: Record<string, unknown>, settle: (location: string) => void): Promise<FastifyReply> {
    const values = { code: formText(form.code).trim(), nom: formText(form.nom).trim() }
    const chosen = formText(form.motDePasse)
    const input = { code: values.code, name: values.nom, password: chosen === '' ? undefined : chosen }
    const problems = newDepartementProblems(app.storage.accounts, input)
    if (problems.length > 0) return newForm(request, reply.code(problems[0]?.code === 'PHEBUS_ADMIN_DEPARTEMENT_EXISTS' && problems.length === 1 ? 409 : 400), values, problems)
    try {
      const made = await openDepartement(app, input)
      const code = made.account.departement ?? ''
      request.trace.detail = made.detail
      request.trace.departement = code
      settle(doneHref(request, code, 'cree'))
      return sendPage(app, request, reply.code(201), 'console-new-done', `Département ${code} créé`, {
        account: made.account,
        password: made.password,
        deposited: made.deposited.map((f) => f.name),
        depositsFailed: made.depositsFailed,
        href: departementHref(code)
      })
    } catch (err) {
      // another request created it meanwhile: the form again, with why
      if (!isServerError(err) || err.statusCode >= 500) throw err
      const body = prepareError(err, request, reply)
      return newForm(request, reply, values, [{ field: err.field === 'password' || err.field === 'name' ? err.field : 'code', code: err.code, message: body.message }])
    }
  }

  app.get<{ Params: CodeParams }>('/console/departements/:code', async (request, reply) => {
    const d = accountOf(request)
    return sendPage(app, request, reply, 'console-departement', `Département ${d.code}`, { ...departementPage(app, d, request.query as Record<string, string | undefined>, (fait) => done.has(request.session, `${d.code} ${fait}`)), order: deposits.draw() })
  })

  app.get<{ Params: CodeParams & { name: string } }>('/console/departements/:code/fichiers/:name', async (request, reply) => {
    await sendStoredFile(app, request, reply, accountOf(request).code, request.params.name)
  })

  app.get<{ Params: CodeParams & { id: string } }>('/console/departements/:code/rapports/:id', async (request, reply) => {
    const { code } = accountOf(request)
    const report = app.files.report(code, request.params.id)
    if (report === null) throw notFound()
    request.trace.fileName = report.fileName
    return sendPage(app, request, reply, 'report', `Rapport de ${report.fileName}`, reportPage(app, code, report, request.query as ReportQuery, {
      base: `${departementHref(code)}/rapports/${encodeURIComponent(report.id)}`,
      files: { href: departementHref(code), label: `Département ${code}` },
      upload: null
    }))
  })

  app.get<{ Params: CodeParams & { id: string } }>('/console/departements/:code/rapports/:id/json', async (request, reply) => {
    return await sendStoredReport(app, request, reply, accountOf(request).code, request.params.id)
  })

  app.get<{ Params: CodeParams }>('/console/departements/:code/bilan', async (request, reply) => {
    const { code } = accountOf(request)
    const b = app.qualification.bilan(code)
    if (b === null) throw notFound()
    const q = request.query as Record<string, string | undefined>
    const href = departementHref(code)
    return sendPage(app, request, reply, 'bilan', `Bilan du département ${code}, itération ${b.iteration}`, {
      ...bilanView(b, { back: { href, label: `Retour au département ${code}` }, pdf: `${href}/bilan.pdf`, approve: { href: `${href}/approbation`, label: 'Approuver le bilan' } }),
      // said only when true: the bilan shown is approved for Pôle emploi (not a link anyone can write)
      flash: q.approuve !== undefined && b.approvals.poleEmploi !== null ? 'Bilan approuvé pour Pôle emploi.' : null,
      canApprove: b.approvals.poleEmploi === null && !b.final
    })
  })

  app.get<{ Params: CodeParams }>('/console/departements/:code/bilan.pdf', async (request, reply) => {
    const b = app.qualification.bilan(accountOf(request).code)
    if (b === null) throw notFound()
    return reply.type('application/pdf').header('content-disposition', `inline; filename="bilan-${b.departement.code}-iteration-${b.iteration}.pdf"`).send(await app.pdf.render(b))
  })

  app.get<{ Params: CodeParams }>('/console/departements/:code/approbation', async (request, reply) => {
    const { code } = accountOf(request)
    const b = app.qualification.bilan(code)
    if (b === null) throw notFound()
    const href = departementHref(code)
    if (b.approvals.poleEmploi !== null || b.final) return seeOther(reply, `${href}/bilan`)
    return sendPage(app, request, reply, 'confirm', 'Approuver le bilan', {
      heading: `Approuver le bilan du département ${code} ?`,
      message: `Pôle emploi approuve le bilan de l'itération ${b.iteration} (verdict ${b.verdict}, sceau ${b.seal.slice(0, 16)}…). ${b.approvals.departement === null ? 'Quand le département l\'aura validé aussi, il sera définitif.' : 'Le département l\'a déjà validé : il deviendra définitif.'}`,
      action: `${href}/approbation`,
      fields: [{ name: 'sceau', value: b.seal }],
      button: 'Approuver le bilan',
      cancel: href,
      danger: false
    })
  })

  app.post<{ Params: CodeParams }>('/console/departements/:code/approbation', async (request, reply) => {
    const { code } = accountOf(request)
    const b = app.qualification.approve(code, 'poleEmploi', request.principal?.username ?? 'admin', sealOf(request.body))
    if (b === null) throw notFound()
    request.trace.detail = `bilan du département ${code} (itération ${b.iteration}) approuvé pour Pôle emploi${b.final ? ', définitif' : ''}`
    return seeOther(reply, doneHref(request, code, 'approuve'))
  })

  app.get<{ Params: CodeParams }>('/console/departements/:code/recommencer', async (request, reply) => {
    const { code } = accountOf(request)
    const q = app.qualification.state(code)
    if (q === null) throw notFound()
    const href = departementHref(code)
    if (!q.started) return seeOther(reply, href)
    return sendPage(app, request, reply, 'confirm', 'Recommencer la campagne', {
      heading: `Recommencer la campagne du département ${code} ?`,
      message: `L'itération ${q.iteration} sera close avec son bilan tel qu'il est (verdict actuel : ${verdictWords(q.verdict)[0]}). Le département revient à l'étape 2 et commencera l'itération suivante quand il sera prêt.`,
      action: `${href}/recommencer`,
      // the iteration it names: closed only if it is still the open one when the form is posted
      fields: [{ name: 'iteration', value: String(q.iteration) }],
      button: 'Recommencer la campagne',
      cancel: href,
      danger: true
    })
  })

  app.post<{ Params: CodeParams }>('/console/departements/:code/recommencer', async (request, reply) => {
    const { code } = accountOf(request)
    const asked = formText((request.body as Record<string, unknown>).iteration)
    const named = /^[1-9][0-9]{0,8}$/.test(asked) ? Number(asked) : null
    if (named === null) throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', 'Formulaire refusé : il ne dit pas quelle itération clore. Rouvrez « Recommencer la campagne » depuis la page du département ; rien n\'a été clos.')
    const before = app.qualification.state(code)
    if (before === null) throw notFound()
    // the iteration named closed already (a double click, the back button): nothing more to close, its result again
    if (!before.started && named < before.iteration) return seeOther(reply, doneHref(request, code, 'recommence'))
    // checked and closed in the same turn: another iteration opened since the confirmation is not the one it named
    if (!before.started || before.iteration !== named) {
      throw new ServerError('PHEBUS_QUALIFICATION_ITERATION_CHANGED', `La confirmation nommait l'itération ${named}, mais ${before.started ? `c'est l'itération ${before.iteration} qui est ouverte maintenant` : 'aucune itération n\'est ouverte maintenant'} : rien n'a été clos. Relisez la page du département, puis recommencez si c'est toujours voulu.`)
    }
    if (app.qualification.restart(code) === null) throw notFound()
    request.trace.detail = `campagne du département ${code} recommencée : itération ${before.iteration} close`
    return seeOther(reply, doneHref(request, code, 'recommence'))
  })

  app.get<{ Params: CodeParams }>('/console/departements/:code/mot-de-passe', async (request, reply) => passwordForm(request, reply, accountOf(request), null))

  app.post<{ Params: CodeParams }>('/console/departements/:code/mot-de-passe', async (request, reply) => {
    const d = accountOf(request)
    const form = request.body as Record<string, unknown>
    const chosen = formText(form.motDePasse)
    return await renewals.once(formText(form.ordre), formScope('mot-de-passe', { departement: d.code }), reply, async (lead) => {
      try {
        const changed = await renewPassword(app, d.code, chosen === '' ? undefined : chosen)
        if (changed === null) throw notFound()
        request.trace.detail = changed.detail
        const key = randomUUID()
        renewed.set(key, { code: d.code, at: app.config.now(), drawn: changed.password !== null })
        for (const old of renewed.keys()) if (renewed.size > KEPT_RENEWALS) renewed.delete(old)
        lead(`${departementHref(d.code)}/mot-de-passe/${key}`)
        return sendPage(app, request, reply, 'console-departement-password-done', `Mot de passe du département ${d.code} changé`, {
          d, password: changed.password, sessionsClosed: changed.sessionsClosed, already: null, href: departementHref(d.code)
        })
      } catch (err) {
        if (!isServerError(err) || err.code !== 'PHEBUS_ADMIN_PASSWORD_INVALID') throw err
        return passwordForm(request, reply, d, prepareError(err, request, reply).message)
      }
    })
  })

  // where a second send of the form leads: what the first did, never its password
  app.get<{ Params: CodeParams & { key: string } }>('/console/departements/:code/mot-de-passe/:key', async (request, reply) => {
    const d = accountOf(request)
    const r = renewed.get(request.params.key)
    if (r === undefined || r.code !== d.code) throw notFound()
    return sendPage(app, request, reply, 'console-departement-password-done', `Mot de passe du département ${d.code} déjà changé`, {
      d, password: null, sessionsClosed: 0, already: { at: dateTimeText(r.at), drawn: r.drawn }, href: departementHref(d.code)
    })
  })

  app.post<{ Params: CodeParams }>('/console/departements/:code/blocages', async (request, reply) => {
    const { code } = accountOf(request)
    const id = formText((request.body as Record<string, unknown>).id)
    const lock = app.authenticator.locks().find((l) => l.id === id && l.username !== null && app.authenticator.departementOf(l.username) === code)
    const lifted = lock === undefined ? null : app.authenticator.lift(lock.id)
    // the trail keeps who lifted what: the replay at start reads it there
    if (lifted !== null) {
      request.trace.detail = liftDetail(lifted)
      // the département's journal shows what the admin did for it
      request.trace.departement = code
    }
    return seeOther(reply, doneHref(request, code, lifted === null ? 'deja-leve' : 'leve'))
  })

  app.post<{ Params: CodeParams }>('/console/departements/:code/depots', async (request, reply) => {
    const { code } = accountOf(request)
    const asked = formText((request.body as Record<string, unknown>).periodicite)
    if (asked !== 'M' && asked !== 'Q') throw new ServerError('PHEBUS_HTTP_BAD_REQUEST', `Formulaire refusé : la périodicité est M (stock mensuel) ou Q (flux quotidien), lu « ${asked.slice(0, 20)} ». Rien n'est déposé.`)
    const periodicity = asked
    return await deposits.once(formText((request.body as Record<string, unknown>).ordre), formScope('depots', { departement: code, periodicite: periodicity }), reply, async (lead) => {
      const made = await depositNow(app.files, app.scenario, app.faults, code, periodicity, app.clock.day(), app.handlersSignal)
      if (made === null) throw notFound()
      const names = made.deposited.map((f) => f.name)
      request.trace.fileName = made.file.name
      request.trace.detail = `dépôt demandé pour le département ${code} : ${names.join(', ')}`
      const location = doneHref(request, code, 'depose', `&${new URLSearchParams({ fichier: made.file.name, avec: String(names.length - 1) }).toString()}`)
      lead(location)
      return seeOther(reply, location)
    })
  })

  app.post<{ Params: CodeParams }>('/console/departements/:code/reparation', async (request, reply) => {
    const { code } = accountOf(request)
    const made = await app.faults.repair(code)
    request.trace.detail = `versions correctes déposées pour le département ${code} : ${made.length === 0 ? 'aucune' : made.map((f) => f.name).join(', ')}`
    return seeOther(reply, doneHref(request, code, 'repare', `&avec=${made.length}`))
  })

  /** The account of the route's département, which the trail is told (the activity table leaves the admin's requests aside); 404 when it has none. */
  function accountOf (request: FastifyRequest<{ Params: CodeParams }>): DepartementView {
    const d = departementAccount(app.storage, request.params.code.toUpperCase())
    if (d === null) throw notFound()
    request.trace.departement = d.code
    return d
  }

  function newForm (request: FastifyRequest, reply: FastifyReply, values: { code: string, nom: string }, problems: readonly DepartementProblem[]): FastifyReply {
    const errors = fieldErrors(problems)
    return sendPage(app, request, reply, 'console-new', problems.length === 0 ? 'Créer un département' : 'Créer un département : erreur', { values, codes: NEW_DEPARTEMENT_CODES, order: creations.draw(), ...errors })
  }

  function passwordForm (request: FastifyRequest, reply: FastifyReply, d: DepartementView, error: string | null): FastifyReply {
    const errors = fieldErrors(error === null ? [] : [{ field: 'password', code: 'PHEBUS_ADMIN_PASSWORD_INVALID', message: error }])
    return sendPage(app, request, reply, 'console-departement-password', `Nouveau mot de passe du département ${d.code}`, { d, href: departementHref(d.code), order: renewals.draw(), ...errors })
  }
}

/** The form's field of each problem (ids of the templates), in the order of the form, for the error summary and beside each field. */
const FIELD_IDS = { code: 'code', name: 'nom', password: 'mot-de-passe' } as const

function fieldErrors (problems: readonly DepartementProblem[]): { errors: { field: string, message: string }[], err: Record<string, string> } {
  const order = Object.keys(FIELD_IDS)
  const sorted = [...problems].sort((a, b) => order.indexOf(a.field) - order.indexOf(b.field))
  const err: Record<string, string> = {}
  for (const p of sorted) err[FIELD_IDS[p.field]] ??= p.message
  return { errors: Object.entries(err).map(([field, message]) => ({ field, message })), err }
}

/** The user locks of each département (an address lock is no département's). */
function locksByDepartement (app: FastifyInstance): Map<string, LockView[]> {
  const out = new Map<string, LockView[]>()
  for (const l of app.authenticator.locks()) {
    const d = l.username === null ? null : app.authenticator.departementOf(l.username)
    if (d !== null) out.set(d, [...(out.get(d) ?? []), l])
  }
  return out
}

function lockText (l: LockView, now: number): string {
  return `${l.username ?? ''} depuis ${l.address} (${l.failures} échecs), fin prévue ${parisMoment(l.until, now)}`
}

/** « 0 contrôle réussi sur 7 », « 2 contrôles réussis sur 7 »: in French, 0 and 1 are singular. */
function passedText (passed: number, planned: number): string {
  return `${passed} contrôle${passed > 1 ? 's réussis' : ' réussi'} sur ${planned}`
}

/** One row of the room per département with an account. */
function roomRows (app: FastifyInstance): object[] {
  const activity = app.auditTrail.lastActivity()
  const locks = locksByDepartement(app)
  const now = app.config.now()
  return listDepartements(app.storage).map((d) => {
    const q = app.qualification.state(d.code)
    const last = activity.get(d.code)
    const [verdictText, verdictClass] = q === null ? ['', ''] : verdictWords(q.verdict)
    return {
      ...d,
      href: departementHref(d.code),
      activity: last === undefined ? 'aucune' : dateTimeText(last, false),
      qualification: q === null
        ? null
        : q.started
          ? { text: `itération ${q.iteration}, étape ${q.step}, ${passedText(q.checks.filter((c) => c.status === 'passed').length, q.checks.length)}`, verdictText: q.final ? `${verdictText}, définitif` : verdictText, verdictClass }
          : { text: 'pas commencée', verdictText: '', verdictClass: '' },
      locks: (locks.get(d.code) ?? []).map((l) => lockText(l, now)),
      faults: app.faults.activeFor(d.code).map((f) => `${f.title} (${f.target})`),
      faultsHref: `/console/pannes?departement=${encodeURIComponent(d.code)}`
    }
  })
}

/**
 * The flash of an action done (after its 303): said only when the admin's
 * own session did that action for this département lately (`did`), never
 * because the address says so; else a link anyone can write would tell the
 * admin that a campaign was restarted or a lock lifted. No text of the
 * address is shown but the name of one of the département's files
 * (`files`), and a count of files no larger than it has. What the state
 * says otherwise is not said either (the page reloaded later): an approval
 * only when the current bilan is approved, a restart only while no
 * iteration is open since one was closed, a lock lifted only while the
 * département has none.
 */
function flashOf (q: Record<string, string | undefined>, files: ReadonlySet<string>, now: { approved: boolean, restarted: boolean, locked: boolean }, did: (fait: string) => boolean): string | null {
  if (q.fait === undefined || !did(q.fait)) return null
  const given = Number(q.avec ?? '0')
  const more = Number.isInteger(given) && given > 0 && given <= files.size ? given : 0
  switch (q.fait) {
    case 'approuve': return now.approved ? 'Bilan approuvé pour Pôle emploi.' : null
    case 'cree': return 'Le formulaire « Créer un département » avait déjà été envoyé : le département a été créé par le premier envoi, dont la réponse montrait le mot de passe s\'il était tiré au hasard. S\'il vous a échappé, donnez-en un nouveau (« Nouveau mot de passe »).'
    case 'recommence': return !now.restarted ? null : 'Campagne recommencée : l\'itération close garde son bilan ; le département commencera la suivante quand il sera prêt.'
    case 'leve': return now.locked ? null : 'Blocage levé : l\'identifiant peut de nouveau se connecter depuis cette adresse.'
    case 'deja-leve': return 'Ce blocage n\'existe plus : il a pris fin ou a déjà été levé.'
    case 'depose': return `${files.has(q.fichier ?? '') ? `${q.fichier ?? ''} déposé.` : 'Dépôt fait.'}${more > 0 ? ` Déposé avec lui : ${more} autre${more > 1 ? 's fichiers' : ' fichier'} (version correcte attendue, ou copie demandée par une panne).` : ''}`
    case 'repare': return more > 0 ? `${more} version${more > 1 ? 's correctes déposées' : ' correcte déposée'}.` : 'Aucune version correcte à déposer : chaque dépôt endommagé a déjà la sienne.'
    default: return null
  }
}

/** Everything the admin sees of a département: its account, locks, faults, files, qualification. */
function departementPage (app: FastifyInstance, d: DepartementView, query: Record<string, string | undefined>, did: (fait: string) => boolean): object {
  const href = departementHref(d.code)
  const now = app.config.now()
  const files = app.files.adminList(d.code).toReversed()
  const q = app.qualification.state(d.code)
  const last = app.auditTrail.lastActivity().get(d.code)
  const locks = locksByDepartement(app).get(d.code) ?? []
  return {
    d,
    href,
    flash: flashOf(query, new Set(files.map((f) => f.name)), {
      approved: q !== null && q.started && q.approvals.poleEmploi !== null,
      // the next iteration is not started yet, and there was one before it
      restarted: q !== null && !q.started && q.iteration > 1,
      locked: locks.length > 0
    }, did),
    created: dateTimeText(d.createdAt),
    activity: last === undefined ? 'aucune' : dateTimeText(last),
    locks: locks.map((l) => ({ id: l.id, text: lockText(l, now), action: `${href}/blocages` })),
    faults: app.faults.activeFor(d.code).map((f) => ({ title: f.title, code: f.code, target: f.target, remaining: f.remaining, setBy: faultSetBy(f.setBy), setAt: dateTimeText(f.setAt) })),
    faultsHref: `/console/pannes?departement=${encodeURIComponent(d.code)}`,
    unrepaired: files.filter((f) => f.damage !== null && f.repairedBy === null).length,
    files: files.map((f) => ({
      ...fileRow(f, href),
      damage: f.damage === null ? null : { title: DAMAGE_CODES[f.damage].title, detail: f.damageDetail ?? '' },
      // a copy deposited twice keeps the file it repeats there (its detail names it): nothing replaced it, nothing will
      repairedBy: f.repairedBy === null || f.damage === 'duplicate-file' ? null : { name: f.repairedBy, href: `${href}/fichiers/${encodeURIComponent(f.repairedBy)}` },
      waitsRepair: f.damage !== null && f.damage !== 'duplicate-file' && f.repairedBy === null
    })),
    q: q === null ? null : qualificationView(q, href)
  }
}

function qualificationView (q: NonNullable<ReturnType<FastifyInstance['qualification']['state']>>, href: string): object {
  const [verdictText, verdictClass] = verdictWords(q.verdict)
  return {
    started: q.started,
    iteration: q.iteration,
    step: q.step,
    verdictText,
    verdictClass,
    passedText: passedText(q.checks.filter((c) => c.status === 'passed').length, q.checks.length),
    checks: q.checks.map((c) => checkView(c, `${href}/rapports`, false)),
    approvals: [approvalText('Département', q.approvals.departement), approvalText('Pôle emploi', q.approvals.poleEmploi)],
    final: q.final,
    startedAt: q.started ? dateTimeFr(q.campaign.startedAt) : null,
    canApprove: q.started && q.approvals.poleEmploi === null && !q.final
  }
}

export default roomPages
