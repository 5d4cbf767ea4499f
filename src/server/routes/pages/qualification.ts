import type { FastifyPluginAsync } from 'fastify'
import type { Bilan } from '../../../qualification/bilan.js'
import type { CheckId } from '../../../scenarios/model.js'
import { JUDGED_ON_FIRST, type CheckResult } from '../../../qualification/checks.js'
import { approvalText, dateFr, dateTimeFr, FICTION_NOTICE, STATUS_WORDS, suiteItems, suiteText } from '../../../qualification/render.js'
import { frenchList } from '../../../text/french.js'
import { notFound } from '../../http-errors.js'
import { callerDepartement } from '../caller.js'
import { sendSample } from '../api/v1/qualification.js'
import { formText, seeOther, sendPage } from './page.js'

/** What to do next for a check not passed yet: the page's advice, the service's reason beside it. */
const HINTS: Readonly<Record<CheckId, string>> = {
  connexion: 'Connectez-vous avec le compte du département (cette page le fait déjà ; par l\'API, HTTP Basic).',
  echantillon: 'Téléchargez l\'échantillon d\'individus (CSV ou JSON, ci-dessus) avant d\'envoyer le premier CGPEM.',
  'cgpem-accepte': 'Envoyez un CGPEM de stock sans erreur (« Envoyer un fichier ») ; le rapport de chaque envoi dit quoi corriger.',
  natures: 'Dans vos CGPEM, employez au moins une fois chacune des natures d\'accompagnement que demande le plan',
  rapprochement: 'Orientez les personnes de l\'échantillon : leur NIR, nom, prénom et date de naissance tels que l\'échantillon les donne.',
  'pecgm-telecharge': 'Téléchargez en entier le PECGM de réponse déposé après votre CGPEM accepté (« Mes fichiers »).',
  'aller-retour': 'Envoyez un nouveau CGPEM qui reprend, pour les orientations vers Pôle emploi, le CODE_PE et l\'IDENTIFIANT_PE que donne le PECGM de réponse.'
}

/** The advice for a check, with the natures its plan asks for; failed on the iteration's first CGPEM, only a new iteration retries it. */
function hintOf (c: CheckResult): string | null {
  const hint = HINTS[c.id] ?? null
  const advice = c.id === 'natures' && hint !== null ? `${hint} (${frenchList(c.params.natures ?? [])}).` : hint
  if (advice === null || c.status !== 'failed' || !JUDGED_ON_FIRST.has(c.id)) return advice
  return `Commencez une nouvelle itération (« Recommencer », en bas de la page), puis ${advice.charAt(0).toLowerCase()}${advice.slice(1)}`
}

const VERDICT = { positif: ['positif', 'ok'], négatif: ['négatif', 'ko'], 'en cours': ['en cours', 'wait'] } as const

/** Where the bilan page leads: back, its PDF, its approval (the département's pages, or the console's). */
export interface BilanLinks {
  back: { href: string, label: string }
  pdf: string
  approve: { href: string, label: string }
}

const DEPARTEMENT_BILAN: BilanLinks = {
  back: { href: '/qualification', label: 'Retour à la qualification' },
  pdf: '/qualification/bilan.pdf',
  approve: { href: '/qualification/validation', label: 'Valider le bilan' }
}

/** What the bilan template shows of a bilan: its words and dates in French (the PDF says the same, from render.ts). */
export function bilanView (b: Bilan, links: BilanLinks = DEPARTEMENT_BILAN): object {
  return {
    b,
    links,
    fiction: FICTION_NOTICE,
    issued: dateTimeFr(b.issuedAt),
    planning: { debut: dateFr(b.planning.debut), fin: dateFr(b.planning.fin) },
    suite: suiteText(b),
    fix: suiteItems(b),
    verdictClass: VERDICT[b.verdict][1],
    checks: b.checks.map((c) => ({ ...c, statusText: STATUS_WORDS[c.status], evidence: c.evidence.map((e) => ({ ...e, at: e.at === undefined ? null : dateTimeFr(e.at) })) })),
    approvals: [approvalText('Département', b.approvals.departement), approvalText('Pôle emploi', b.approvals.poleEmploi)],
    flash: null,
    canApprove: false
  }
}

/**
 * A check as the pages show it: its status in words, its evidence dated,
 * each report linked under `reports` (the département's /rapports, or the
 * console's); the advice of what to do next when `hints` (the département's).
 */
export function checkView (c: CheckResult, reports = '/rapports', hints = true): object {
  return {
    ...c,
    statusText: STATUS_WORDS[c.status],
    hint: hints ? hintOf(c) : null,
    evidence: c.evidence.map((e) => ({ ...e, at: e.at === undefined ? null : dateTimeFr(e.at), reportHref: e.reportId === undefined ? null : `${reports}/${encodeURIComponent(e.reportId)}` }))
  }
}

/** A verdict's words and its class (ok, ko, wait). */
export function verdictWords (v: keyof typeof VERDICT): readonly [string, string] {
  return VERDICT[v]
}

/**
 * « Qualification »: the sandbox and its start, the open iteration with its
 * plan and evidence, the sample, the bilan as a page and as PDF, and the
 * département's validation. The same service as /api/v1/qualification.
 */
const qualificationPages: FastifyPluginAsync = async (app) => {
  app.get('/qualification', async (request, reply) => {
    const departement = callerDepartement(request)
    const q = app.qualification.state(departement)
    if (q === null) throw notFound()
    const [verdictText, verdictClass] = VERDICT[q.verdict]
    const query = request.query as Record<string, string | undefined>
    return sendPage(app, request, reply, 'qualification', 'Qualification', {
      q,
      // the address names the iteration started: said only while that one is open and what is done now still counts
      flash: q.started && !q.final && !q.planningOver && query.commencee === String(q.iteration) ? `Itération ${q.iteration} commencée : seul ce que vous faites à partir de maintenant compte.` : null,
      checks: q.checks.map((c) => checkView(c)),
      verdictText,
      verdictClass,
      stepText: q.final
        ? 'Bilan validé par les deux parties : il est définitif. Ce qui arrive ensuite ne compte plus pour cette itération ; une nouvelle itération se commence exprès.'
        : q.planningOver
          ? `Planning terminé le ${dateFr(q.campaign.planning.fin)} : ce que vous faites maintenant ne compte plus pour cette itération. Son bilan est à valider tel qu'il est ; pour recommencer, commencez une nouvelle itération (retour à l'étape 2).`
          : q.step === 2 ? 'Étape 2 : préparation, jusqu\'à ce que le plan soit tenu.' : 'Étape 3 : tests de qualification, le bilan est à valider par les deux parties.',
      planning: { debut: dateFr(q.campaign.planning.debut), fin: dateFr(q.campaign.planning.fin) }
    })
  })

  app.get('/qualification/commencer', async (request, reply) => {
    const q = app.qualification.state(callerDepartement(request))
    if (q === null) throw notFound()
    if (!q.started) return seeOther(reply, '/qualification')
    return sendPage(app, request, reply, 'confirm', 'Nouvelle itération', {
      heading: 'Commencer une nouvelle itération ?',
      message: `L'itération ${q.iteration} sera close avec son bilan (verdict actuel : ${VERDICT[q.verdict][0]}) ; l'itération ${q.iteration + 1} repartira de zéro, et seul ce que vous ferez ensuite comptera.`,
      action: '/qualification/commencer',
      fields: [{ name: 'iteration', value: String(q.iteration + 1) }],
      button: 'Commencer une nouvelle itération',
      cancel: '/qualification',
      danger: true
    })
  })

  app.post('/qualification/commencer', async (request, reply) => {
    const departement = callerDepartement(request)
    const q = app.qualification.state(departement)
    if (q === null) throw notFound()
    // the form names the iteration it opens: sent again (a double click, the back button), that one is already open and nothing is closed
    const asked = formText((request.body as Record<string, unknown> | undefined)?.iteration)
    if (asked !== '' && asked !== String(q.started ? q.iteration + 1 : q.iteration)) return seeOther(reply, '/qualification')
    const s = app.qualification.start(departement, request.principal?.username ?? '')
    if (s === null) throw notFound()
    return seeOther(reply, `/qualification?commencee=${s.iteration}`)
  })

  app.get('/qualification/echantillon.csv', async (request, reply) => sendSample(app, reply, callerDepartement(request), 'csv'))
  app.get('/qualification/echantillon.json', async (request, reply) =>
    sendSample(app, reply.header('content-disposition', 'attachment; filename="echantillon.json"'), callerDepartement(request), 'json'))

  function bilanOf (departement: string): Bilan {
    const b = app.qualification.bilan(departement)
    if (b === null) throw notFound()
    return b
  }

  app.get('/qualification/bilan', async (request, reply) => {
    const b = bilanOf(callerDepartement(request))
    const query = request.query as Record<string, string | undefined>
    return sendPage(app, request, reply, 'bilan', `Bilan, itération ${b.iteration}`, {
      ...bilanView(b),
      flash: query.valide !== undefined && b.approvals.departement !== null ? 'Bilan validé par le département.' : null,
      canApprove: b.approvals.departement === null && !b.final
    })
  })

  app.get('/qualification/bilan.pdf', async (request, reply) => {
    const b = bilanOf(callerDepartement(request))
    return reply.type('application/pdf').header('content-disposition', `inline; filename="bilan-${b.departement.code}-iteration-${b.iteration}.pdf"`).send(await app.pdf.render(b))
  })

  app.get('/qualification/validation', async (request, reply) => {
    const b = bilanOf(callerDepartement(request))
    if (b.approvals.departement !== null) return seeOther(reply, '/qualification/bilan')
    return sendPage(app, request, reply, 'confirm', 'Valider le bilan', {
      heading: 'Valider le bilan ?',
      message: `Le département valide le bilan de l'itération ${b.iteration} (verdict ${b.verdict}, sceau ${b.seal.slice(0, 16)}…). Quand Pôle emploi l'aura validé aussi, il sera définitif.`,
      action: '/qualification/validation',
      fields: [{ name: 'sceau', value: b.seal }],
      button: 'Valider le bilan',
      cancel: '/qualification/bilan',
      danger: false
    })
  })

  app.post('/qualification/validation', async (request, reply) => {
    const b = app.qualification.approve(callerDepartement(request), 'departement', request.principal?.username ?? '', sealOf(request.body))
    if (b === null) throw notFound()
    return seeOther(reply, '/qualification/bilan?valide=1')
  })
}

/** The seal a confirmation form names (the bilan it showed), if any. */
export function sealOf (body: unknown): string | undefined {
  const seal = formText((body as Record<string, unknown> | undefined)?.sceau)
  return seal === '' ? undefined : seal
}

export default qualificationPages
