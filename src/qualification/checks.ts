import { NATURES_POLE_EMPLOI } from '../layouts/cgpem.js'
import type { OrientationSeen } from './answer.js'
import type { PlanItem } from './plan.js'
import type { OrientationSummary } from './tally.js'

/**
 * Each check of the plan computed from the evidence the server recorded
 * (audit trail, uploads and their reports, deposits, downloads): 'todo' while
 * nothing says, 'passed' or 'failed' with the evidence and, when failed, why
 * in words a developer can act on.
 */

export type CheckStatus = 'todo' | 'passed' | 'failed'

export interface UploadEvidence {
  name: string
  sha256: string
  at: string
  status: 'accepted' | 'rejected'
  reportId: string
  /** what its orientations say, matched to the sample as they were read */
  summary: OrientationSummary
}

export interface DepositEvidence {
  name: string
  sha256: string
  at: string
  size: number
  /** the upload it answers */
  answerTo: string
  /** what the PECGM gave each person of the sample it holds */
  identifiers: readonly { sampleIndex: number, CODE_PE: string, IDENTIFIANT_PE: string }[]
}

export interface QualificationEvidence {
  logins: readonly { at: string }[]
  /** requests of the département's account refused for its credentials (401, 429) */
  refusedLogins: readonly { at: string, status: number }[]
  sampleDownloads: readonly { at: string }[]
  uploads: readonly UploadEvidence[]
  deposits: readonly DepositEvidence[]
  downloads: readonly { name: string, at: string, bytes: number, status: number }[]
}

export interface EvidenceItem {
  what: string
  at?: string
  file?: string
  sha256?: string
  reportId?: string
}

export interface CheckResult extends PlanItem {
  status: CheckStatus
  evidence: EvidenceItem[]
  reason?: string
}

const MAX_LINES = 5

/** "lines 3, 19, 35." or "lines 3, 19, 35, 51, 67…" when there are more: the end of a sentence. */
function lines (list: readonly OrientationSeen[]): string {
  const shown = list.slice(0, MAX_LINES).map((o) => o.line).join(', ')
  return list.length > MAX_LINES ? `${shown}…` : `${shown}.`
}

function fileEvidence (what: string, f: { name: string, sha256: string, at: string, reportId?: string }): EvidenceItem {
  return { what, at: f.at, file: f.name, sha256: f.sha256, ...(f.reportId ? { reportId: f.reportId } : {}) }
}

export function evaluatePlan (plan: readonly PlanItem[], ev: QualificationEvidence): CheckResult[] {
  const firstAccepted = ev.uploads.find((u) => u.status === 'accepted')
  const deposit = firstAccepted ? ev.deposits.find((d) => d.answerTo === firstAccepted.name) : undefined
  return plan.map((item): CheckResult => {
    const r = (status: CheckStatus, evidence: EvidenceItem[] = [], reason?: string): CheckResult =>
      ({ ...item, status, evidence, ...(reason ? { reason } : {}) })
    switch (item.id) {
      case 'connexion': {
        const first = ev.logins[0]
        if (first) return r('passed', [{ what: 'première connexion authentifiée', at: first.at }])
        const refused = ev.refusedLogins
        if (refused.length === 0) return r('todo')
        return r('failed', refused.slice(0, 5).map((x) => ({ what: `connexion refusée (${x.status})`, at: x.at })),
          `${refused.length} tentative(s) de connexion refusée(s), aucune acceptée : vérifiez l'identifiant et le mot de passe du département${refused.some((x) => x.status === 429) ? ' ; après cinq échecs le compte est bloqué quinze minutes depuis cette adresse' : ''}.`)
      }
      case 'echantillon': {
        const first = ev.sampleDownloads[0]
        const upload = ev.uploads[0]
        if (first && (!upload || first.at <= upload.at)) return r('passed', [{ what: 'échantillon téléchargé', at: first.at }])
        if (!upload) return r('todo')
        return r('failed', [fileEvidence('CGPEM déposé avant l\'échantillon', upload), ...(first ? [{ what: 'échantillon téléchargé ensuite', at: first.at }] : [])],
          `Le CGPEM ${upload.name} a été déposé sans que l'échantillon ait été téléchargé avant : téléchargez l'échantillon (GET /api/v1/qualification/sample), chargez-le dans votre logiciel, puis déposez le CGPEM.`)
      }
      case 'cgpem-accepte': {
        if (firstAccepted) return r('passed', [fileEvidence('CGPEM accepté', firstAccepted)])
        const rejected = ev.uploads.filter((u) => u.status === 'rejected')
        if (rejected.length === 0) return r('todo')
        return r('failed', rejected.map((u) => fileEvidence('CGPEM refusé', u)),
          `${rejected.length} fichier(s) CGPEM refusé(s), aucun accepté : corrigez les erreurs du rapport ${rejected[rejected.length - 1]?.reportId} (${rejected[rejected.length - 1]?.name}) et déposez-le à nouveau.`)
      }
      case 'natures': {
        if (!firstAccepted) return r('todo')
        const seen = new Set(firstAccepted.summary.natures)
        const missing = (item.params.natures ?? []).filter((n) => !seen.has(n))
        const evidence = [fileEvidence(`natures utilisées : ${[...seen].join(', ')}`, firstAccepted)]
        return missing.length === 0 ? r('passed', evidence) : r('failed', evidence, `Le CGPEM ${firstAccepted.name} n'utilise pas la ou les natures ${missing.join(', ')} : ajoutez au moins une orientation de chacune.`)
      }
      case 'rapprochement': {
        if (!firstAccepted) return r('todo')
        const m = firstAccepted.summary
        const rate = m.total === 0 ? 0 : m.matched / m.total
        const threshold = item.params.threshold ?? 0.95
        const evidence = [fileEvidence(`${m.matched} orientation(s) sur ${m.total} rapprochée(s) (${(rate * 100).toFixed(1)} %)`, firstAccepted)]
        return rate >= threshold
          ? r('passed', evidence)
          : r('failed', evidence,
          `${m.unmatchedCount} orientation(s) sur ${m.total} de ${firstAccepted.name} ne se rapprochent d'aucune personne de l'échantillon (${(rate * 100).toFixed(1)} %, seuil ${(threshold * 100).toFixed(0)} %) : vérifiez NIR, nom de naissance, prénom et date de naissance, premières aux lignes ${lines(m.unmatched)}`)
      }
      case 'pecgm-telecharge': {
        if (!deposit) return r('todo')
        const mine = ev.downloads.filter((d) => d.name === deposit.name && d.status === 200)
        const whole = mine.find((d) => d.bytes === deposit.size)
        if (whole) return r('passed', [fileEvidence('PECGM déposé en retour', deposit), { what: `téléchargé en entier (${whole.bytes} octets)`, at: whole.at, file: deposit.name }])
        if (mine.length === 0) return r('todo', [fileEvidence('PECGM déposé en retour', deposit)])
        const best = Math.max(...mine.map((d) => d.bytes))
        return r('failed', [fileEvidence('PECGM déposé en retour', deposit)], `Le PECGM ${deposit.name} n'a été téléchargé qu'en partie (${best} octets sur ${deposit.size}) : téléchargez-le en entier.`)
      }
      case 'aller-retour':
        return roundTrip(r, ev, deposit)
    }
    return r('todo')
  })
}

function roundTrip (r: (s: CheckStatus, e?: EvidenceItem[], reason?: string) => CheckResult, ev: QualificationEvidence, deposit: DepositEvidence | undefined): CheckResult {
  if (!deposit) return r('todo')
  const later = ev.uploads.filter((u) => u.status === 'accepted' && u.at > deposit.at)
  const last = later[later.length - 1]
  if (!last) return r('todo', [fileEvidence('PECGM déposé en retour', deposit)])
  const given = new Map(deposit.identifiers.map((g) => [g.sampleIndex, g]))
  let checked = 0
  const wrong: OrientationSeen[] = []
  for (const [index, o] of last.summary.bySample) {
    const g = given.get(index)
    if (!g || !NATURES_POLE_EMPLOI.has(o.NATURE_ACCOMPAGNEMENT ?? '')) continue
    checked++
    if (o.CODE_PE !== g.CODE_PE || o.IDENTIFIANT_PE !== g.IDENTIFIANT_PE) wrong.push(o)
  }
  wrong.sort((a, b) => a.line - b.line)
  const evidence = [fileEvidence('PECGM déposé en retour', deposit), fileEvidence(`CGPEM suivant : ${checked} orientation(s) vers Pôle emploi vérifiée(s)`, last)]
  if (checked === 0) return r('failed', evidence, `Le CGPEM ${last.name} n'oriente vers Pôle emploi (05, 06) aucune personne présente dans ${deposit.name} : l'aller-retour n'est pas démontré.`)
  if (wrong.length > 0) return r('failed', evidence, `${wrong.length} orientation(s) vers Pôle emploi de ${last.name} ne portent pas le code et l'identifiant Pôle emploi donnés par ${deposit.name} : premières aux lignes ${lines(wrong)}`)
  return r('passed', evidence)
}

export type Verdict = 'positif' | 'négatif' | 'en cours'

/** So far: positive when every required check passed, negative when one failed, else in progress. */
export function verdictOf (results: readonly CheckResult[]): Verdict {
  const required = results.filter((c) => c.required)
  if (required.every((c) => c.status === 'passed')) return 'positif'
  if (required.some((c) => c.status === 'failed')) return 'négatif'
  return 'en cours'
}

/** Step 2 (preparation) until a CGPEM is accepted and the PECGM deposited in return; step 3 after. */
export function stepOf (ev: QualificationEvidence): 2 | 3 {
  const first = ev.uploads.find((u) => u.status === 'accepted')
  return first && ev.deposits.some((d) => d.answerTo === first.name) ? 3 : 2
}
