import { NATURES_ACCOMPAGNEMENT, type CgpemField } from '../layouts/cgpem.js'
import { checkDate, compactFromDay, daysInMonth } from '../layouts/dates.js'
import type { FindingCode } from './codes.js'
import { SUBSTITUTE } from './bytes.js'

/**
 * The checks of one CGPEM field, driven by its row of CGPEM_FIELDS: presence,
 * length, characters of its type, then its rule. A field gets at most one
 * finding: the first check it fails. The same regular expressions build the
 * XSD (xsd.ts), so the two cannot drift apart.
 */

export interface FieldProblem {
  code: FindingCode
  message: string
  expected?: string
}

/** The characters of each type as code ranges: badCharIndex tests them, xsd.ts writes them. */
export const TYPE_RANGES: Readonly<Record<CgpemField['type'], ReadonlyArray<readonly [number, number]>>> = {
  /** letters of ISO-8859-1 (× and ÷ are not), space, hyphen, apostrophe */
  A: [[0x41, 0x5A], [0x61, 0x7A], [0xC0, 0xD6], [0xD8, 0xF6], [0xF8, 0xFF], [0x20, 0x20], [0x2D, 0x2D], [0x27, 0x27]],
  AN: [[0x20, 0x7E], [0xA0, 0xFF]],
  N: [[0x30, 0x39]],
  D: [[0x30, 0x39]]
}
export const NIR_PATTERN = '[1278][0-9]{2}(0[1-9]|1[0-2]|20|3[0-9]|4[0-2]|[5-9][0-9])(0[1-9]|[1-9][0-9]|2A|2B)[0-9]{6}'
export const IDENTIFIANT_PE_PATTERN = '[0-9]{7}[A-Z0-9]'
export const EMAIL_PATTERN = '[A-Za-z0-9._%+\'\\-]+@[A-Za-z0-9\\-]+(\\.[A-Za-z0-9\\-]+)+'

const NIR_RE = new RegExp(`^${NIR_PATTERN}$`)
const IDENTIFIANT_PE_RE = new RegExp(`^${IDENTIFIANT_PE_PATTERN}$`)
const EMAIL_RE = new RegExp(`^${EMAIL_PATTERN}$`)

const TYPE_LABEL = {
  A: 'type A : lettres, espace, tiret, apostrophe',
  AN: 'type AN : caractères imprimables ISO-8859-1',
  N: 'type N : chiffres',
  D: 'date SSAAMMJJ : chiffres'
} as const

/** A value made of spaces only is absent (decision D3 for the fixed form, the same rule for XML). */
export function isBlank (v: string): boolean {
  for (let i = 0; i < v.length; i++) if (v.charCodeAt(i) !== 0x20) return false
  return true
}

/**
 * Per type and byte: 0 forbidden, 1 allowed, 2 an allowed space, 3 skipped
 * (SUBSTITUTE: a byte the byte checks reported), 4 a forbidden space. Any
 * other character 0x80–0x9F is forbidden: the byte checks turn every such
 * byte of the file into SUBSTITUTE, so one left in a value came from a
 * character reference (&#x92;), which no byte check saw.
 */
function classTable (ranges: ReadonlyArray<readonly [number, number]>): Uint8Array {
  const t = new Uint8Array(256)
  for (const [lo, hi] of ranges) t.fill(1, lo, hi + 1)
  t.fill(0, 0x80, 0xA0)
  t[SUBSTITUTE] = 3
  t[0x20] = t[0x20] === 1 ? 2 : 4
  return t
}

const CLASSES: Readonly<Record<CgpemField['type'], Uint8Array>> = {
  A: classTable(TYPE_RANGES.A),
  AN: classTable(TYPE_RANGES.AN),
  N: classTable(TYPE_RANGES.N),
  D: classTable(TYPE_RANGES.D)
}

/**
 * Index of the first character the type forbids; else -1, or -2 when the
 * value is blank (spaces only, or empty). SUBSTITUTE is skipped: the byte
 * checks reported the byte it stands for.
 */
export function badCharIndex (type: CgpemField['type'], v: string): number {
  const classes = CLASSES[type]
  let blank = true
  let bad = -1
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i)
    // 1 allowed, 2 allowed space, 3 skipped, 4 forbidden space, 0 forbidden
    const k = c > 0xFF ? 0 : classes[c] as number
    if (k === 1 || k === 3) blank = false
    else if (k === 0) {
      blank = false
      if (bad < 0) bad = i
    } else if (k === 4 && bad < 0) bad = i
  }
  return blank ? -2 : bad
}

const SUBSTITUTE_CHAR = String.fromCharCode(SUBSTITUTE)

/**
 * True when the value holds a byte the byte checks reported (SUBSTITUTE
 * stands for it): the field then gets no finding of its own, its value
 * being what the byte made of it (a UTF-8 « é » read as two characters, a
 * Windows-1252 ’), as a PECGM's field is left to its byte findings.
 */
export function holdsReportedByte (v: string): boolean {
  return v.indexOf(SUBSTITUTE_CHAR) !== -1
}

function describeChar (c: string): string {
  const code = c.charCodeAt(0)
  // « » around a space reads as nothing quoted
  if (code === 0x20) return 'une espace'
  if (code < 0x20 || (code >= 0x7F && code <= 0xA0) || code > 0xFF) return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
  return `« ${c} »`
}

/** "Today" as the integer SSAAMMJJ that checkField compares dates with. */
export function todayAsNumber (day: number): number {
  return Number(compactFromDay(day))
}

/** Presence: a problem when a blank value is required, null when absent is fine, undefined when present. */
export function checkPresence (field: CgpemField, blank: boolean): FieldProblem | null | undefined {
  if (!blank) return undefined
  if (field.required === true) return { code: 'CGPEM_FIELD_REQUIRED', message: `${field.name} (${field.label}) est obligatoire et absente ou vide.` }
  if (field.required === 'warning') return { code: 'CGPEM_FIELD_EXPECTED', message: `${field.name} (${field.label}) est absente : accepté, mais elle est attendue (décision D7).` }
  return null
}

/**
 * Checks one value. `length` is the true length when the reader kept only
 * the beginning of a very long value. `today` is the day of the upload as the
 * integer SSAAMMJJ (todayAsNumber). `bad` is badCharIndex's answer, when the
 * caller has it already.
 */
export function checkField (field: CgpemField, value: string, length: number, today: number, bad = badCharIndex(field.type, value)): FieldProblem | null {
  const name = field.name
  if (!field.fixed && length > field.length) {
    return { code: 'CGPEM_FIELD_TOO_LONG', message: `${name} a au plus ${field.length} caractères, lu ${length}.`, expected: `${field.length} caractères au plus` }
  }
  const presence = checkPresence(field, bad === -2)
  if (presence !== undefined) return presence
  if (field.fixed && length !== field.length) {
    return { code: 'CGPEM_FIELD_LENGTH', message: `${name} a exactement ${field.length} caractères, lu ${length}.`, expected: `${field.length} caractères` }
  }
  if (bad >= 0) {
    return { code: 'CGPEM_FIELD_TYPE', message: `${name} (${TYPE_LABEL[field.type]}) contient ${describeChar(value.charAt(bad))} en position ${bad + 1}.`, expected: TYPE_LABEL[field.type] }
  }
  return checkRule(field, value, today)
}

/**
 * An 8-digit value as the integer SSAAMMJJ when it is a real date, else why
 * it is not (checkDate's words). Integers SSAAMMJJ compare as dates do.
 */
function dateOrWhy (v: string): number | string {
  let n = 0
  for (let i = 0; i < 8; i++) n = n * 10 + v.charCodeAt(i) - 0x30
  const y = Math.floor(n / 10000)
  const m = Math.floor(n / 100) % 100
  const d = n % 100
  if (y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m)) return n
  return checkDate(v) ?? 'date invalide'
}

function checkRule (field: CgpemField, v: string, today: number): FieldProblem | null {
  const name = field.name
  switch (field.rule) {
    case 'nir':
      return NIR_RE.test(v) ? null : { code: 'CGPEM_NIR_INVALID', message: `${name} ne suit pas les règles du NIR : ${nirFault(v)}.`, expected: 'sexe, année, mois, département, commune, ordre (13 caractères)' }
    case 'date-past':
    case 'date-decision': {
      const date = dateOrWhy(v)
      if (typeof date === 'string') return { code: 'CGPEM_DATE_INVALID', message: `${name} n'est pas une date réelle SSAAMMJJ : ${date}.`, expected: 'SSAAMMJJ, un jour du calendrier' }
      if (field.rule === 'date-past' && date >= today) return { code: 'CGPEM_DATE_FUTURE', message: `${name} doit être une date passée.`, expected: 'avant le jour du dépôt' }
      if (field.rule === 'date-decision' && date > today) return { code: 'CGPEM_DATE_FUTURE', message: `${name} ne peut pas suivre le jour du dépôt (décision D7).`, expected: 'au plus le jour du dépôt' }
      return null
    }
    case 'nature':
      return NATURES_ACCOMPAGNEMENT.has(v) ? null : { code: 'CGPEM_NATURE_UNKNOWN', message: `${name} vaut 01 à 06 (${[...NATURES_ACCOMPAGNEMENT.keys()].join(', ')}), lu ${v}.`, expected: '01 à 06' }
    case 'identifiant-pe':
      return IDENTIFIANT_PE_RE.test(v) ? null : { code: 'CGPEM_IDENTIFIANT_PE_INVALID', message: `${name} a sept chiffres et une lettre majuscule, ou huit chiffres.`, expected: '7 chiffres et une lettre, ou 8 chiffres' }
    case 'email':
      return EMAIL_RE.test(v) ? null : { code: 'CGPEM_EMAIL_INVALID', message: `${name} n'a pas la forme d'une adresse e-mail (nom@domaine.tld).`, expected: 'nom@domaine.tld' }
    default:
      return null
  }
}

/** fieldVerdict's answers. */
export const FIELD_OK = 0
export const FIELD_BLANK = 1
export const FIELD_PROBLEM = 2

const isDigit = (c: number): boolean => c >= 0x30 && c <= 0x39

/** The natures as two bytes (first * 256 + second). */
const NATURE_CODES: ReadonlySet<number> = new Set([...NATURES_ACCOMPAGNEMENT.keys()].map((k) => {
  if (k.length !== 2) throw new Error('fields: a nature has two characters')
  return k.charCodeAt(0) * 256 + k.charCodeAt(1)
}))

/** Characters of EMAIL_PATTERN: 1 in the local part, 2 in the local part and in the domain's labels. */
const EMAIL_CHARS = new Uint8Array(256)
for (let c = 0; c < 256; c++) {
  const alnum = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || isDigit(c)
  if (alnum || c === 0x2D) EMAIL_CHARS[c] = 2
  else if ('._%+\''.includes(String.fromCharCode(c))) EMAIL_CHARS[c] = 1
}

/** valueFlags' bits: a character that makes the value not blank, a character the type forbids. */
export const NOT_BLANK = 1
export const FORBIDDEN = 2

/** Per type and byte, its valueFlags bits (from the classes badCharIndex reads). */
export const VALUE_FLAGS: Readonly<Record<CgpemField['type'], Uint8Array>> = {
  A: flagTable(CLASSES.A),
  AN: flagTable(CLASSES.AN),
  N: flagTable(CLASSES.N),
  D: flagTable(CLASSES.D)
}

function flagTable (classes: Uint8Array): Uint8Array {
  // 1 allowed, 2 allowed space, 3 skipped, 4 forbidden space, 0 forbidden
  return classes.map((k) => k === 1 || k === 3 ? NOT_BLANK : k === 0 ? NOT_BLANK | FORBIDDEN : k === 4 ? FORBIDDEN : 0)
}

/** The VALUE_FLAGS bits of the bytes b[start, end), or-ed: what badCharIndex learns of them, but where. */
export function valueFlags (type: CgpemField['type'], b: Uint8Array, start: number, end: number): number {
  const flags = VALUE_FLAGS[type]
  let f = 0
  for (let i = start; i < end; i++) f |= flags[b[i] as number] as number
  return f
}

/**
 * checkField on the bytes b[start, end) of ISO-8859-1 text (a byte is a
 * character): for a reader that has bytes and no string yet, to learn
 * without making one whether the field is fine. FIELD_OK: no problem, the
 * value is not blank; FIELD_BLANK: no problem, a blank value (absent);
 * FIELD_PROBLEM: checkField reports something, on the string. The same
 * steps as checkField and badCharIndex, in the same order; the patterns
 * (NIR_PATTERN, IDENTIFIANT_PE_PATTERN, EMAIL_PATTERN) are matched byte by
 * byte (a test compares both on many values). `flags` is valueFlags', when
 * the caller has it already.
 */
export function fieldVerdict (field: CgpemField, b: Uint8Array, start: number, end: number, today: number, flags = valueFlags(field.type, b, start, end)): number {
  const length = end - start
  if (!field.fixed && length > field.length) return FIELD_PROBLEM
  if ((flags & NOT_BLANK) === 0) return field.required === false ? FIELD_BLANK : FIELD_PROBLEM
  if ((field.fixed && length !== field.length) || (flags & FORBIDDEN) !== 0) return FIELD_PROBLEM
  switch (field.rule) {
    case 'nir':
      return isNirAt(b, start, end) ? FIELD_OK : FIELD_PROBLEM
    case 'date-past':
    case 'date-decision': {
      if (length !== 8) return FIELD_PROBLEM
      let n = 0
      for (let i = start; i < end; i++) n = n * 10 + (b[i] as number) - 0x30
      const y = Math.floor(n / 10000)
      const m = Math.floor(n / 100) % 100
      const d = n % 100
      if (!(y >= 1900 && m >= 1 && m <= 12 && d >= 1 && d <= daysInMonth(y, m))) return FIELD_PROBLEM
      return (field.rule === 'date-past' ? n >= today : n > today) ? FIELD_PROBLEM : FIELD_OK
    }
    case 'nature':
      return length === 2 && NATURE_CODES.has((b[start] as number) * 256 + (b[start + 1] as number)) ? FIELD_OK : FIELD_PROBLEM
    case 'identifiant-pe': {
      if (length !== 8) return FIELD_PROBLEM
      for (let i = start; i < start + 7; i++) if (!isDigit(b[i] as number)) return FIELD_PROBLEM
      const last = b[start + 7] as number
      return isDigit(last) || (last >= 0x41 && last <= 0x5A) ? FIELD_OK : FIELD_PROBLEM
    }
    case 'email':
      return isEmailAt(b, start, end) ? FIELD_OK : FIELD_PROBLEM
    default:
      return FIELD_OK
  }
}

/** NIR_PATTERN, whole, on b[start, end). */
function isNirAt (b: Uint8Array, start: number, end: number): boolean {
  if (end - start !== 13) return false
  const c = (k: number): number => b[start + k] as number
  const sex = c(0)
  if (sex !== 0x31 && sex !== 0x32 && sex !== 0x37 && sex !== 0x38) return false
  if (!isDigit(c(1)) || !isDigit(c(2))) return false
  // month: 0[1-9] | 1[0-2] | 20 | 3[0-9] | 4[0-2] | [5-9][0-9]
  const m0 = c(3)
  const m1 = c(4)
  if (!isDigit(m1)) return false
  if (m0 === 0x30 ? m1 === 0x30 : m0 === 0x31 ? m1 > 0x32 : m0 === 0x32 ? m1 !== 0x30 : m0 === 0x34 ? m1 > 0x32 : !(m0 === 0x33 || (m0 >= 0x35 && m0 <= 0x39))) return false
  // département: 0[1-9] | [1-9][0-9] | 2A | 2B
  const d0 = c(5)
  const d1 = c(6)
  if (d0 === 0x32 && (d1 === 0x41 || d1 === 0x42)) {
    // Corsica
  } else if (!isDigit(d0) || !isDigit(d1) || (d0 === 0x30 && d1 === 0x30)) return false
  for (let k = 7; k < 13; k++) if (!isDigit(c(k))) return false
  return true
}

/** EMAIL_PATTERN, whole, on b[start, end): a local part, '@', labels joined by dots, two at least. */
function isEmailAt (b: Uint8Array, start: number, end: number): boolean {
  let i = start
  while (i < end && EMAIL_CHARS[b[i] as number] !== 0) i++
  if (i === start || i >= end || b[i] !== 0x40) return false
  let labels = 0
  for (;;) {
    const from = ++i
    while (i < end && EMAIL_CHARS[b[i] as number] === 2) i++
    if (i === from) return false
    labels++
    if (i === end) return labels >= 2
    if (b[i] !== 0x2E) return false
  }
}

/** Which part of a 13-character NIR breaks the rules, in words that do not repeat it. */
function nirFault (v: string): string {
  if (!/^[1278]$/.test(v.slice(0, 1))) return 'le sexe (1er caractère) vaut 1, 2, 7 ou 8'
  if (!/^[0-9]{2}$/.test(v.slice(1, 3))) return 'l\'année (2e et 3e caractères) a deux chiffres'
  if (!/^(0[1-9]|1[0-2]|20|3[0-9]|4[0-2]|[5-9][0-9])$/.test(v.slice(3, 5))) return 'le mois (4e et 5e caractères) vaut 01 à 12, 20, 30 à 42 ou 50 à 99'
  if (!/^(0[1-9]|[1-9][0-9]|2A|2B)$/.test(v.slice(5, 7))) return 'le département de naissance (6e et 7e caractères) vaut 01 à 95, 2A, 2B ou 96 à 99'
  if (!/^[0-9]{3}$/.test(v.slice(7, 10))) return 'la commune (8e à 10e caractères) a trois chiffres'
  return 'le numéro d\'ordre (11e à 13e caractères) a trois chiffres'
}
