import { CESSATION_RULES, DISPENSE_UNTIL } from '../../generators/rules.js'
import { compactFromDay } from '../layouts/dates.js'
import type { RecordLayout } from '../layouts/engine.js'
import { DEFAULT_PECGM_VERSION, PECGM_LAYOUTS, PECGM_RECORD_LENGTH, type PecgmLayouts } from '../layouts/pecgm.js'
import { findLineEnd, LINE_END_BYTES, PecgmReader, type PecgmChunkResult, type PecgmProblem, type PecgmProblemCode, type PecgmRecord } from '../layouts/pecgm-reader.js'
import type { FindingCode } from './codes.js'
import { todayAsNumber } from './fields.js'
import { holdsReportedByte, PecgmByteScanner } from './pecgm-bytes.js'
import { bomLength } from './pecgm-detect.js'
import { checkPecgmField, ruleOf, type PecgmRule } from './pecgm-fields.js'
import { NirIndex } from './pecgm-nirs.js'
import { DEFAULT_MAX_FINDINGS, ReportBuilder, type Finding, type ValidationReport } from './report.js'
import { frenchCount } from '../text/french.js'

/**
 * The PECGM validator: chunks of any size in, a report out, in flat memory
 * (but for 16 bytes per detail record to find repeated NIRs). PecgmReader
 * frames the records and checks types; PecgmByteScanner checks the raw
 * bytes; this puts both together record by record, in file order, and adds
 * the field rules (pecgm-fields.ts) and the rules across records. A record
 * is reported once the reader and the scanner are both done with it, so the
 * report does not depend on how the file is cut into chunks.
 */

export interface PecgmValidatorOptions {
  /** "today", as a day number (dates.ts): dates are checked against it */
  today: number
  /** findings kept in the report; all are counted (default 1000) */
  maxFindings?: number
}

type Where = Omit<Finding, 'code' | 'severity' | 'message'>

/** Bytes held before reading: a byte-order mark and what findLineEnd() reads. */
const HEAD_BYTES = 3 + LINE_END_BYTES
const E = 0x45
const F = 0x46
/** The last day a registration could begin dispensed of job search (a blank category), as SSAAMMJJ. */
const DISPENSE_LAST_DAY = compactFromDay(DISPENSE_UNTIL)
/** Problems PecgmReader only finds at the end: about the whole file. */
const AT_END: ReadonlySet<PecgmProblemCode> = new Set(['PECGM_EMPTY', 'PECGM_HEADER_MISSING', 'PECGM_FOOTER_MISSING'])
type FieldProblemCode = 'FIELD_NOT_NUMERIC' | 'FIELD_BAD_DATE' | 'FIELD_NOT_PRINTABLE'
/** The reader's problems as findings; FIELD_NOT_PRINTABLE is left to the byte checks, which say more. */
const CODES: Readonly<Record<Exclude<PecgmProblemCode, FieldProblemCode>, FindingCode>> = {
  PECGM_EMPTY: 'PECGM_EMPTY',
  PECGM_RECORD_LENGTH: 'PECGM_RECORD_LENGTH',
  PECGM_TERMINATOR: 'PECGM_TERMINATOR',
  PECGM_TRUNCATED: 'PECGM_TRUNCATED',
  PECGM_UNKNOWN_RECORD_TYPE: 'PECGM_UNKNOWN_RECORD_TYPE',
  PECGM_HEADER_MISSING: 'PECGM_HEADER_MISSING',
  PECGM_HEADER_NOT_FIRST: 'PECGM_HEADER_NOT_FIRST',
  PECGM_FOOTER_MISSING: 'PECGM_FOOTER_MISSING',
  PECGM_RECORD_AFTER_FOOTER: 'PECGM_RECORD_AFTER_FOOTER',
  PECGM_HEADER_FIELD: 'PECGM_HEADER_FIELD',
  PECGM_UNKNOWN_VERSION: 'PECGM_UNKNOWN_VERSION',
  PECGM_FOOTER_COUNT: 'PECGM_FOOTER_COUNT',
  PECGM_FOOTER_MISMATCH: 'PECGM_FOOTER_MISMATCH'
}
const FIELD_CODES: Readonly<Record<FieldProblemCode, FindingCode | null>> = { FIELD_NOT_NUMERIC: 'PECGM_FIELD_NOT_NUMERIC', FIELD_BAD_DATE: 'PECGM_DATE_INVALID', FIELD_NOT_PRINTABLE: null }

function isFieldProblem (code: PecgmProblemCode): code is FieldProblemCode {
  return code in FIELD_CODES
}

/** Each layout's rules, indexed like its fields. */
const RULES = new WeakMap<RecordLayout, ReadonlyArray<PecgmRule | null>>()

function rulesOf (layout: RecordLayout, type: PecgmRecord['type']): ReadonlyArray<PecgmRule | null> {
  let rules = RULES.get(layout)
  if (rules === undefined) {
    rules = layout.fields.map((f) => ruleOf(type, f))
    RULES.set(layout, rules)
  }
  return rules
}

/** The dates that end a registration. */
const ENDS = ['DATE_CESSATION_IDE', 'DATE_RADIATION'] as const
/** Each layout's date fields, in order. */
const DATES = new WeakMap<RecordLayout, readonly string[]>()

function datesOf (layout: RecordLayout): readonly string[] {
  let dates = DATES.get(layout)
  if (dates === undefined) {
    dates = layout.fields.filter((f) => f.type === 'D').map((f) => f.name)
    DATES.set(layout, dates)
  }
  return dates
}

export class PecgmValidator {
  private readonly report: ReportBuilder<'pecgm'>
  /** the integer SSAAMMJJ of the day of the check */
  private readonly today: number
  private readonly reader = new PecgmReader()
  private scanner: PecgmByteScanner | null = null
  /** the first bytes, held until the byte-order mark and the terminator are known */
  private head: Buffer[] = []
  private headBytes = 0
  private bytes = 0
  private ended = false
  private problems: PecgmProblem[] = []
  private pi = 0
  private records: PecgmRecord[] = []
  private ri = 0
  private layouts: PecgmLayouts = PECGM_LAYOUTS.get(DEFAULT_PECGM_VERSION) as PecgmLayouts
  private readonly nirs = new NirIndex()
  private details = 0
  /** records not read so far: of a wrong length, or of an unknown type */
  private unread = 0
  private periodicity = ''
  private footerRecord = 0
  /** the last record of the file, once the reader has ended */
  private finalRecord = 0
  /** the file ends in the middle of a record: its footer is cut off, not missing */
  private truncated = false
  private readonly flagged = new Set<string>()
  /** the header's fields that got a finding: the footer's discordance on one of them is not said again */
  private headerFlagged: ReadonlySet<string> = new Set()
  /** the later of the header's DATE_FABRICATION and DATE_REFERENCE as SSAAMMJJ (the file tells the people as of the later), 0 when one is unread or flagged: no detail date may follow it */
  private made = 0

  constructor (options: PecgmValidatorOptions) {
    const { today, maxFindings = DEFAULT_MAX_FINDINGS } = options
    if (!Number.isInteger(today)) throw new TypeError(`PecgmValidator: today must be a day number, got ${String(today)}`)
    if (!Number.isInteger(maxFindings) || maxFindings < 0) throw new RangeError(`PecgmValidator: maxFindings must be an integer ≥ 0, got ${String(maxFindings)}`)
    this.report = new ReportBuilder<'pecgm'>(maxFindings)
    this.today = todayAsNumber(today)
  }

  push (chunk: Uint8Array): void {
    if (this.ended) throw new Error('PecgmValidator: push() after end()')
    if (chunk.length === 0) return
    this.bytes += chunk.length
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (this.scanner !== null) {
      this.feed(buf, false)
      return
    }
    this.head.push(Buffer.from(buf))
    this.headBytes += buf.length
    if (this.headBytes >= HEAD_BYTES) this.start(false)
  }

  end (): ValidationReport<'pecgm'> {
    if (this.ended) throw new Error('PecgmValidator: end() called twice')
    this.ended = true
    if (this.scanner === null) this.start(true)
    else this.feed(Buffer.alloc(0), true)
    const last = this.reader.end()
    const atEnd = last.problems.filter((p) => AT_END.has(p.code))
    this.queue({ records: last.records, problems: last.problems.filter((p) => !AT_END.has(p.code)) })
    for (const x of [...this.problems.slice(this.pi), ...this.records.slice(this.ri)]) this.finalRecord = Math.max(this.finalRecord, x.record)
    this.process(Infinity)
    this.finish(atEnd, last.summary.header !== null, last.summary.footer !== null)
    return this.report.build('pecgm', this.bytes, this.details)
  }

  /** Skips a UTF-8 byte-order mark (reported), then reads the held bytes. */
  private start (final: boolean): void {
    const all = Buffer.concat(this.head)
    this.head = []
    const bom = bomLength(all)
    if (bom > 0) this.report.add('PECGM_UTF8_BOM', 'Le fichier commence par la marque d\'ordre des octets UTF-8 (EF BB BF) ; un PECGM est en ISO-8859-1, sans marque (décision D8). La suite est lue sans elle.', { line: 1, column: 1, value: 'EF BB BF', expected: 'ISO-8859-1, sans marque' })
    const body = all.subarray(bom)
    this.scanner = new PecgmByteScanner(findLineEnd(body))
    this.feed(body, final)
  }

  private feed (buf: Buffer, final: boolean): void {
    const scanner = this.scanner as PecgmByteScanner
    if (buf.length > 0) this.queue(this.reader.push(buf))
    scanner.scan(buf, final)
    if (!final) this.process(scanner.complete)
  }

  private queue (out: PecgmChunkResult): void {
    for (const p of out.problems) this.problems.push(p)
    for (const r of out.records) this.records.push(r)
  }

  /** Reports the records up to `limit`, in order, each with all it has. */
  private process (limit: number): void {
    for (;;) {
      const p = this.problems[this.pi]
      const r = this.records[this.ri]
      const next = Math.min(p?.record ?? Infinity, r?.record ?? Infinity)
      if (next === Infinity || next > limit) break
      const group: PecgmProblem[] = []
      for (let q = this.problems[this.pi]; q !== undefined && q.record === next; q = this.problems[++this.pi]) group.push(q)
      const rec = r !== undefined && r.record === next ? r : undefined
      if (rec !== undefined) this.ri++
      this.handle(next, group, rec)
    }
    if (this.pi === this.problems.length) {
      this.problems = []
      this.pi = 0
    }
    if (this.ri === this.records.length) {
      this.records = []
      this.ri = 0
    }
  }

  private handle (record: number, group: readonly PecgmProblem[], rec: PecgmRecord | undefined): void {
    const fieldProblems = new Map<string, PecgmProblem>()
    for (const p of group) if (p.field !== undefined && isFieldProblem(p.code) && FIELD_CODES[p.code] !== null) fieldProblems.set(p.field, p)
    this.frame(record, group, fieldProblems)
    if (rec?.type === 'E') this.layouts = PECGM_LAYOUTS.get(rec.values.VERSION ?? '') ?? this.layouts // as the reader reads it
    const layout = rec === undefined ? null : rec.type === 'E' ? this.layouts.header : rec.type === 'D' ? this.layouts.detail : this.layouts.footer
    const hits = this.bytesOf(record, layout)
    if (rec === undefined || layout === null) return
    if (rec.type === 'E') {
      this.periodicity = rec.values.PERIODICITE ?? ''
    } else if (rec.type === 'D') {
      this.details++
      const nir = rec.values.NIR ?? ''
      if (nir !== '') this.nirs.add(record, nir)
    } else {
      this.footerRecord = record
    }
    this.fields(rec, layout, fieldProblems, hits > 0)
    if (rec.type === 'E') {
      const flagged = new Set(this.flagged)
      for (const p of group) if (p.code === 'PECGM_HEADER_FIELD' && p.field !== undefined) flagged.add(p.field)
      this.headerFlagged = flagged
      const made = rec.values.DATE_FABRICATION ?? ''
      const reference = rec.values.DATE_REFERENCE ?? ''
      const read = !flagged.has('DATE_FABRICATION') && !flagged.has('DATE_REFERENCE') && /^[0-9]{8}$/.test(made) && /^[0-9]{8}$/.test(reference)
      this.made = read ? Math.max(Number(made), Number(reference)) : 0
    }
  }

  /** The reader's findings about the record as a whole. */
  private frame (record: number, group: readonly PecgmProblem[], fieldProblems: ReadonlyMap<string, PecgmProblem>): void {
    const length = group.find((p) => p.code === 'PECGM_RECORD_LENGTH')
    const terminator = group.find((p) => p.code === 'PECGM_TERMINATOR')
    const scanner = this.scanner as PecgmByteScanner
    const cut = length !== undefined && terminator !== undefined && record === this.finalRecord && scanner.lastByte !== scanner.separator && Number(length.value) < PECGM_RECORD_LENGTH
    for (const p of group) {
      const code = p.code
      if (isFieldProblem(code)) continue // with the fields
      const where = this.where(p)
      if (code === 'PECGM_UNKNOWN_RECORD_TYPE') this.unread++
      if (code === 'PECGM_RECORD_LENGTH' || code === 'PECGM_TRUNCATED') {
        this.unread++
        const n = Number(p.value)
        where.column = Math.min(n, PECGM_RECORD_LENGTH) + 1
        where.expected = `${PECGM_RECORD_LENGTH} caractères`
        if (cut || code === 'PECGM_TRUNCATED') {
          this.truncated = true
          const lost = this.footerRecord === 0 ? ', et l\'enregistrement fin manque' : ' après l\'enregistrement fin'
          this.report.add('PECGM_TRUNCATED', `Le dernier enregistrement est tronqué : ${frenchCount(n, 'octet')} au lieu de ${PECGM_RECORD_LENGTH}${cut ? ', sans fin de ligne' : ''} ; le fichier a été coupé${lost}.`, where)
          continue
        }
      } else if (code === 'PECGM_TERMINATOR') {
        if (cut) continue
        where.column = PECGM_RECORD_LENGTH + 1
      } else if (code === 'PECGM_HEADER_NOT_FIRST' && p.record === 1) {
        continue // the header is missing, or comes later: said then
      } else if (p.field !== undefined && fieldProblems.has(p.field)) {
        continue // the field's own finding says it
      } else if (code === 'PECGM_FOOTER_COUNT' && this.countExplained(p.value ?? '')) {
        continue
      } else if (code === 'PECGM_FOOTER_MISMATCH' && p.field !== undefined && this.headerFlagged.has(p.field)) {
        continue // the header's value is reported already: the footer differs from a wrong value
      }
      this.report.add(CODES[code], p.message, where)
    }
  }

  /** The footer's count matches once some of the records not read (reported already) are counted as details. */
  private countExplained (count: string): boolean {
    if (!/^[0-9]+$/.test(count)) return false
    const n = Number(count)
    return this.unread > 0 && n >= this.details && n <= this.details + this.unread
  }

  /** The byte findings of the record, with their field when the record is whole; returns how many. */
  private bytesOf (record: number, layout: RecordLayout | null): number {
    const scanner = this.scanner as PecgmByteScanner
    let n = 0
    for (let h = scanner.next(record); h !== undefined; h = scanner.next(record)) {
      n++
      const where: Where = { line: h.record, column: h.column, record: h.record, value: h.value }
      if (h.expected !== undefined) where.expected = h.expected
      const field = layout !== null && h.record === record ? layout.fields.find((f) => h.column >= f.from && h.column <= f.to) : undefined
      if (field !== undefined) where.field = field.name
      this.report.add(h.code, h.message, where)
    }
    return n
  }

  /** Each field in the layout's order: the reader's type finding or the field's rule, at most one; then the rules across fields. A field holding a byte the byte checks reported (`byteFindings`: the record has some) is left to them. */
  private fields (rec: PecgmRecord, layout: RecordLayout, fieldProblems: ReadonlyMap<string, PecgmProblem>, byteFindings: boolean): void {
    const rules = rulesOf(layout, rec.type)
    const flagged = this.flagged
    flagged.clear()
    layout.fields.forEach((field, i) => {
      const value = rec.values[field.name] ?? ''
      if (byteFindings && holdsReportedByte(value)) {
        flagged.add(field.name)
        return
      }
      const where: Where = { line: rec.line, column: field.from, record: rec.record, field: field.name }
      if (value !== '') where.value = value
      const p = fieldProblems.get(field.name)
      const code = p !== undefined && isFieldProblem(p.code) ? FIELD_CODES[p.code] : null
      if (p !== undefined && code !== null) {
        flagged.add(field.name)
        this.report.add(code, p.message, where)
        return
      }
      const rule = rules[i]
      const problem = rule === null || rule === undefined ? null : checkPecgmField(rule, field.name, value, this.today, field.from)
      if (problem === null) return
      flagged.add(field.name)
      if (problem.expected !== undefined) where.expected = problem.expected
      this.report.add(problem.code, problem.message, where)
    })
    if (rec.type === 'D') {
      this.pair(rec, layout, 'DATE_CESSATION_IDE', 'MOTIF_CESSATION_IDE', 'cessation')
      this.pair(rec, layout, 'DATE_RADIATION', 'MOTIF_RADIATION', 'radiation')
      this.oneEnd(rec, layout)
      this.msa(rec, layout)
      this.dateOrder(rec, layout)
      this.category(rec, layout)
    }
  }

  /** A value of the record not flagged by its own rule, '' otherwise. */
  private sound (rec: PecgmRecord, name: string): string {
    return this.flagged.has(name) ? '' : rec.values[name] ?? ''
  }

  private at (rec: PecgmRecord, layout: RecordLayout, field: string, expected: string): Where {
    const where: Where = { line: rec.line, column: layout.byName.get(field)?.from, record: rec.record, field, expected }
    const value = rec.values[field] ?? ''
    if (value !== '') where.value = value
    return where
  }

  /** Annexe 3 fills the cessation's fields or the radiation's, as the end's motif is one or the other: not both. */
  private oneEnd (rec: PecgmRecord, layout: RecordLayout): void {
    const cessation = this.sound(rec, 'DATE_CESSATION_IDE')
    const radiation = this.sound(rec, 'DATE_RADIATION')
    if (cessation === '' || radiation === '') return
    this.report.add('PECGM_END_BOTH', `DATE_CESSATION_IDE (${cessation}) et DATE_RADIATION (${radiation}) sont toutes deux renseignées : une inscription finit par une cessation ou par une radiation.`,
      this.at(rec, layout, 'DATE_RADIATION', 'une seule des deux dates renseignée'))
  }

  /** NUMERO_ALLOCATAIRE_MSA is « renseigné avec le NIR sur 13 c. » (Annexe 3). */
  private msa (rec: PecgmRecord, layout: RecordLayout): void {
    const msa = this.sound(rec, 'NUMERO_ALLOCATAIRE_MSA')
    const nir = this.sound(rec, 'NIR')
    if (msa === '' || nir === '' || msa === nir) return
    this.report.add('PECGM_MSA_NOT_NIR', 'NUMERO_ALLOCATAIRE_MSA diffère du NIR du détail ; l\'annexe 3 le renseigne avec le NIR sur 13 caractères.',
      this.at(rec, layout, 'NUMERO_ALLOCATAIRE_MSA', 'le NIR du détail, ou à blanc'))
  }

  /**
   * What Annexe 4 ties to the category: the cessation motifs 43 (« catégorie
   * 5 uniquement ») and 95 (« catégories 4 ou 5 »), and a blank category, a
   * dispensation of job search, which ended for registrations from 1 January
   * 2012 (« avant le 1er janvier 2012 »). The same rules as the generator's
   * (generators/rules.ts), their categories only: their eras are the
   * project's reading, not the convention's.
   */
  private category (rec: PecgmRecord, layout: RecordLayout): void {
    if (this.flagged.has('CODE_CATEGORIE_INSCRIPTION')) return
    const category = rec.values.CODE_CATEGORIE_INSCRIPTION ?? ''
    const said = category === '' ? 'à blanc (dispensé de recherche d\'emploi)' : `en catégorie ${category}`
    const motif = this.sound(rec, 'MOTIF_CESSATION_IDE')
    const only = motif === '' ? undefined : CESSATION_RULES.get(motif)?.categories
    if (only !== undefined && !only.includes(category)) {
      const categories = only.length === 1 ? `la catégorie ${only[0] ?? ''} uniquement` : `les catégories ${only.join(' ou ')}`
      this.report.add('PECGM_CATEGORY_INCOHERENT', `MOTIF_CESSATION_IDE ${motif} ne concerne que ${categories} (annexe 4) ; ce détail est ${said} (CODE_CATEGORIE_INSCRIPTION).`,
        this.at(rec, layout, 'MOTIF_CESSATION_IDE', `un motif de cessation d'un détail ${said}`))
    }
    const start = this.sound(rec, 'DATE_DEBUT_IDE')
    if (category === '' && start !== '' && start > DISPENSE_LAST_DAY) {
      this.report.add('PECGM_CATEGORY_INCOHERENT', `CODE_CATEGORIE_INSCRIPTION à blanc (dispense de recherche d'emploi) pour une inscription commencée le ${start} : l'annexe 4 ne la donne qu'aux inscriptions d'avant le 1er janvier 2012.`,
        this.at(rec, layout, 'CODE_CATEGORIE_INSCRIPTION', `une catégorie de 1 à 5 (inscription du ${start})`))
    }
  }

  /** Dates that can be: registered after birth, ended not before registering, none after the day the file was made; one finding a field. */
  private dateOrder (rec: PecgmRecord, layout: RecordLayout): void {
    const birth = this.sound(rec, 'DATE_NAISSANCE')
    const start = this.sound(rec, 'DATE_DEBUT_IDE')
    // the fields found out of order with another: their finding is that one
    let early = ''
    const add = (field: string, message: string, expected: string): void => {
      this.report.add('PECGM_DATE_ORDER', message, this.at(rec, layout, field, expected))
    }
    if (birth !== '' && start !== '' && Number(start) <= Number(birth)) {
      early = 'DATE_DEBUT_IDE'
      add('DATE_DEBUT_IDE', `DATE_DEBUT_IDE (${start}) ne suit pas DATE_NAISSANCE (${birth}).`, `après ${birth}`)
    }
    for (const end of ENDS) {
      const day = this.sound(rec, end)
      if (day !== '' && start !== '' && Number(day) < Number(start)) {
        early += ` ${end}`
        add(end, `${end} (${day}) précède DATE_DEBUT_IDE (${start}).`, `le ${start} ou après`)
      }
    }
    if (this.made === 0) return
    for (const name of datesOf(layout)) {
      const day = this.sound(rec, name)
      if (day !== '' && Number(day) > this.made && !early.includes(name)) add(name, `${name} (${day}) suit la date de l'entête (${this.made}, la plus tardive de DATE_FABRICATION et DATE_REFERENCE) : un fichier ne connaît pas de date après sa fabrication.`, `le ${this.made} ou avant`)
    }
  }

  /** A date and its motif go together. */
  private pair (rec: PecgmRecord, layout: RecordLayout, date: string, motif: string, what: string): void {
    if (this.flagged.has(date) || this.flagged.has(motif)) return
    const hasDate = (rec.values[date] ?? '') !== ''
    const hasMotif = (rec.values[motif] ?? '') !== ''
    if (hasDate === hasMotif) return
    const field = hasDate ? motif : date
    this.report.add('PECGM_END_INCOMPLETE', hasDate ? `${date} est donnée sans ${motif} : une ${what} a une date et un motif.` : `${motif} est donné sans ${date} : une ${what} a une date et un motif.`,
      { line: rec.line, column: layout.byName.get(field)?.from, record: rec.record, field, expected: `${date} et ${motif} tous deux renseignés, ou tous deux à blanc` })
  }

  /** What needs the whole file: the header and the footer, an empty stock, repeated NIRs. */
  private finish (atEnd: readonly PecgmProblem[], header: boolean, footer: boolean): void {
    const scanner = this.scanner as PecgmByteScanner
    for (const p of atEnd) {
      const code = p.code
      if (isFieldProblem(code)) continue
      // a header or footer of a wrong length is there, and reported already; a file cut short has lost its footer: said so
      if (code === 'PECGM_HEADER_MISSING' && scanner.firstByte === E) continue
      if (code === 'PECGM_FOOTER_MISSING' && (this.truncated || scanner.lastFirstByte === F)) continue
      const where: Where = p.record > 0 ? { line: p.line, record: p.record } : {}
      const empty = this.bytes === 0 ? 'Le fichier est vide (0 octet).' : `Le fichier ne contient que la marque UTF-8 (${this.bytes} octets).`
      this.report.add(CODES[code], code === 'PECGM_EMPTY' ? empty : p.message, where)
    }
    if (header && footer && this.details === 0 && this.unread === 0 && this.periodicity !== 'Q') {
      this.report.add('PECGM_NO_DETAIL', 'Le stock ne contient aucun enregistrement détail : accepté, mais un stock mensuel vide est inhabituel.', { line: this.footerRecord, record: this.footerRecord, field: 'NB_ENREGISTREMENTS' })
    }
    for (const r of this.nirs.repeats()) {
      this.report.add('PECGM_DUPLICATE_NIR', `même NIR que l'enregistrement ${r.first} ; une personne figure une fois par fichier.`, { line: r.record, column: 2, record: r.record, field: 'NIR', value: `${r.prefix}${'*'.repeat(10)}`, firstRecord: r.first })
    }
  }

  private where (p: PecgmProblem): Where {
    const where: Where = { line: p.line, record: p.record }
    if (p.column !== undefined) where.column = p.column
    if (p.field !== undefined) where.field = p.field
    if (p.value !== undefined && p.value !== '') where.value = p.value
    return where
  }
}
