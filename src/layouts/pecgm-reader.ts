import { decodeRecord, type RecordLayout } from './engine.js'
import { DEFAULT_PECGM_VERSION, PECGM_LAYOUTS, PECGM_RECORD_LENGTH, type PecgmLayouts } from './pecgm.js'
import { DEPARTEMENT_CODE } from './departements.js'
import { frenchCount } from '../text/french.js'

/**
 * The PECGM reader: a pure state machine. Bytes go in with push(), typed
 * records and positioned problems come out; a damaged file is described,
 * never thrown. The record terminator (D2) is found from the bytes.
 */

export type PecgmRecordType = 'E' | 'D' | 'F'
export type Terminator = 'LF' | 'CRLF' | 'none'
/** How a file's records are read: by a terminator of decision D2, or by CR alone, which D2 does not allow (said once, and read as written). */
export type LineEnd = Terminator | 'CR'

export interface PecgmRecord {
  /** 1-based line (= record number when records are back to back) */
  line: number
  /** 1-based position of the record in the file */
  record: number
  type: PecgmRecordType
  values: Record<string, string>
}

export type PecgmProblemCode =
  | 'PECGM_EMPTY' | 'PECGM_RECORD_LENGTH' | 'PECGM_TERMINATOR' | 'PECGM_TRUNCATED'
  | 'PECGM_UNKNOWN_RECORD_TYPE' | 'PECGM_HEADER_MISSING' | 'PECGM_HEADER_NOT_FIRST'
  | 'PECGM_FOOTER_MISSING' | 'PECGM_RECORD_AFTER_FOOTER' | 'PECGM_HEADER_FIELD'
  | 'PECGM_UNKNOWN_VERSION' | 'PECGM_FOOTER_COUNT' | 'PECGM_FOOTER_MISMATCH'
  | 'FIELD_NOT_NUMERIC' | 'FIELD_BAD_DATE' | 'FIELD_NOT_PRINTABLE'

export interface PecgmProblem {
  code: PecgmProblemCode
  line: number
  record: number
  field?: string
  column?: number
  value?: string
  message: string
}

export interface PecgmChunkResult {
  records: PecgmRecord[]
  problems: PecgmProblem[]
}

export interface PecgmSummary {
  terminator: LineEnd | null
  version: string | null
  details: number
  header: Record<string, string> | null
  footer: Record<string, string> | null
}

const LF = 0x0A
const CR = 0x0D
/** The first byte of a record: E (header), D (detail), F (footer). */
export const RECORD_TYPES: ReadonlySet<number> = new Set([0x45, 0x44, 0x46])

/** The bytes findLineEnd() reads: two records and their terminators. */
export const LINE_END_BYTES = 2 * (PECGM_RECORD_LENGTH + 2)

/**
 * How the records of a file are ended, from its first bytes (after a
 * byte-order mark): at least LINE_END_BYTES of them, or the whole file.
 * An LF within the first record and its terminator makes LF or CR LF;
 * else, records are back to back when the second begins where a first of
 * 1200 bytes ends (its type E, D or F there), or when nothing ends a line;
 * else the first record is too long, and the first LF (or, without one,
 * CR) says how lines end: a wrong length is then reported for that record
 * alone, not for every record of a file misread as back to back.
 */
export function findLineEnd (body: Uint8Array): LineEnd {
  const n = PECGM_RECORD_LENGTH
  const head = body.subarray(0, LINE_END_BYTES)
  const nl = head.indexOf(LF)
  if (nl !== -1 && nl <= n + 1) return nl > 0 && head[nl - 1] === CR ? 'CRLF' : 'LF'
  if (head.length <= n || RECORD_TYPES.has(head[n] as number)) return 'none'
  if (nl !== -1) return head[nl - 1] === CR ? 'CRLF' : 'LF'
  return head.indexOf(CR) !== -1 ? 'CR' : 'none'
}

export class PecgmReader {
  private pending: Buffer = Buffer.alloc(0)
  private terminator: LineEnd | null = null
  private layouts: PecgmLayouts
  private line = 0
  private recordNo = 0
  private details = 0
  private header: Record<string, string> | null = null
  private footer: Record<string, string> | null = null
  private version: string | null = null
  private bytes = 0

  constructor () {
    this.layouts = PECGM_LAYOUTS.get(DEFAULT_PECGM_VERSION) as PecgmLayouts
  }

  push (chunk: Buffer): PecgmChunkResult {
    const out: PecgmChunkResult = { records: [], problems: [] }
    this.bytes += chunk.length
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk])
    if (this.terminator === null && this.pending.length >= LINE_END_BYTES) this.terminator = findLineEnd(this.pending)
    if (this.terminator !== null) this.drain(out, false)
    return out
  }

  end (): PecgmChunkResult & { summary: PecgmSummary } {
    const out: PecgmChunkResult = { records: [], problems: [] }
    if (this.terminator === null && this.pending.length > 0) this.terminator = findLineEnd(this.pending)
    this.drain(out, true)
    if (this.bytes === 0) {
      out.problems.push({ code: 'PECGM_EMPTY', line: 0, record: 0, message: 'Le fichier est vide.' })
    } else {
      if (this.header === null) out.problems.push({ code: 'PECGM_HEADER_MISSING', line: 1, record: 1, message: 'Le fichier n\'a pas d\'enregistrement entête \'E\'.' })
      if (this.footer === null) out.problems.push({ code: 'PECGM_FOOTER_MISSING', line: this.line, record: this.recordNo, message: 'Le fichier n\'a pas d\'enregistrement fin \'F\'.' })
    }
    return {
      ...out,
      summary: { terminator: this.terminator, version: this.version, details: this.details, header: this.header, footer: this.footer }
    }
  }

  private drain (out: PecgmChunkResult, atEnd: boolean): void {
    let p = this.pending
    let pos = 0
    if (this.terminator === 'none') {
      while (p.length - pos >= PECGM_RECORD_LENGTH) {
        this.line++
        this.handleRecord(p, pos, PECGM_RECORD_LENGTH, out)
        pos += PECGM_RECORD_LENGTH
      }
      if (atEnd && p.length > pos) {
        this.line++
        this.recordNo++
        out.problems.push({ code: 'PECGM_TRUNCATED', line: this.line, record: this.recordNo, value: String(p.length - pos), message: `Le dernier enregistrement est tronqué : ${p.length - pos} octets au lieu de ${PECGM_RECORD_LENGTH}.` })
        pos = p.length
      }
    } else {
      const sep = this.terminator === 'CR' ? CR : LF
      for (;;) {
        const nl = p.indexOf(sep, pos)
        if (nl === -1) break
        this.line++
        let end = nl
        if (this.terminator === 'CR') {
          if (this.line === 1) out.problems.push({ code: 'PECGM_TERMINATOR', line: 1, record: 1, message: 'Les enregistrements finissent par CR seul ; la décision D2 admet LF, CR LF, ou des enregistrements de 1200 caractères mis bout à bout. Le fichier est lu ligne à ligne, aux CR.' })
        } else if (this.terminator === 'CRLF') {
          if (nl > pos && p[nl - 1] === CR) end = nl - 1
          else out.problems.push({ code: 'PECGM_TERMINATOR', line: this.line, record: this.recordNo + 1, message: `La ligne ${this.line} finit par LF seul, alors que le fichier utilise CRLF.` })
        } else if (nl > pos && p[nl - 1] === CR) {
          out.problems.push({ code: 'PECGM_TERMINATOR', line: this.line, record: this.recordNo + 1, message: `La ligne ${this.line} finit par CRLF, alors que le fichier utilise LF.` })
          end = nl - 1
        }
        this.handleRecord(p, pos, end - pos, out)
        pos = nl + 1
      }
      if (atEnd && p.length > pos) {
        this.line++
        // with CR alone, the terminator is said once already
        if (this.terminator !== 'CR') out.problems.push({ code: 'PECGM_TERMINATOR', line: this.line, record: this.recordNo + 1, message: `La dernière ligne (${this.line}) n'a pas de fin de ligne ${this.terminator}.` })
        this.handleRecord(p, pos, p.length - pos, out)
        pos = p.length
      }
    }
    p = p.subarray(pos)
    this.pending = p.length === 0 ? Buffer.alloc(0) : Buffer.from(p)
  }

  private handleRecord (p: Buffer, start: number, length: number, out: PecgmChunkResult): void {
    this.recordNo++
    const record = this.recordNo
    const line = this.line
    if (length !== PECGM_RECORD_LENGTH) {
      out.problems.push({ code: 'PECGM_RECORD_LENGTH', line, record, value: String(length), message: `L'enregistrement ${record} (ligne ${line}) fait ${frenchCount(length, 'caractère')} au lieu de ${PECGM_RECORD_LENGTH}.` })
      return
    }
    const type = String.fromCharCode(p[start] ?? 0x20)
    if (this.footer !== null) {
      out.problems.push({ code: 'PECGM_RECORD_AFTER_FOOTER', line, record, value: type, message: `L'enregistrement ${record} (ligne ${line}) suit l'enregistrement fin.` })
    }
    if (type === 'E') {
      if (record !== 1 || this.header !== null) out.problems.push({ code: 'PECGM_HEADER_NOT_FIRST', line, record, message: `Entête 'E' en enregistrement ${record} : il doit être le premier et le seul.` })
      this.readHeader(p, start, line, record, out)
      return
    }
    if (record === 1) out.problems.push({ code: 'PECGM_HEADER_NOT_FIRST', line, record, value: type, message: `Le premier enregistrement est de type '${type}' : l'entête 'E' doit venir en premier.` })
    if (type === 'D') {
      this.details++
      const values = this.decode(this.layouts.detail, p, start, line, record, out)
      out.records.push({ line, record, type: 'D', values })
    } else if (type === 'F') {
      const values = this.decode(this.layouts.footer, p, start, line, record, out)
      this.footer = values
      this.checkFooter(values, line, record, out)
      out.records.push({ line, record, type: 'F', values })
    } else {
      out.problems.push({ code: 'PECGM_UNKNOWN_RECORD_TYPE', line, record, column: 1, value: type, field: 'TYPE_ENREGISTREMENT', message: `Type d'enregistrement '${type}' inconnu en ligne ${line} : 'E', 'D' ou 'F' attendu.` })
    }
  }

  private readHeader (p: Buffer, start: number, line: number, record: number, out: PecgmChunkResult): void {
    const versionField = this.layouts.header.byName.get('VERSION')
    const version = versionField ? p.toString('latin1', start + versionField.offset, start + versionField.offset + versionField.length) : ''
    const known = PECGM_LAYOUTS.get(version)
    if (known) this.layouts = known
    else out.problems.push({ code: 'PECGM_UNKNOWN_VERSION', line, record, field: 'VERSION', column: versionField?.from, value: version, message: `Version « ${version} » inconnue : lu selon ${DEFAULT_PECGM_VERSION}.` })
    this.version = version
    const values = this.decode(this.layouts.header, p, start, line, record, out)
    this.header = values
    const expect: [string, (v: string) => boolean, string][] = [
      ['FICHIER', (v) => v === 'PECG', '\'PECG\' attendu'],
      ['PERIODICITE', (v) => v === 'M' || v === 'Q', '\'M\' ou \'Q\' attendu'],
      ['DEPARTEMENT', (v) => DEPARTEMENT_CODE.test(v), 'un code de département attendu (01 à 95, 2A, 2B, 971 à 976)'],
      ['DATE_REFERENCE', (v) => v !== '', 'une date attendue'],
      ['DATE_FABRICATION', (v) => v !== '', 'une date attendue']
    ]
    for (const [name, ok, what] of expect) {
      const v = values[name] ?? ''
      if (!ok(v)) out.problems.push({ code: 'PECGM_HEADER_FIELD', line, record, field: name, column: this.layouts.header.byName.get(name)?.from, value: v, message: `Entête : ${name} vaut « ${v} », ${what}.` })
    }
    out.records.push({ line, record, type: 'E', values })
  }

  private checkFooter (values: Record<string, string>, line: number, record: number, out: PecgmChunkResult): void {
    const count = values.NB_ENREGISTREMENTS ?? ''
    if (count === '' || Number(count) !== this.details) {
      out.problems.push({ code: 'PECGM_FOOTER_COUNT', line, record, field: 'NB_ENREGISTREMENTS', column: this.layouts.footer.byName.get('NB_ENREGISTREMENTS')?.from, value: count, message: count === '' ? `L'enregistrement fin ne donne pas son nombre de détails ; le fichier en contient ${this.details}.` : `L'enregistrement fin annonce ${count} détail(s), le fichier en contient ${this.details}.` })
    }
    for (const name of ['DEPARTEMENT', 'DATE_REFERENCE']) {
      if (this.header && values[name] !== this.header[name]) {
        out.problems.push({ code: 'PECGM_FOOTER_MISMATCH', line, record, field: name, column: this.layouts.footer.byName.get(name)?.from, value: values[name] ?? '', message: `Fin : ${name} vaut « ${values[name] ?? ''} », l'entête dit « ${this.header[name]} ».` })
      }
    }
  }

  private decode (layout: RecordLayout, p: Buffer, start: number, line: number, record: number, out: PecgmChunkResult): Record<string, string> {
    const { values, problems } = decodeRecord(layout, p, start)
    for (const pr of problems) out.problems.push({ ...pr, line, record })
    return values
  }
}

/** Reads a whole PECGM held in memory. */
export function readPecgm (data: Buffer): PecgmChunkResult & { summary: PecgmSummary } {
  const reader = new PecgmReader()
  const first = reader.push(data)
  const last = reader.end()
  return {
    records: [...first.records, ...last.records],
    problems: [...first.problems, ...last.problems],
    summary: last.summary
  }
}
