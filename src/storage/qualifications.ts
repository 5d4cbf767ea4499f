import type Database from 'better-sqlite3'
import type { Db } from './database.js'

/**
 * The qualification campaigns of the départements (Annexe 2, steps 2 and 3):
 * each iteration a département started, with its campaign, its evidence as it
 * happened (uploads, the PECGM deposited in return, downloads of the sample
 * and of that PECGM, the latest orientation of each person of the sample),
 * the checks frozen once they all passed, the approvals and, once both
 * parties approved it, the final bilan. Every read is by key and bounded:
 * what a campaign costs to read does not grow with its history.
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

/**
 * Evidence recorded when it happens instead of searched in the audit trail.
 * The campaigns open when this runs were already qualifications: their
 * downloads of the sample and of their answer PECGM are carried over from the
 * trail, once.
 */
export const EVIDENCE_MIGRATION = `
  ALTER TABLE campaigns ADD COLUMN started_by TEXT NOT NULL DEFAULT '';
  ALTER TABLE campaigns ADD COLUMN concluded TEXT;
  ALTER TABLE campaigns ADD COLUMN rejected_uploads INTEGER NOT NULL DEFAULT 0;
  UPDATE campaigns SET rejected_uploads = (SELECT count(*) FROM campaign_uploads u
    WHERE u.departement = campaigns.departement AND u.iteration = campaigns.iteration AND u.status = 'rejected');

  ALTER TABLE campaign_uploads ADD COLUMN size INTEGER;
  ALTER TABLE campaign_uploads ADD COLUMN round_trip TEXT;
  ALTER TABLE campaign_uploads ADD COLUMN round_trip_ok INTEGER;
  CREATE INDEX campaign_uploads_by_time ON campaign_uploads (departement, iteration, at);
  CREATE INDEX campaign_uploads_by_status ON campaign_uploads (departement, iteration, status, at);
  CREATE INDEX campaign_uploads_by_round_trip ON campaign_uploads (departement, iteration, round_trip_ok, at);
  CREATE INDEX campaign_deposits_by_answer ON campaign_deposits (departement, iteration, answer_to, at);

  CREATE TABLE campaign_events (
    departement TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('sample', 'download', 'download-whole')),
    subject TEXT NOT NULL DEFAULT '',
    first_at INTEGER NOT NULL,
    last_at INTEGER NOT NULL,
    count INTEGER NOT NULL,
    bytes INTEGER,
    PRIMARY KEY (departement, iteration, kind, subject)
  );

  CREATE TABLE campaign_people (
    departement TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    sample_index INTEGER NOT NULL,
    orientation TEXT NOT NULL,
    PRIMARY KEY (departement, iteration, sample_index)
  );

  INSERT INTO campaign_events (departement, iteration, kind, subject, first_at, last_at, count, bytes)
    SELECT c.departement, c.iteration, 'sample', '', min(a.at), max(a.at), count(*), NULL
    FROM campaigns c JOIN audit a ON a.departement = c.departement AND a.at >= c.started_at
    WHERE c.closed_at IS NULL AND a.kind = 'request' AND a.route = '/api/v1/qualification/sample' AND a.status = 200
    GROUP BY c.departement, c.iteration;
  INSERT INTO campaign_events (departement, iteration, kind, subject, first_at, last_at, count, bytes)
    SELECT c.departement, c.iteration, CASE WHEN a.bytes_out = d.size THEN 'download-whole' ELSE 'download' END, d.file_name, min(a.at), max(a.at), count(*), max(a.bytes_out)
    FROM campaigns c
    JOIN campaign_deposits d ON d.departement = c.departement AND d.iteration = c.iteration
    JOIN audit a ON a.departement = c.departement AND a.file_name = d.file_name AND a.at >= c.started_at
    WHERE c.closed_at IS NULL AND a.kind = 'request' AND a.method = 'GET' AND a.route = '/api/v1/files/:name' AND a.status = 200
    GROUP BY c.departement, c.iteration, d.file_name, a.bytes_out = d.size;
`

/**
 * The answers due: an accepted upload is recorded with its file, in one
 * transaction, its answer PECGM due until that answer is recorded with its
 * own file; a stop or a crash between the two leaves it due, and the next
 * start makes it. Those already lost in an open iteration are due too.
 */
export const ANSWERS_DUE_MIGRATION = `
  ALTER TABLE campaign_uploads ADD COLUMN answer_due INTEGER NOT NULL DEFAULT 0;
  UPDATE campaign_uploads SET answer_due = 1 WHERE status = 'accepted'
    AND NOT EXISTS (SELECT 1 FROM campaign_deposits d WHERE d.departement = campaign_uploads.departement AND d.iteration = campaign_uploads.iteration AND d.answer_to = campaign_uploads.file_name)
    AND EXISTS (SELECT 1 FROM campaigns c WHERE c.departement = campaign_uploads.departement AND c.iteration = campaign_uploads.iteration AND c.closed_at IS NULL AND c.final_bilan IS NULL);
  CREATE INDEX campaign_uploads_answer_due ON campaign_uploads (departement, iteration, at) WHERE answer_due = 1;
`

/**
 * An upload is a row of its own, whatever its name: a département may delete
 * a CGPEM and send another under the same name, and the evidence of the
 * first must stay as it happened (keyed by its name, the second replaced it:
 * a CGPEM sent before the sample, deleted and sent again after it, turned a
 * failed `echantillon` into a passed one). The rows keep their order of
 * arrival (rowid). The answer due of each (ANSWERS_DUE_MIGRATION) is carried
 * over with it, and so is its index; an answer now names the row of the
 * upload it answers (answer_to_upload), which its name no longer tells:
 * filled here by name, a key of the table until now (its id is its rowid).
 */
export const UPLOADS_BY_ARRIVAL_MIGRATION = `
  CREATE TABLE campaign_uploads_by_arrival (
    id INTEGER PRIMARY KEY,
    departement TEXT NOT NULL,
    iteration INTEGER NOT NULL,
    file_name TEXT NOT NULL,
    at INTEGER NOT NULL,
    status TEXT NOT NULL,
    report_id TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    orientations TEXT NOT NULL,
    size INTEGER,
    round_trip TEXT,
    round_trip_ok INTEGER,
    answer_due INTEGER NOT NULL DEFAULT 0
  );
  INSERT INTO campaign_uploads_by_arrival (id, departement, iteration, file_name, at, status, report_id, sha256, orientations, size, round_trip, round_trip_ok, answer_due)
    SELECT rowid, departement, iteration, file_name, at, status, report_id, sha256, orientations, size, round_trip, round_trip_ok, answer_due FROM campaign_uploads;
  ALTER TABLE campaign_deposits ADD COLUMN answer_to_upload INTEGER;
  UPDATE campaign_deposits SET answer_to_upload = (SELECT u.rowid FROM campaign_uploads u
    WHERE u.departement = campaign_deposits.departement AND u.iteration = campaign_deposits.iteration AND u.file_name = campaign_deposits.answer_to);
  DROP TABLE campaign_uploads;
  ALTER TABLE campaign_uploads_by_arrival RENAME TO campaign_uploads;
  CREATE INDEX campaign_uploads_by_time ON campaign_uploads (departement, iteration, at);
  CREATE INDEX campaign_uploads_by_status ON campaign_uploads (departement, iteration, status, at);
  CREATE INDEX campaign_uploads_by_round_trip ON campaign_uploads (departement, iteration, round_trip_ok, at);
  CREATE INDEX campaign_uploads_answer_due ON campaign_uploads (departement, iteration, at) WHERE answer_due = 1;
`

/**
 * The first answer deposited in an iteration, the one it cites, read by key
 * whatever the number of answers. No answer is looked for by the name of the
 * upload it answers any more (a name that repeats): its index goes.
 */
export const FIRST_ANSWER_MIGRATION = `
  CREATE INDEX campaign_deposits_by_time ON campaign_deposits (departement, iteration, at);
  DROP INDEX campaign_deposits_by_answer;
`

export interface CampaignRow {
  departement: string
  iteration: number
  startedAt: number
  /** the account that started it */
  startedBy: string
  /** the Campaign, as JSON */
  body: string
  approvalDepartement: string | null
  approvalPoleEmploi: string | null
  finalBilan: string | null
  closedAt: number | null
  /** the checks as they were when they all passed, as JSON: later evidence no longer changes them */
  concluded: string | null
  rejectedUploads: number
}

export interface CampaignUploadRow {
  fileName: string
  at: number
  size: number | null
  status: 'accepted' | 'rejected'
  reportId: string
  sha256: string
  /** the OrientationSummary, as JSON */
  orientations: string
  /** the RoundTrip against the answer PECGM, as JSON, for an accepted CGPEM sent after it */
  roundTrip: string | null
  roundTripOk: boolean | null
}

export interface CampaignDepositRow {
  fileName: string
  at: number
  size: number
  sha256: string
  /** the name of the upload it answers */
  answerTo: string
  /** the row of the upload it answers (campaign_uploads.id), which its name does not tell when a CGPEM was deleted and sent again; null when none had its name at migration 16 */
  answerToUpload: number | null
  identifiers: string
}

/** An accepted upload whose answer PECGM is due: its row, and its name (which another upload may share). */
export interface AnswerDue {
  id: number
  fileName: string
}

export interface CampaignEventRow {
  firstAt: number
  lastAt: number
  count: number
  bytes: number | null
}

export type CampaignEventKind = 'sample' | 'download' | 'download-whole'

interface RawCampaign {
  departement: string
  iteration: number
  started_at: number
  started_by: string
  body: string
  approval_departement: string | null
  approval_pole_emploi: string | null
  final_bilan: string | null
  closed_at: number | null
  concluded: string | null
  rejected_uploads: number
}

interface RawUpload {
  file_name: string
  at: number
  size: number | null
  status: 'accepted' | 'rejected'
  report_id: string
  sha256: string
  orientations: string
  round_trip: string | null
  round_trip_ok: number | null
}

interface RawDeposit {
  file_name: string
  at: number
  size: number
  sha256: string
  answer_to: string
  answer_to_upload: number | null
  identifiers: string
}

function toCampaign (r: RawCampaign): CampaignRow {
  return {
    departement: r.departement,
    iteration: r.iteration,
    startedAt: r.started_at,
    startedBy: r.started_by,
    body: r.body,
    approvalDepartement: r.approval_departement,
    approvalPoleEmploi: r.approval_pole_emploi,
    finalBilan: r.final_bilan,
    closedAt: r.closed_at,
    concluded: r.concluded,
    rejectedUploads: r.rejected_uploads
  }
}

function toUpload (r: RawUpload): CampaignUploadRow {
  return { fileName: r.file_name, at: r.at, size: r.size, status: r.status, reportId: r.report_id, sha256: r.sha256, orientations: r.orientations, roundTrip: r.round_trip, roundTripOk: r.round_trip_ok === null ? null : r.round_trip_ok === 1 }
}

function toDeposit (r: RawDeposit): CampaignDepositRow {
  return { fileName: r.file_name, at: r.at, size: r.size, sha256: r.sha256, answerTo: r.answer_to, answerToUpload: r.answer_to_upload, identifiers: r.identifiers }
}

type Key = [string, number]

/** An answer PECGM as recorded: the upload it answers given by its row */
type Answer = CampaignDepositRow & { answerToUpload: number }

const UPLOAD_COLUMNS = 'file_name, at, size, status, report_id, sha256, orientations, round_trip, round_trip_ok'
const DEPOSIT_COLUMNS = 'file_name, at, size, sha256, answer_to, answer_to_upload, identifiers'

export class QualificationRepository {
  private readonly latest: Database.Statement<[string], RawCampaign>
  private readonly page: Database.Statement<[string, number, number], RawCampaign>
  private readonly maxIteration: Database.Statement<[string], number | null>
  private readonly insertCampaign
  private readonly closeStmt
  private readonly freezeStmt
  private readonly concludeStmt
  private readonly approvalStmts
  private readonly insertUpload
  private readonly countRejected
  private readonly firstUploadStmt: Database.Statement<Key, RawUpload>
  private readonly firstWithStatus: Database.Statement<[string, number, string, number], RawUpload>
  private readonly lastRejectedStmt: Database.Statement<Key, RawUpload>
  private readonly roundTripPassed: Database.Statement<Key, RawUpload>
  private readonly roundTripLatest: Database.Statement<Key, RawUpload>
  private readonly insertDeposit
  private readonly depositByName: Database.Statement<[string, number, string], RawDeposit>
  private readonly firstDepositStmt: Database.Statement<Key, RawDeposit>
  private readonly upsertEvent
  private readonly eventStmt: Database.Statement<[string, number, string, string], { first_at: number, last_at: number, count: number, bytes: number | null }>
  private readonly upsertPerson
  private readonly upsertFault
  private readonly faultsStmt: Database.Statement<[string, number], { count: number, first_at: number, last_at: number, last_fault: number, last_what: string }>
  private readonly peopleStmt: Database.Statement<Key, { sample_index: number, orientation: string }>
  private readonly beginTx
  private readonly uploadTx
  private readonly answeredStmt
  private readonly answerTx
  private readonly answersDueStmt: Database.Statement<Key, AnswerDue>
  private readonly dueDepartementsStmt: Database.Statement<[], string>

  constructor (private readonly db: Db) {
    this.latest = db.prepare('SELECT * FROM campaigns WHERE departement = ? ORDER BY iteration DESC LIMIT 1')
    this.page = db.prepare('SELECT * FROM campaigns WHERE departement = ? AND iteration < ? ORDER BY iteration DESC LIMIT ?')
    this.maxIteration = db.prepare<[string], number | null>('SELECT max(iteration) FROM campaigns WHERE departement = ?').pluck()
    this.insertCampaign = db.prepare<[string, number, number, string, string]>('INSERT INTO campaigns (departement, iteration, started_at, started_by, body) VALUES (?, ?, ?, ?, ?)')
    this.closeStmt = db.prepare<[number, string | null, string, number]>('UPDATE campaigns SET closed_at = ?, final_bilan = coalesce(final_bilan, ?) WHERE departement = ? AND iteration = ? AND closed_at IS NULL')
    this.freezeStmt = db.prepare<[string, string, number]>('UPDATE campaigns SET final_bilan = ? WHERE departement = ? AND iteration = ? AND final_bilan IS NULL')
    this.concludeStmt = db.prepare<[string, string, number]>('UPDATE campaigns SET concluded = ? WHERE departement = ? AND iteration = ? AND concluded IS NULL')
    this.approvalStmts = {
      departement: db.prepare<[string, string, number, string | null]>('UPDATE campaigns SET approval_departement = ? WHERE departement = ? AND iteration = ? AND approval_departement IS ?'),
      poleEmploi: db.prepare<[string, string, number, string | null]>('UPDATE campaigns SET approval_pole_emploi = ? WHERE departement = ? AND iteration = ? AND approval_pole_emploi IS ?')
    }
    this.insertUpload = db.prepare<[string, number, string, number, number | null, string, string, string, string, string | null, number | null, number]>(
      `INSERT INTO campaign_uploads (departement, iteration, ${UPLOAD_COLUMNS}, answer_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    this.countRejected = db.prepare<Key>('UPDATE campaigns SET rejected_uploads = rejected_uploads + 1 WHERE departement = ? AND iteration = ?')
    this.firstUploadStmt = db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM campaign_uploads WHERE departement = ? AND iteration = ? ORDER BY at, rowid LIMIT 1`)
    this.firstWithStatus = db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM campaign_uploads WHERE departement = ? AND iteration = ? AND status = ? ORDER BY at, rowid LIMIT ?`)
    this.lastRejectedStmt = db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM campaign_uploads WHERE departement = ? AND iteration = ? AND status = 'rejected' ORDER BY at DESC, rowid DESC LIMIT 1`)
    this.roundTripPassed = db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM campaign_uploads WHERE departement = ? AND iteration = ? AND round_trip_ok = 1 ORDER BY at, rowid LIMIT 1`)
    this.roundTripLatest = db.prepare(`SELECT ${UPLOAD_COLUMNS} FROM campaign_uploads WHERE departement = ? AND iteration = ? AND round_trip_ok = 0 ORDER BY at DESC, rowid DESC LIMIT 1`)
    this.insertDeposit = db.prepare<[string, number, string, number, number, string, string, number, string]>(
      'INSERT INTO campaign_deposits (departement, iteration, file_name, at, size, sha256, answer_to, answer_to_upload, identifiers) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)')
    this.depositByName = db.prepare(`SELECT ${DEPOSIT_COLUMNS} FROM campaign_deposits WHERE departement = ? AND iteration = ? AND file_name = ?`)
    this.firstDepositStmt = db.prepare(`SELECT ${DEPOSIT_COLUMNS} FROM campaign_deposits WHERE departement = ? AND iteration = ? ORDER BY at, rowid LIMIT 1`)
    this.upsertEvent = db.prepare<[string, number, string, string, number, number, number | null]>(`
      INSERT INTO campaign_events (departement, iteration, kind, subject, first_at, last_at, count, bytes) VALUES (?, ?, ?, ?, ?, ?, 1, ?)
      ON CONFLICT (departement, iteration, kind, subject) DO UPDATE SET last_at = excluded.last_at, count = count + 1, bytes = max(coalesce(bytes, 0), coalesce(excluded.bytes, 0))`)
    this.upsertFault = db.prepare<[{ departement: string, iteration: number, at: number, fault: number, what: string }]>(`INSERT INTO campaign_faults (departement, iteration, count, first_at, last_at, last_fault, last_what) VALUES (@departement, @iteration, 1, @at, @at, @fault, @what)
      ON CONFLICT (departement, iteration) DO UPDATE SET count = count + 1, last_at = @at, last_fault = @fault, last_what = @what`)
    this.faultsStmt = db.prepare('SELECT count, first_at, last_at, last_fault, last_what FROM campaign_faults WHERE departement = ? AND iteration = ?')
    this.eventStmt = db.prepare('SELECT first_at, last_at, count, bytes FROM campaign_events WHERE departement = ? AND iteration = ? AND kind = ? AND subject = ?')
    this.upsertPerson = db.prepare<[string, number, number, string]>('INSERT OR REPLACE INTO campaign_people (departement, iteration, sample_index, orientation) VALUES (?, ?, ?, ?)')
    this.peopleStmt = db.prepare('SELECT sample_index, orientation FROM campaign_people WHERE departement = ? AND iteration = ? ORDER BY sample_index')
    this.beginTx = db.transaction((departement: string, at: number, by: string, body: (iteration: number) => string, closing: { iteration: number, bilan: string | null } | null) => {
      if (closing) this.closeStmt.run(at, closing.bilan, departement, closing.iteration)
      const iteration = (this.maxIteration.get(departement) ?? 0) + 1
      this.insertCampaign.run(departement, iteration, at, by, body(iteration))
      return iteration
    })
    this.uploadTx = db.transaction((departement: string, iteration: number, u: CampaignUploadRow, people: readonly [number, string][]) => {
      // an accepted upload is answered: due until its answer is recorded (addAnswer)
      this.insertUpload.run(departement, iteration, u.fileName, u.at, u.size, u.status, u.reportId, u.sha256, u.orientations, u.roundTrip, u.roundTripOk === null ? null : u.roundTripOk ? 1 : 0, u.status === 'accepted' ? 1 : 0)
      if (u.status === 'rejected') this.countRejected.run(departement, iteration)
      for (const [index, o] of people) this.upsertPerson.run(departement, iteration, index, o)
    })
    // by its row: another upload of the iteration may have its name, its answer still due
    this.answeredStmt = db.prepare<[number, string, number]>('UPDATE campaign_uploads SET answer_due = 0 WHERE id = ? AND departement = ? AND iteration = ?')
    this.answerTx = db.transaction((departement: string, iteration: number, d: Answer) => {
      this.insertDeposit.run(departement, iteration, d.fileName, d.at, d.size, d.sha256, d.answerTo, d.answerToUpload, d.identifiers)
      this.answeredStmt.run(d.answerToUpload, departement, iteration)
    })
    this.answersDueStmt = db.prepare<Key, AnswerDue>('SELECT id, file_name AS fileName FROM campaign_uploads WHERE departement = ? AND iteration = ? AND answer_due = 1 ORDER BY at, id')
    this.dueDepartementsStmt = db.prepare<[], string>(`SELECT DISTINCT u.departement FROM campaign_uploads u
      JOIN campaigns c ON c.departement = u.departement AND c.iteration = u.iteration
      WHERE u.answer_due = 1 AND c.closed_at IS NULL AND c.final_bilan IS NULL ORDER BY u.departement`).pluck()
  }

  /** The open iteration of a département, or null (never started, or closed since). */
  current (departement: string): CampaignRow | null {
    const r = this.latest.get(departement)
    return r && r.closed_at === null ? toCampaign(r) : null
  }

  /** The number the next iteration gets. */
  nextIteration (departement: string): number {
    return (this.maxIteration.get(departement) ?? 0) + 1
  }

  /** The iterations below `before`, newest first. */
  iterations (departement: string, before: number, limit: number): CampaignRow[] {
    return this.page.all(departement, before, limit).map(toCampaign)
  }

  /**
   * Starts the next iteration, closing the open one first (its bilan, when
   * given, kept as final) in the same transaction; returns its number.
   */
  begin (departement: string, at: number, by: string, body: (iteration: number) => string, closing: { iteration: number, bilan: string | null } | null): number {
    return this.beginTx.immediate(departement, at, by, body, closing)
  }

  close (departement: string, iteration: number, at: number, bilan: string | null): void {
    this.closeStmt.run(at, bilan, departement, iteration)
  }

  /** A party's approval, in place of `previous` (null: none yet, or a lapsed one): nothing changes when another took its place meanwhile. */
  approve (departement: string, iteration: number, party: 'departement' | 'poleEmploi', previous: string | null, approval: string): void {
    this.approvalStmts[party].run(approval, departement, iteration, previous)
  }

  freeze (departement: string, iteration: number, bilan: string): void {
    this.freezeStmt.run(bilan, departement, iteration)
  }

  conclude (departement: string, iteration: number, checks: string): void {
    this.concludeStmt.run(checks, departement, iteration)
  }

  /** An upload of the iteration and the latest orientation of each person of the sample it designates, together. */
  addUpload (departement: string, iteration: number, u: CampaignUploadRow, people: readonly [number, string][]): void {
    this.uploadTx(departement, iteration, u, people)
  }

  firstUpload (departement: string, iteration: number): CampaignUploadRow | null {
    const r = this.firstUploadStmt.get(departement, iteration)
    return r ? toUpload(r) : null
  }

  firstUploads (departement: string, iteration: number, status: 'accepted' | 'rejected', limit: number): CampaignUploadRow[] {
    return this.firstWithStatus.all(departement, iteration, status, limit).map(toUpload)
  }

  lastRejected (departement: string, iteration: number): CampaignUploadRow | null {
    const r = this.lastRejectedStmt.get(departement, iteration)
    return r ? toUpload(r) : null
  }

  /** The first upload whose round trip passed, else the latest whose round trip failed, else null. */
  roundTrip (departement: string, iteration: number): CampaignUploadRow | null {
    const r = this.roundTripPassed.get(departement, iteration) ?? this.roundTripLatest.get(departement, iteration)
    return r ? toUpload(r) : null
  }

  /** The answer PECGM of an accepted upload (`answerToUpload`, its row), deposited: that upload's answer is no longer due, and no other's. */
  addAnswer (departement: string, iteration: number, d: Answer): void {
    this.answerTx(departement, iteration, d)
  }

  /** The accepted uploads of the iteration whose answer is still due, oldest first (none but those a stop, a crash or a failure left). */
  answersDue (departement: string, iteration: number): AnswerDue[] {
    return this.answersDueStmt.all(departement, iteration)
  }

  /** The départements whose open iteration, not yet final, has an answer due. */
  departementsWithAnswersDue (): string[] {
    return this.dueDepartementsStmt.all()
  }

  deposit (departement: string, iteration: number, fileName: string): CampaignDepositRow | null {
    const r = this.depositByName.get(departement, iteration, fileName)
    return r ? toDeposit(r) : null
  }

  /** The first answer PECGM deposited in the iteration. */
  firstDeposit (departement: string, iteration: number): CampaignDepositRow | null {
    const r = this.firstDepositStmt.get(departement, iteration)
    return r ? toDeposit(r) : null
  }

  /** Counts an event of the iteration: its first and last time, how many, the most bytes. */
  addEvent (departement: string, iteration: number, kind: CampaignEventKind, subject: string, at: number, bytes: number | null = null): void {
    this.upsertEvent.run(departement, iteration, kind, subject, at, at, bytes)
  }

  event (departement: string, iteration: number, kind: CampaignEventKind, subject = ''): CampaignEventRow | null {
    const r = this.eventStmt.get(departement, iteration, kind, subject)
    return r ? { firstAt: r.first_at, lastAt: r.last_at, count: r.count, bytes: r.bytes } : null
  }

  /** An exchange of the iteration that met an injected fault (src/faults): counted, the latest kept. */
  addFault (departement: string, iteration: number, at: number, faultId: number, what: string): void {
    this.upsertFault.run({ departement, iteration, at, fault: faultId, what })
  }

  /** The faults the iteration's exchanges met: how many, since when, the latest. */
  faults (departement: string, iteration: number): { count: number, firstAt: number, lastAt: number, lastFault: number, lastWhat: string } | null {
    const r = this.faultsStmt.get(departement, iteration)
    return r ? { count: r.count, firstAt: r.first_at, lastAt: r.last_at, lastFault: r.last_fault, lastWhat: r.last_what } : null
  }

  /** The latest orientation of each person of the sample, as JSON, by sample index. */
  people (departement: string, iteration: number): [number, string][] {
    return this.peopleStmt.all(departement, iteration).map((r) => [r.sample_index, r.orientation])
  }
}
