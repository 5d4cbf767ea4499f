import { createHash } from 'node:crypto'
import { isoFromDay, ymdFromDay, dayFromYmd } from '../layouts/dates.js'
import type { Campaign } from './campaign.js'
import { verdictOf, type CheckResult, type Verdict } from './checks.js'

/**
 * The "bilan de qualification" (Annexe 2, step 3): the document both parties
 * validate. Its seal is the SHA-256 of its canonical JSON (keys sorted, no
 * white space, the seal itself left out), printed on the HTML and PDF so
 * that anyone can check that a printed bilan is the one the server issued.
 */

export interface Approval {
  by: string
  at: string
}

export interface Bilan {
  document: 'Bilan de qualification'
  convention: { modele: string, parties: [string, string], annexe: string }
  departement: { code: string, nom: string }
  iteration: number
  issuedAt: string
  planning: Campaign['planning']
  correspondents: Campaign['correspondents']
  checks: CheckResult[]
  /** verdictOf: positive when every required check passed; in progress until a check fails or the iteration is concluded */
  verdict: Verdict
  /** positive: step 4 at the next release; negative: back to step 2, what to fix; in progress (etape null): what is left to do */
  suite: { etape: 4, livraison: string, date: string } | { etape: 2, aCorriger: string[] } | { etape: null, aFaire: string[] }
  approvals: { departement: Approval | null, poleEmploi: Approval | null }
  /** approved by both: final, it no longer changes */
  final: boolean
  seal: string
}

/** Annexe 2, step 4: the exchange starts at one of the three yearly releases, March, June or October. */
export function nextReleaseWindow (day: number): { livraison: string, date: string } {
  const [y, m] = ymdFromDay(day)
  const months: [number, string][] = [[3, 'mars'], [6, 'juin'], [10, 'octobre']]
  for (const year of [y, y + 1]) {
    for (const [month, name] of months) {
      if (year > y || month > m) return { livraison: `${name} ${year}`, date: isoFromDay(dayFromYmd(year, month, 1)) }
    }
  }
  return { livraison: `mars ${y + 1}`, date: isoFromDay(dayFromYmd(y + 1, 3, 1)) }
}

/** JSON with sorted keys and no white space: the same bilan always gives the same bytes. */
export function canonicalJson (value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value)
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`
}

/** The SHA-256 of a value's canonical JSON, in hex: a bilan's seal, the digest of the checks an approval was given to. */
export function canonicalDigest (value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex')
}

export function sealOf (bilan: Omit<Bilan, 'seal'> | Bilan): string {
  const { seal: _, ...rest } = bilan as Bilan
  return canonicalDigest(rest)
}

/**
 * The bilan of an iteration's checks. Validated by both parties, or its
 * iteration `closed` (or its planning over), it is concluded: its verdict is
 * no longer in progress (verdictOf). `todo`: what the suite says of a
 * required check left to do.
 */
export function buildBilan (campaign: Campaign, checks: CheckResult[], issuedDay: number, issuedAt: string, approvals: Bilan['approvals'], closed = false, todo = 'pas encore fait'): Bilan {
  const final = approvals.departement !== null && approvals.poleEmploi !== null
  const verdict = verdictOf(checks, final || closed)
  const left = checks.filter((c) => c.required && c.status !== 'passed').map((c) => `${c.id} : ${c.title}${c.reason ? ` — ${c.reason}` : ` (${todo})`}`)
  const body: Omit<Bilan, 'seal'> = {
    document: 'Bilan de qualification',
    convention: { modele: 'Convention Pôle emploi – Département n° 10006336 (modèle)', parties: ['Pôle emploi', `Département ${campaign.departement.nom}`], annexe: 'Annexe 2 : modalités d\'adhésion du département, étapes 2 et 3' },
    departement: campaign.departement,
    iteration: campaign.iteration,
    issuedAt,
    planning: campaign.planning,
    correspondents: campaign.correspondents,
    checks,
    verdict,
    suite: verdict === 'positif' ? { etape: 4, ...nextReleaseWindow(issuedDay) } : verdict === 'négatif' ? { etape: 2, aCorriger: left } : { etape: null, aFaire: left },
    approvals,
    final
  }
  return { ...body, seal: sealOf(body) }
}
