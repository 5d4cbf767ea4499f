import { CONTROL_CHARACTERS } from '../text/controls.js'
import { FINDING_CODES, type FindingCode, type Severity } from './codes.js'

/** One problem found in a file: what, where, and what was seen. */
export interface Finding {
  code: FindingCode
  severity: Severity
  /** French: what is wrong, the rule, what was seen */
  message: string
  /** 1-based, counted in bytes (one byte is one ISO-8859-1 character) */
  line?: number
  column?: number
  /** the orientation's 1-based number (a PECGM: the record's, header included) */
  record?: number
  field?: string
  /** the value seen, masked for identifiers, cut to 60 characters */
  value?: string
  expected?: string
  /** for a duplicate: the orientation (or PECGM record) that came first */
  firstRecord?: number
}

/** The forms of a CGPEM: XML or fixed-width lines (decision D6) */
export type FileFormat = 'xml' | 'fixed'
/** What a report is about: a CGPEM in one of its forms, or a PECGM (the server only checks CGPEM) */
export type ReportFormat = FileFormat | 'pecgm'

export interface ValidationStats {
  bytes: number
  records: number
  errors: number
  warnings: number
  infos: number
  byCode: Partial<Record<FindingCode, number>>
}

export interface ValidationReport<F extends ReportFormat = FileFormat> {
  /** true when no finding is an error: the file is accepted */
  valid: boolean
  format: F | null
  stats: ValidationStats
  findings: Finding[]
  truncated: boolean
  /** when truncated: how many findings of each code were counted but left out */
  omitted?: Partial<Record<FindingCode, number>>
}

export const DEFAULT_MAX_FINDINGS = 1000
const VALUE_MAX = 60

/** Identifiers are never shown whole: how many leading characters stay visible. */
const VISIBLE_PREFIX: Readonly<Record<string, number>> = {
  NIR: 3,
  /** a PECGM's: « renseigné avec le NIR sur 13 c. » (Annexe 3) */
  NUMERO_ALLOCATAIRE_MSA: 3,
  IDENTIFIANT_PE: 2,
  TEL_CORRESPONDANT: 2
}

/** At most 60 characters, and no control character (they are shown as U+FFFD). */
function cut (s: string): string {
  const v = s.length > VALUE_MAX ? `${s.slice(0, VALUE_MAX - 1)}…` : s
  return v.replace(CONTROL_CHARACTERS, '\uFFFD')
}

/** The value as a finding may show it: identifiers masked, at most 60 characters. */
export function shownValue (field: string | undefined, value: string): string {
  if (field === undefined) return cut(value)
  const visible = VISIBLE_PREFIX[field]
  if (visible !== undefined) {
    const v = cut(value)
    return v.slice(0, visible) + '*'.repeat(Math.max(0, v.length - visible))
  }
  if (field === 'EMAIL_CORRESPONDANT') {
    const v = cut(value)
    const at = v.indexOf('@')
    const local = at < 0 ? v : v.slice(0, at)
    return local.slice(0, 1) + '*'.repeat(Math.max(0, local.length - 1)) + (at < 0 ? '' : v.slice(at))
  }
  return cut(value)
}

/** A run of five digits or more: an identifier (NIR, identifiant, telephone) may hide in a name a file made up. */
const DIGIT_RUN = /[0-9]{5,}/g

/**
 * An element or attribute name as a finding may show it, in its value and
 * its message: at most 60 characters, and every run of five digits or more
 * masked but its first two (`<NIR1870199015796/>` shows NIR18***********),
 * since a name is whatever the file wrote, a NIR glued to a tag included.
 */
export function shownName (name: string): string {
  return maskedDigits(cut(name))
}

/**
 * Text read from the file outside any field (text out of a zone, a root's
 * name, what the XML declaration says, a malformed tag quoted), as a finding
 * may show it: every run of five digits or more masked but its first two,
 * as shownName does, since it may be an identifier written out of place.
 */
export function maskedDigits (text: string): string {
  return text.replace(DIGIT_RUN, (run) => run.slice(0, 2) + '*'.repeat(run.length - 2))
}

/**
 * Collects findings: counts every one, keeps the first `max`. Counting stays
 * complete when the list is capped, so the verdict never depends on the cap.
 */
export class ReportBuilder<F extends ReportFormat = FileFormat> {
  readonly findings: Finding[] = []
  readonly byCode: Partial<Record<FindingCode, number>> = {}
  readonly omitted: Partial<Record<FindingCode, number>> = {}
  errors = 0
  warnings = 0
  infos = 0
  private readonly max: number

  constructor (max: number) {
    this.max = max
  }

  /**
   * Adds a finding; returns it when it is kept, else null. Its value is
   * masked as the value of its field, unless `valueIsName` (an element or
   * attribute name seen inside an identifier's element is no identifier).
   */
  add (code: FindingCode, message: string, where: Omit<Finding, 'code' | 'severity' | 'message'> = {}, valueIsName = false): Finding | null {
    const severity = FINDING_CODES[code].severity
    this.byCode[code] = (this.byCode[code] ?? 0) + 1
    if (severity === 'error') this.errors++
    else if (severity === 'warning') this.warnings++
    else this.infos++
    if (this.findings.length >= this.max) {
      this.omitted[code] = (this.omitted[code] ?? 0) + 1
      return null
    }
    // a message may quote what it read: no control character goes out raw (a CR would garble a terminal's line)
    const f: Finding = { code, severity, message: message.replace(CONTROL_CHARACTERS, '\uFFFD'), ...where }
    if (f.value !== undefined) f.value = shownValue(valueIsName ? undefined : f.field, f.value)
    this.findings.push(f)
    return f
  }

  count (code: FindingCode): number {
    return this.byCode[code] ?? 0
  }

  build (format: F | null, bytes: number, records: number): ValidationReport<F> {
    const truncated = Object.keys(this.omitted).length > 0
    const report: ValidationReport<F> = {
      valid: this.errors === 0,
      format,
      stats: { bytes, records, errors: this.errors, warnings: this.warnings, infos: this.infos, byCode: { ...this.byCode } },
      findings: this.findings,
      truncated
    }
    if (truncated) report.omitted = { ...this.omitted }
    return report
  }
}

/**
 * Adds findings to a finished report (the server's qualification adds its
 * own): counted in full, listed up to `maxFindings`, validity recomputed.
 */
export function appendFindings (report: ValidationReport, extra: readonly Finding[], maxFindings = DEFAULT_MAX_FINDINGS, uncounted = 0): ValidationReport {
  const stats = { ...report.stats, byCode: { ...report.stats.byCode } }
  const findings = [...report.findings]
  const omitted = { ...(report.omitted ?? {}) }
  let truncated = report.truncated
  for (const f of extra) {
    stats.byCode[f.code] = (stats.byCode[f.code] ?? 0) + 1
    if (f.severity === 'error') stats.errors++
    else if (f.severity === 'warning') stats.warnings++
    else stats.infos++
    if (findings.length < maxFindings) findings.push(f)
    else {
      truncated = true
      omitted[f.code] = (omitted[f.code] ?? 0) + 1
    }
  }
  // findings of the same code and severity as the last one, counted but not given (the caller kept only the first)
  const last = extra[extra.length - 1]
  if (last && uncounted > 0) {
    stats.byCode[last.code] = (stats.byCode[last.code] ?? 0) + uncounted
    if (last.severity === 'error') stats.errors += uncounted
    else if (last.severity === 'warning') stats.warnings += uncounted
    else stats.infos += uncounted
    truncated = true
    omitted[last.code] = (omitted[last.code] ?? 0) + uncounted
  }
  return { ...report, valid: stats.errors === 0, stats, findings, truncated, ...(truncated ? { omitted } : {}) }
}
