import { ByteScanner, reportByteFinding, type Scanned } from './bytes.js'
import { FixedReader } from './fixed-reader.js'
import { RecordChecker, type OrientationBytes, type OrientationValues } from './record.js'
import { DEFAULT_MAX_FINDINGS, ReportBuilder, type FileFormat, type ValidationReport } from './report.js'
import { XmlReader, type ReadPath } from './xml-reader.js'

/**
 * The CGPEM validator: a state machine fed with chunks of any size, in flat
 * memory, that returns a report at the end. Bytes go through the byte checks
 * first, then to the reader of the form the content reveals (decision D6):
 * the first byte that is not white space is '<' for XML, anything else means
 * fixed-width lines. No stream, no I/O here: adapters are in stream.ts.
 */

export interface ValidatorOptions {
  /** "today", as a day number (dates.ts): dates are checked against it */
  today: number
  /** findings kept in the report; all are counted (default 1000) */
  maxFindings?: number
  /** told of each orientation read, with its values (the qualification matches them to its sample) */
  onOrientation?: (o: OrientationValues) => void
  /** with onOrientation: the orientations checked on their bytes (the common case) come here instead, without their strings made */
  onOrientationBytes?: OrientationBytes
  /** how XML is read (xml-reader.ts); the tests compare both, the default is 'fast' */
  path?: ReadPath
}

/** Leading white space held while the form is unknown; past it, the file is read as fixed-width. */
const DETECT_LIMIT = 65_536
/**
 * Bytes decoded into one string. Small strings are young-generation garbage
 * that the cheapest collections reclaim: a file's size never shows in memory.
 */
const PIECE = 65_536

/** White space that leaves the form undecided. */
function isBlankByte (c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0D || c === 0x0A
}

export class CgpemValidator {
  private readonly report: ReportBuilder
  private readonly scanner = new ByteScanner()
  private readonly checker: RecordChecker
  private reader: XmlReader | FixedReader | null = null
  private format: FileFormat | null = null
  private leading = ''
  private readonly path: ReadPath
  private bytes = 0
  private ended = false

  constructor (options: ValidatorOptions) {
    const { today, maxFindings = DEFAULT_MAX_FINDINGS, path = 'fast' } = options
    if (!Number.isInteger(today)) throw new TypeError(`CgpemValidator: today must be a day number, got ${String(today)}`)
    if (!Number.isInteger(maxFindings) || maxFindings < 0) throw new RangeError(`CgpemValidator: maxFindings must be an integer ≥ 0, got ${String(maxFindings)}`)
    if (path !== 'fast' && path !== 'complete') throw new RangeError(`CgpemValidator: path must be 'fast' or 'complete', got ${String(path)}`)
    this.path = path
    this.report = new ReportBuilder(maxFindings)
    this.checker = new RecordChecker(this.report, today)
    if (options.onOrientation) this.checker.onOrientation = options.onOrientation
    if (options.onOrientation && options.onOrientationBytes) this.checker.onOrientationBytes = options.onOrientationBytes
  }

  push (chunk: Uint8Array): void {
    if (this.ended) throw new Error('CgpemValidator: push() after end()')
    if (chunk.length === 0) return
    this.bytes += chunk.length
    const buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    this.read(this.scanner.scan(buf, false))
  }

  end (): ValidationReport {
    if (this.ended) throw new Error('CgpemValidator: end() called twice')
    this.read(this.scanner.scan(Buffer.alloc(0), true))
    this.ended = true
    const reader = this.reader
    if (reader === null) {
      this.report.add('CGPEM_EMPTY', this.bytes === 0 ? 'Le fichier est vide (0 octet).' : `Le fichier ne contient que des blancs (${this.bytes} octets).`, this.bytes === 0 ? {} : { line: 1, column: 1 })
      this.flushLeft()
      return this.report.build(null, this.bytes, 0)
    }
    reader.end()
    this.checker.finish()
    const stopped = reader instanceof XmlReader && reader.stopped
    if (reader.records === 0 && !stopped) this.report.add('CGPEM_NO_ORIENTATION', 'Le fichier ne contient aucune orientation.', {})
    return this.report.build(this.format, this.bytes, reader.records)
  }

  private read ({ buf, start, end }: Scanned): void {
    if (start >= end) return
    let reader = this.reader
    if (reader === null) {
      let first = start
      while (first < end && isBlankByte(buf[first] as number)) first++
      const blanks = this.leading.length + first - start
      if (first === end && blanks <= DETECT_LIMIT) {
        this.leading += buf.toString('latin1', start, end)
        return
      }
      reader = this.start(blanks <= DETECT_LIMIT && first < end && buf[first] === 0x3C ? 'xml' : 'fixed')
      if (this.leading !== '') {
        const leading = Buffer.from(this.leading, 'latin1')
        this.leading = ''
        if (reader instanceof XmlReader) reader.writeBytes(leading, 0, leading.length)
        else reader.write(leading.toString('latin1'))
      }
    }
    if (reader instanceof XmlReader) {
      reader.writeBytes(buf, start, end)
      return
    }
    for (let at = start; at < end; at += PIECE) reader.write(buf.toString('latin1', at, Math.min(end, at + PIECE)))
  }

  private start (format: FileFormat): XmlReader | FixedReader {
    this.format = format
    if (format === 'xml') {
      this.reader = new XmlReader(this.report, this.checker, this.scanner, this.path)
    } else {
      this.report.add('CGPEM_FORMAT_FIXED', 'Le fichier ne commence pas par « < » : il est lu en largeur fixe, une orientation de 382 caractères par ligne (décision D6).', { line: 1, column: 1 })
      this.reader = new FixedReader(this.report, this.checker, this.scanner)
    }
    return this.reader
  }

  /** Byte findings of a file too empty to have a form. */
  private flushLeft (): void {
    for (let b = this.scanner.next(Infinity, 0); b !== undefined; b = this.scanner.next(Infinity, 0)) reportByteFinding(this.report, b, 0, undefined)
  }
}
