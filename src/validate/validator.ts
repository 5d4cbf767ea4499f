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

/**
 * The encoding of a file in UTF-16 from its first two bytes: its mark (FF FE
 * little-endian, FE FF big-endian), or « < » beside a null byte, how an XML
 * file saved in UTF-16 without a mark begins. Null when they say nothing of it.
 */
function utf16Of (a: number, b: number): string | null {
  if (a === 0xFF && b === 0xFE) return 'UTF-16LE, marque FF FE'
  if (a === 0xFE && b === 0xFF) return 'UTF-16BE, marque FE FF'
  if (a === 0x3C && b === 0x00) return 'UTF-16LE sans marque : 3C 00'
  if (a === 0x00 && b === 0x3C) return 'UTF-16BE sans marque : 00 3C'
  return null
}

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
  /** the file's first byte, held until its second says whether the file is in UTF-16 (a chunk may hold one byte) */
  private first: number | null = null
  /** the file is in UTF-16: said once, the rest counted and not read (each of its null bytes would be a finding) */
  private utf16 = false

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
    const seen = this.bytes
    this.bytes += chunk.length
    if (this.utf16) return
    let buf = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength)
    if (seen < 2) {
      // the first two bytes of the file decide whether it is in UTF-16, before any is read
      if (seen === 0 && buf.length === 1) {
        this.first = buf[0] as number
        return
      }
      if (this.first !== null) buf = Buffer.concat([Buffer.of(this.first), buf])
      this.first = null
      const utf16 = utf16Of(buf[0] as number, buf[1] as number)
      if (utf16 !== null) {
        this.utf16 = true
        this.report.add('CGPEM_UTF16', `Le fichier est en UTF-16 (${utf16}), deux octets par caractère : un CGPEM est en ISO-8859-1 (décision D8). Réenregistrez-le en ISO-8859-1 (« Latin-1 ») ; le reste n'est pas lu.`, { line: 1, column: 1, value: utf16, expected: 'ISO-8859-1' }, true)
        return
      }
    }
    this.read(this.scanner.scan(buf, false))
  }

  end (): ValidationReport {
    if (this.ended) throw new Error('CgpemValidator: end() called twice')
    this.ended = true
    if (this.utf16) return this.report.build(null, this.bytes, 0)
    // a file of one byte: read now
    if (this.first !== null) this.read(this.scanner.scan(Buffer.of(this.first), false))
    this.read(this.scanner.scan(Buffer.alloc(0), true))
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
