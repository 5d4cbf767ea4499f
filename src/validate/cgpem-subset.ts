import { CGPEM_FIELDS, CGPEM_RECORD, CGPEM_ROOT } from '../layouts/cgpem.js'
import { latin1Slice } from '../text/latin1.js'

/**
 * The bytes of the small XML subset the fast path reads (cgpem-tokenizer.ts):
 * the declaration it accepts, the names it knows without making a string,
 * the character classes, the references of XML 1.0 it decodes as saxes does.
 */

/** The declaration the generator writes (cgpem-file.ts), byte for byte; any other goes to saxes. */
export const DECLARATION = Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>', 'latin1')
export const DECLARED_ENCODING = 'ISO-8859-1'
export const ROOT = Buffer.from(CGPEM_ROOT, 'latin1')

/** 1: may start a name; 2: may continue one. ASCII only, no ':': other names go to saxes. */
export const NAME_CHAR = new Uint8Array(256)
for (let c = 0; c < 256; c++) {
  const letter = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c === 0x5F
  if (letter) NAME_CHAR[c] = 3
  else if ((c >= 0x30 && c <= 0x39) || c === 0x2D || c === 0x2E) NAME_CHAR[c] = 2
}

/** The names of a CGPEM, found from their bytes: no string is made for them. */
const KNOWN: ReadonlyArray<readonly [Buffer, string]> = [CGPEM_ROOT, CGPEM_RECORD, ...CGPEM_FIELDS.map((f) => f.name)]
  .map((name) => [Buffer.from(name, 'latin1'), name] as const)

/** The known name of each length (below 32) and first byte, checked unique here: one comparison finds it. */
const BY_KEY: Array<readonly [Buffer, string] | undefined> = new Array(32 * 256).fill(undefined)
for (const k of KNOWN) {
  const key = k[0].length * 256 + (k[0][0] as number)
  if (k[0].length >= 32 || BY_KEY[key] !== undefined) throw new Error('cgpem-subset: two names share a length and a first byte')
  BY_KEY[key] = k
}

/** The element name in b[start, start + len), a shared string when it is one of a CGPEM. */
export function nameAt (b: Buffer, start: number, len: number): string {
  const known = len < 32 ? BY_KEY[len * 256 + (b[start] as number)] : undefined
  if (known !== undefined) {
    const bytes = known[0]
    let k = 1
    while (k < len && bytes[k] === b[start + k]) k++
    if (k === len) return known[1]
  }
  return latin1Slice(b, start, start + len)
}

const PREDEFINED: ReadonlyMap<string, string> = new Map([['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', '\'']])
/** Longest reference read here: "&#x10FFFF;" is 10 bytes; "&#1114111;" too. */
const REFERENCE_MAX = 12

/** XML 1.0's Char production (saxes' isChar10). */
function isXmlChar (n: number): boolean {
  return n === 0x09 || n === 0x0A || n === 0x0D || (n >= 0x20 && n <= 0xD7FF) || (n >= 0xE000 && n <= 0xFFFD) || (n >= 0x10000 && n <= 0x10FFFF)
}

/** What the reference at b[i] ('&') stands for, as saxes decodes it; null when saxes would report it. */
export function referenceValue (b: Buffer, i: number, end: number): string | null {
  const name = b.toString('latin1', i + 1, end - 1)
  const predefined = PREDEFINED.get(name)
  if (predefined !== undefined) return predefined
  let n = NaN
  if (/^#x[0-9a-fA-F]{1,6}$/.test(name)) n = parseInt(name.slice(2), 16)
  else if (/^#[0-9]{1,7}$/.test(name)) n = parseInt(name.slice(1), 10)
  return isXmlChar(n) ? String.fromCodePoint(n) : null
}

/**
 * Length of the reference at b[i] ('&') up to its ';' included; 0 when the
 * data ends first (wait for more), -1 when it is none the subset reads.
 */
export function referenceLength (b: Buffer, i: number, n: number): number {
  const last = Math.min(n, i + REFERENCE_MAX)
  for (let j = i + 1; j < last; j++) {
    const c = b[j] as number
    if (c === 0x3B) return j > i + 1 && referenceValue(b, i, j + 1) !== null ? j + 1 - i : -1
    if (NAME_CHAR[c] === 0 && c !== 0x23) return -1
  }
  return last === n && n < i + REFERENCE_MAX ? 0 : -1
}

/** Text with line ends or references, as saxes gives it: CR LF and CR become LF, references their character. */
export function decodeText (b: Buffer, start: number, end: number): string {
  let out = ''
  let from = start
  for (let i = start; i < end; i++) {
    const c = b[i]
    if (c === 0x0D) {
      out += `${b.toString('latin1', from, i)}\n`
      if (b[i + 1] === 0x0A && i + 1 < end) i++
      from = i + 1
    } else if (c === 0x26) {
      const k = b.indexOf(0x3B, i)
      out += b.toString('latin1', from, i) + (referenceValue(b, i, k + 1) ?? '')
      i = k
      from = k + 1
    }
  }
  return out + b.toString('latin1', from, end)
}
