import { PECGM_RECORD_LENGTH } from '../layouts/pecgm.js'
import { RECORD_TYPES } from '../layouts/pecgm-reader.js'

/**
 * Which file a département holds, told from its first bytes: a PECGM (what
 * Pôle emploi deposits) or a CGPEM (what the département sends). After an
 * optional UTF-8 byte-order mark, a PECGM
 * - starts with its header's 'E' and FICHIER 'PECG', or
 * - starts with 'E', 'D' or 'F' and its first record is exactly 1200
 *   bytes: followed by LF or CR LF, or, without line ends, by the next
 *   record's 'E', 'D' or 'F' or the end of the file (a header may be missing).
 * Anything else is a CGPEM, except a file whose content says nothing (empty,
 * or no '<' and no PECGM shape) named like a PECGM (decision D9): a PECGM.
 */

export type FileKind = 'pecgm' | 'cgpem'

const BOM = [0xEF, 0xBB, 0xBF] as const
const LF = 0x0A
const CR = 0x0D
const HEADER_START = Buffer.from('EPECG', 'latin1')

/** Bytes enough to decide: a byte-order mark, a record and its CR LF. */
export const DETECT_BYTES = BOM.length + PECGM_RECORD_LENGTH + 2

/** The length of the UTF-8 byte-order mark at the start of `head` (3), or 0. */
export function bomLength (head: Uint8Array): number {
  return head.length >= 3 && head[0] === BOM[0] && head[1] === BOM[1] && head[2] === BOM[2] ? 3 : 0
}

function looksLikePecgm (body: Buffer, complete: boolean): boolean | null {
  if (body.length >= HEADER_START.length && body.subarray(0, HEADER_START.length).equals(HEADER_START)) return true
  if (body.length === 0 || !RECORD_TYPES.has(body[0] as number)) return false
  const n = PECGM_RECORD_LENGTH
  const end = body.subarray(0, n + 1).findIndex((b) => b === LF || b === CR)
  if (end !== -1) {
    if (end !== n) return false
    if (body[n] === LF) return true
    if (body.length < n + 2) return complete ? false : null
    return body[n + 1] === LF
  }
  if (body.length < n + 1) return complete ? body.length === n : null
  return RECORD_TYPES.has(body[n] as number)
}

/**
 * The kind of a file from its first bytes (`complete`: they are the whole
 * file), or null when more bytes are needed (fewer than DETECT_BYTES).
 */
export function detectFileKind (head: Buffer, complete: boolean, fileName = ''): FileKind | null {
  if (!complete && head.length < DETECT_BYTES) return null
  const body = head.subarray(bomLength(head))
  const pecgm = looksLikePecgm(body, complete)
  if (pecgm === null) return null
  if (pecgm) return 'pecgm'
  const named = /^PECGM_/i.test(fileName)
  if (!named) return 'cgpem'
  const first = body.findIndex((b) => b !== 0x20 && b !== 0x09 && b !== LF && b !== CR)
  return first === -1 || body[first] !== 0x3C ? 'pecgm' : 'cgpem'
}
