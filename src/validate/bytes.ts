import type { FindingCode } from './codes.js'
import type { Finding, ReportBuilder } from './report.js'
import { hex, windows1252Finding } from './windows-1252.js'

/**
 * The byte-level checks of decision D8, format-blind: a UTF-8 byte-order mark,
 * UTF-8 multi-byte sequences, bytes 0x80–0x9F (Windows-1252), control
 * characters. Positions are counted in bytes, lines end at LF, CR LF or CR
 * (as in XML). Each kind of problem is reported once per line.
 *
 * The scanner also hands over the bytes the readers parse as text, one
 * character per byte (ISO-8859-1), where every byte of a kind it reports
 * (a control character, a UTF-8 sequence, 0x80–0x9F) is replaced by
 * SUBSTITUTE: the XML parser keeps going, and a field holding one gets no
 * check of its own (holdsReportedByte): the same byte is not reported twice. A UTF-8 sequence
 * cut between two chunks is held back until the next chunk completes it.
 */

/** Stands for a byte already reported; 0x81 has no meaning even in Windows-1252, and XML 1.0 accepts it. */
export const SUBSTITUTE = 0x81

export interface ByteFinding {
  code: FindingCode
  line: number
  column: number
  message: string
  value: string
  expected?: string
}

const BYTE_CODES: readonly FindingCode[] = ['CGPEM_UTF8', 'CGPEM_WINDOWS_1252', 'CGPEM_CONTROL_CHAR']

/** True when the four bytes of `w` are all 0x20–0x7E (bit tricks: no high bit, no byte below 0x20, none equal to 0x7F). */
function isPrintableAsciiWord (w: number): boolean {
  const del = w ^ 0x7F7F7F7F
  return ((w & 0x80808080) | ((w - 0x20202020) & ~w & 0x80808080) | ((del - 0x01010101) & ~del & 0x80808080)) === 0
}

/** Length of the valid UTF-8 sequence starting at `i` (2–4), 0 when there is none, -1 when `end` cuts a valid start. */
export function utf8SequenceLength (buf: Uint8Array, i: number, end: number): number {
  const b = buf[i] ?? 0
  let n: number
  let lo = 0x80
  let hi = 0xBF
  if (b >= 0xC2 && b <= 0xDF) n = 2
  else if (b >= 0xE0 && b <= 0xEF) {
    n = 3
    if (b === 0xE0) lo = 0xA0
    else if (b === 0xED) hi = 0x9F
  } else if (b >= 0xF0 && b <= 0xF4) {
    n = 4
    if (b === 0xF0) lo = 0x90
    else if (b === 0xF4) hi = 0x8F
  } else return 0
  for (let k = 1; k < n; k++) {
    if (i + k >= end) return -1
    const c = buf[i + k] ?? 0
    if (k === 1 ? (c < lo || c > hi) : (c < 0x80 || c > 0xBF)) return 0
  }
  return n
}

function decodeUtf8 (buf: Uint8Array, i: number, n: number): string {
  return Buffer.from(buf.subarray(i, i + n)).toString('utf8')
}

export interface Scanned {
  buf: Buffer
  start: number
  end: number
}

/** Hands a byte finding to the report, with the orientation and the field it lies in when the reader knows them. */
export function reportByteFinding (report: ReportBuilder, b: ByteFinding, record: number, field: string | undefined): void {
  const where: Omit<Finding, 'code' | 'severity' | 'message'> = { line: b.line, column: b.column, value: b.value }
  if (record > 0) where.record = record
  // the mark is the file's, before any field
  if (field !== undefined && b.code !== 'CGPEM_UTF8_BOM') where.field = field
  if (b.expected !== undefined) where.expected = b.expected
  // its value says which byte it is (0x01, é, ’), never the field's value: not masked as an identifier would be
  report.add(b.code, b.message, where, true)
}

export class ByteScanner {
  /**
   * Findings not yet handed to the report, in file order: a reader takes
   * them (next) once it has read past them, and so knows their orientation.
   */
  readonly pending: ByteFinding[] = []
  private head = 0
  line = 1
  /** bytes before the current chunk */
  private offset = 0
  /** absolute offset of the first byte of the current line */
  private lineStart = 0
  /** absolute offset of the last CR seen, for CR LF */
  private lastCr = -2
  private carry: Buffer | null = null
  private readonly lastLine = new Int32Array(BYTE_CODES.length)

  /**
   * Scans a chunk and returns the bytes to read as text, bytes already
   * reported replaced (a copy then, never the caller's buffer): `buf` from
   * `start` to `end`. With `final`, nothing is held back.
   */
  scan (input: Buffer, final: boolean): Scanned {
    let buf = input
    if (this.carry !== null) {
      buf = input.length === 0 ? this.carry : Buffer.concat([this.carry, input])
      this.carry = null
    }
    let end = buf.length
    if (!final) end = this.holdBack(buf)
    let out: Buffer | null = null
    let start = 0
    // Four bytes at a time while they are all printable ASCII, the bulk of any CGPEM.
    const first = (4 - (buf.byteOffset & 3)) & 3
    const words = end > first ? new Int32Array(buf.buffer, buf.byteOffset + first, (end - first) >> 2) : new Int32Array(0)
    for (let i = 0; i < end; i++) {
      if (i >= first && ((i - first) & 3) === 0) {
        let k = (i - first) >> 2
        while (k < words.length && isPrintableAsciiWord(words[k] as number)) k++
        i = first + (k << 2)
        if (i >= end) break
      }
      const b = buf[i] as number
      if (b >= 0x20 && b < 0x7F) continue
      if (b === 0x0A) {
        if (this.lastCr !== this.offset + i - 1) this.line++
        this.lineStart = this.offset + i + 1
      } else if (b === 0x0D) {
        this.line++
        this.lastCr = this.offset + i
        this.lineStart = this.offset + i + 1
      } else if (b === 0x09 || (b >= 0xA0 && b < 0xC2) || b > 0xF4) {
        continue
      } else if (b < 0x20 || b === 0x7F) {
        if (this.firstOnLine(2)) this.report(2, i, `Caractère de contrôle 0x${hex(b)} : un CGPEM ne contient que du texte imprimable, des tabulations et des fins de ligne.`, `0x${hex(b)}`)
        out ??= Buffer.from(buf)
        out[i] = SUBSTITUTE
      } else if (b < 0xA0) {
        // every one stands as SUBSTITUTE in the text, reported or not (once a line): the field checks skip it
        out ??= Buffer.from(buf)
        out[i] = SUBSTITUTE
        if (this.firstOnLine(1)) this.reportWindows1252(i, b)
      } else {
        const n = utf8SequenceLength(buf, i, end)
        if (n <= 0) continue
        if (this.offset + i === 0 && b === 0xEF && buf[1] === 0xBB && buf[2] === 0xBF) {
          // dropped from the text the readers get: line 1 counts its columns after it, in every finding
          start = 3
          this.lineStart = 3
          this.pending.push({ code: 'CGPEM_UTF8_BOM', line: 1, column: 1, value: 'EF BB BF', expected: 'ISO-8859-1, sans marque', message: 'Le fichier commence par la marque d\'ordre des octets UTF-8 (EF BB BF) ; un CGPEM est en ISO-8859-1, sans marque (décision D8).' })
        } else {
          if (this.firstOnLine(0)) {
            const bytes = Array.from(buf.subarray(i, i + n), hex).join(' ')
            const ch = decodeUtf8(buf, i, n)
            this.report(0, i, `Séquence UTF-8 ${bytes} (« ${ch} ») : le fichier semble encodé en UTF-8 ; un CGPEM est en ISO-8859-1 (décision D8).`, ch, 'ISO-8859-1')
          }
          out ??= Buffer.from(buf)
          out.fill(SUBSTITUTE, i, i + n)
        }
        i += n - 1
      }
    }
    this.offset += end
    return { buf: out ?? buf, start, end }
  }

  /** The next pending finding at or before (line, column), or undefined. */
  next (line: number, column: number): ByteFinding | undefined {
    const q = this.pending
    if (this.head === q.length) {
      if (this.head !== 0) {
        q.length = 0
        this.head = 0
      }
      return undefined
    }
    const b = q[this.head] as ByteFinding
    if (b.line > line || (b.line === line && b.column > column)) return undefined
    this.head++
    return b
  }

  /** True when the next pending finding is at or before (line, column): next() would give it. */
  pendingUpTo (line: number, column: number): boolean {
    const b = this.pending[this.head]
    return b !== undefined && (b.line < line || (b.line === line && b.column <= column))
  }

  /** Keeps back a UTF-8 sequence that the chunk's end cuts (at most 3 bytes); returns where scanning stops. */
  private holdBack (buf: Buffer): number {
    for (let p = buf.length - 1; p >= 0 && p >= buf.length - 3; p--) {
      const b = buf[p] as number
      if (b >= 0xC2 && b <= 0xF4) {
        if (utf8SequenceLength(buf, p, buf.length) === -1) {
          this.carry = Buffer.from(buf.subarray(p))
          return p
        }
        return buf.length
      }
      if (b < 0x80 || b > 0xBF) return buf.length
    }
    return buf.length
  }

  /** True the first time a kind of problem is met on the current line. */
  private firstOnLine (kind: number): boolean {
    if (this.lastLine[kind] === this.line) return false
    this.lastLine[kind] = this.line
    return true
  }

  /** A byte of 0x80–0x9F: its Windows-1252 character and what to write instead, or that it has none. */
  private reportWindows1252 (i: number, b: number): void {
    const f = windows1252Finding(b)
    this.report(1, i, f.message, f.value, f.expected)
  }

  private report (kind: number, i: number, message: string, value: string, expected?: string): void {
    const f: ByteFinding = { code: BYTE_CODES[kind] as FindingCode, line: this.line, column: this.offset + i - this.lineStart + 1, message, value }
    if (expected !== undefined) f.expected = expected
    this.pending.push(f)
  }
}
