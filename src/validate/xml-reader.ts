import { CGPEM_FIELDS, CGPEM_RECORD, CGPEM_ROOT } from '../layouts/cgpem.js'
import type { FindingCode } from './codes.js'
import type { FieldSeen, RecordChecker, RecordSeen } from './record.js'
import type { Finding, ReportBuilder } from './report.js'
import { reportByteFinding, type ByteScanner } from './bytes.js'
import { FastSaxesParser } from './saxes-parser.js'
import { translateSaxesError } from './saxes-messages.js'
import { allowedAttribute, fieldIndex, firstNonBlank, isBlankText } from './xml-rules.js'

/**
 * The XML form: saxes checks well-formedness, this reader checks the
 * structure against CGPEM_FIELDS and hands each ORIENTATION to the record
 * checks. saxes keeps text, comments and DTDs in memory until their end, so
 * the reader feeds it in slices and stops it (a fatal finding) when a run
 * without any event, or the nesting, goes far beyond what a CGPEM holds.
 * After a fatal finding the reader ignores the rest; the byte checks go on.
 */

/** A CGPEM is three levels deep. */
export const MAX_DEPTH = 16
/** Characters without a parser event: text, a comment, a tag. Far above any field (90). */
export const MAX_RUN = 65_536
/** saxes gets the text in slices, so that a run is caught within MAX_RUN + SLICE characters. */
const SLICE = 65_536
/** Beginning of a value kept for the checks; its true length is counted apart. */
const VALUE_KEEP = 256

/** Thrown inside saxes' handlers to stop it at once; never leaves the reader. */
class Stop extends Error {}

export class XmlReader {
  stopped = false
  records = 0
  private readonly parser = new FastSaxesParser()
  private readonly report: ReportBuilder
  private readonly checker: RecordChecker
  private readonly scanner: ByteScanner
  private depth = 0
  /** depth of an element whose content is ignored, 0 when none */
  private skipFrom = 0
  private sawDeclaration = false
  private sawRoot = false
  /** parser events so far, and characters given to saxes since the last slice that had one */
  private events = 0
  private sinceEvent = 0
  /** the orientation being read, null outside one; its objects are reused from one orientation to the next */
  private record: RecordSeen | null = null
  private readonly recordSlot: RecordSeen = { number: 0, line: 0, column: 0, fields: new Array(CGPEM_FIELDS.length).fill(undefined) }
  private readonly fieldSlots: FieldSeen[] = CGPEM_FIELDS.map(() => ({ value: '', length: 0, line: 0, column: 0, reported: false }))
  private lastField = -1
  private field = -1
  private value = ''
  private valueLength = 0
  private fieldLine = 0
  private fieldColumn = 0
  /** an element was found inside the field being read */
  private fieldSpoiled = false
  /** where the last tag ended: text that follows starts there */
  private endLine = 1
  private endColumn = 0

  constructor (report: ReportBuilder, checker: RecordChecker, scanner: ByteScanner) {
    this.report = report
    this.checker = checker
    this.scanner = scanner
    const p = this.parser
    p.on('xmldecl', (decl) => { this.onDeclaration(decl.encoding) })
    p.on('doctype', (text) => { this.onDoctype(text) })
    p.on('opentagstart', (tag) => { this.onOpenStart(tag.name) })
    p.on('opentag', (tag) => { this.onOpen(tag.attributes as Record<string, string>) })
    p.on('closetag', () => { this.onClose() })
    p.on('text', (t) => { this.onText(t) })
    p.on('cdata', (t) => { this.onText(t) })
    p.on('comment', () => { this.progress() })
    p.on('processinginstruction', () => { this.progress() })
    p.on('error', (err) => { this.fatal('CGPEM_XML_MALFORMED', translateSaxesError(err.message)) })
  }

  write (text: string): void {
    if (this.stopped) return
    const p = this.parser
    try {
      for (let at = 0; at < text.length && !this.stopped; at += SLICE) {
        const events = this.events
        const slice = at === 0 && text.length <= SLICE ? text : text.slice(at, at + SLICE)
        p.write(slice)
        this.sinceEvent = this.events === events ? this.sinceEvent + slice.length : 0
        if (this.sinceEvent > MAX_RUN) {
          this.fatal('CGPEM_XML_TOKEN_TOO_LONG', `plus de ${MAX_RUN} caractères sans une balise : texte, commentaire ou balise démesuré (une zone en compte au plus 90)`)
        }
      }
    } catch (err) {
      if (!(err instanceof Stop)) throw err
    }
  }

  end (): void {
    if (!this.stopped) {
      try {
        this.parser.close()
      } catch (err) {
        if (!(err instanceof Stop)) throw err
      }
    }
    this.flushBytes(Infinity, 0)
    if (!this.stopped && !this.sawDeclaration && !this.sawRoot) this.missingDeclaration()
  }

  /** Hands the byte findings up to (line, column) to the report, in the orientation and field being read. */
  flushBytes (line: number, column: number): void {
    for (let b = this.scanner.next(line, column); b !== undefined; b = this.scanner.next(line, column)) {
      reportByteFinding(this.report, b, this.stopped ? 0 : this.record?.number ?? 0, this.stopped ? undefined : CGPEM_FIELDS[this.field]?.name)
    }
  }

  /** An event: counted for the run bound; byte findings before it go to the report (the queue stays short). */
  private progress (): void {
    this.events++
    if (this.scanner.pending.length !== 0) this.flushBytes(this.parser.line, this.column())
  }

  private markEnd (): void {
    this.endLine = this.parser.line
    this.endColumn = this.column()
  }

  private line (): number {
    return this.parser.line
  }

  /** saxes counts columns in characters; a dropped byte-order mark shifts line 1 by 3. */
  private column (offset = 0): number {
    const c = this.parser.column + offset
    return this.parser.line === 1 && this.scanner.bom ? c + 3 : c
  }

  private fatal (code: FindingCode, message: string): never {
    const line = this.line()
    const column = this.column()
    this.flushBytes(line, column)
    this.stopped = true
    this.report.add(code, `${message} (ligne ${line}, colonne ${column}). La lecture du XML s'arrête là.`, { line, column })
    throw new Stop()
  }

  private missingDeclaration (): void {
    this.report.add('CGPEM_XML_DECLARATION_MISSING', 'Le fichier ne commence pas par la déclaration <?xml version="1.0" encoding="ISO-8859-1"?> : sans elle, un fichier XML est lu en UTF-8.', { line: 1, column: 1, expected: '<?xml version="1.0" encoding="ISO-8859-1"?>' })
  }

  private onDeclaration (encoding: string | undefined): void {
    this.progress()
    this.sawDeclaration = true
    if (encoding !== undefined && encoding.toUpperCase() === 'ISO-8859-1') return
    const message = encoding === undefined
      ? 'La déclaration XML ne nomme pas d\'encodage : le fichier est alors lu en UTF-8. Écrire encoding="ISO-8859-1".'
      : `La déclaration XML nomme l'encodage ${encoding} ; un CGPEM est en ISO-8859-1.`
    const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line: this.line(), column: 1, expected: 'ISO-8859-1' }
    if (encoding !== undefined) where.value = encoding
    this.report.add('CGPEM_XML_ENCODING', message, where)
  }

  private onDoctype (text: string): void {
    const entities = /<!ENTITY/i.test(text)
    this.fatal('CGPEM_XML_DOCTYPE', `DOCTYPE${entities ? ' avec des déclarations d\'entités' : ''} : un CGPEM n'en a pas, il n'est pas interprété`)
  }

  private onOpenStart (name: string): void {
    const p = this.parser
    this.events++
    let line = p.line
    let column = this.column(-name.length - 1)
    if (column < 1) {
      line--
      column = 1
    }
    this.flushBytes(line, column)
    if (++this.depth > MAX_DEPTH) this.fatal('CGPEM_XML_TOO_DEEP', `plus de ${MAX_DEPTH} éléments imbriqués ; un CGPEM en a trois`)
    if (!this.sawRoot) {
      this.sawRoot = true
      if (!this.sawDeclaration) this.missingDeclaration()
    }
    if (this.skipFrom > 0) return
    switch (this.depth) {
      case 1:
        if (name !== CGPEM_ROOT) this.report.add('CGPEM_ROOT', `L'élément racine est ${name} ; il doit être ${CGPEM_ROOT}.`, { line, column, value: name, expected: CGPEM_ROOT })
        return
      case 2:
        if (name !== CGPEM_RECORD) return this.unknown(name, `${CGPEM_ROOT} ne contient que des éléments ${CGPEM_RECORD}`, line, column)
        this.records++
        this.record = this.recordSlot
        this.record.number = this.records
        this.record.line = line
        this.record.column = column
        this.record.fields.fill(undefined)
        this.lastField = -1
        return
      case 3:
        return this.openField(name, line, column)
      default:
        return this.unknown(name, `${CGPEM_FIELDS[this.field]?.name ?? 'une zone'} contient du texte, pas d'élément`, line, column)
    }
  }

  private openField (name: string, line: number, column: number): void {
    const rec = this.record as RecordSeen
    const i = fieldIndex(name)
    if (i === undefined) return this.unknown(name, `${CGPEM_RECORD} ne contient que les zones de la table (NIR, NOM_NAISSANCE…)`, line, column)
    if (rec.fields[i] !== undefined) {
      this.report.add('CGPEM_ELEMENT_REPEATED', `${name} apparaît une seconde fois dans l'orientation ; seule la première est lue.`, { line, column, record: rec.number, field: name })
      this.skipFrom = this.depth
      return
    }
    if (i < this.lastField) {
      const before = CGPEM_FIELDS[this.lastField]?.name ?? ''
      this.report.add('CGPEM_ELEMENT_ORDER', `${name} vient après ${before} ; l'ordre de la table place ${name} avant.`, { line, column, record: rec.number, field: name, expected: `${name} avant ${before}` })
    } else {
      this.lastField = i
    }
    this.field = i
    this.value = ''
    this.valueLength = 0
    this.fieldLine = line
    this.fieldColumn = column
    this.fieldSpoiled = false
  }

  private unknown (name: string, rule: string, line: number, column: number): void {
    const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line, column, value: name }
    this.context(where)
    if (this.depth > 3) this.fieldSpoiled = true
    this.report.add('CGPEM_ELEMENT_UNKNOWN', `Élément ${name} inattendu ici : ${rule}.`, where, true)
    this.skipFrom = this.depth
  }

  /** Adds the orientation and the field being read, when there are. */
  private context (where: Omit<Finding, 'code' | 'severity' | 'message'>): void {
    if (this.record !== null) where.record = this.record.number
    const field = CGPEM_FIELDS[this.field]
    if (field !== undefined) where.field = field.name
  }

  private onOpen (attributes: Record<string, string>): void {
    this.progress()
    this.markEnd()
    if (this.skipFrom > 0) return
    for (const name in attributes) {
      const value = attributes[name] ?? ''
      if (allowedAttribute(name, value)) continue
      const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line: this.line(), column: this.column(), value: name }
      this.context(where)
      this.report.add('CGPEM_ATTRIBUTE_UNEXPECTED', `Attribut ${name} inattendu : les éléments d'un CGPEM n'ont pas d'attribut.`, where, true)
    }
  }

  private onClose (): void {
    this.events++
    this.markEnd()
    this.flushBytes(this.endLine, this.endColumn)
    const depth = this.depth--
    if (this.skipFrom > 0) {
      if (depth === this.skipFrom) this.skipFrom = 0
      return
    }
    if (depth === 3 && this.field >= 0 && this.record !== null) {
      const slot = this.fieldSlots[this.field] as FieldSeen
      slot.value = this.value
      slot.length = this.valueLength
      slot.line = this.fieldLine
      slot.column = this.fieldColumn
      slot.reported = this.fieldSpoiled
      this.record.fields[this.field] = slot
      this.field = -1
      this.value = ''
    } else if (depth === 2 && this.record !== null) {
      this.closeRecord(this.record)
      this.record = null
    }
  }

  private closeRecord (rec: RecordSeen): void {
    if (this.lastField < 0) {
      this.report.add('CGPEM_ORIENTATION_EMPTY', `L'orientation ${rec.number} ne contient aucune zone.`, { line: rec.line, column: rec.column, record: rec.number })
      return
    }
    this.checker.check(rec)
  }

  private onText (t: string): void {
    this.progress()
    if (this.skipFrom > 0) return
    if (this.depth === 3 && this.field >= 0) {
      if (this.value.length < VALUE_KEEP) this.value += t.length > VALUE_KEEP ? t.slice(0, VALUE_KEEP) : t
      this.valueLength += t.length
      return
    }
    if ((this.depth === 1 || this.depth === 2) && !isBlankText(t)) this.unexpectedText(t)
  }

  /** Reports text where an element is expected, placed at its first non-blank character. */
  private unexpectedText (t: string): void {
    const { line, column, text } = firstNonBlank(t, this.line(), this.column(), this.endColumn)
    const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line, column, value: text }
    if (this.record !== null) where.record = this.record.number
    this.report.add('CGPEM_TEXT_UNEXPECTED', `Texte hors zone dans ${this.depth === 1 ? CGPEM_ROOT : CGPEM_RECORD} : seuls des éléments y sont permis.`, where)
  }
}
