import type { Zone } from '../../clock.js'
import { open, type FileHandle } from 'node:fs/promises'
import { PecgmThreads } from './pecgm-threads.js'
import type { DamageCode } from '../../faults/model.js'
import type { AuditEntry } from '../../storage/audit.js'
import type { ListPageQuery, ListPosition, StoredFile, StoredReport } from '../../storage/files.js'
import type { Storage } from '../../storage/storage.js'
import type { IncomingFile } from '../../storage/direct-file.js'
import type { ValidationReport } from '../../validate/report.js'
import { addDuration, type RetentionOptions } from '../options.js'
import { fileNameKey } from '../../layouts/file-names.js'
import { ServerError } from '../errors.js'
import type { AuditTrail } from './audit-trail.js'

/** A file as the API shows it. */
export interface FileView {
  name: string
  kind: 'PECGM' | 'CGPEM'
  periodicity: 'M' | 'Q' | null
  size: number
  sha256: string
  createdAt: string
  expiresAt: string
  status?: 'accepted' | 'rejected'
  reportId?: string
  /** a PECGM: the monthly stock, a daily flux, or the answer to a CGPEM of the qualification */
  role?: 'stock' | 'flux' | 'answer'
}

/** A file as the admin sees it (the console): a damaged deposit says so, which the département is never told. */
export interface AdminFileView extends FileView {
  damage: DamageCode | null
  damageDetail: string | null
  /** the correct file deposited after a damaged one, once it is */
  repairedBy: string | null
}

export interface ReportView extends ValidationReport {
  id: string
  fileName: string
  createdAt: string
}

/** A page of the list as the API reads it: one kind or both, from an instant, after a cursor. */
export type ListQuery = ListPageQuery

/** A page of the list as the API gives it. */
export interface ListPage {
  files: FileView[]
  next: string | null
}

/** Pages kept in memory, all départements together, and the files in them at most: past either, the oldest page goes. */
const KEPT_PAGES = 1000
const KEPT_PAGE_FILES = 20_000

/** The position of a file in the list, as the opaque `next` cursor the API gives: base64url of « createdAt.name ». */
export function encodeCursor (p: ListPosition): string {
  return Buffer.from(`${p.createdAt}.${p.name}`, 'utf8').toString('base64url')
}

/** The position a cursor names; null when it is not one this server gave. */
export function decodeCursor (cursor: string): ListPosition | null {
  const m = /^(-?[0-9]{1,16})\.(.+)$/su.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (m === null) return null
  const createdAt = Number(m[1])
  return Number.isSafeInteger(createdAt) ? { createdAt, name: m[2] as string } : null
}

export interface FileServiceOptions {
  retention: RetentionOptions
  now: () => number
  /** the zone of the exchange's days (the clock's): the deposits are made at 06:00 there */
  zone?: () => Zone
  /** the bytes of the deposits: on the event loop or on helper threads */
  pecgm?: PecgmThreads
}

/**
 * The files of each département: what it may list, read and send. Every
 * method takes the département; a name is reserved while its file is being
 * written, so that two writers never race for it.
 */
export class FileService {
  /** the names being written, by département and name ignoring case (reservedKey) */
  private readonly reserved = new Map<string, string>()
  /** the files being deleted (remove), by reservedKey, moved aside before their rows go: a download meanwhile finds nothing, it is not a file lost */
  private readonly removing = new Set<string>()
  /** each département's whole list as the pages show it, dropped when one of its files comes or goes (the API reads pages: `page`) */
  private readonly lists = new Map<string, FileView[]>()
  /** the pages already read, by département and query, oldest first; a département's dropped with its list */
  private readonly pages = new Map<string, { departement: string, page: ListPage }>()
  private keptFiles = 0
  /** files the purge leaves past their retention, while these say they are still needed (the answer an open qualification cites) */
  private readonly spared: ((f: StoredFile) => boolean)[] = []

  constructor (readonly storage: Storage, readonly trail: AuditTrail, private readonly options: FileServiceOptions) {}

  /** where deposits get their bytes (a small file on the event loop, a large one on helper threads) */
  get pecgm (): PecgmThreads {
    return (this.options.pecgm ??= new PecgmThreads({ minRecords: Infinity }))
  }

  get now (): number {
    return this.options.now()
  }

  /** The zone of the exchange's days: Paris, or the fixed offset a --now carried. */
  get zone (): Zone {
    return this.options.zone?.() ?? 'Europe/Paris'
  }

  /** Shared between requests: not to be modified. */
  list (departement: string): FileView[] {
    let list = this.lists.get(departement)
    if (list === undefined) {
      list = this.storage.files.list(departement).map((f) => this.view(f))
      this.lists.set(departement, list)
    }
    return list
  }

  /**
   * A page of the département's list and the cursor of the next one, read
   * from the database (its cost is the page's) the first time it is asked
   * for, then from memory until one of the département's files comes or
   * goes. Shared between requests: not to be modified.
   */
  page (departement: string, q: ListQuery): ListPage {
    const key = pageKey(departement, q)
    const kept = this.pages.get(key)
    if (kept !== undefined) return kept.page
    const { files, more } = this.storage.files.page(departement, q)
    const last = files.at(-1)
    const page = { files: files.map((f) => this.view(f)), next: more && last !== undefined ? encodeCursor(last) : null }
    this.keep(key, departement, page)
    return page
  }

  private keep (key: string, departement: string, page: ListPage): void {
    for (const [oldest, { page: p }] of this.pages) {
      if (this.pages.size < KEPT_PAGES && this.keptFiles + page.files.length <= KEPT_PAGE_FILES) break
      this.pages.delete(oldest)
      this.keptFiles -= p.files.length
    }
    this.pages.set(key, { departement, page })
    this.keptFiles += page.files.length
  }

  find (departement: string, name: string): StoredFile | null {
    return this.storage.files.find(departement, name)
  }

  /**
   * The file, opened (before the answer starts, so that a missing file fails
   * as an error, not mid-answer). A file taken away from the data folder
   * while the server runs (by hand, outside phebus-mock), or of another size
   * than recorded, is forgotten as start-up forgets it (reconcile.ts): its row
   * deleted, what is left on disk removed, a line in the trail; the caller
   * gets 410 PHEBUS_FILE_GONE, where it got an internal error, and the list
   * no longer shows it.
   */
  async open (file: StoredFile): Promise<FileHandle> {
    let fh: FileHandle
    try {
      fh = await open(this.storage.store.pathOf(file.departement, file.name), 'r')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
      throw await this.forgetLost(file, 'absent du disque')
    }
    const { size } = await fh.stat()
    if (size === file.size) return fh
    await fh.close()
    throw await this.forgetLost(file, `de ${size} octets sur le disque au lieu des ${file.size} enregistrés`)
  }

  private async forgetLost (file: StoredFile, why: string): Promise<ServerError> {
    if (this.removing.has(reservedKey(file.departement, file.name))) return new ServerError('PHEBUS_HTTP_NOT_FOUND')
    // another request may have forgotten it meanwhile: once only, traced once
    if (this.storage.files.find(file.departement, file.name) !== null) {
      this.storage.files.delete([file])
      this.forgetLists(file.departement)
      await this.storage.store.remove(file.departement, file.name)
      this.trail.record(systemEntry(this.options.now(), 'reconcile', file.departement, file.name, file.sha256, file.size,
        `fichier ${why} (retiré ou changé hors de phebus-mock) : enregistrement supprimé`))
    }
    return new ServerError('PHEBUS_FILE_GONE', `Le fichier ${file.name} n'est plus sur le serveur : il a été retiré ou modifié dans le dossier de données, hors de phebus-mock. Il ne figure plus dans la liste de vos fichiers.`)
  }

  report (departement: string, id: string): ReportView | null {
    const r = this.storage.files.report(departement, id)
    return r === null ? null : reportView(r)
  }

  /** The report as stored (its JSON not read): see reportJson. */
  storedReport (departement: string, id: string): StoredReport | null {
    return this.storage.files.report(departement, id)
  }

  /**
   * The file `name` would be confused with: one of the département's, or
   * one being written, whose name is the same ignoring ASCII case (a disk
   * that ignores case would make them one file); null when the name is free.
   */
  holder (departement: string, name: string): { name: string, writing: boolean } | null {
    const writing = this.reserved.get(reservedKey(departement, name))
    if (writing !== undefined) return { name: writing, writing: true }
    const stored = this.storage.files.findIgnoringCase(departement, name)
    return stored === null ? null : { name: stored.name, writing: false }
  }

  /** Takes a name for a file about to be written; null when it, or a name the same ignoring case, is used or being written (holder() says which). */
  reserve (departement: string, name: string): (() => void) | null {
    if (this.holder(departement, name) !== null) return null
    const key = reservedKey(departement, name)
    this.reserved.set(key, name)
    return () => { this.reserved.delete(key) }
  }

  /**
   * Renames a written file into place, then records it (and its report, and
   * what `also` records of it: the qualification's record of an upload or of
   * an answer) in one transaction. When the record cannot be written (a full
   * disk), the file is taken back out: never a file without its row, nor a
   * row without the others.
   */
  async commit (temp: Pick<IncomingFile, 'commit'>, file: Omit<StoredFile, 'size' | 'sha256'>, report: StoredReport | null, also?: (file: StoredFile) => void): Promise<StoredFile> {
    const { sha256, size } = await temp.commit(file.departement, file.name)
    const stored: StoredFile = { ...file, size, sha256 }
    try {
      this.storage.files.insert(stored, report, also)
    } catch (err) {
      await this.storage.store.remove(file.departement, file.name).catch(() => {})
      throw err
    }
    this.forgetLists(stored.departement)
    return stored
  }

  /**
   * Deletes files whole or not at all: each is first moved aside (into tmp/,
   * FileStore#setAside), then their rows are deleted, then what was moved
   * aside goes. A folder that refuses the move (read-only) or a database that
   * refuses the deletion leaves every file listed and in place; a crash
   * between the steps leaves rows without their files, which start-up
   * forgets, and files in tmp/, which it drops. Each file is traced as a purge
   * with `why` when given (a request is traced by itself).
   */
  async remove (files: readonly StoredFile[], why: ((f: StoredFile) => string) | null): Promise<void> {
    if (files.length === 0) return
    const aside: { file: StoredFile, path: string | null }[] = []
    const keys = files.map((f) => reservedKey(f.departement, f.name))
    for (const key of keys) this.removing.add(key)
    try {
      for (const file of files) aside.push({ file, path: await this.storage.store.setAside(file.departement, file.name) })
      this.storage.files.delete(files)
    } catch (err) {
      for (const { file, path } of aside) {
        if (path !== null) await this.storage.store.putBack(path, file.departement, file.name).catch(() => {})
      }
      throw err
    } finally {
      for (const key of keys) this.removing.delete(key)
    }
    for (const f of files) this.forgetLists(f.departement)
    const now = this.options.now()
    for (const { file, path } of aside) {
      if (path !== null) await this.storage.store.drop(path)
      if (why !== null) this.trail.record(systemEntry(now, 'purge', file.departement, file.name, file.sha256, file.size, why(file)))
    }
  }

  /** The département's list changed: its list and pages are read again. */
  private forgetLists (departement: string): void {
    this.lists.delete(departement)
    for (const [key, kept] of this.pages) {
      if (kept.departement !== departement) continue
      this.pages.delete(key)
      this.keptFiles -= kept.page.files.length
    }
  }

  /** Keeps the `keep` latest answer PECGMs of a département, and those in `spare` (the ones a qualification still needs). */
  async dropOldAnswers (departement: string, keep: number, spare: ReadonlySet<string>): Promise<void> {
    const excess = this.storage.files.usage(departement).answers - keep
    if (excess <= 0) return
    const old = this.storage.files.oldestAnswers(departement, excess + spare.size).filter((f) => !spare.has(f.name)).slice(0, excess)
    await this.remove(old, () => `réponse remplacée : au plus ${keep} PECGM de réponse gardés par département`)
  }

  /** When a file goes, by its kind and its deposit (or upload) time: a file already kept, or one about to be. */
  expiresAt (f: Pick<StoredFile, 'kind' | 'status' | 'periodicity' | 'createdAt'>): number {
    const r = this.options.retention
    return addDuration(f.createdAt, f.kind === 'CGPEM' ? (f.status === 'rejected' ? r.rejected : r.upload) : f.periodicity === 'Q' ? r.daily : r.monthly, this.zone)
  }

  view (f: StoredFile): FileView {
    const v: FileView = {
      name: f.name,
      kind: f.kind,
      periodicity: f.periodicity,
      size: f.size,
      sha256: f.sha256,
      createdAt: new Date(f.createdAt).toISOString(),
      expiresAt: new Date(this.expiresAt(f)).toISOString()
    }
    if (f.status !== null) v.status = f.status
    if (f.reportId !== null) v.reportId = f.reportId
    if (f.kind === 'PECGM') v.role = f.answer ? 'answer' : f.periodicity === 'Q' ? 'flux' : 'stock'
    return v
  }

  /** A département's files as the admin sees them (their damage and repair too), oldest first: one read of the database. */
  adminList (departement: string): AdminFileView[] {
    return this.storage.files.list(departement).map((f) => this.adminView(f))
  }

  adminView (f: StoredFile): AdminFileView {
    return { ...this.view(f), damage: f.damage ?? null, damageDetail: f.damageDetail ?? null, repairedBy: f.repairedBy ?? null }
  }

  /** Another rule that keeps an expired file from the purge, as long as it says so. */
  spare (keep: (f: StoredFile) => boolean): void {
    this.spared.push(keep)
  }

  /** Deletes the files past their retention, but those a rule spares (spare). */
  async purgeExpired (): Promise<StoredFile[]> {
    const now = this.options.now()
    const expired = this.storage.files.all().filter((f) => this.expiresAt(f) <= now && !this.spared.some((keep) => keep(f)))
    await this.remove(expired, (f) => `expiré le ${new Date(this.expiresAt(f)).toISOString()}`)
    this.trail.record(systemEntry(now, 'purge', null, null, null, null, `${expired.length} fichier(s) supprimé(s)`))
    return expired
  }
}

/** A name being written, as its département's names are kept apart: ignoring ASCII case. */
function reservedKey (departement: string, name: string): string {
  return `${departement}/${fileNameKey(name)}`
}

/** A département's page as one string: its parts told apart (only the last, a cursor's name, may hold anything). */
function pageKey (departement: string, q: ListQuery): string {
  return `${departement}\0${q.kind ?? ''}\0${q.since ?? ''}\0${q.limit}\0${q.after === null ? '' : `${q.after.createdAt}\0${q.after.name}`}`
}

export function reportView (r: StoredReport): ReportView {
  return { id: r.id, fileName: r.fileName, createdAt: new Date(r.createdAt).toISOString(), ...(JSON.parse(r.body) as ValidationReport) }
}

/**
 * The same report as JSON text, made from the stored JSON without reading
 * it: what the API answers. A report of a thousand findings is 300 kB, which
 * JSON.parse then the route's serializer took 3 ms of the event loop to turn
 * into the same text again, for every upload and every reading of it.
 */
export function reportJson (r: StoredReport): string {
  const head = `{"id":${JSON.stringify(r.id)},"fileName":${JSON.stringify(r.fileName)},"createdAt":"${new Date(r.createdAt).toISOString()}"`
  return r.body === '{}' ? `${head}}` : `${head},${r.body.slice(1)}`
}

/** A trail entry for something the server did by itself (deposit, purge…). */
export function systemEntry (at: number, kind: AuditEntry['kind'], departement: string | null, fileName: string | null, sha256: string | null, bytes: number | null, detail: string | null): AuditEntry {
  return { at, kind, username: null, address: null, method: null, route: null, path: null, fileName, status: null, bytesIn: null, bytesOut: bytes, durationMs: null, sha256, departement, detail, requestId: null }
}
