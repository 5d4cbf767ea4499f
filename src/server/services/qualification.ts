import { firstOfMonth, todayDay } from '../../layouts/dates.js'
import { pecgmFromDetails } from '../../generate/pecgm-file.js'
import { answerDetails, type OrientationSeen } from '../../qualification/answer.js'
import { OrientationTally, type OrientationSummary } from '../../qualification/tally.js'
import { buildBilan, type Approval, type Bilan } from '../../qualification/bilan.js'
import { newCampaign, type Campaign } from '../../qualification/campaign.js'
import { evaluatePlan, stepOf, verdictOf, type CheckResult, type QualificationEvidence, type Verdict } from '../../qualification/checks.js'
import { buildSample, type SampleMember } from '../../qualification/sample.js'
import type { Scenario } from '../../scenarios/model.js'
import type { QualificationRepository, CampaignRow } from '../../storage/qualifications.js'
import type { StoredFile } from '../../storage/files.js'
import type { Finding } from '../../validate/report.js'
import { departementUsername } from './accounts.js'
import { depositPecgm } from './deposits.js'
import type { FileService } from './files.js'

/**
 * The qualification of Annexe 2 in the server: one campaign per
 * département and iteration, created when first asked for; the sample; the
 * PECGM answered to each accepted CGPEM of the iteration; the plan's checks
 * computed from what the server recorded; approvals and the bilan, frozen
 * once both parties approved it.
 */

export interface QualificationState {
  campaign: Campaign
  step: 2 | 3
  checks: CheckResult[]
  verdict: Verdict
  approvals: Bilan['approvals']
  final: boolean
}

export class QualificationService {
  private readonly samples = new Map<string, SampleMember[]>()

  constructor (
    private readonly repo: QualificationRepository,
    private readonly scenario: Scenario,
    private readonly files: FileService,
    private readonly now: () => number
  ) {}

  /** The open iteration of a département of the scenario, created (iteration 1) when first needed; null for another département. */
  current (departement: string): { row: CampaignRow, campaign: Campaign } | null {
    const d = this.scenario.departements.find((x) => x.code === departement)
    if (!d) return null
    let row = this.repo.current(departement)
    if (!row) {
      const at = this.now()
      const iteration = this.repo.lastIteration(departement) + 1
      this.repo.create(departement, iteration, at, JSON.stringify(newCampaign(this.scenario, d, iteration, todayDay(at), new Date(at))))
      row = this.repo.current(departement) as CampaignRow
    }
    return { row, campaign: JSON.parse(row.body) as Campaign }
  }

  sample (departement: string): SampleMember[] | null {
    const c = this.current(departement)
    return c ? this.sampleOf(departement, c.row) : null
  }

  /** Built once per iteration, from the day it started. */
  private sampleOf (departement: string, row: CampaignRow): SampleMember[] {
    const key = `${departement}:${row.iteration}`
    let s = this.samples.get(key)
    if (!s) {
      s = buildSample(this.scenario, departement, todayDay(row.startedAt))
      this.samples.set(key, s)
    }
    return s
  }

  /** A tally for an upload of a département of the scenario (null otherwise): it matches orientations as they are read. */
  tally (departement: string): OrientationTally | null {
    const sample = this.sample(departement)
    return sample ? new OrientationTally(sample) : null
  }

  /** The warnings an upload's report gets: each orientation that designates nobody of the sample (the first ones listed, all counted). */
  annotate (summary: OrientationSummary): { findings: Finding[], uncounted: number } {
    const findings: Finding[] = summary.unmatched.map((o) => ({
      code: 'CGPEM_ORIENTATION_UNMATCHED',
      severity: 'warning',
      message: `L'orientation ${o.record} ne désigne aucune personne de l'échantillon de qualification (ni par le NIR, ni par le nom de naissance, le prénom et la date de naissance).`,
      line: o.line,
      record: o.record
    }))
    return { findings, uncounted: summary.unmatchedCount - findings.length }
  }

  /** Records a stored upload in the iteration; an accepted one is answered by a PECGM deposit. */
  async uploaded (departement: string, file: StoredFile, summary: OrientationSummary): Promise<StoredFile | null> {
    const c = this.current(departement)
    if (!c || file.status === null) return null
    const sample = this.sampleOf(departement, c.row)
    this.repo.addUpload(departement, c.row.iteration, {
      fileName: file.name, at: file.createdAt, status: file.status, reportId: file.reportId ?? '', sha256: file.sha256, orientations: JSON.stringify(summary)
    })
    if (file.status !== 'accepted') return null
    // every accepted CGPEM of the iteration updates the state: the answer shows the latest orientation of each person
    const latest = new Map<number, OrientationSeen>()
    for (const u of this.repo.uploads(departement, c.row.iteration)) {
      if (u.status === 'accepted') for (const [i, o] of (JSON.parse(u.orientations) as OrientationSummary).bySample) latest.set(i, o)
    }
    const today = todayDay(this.now())
    const details = answerDetails(sample, latest, today)
    const frame = { scenario: this.scenario, departement, periodicity: 'M' as const, referenceDay: firstOfMonth(today), fabricationDay: today }
    const deposit = await depositPecgm(this.files, this.scenario, { departement, periodicity: 'M', referenceDay: frame.referenceDay, fabricationDay: today, chunks: [pecgmFromDetails(frame, details)] })
    this.repo.addDeposit(departement, c.row.iteration, {
      fileName: deposit.name,
      at: deposit.createdAt,
      size: deposit.size,
      sha256: deposit.sha256,
      answerTo: file.name,
      identifiers: JSON.stringify(sample.filter((m) => m.known).map((m) => ({ sampleIndex: m.index, CODE_PE: m.record.CODE_INSTITUTION_PE ?? '', IDENTIFIANT_PE: m.record.IDENTIFIANT_PE ?? '' })))
    })
    return deposit
  }

  state (departement: string): QualificationState | null {
    const c = this.current(departement)
    return c ? this.stateOf(departement, c) : null
  }

  private stateOf (departement: string, c: { row: CampaignRow, campaign: Campaign }): QualificationState {
    const ev = this.evidence(departement, c.row)
    const checks = evaluatePlan(c.campaign.plan, ev)
    const approvals = approvalsOf(c.row)
    return { campaign: c.campaign, step: stepOf(ev), checks, verdict: verdictOf(checks), approvals, final: c.row.finalBilan !== null }
  }

  /** The bilan: as frozen when both parties approved it, else as of its latest evidence. */
  bilan (departement: string): Bilan | null {
    const c = this.current(departement)
    if (!c) return null
    if (c.row.finalBilan) return JSON.parse(c.row.finalBilan) as Bilan
    const s = this.stateOf(departement, c)
    // dated by its latest evidence, not by the clock: the same state gives the same bilan, seal included
    const times = [c.campaign.startedAt, ...s.checks.flatMap((k) => k.evidence.map((e) => e.at ?? '')), s.approvals.departement?.at ?? '', s.approvals.poleEmploi?.at ?? '']
    const issuedAt = times.reduce((a, b) => (b > a ? b : a), '')
    return buildBilan(c.campaign, s.checks, todayDay(Date.parse(issuedAt)), issuedAt, s.approvals)
  }

  /** One party validates the bilan; the second validation freezes it. Approving twice changes nothing. */
  approve (departement: string, party: 'departement' | 'poleEmploi', by: string): Bilan | null {
    const c = this.current(departement)
    if (!c) return null
    if (c.row.finalBilan) return JSON.parse(c.row.finalBilan) as Bilan
    const approval: Approval = { by, at: new Date(this.now()).toISOString() }
    this.repo.approve(departement, c.row.iteration, party, JSON.stringify(approval))
    const bilan = this.bilan(departement) as Bilan
    if (bilan.approvals.departement && bilan.approvals.poleEmploi) {
      this.repo.freeze(departement, c.row.iteration, JSON.stringify(bilan))
    }
    return bilan
  }

  /** Back to step 2: the open iteration is closed with its bilan kept, a new one starts. */
  restart (departement: string): Campaign | null {
    const c = this.current(departement)
    const d = this.scenario.departements.find((x) => x.code === departement)
    if (!c || !d) return null
    const bilan = this.bilan(departement) as Bilan
    if (!c.row.finalBilan) this.repo.freeze(departement, c.row.iteration, JSON.stringify(bilan))
    const at = this.now()
    const next = newCampaign(this.scenario, d, c.row.iteration + 1, todayDay(at), new Date(at))
    this.repo.restart(departement, at, { iteration: next.iteration, body: JSON.stringify(next) })
    return next
  }

  /** Every iteration of a département with its bilan (kept for the closed ones). */
  history (departement: string): { iteration: number, startedAt: string, closedAt: string | null, bilan: Bilan | null }[] {
    if (!this.current(departement)) return []
    return this.repo.all(departement).map((r) => ({
      iteration: r.iteration,
      startedAt: new Date(r.startedAt).toISOString(),
      closedAt: r.closedAt === null ? null : new Date(r.closedAt).toISOString(),
      bilan: r.finalBilan ? JSON.parse(r.finalBilan) as Bilan : r.closedAt === null ? this.bilan(departement) : null
    }))
  }

  private evidence (departement: string, row: CampaignRow): QualificationEvidence {
    const since = row.startedAt
    const entries = this.files.trail.query({ departement, kind: 'request', limit: 100_000 }).filter((e) => e.at >= since).reverse()
    const iso = (ms: number): string => new Date(ms).toISOString()
    const ok = entries.filter((e) => e.username !== null && e.status !== null && e.status < 400)
    return {
      logins: ok.slice(0, 1).map((e) => ({ at: iso(e.at) })),
      refusedLogins: this.files.trail.query({ username: departementUsername(departement), kind: 'request', limit: 1000 })
        .filter((e) => e.at >= since && (e.status === 401 || e.status === 429)).reverse().map((e) => ({ at: iso(e.at), status: e.status ?? 0 })),
      sampleDownloads: ok.filter((e) => e.route === '/api/v1/qualification/sample' && e.status === 200).map((e) => ({ at: iso(e.at) })),
      uploads: this.repo.uploads(departement, row.iteration).map((u) => ({ name: u.fileName, sha256: u.sha256, at: iso(u.at), status: u.status, reportId: u.reportId, summary: JSON.parse(u.orientations) as OrientationSummary })),
      deposits: this.repo.deposits(departement, row.iteration).map((d) => ({ name: d.fileName, sha256: d.sha256, at: iso(d.at), size: d.size, answerTo: d.answerTo, identifiers: JSON.parse(d.identifiers) as { sampleIndex: number, CODE_PE: string, IDENTIFIANT_PE: string }[] })),
      downloads: entries.filter((e) => e.method === 'GET' && e.route === '/api/v1/files/:name' && e.fileName !== null)
        .map((e) => ({ name: e.fileName as string, at: iso(e.at), bytes: e.bytesOut ?? 0, status: e.status ?? 0 }))
    }
  }
}

function approvalsOf (row: CampaignRow): Bilan['approvals'] {
  return {
    departement: row.approvalDepartement ? JSON.parse(row.approvalDepartement) as Approval : null,
    poleEmploi: row.approvalPoleEmploi ? JSON.parse(row.approvalPoleEmploi) as Approval : null
  }
}
