import { firstOfMonth, parseIsoDate } from '../../layouts/dates.js'
import { calendarDay } from '../../clock.js'
import { pecgmFromDetails } from '../../generate/pecgm-file.js'
import { answerDetails, type OrientationSeen } from '../../qualification/answer.js'
import { digestOf, readDigest, type OrientationSummary } from '../../qualification/tally.js'
import { buildBilan, canonicalDigest, type Approval, type Bilan } from '../../qualification/bilan.js'
import { newCampaign, type Campaign } from '../../qualification/campaign.js'
import { dateFr } from '../../qualification/render.js'
import { evaluatePlan, roundTripOf, roundTripPassed, stepOf, verdictOf, type CheckResult, type DepositEvidence, type Identifiers, type QualificationEvidence, type RoundTrip, type UploadEvidence, type Verdict } from '../../qualification/checks.js'
import { buildSample, sampleSizeOf, type SampleMember } from '../../qualification/sample.js'
import type { Departement, Scenario } from '../../scenarios/model.js'
import type { AnswerDue, CampaignDepositRow, CampaignRow, CampaignUploadRow, QualificationRepository } from '../../storage/qualifications.js'
import type { StoredFile } from '../../storage/files.js'
import type { Finding } from '../../validate/report.js'
import { ServerError } from '../errors.js'
import { depositPecgm, generatedFrom, scheduledDepartement } from './deposits.js'
import { DepartementWork } from './departement-work.js'
import type { FileService } from './files.js'

/**
 * The qualification of Annexe 2 in the server. A département explores
 * freely (the sandbox) until it starts its qualification; from then on, what
 * it does is recorded as evidence of that iteration, when it happens, in the
 * campaign's own tables: the downloads of the sample and of the PECGM
 * it cites (the first answered to it), its uploads with what their
 * orientations say. The checks are computed from a bounded digest of that
 * evidence, and frozen once they all pass: later uploads do not undo a
 * positive verdict. Starting again opens a new iteration, the previous one
 * kept with its bilan.
 */

export interface QualificationState {
  /** false in the sandbox: nothing counts until the département starts */
  started: boolean
  /** the open iteration, or the one a start would open */
  iteration: number
  campaign: Campaign
  step: 2 | 3
  checks: CheckResult[]
  verdict: Verdict
  approvals: Bilan['approvals']
  final: boolean
  /** its planning is over: what happens now is no evidence of it (a new iteration starts over) */
  planningOver: boolean
  /** the answer PECGM the iteration cites (the first deposited in it: the answer to its first accepted CGPEM, see citedAnswer), or null before it */
  answer: DepositEvidence | null
}

interface Open {
  row: CampaignRow
  campaign: Campaign
}

/** Samples kept built (each is a few hundred kB at most): the départements being qualified at once. */
const SAMPLES_KEPT = 32
/** Rejected uploads the evidence names before the latest one. */
const REJECTED_SHOWN = 5
/** Answer PECGMs kept per département (besides the one its open qualification cites): the older ones are replaced. */
export const ANSWERS_KEPT = 20

const iso = (ms: number): string => new Date(ms).toISOString()

export class QualificationService {
  private readonly samples = new Map<string, SampleMember[]>()

  constructor (
    private readonly repo: QualificationRepository,
    private readonly scenario: Scenario,
    private readonly files: FileService,
    private readonly now: () => number,
    private readonly work = new DepartementWork()
  ) {}

  private departementOf (code: string): Departement | null {
    // the scenario's, or one the admin created: both are qualified alike
    return scheduledDepartement(this.files, this.scenario, code)
  }

  /** The scenario a département's files and sample are drawn from: with a département the admin created added to it. */
  private scenarioFor (code: string): Scenario {
    return generatedFrom(this.files, this.scenario, code)
  }

  private open (departement: string): Open | null {
    const row = this.repo.current(departement)
    return row ? { row, campaign: JSON.parse(row.body) as Campaign } : null
  }

  /**
   * The open iteration while evidence still counts for it: not once its bilan
   * is final (validated by both parties), nor after its planning (`at`: when
   * the evidence happened).
   */
  private counting (departement: string, at = this.now()): Open | null {
    const c = this.open(departement)
    return c !== null && c.row.finalBilan === null && !planningOver(c.campaign, at) ? c : null
  }

  /** The open iteration, or null: 409 for a route that needs one. */
  private started (departement: string): Open | null {
    if (this.departementOf(departement) === null) return null
    const c = this.open(departement)
    if (!c) throw new ServerError('PHEBUS_QUALIFICATION_NOT_STARTED')
    return c
  }

  /** The state of a département of the scenario (null for another one): its open iteration, or the sandbox. */
  state (departement: string): QualificationState | null {
    const d = this.departementOf(departement)
    if (d === null) return null
    const c = this.open(departement)
    if (c) return this.stateOf(departement, c)
    const at = this.now()
    const campaign = newCampaign(this.scenarioFor(departement), d, this.repo.nextIteration(departement), calendarDay(at), new Date(at))
    const checks = campaign.plan.map((item): CheckResult => ({ ...item, status: 'todo', evidence: [] }))
    return { started: false, iteration: campaign.iteration, campaign, step: 2, checks, verdict: 'en cours', approvals: { departement: null, poleEmploi: null }, final: false, planningOver: false, answer: null }
  }

  /** Starts a new iteration: the open one, if any, is closed with its bilan as it stands. */
  start (departement: string, by: string): QualificationState | null {
    const d = this.departementOf(departement)
    if (d === null) return null
    // its sample is the first people of its population: none, nobody to orient, a qualification no one could pass
    if (sampleSizeOf(this.scenarioFor(departement), departement) === 0) throw new ServerError('PHEBUS_QUALIFICATION_NO_SAMPLE')
    const c = this.open(departement)
    const at = this.now()
    const closing = c ? { iteration: c.row.iteration, bilan: c.row.finalBilan === null ? JSON.stringify(this.bilanOf(departement, c, true)) : null } : null
    this.repo.begin(departement, at, by, (iteration) => JSON.stringify(newCampaign(this.scenarioFor(departement), d, iteration, calendarDay(at), new Date(at))), closing)
    this.settle(departement)
    return this.state(departement)
  }

  /** Back to step 2 (the admin): the open iteration is closed with its bilan kept; the département starts the next one when ready. */
  restart (departement: string): QualificationState | null {
    if (this.departementOf(departement) === null) return null
    const c = this.open(departement)
    if (c) this.repo.close(departement, c.row.iteration, this.now(), c.row.finalBilan === null ? JSON.stringify(this.bilanOf(departement, c, true)) : null)
    return this.state(departement)
  }

  /** The sample of the open iteration (of its first day), or the one a start today would give. */
  sample (departement: string): SampleMember[] | null {
    if (this.departementOf(departement) === null) return null
    const c = this.open(departement)
    return this.sampleOf(departement, calendarDay(c ? c.row.startedAt : this.now()))
  }

  /**
   * A download of the sample: evidence once the qualification has started.
   * The `echantillon` check reads its order against the first upload's by
   * their times: on a clock that stands still (--clock frozen, between the
   * admin's moves) a download after the upload has the upload's very time,
   * and is dated a millisecond after it, as it came.
   */
  sampleDownloaded (departement: string): void {
    const c = this.counting(departement)
    if (!c) return
    const first = this.repo.firstUpload(departement, c.row.iteration)
    this.repo.addEvent(departement, c.row.iteration, 'sample', '', Math.max(this.now(), first === null ? 0 : first.at + 1))
    this.settle(departement)
  }

  /** A download of a file, `bytes` of it sent: evidence when it is a PECGM the qualification deposited. */
  downloaded (departement: string, file: StoredFile, bytes: number, faultId: number | null = null): void {
    if (file.kind !== 'PECGM') return
    const c = this.counting(departement)
    const deposit = c ? this.repo.deposit(departement, c.row.iteration, file.name) : null
    if (!c || !deposit) return
    if (faultId !== null && bytes < deposit.size) {
      // cut by a fault injected on purpose: the département's download is not what failed
      this.repo.addFault(departement, c.row.iteration, this.now(), faultId, `téléchargement de ${file.name} coupé après ${bytes} octets`)
    } else {
      this.repo.addEvent(departement, c.row.iteration, bytes >= deposit.size ? 'download-whole' : 'download', deposit.fileName, this.now(), bytes)
    }
    this.settle(departement)
  }

  /** An exchange of the département met a fault injected on purpose: its open iteration, if any, says so in its evidence. */
  faulted (departement: string, faultId: number, what: string): void {
    const c = this.departementOf(departement) === null ? null : this.counting(departement)
    if (c === null) return
    this.repo.addFault(departement, c.row.iteration, this.now(), faultId, what)
  }

  private sampleOf (departement: string, day: number): SampleMember[] {
    const key = sampleKey(departement, day)
    let s = this.samples.get(key)
    if (s) {
      this.samples.delete(key)
    } else {
      s = buildSample(this.scenarioFor(departement), departement, day)
      if (this.samples.size >= SAMPLES_KEPT) this.samples.delete(this.samples.keys().next().value as string)
    }
    this.samples.set(key, s)
    return s
  }

  /**
   * What an upload's orientations are tallied against as they are read, once
   * the qualification has started (null in the sandbox, and once the bilan
   * is final): the sample of the iteration open then, under a key that names
   * it (a validating thread keeps the last it was sent).
   */
  tallySample (departement: string): { sample: { key: string, members: readonly SampleMember[] }, iteration: number } | null {
    const c = this.departementOf(departement) === null ? null : this.counting(departement)
    if (!c) return null
    const day = calendarDay(c.row.startedAt)
    return { sample: { key: sampleKey(departement, day), members: this.sampleOf(departement, day) }, iteration: c.row.iteration }
  }

  /** The notes an upload's report gets: each orientation outside the sample (the first LISTED_UNMATCHED listed, all counted). */
  annotate (summary: OrientationSummary): { findings: Finding[], uncounted: number } {
    const findings: Finding[] = summary.unmatched.map((o) => ({
      code: 'CGPEM_ORIENTATION_UNMATCHED',
      severity: 'info',
      message: `L'orientation ${o.record} ne désigne aucune personne de l'échantillon de qualification (ni par le NIR, ni par le nom de naissance, le prénom et la date de naissance) : elle n'est pas comptée dans le rapprochement.`,
      line: o.line,
      record: o.record
    }))
    return { findings, uncounted: summary.unmatchedCount - findings.length }
  }

  /**
   * Records an upload in the open iteration, in the transaction that stores
   * it (FileService.commit): an upload answered 201 is evidence, whatever
   * happens to the server next. An accepted one updates the latest
   * orientation of each person it designates, is checked against the answer
   * the iteration cites (the round trip), and has its answer due
   * (answerDue). All of it in proportion to the upload and the sample, never
   * to the history.
   */
  recordUpload (departement: string, file: StoredFile, summary: OrientationSummary, iteration: number): void {
    const c = this.counting(departement, file.createdAt)
    // an iteration started while the file was coming: it was tallied against another sample, it is evidence of neither; nor is it of a bilan made final meanwhile
    if (!c || c.row.iteration !== iteration || file.status === null) return
    const accepted = file.status === 'accepted'
    let roundTrip: RoundTrip | null = null
    if (accepted) {
      const answer = this.repo.firstDeposit(departement, iteration)
      if (answer && answer.at <= file.createdAt) roundTrip = roundTripOf(JSON.parse(answer.identifiers) as Identifiers, summary)
    }
    this.repo.addUpload(departement, iteration, {
      fileName: file.name,
      at: file.createdAt,
      size: file.size,
      status: file.status,
      reportId: file.reportId ?? '',
      sha256: file.sha256,
      orientations: JSON.stringify(digestOf(summary)),
      roundTrip: roundTrip === null ? null : JSON.stringify(roundTrip),
      roundTripOk: roundTrip === null ? null : roundTripPassed(roundTrip)
    }, accepted ? summary.bySample.map(([index, o]) => [index, JSON.stringify(o)]) : [])
  }

  /**
   * What the server still does for a département once its uploads are
   * answered (and at a start, for what a stop or a crash left undone): the
   * answer PECGM of each accepted upload of the open iteration that has none
   * yet, oldest first (Pôle emploi answers later, never within the upload),
   * then the checks settled. An answer is recorded with its file, in one
   * transaction: it is made once, and one not made stays due, the later ones
   * with it (none is made before an older one: the first made is the one the
   * iteration cites).
   */
  async answerDue (departement: string): Promise<StoredFile[]> {
    const made: StoredFile[] = []
    // a département no longer in the scenario has no sample to answer from; past the planning (or a final bilan)
    // nothing happens in the iteration any more, an answer still due included
    const c = this.departementOf(departement) === null ? null : this.counting(departement)
    if (c) for (const upload of this.repo.answersDue(departement, c.row.iteration)) made.push(await this.answer(departement, c, upload))
    this.settle(departement)
    return made
  }

  /**
   * The département's answers due made once the current turn has written
   * its answer (DepartementWork: its next requests wait for them, and a stop
   * too); a failure is told to `onError`, the answer staying due. At a start
   * (null), every département's that a stop or a crash left undone.
   */
  answerLater (departement: string | null, onError: (err: unknown) => void): void {
    for (const d of departement === null ? this.repo.departementsWithAnswersDue() : [departement]) {
      this.work.add(d, async () => { await this.answerDue(d) }, onError)
    }
  }

  /** The PECGM answered to an accepted CGPEM (`upload`, its row and its name): every known person of the sample, with the latest orientation of each. */
  private async answer (departement: string, c: Open, upload: AnswerDue): Promise<StoredFile> {
    const sample = this.sampleOf(departement, calendarDay(c.row.startedAt))
    const latest = new Map<number, OrientationSeen>(this.repo.people(departement, c.row.iteration).map(([i, o]) => [i, JSON.parse(o) as OrientationSeen]))
    const today = calendarDay(this.now())
    const frame = { scenario: this.scenarioFor(departement), departement, periodicity: 'M' as const, referenceDay: firstOfMonth(today), fabricationDay: today }
    const identifiers = JSON.stringify(sample.filter((m) => m.known).map((m) => ({ sampleIndex: m.index, CODE_PE: m.record.CODE_INSTITUTION_PE ?? '', IDENTIFIANT_PE: m.record.IDENTIFIANT_PE ?? '' })))
    const deposit = await depositPecgm(this.files, this.scenario, {
      departement,
      periodicity: 'M',
      referenceDay: frame.referenceDay,
      fabricationDay: today,
      chunks: [pecgmFromDetails(frame, answerDetails(sample, latest, today))],
      answer: true,
      recorded: (f) => { this.repo.addAnswer(departement, c.row.iteration, { fileName: f.name, at: f.createdAt, size: f.size, sha256: f.sha256, answerTo: upload.fileName, answerToUpload: upload.id, identifiers }) }
    })
    // answers accumulate with uploads: the oldest go, never the one the open iteration cites (its download is a check)
    const cited = this.citedAnswer(departement, c.row.iteration)
    await this.files.dropOldAnswers(departement, ANSWERS_KEPT, new Set(cited ? [cited.fileName] : []))
    return deposit
  }

  /** Whether `name` is the answer PECGM the open iteration of `departement` cites (citedAnswer). */
  cites (departement: string, name: string): boolean {
    const c = this.open(departement)
    return c !== null && this.citedAnswer(departement, c.row.iteration)?.fileName === name
  }

  /**
   * The answer an iteration cites, the one its checks judge: the first
   * deposited in it, read by key. It is the answer to its first accepted
   * CGPEM: answers are made in the order of the uploads, one that failed or
   * that a stop left undone still due and made before any later one
   * (answerDue). Looked for by that CGPEM's name, it could be the answer to
   * another upload of the name (deleted and sent again); and an iteration
   * that lost its first answer before answers were due (migration 15) keeps
   * citing the one it already had, not the one made for it since.
   */
  private citedAnswer (departement: string, iteration: number): CampaignDepositRow | null {
    return this.repo.firstDeposit(departement, iteration)
  }

  /** Freezes the checks of the open iteration once they all pass: what comes after cannot undo them. */
  private settle (departement: string): void {
    const c = this.open(departement)
    if (!c || c.row.concluded !== null) return
    const checks = evaluatePlan(c.campaign.plan, this.evidence(departement, c))
    if (verdictOf(checks) === 'positif') this.repo.conclude(departement, c.row.iteration, JSON.stringify(checks))
  }

  /** The open iteration as the campaign view shows it: its final bilan's checks and verdict once there is one, else what the evidence says now. */
  private stateOf (departement: string, c: Open): QualificationState {
    const ev = this.evidence(departement, c)
    const base = { started: true, iteration: c.row.iteration, campaign: c.campaign, step: stepOf(ev), answer: ev.deposit, planningOver: planningOver(c.campaign, this.now()) }
    if (c.row.finalBilan !== null) {
      const final = JSON.parse(c.row.finalBilan) as Bilan
      return { ...base, checks: final.checks, verdict: final.verdict, approvals: final.approvals, final: true }
    }
    const checks = c.row.concluded === null ? evaluatePlan(c.campaign.plan, ev) : JSON.parse(c.row.concluded) as CheckResult[]
    // its planning over, the iteration can no longer progress: concluded, as its bilan
    return { ...base, checks, verdict: verdictOf(checks, base.planningOver), approvals: approvalsOf(c.row, approvedDigest(checks, base.planningOver)), final: false }
  }

  /** The bilan of the open iteration: as frozen when both parties approved it, else as of its latest evidence. */
  bilan (departement: string): Bilan | null {
    const c = this.started(departement)
    return c ? this.bilanOf(departement, c) : null
  }

  /** The bilan of an iteration: its final one, else as of its latest evidence (`closed`: the one its closing keeps, concluded). */
  private bilanOf (departement: string, c: Open, closed = false): Bilan {
    if (c.row.finalBilan) return JSON.parse(c.row.finalBilan) as Bilan
    const s = this.stateOf(departement, c)
    // dated by its latest evidence, not by the clock: the same state gives the same bilan, seal included. Not by its
    // approvals: a positive bilan's release window (its suite) is of its evidence's date, and a bilan approved by one
    // party on the last day of a month said another window once the other approved it the next day
    const times = [c.campaign.startedAt, ...s.checks.flatMap((k) => k.evidence.map((e) => e.at ?? ''))]
    const issuedAt = times.reduce((a, b) => (b > a ? b : a), '')
    const over = planningOver(c.campaign, this.now())
    return buildBilan(c.campaign, s.checks, calendarDay(Date.parse(issuedAt)), issuedAt, s.approvals, closed || over,
      over ? `pas fait avant la fin du planning, le ${dateFr(c.campaign.planning.fin)}` : undefined)
  }

  /**
   * One party validates the bilan as it stands; the second validation of the
   * same bilan freezes it. Approving twice changes nothing. An approval is of
   * the checks it was given to (their digest is kept with it): evidence that
   * changes them afterwards lapses it, and the party approves again, so that
   * a final bilan is always one both parties approved. `seal`: the seal of
   * the bilan the party read; a bilan changed since is refused (409).
   */
  approve (departement: string, party: 'departement' | 'poleEmploi', by: string, seal?: string): Bilan | null {
    const c = this.started(departement)
    if (!c) return null
    if (c.row.finalBilan) return JSON.parse(c.row.finalBilan) as Bilan
    const s = this.stateOf(departement, c)
    if (s.approvals[party] === null) {
      // the bilan the party read, named by its seal: changed since, it is not the one it approves
      if (seal !== undefined && this.bilanOf(departement, c).seal !== seal) throw new ServerError('PHEBUS_QUALIFICATION_BILAN_CHANGED')
      // in place of a lapsed approval, if any: the one read with the checks it did not match
      const previous = party === 'departement' ? c.row.approvalDepartement : c.row.approvalPoleEmploi
      this.repo.approve(departement, c.row.iteration, party, previous, JSON.stringify({ by, at: iso(this.now()), checks: approvedDigest(s.checks, s.planningOver) } satisfies StoredApproval))
    }
    const after = this.open(departement) as Open
    const bilan = this.bilanOf(departement, after)
    if (bilan.approvals.departement && bilan.approvals.poleEmploi) this.repo.freeze(departement, after.row.iteration, JSON.stringify(bilan))
    return bilan
  }

  /** The iterations of a département, newest first, a page at a time (`before`: an iteration number). */
  history (departement: string, before: number, limit: number): { iterations: { iteration: number, startedAt: string, closedAt: string | null, bilan: Bilan | null }[], next: number | null } | null {
    if (this.departementOf(departement) === null) return null
    const rows = this.repo.iterations(departement, before, limit)
    const iterations = rows.map((r) => ({
      iteration: r.iteration,
      startedAt: iso(r.startedAt),
      closedAt: r.closedAt === null ? null : iso(r.closedAt),
      bilan: r.finalBilan ? JSON.parse(r.finalBilan) as Bilan : r.closedAt === null ? this.bilanOf(departement, { row: r, campaign: JSON.parse(r.body) as Campaign }) : null
    }))
    return { iterations, next: rows.length === limit ? (rows.at(-1)?.iteration ?? null) : null }
  }

  /** The digest of the evidence: a fixed number of reads by key, whatever the history. */
  private evidence (departement: string, c: Open): QualificationEvidence {
    const { row } = c
    const it = row.iteration
    const firstAccepted = this.repo.firstUploads(departement, it, 'accepted', 1)[0] ?? null
    const answer = this.citedAnswer(departement, it)
    const sample = this.repo.event(departement, it, 'sample')
    const whole = answer ? this.repo.event(departement, it, 'download-whole', answer.fileName) : null
    const partial = answer ? this.repo.event(departement, it, 'download', answer.fileName) : null
    const trip = this.repo.roundTrip(departement, it)
    const faults = this.repo.faults(departement, it)
    return {
      sampleSize: this.sampleOf(departement, calendarDay(row.startedAt)).length,
      begun: { at: iso(row.startedAt), by: row.startedBy },
      sample: sample ? { first: iso(sample.firstAt), count: sample.count } : null,
      firstUpload: uploadEvidence(this.repo.firstUpload(departement, it)),
      firstAccepted: uploadEvidence(firstAccepted),
      rejected: {
        count: row.rejectedUploads,
        first: this.repo.firstUploads(departement, it, 'rejected', REJECTED_SHOWN).map((u) => uploadEvidence(u) as UploadEvidence),
        last: uploadEvidence(this.repo.lastRejected(departement, it))
      },
      deposit: answer ? depositEvidence(answer) : null,
      downloads: {
        whole: whole ? { at: iso(whole.firstAt), bytes: whole.bytes ?? 0 } : null,
        partial: partial ? { at: iso(partial.lastAt), bytes: partial.bytes ?? 0 } : null
      },
      roundTrip: trip?.roundTrip ? { upload: uploadEvidence(trip) as UploadEvidence, result: JSON.parse(trip.roundTrip) as RoundTrip } : null,
      faults: faults === null ? null : { count: faults.count, first: iso(faults.firstAt), last: { at: iso(faults.lastAt), fault: faults.lastFault, what: faults.lastWhat } }
    }
  }
}

function uploadEvidence (u: CampaignUploadRow | null): UploadEvidence | null {
  if (!u) return null
  return { name: u.fileName, sha256: u.sha256, at: iso(u.at), ...(u.size === null ? {} : { size: u.size }), status: u.status, reportId: u.reportId, summary: readDigest(u.orientations) }
}

function depositEvidence (d: CampaignDepositRow): DepositEvidence {
  return { name: d.fileName, sha256: d.sha256, at: iso(d.at), size: d.size, answerTo: d.answerTo }
}

/**
 * Whether the planning of a campaign is over at `at`: past its last day
 * (Paris), the iteration no longer progresses (Annexe 2, step 3: the
 * qualification keeps to the planning both parties set).
 */
function planningOver (campaign: Campaign, at: number): boolean {
  return calendarDay(at) > (parseIsoDate(campaign.planning.fin) ?? Number.POSITIVE_INFINITY)
}

/** An approval as kept: who, when, and the digest of the checks approved (absent from those kept before it was). */
interface StoredApproval extends Approval {
  checks?: string
}

/** The approvals of an open iteration that still hold: of the checks as they are now (`digest`); a lapsed one is none. */
function approvalsOf (row: CampaignRow, digest: string): Bilan['approvals'] {
  const holds = (json: string | null): Approval | null => {
    if (json === null) return null
    const a = JSON.parse(json) as StoredApproval
    return a.checks === undefined || a.checks === digest ? { by: a.by, at: a.at } : null
  }
  return { departement: holds(row.approvalDepartement), poleEmploi: holds(row.approvalPoleEmploi) }
}

/**
 * What an approval is given to, as a SHA-256: the checks (their canonical
 * JSON) and, for a bilan not positive, whether its planning was over. At the
 * end of the planning such a bilan says « négatif » and « pas fait avant la
 * fin du planning » where it said « en cours »: an approval given before
 * then lapses, as when evidence changes the checks, and the final bilan is
 * always one both parties approved as it reads. A positive bilan reads the
 * same either side of the end: its approvals hold.
 */
function approvedDigest (checks: readonly CheckResult[], planningOver: boolean): string {
  return planningOver && verdictOf(checks) !== 'positif' ? canonicalDigest({ checks, planningOver }) : canonicalDigest(checks)
}

/** The name of a département's sample drawn on a day: the service's cache of samples, and a validating thread's, know it by this. */
function sampleKey (departement: string, day: number): string {
  return `${departement}:${day}`
}
