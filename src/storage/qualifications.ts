import type { Db } from './database.js'

/**
 * The qualification campaigns of the départements (Annexe 2, steps 2 and 3):
 * each iteration with its campaign, the orientations of the uploads made
 * during it, the PECGM deposited in return, the approvals and, once both
 * parties approved, the final bilan frozen as issued. Schema: migration 2.
 */

export const QUALIFICATION_MIGRATION = `
  CREATE TABLE campaigns (
    departement TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    started_at INTEGER NOT NULL,
    body TEXT NOT NULL,
    approval_departement TEXT,
    approval_pole_emploi TEXT,
    final_bilan TEXT,
    closed_at INTEGER,
    PRIMARY KEY (departement, iteration)
  );

  CREATE TABLE campaign_uploads (
    departement TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    report_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    orientations TEXT NOT NULL,
    PRIMARY KEY (departement, iteration, file_name)
  );

  CREATE TABLE campaign_deposits (
    departement TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    at INTEGER NOT NULL,
    size INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    answer_to TEXT NOT NULL,
    identifiers TEXT NOT NULL,
    PRIMARY KEY (departement, iteration, file_name)
  );
`

export interface CampaignRow {
  departement: string
  iteration: number
  startedAt: number
  /** the Campaign, as JSON */
  body: string
  approvalDepartement: string | null
  approvalPoleEmploi: string | null
  finalBilan: string | null
  closedAt: number | null
}

export interface CampaignUploadRow {
  fileName: string
  at: number
  status: 'accepted' | 'rejected'
  reportId: string
  sha256: string
  orientations: string
}

export interface CampaignDepositRow {
  fileName: string
  at: number
  size: number
  sha256: string
  answerTo: string
  identifiers: string
}

interface RawCampaign {
  departement: string
  iteration: number
  started_at: number
  body: string
  approval_departement: string | null
  approval_pole_emploi: string | null
  final_bilan: string | null
  closed_at: number | null
}

function toCampaign (r: RawCampaign): CampaignRow {
  return {
    departement: r.departement,
    iteration: r.iteration,
    startedAt: r.started_at,
    body: r.body,
    approvalDepartement: r.approval_departement,
    approvalPoleEmploi: r.approval_pole_emploi,
    finalBilan: r.final_bilan,
    closedAt: r.closed_at
  }
}

export class QualificationRepository {
  constructor (private readonly db: Db) {}

  /** The open iteration of a département, or null. */
  current (departement: string): CampaignRow | null {
    const r = this.db.prepare<[string], RawCampaign>('SELECT * FROM campaigns WHERE departement = ? AND closed_at IS NULL ORDER BY iteration DESC LIMIT 1').get(departement)
    return r ? toCampaign(r) : null
  }

  all (departement: string): CampaignRow[] {
    return this.db.prepare<[string], RawCampaign>('SELECT * FROM campaigns WHERE departement = ? ORDER BY iteration').all(departement).map(toCampaign)
  }

  lastIteration (departement: string): number {
    const r = this.db.prepare<[string], { n: number | null }>('SELECT MAX(iteration) AS n FROM campaigns WHERE departement = ?').get(departement)
    return r?.n ?? 0
  }

  create (departement: string, iteration: number, startedAt: number, body: string): void {
    this.db.prepare('INSERT INTO campaigns (departement, iteration, started_at, body) VALUES (?, ?, ?, ?)').run(departement, iteration, startedAt, body)
  }

  /** Closes the open iteration and opens the next one, in one transaction. */
  restart (departement: string, closedAt: number, next: { iteration: number, body: string }): void {
    this.db.transaction(() => {
      this.db.prepare('UPDATE campaigns SET closed_at = ? WHERE departement = ? AND closed_at IS NULL').run(closedAt, departement)
      this.create(departement, next.iteration, closedAt, next.body)
    })()
  }

  approve (departement: string, iteration: number, party: 'departement' | 'poleEmploi', approval: string): void {
    const column = party === 'departement' ? 'approval_departement' : 'approval_pole_emploi'
    this.db.prepare(`UPDATE campaigns SET ${column} = ? WHERE departement = ? AND iteration = ? AND ${column} IS NULL`).run(approval, departement, iteration)
  }

  freeze (departement: string, iteration: number, bilan: string): void {
    this.db.prepare('UPDATE campaigns SET final_bilan = ? WHERE departement = ? AND iteration = ? AND final_bilan IS NULL').run(bilan, departement, iteration)
  }

  addUpload (departement: string, iteration: number, u: CampaignUploadRow): void {
    this.db.prepare('INSERT OR REPLACE INTO campaign_uploads (departement, iteration, file_name, at, status, report_id, sha256, orientations) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(departement, iteration, u.fileName, u.at, u.status, u.reportId, u.sha256, u.orientations)
  }

  uploads (departement: string, iteration: number): CampaignUploadRow[] {
    return this.db.prepare<[string, number], { file_name: string, at: number, status: 'accepted' | 'rejected', report_id: string, sha256: string, orientations: string }>(
      'SELECT file_name, at, status, report_id, sha256, orientations FROM campaign_uploads WHERE departement = ? AND iteration = ? ORDER BY at, rowid')
      .all(departement, iteration)
      .map((r) => ({ fileName: r.file_name, at: r.at, status: r.status, reportId: r.report_id, sha256: r.sha256, orientations: r.orientations }))
  }

  addDeposit (departement: string, iteration: number, d: CampaignDepositRow): void {
    this.db.prepare('INSERT INTO campaign_deposits (departement, iteration, file_name, at, size, sha256, answer_to, identifiers) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(departement, iteration, d.fileName, d.at, d.size, d.sha256, d.answerTo, d.identifiers)
  }

  deposits (departement: string, iteration: number): CampaignDepositRow[] {
    return this.db.prepare<[string, number], { file_name: string, at: number, size: number, sha256: string, answer_to: string, identifiers: string }>(
      'SELECT file_name, at, size, sha256, answer_to, identifiers FROM campaign_deposits WHERE departement = ? AND iteration = ? ORDER BY at, rowid')
      .all(departement, iteration)
      .map((r) => ({ fileName: r.file_name, at: r.at, size: r.size, sha256: r.sha256, answerTo: r.answer_to, identifiers: r.identifiers }))
  }
}
