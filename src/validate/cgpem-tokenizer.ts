import { CGPEM_FIELDS, CGPEM_RECORD } from '../layouts/cgpem.js'
import { DECLARATION, DECLARED_ENCODING, decodeText, NAME_CHAR, nameAt, referenceLength, ROOT } from './cgpem-subset.js'
import { VALUE_FLAGS } from './fields.js'
import { fieldIndex } from './xml-rules.js'
import { latin1Slice } from '../text/latin1.js'

/**
 * The fast path of the XML form: a tokenizer on bytes (ISO-8859-1, one byte
 * one character) for the flat subset a CGPEM uses: the generator's
 * declaration, then elements without attributes named in ASCII, text with
 * the references of XML 1.0, white space. It calls the XmlReader's own
 * handlers, at the positions saxes would give, in the same order.
 *
 * It reads a unit at a time, from a safe point to the next: the file's start,
 * the end of the root's start tag or of a child of the root, the end of the
 * root. A unit is first tokenized without side effect, then its events are
 * given. The first time a unit holds anything else (a comment, a PI, CDATA, a
 * DOCTYPE, an attribute, an unknown reference, a mismatched tag, more than
 * HOLD_LIMIT bytes, the end of the file before the root's end), the tokenizer
 * hands the bytes since the last safe point to the sink, which goes on with
 * saxes from there: saxes' state at a safe point is rebuilt from a few bytes.
 * Nothing the fast path reports depends on what it would have had to guess.
 *
 * Nearly every unit is a plain orientation (PlainOrientation): scanPlain
 * reads it in one pass over its bytes, without tokens, and the reader takes
 * it whole (its fields checked on the bytes, record.ts) instead of one event
 * at a time. Anything else in a unit, or a reader that wants the events,
 * and the unit is tokenized as above.
 */

/** Where saxes can take over, its state rebuilt by the primer of the same name (xml-reader.ts). */
export const SAFE_POINTS = { start: 0, inRoot: 1, afterRoot: 2 } as const
export type SafePoint = typeof SAFE_POINTS[keyof typeof SAFE_POINTS]

/**
 * An orientation read whole from one unit, in the shape nearly every one
 * has: white space, then ORIENTATION holding known fields in the table's
 * order, each once, with text and nothing else inside, white space between.
 * Positions are the tokenizer's (line, characters read) after each start
 * tag's '>', as its events would give them. Reused from one orientation to
 * the next.
 */
export interface PlainOrientation {
  /** after ORIENTATION's start tag */
  line: number
  column: number
  /** after its end tag */
  endLine: number
  endColumn: number
  /** the fields, in file order: their index in CGPEM_FIELDS, after their start tag */
  count: number
  readonly fields: Int32Array
  readonly lines: Int32Array
  readonly columns: Int32Array
  /**
   * their text as saxes gives it: the bytes (ISO-8859-1, nothing to
   * decode) bytes[starts[k], ends[k]), only valid during the call, and
   * their valueFlags (fields.ts); or, when bytes is null, the strings of
   * values ('' when none)
   */
  bytes: Buffer | null
  readonly starts: Int32Array
  readonly ends: Int32Array
  readonly flags: Int32Array
  readonly values: string[]
}

export interface XmlSink {
  /**
   * A plain orientation: the sink reads it as it would read its events, or
   * returns false (and its state is untouched) to have the events instead
   */
  onPlainOrientation: (o: PlainOrientation) => boolean
  onDeclaration: (encoding: string | undefined) => void
  onOpenStart: (name: string) => void
  onOpen: (attributes: Record<string, string>) => void
  onClose: () => void
  onText: (t: string) => void
  /**
   * saxes reads on from `safe`, at (line, column), starting with `bytes`,
   * given to it in writes that begin at `cuts` as the complete path's do
   */
  takeOver: (safe: SafePoint, line: number, column: number, bytes: Buffer, cuts: readonly number[]) => void
}

/** Bytes kept since the last safe point; far below the reader's run bound (MAX_RUN), far above an orientation (under 3 KB). */
export const HOLD_LIMIT = 8192
/**
 * The complete path gives saxes each chunk in writes of PIECE bytes; the
 * bytes saxes takes over are given in writes cut where the complete path's
 * are, so that saxes sees the same writes on both paths. (saxes reported
 * text outside the root at the end of a write, which made this needed;
 * since installTextOutsideRoot, saxes-parser.ts, it reports it where the
 * text starts.)
 */
export const PIECE = 65_536
/** Nesting the fast path reads; deeper goes to saxes (the reader stops at 16). */
const FAST_DEPTH = 8

const NEED_MORE = -1
const OUTSIDE = -2
/** scanPlain: not a plain orientation, the general tokenizer reads the unit */
const NOT_PLAIN = -3
const T_DECL = 0
const T_TEXT = 1
const T_OPEN = 2
const T_CLOSE = 3
const STRIDE = 6
/** text flags */
const NON_BLANK = 1
const DECODE = 2
/** text the reader does not read (white space outside a field, any text deeper than a field) */
const IGNORED = ' '
const NO_ATTRIBUTES: Record<string, string> = Object.freeze({}) as Record<string, string>

const LF = 0x0A
const CR = 0x0D
const SP = 0x20
const TAB = 0x09
const AMP = 0x26
const LT = 0x3C
const GT = 0x3E
const SLASH = 0x2F
const RSQB = 0x5D

/** Text bytes read in a run: NON_BLANK for most, 2 for a space or a tab, 0 for the ones read apart (markup, line ends). */
const TEXT_CLASS = new Uint8Array(256).fill(NON_BLANK)
for (const c of [LT, AMP, RSQB, GT, CR, LF]) TEXT_CLASS[c] = 0
TEXT_CLASS[SP] = 2
TEXT_CLASS[TAB] = 2
/** Bytes of markup scanPlain compares four at a time: 32-bit little-endian words, the last one ending with the last byte (overlapping the one before). */
interface Tag {
  readonly length: number
  readonly words: Int32Array
}

function tag (text: string): Tag {
  const bytes = Buffer.from(text, 'latin1')
  if (bytes.length < 4) throw new Error('cgpem-tokenizer: a tag compared by words has four bytes at least')
  const words = new Int32Array(Math.ceil(bytes.length / 4))
  for (let w = 0; w < words.length; w++) words[w] = bytes.readInt32LE(Math.min(4 * w, bytes.length - 4))
  return { length: bytes.length, words }
}

/** True when the bytes of `view` at `at` are the tag's; the caller knows that they are there. */
function tagAt (view: DataView, at: number, t: Tag): boolean {
  const words = t.words
  const last = t.length - 4
  for (let w = 0; w < words.length; w++) if (view.getInt32(at + Math.min(4 * w, last), true) !== words[w]) return false
  return true
}

/** After '<': ORIENTATION's start tag, its end tag; each field's name and '>', its end tag from '<'. */
const RECORD_START = tag(`${CGPEM_RECORD}>`)
const RECORD_END = tag(`/${CGPEM_RECORD}>`)
const FIELD_STARTS: readonly Tag[] = CGPEM_FIELDS.map((f) => tag(`${f.name}>`))
const FIELD_ENDS: readonly Tag[] = CGPEM_FIELDS.map((f) => tag(`</${f.name}>`))
/** The fields whose name starts with each byte, in the table's order. */
const FIELDS_BY_FIRST: ReadonlyArray<readonly number[]> = Array.from({ length: 256 }, (_, c) => CGPEM_FIELDS.flatMap((f, i) => f.name.charCodeAt(0) === c ? [i] : []))

/** Per field, the text bytes scanPlain reads in its value: 4 | the byte's VALUE_FLAGS for its type; 0 for the ones TEXT_CLASS reads apart. */
const VALUE_SCAN: readonly Uint8Array[] = CGPEM_FIELDS.map((f) => VALUE_FLAGS[f.type].map((flags, c) => TEXT_CLASS[c] === 0 ? 0 : 4 | flags))

export class CgpemTokenizer {
  /** the position saxes would give now: line from 1, characters read on it */
  line = 1
  column = 0
  private safe: SafePoint = SAFE_POINTS.start
  private readonly sink: XmlSink
  /** the bytes since the last safe point, then the chunk being read */
  private work = Buffer.allocUnsafe(1 << 16)
  /** work, four bytes at a time */
  private view = new DataView(this.work.buffer, this.work.byteOffset, this.work.length)
  private len = 0
  /** where, in work, the complete path would begin a write to saxes */
  private cuts: number[] = []
  private tokens = new Int32Array(STRIDE * 256)
  private count = 0
  /** depth reached at the end of the last unit tokenized */
  private endDepth = 0
  private readonly nameStart = new Int32Array(FAST_DEPTH + 1)
  private readonly nameLen = new Int32Array(FAST_DEPTH + 1)
  /** the unit whose events are being given, as a string, and where it starts in work */
  private unit = ''
  private unitStart = 0
  /** the plain orientation being read, by scanPlain or from the tokens (readPlain) */
  private readonly plain: PlainOrientation = {
    line: 0,
    column: 0,
    endLine: 0,
    endColumn: 0,
    count: 0,
    fields: new Int32Array(CGPEM_FIELDS.length),
    lines: new Int32Array(CGPEM_FIELDS.length),
    columns: new Int32Array(CGPEM_FIELDS.length),
    bytes: null,
    starts: new Int32Array(CGPEM_FIELDS.length),
    ends: new Int32Array(CGPEM_FIELDS.length),
    flags: new Int32Array(CGPEM_FIELDS.length),
    values: CGPEM_FIELDS.map(() => '')
  }

  constructor (sink: XmlSink) {
    this.sink = sink
  }

  /** Reads b[start, end); false once saxes has taken over. */
  push (b: Buffer, start: number, end: number): boolean {
    const n = end - start
    if (this.len + n > this.work.length) {
      const grown = Buffer.allocUnsafe(Math.max(this.work.length * 2, this.len + n))
      this.work.copy(grown, 0, 0, this.len)
      this.work = grown
      this.view = new DataView(grown.buffer, grown.byteOffset, grown.length)
    }
    b.copy(this.work, this.len, start, end)
    const from = this.len
    for (let at = from; at < from + n; at += PIECE) this.cuts.push(at)
    this.len += n
    // a unit ends with '>': no need to try again before one comes, unless only white space is awaited
    if (this.safe !== SAFE_POINTS.afterRoot && this.work.subarray(from, this.len).indexOf(GT) < 0) return this.bound()
    let s = 0
    for (;;) {
      if (this.safe === SAFE_POINTS.inRoot) {
        const p = this.scanPlain(s)
        if (p >= 0 && this.givePlain()) {
          s = p
          continue
        }
      }
      const r = this.scanUnit(s)
      if (r === NEED_MORE) break
      if (r === OUTSIDE) return this.handOver(s)
      this.emit(s, r)
      this.safe = this.endDepth === 0 ? SAFE_POINTS.afterRoot : SAFE_POINTS.inRoot
      s = r
    }
    if (s > 0) {
      this.work.copyWithin(0, s, this.len)
      this.len -= s
      this.cuts = this.cutsFrom(s)
    }
    return this.bound()
  }

  /** At the end of the file: true when the document ended as it should, else saxes takes over (and reports). */
  end (): boolean {
    if (this.safe !== SAFE_POINTS.afterRoot) return this.handOver(0)
    if (this.len > 0) { // white space after the root: saxes gives it as text at the end
      for (let i = 0; i < this.len; i++) {
        const c = this.work[i]
        if (c === CR || c === LF) {
          this.line++
          this.column = 0
          if (c === CR && i + 1 < this.len && this.work[i + 1] === LF) i++
        } else {
          this.column++
        }
      }
      this.sink.onText(IGNORED)
    }
    return true
  }

  private bound (): boolean {
    return this.len > HOLD_LIMIT ? this.handOver(0) : true
  }

  private handOver (s: number): false {
    this.sink.takeOver(this.safe, this.line, this.column, this.work.subarray(s, this.len), this.cutsFrom(s))
    this.len = 0
    return false
  }

  /** The cuts past s, from s. */
  private cutsFrom (s: number): number[] {
    const out: number[] = []
    for (const c of this.cuts) if (c > s) out.push(c - s)
    return out
  }

  private token (kind: number, a: number, b: number, line: number, column: number, meta: number): void {
    const k = this.count * STRIDE
    if (k + STRIDE > this.tokens.length) {
      const grown = new Int32Array(this.tokens.length * 2)
      grown.set(this.tokens)
      this.tokens = grown
    }
    const t = this.tokens
    t[k] = kind
    t[k + 1] = a
    t[k + 2] = b
    t[k + 3] = line
    t[k + 4] = column
    t[k + 5] = meta
    this.count++
  }

  /**
   * Reads a plain orientation (see PlainOrientation) straight from the bytes
   * at work[s], a safe point in the root, without tokens: the common case, in
   * one pass. Returns where it ends, with `plain` filled but for its values;
   * NOT_PLAIN for anything else, and NEED_MORE when the data ends first:
   * then the general tokenizer reads the unit (and decides when to wait).
   * Its positions are the ones scanUnit gives the same bytes.
   */
  private scanPlain (s: number): number {
    const b = this.work
    const n = this.len
    const o = this.plain
    let i = s
    let line = this.line
    let col = this.column
    let count = 0
    let last = -1
    for (let depth = 1; ;) {
      // white space, then '<'
      const view = this.view
      for (;;) {
        if (i >= n) return NEED_MORE
        const c = b[i] as number
        if (c === SP && n - i >= 4 && view.getInt32(i, true) === 0x20202020) { // indentation, four spaces at a time
          col += 4
          i += 4
        } else if (c === SP || c === TAB) {
          col++
          i++
        } else if (c === LF) {
          line++
          col = 0
          i++
        } else if (c === CR) {
          if (i + 1 >= n) return NEED_MORE
          line++
          col = 0
          i += b[i + 1] === LF ? 2 : 1
        } else if (c === LT) {
          break
        } else {
          return NOT_PLAIN
        }
      }
      i++
      col++
      if (i >= n) return NEED_MORE
      if (b[i] === SLASH) { // only ORIENTATION's end tag: a field's is read with its text
        if (depth !== 2 || count === 0) return NOT_PLAIN
        if (n - i < RECORD_END.length) return NEED_MORE
        if (!tagAt(view, i, RECORD_END)) return NOT_PLAIN
        i += RECORD_END.length
        col += RECORD_END.length
        if (i - s > HOLD_LIMIT) return NOT_PLAIN
        o.count = count
        o.endLine = line
        o.endColumn = col
        return i
      }
      if (depth === 1) {
        if (n - i < RECORD_START.length) return NEED_MORE
        if (!tagAt(view, i, RECORD_START)) return NOT_PLAIN
        col += RECORD_START.length
        o.line = line
        o.column = col
        depth = 2
        i += RECORD_START.length
        continue
      }
      // a field after the last one, its name followed by '>'; NOT_PLAIN too when the data ends first
      const candidates = FIELDS_BY_FIRST[b[i] as number] as readonly number[]
      let f = -1
      for (let c = 0; c < candidates.length && f < 0; c++) {
        const k = candidates[c] as number
        const start = FIELD_STARTS[k] as Tag
        if (k > last && n - i >= start.length && tagAt(view, i, start)) f = k
      }
      if (f < 0) return NOT_PLAIN
      const nl = (FIELD_STARTS[f] as Tag).length - 1
      last = f
      col += nl + 1
      o.fields[count] = f
      o.lines[count] = line
      o.columns[count] = col
      // the text, on one line, without markup or reference; what the field's type makes of its bytes on the way
      i += nl + 1
      const t0 = i
      const scan = VALUE_SCAN[f] as Uint8Array
      let flags = 0
      for (let k = 0; i < n && (k = scan[b[i] as number] as number) !== 0; i++) flags |= k
      if (i >= n) return NEED_MORE
      if (b[i] !== LT) return NOT_PLAIN
      o.starts[count] = t0
      o.ends[count] = i
      o.flags[count] = flags & 3
      col += i - t0
      // its end tag
      const end = FIELD_ENDS[f] as Tag
      if (n - i < end.length) return NEED_MORE
      if (!tagAt(view, i, end)) return NOT_PLAIN
      i += end.length
      col += nl + 3
      count++
      if (i - s > HOLD_LIMIT) return NOT_PLAIN
    }
  }

  /** The plain orientation scanPlain read, its values as bytes of work, to the sink; false when it wants the events instead. */
  private givePlain (): boolean {
    const o = this.plain
    o.bytes = this.work
    if (!this.sink.onPlainOrientation(o)) return false
    this.line = o.endLine
    this.column = o.endColumn
    this.endDepth = 1
    return true
  }

  /**
   * Tokenizes the unit at work[s]: returns where it ends (a safe point),
   * NEED_MORE when the data ends first, OUTSIDE when it leaves the subset.
   */
  private scanUnit (s: number): number {
    const b = this.work
    const n = this.len
    let i = s
    let line = this.line
    let col = this.column
    let depth = 1
    this.count = 0
    if (this.safe === SAFE_POINTS.afterRoot) {
      for (; i < n; i++) {
        const c = b[i]
        if (c !== SP && c !== LF && c !== CR && c !== TAB) return OUTSIDE
      }
      return NEED_MORE
    }
    if (this.safe === SAFE_POINTS.start) {
      const k = Math.min(n - s, DECLARATION.length)
      if (b.compare(DECLARATION, 0, k, s, s + k) !== 0) return OUTSIDE
      if (k < DECLARATION.length) return NEED_MORE
      i += k
      col += k
      this.token(T_DECL, 0, 0, line, col, 0)
      depth = 0
    }
    for (;;) {
      // text, up to '<'
      const t0 = i
      let flags = 0
      let brackets = 0
      for (;;) {
        // the run of plain characters first, in a tight loop
        const r = i
        let kinds = 0
        let kind = 0
        while (i < n && (kind = TEXT_CLASS[b[i] as number] as number) !== 0) {
          kinds |= kind
          i++
        }
        if (i > r) {
          col += i - r
          flags |= kinds & NON_BLANK
          brackets = 0
        }
        if (i >= n) return NEED_MORE
        const c = b[i] as number
        if (c === LT) break
        if (c === LF) {
          line++
          col = 0
          i++
        } else if (c === CR) {
          if (i + 1 >= n) return NEED_MORE
          line++
          col = 0
          i += b[i + 1] === LF ? 2 : 1
          flags |= DECODE
        } else if (c === AMP) {
          const k = referenceLength(b, i, n)
          if (k === 0) return NEED_MORE
          if (k < 0) return OUTSIDE
          i += k
          col += k
          flags |= NON_BLANK | DECODE
        } else {
          if (c === GT && brackets >= 2) return OUTSIDE // "]]>"
          brackets = c === RSQB ? brackets + 1 : 0
          flags |= NON_BLANK
          col++
          i++
          continue
        }
        brackets = 0
      }
      if (i - s > HOLD_LIMIT) return OUTSIDE
      if (i > t0) {
        if (depth === 0 && (flags & NON_BLANK) !== 0) return OUTSIDE
        this.token(T_TEXT, t0, i, line, col + 1, flags | (depth << 8))
      }
      i++
      col++
      // a tag
      if (i >= n) return NEED_MORE
      if (b[i] === SLASH) {
        if (depth === 0) return OUTSIDE
        const ns = depth === 1 ? 0 : this.nameStart[depth] as number
        const nl = depth === 1 ? ROOT.length : this.nameLen[depth] as number
        const names = depth === 1 ? ROOT : b
        if (n - i < nl + 2) return NEED_MORE
        for (let k = 0; k < nl; k++) if (b[i + 1 + k] !== names[ns + k]) return OUTSIDE
        if (b[i + 1 + nl] !== GT) return OUTSIDE
        i += nl + 2
        col += nl + 2
        this.token(T_CLOSE, 0, 0, line, col, 0)
        if (--depth <= 1) {
          this.endDepth = depth
          return i
        }
        continue
      }
      if ((NAME_CHAR[b[i] as number] as number) !== 3) return OUTSIDE
      let j = i + 1
      while (j < n && NAME_CHAR[b[j] as number] !== 0) j++
      if (j >= n) return NEED_MORE
      if (b[j] !== GT || j - s > HOLD_LIMIT) return OUTSIDE
      const nl = j - i
      if (depth === 0 && (nl !== ROOT.length || b.compare(ROOT, 0, nl, i, j) !== 0)) return OUTSIDE
      if (++depth > FAST_DEPTH) return OUTSIDE
      this.nameStart[depth] = i
      this.nameLen[depth] = nl
      col += nl + 1
      this.token(T_OPEN, i, nl, line, col, 0)
      i = j + 1
      if (depth === 1) {
        this.endDepth = 1
        return i
      }
    }
  }

  /** Gives the events of the unit work[s, e), each at its position. */
  private emit (s: number, e: number): void {
    const t = this.tokens
    const sink = this.sink
    const end = this.count * STRIDE
    // one string for the unit, its texts cut from it: cheaper than one call into Buffer each
    this.unit = latin1Slice(this.work, s, e)
    this.unitStart = s
    if (this.readPlain() && sink.onPlainOrientation(this.plain)) {
      this.line = t[end - STRIDE + 3] as number
      this.column = t[end - STRIDE + 4] as number
      return
    }
    for (let k = 0; k < end; k += STRIDE) {
      this.line = t[k + 3] as number
      this.column = t[k + 4] as number
      switch (t[k]) {
        case T_TEXT:
          sink.onText(this.text(t[k + 1] as number, t[k + 2] as number, t[k + 5] as number))
          break
        case T_OPEN:
          sink.onOpenStart(nameAt(this.work, t[k + 1] as number, t[k + 2] as number))
          sink.onOpen(NO_ATTRIBUTES)
          break
        case T_CLOSE:
          sink.onClose()
          break
        case T_DECL:
          sink.onDeclaration(DECLARED_ENCODING)
      }
    }
  }

  /**
   * Fills `plain` when the unit's tokens are a plain orientation: [blank
   * text] <ORIENTATION> ([blank text] <FIELD> [text] </FIELD>)+ [blank text]
   * </ORIENTATION>, the fields known and in strictly increasing order.
   */
  private readPlain (): boolean {
    const t = this.tokens
    const end = this.count * STRIDE
    const o = this.plain
    let k = 0
    if (t[k] === T_TEXT) {
      if (((t[k + 5] as number) & NON_BLANK) !== 0) return false
      k += STRIDE
    }
    if (k >= end || t[k] !== T_OPEN || nameAt(this.work, t[k + 1] as number, t[k + 2] as number) !== CGPEM_RECORD) return false
    o.line = t[k + 3] as number
    o.column = t[k + 4] as number
    k += STRIDE
    let n = 0
    let last = -1
    for (;;) {
      if (k < end && t[k] === T_TEXT) {
        if (((t[k + 5] as number) & NON_BLANK) !== 0) return false
        k += STRIDE
      }
      if (k >= end) return false
      if (t[k] === T_CLOSE) break
      if (t[k] !== T_OPEN) return false
      const i = fieldIndex(nameAt(this.work, t[k + 1] as number, t[k + 2] as number))
      if (i === undefined || i <= last) return false
      last = i
      o.fields[n] = i
      o.lines[n] = t[k + 3] as number
      o.columns[n] = t[k + 4] as number
      k += STRIDE
      if (k < end && t[k] === T_TEXT) {
        o.values[n] = this.text(t[k + 1] as number, t[k + 2] as number, t[k + 5] as number)
        k += STRIDE
      } else {
        o.values[n] = ''
      }
      if (k >= end || t[k] !== T_CLOSE) return false
      k += STRIDE
      n++
    }
    if (n === 0 || k + STRIDE !== end) return false
    o.count = n
    o.bytes = null
    o.endLine = t[k + 3] as number
    o.endColumn = t[k + 4] as number
    return true
  }

  /** The text as saxes gives it where the reader reads it: in a field, or where only white space may be. */
  private text (start: number, end: number, meta: number): string {
    const depth = meta >> 8
    if (depth !== 3 && ((meta & NON_BLANK) === 0 || depth === 0 || depth > 3)) return IGNORED
    return (meta & DECODE) === 0 ? this.unit.slice(start - this.unitStart, end - this.unitStart) : decodeText(this.work, start, end)
  }
}
