import { CGPEM_FIELDS, CGPEM_RECORD, CGPEM_ROOT, type CgpemField } from '../layouts/cgpem.js'
import type { FindingCode } from './codes.js'
import type { FieldSeen, RecordChecker, RecordSeen } from './record.js'
import { maskedDigits, shownName, type Finding, type ReportBuilder } from './report.js'
import { reportByteFinding, SUBSTITUTE, type ByteScanner } from './bytes.js'
import { DECLARATION } from './cgpem-subset.js'
import { CgpemTokenizer, PIECE, SAFE_POINTS, type PlainOrientation, type SafePoint, type XmlSink } from './cgpem-tokenizer.js'
import { failureContext, newFastSaxesParser, type PositionedSaxesParser } from './saxes-parser.js'
import { translateSaxesError, type SaxesFailure } from './saxes-messages.js'
import { allowedAttribute, fieldIndex, firstNonBlank, isBlankText, XSI_NAMESPACE } from './xml-rules.js'
import { latin1Slice } from '../text/latin1.js'

/**
 * The XML form: this reader checks the structure against CGPEM_FIELDS and
 * hands each ORIENTATION to the record checks. Its events come from one of two
 * paths. The complete one is saxes, which checks well-formedness. The fast
 * one (cgpem-tokenizer.ts) reads the flat subset a CGPEM uses straight from
 * the bytes, and gives saxes the bytes since its last safe point the first
 * time it meets anything else; saxes then reads on to the end (takeOver).
 * Both give the same events at the same positions, so the same report.
 * saxes keeps text, comments and DTDs in memory until their end, so the
 * reader stops it (a fatal finding) when a run without any event, or the
 * nesting, goes far beyond what a CGPEM holds. After a fatal finding the
 * reader ignores the rest; the byte checks go on.
 */

/** How the XML is read: 'fast' (the tokenizer, saxes past the subset) or 'complete' (saxes throughout). */
export type ReadPath = 'fast' | 'complete'

/** A CGPEM is three levels deep. */
export const MAX_DEPTH = 16
/** Characters without a parser event: text, a comment, a tag. Far above any field (90). */
export const MAX_RUN = 65_536
/** saxes gets the text in slices, each cut where a run would pass MAX_RUN: a run is caught at its character MAX_RUN + 1, wherever chunks end. */
const SLICE = 65_536
/** What brings a fresh saxes parser to the state it has at each safe point of the fast path (whose declaration is the only one it reads). */
const DECLARATION_TEXT = DECLARATION.toString('latin1')
const PRIMERS: Readonly<Record<SafePoint, string>> = {
  [SAFE_POINTS.start]: '',
  [SAFE_POINTS.inRoot]: `${DECLARATION_TEXT}<${CGPEM_ROOT}>`,
  [SAFE_POINTS.afterRoot]: `${DECLARATION_TEXT}<${CGPEM_ROOT}></${CGPEM_ROOT}>`
}
/** The character saxes reads for a byte the byte checks reported. */
const SUBSTITUTE_CHAR = String.fromCharCode(SUBSTITUTE)
/** Beginning of a value kept for the checks; its true length is counted apart. */
const VALUE_KEEP = 256

/** Thrown inside saxes' handlers to stop it at once; never leaves the reader. */
class Stop extends Error {}

/** The other names of ISO-8859-1 (IANA's aliases, and the spellings programs write), lower-cased: refused, but said to be the same encoding. */
const LATIN1_ALIASES: ReadonlySet<string> = new Set(['latin1', 'latin-1', 'l1', 'iso_8859-1', 'iso_8859-1:1987', 'iso8859-1', 'iso88591', 'iso-8859-1:1987', 'iso-ir-100', 'ibm819', 'cp819', 'csisolatin1'])

export class XmlReader {
  stopped = false
  records = 0
  /** saxes, once it reads (from the start on the complete path) */
  private parser: PositionedSaxesParser | null = null
  private fast: CgpemTokenizer | null = null
  /** where the events happen: the tokenizer's position or saxes' */
  private pos: { readonly line: number, readonly column: number }
  private readonly report: ReportBuilder
  private readonly checker: RecordChecker
  private readonly scanner: ByteScanner
  private depth = 0
  /** the depth of the element that bound the prefix xsi to XSI's namespace, 0 when none in scope */
  private xsiScope = 0
  /** depth of an element whose content is ignored, 0 when none */
  private skipFrom = 0
  private sawDeclaration = false
  private sawRoot = false
  /** characters given to saxes, and its position at the last event */
  private fed = 0
  private eventAt = 0
  /** the orientation being read, null outside one; its objects are reused from one orientation to the next */
  private record: RecordSeen | null = null
  private readonly recordSlot: RecordSeen = { number: 0, line: 0, column: 0, fields: new Array(CGPEM_FIELDS.length).fill(undefined) }
  private readonly fieldSlots: FieldSeen[] = CGPEM_FIELDS.map(() => ({ value: '', length: 0, line: 0, column: 0, reported: false }))
  private lastField = -1
  /** the fields of the orientation being read, in the order they came, and where each opened: its order is judged at its end */
  private readonly arrival = new Int32Array(CGPEM_FIELDS.length)
  private readonly arrivalLine = new Int32Array(CGPEM_FIELDS.length)
  private readonly arrivalColumn = new Int32Array(CGPEM_FIELDS.length)
  private arrived = 0
  private disordered = false
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
  /** startPosition's answer */
  private startLine = 0
  private startColumn = 0

  constructor (report: ReportBuilder, checker: RecordChecker, scanner: ByteScanner, path: ReadPath = 'fast') {
    this.report = report
    this.checker = checker
    this.scanner = scanner
    if (path === 'fast') {
      this.fast = new CgpemTokenizer(this.sink())
      this.pos = this.fast
    } else {
      this.pos = this.startSaxes(SAFE_POINTS.start, 1, 0)
    }
  }

  /** The handlers, for the tokenizer. */
  private sink (): XmlSink {
    return {
      onPlainOrientation: (o) => this.onPlainOrientation(o),
      onDeclaration: (encoding) => { this.onDeclaration(encoding) },
      onOpenStart: (name) => { this.onOpenStart(name) },
      onOpen: (attributes) => { this.onOpen(attributes) },
      onClose: () => { this.onClose() },
      onText: (t) => { this.onText(t) },
      takeOver: (safe, line, column, bytes, cuts) => { this.takeOver(safe, line, column, bytes, cuts) }
    }
  }

  /** A saxes parser in the state it has at `safe`, at (line, column), its events going to this reader. */
  private startSaxes (safe: SafePoint, line: number, column: number): PositionedSaxesParser {
    const p = newFastSaxesParser()
    const primer = PRIMERS[safe]
    if (primer !== '') {
      p.write(primer) // no handler yet: no event
      p.line = line
      p.column = column
    }
    this.fed = primer.length
    this.eventAt = primer.length
    p.on('xmldecl', (decl) => { this.onDeclaration(decl.encoding, decl.version) })
    p.on('doctype', (text) => { this.onDoctype(text) })
    p.on('opentagstart', (tag) => { this.onOpenStart(tag.name) })
    p.on('opentag', (tag) => { this.onOpen(tag.attributes as Record<string, string>) })
    p.on('closetag', () => { this.onClose() })
    p.on('text', (t) => { this.onText(t) })
    p.on('cdata', (t) => { this.onText(t) })
    p.on('comment', () => { this.progress() })
    p.on('processinginstruction', () => { this.progress() })
    p.on('error', (err) => { this.fatal('CGPEM_XML_MALFORMED', maskedDigits(translateSaxesError(err.message, this.failure(p)))) })
    this.parser = p
    this.pos = p
    return p
  }

  /** Where saxes failed; a character it read that stands for a byte already reported (SUBSTITUTE) is not named: it is not the file's. */
  private failure (p: PositionedSaxesParser): SaxesFailure {
    const at = failureContext(p)
    if (at.seen === SUBSTITUTE_CHAR) delete at.seen
    return at
  }

  /** The fast path stops at a safe point: saxes reads on from there, beginning with the bytes held since. */
  private takeOver (safe: SafePoint, line: number, column: number, bytes: Buffer, cuts: readonly number[]): void {
    this.fast = null
    this.startSaxes(safe, line, column)
    let from = 0
    for (const cut of cuts) {
      this.write(latin1Slice(bytes, from, cut))
      from = cut
    }
    this.write(latin1Slice(bytes, from, bytes.length))
  }

  /** Bytes as the scanner hands them (one byte, one character). */
  writeBytes (buf: Buffer, start: number, end: number): void {
    if (!this.stopped) {
      const fast = this.fast
      if (fast === null) this.writeSaxes(buf, start, end)
      else {
        try {
          fast.push(buf, start, end)
        } catch (err) {
          if (!(err instanceof Stop)) throw err
        }
      }
    }
    if (this.stopped) this.flushBytes(Infinity, 0) // the rest of the file only gets byte checks
  }

  private writeSaxes (buf: Buffer, start: number, end: number): void {
    for (let at = start; at < end && !this.stopped; at += PIECE) this.write(latin1Slice(buf, at, Math.min(end, at + PIECE)))
  }

  private write (text: string): void {
    if (this.stopped) return
    const p = this.parser as PositionedSaxesParser
    try {
      for (let at = 0; at < text.length && !this.stopped;) {
        const n = Math.min(text.length - at, SLICE, this.eventAt + MAX_RUN + 1 - this.fed)
        p.write(at === 0 && n === text.length ? text : text.slice(at, at + n))
        at += n
        this.fed += n
        if (this.fed - this.eventAt > MAX_RUN) {
          this.fatal('CGPEM_XML_TOKEN_TOO_LONG', `plus de ${MAX_RUN} caractères sans une balise : texte, commentaire ou balise démesuré (une zone en compte au plus 90)`)
        }
      }
    } catch (err) {
      if (!(err instanceof Stop)) throw err
    }
  }

  end (): void {
    // the fast path ends a whole document itself; else saxes has taken over, and closes
    const read = this.stopped || (this.fast !== null && this.fast.end())
    if (!read && !this.stopped) {
      try {
        this.parser?.close()
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

  /** An event: marked for the run bound; byte findings before it go to the report (the queue stays short). */
  private progress (): void {
    this.event()
    if (this.scanner.pending.length !== 0) this.flushBytes(this.pos.line, this.column())
  }

  /** Where saxes' last event was (the fast path has no run to bound: it holds at most HOLD_LIMIT bytes). */
  private event (): void {
    if (this.parser !== null) this.eventAt = this.parser.position
  }

  private markEnd (): void {
    this.endLine = this.pos.line
    this.endColumn = this.column()
  }

  private line (): number {
    return this.pos.line
  }

  /**
   * Columns count characters, as saxes does. A byte-order mark is not given
   * to either path (the scanner drops it): line 1 counts after it, as the
   * byte findings (bytes.ts) and the fixed form do.
   */
  private column (offset = 0): number {
    return this.pos.column + offset
  }

  private fatal (code: FindingCode, message: string): never {
    const line = this.line()
    // saxes is at column 0 just after a line end (the end of a file that ends with one): columns count from 1
    const column = Math.max(1, this.column())
    this.flushBytes(line, column)
    this.stopped = true
    this.report.add(code, `${message} (ligne ${line}, colonne ${column}). La lecture du XML s'arrête là.`, { line, column })
    throw new Stop()
  }

  private missingDeclaration (): void {
    this.report.add('CGPEM_XML_DECLARATION_MISSING', 'Le fichier ne commence pas par la déclaration <?xml version="1.0" encoding="ISO-8859-1"?> : sans elle, un fichier XML est lu en UTF-8.', { line: 1, column: 1, expected: '<?xml version="1.0" encoding="ISO-8859-1"?>' })
  }

  /**
   * A plain orientation (cgpem-tokenizer.ts), read as its events would be
   * without them: none of those events reports anything when no byte finding
   * lies within it, the orientation opens where an element of the root is
   * expected and nothing is being skipped; else false, and the events come.
   */
  private onPlainOrientation (o: PlainOrientation): boolean {
    if (this.stopped || this.depth !== 1 || this.skipFrom !== 0 || this.record !== null) return false
    const endColumn = o.endColumn
    if (this.scanner.pendingUpTo(o.endLine, endColumn)) return false
    this.startPosition(o.line, o.column, CGPEM_RECORD.length)
    this.lastField = o.fields[o.count - 1] as number
    this.field = -1
    this.value = ''
    this.endLine = o.endLine
    this.endColumn = endColumn
    const bytes = o.bytes
    // the checks from the bytes when the orientation reports nothing, else from its strings
    if (bytes !== null && this.checker.checkBytes(this.records + 1, this.startLine, this.startColumn, bytes, o.fields, o.starts, o.ends, o.flags, o.count)) {
      this.records++
      return true
    }
    let unit = ''
    if (bytes !== null) unit = latin1Slice(bytes, o.starts[0] as number, o.ends[o.count - 1] as number)
    const rec = this.recordSlot
    rec.number = ++this.records
    rec.line = this.startLine
    rec.column = this.startColumn
    rec.fields.fill(undefined)
    for (let k = 0; k < o.count; k++) {
      const i = o.fields[k] as number
      const slot = this.fieldSlots[i] as FieldSeen
      const from = o.starts[0] as number
      const t = bytes === null ? o.values[k] as string : unit.slice((o.starts[k] as number) - from, (o.ends[k] as number) - from)
      this.startPosition(o.lines[k] as number, o.columns[k] as number, (CGPEM_FIELDS[i] as CgpemField).name.length)
      slot.value = t.length > VALUE_KEEP ? t.slice(0, VALUE_KEEP) : t
      slot.length = t.length
      slot.line = this.startLine
      slot.column = this.startColumn
      slot.reported = false
      rec.fields[i] = slot
    }
    this.closeRecord(rec)
    return true
  }

  /** Where a start tag's '<' is, from the position after its '>' (as onOpenStart finds it): in startLine and startColumn. */
  private startPosition (line: number, column: number, nameLength: number): void {
    let c = column - nameLength - 1
    let l = line
    if (c < 1) {
      l--
      c = 1
    }
    this.startLine = l
    this.startColumn = c
  }

  /** `version`: 1.0 on the fast path, which takes no other declaration; saxes reads 1.0 and 1.1 (its own error for any other). */
  private onDeclaration (encoding: string | undefined, version = '1.0'): void {
    this.progress()
    this.sawDeclaration = true
    if (version !== '1.0') {
      const shown = shownName(version)
      this.report.add('CGPEM_XML_VERSION', `La déclaration XML dit la version ${shown} : un CGPEM est en XML 1.0 et le déclare ainsi, version="1.0" ; un lecteur XML 1.0 (libxml2, celui de Pôle emploi peut-être) ne lit une version ${shown} qu'avec un avertissement, ou la refuse.`,
        { line: this.line(), column: 1, value: shown, expected: '1.0' }, true)
    }
    if (encoding !== undefined && encoding.toUpperCase() === 'ISO-8859-1') return
    const named = encoding === undefined ? undefined : shownName(encoding)
    const message = encoding === undefined
      ? 'La déclaration XML ne nomme pas d\'encodage : le fichier est alors lu en UTF-8. Écrire encoding="ISO-8859-1".'
      : LATIN1_ALIASES.has(encoding.toLowerCase())
        ? `La déclaration XML nomme l'encodage ${named}, un autre nom d'ISO-8859-1 que tous les lecteurs XML ne connaissent pas : un CGPEM le déclare sous ce nom exactement, encoding="ISO-8859-1".`
        : `La déclaration XML nomme l'encodage ${named} ; un CGPEM est en ISO-8859-1 et le déclare ainsi : encoding="ISO-8859-1".`
    const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line: this.line(), column: 1, expected: 'ISO-8859-1' }
    if (named !== undefined) where.value = named
    this.report.add('CGPEM_XML_ENCODING', message, where, true)
  }

  private onDoctype (text: string): void {
    const entities = /<!ENTITY/i.test(text)
    this.fatal('CGPEM_XML_DOCTYPE', `DOCTYPE${entities ? ' avec des déclarations d\'entités' : ''} : un CGPEM n'en a pas, il n'est pas interprété`)
  }

  private onOpenStart (name: string): void {
    this.event()
    let line = this.pos.line
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
        if (name !== CGPEM_ROOT) this.report.add('CGPEM_ROOT', `L'élément racine est ${shownName(name)} ; il doit être ${CGPEM_ROOT}.`, { line, column, value: shownName(name), expected: CGPEM_ROOT }, true)
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
        this.arrived = 0
        this.disordered = false
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
    // judged at the orientation's end (closeRecord), where the zones out of place are known
    if (i < this.lastField) this.disordered = true
    else this.lastField = i
    this.arrival[this.arrived] = i
    this.arrivalLine[this.arrived] = line
    this.arrivalColumn[this.arrived] = column
    this.arrived++
    this.field = i
    this.value = ''
    this.valueLength = 0
    this.fieldLine = line
    this.fieldColumn = column
    this.fieldSpoiled = false
  }

  private unknown (name: string, rule: string, line: number, column: number): void {
    const shown = shownName(name)
    const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line, column, value: shown }
    this.context(where)
    if (this.depth > 3) this.fieldSpoiled = true
    this.report.add('CGPEM_ELEMENT_UNKNOWN', `Élément ${shown} inattendu ici : ${rule}.`, where, true)
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
    // the prefix xsi bound to XSI's namespace here, or by an element around this one
    const declared = attributes['xmlns:xsi']
    if (declared === XSI_NAMESPACE && this.xsiScope === 0) this.xsiScope = this.depth
    const xsiBound = declared === undefined ? this.xsiScope > 0 : declared === XSI_NAMESPACE
    for (const name in attributes) {
      const value = attributes[name] ?? ''
      if (allowedAttribute(name, value, xsiBound)) continue
      const shown = shownName(name)
      const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line: this.line(), column: this.column(), value: shown }
      this.context(where)
      this.report.add('CGPEM_ATTRIBUTE_UNEXPECTED', `Attribut ${shown} inattendu : les éléments d'un CGPEM n'ont pas d'attribut.`, where, true)
    }
  }

  private onClose (): void {
    this.event()
    this.markEnd()
    this.flushBytes(this.endLine, this.endColumn)
    const depth = this.depth--
    if (depth === this.xsiScope) this.xsiScope = 0
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
    if (this.disordered) this.reportOrder(rec)
    this.checker.check(rec)
  }

  /**
   * The zones out of place in an orientation, each once: those outside the
   * longest run of its zones already in the table's order (the first such
   * run on a tie), as a schema validator names the one zone moved, where
   * each zone after it that the table places before was reported (a CODE_PE
   * moved up made three findings, none on CODE_PE).
   */
  private reportOrder (rec: RecordSeen): void {
    const n = this.arrived
    const seq = this.arrival
    // longest chain ending at each zone, and the zone before it in that chain (the earliest on a tie)
    const length = new Int32Array(n)
    const previous = new Int32Array(n).fill(-1)
    let end = 0
    for (let k = 0; k < n; k++) {
      length[k] = 1
      for (let j = 0; j < k; j++) {
        if ((seq[j] as number) < (seq[k] as number) && (length[j] as number) + 1 > (length[k] as number)) {
          length[k] = (length[j] as number) + 1
          previous[k] = j
        }
      }
      if ((length[k] as number) > (length[end] as number)) end = k
    }
    const inOrder = new Uint8Array(n)
    for (let k = end; k >= 0; k = previous[k] as number) inOrder[k] = 1
    for (let k = 0; k < n; k++) {
      if (inOrder[k] === 1) continue
      const i = seq[k] as number
      const name = (CGPEM_FIELDS[i] as CgpemField).name
      // where the table puts it: after the last zone in order that it follows there
      let after = -1
      for (let j = 0; j < n; j++) if (inOrder[j] === 1 && (seq[j] as number) < i && (seq[j] as number) > after) after = seq[j] as number
      const place = after < 0 ? 'en tête de l\'orientation' : `après ${(CGPEM_FIELDS[after] as CgpemField).name}`
      this.report.add('CGPEM_ELEMENT_ORDER', `${name} n'est pas à sa place : l'ordre de la table le place ${place}.`,
        { line: this.arrivalLine[k] as number, column: this.arrivalColumn[k] as number, record: rec.number, field: name, expected: `${name} ${place}` })
    }
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
    // text out of a zone is whatever the file wrote there, an identifier out of its tag included
    const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line, column, value: shownName(text) }
    if (this.record !== null) where.record = this.record.number
    this.report.add('CGPEM_TEXT_UNEXPECTED', `Texte hors zone dans ${this.depth === 1 ? CGPEM_ROOT : CGPEM_RECORD} : seuls des éléments y sont permis.`, where)
  }
}
