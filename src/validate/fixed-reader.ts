import { CGPEM_FIXED_LAYOUT } from '../layouts/cgpem.js'
import { reportByteFinding, type ByteScanner } from './bytes.js'
import type { FieldSeen, RecordChecker } from './record.js'
import type { Finding, ReportBuilder } from './report.js'
import { frenchCount } from '../text/french.js'

/**
 * The fixed-width form of decision D6: one orientation a line, each field of
 * CGPEM_FIXED_LAYOUT at its place, 382 characters, then LF (CR LF and CR are
 * read as line ends too, as in the byte checks). Reading follows decision D3:
 * A and AN fields lose their trailing spaces, a blank field is absent. Empty
 * lines at the end of the file are ignored; elsewhere they are short lines.
 * A line keeps at most one character more than the layout, so a file without
 * line ends is read in flat memory.
 */

const WIDTH = CGPEM_FIXED_LAYOUT.length

export class FixedReader {
  records = 0
  private readonly report: ReportBuilder
  private readonly checker: RecordChecker
  private readonly scanner: ByteScanner
  private line = 1
  private text = ''
  private length = 0
  /** the previous chunk ended with CR: a LF at the start of this one belongs to it */
  private afterCr = false
  /** the empty lines not yet reported (consecutive: a line with text reports them), as their first line and their count, not one entry each */
  private firstEmptyLine = 0
  private emptyLines = 0

  constructor (report: ReportBuilder, checker: RecordChecker, scanner: ByteScanner) {
    this.report = report
    this.checker = checker
    this.scanner = scanner
  }

  write (chunk: string): void {
    let start = 0
    if (this.afterCr && chunk.charCodeAt(0) === 0x0A) start = 1
    this.afterCr = false
    let nextCr = chunk.indexOf('\r', start)
    while (start < chunk.length) {
      if (nextCr >= 0 && nextCr < start) nextCr = chunk.indexOf('\r', start)
      let nl = chunk.indexOf('\n', start)
      let skip = 1
      if (nextCr >= 0 && (nl < 0 || nextCr < nl)) {
        if (nextCr + 1 === chunk.length) this.afterCr = true
        else if (chunk.charCodeAt(nextCr + 1) === 0x0A) skip = 2
        nl = nextCr
      }
      const stop = nl < 0 ? chunk.length : nl
      this.append(chunk, start, stop)
      if (nl < 0) return
      this.endLine()
      start = nl + skip
    }
  }

  end (): void {
    if (this.length > 0) this.endLine()
    this.flushBytes(Infinity, -1, false)
  }

  private append (chunk: string, from: number, to: number): void {
    const room = WIDTH + 1 - this.text.length
    if (room > 0) this.text += chunk.slice(from, Math.min(to, from + room))
    this.length += to - from
  }

  private endLine (): void {
    const line = this.line++
    const { text, length } = this
    this.text = ''
    this.length = 0
    if (length === 0) {
      if (this.emptyLines++ === 0) this.firstEmptyLine = line
      return
    }
    for (let k = 0; k < this.emptyLines; k++) this.badLength(this.firstEmptyLine + k, 0, 0)
    this.emptyLines = 0
    const record = ++this.records
    if (length !== WIDTH) {
      this.flushBytes(line, record, false)
      this.badLength(line, length, record)
      return
    }
    this.flushBytes(line, record, true)
    const fields: FieldSeen[] = CGPEM_FIXED_LAYOUT.fields.map((f) => {
      const raw = text.slice(f.offset, f.offset + f.length)
      const value = f.type === 'A' || f.type === 'AN' ? raw.replace(/ +$/, '') : raw
      return { value, length: value.length, line, column: f.from }
    })
    this.checker.check({ number: record, line, column: 1, fields })
  }

  private badLength (line: number, length: number, record: number): void {
    const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line, column: Math.min(length, WIDTH) + 1, value: String(length), expected: `${WIDTH} caractères` }
    if (record > 0) where.record = record
    this.report.add('CGPEM_FIXED_LINE_LENGTH', `La ligne fait ${frenchCount(length, 'caractère')} ; en largeur fixe, chaque orientation fait exactement ${WIDTH} caractères (décision D6).`, where)
  }

  /** Hands the byte findings up to `line` to the report, with their orientation and, on a whole line, their field. */
  private flushBytes (line: number, record: number, whole: boolean): void {
    for (let b = this.scanner.next(line, Infinity); b !== undefined; b = this.scanner.next(line, Infinity)) {
      const onLine = b.line === line
      const column = b.column
      const field = onLine && whole ? CGPEM_FIXED_LAYOUT.fields.find((f) => column >= f.from && column <= f.to)?.name : undefined
      reportByteFinding(this.report, b, onLine ? record : 0, field)
    }
  }
}
