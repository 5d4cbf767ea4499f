import { NATURES_POLE_EMPLOI } from '../layouts/cgpem.js'
import type { OrientationSeen } from './answer.js'
import type { PlanItem } from './plan.js'
import type { CheckId } from '../scenarios/model.js'
import type { OrientationSummary, SummaryDigest } from './tally.js'
import { frenchDateTime } from '../text/french.js'

/**
 * Each check of the plan computed from the evidence the qualification
 * recorded as it happened (qualification.ts in the server): 'todo' while
 * nothing says, 'passed' or 'failed' with the evidence and, when failed, why
 * in words a developer can act on. The evidence is a digest of bounded size
 * (the first and the telling events, counters), so that judging costs the
 * same after ten uploads as after ten thousand.
 */

export type CheckStatus = 'todo' | 'passed' | 'failed'

/** A file the evidence cites: kept with the campaign even after the file itself expires. */
export interface CitedFile {
  name: string
  sha256: string
  at: string
  size?: number
  reportId?: string
}

export interface UploadEvidence extends CitedFile {
  status: 'accepted' | 'rejected'
  reportId: string
  /** what its orientations say, matched to the sample as they were read */
  summary: SummaryDigest
}

export interface DepositEvidence extends CitedFile {
  size: number
  /** the upload it answers */
  answerTo: string
}

/** What an answer PECGM gave each person of the sample it holds. */
export type Identifiers = readonly { sampleIndex: number, CODE_PE: string, IDENTIFIANT_PE: string }[]

/** How a CGPEM sent after the answer PECGM carries the identifiers that PECGM gave. */
export interface RoundTrip {
  /** orientations to Pôle emploi of people the PECGM holds */
  checked: number
  /** lines of those that do not carry the PECGM's code and identifier (the first ones) */
  wrongLines: number[]
  wrong: number
}

export interface QualificationEvidence {
  /** the people of the sample */
  sampleSize: number
  /** the authenticated request that started the qualification */
  begun: { at: string, by: string }
  /** downloads of the sample since then */
  sample: { first: string, count: number } | null
  /** the first CGPEM of the iteration, whatever its fate */
  firstUpload: UploadEvidence | null
  firstAccepted: UploadEvidence | null
  /** the rejected CGPEM: how many, the first ones, the latest */
  rejected: { count: number, first: readonly UploadEvidence[], last: UploadEvidence | null }
  /** the PECGM deposited in answer to the first accepted CGPEM */
  deposit: DepositEvidence | null
  /** downloads of that PECGM: the first complete one, the largest partial one */
  downloads: { whole: { at: string, bytes: number } | null, partial: { at: string, bytes: number } | null }
  /** a CGPEM accepted after that PECGM: the first whose identifiers agree, else the latest */
  roundTrip: { upload: UploadEvidence, result: RoundTrip } | null
  /** the exchanges that met a fault injected on purpose (src/faults): never counted against the département */
  faults?: { count: number, first: string, last: { at: string, fault: number, what: string } } | null
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

/**
 * The checks judged on the iteration's first CGPEM (echantillon) or first
 * accepted one (natures, rapprochement): once failed, no later upload of the
 * iteration changes them, and what fixes them is a new iteration. Their
 * reasons say so, and so do the pages' hints: a département told only what
 * to correct sends again, and fails again.
 */
export const JUDGED_ON_FIRST: ReadonlySet<CheckId> = new Set<CheckId>(['echantillon', 'natures', 'rapprochement'])

/** The end of a failed reason of a check judged on the first CGPEM (`accepted`: on the first accepted one), `then` what to do in the new iteration. */
function judgedOnce (accepted: boolean, then = ''): string {
  return `Ce contrôle juge le premier CGPEM ${accepted ? 'accepté ' : ''}de l'itération : un envoi suivant n'y change rien ; pour le réussir, commencez une nouvelle itération (retour à l'étape 2)${then}.`
}

/** "lines 3, 19, 35." or "lines 3, 19, 35, 51, 67…" when there are more: the end of a sentence. */
function lines (shown: readonly number[], total: number): string {
  const list = shown.slice(0, MAX_LINES).join(', ')
  return total > MAX_LINES ? `${list}…` : `${list}.`
}

function fileEvidence (what: string, f: CitedFile): EvidenceItem {
  return { what, at: f.at, file: f.name, sha256: f.sha256, ...(f.reportId ? { reportId: f.reportId } : {}) }
}

/** The round trip of a later CGPEM: each of its orientations to Pôle emploi of a person the PECGM holds must carry what the PECGM gave. */
export function roundTripOf (identifiers: Identifiers, summary: OrientationSummary): RoundTrip {
  const given = new Map(identifiers.map((g) => [g.sampleIndex, g]))
  let checked = 0
  const wrong: OrientationSeen[] = []
  for (const [index, o] of summary.bySample) {
    const g = given.get(index)
    if (!g || !NATURES_POLE_EMPLOI.has(o.NATURE_ACCOMPAGNEMENT ?? '')) continue
    checked++
    if (o.CODE_PE !== g.CODE_PE || o.IDENTIFIANT_PE !== g.IDENTIFIANT_PE) wrong.push(o)
  }
  wrong.sort((a, b) => a.line - b.line)
  return { checked, wrong: wrong.length, wrongLines: wrong.slice(0, MAX_LINES + 1).map((o) => o.line) }
}

export function roundTripPassed (r: RoundTrip): boolean {
  return r.checked > 0 && r.wrong === 0
}

type Judge = (status: CheckStatus, evidence?: EvidenceItem[], reason?: string) => CheckResult

export function evaluatePlan (plan: readonly PlanItem[], ev: QualificationEvidence): CheckResult[] {
  const faulted = faultEvidence(ev)
  return plan.map((item): CheckResult => {
    const r: Judge = (status, evidence = [], reason) => ({ ...item, status, evidence: faulted === null ? evidence : [...evidence, faulted], ...(reason ? { reason } : {}) })
    switch (item.id) {
      case 'connexion':
        return r('passed', [{ what: `connexion authentifiée de ${ev.begun.by}, qui a commencé la qualification`, at: ev.begun.at }])
      case 'echantillon':
        return sampleCheck(r, ev)
      case 'cgpem-accepte':
        return acceptedCheck(r, ev)
      case 'natures': {
        const first = ev.firstAccepted
        if (!first) return r('todo')
        const seen = new Set(first.summary.natures)
        const missing = (item.params.natures ?? []).filter((n) => !seen.has(n))
        const evidence = [fileEvidence(`natures utilisées : ${[...seen].join(', ')}`, first)]
        return missing.length === 0 ? r('passed', evidence) : r('failed', evidence, `Le CGPEM ${first.name} n'utilise pas la ou les natures ${missing.join(', ')}. ${judgedOnce(true, ', puis déposez un CGPEM qui en a au moins une orientation de chacune')}`)
      }
      case 'rapprochement':
        return matchCheck(r, ev, item.params.threshold ?? 0.95)
      case 'pecgm-telecharge':
        return downloadCheck(r, ev)
      case 'aller-retour':
        return roundTripCheck(r, ev)
    }
    return r('todo')
  })
}

/** What every check says of the faults injected during the iteration: they were there, and did not count. */
function faultEvidence (ev: QualificationEvidence): EvidenceItem | null {
  const f = ev.faults
  if (f === null || f === undefined) return null
  return { what: `${f.count} échange(s) sous panne simulée depuis le ${frenchDateTime(f.first)}, non compté(s) contre le département ; le dernier : panne n° ${f.last.fault}, ${f.last.what}`, at: f.last.at }
}

function sampleCheck (r: Judge, ev: QualificationEvidence): CheckResult {
  const sample = ev.sample
  const upload = ev.firstUpload
  if (sample && (!upload || sample.first <= upload.at)) return r('passed', [{ what: `échantillon téléchargé${sample.count > 1 ? ` (${sample.count} fois)` : ''}`, at: sample.first }])
  if (!upload) return r('todo')
  return r('failed', [fileEvidence('CGPEM déposé avant l\'échantillon', upload), ...(sample ? [{ what: 'échantillon téléchargé ensuite', at: sample.first }] : [])],
    `Le CGPEM ${upload.name} a été déposé sans que l'échantillon ait été téléchargé avant. ${judgedOnce(false, ', téléchargez-y l\'échantillon (GET /api/v1/qualification/sample), chargez-le dans votre logiciel, puis déposez le CGPEM')}`)
}

function acceptedCheck (r: Judge, ev: QualificationEvidence): CheckResult {
  if (ev.firstAccepted) return r('passed', [fileEvidence('CGPEM accepté', ev.firstAccepted)])
  const { count, first, last } = ev.rejected
  if (count === 0 || !last) return r('todo')
  const shown = first.map((u) => fileEvidence('CGPEM refusé', u))
  if (!first.some((u) => u.name === last.name)) shown.push(fileEvidence('CGPEM refusé, le dernier', last))
  return r('failed', shown,
    `${count} fichier(s) CGPEM refusé(s), aucun accepté : corrigez les erreurs du rapport ${last.reportId} (${last.name}) et déposez-le à nouveau.`)
}

function matchCheck (r: Judge, ev: QualificationEvidence, threshold: number): CheckResult {
  const first = ev.firstAccepted
  if (!first) return r('todo')
  const m = first.summary
  const designated = m.designated
  const rate = ev.sampleSize === 0 ? 0 : designated / ev.sampleSize
  const outside = m.unmatchedCount > 0 ? `, ${m.unmatchedCount} orientation(s) hors échantillon non comptée(s)` : ''
  const evidence = [fileEvidence(`${designated} personne(s) de l'échantillon sur ${ev.sampleSize} désignée(s) (${percent(rate)})${outside}`, first)]
  if (rate >= threshold) return r('passed', evidence)
  const hint = m.unmatched.length > 0
    ? ` ; parmi les orientations qui ne désignent personne de l'échantillon, vérifiez NIR, nom de naissance, prénom et date de naissance aux lignes ${lines(m.unmatched.map((o) => o.line), m.unmatchedCount)}`
    : '.'
  return r('failed', evidence,
    `${ev.sampleSize - designated} personne(s) de l'échantillon sur ${ev.sampleSize} ne sont désignées par aucune orientation de ${first.name} (${percent(rate)}, seuil ${percent(threshold, 0)}) : orientez chaque personne de l'échantillon téléchargé${hint} ${judgedOnce(true)}`)
}

function downloadCheck (r: Judge, ev: QualificationEvidence): CheckResult {
  const deposit = ev.deposit
  if (!deposit) return r('todo')
  const deposited = fileEvidence('PECGM déposé en retour', deposit)
  const { whole, partial } = ev.downloads
  if (whole) return r('passed', [deposited, { what: `téléchargé en entier (${whole.bytes} octets)`, at: whole.at, file: deposit.name, sha256: deposit.sha256 }])
  if (!partial) return r('todo', [deposited])
  return r('failed', [deposited, { what: `téléchargé en partie (${partial.bytes} octets)`, at: partial.at, file: deposit.name, sha256: deposit.sha256 }],
    `Le PECGM ${deposit.name} n'a été téléchargé qu'en partie (${partial.bytes} octets sur ${deposit.size}) : téléchargez-le en entier.`)
}

function roundTripCheck (r: Judge, ev: QualificationEvidence): CheckResult {
  const deposit = ev.deposit
  if (!deposit) return r('todo')
  const deposited = fileEvidence('PECGM déposé en retour', deposit)
  if (!ev.roundTrip) return r('todo', [deposited])
  const { upload, result } = ev.roundTrip
  const evidence = [deposited, fileEvidence(`CGPEM suivant : ${result.checked} orientation(s) vers Pôle emploi vérifiée(s)`, upload)]
  if (result.checked === 0) return r('failed', evidence, `Le CGPEM ${upload.name} n'oriente vers Pôle emploi (05, 06) aucune personne présente dans ${deposit.name} : l'aller-retour n'est pas démontré.`)
  if (result.wrong > 0) return r('failed', evidence, `${result.wrong} orientation(s) vers Pôle emploi de ${upload.name} ne portent pas le code et l'identifiant Pôle emploi donnés par ${deposit.name} : premières aux lignes ${lines(result.wrongLines, result.wrong)}`)
  return r('passed', evidence)
}

/** 0.95 → "95,0 %": French decimals and a no-break space before the sign (in every font the PDF has). */
export function percent (share: number, digits = 1): string {
  return `${(share * 100).toLocaleString('fr-FR', { minimumFractionDigits: digits, maximumFractionDigits: digits })}\u00a0%`
}

export type Verdict = 'positif' | 'négatif' | 'en cours'

/**
 * The one verdict of an iteration, for its bilan and its campaign view alike:
 * positive when every required check passed, negative when one failed, else
 * in progress. Once the iteration is concluded (its bilan validated by both
 * parties, or the iteration closed), it can no longer progress: a required
 * check still to do was not done, and the verdict is negative.
 */
export function verdictOf (results: readonly CheckResult[], concluded = false): Verdict {
  const required = results.filter((c) => c.required)
  if (required.every((c) => c.status === 'passed')) return 'positif'
  if (concluded || required.some((c) => c.status === 'failed')) return 'négatif'
  return 'en cours'
}

/** Step 2 (preparation) until a CGPEM is accepted and the PECGM deposited in return; step 3 after. */
export function stepOf (ev: Pick<QualificationEvidence, 'deposit'> | null): 2 | 3 {
  return ev?.deposit ? 3 : 2
}
