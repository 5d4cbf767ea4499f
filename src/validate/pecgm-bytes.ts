import { PECGM_RECORD_LENGTH } from '../layouts/pecgm.js'
import type { LineEnd } from '../layouts/pecgm-reader.js'
import { utf8SequenceLength } from './bytes.js'
import { hex, windows1252Finding } from './windows-1252.js'

/**
 * The byte checks of decision D8 on a PECGM, on the raw bytes, so that they
 * hold for records of any length (a record written in UTF-8 is longer than
 * 1200 bytes): UTF-8 multi-byte sequences, bytes 0x80–0x9F (Windows-1252),
 * control characters. The sequence rule and the Windows-1252 table are the
 * CGPEM validator's (bytes.ts, windows-1252.ts). Positions are those of
 * PecgmReader: with line ends, a record is a line; without, 1200 bytes.
 * Each kind of problem is reported once per record.
 */

export type PecgmByteCode = 'PECGM_UTF8' | 'PECGM_WINDOWS_1252' | 'PECGM_CONTROL_CHAR'

export interface PecgmByteHit {
  code: PecgmByteCode
  /** 1-based record (= line) */
  record: number
  /** 1-based column in the record */
  column: number
  value: string
  expected?: string
  message: string
}

const CODES: readonly PecgmByteCode[] = ['PECGM_UTF8', 'PECGM_WINDOWS_1252', 'PECGM_CONTROL_CHAR']
const LF = 0x0A
const CR = 0x0D
const N = PECGM_RECORD_LENGTH

/** Per byte: 0 text, 1 control (LF and CR included), 2 0x80–0x9F, 3 a possible UTF-8 lead (C2–F4). */
const CLASS: Uint8Array = (() => {
  const t = new Uint8Array(256)
  t.fill(1, 0x00, 0x20)
  t[0x7F] = 1
  t.fill(2, 0x80, 0xA0)
  t.fill(3, 0xC2, 0xF5)
  return t
})()

export class PecgmByteScanner {
  /** the first byte of record 1, of the last record begun, and of the file; -1 when none */
  firstByte = -1
  lastFirstByte = -1
  lastByte = -1
  private readonly lines: boolean
  /** with line ends: the byte that ends a record (LF, or CR alone) */
  readonly separator: number
  private readonly hits: PecgmByteHit[] = []
  private head = 0
  /** offset of the next byte to scan */
  private offset = 0
  /** with line ends: the current record and the offset where it began */
  private record = 1
  private recordStart = 0
  private carry: Buffer | null = null
  private ended = false
  private readonly lastRecord = new Int32Array(CODES.length)

  constructor (lineEnd: LineEnd) {
    this.lines = lineEnd !== 'none'
    this.separator = lineEnd === 'CR' ? CR : LF
  }

  /** Records whose bytes have all been scanned: their hits are final. */
  get complete (): number {
    if (this.ended) return Infinity
    return this.lines ? this.record - 1 : Math.floor(this.offset / N)
  }

  /** The next hit of a record up to `record`, in file order, or undefined. */
  next (record: number): PecgmByteHit | undefined {
    const h = this.hits[this.head]
    if (h === undefined || h.record > record) {
      if (this.head > 0 && (h === undefined || this.head >= 1024)) { // drop what was taken
        this.hits.splice(0, this.head)
        this.head = 0
      }
      return undefined
    }
    this.head++
    return h
  }

  /** Scans a chunk; with `final`, nothing is held back (a UTF-8 sequence or a CR cut by the chunk's end). */
  scan (input: Buffer, final: boolean): void {
    let buf = input
    if (this.carry !== null) {
      buf = input.length === 0 ? this.carry : Buffer.concat([this.carry, input])
      this.carry = null
    }
    const end = final ? buf.length : this.holdBack(buf)
    if (end > 0) this.lastByte = buf[end - 1] as number
    for (let i = 0; i < end; i++) {
      const b = buf[i] as number
      const o = this.offset + i
      if (this.lines ? o === this.recordStart && b !== this.separator : o % N === 0) this.begin(b)
      const k = CLASS[b] as number
      if (k === 0) continue
      if (this.lines && b === this.separator) {
        this.record++
        this.recordStart = o + 1
      } else if (this.lines && this.separator === LF && b === CR && i + 1 < end && buf[i + 1] === LF) {
        continue
      } else if (k === 1) {
        this.hit(2, o, `Caractère de contrôle 0x${hex(b)} : un enregistrement PECGM ne contient que du texte imprimable ; LF et CR ne servent qu'à finir un enregistrement (décision D2).`, `0x${hex(b)}`)
      } else if (k === 2) {
        this.windows1252(o, b)
      } else {
        const n = utf8SequenceLength(buf, i, end)
        if (n <= 0) continue
        const bytes = Array.from(buf.subarray(i, i + n), hex).join(' ')
        const ch = buf.toString('utf8', i, i + n)
        this.hit(0, o, `Séquence UTF-8 ${bytes} (« ${ch} ») : le fichier semble encodé en UTF-8 ; un PECGM est en ISO-8859-1 (décision D8).`, ch, 'ISO-8859-1')
        if (!this.lines) for (let j = 1; j < n; j++) if ((o + j) % N === 0) this.begin(buf[i + j] as number)
        i += n - 1
      }
    }
    this.offset += end
    if (final) this.ended = true
  }

  private begin (b: number): void {
    if (this.firstByte === -1) this.firstByte = b
    this.lastFirstByte = b
  }

  /** Where scanning stops: before a UTF-8 sequence or a CR that the chunk's end cuts (kept for the next chunk). */
  private holdBack (buf: Buffer): number {
    let end = buf.length
    if (this.lines && this.separator === LF && end > 0 && buf[end - 1] === CR) end--
    for (let p = end - 1; p >= 0 && p >= end - 3; p--) {
      const b = buf[p] as number
      if (b >= 0xC2 && b <= 0xF4) {
        if (utf8SequenceLength(buf, p, end) === -1) end = p
        break
      }
      if (b < 0x80 || b > 0xBF) break
    }
    if (end < buf.length) this.carry = Buffer.from(buf.subarray(end))
    return end
  }

  private windows1252 (o: number, b: number): void {
    const f = windows1252Finding(b)
    this.hit(1, o, f.message, f.value, f.expected)
  }

  private hit (kind: number, o: number, message: string, value: string, expected?: string): void {
    const record = this.lines ? this.record : Math.floor(o / N) + 1
    if (this.lastRecord[kind] === record) return
    this.lastRecord[kind] = record
    const column = this.lines ? o - this.recordStart + 1 : (o % N) + 1
    const h: PecgmByteHit = { code: CODES[kind] as PecgmByteCode, record, column, value, message }
    if (expected !== undefined) h.expected = expected
    this.hits.push(h)
  }
}

/** True when a value read from a record holds a byte the scanner reports (a control, 0x80–0x9F, a UTF-8 sequence): its field is left to that finding. */
export function holdsReportedByte (v: string): boolean {
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7F && c < 0xA0)) return true
    if (c >= 0xC2 && c <= 0xF4 && utf8SequenceLength(Buffer.from(v.slice(i, i + 4), 'latin1'), 0, Math.min(4, v.length - i)) !== 0) return true
  }
  return false
}
