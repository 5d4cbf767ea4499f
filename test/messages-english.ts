/**
 * Finds English and stack traces in what the project writes for its users.
 *
 * What is not prose is set aside first: values quoted « like_this » or
 * `like_this` (one word: what the user typed, a field name), options
 * (--output), paths and file names, codes and the convention's field names
 * (PHEBUS_IO, NOM_NAISSANCE, HTTP), URLs, numbers. What is left is cut into
 * words, and any word on the list below is English: words that are not
 * French as well (no « file », « large », « permission », « on », « a »).
 * Traces are found on the whole text: stack frames, error class names,
 * errno codes, `undefined`, `[object Object]`.
 */

export interface Leak {
  kind: 'trace' | 'english'
  /** what was found */
  match: string
  /** the text around it */
  context: string
}

/** Words that are English and never French (lower case). */
const ENGLISH_WORDS = new Set([
  // grammar
  'the', 'of', 'and', 'from', 'into', 'with', 'without', 'which', 'this', 'that', 'these', 'than', 'because', 'while',
  'only', 'no', 'such', 'too', 'many', 'more', 'less', 'any', 'all', 'some', 'other', 'its', 'it', 'there', 'their',
  'what', 'when', 'where', 'who', 'your', 'you', 'please', 'being',
  // verbs
  'must', 'should', 'shall', 'cannot', 'can', 'could', 'would', 'will', 'not', 'is', 'are', 'was', 'were', 'be', 'been',
  'has', 'have', 'does', 'doesn', 'did', 'didn', 'isn', 'aren', 'match', 'matches', 'read', 'write', 'open', 'exists',
  // what errors say
  'found', 'expected', 'invalid', 'unknown', 'missing', 'required', 'allowed', 'error', 'failed', 'failure',
  'unexpected', 'received', 'property', 'properties', 'additional', 'characters', 'equal', 'undefined', 'unsupported',
  'unauthorized', 'forbidden', 'directory', 'denied', 'empty', 'body', 'bad', 'illegal', 'operation', 'unable',
  'schema', 'querystring', 'anyof', 'items', 'timeout', 'timed', 'out', 'refused', 'closed', 'connection', 'request',
  'response', 'server', 'internal', 'exceeded', 'already', 'supported', 'value', 'values', 'string', 'number',
  'integer', 'boolean', 'object', 'array'
])

/** Phrases and marks of a trace or an untranslated system error, looked for in the whole text. */
const TRACES: readonly RegExp[] = [
  /^\s*at .+(?:\(|\s)(?:file:|node:|\/)[^\s)]*:\d+(?::\d+)?\)?\s*$/m, // a stack frame
  /\bnode:internal\b/,
  /\b(?:Type|Range|Syntax|Reference|Eval|URI|Aggregate|Phebus|Server|Fastify)?Error(?::|\s\[)/, // "TypeError:", "Error [ERR_…]"
  /\b(?:ENOENT|EACCES|EPERM|EPIPE|EISDIR|ENOTDIR|EEXIST|ENOSPC|EDQUOT|EMFILE|ENFILE|EROFS|EBUSY|ELOOP|ENAMETOOLONG|ECONNREFUSED|ECONNRESET|EADDRINUSE|EADDRNOTAVAIL|ENOTFOUND|ETIMEDOUT|EAI_AGAIN)\b/,
  /\bERR_[A-Z_]{3,}\b/,
  /\bFST_[A-Z_]{3,}\b/,
  /\bundefined\b/,
  /\bNaN\b/,
  /\[object \w+\]/,
  /triggerUncaughtException/,
  /\.tmp\b/ // a temporary file's name
]

/** What is set aside before looking for English words. */
const NOT_PROSE: readonly RegExp[] = [
  /«\s*[^\s»]*\s*»/g, // « one_word »: a value, a name
  /`[^`\s]*`/g,
  /\b[a-z][a-z0-9+.-]*:\/\/\S+/gi, // URLs
  /(?:^|\s)--?[A-Za-z][\w-]*(?:=\S*)?/g, // options
  /\S*[/\\]\S*/g, // paths, media types, ratios
  /\S+\.[A-Za-z0-9]{1,5}\b/g, // file names, dotted names
  /\S*[_\d]\S*/g, // codes, numbers, identifiers
  /\b[A-Z][A-Z0-9]+\b/g, // HTTP, PECGM, NIR: capitals are names
  /\b[A-Z][a-z]+(?:-[A-Z][a-z]+)+\b/g // header names: Content-Type, Retry-After
]

function around (text: string, index: number, length: number): string {
  return text.slice(Math.max(0, index - 40), index + length + 40).replace(/\s+/g, ' ').trim()
}

/** The leaks in a text written by the project. */
export function findLeaks (text: string): Leak[] {
  const leaks: Leak[] = []
  for (const re of TRACES) {
    const m = re.exec(text)
    if (m) leaks.push({ kind: 'trace', match: m[0].trim(), context: around(text, m.index, m[0].length) })
  }
  let prose = text
  for (const re of NOT_PROSE) prose = prose.replace(re, ' ')
  for (const m of prose.matchAll(/[A-Za-zÀ-ÖØ-öø-ÿŒœÆæ]+/g)) {
    if (ENGLISH_WORDS.has(m[0].toLowerCase())) leaks.push({ kind: 'english', match: m[0], context: around(prose, m.index, m[0].length) })
  }
  return leaks
}

/** The text of an HTML page as a reader sees it: no tags, scripts or styles; entities decoded. */
export function pageText (html: string): string {
  return html
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/&nbsp;/g, ' ').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&#x27;/g, '\'').replace(/&amp;/g, '&')
}

/** Every `message` of a JSON document, at any depth (an error's, a report's findings): its prose. */
export function messagesOf (value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(messagesOf)
  if (value === null || typeof value !== 'object') return []
  return Object.entries(value).flatMap(([k, v]) => k === 'message' && typeof v === 'string' ? [v] : messagesOf(v))
}

/** One line per leak, for a test's failure message. */
export function describeLeaks (leaks: readonly Leak[]): string {
  return leaks.map((l) => `${l.kind} « ${l.match} » dans : ${l.context}`).join('\n')
}
