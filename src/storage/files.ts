import type { Db } from './database.js'
import type { DamageCode } from '../faults/model.js'

export type FileKind = 'PECGM' | 'CGPEM'
export type UploadStatus = 'accepted' | 'rejected'

/** A file a département can see: a PECGM deposited for it, or a CGPEM it sent. */
export interface StoredFile {
  departement: string
  name: string
  kind: FileKind
  /** 'M' or 'Q' for a PECGM; null for a CGPEM */
  periodicity: 'M' | 'Q' | null
  /** the PECGM's reference date (day number) */
  referenceDay: number | null
  /** for a CGPEM: 'xml', 'fixed', or null when the content has no form */
  format: string | null
  size: number
  sha256: string
  createdAt: number
  status: UploadStatus | null
  reportId: string | null
  /** a PECGM the qualification deposited in answer to a CGPEM */
  answer: boolean
  /** a PECGM's fabrication date (day number); null for a CGPEM and for a PECGM deposited before it was kept */
  fabricationDay?: number | null
  /** a PECGM deposited damaged on purpose (src/faults): its damage code, shown to the admin only */
  damage?: DamageCode | null
  /** what the damage did, in French (« coupé dans l'enregistrement 12, octet 560 ») */
  damageDetail?: string | null
  /** the correct file deposited after a damaged one */
  repairedBy?: string | null
}

/** Where a page of the file list starts: just after this file, in the list's order (createdAt, then name). */
export interface ListPosition {
  createdAt: number
  name: string
}

export interface ListPageQuery {
  /** one kind only, or both */
  kind: FileKind | null
  /** files created at or after this instant (ms); null: from the first */
  since: number | null
  /** the last file of the previous page; null: the first page */
  after: ListPosition | null
  limit: number
}

/**
 * A page of the list, all kinds or one, read over the indexes files_by_time
 * and files_by_kind_time (migration 10): a page reads its own rows, however
 * far in the list it starts (a test reads their query plans).
 */
export const LIST_PAGE_SQL = {
  all: 'SELECT * FROM files WHERE departement = ? AND (created_at, name) > (?, ?) ORDER BY created_at, name LIMIT ?',
  ofKind: 'SELECT * FROM files WHERE departement = ? AND kind = ? AND (created_at, name) > (?, ?) ORDER BY created_at, name LIMIT ?'
} as const

/** A file whose name equals one ignoring ASCII case, over files_by_name_nocase (migration 18): a test reads its query plan. */
export const FIND_IGNORING_CASE_SQL = 'SELECT * FROM files WHERE departement = ? AND name = ? COLLATE NOCASE ORDER BY name = ? DESC LIMIT 1'

/** What a département holds, as the quotas count it. */
export interface Usage {
  uploadedFiles: number
  uploadedBytes: number
  /** PECGM answered to its CGPEM */
  answers: number
}

export interface StoredReport {
  id: string
  departement: string
  fileName: string
  createdAt: number
  valid: boolean
  /** the validation report, as JSON */
  body: string
}

interface FileRow {
  departement: string
  name: string
  kind: FileKind
  periodicity: 'M' | 'Q' | null
  reference_day: number | null
  format: string | null
  size: number
  sha256: string
  created_at: number
  status: UploadStatus | null
  report_id: string | null
  answer: number
  fabrication_day: number | null
  damage: DamageCode | null
  damage_detail: string | null
  repaired_by: string | null
}

interface ReportRow {
  id: string
  departement: string
  file_name: string
  created_at: number
  valid: number
  body: string
}

function fileFromRow (r: FileRow): StoredFile {
  return {
    departement: r.departement,
    name: r.name,
    kind: r.kind,
    periodicity: r.periodicity,
    referenceDay: r.reference_day,
    format: r.format,
    size: r.size,
    sha256: r.sha256,
    createdAt: r.created_at,
    status: r.status,
    reportId: r.report_id,
    answer: r.answer === 1,
    fabricationDay: r.fabrication_day,
    damage: r.damage,
    damageDetail: r.damage_detail,
    repairedBy: r.repaired_by
  }
}

/**
 * Files and their validation reports. A row is written only once its file is
 * in place on disk; an upload's row and its report go in one transaction.
 * Every lookup takes the département: nothing here reads across them.
 */
export class FileRepository {
  private readonly listStmt
  private readonly pageStmt
  private readonly pageOfKindStmt
  private readonly allStmt
  private readonly findStmt
  private readonly findIgnoringCaseStmt
  private readonly monthlyStmt
  private readonly stockDepositedStmt
  private readonly fluxDepositedStmt
  private readonly insertFileStmt
  private readonly insertReportStmt
  private readonly deleteFileStmt
  private readonly deleteReportStmt
  private readonly reportStmt
  private readonly countStmt
  private readonly insertWithReport
  private readonly deleteWithReport
  private readonly usageStmt
  /** each département's usage as last read: dropped at each write of its rows (an upload checks it at every chunk) */
  private readonly usageRead = new Map<string, Usage>()
  private readonly answersStmt
  private readonly sequenceStmt
  private readonly giveBackStmt
  private readonly toRepairStmt
  private readonly repairedStmt

  constructor (db: Db) {
    this.listStmt = db.prepare<[string], FileRow>('SELECT * FROM files WHERE departement = ? ORDER BY created_at, id')
    this.pageStmt = db.prepare<[string, number, string, number], FileRow>(LIST_PAGE_SQL.all)
    this.pageOfKindStmt = db.prepare<[string, FileKind, number, string, number], FileRow>(LIST_PAGE_SQL.ofKind)
    this.allStmt = db.prepare<[], FileRow>('SELECT * FROM files ORDER BY id')
    this.findStmt = db.prepare<[string, string], FileRow>('SELECT * FROM files WHERE departement = ? AND name = ?')
    this.findIgnoringCaseStmt = db.prepare<[string, string, string], FileRow>(FIND_IGNORING_CASE_SQL)
    this.monthlyStmt = db.prepare<[string, number], FileRow>("SELECT * FROM files WHERE departement = ? AND kind = 'PECGM' AND periodicity = 'M' AND reference_day = ? AND answer = 0 LIMIT 1")
    this.stockDepositedStmt = db.prepare<[string, number], number>('SELECT 1 FROM stock_deposits WHERE departement = ? AND reference_day = ?').pluck()
    this.fluxDepositedStmt = db.prepare<[string, number], number>('SELECT 1 FROM flux_deposits WHERE departement = ? AND reference_day = ?').pluck()
    this.insertFileStmt = db.prepare<[string, string, FileKind, string | null, number | null, string | null, number, string, number, string | null, string | null, number, number | null, string | null, string | null]>(
      'INSERT INTO files (departement, name, kind, periodicity, reference_day, format, size, sha256, created_at, status, report_id, answer, fabrication_day, damage, damage_detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)')
    this.usageStmt = db.prepare<[string], { uploaded_files: number, uploaded_bytes: number, answers: number }>('SELECT uploaded_files, uploaded_bytes, answers FROM usage WHERE departement = ?')
    this.answersStmt = db.prepare<[string, number], FileRow>('SELECT * FROM files WHERE departement = ? AND answer = 1 ORDER BY created_at LIMIT ?')
    this.sequenceStmt = db.prepare<[string, string], number>('INSERT INTO name_sequences (departement, base, last) VALUES (?, ?, 1) ON CONFLICT (departement, base) DO UPDATE SET last = last + 1 RETURNING last').pluck()
    this.giveBackStmt = db.prepare<[string, string, number]>('UPDATE name_sequences SET last = last - 1 WHERE departement = ? AND base = ? AND last = ?')
    this.toRepairStmt = db.prepare<[string], FileRow>('SELECT * FROM files WHERE departement = ? AND damage IS NOT NULL AND repaired_by IS NULL ORDER BY created_at, name')
    this.repairedStmt = db.prepare<[string, string, string]>('UPDATE files SET repaired_by = ? WHERE departement = ? AND name = ?')
    this.insertReportStmt = db.prepare<[string, string, string, number, number, string]>(
      'INSERT INTO reports (id, departement, file_name, created_at, valid, body) VALUES (?, ?, ?, ?, ?, ?)')
    this.deleteFileStmt = db.prepare<[string, string]>('DELETE FROM files WHERE departement = ? AND name = ?')
    this.deleteReportStmt = db.prepare<[string]>('DELETE FROM reports WHERE id = ?')
    this.reportStmt = db.prepare<[string, string], ReportRow>('SELECT * FROM reports WHERE departement = ? AND id = ?')
    this.countStmt = db.prepare<[string], number>('SELECT count(*) FROM files WHERE departement = ?').pluck()
    this.insertWithReport = db.transaction((file: StoredFile, report: StoredReport | null, also: ((file: StoredFile) => void) | undefined) => {
      if (report) this.insertReportStmt.run(report.id, report.departement, report.fileName, report.createdAt, report.valid ? 1 : 0, report.body)
      this.insertFileStmt.run(file.departement, file.name, file.kind, file.periodicity, file.referenceDay, file.format, file.size, file.sha256, file.createdAt, file.status, file.reportId, file.answer ? 1 : 0, file.fabricationDay ?? null, file.damage ?? null, file.damageDetail ?? null)
      also?.(file)
    })
    this.deleteWithReport = db.transaction((files: readonly StoredFile[]) => {
      for (const f of files) {
        this.deleteFileStmt.run(f.departement, f.name)
        if (f.reportId !== null) this.deleteReportStmt.run(f.reportId)
      }
    })
  }

  list (departement: string): StoredFile[] {
    return this.listStmt.all(departement).map(fileFromRow)
  }

  /**
   * One page of a département's list, in its order (createdAt, then name),
   * and whether more follow. Every name is at least one character long, so
   * « at or after `since` » is « after (since, '') »: one bound, the later of
   * it and the previous page's last file.
   */
  page (departement: string, q: ListPageQuery): { files: StoredFile[], more: boolean } {
    const since = q.since ?? Number.MIN_SAFE_INTEGER
    const from = q.after !== null && q.after.createdAt >= since ? q.after : { createdAt: since, name: '' }
    const rows = q.kind === null
      ? this.pageStmt.all(departement, from.createdAt, from.name, q.limit + 1)
      : this.pageOfKindStmt.all(departement, q.kind, from.createdAt, from.name, q.limit + 1)
    return { files: rows.slice(0, q.limit).map(fileFromRow), more: rows.length > q.limit }
  }

  all (): StoredFile[] {
    return this.allStmt.all().map(fileFromRow)
  }

  find (departement: string, name: string): StoredFile | null {
    const r = this.findStmt.get(departement, name)
    return r ? fileFromRow(r) : null
  }

  /**
   * A file of the département whose name equals `name` ignoring ASCII case
   * (SQLite's NOCASE), the one of exactly that name first; read over the
   * index files_by_name_nocase (migration 18).
   */
  findIgnoringCase (departement: string, name: string): StoredFile | null {
    const r = this.findIgnoringCaseStmt.get(departement, name, name)
    return r ? fileFromRow(r) : null
  }

  count (departement: string): number {
    return this.countStmt.get(departement) as number
  }

  usage (departement: string): Usage {
    let u = this.usageRead.get(departement)
    if (u === undefined) {
      const r = this.usageStmt.get(departement)
      u = Object.freeze({ uploadedFiles: r?.uploaded_files ?? 0, uploadedBytes: r?.uploaded_bytes ?? 0, answers: r?.answers ?? 0 })
      this.usageRead.set(departement, u)
    }
    return u
  }

  /** The oldest answer PECGMs of a département. */
  oldestAnswers (departement: string, limit: number): StoredFile[] {
    return this.answersStmt.all(departement, limit).map(fileFromRow)
  }

  /** The next number of a name's sequence (1, 2…): never the same twice, even once a file is gone. */
  nextSequence (departement: string, base: string): number {
    return this.sequenceStmt.get(departement, base) as number
  }

  /**
   * Gives back `n`, the number nextSequence() gave for a file that was never
   * recorded (given up, failed): the next file of that name takes it. Only
   * while it is the last one given; one given since keeps its own.
   */
  giveBackSequence (departement: string, base: string, n: number): void {
    this.giveBackStmt.run(departement, base, n)
  }

  /** Whether the monthly stock of a reference month was ever deposited (it may be gone since); recorded with its row. */
  stockDeposited (departement: string, referenceDay: number): boolean {
    return this.stockDepositedStmt.get(departement, referenceDay) !== undefined
  }

  /** Whether the daily flux of a day was ever deposited (it may be gone since). */
  fluxDeposited (departement: string, referenceDay: number): boolean {
    return this.fluxDepositedStmt.get(departement, referenceDay) !== undefined
  }

  /** The monthly stock (not an answer) of a reference month, if it is there. */
  findMonthlyPecgm (departement: string, referenceDay: number): StoredFile | null {
    const r = this.monthlyStmt.get(departement, referenceDay)
    return r ? fileFromRow(r) : null
  }

  /** The damaged deposits of a département not yet followed by a correct one, oldest first (an index on those only). */
  toRepair (departement: string): StoredFile[] {
    return this.toRepairStmt.all(departement).map(fileFromRow)
  }

  /** Records the correct file deposited after a damaged one. */
  setRepaired (departement: string, name: string, by: string): void {
    this.repairedStmt.run(by, departement, name)
  }

  /** Inserts a file row, its report and what `also` records of it (in the same database), in one transaction. */
  insert (file: StoredFile, report: StoredReport | null = null, also?: (file: StoredFile) => void): void {
    this.usageRead.delete(file.departement)
    this.insertWithReport(file, report, also)
  }

  /** Deletes file rows and their reports, in one transaction. */
  delete (files: readonly StoredFile[]): void {
    for (const f of files) this.usageRead.delete(f.departement)
    if (files.length > 0) this.deleteWithReport(files)
  }

  report (departement: string, id: string): StoredReport | null {
    const r = this.reportStmt.get(departement, id)
    return r ? { id: r.id, departement: r.departement, fileName: r.file_name, createdAt: r.created_at, valid: r.valid === 1, body: r.body } : null
  }
}
