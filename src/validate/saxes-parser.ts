import { createRequire } from 'node:module'
import type { SaxesParser } from 'saxes'
import type { SaxesFailure } from './saxes-messages.js'

/** saxes with positions, as the reader uses it. */
export type PositionedSaxesParser = SaxesParser<{ position: true }>

/** The handler slots saxes keeps on the parser (its private fields, saxes 6). */
interface HandlerSlots {
  xmldeclHandler: unknown
  textHandler: unknown
  piHandler: unknown
  doctypeHandler: unknown
  commentHandler: unknown
  openTagStartHandler: unknown
  openTagHandler: unknown
  closeTagHandler: unknown
  cdataHandler: unknown
  errorHandler: unknown
  endHandler: unknown
  readyHandler: unknown
  attributeHandler: unknown
}

/**
 * saxes' on() adds each handler as a new property through a computed key;
 * past seven handlers V8 turns the parser into a dictionary-mode object and
 * every field read in its inner loop gets several times slower (measured: 110
 * MB/s down to 20). Creating the slots up front, with plain stores, keeps the
 * object's shape fast; on() then only updates them. Should saxes rename its
 * fields, this costs speed, never correctness.
 */
function defineFastParser (Saxes: typeof SaxesParser): new () => PositionedSaxesParser {
  return class FastSaxesParser extends Saxes<{ position: true }> {
    constructor () {
      super({ position: true })
      const slots = this as unknown as HandlerSlots
      slots.xmldeclHandler = undefined
      slots.textHandler = undefined
      slots.piHandler = undefined
      slots.doctypeHandler = undefined
      slots.commentHandler = undefined
      slots.openTagStartHandler = undefined
      slots.openTagHandler = undefined
      slots.closeTagHandler = undefined
      slots.cdataHandler = undefined
      slots.errorHandler = undefined
      slots.endHandler = undefined
      slots.readyHandler = undefined
      slots.attributeHandler = undefined
    }
  }
}

let FastParser: (new () => PositionedSaxesParser) | null = null
let Corrected: typeof SaxesParser | null = null

/** saxes loaded (on the first call), its reading of '&' corrected (installEntityEnd), then the fast paths on a subclass. */
function load (): { Fast: new () => PositionedSaxesParser, Corrected: typeof SaxesParser } {
  if (FastParser === null || Corrected === null) {
    const { SaxesParser: Saxes } = createRequire(import.meta.url)('saxes') as { SaxesParser: typeof SaxesParser }
    Corrected = class CorrectedSaxesParser extends Saxes {}
    installEntityEnd(Saxes, Corrected)
    installTextOutsideRoot(Saxes, Corrected)
    FastParser = defineFastParser(Corrected)
    installFastPaths(Saxes, FastParser)
  }
  return { Fast: FastParser, Corrected }
}

/**
 * A saxes parser with the fast paths below. saxes is loaded on the first
 * call: a CGPEM the fast path of the reader reads whole never loads it.
 */
export function newFastSaxesParser (): PositionedSaxesParser {
  return new (load().Fast)()
}

/** The same parser without the fast paths (saxes, its reading of '&' corrected): what the fast paths must not change. */
export function newPlainSaxesParser (): PositionedSaxesParser {
  return new (load().Corrected)({ position: true }) as PositionedSaxesParser
}

/**
 * Where the parser stands as it fails, for a precise message
 * (saxes-messages.ts): the character it has just read, and the element it has
 * just closed (saxes pops an element before it finds that the end tag names
 * another) or else the one open. Read from saxes 6's private state: should it
 * change, the context is empty and the messages only less precise.
 */
export function failureContext (parser: PositionedSaxesParser): SaxesFailure {
  const s = parser as unknown as Partial<ScanState> & { tag?: { name?: unknown } }
  const at: SaxesFailure = {}
  const { chunk, prevI } = s
  if (typeof chunk === 'string' && typeof prevI === 'number' && prevI >= 0 && prevI < chunk.length) {
    at.seen = String.fromCodePoint(chunk.codePointAt(prevI) as number)
  }
  if (typeof s.tag?.name === 'string') at.element = s.tag.name
  if (typeof s.name === 'string' && s.name !== '') at.name = s.name
  return at
}

/** The parser's private state and methods that the fast paths and the reading of '&' use (saxes 6). */
interface ScanState {
  chunk: string
  i: number
  prevI: number
  chunkPosition: number
  positionAtNewLine: number
  line: number
  column: number
  name: string
  text: string
  textHandler: ((text: string) => void) | undefined
  forbiddenState: number
  state: number
  entity: string
  entityReturnState: number
  sawRoot: boolean
  closedRoot: boolean
  reportedTextBeforeRoot: boolean
  reportedTextAfterRoot: boolean
  captureNameChars: () => number
  handleTextInRoot: () => void
  handleTextOutsideRoot: () => void
  unget: () => void
  fail: (message: string) => unknown
  getCode: () => number
  sEntity: () => void
}

/** The state saxes is in once it has read `text`, read from a parser rather than copied from its source. */
function stateAfter (Saxes: typeof SaxesParser, text: string): number {
  const probe = new Saxes()
  probe.write(text)
  return (probe as unknown as ScanState).state
}

/** True for the ASCII characters of XML names except ':' (whose namespace rules stay with saxes). */
function isAsciiNameChar (c: number): boolean {
  return (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c === 0x5F || c === 0x2D || c === 0x2E
}

/**
 * saxes reads each character through a method that tracks lines and
 * columns; names and text are most of a CGPEM. Two fast paths go over the
 * plain characters of a run in a tight loop (ASCII name characters; text
 * characters other than < & ] > and controls, line feeds counted), move the
 * parser's position as saxes would, then read the character that ends the
 * run as saxes would when it is the usual one ('>' or a space after a name,
 * '<' after text), or hand over to saxes' own method. Whatever is not plain
 * takes saxes' path,
 * so the events, positions and errors are saxes' own (a test compares the
 * two parsers on valid, broken and random documents). They are installed on
 * this class only: other users of saxes keep it untouched. Should saxes 6
 * change these internals, the methods are missing and nothing is installed.
 */
function installFastPaths (Saxes: typeof SaxesParser, Fast: new () => PositionedSaxesParser): void {
  const base = Saxes.prototype as unknown as ScanState
  const captureNameChars = base.captureNameChars
  const handleTextInRoot = base.handleTextInRoot
  if (typeof captureNameChars !== 'function' || typeof handleTextInRoot !== 'function') return
  // the state saxes is in right after a '<' in text
  const afterLess = stateAfter(Saxes, '<r>x<')
  const proto = Fast.prototype as unknown as ScanState
  proto.captureNameChars = function (this: ScanState): number {
    const { chunk } = this
    const start = this.i
    let i = start
    while (i < chunk.length && isAsciiNameChar(chunk.charCodeAt(i))) i++
    if (i > start) {
      this.name += chunk.slice(start, i)
      this.column += i - start
      this.i = i
    }
    const end = chunk.charCodeAt(i)
    if (end === 0x3E || end === 0x20) { // '>' or a space ends the name: read it as saxes' getCode would
      this.prevI = i
      this.i = i + 1
      this.column++
      return end
    }
    return captureNameChars.call(this)
  }
  proto.handleTextInRoot = function (this: ScanState): void {
    const { chunk } = this
    const start = this.i
    let i = start
    let lastNewLine = -1
    for (; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i)
      if (c >= 0x20) {
        // markup, and what XML 1.1 restricts or reads as a line end, go to saxes
        if (c === 0x3C || c === 0x26 || c === 0x5D || c === 0x3E || (c >= 0x7F && c <= 0x9F) || c >= 0x2000) break
      } else if (c === 0x0A) {
        this.line++
        lastNewLine = i
      } else if (c !== 0x09) {
        break
      }
    }
    if (i > start) {
      if (lastNewLine >= 0) {
        this.column = i - lastNewLine - 1
        this.positionAtNewLine = this.chunkPosition + lastNewLine + 1
      } else {
        this.column += i - start
      }
      if (this.textHandler !== undefined) this.text += chunk.slice(start, i)
      this.i = i
      this.forbiddenState = 0 // FORBIDDEN_START: no "]]" pending
    }
    if (chunk.charCodeAt(i) === 0x3C) { // '<' ends the text: what saxes does, without reading it again
      this.prevI = i
      this.i = i + 1
      this.column++
      this.state = afterLess
      const handler = this.textHandler
      if (handler !== undefined && this.text.length !== 0) {
        handler(this.text)
        this.text = ''
      }
      this.forbiddenState = 0
      return
    }
    handleTextInRoot.call(this)
  }
}

/**
 * saxes reads a reference after '&' up to the next ';', wherever it is: a
 * bare '&' in a value (« R&D ») swallowed the markup after it, and the error
 * came thousands of lines further (a token too long, an element never
 * closed), where xmllint says at once « EntityRef: expecting ';' ». A
 * reference holds name characters only: at the first character that cannot
 * be in one ('<', a space, a line end, a quote…) the parser fails there, keeps
 * « & » and what followed it as text, and reads that character as it would
 * have without the '&'. A reference that ends with ';' is left to saxes,
 * and so is one that a chunk cuts (the next chunk goes on with it).
 * Installed on the class the fast paths extend; should saxes 6 change these
 * internals, nothing is installed and saxes' own behaviour stays.
 */
function installEntityEnd (Saxes: typeof SaxesParser, Corrected: typeof SaxesParser): void {
  const base = Saxes.prototype as unknown as ScanState
  const sEntity = base.sEntity
  if (typeof sEntity !== 'function' || typeof base.fail !== 'function') return
  // the state of text in an element: saxes keeps no text there without a handler
  const inText = stateAfter(Saxes, '<r>x')
  const proto = Corrected.prototype as unknown as ScanState
  proto.sEntity = function (this: ScanState): void {
    const { chunk } = this
    const start = this.i
    let j = start
    let c = 0
    // name characters, and any non-ASCII one (saxes checks it as it reads it, below or in its own method)
    while (j < chunk.length && (isAsciiNameChar(c = chunk.charCodeAt(j)) || c === 0x3A || c === 0x23 || c >= 0x80)) j++
    if (j >= chunk.length || c === 0x3B) {
      sEntity.call(this)
      return
    }
    if (j > start) {
      this.entity += chunk.slice(start, j)
      // read as saxes reads: its position, its checks of each character
      while (this.i < j) this.getCode()
    }
    const returnState = this.entityReturnState
    const kept = `&${this.entity}`
    this.entity = ''
    this.state = returnState
    this.fail('entity reference without its semicolon.')
    if (returnState !== inText || this.textHandler !== undefined) this.text += kept
  }
}

/**
 * saxes reports text outside the root once it has read the whole run of
 * text: at the '<' that ends it, or at the end of the write. Where the error
 * stood thus depended on how the file was cut into writes (« <CGPEM/>garbage »
 * at column 58 read whole, 52 read a byte at a time). The error is now given
 * as soon as the first character that is not white space is read, at that
 * character, whatever the writes: the run is then read by saxes' own method,
 * which finds the error already reported. White space before it is read as
 * saxes reads it (its position, its line ends in the text kept). « < » and
 * « & » are left to saxes as they are: markup, or a reference, which saxes
 * counts as text. Installed on the class the fast paths extend; should
 * saxes 6 change these internals, nothing is installed.
 */
function installTextOutsideRoot (Saxes: typeof SaxesParser, Corrected: typeof SaxesParser): void {
  const base = Saxes.prototype as unknown as ScanState
  const handleTextOutsideRoot = base.handleTextOutsideRoot
  if (typeof handleTextOutsideRoot !== 'function' || typeof base.unget !== 'function' || typeof base.fail !== 'function') return
  const proto = Corrected.prototype as unknown as ScanState
  proto.handleTextOutsideRoot = function (this: ScanState): void {
    // saxes reports such text once before the root, once after it
    const before = !this.sawRoot && this.reportedTextBeforeRoot !== true
    const after = this.closedRoot && this.reportedTextAfterRoot !== true
    if (!before && !after) {
      handleTextOutsideRoot.call(this)
      return
    }
    const { chunk } = this
    const keep = this.textHandler !== undefined
    let start = this.i
    for (;;) {
      const line = this.line
      const c = this.getCode()
      if (this.prevI >= chunk.length) { // the end of the write: the text so far is kept, as saxes keeps it
        if (keep) this.text += chunk.slice(start)
        return
      }
      if (this.line !== line) { // a line end: saxes keeps it as '\n'
        if (keep) this.text += `${chunk.slice(start, this.prevI)}\n`
        start = this.i
        continue
      }
      if (c === 0x20 || c === 0x09) continue
      if (c !== 0x3C) { // at the character itself; saxes' method finds it reported
        if (before) this.reportedTextBeforeRoot = true
        else this.reportedTextAfterRoot = true
        this.fail('text data outside of root node.')
      }
      if (c === 0x3C || c === 0x26) this.unget() // '<' or '&': saxes reads it again, as it would have
      if (keep) this.text += chunk.slice(start, this.i)
      handleTextOutsideRoot.call(this)
      return
    }
  }
}
