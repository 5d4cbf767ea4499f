import { CGPEM_FIELDS, cgpemFieldIndex, NATURES_POLE_EMPLOI, type CgpemField } from '../layouts/cgpem.js'
import { badCharIndex, checkField, checkPresence, FIELD_OK, FIELD_PROBLEM, fieldVerdict, holdsReportedByte, todayAsNumber } from './fields.js'
import { DuplicateLog } from './duplicates.js'
import { hash52, hash52Bytes, identityHash, identityHashBytes } from './identity.js'
import type { Finding, ReportBuilder } from './report.js'

/**
 * The checks of one orientation, whichever form it was read from: each field
 * of the table, then the rules that span fields and records. The checker
 * keeps nothing of a record but hashes: readers may reuse their objects.
 */

export interface FieldSeen {
  /** the value, possibly only its beginning when it is very long */
  value: string
  /** its true length */
  length: number
  line: number
  column: number
  /** the structure checks already reported this field (an element inside it): no field check */
  reported?: boolean
}

export interface RecordSeen {
  /** 1-based */
  number: number
  line: number
  column: number
  /** indexed like CGPEM_FIELDS */
  fields: Array<FieldSeen | undefined>
}

type Where = Omit<Finding, 'code' | 'severity' | 'message'>

const index = cgpemFieldIndex
const NIR = index('NIR')
const NOM_NAISSANCE = index('NOM_NAISSANCE')
const PRENOM = index('PRENOM')
const DATE_NAISSANCE = index('DATE_NAISSANCE')
const CODE_PE = index('CODE_PE')
const IDENTIFIANT_PE = index('IDENTIFIANT_PE')
const NATURE = index('NATURE_ACCOMPAGNEMENT')
/** The natures that send to Pôle emploi as two bytes (first * 256 + second). */
const POLE_EMPLOI_CODES: ReadonlySet<number> = new Set([...NATURES_POLE_EMPLOI].map((k) => k.length === 2 ? k.charCodeAt(0) * 256 + k.charCodeAt(1) : -1))

export interface OrientationValues {
  line: number
  record: number
  /** indexed like CGPEM_FIELDS, '' when absent; reused for the next orientation: copy what you keep */
  values: readonly string[]
}

/** An orientation's fields as ISO-8859-1 bytes: field i (CGPEM_FIELDS) is b[starts[i], ends[i]), absent or blank when starts[i] is −1; valid during the call only. */
export type OrientationBytes = (line: number, record: number, b: Uint8Array, starts: Int32Array, ends: Int32Array) => void

export class RecordChecker {
  private readonly report: ReportBuilder
  /** the integer SSAAMMJJ of the day of the upload */
  private readonly today: number
  private readonly log = new DuplicateLog()
  /** the values of the record being checked, '' when absent or blank */
  private readonly values: string[] = CGPEM_FIELDS.map(() => '')
  /** checkBytes: where each field's bytes are, start -1 when it is absent or blank */
  private readonly starts = new Int32Array(CGPEM_FIELDS.length)
  private readonly ends = new Int32Array(CGPEM_FIELDS.length)

  /** `today` is a day number (dates.ts). */
  /** told of each orientation's values (by element name, '' when absent), for who needs them (the qualification) */
  onOrientation: ((o: OrientationValues) => void) | null = null
  /** with onOrientation: an orientation checked on its bytes comes here instead, its fields where they are (starts[i] −1: absent or blank) */
  onOrientationBytes: OrientationBytes | null = null

  constructor (report: ReportBuilder, today: number) {
    this.report = report
    this.today = todayAsNumber(today)
  }

  check (rec: RecordSeen): void {
    const { report } = this
    for (let i = 0; i < CGPEM_FIELDS.length; i++) {
      const field = CGPEM_FIELDS[i]
      if (field === undefined) continue
      const seen = rec.fields[i]
      if (seen === undefined) {
        this.values[i] = ''
        const problem = checkPresence(field, true)
        if (problem) report.add(problem.code, problem.message, { line: rec.line, column: rec.column, record: rec.number, field: field.name })
        continue
      }
      const bad = badCharIndex(field.type, seen.value)
      this.values[i] = bad === -2 ? '' : seen.value
      if (seen.reported === true || holdsReportedByte(seen.value)) continue
      const problem = checkField(field, seen.value, seen.length, this.today, bad)
      if (!problem) continue
      const where: Where = { line: seen.line, column: seen.column, record: rec.number, field: field.name }
      if (this.values[i] !== '') where.value = this.values[i]
      if (problem.expected !== undefined) where.expected = problem.expected
      report.add(problem.code, problem.message, where)
    }
    this.checkAcross(rec)
    if (this.onOrientation !== null) this.onOrientation({ line: rec.line, record: rec.number, values: this.values })
  }

  /**
   * check() for an orientation whose values are ISO-8859-1 bytes (a byte is
   * a character) and that reports nothing, without making its strings:
   * `fields` gives the present fields' indexes, in increasing order, the
   * bytes of each, b[starts[k], ends[k]), and their valueFlags (fields.ts),
   * flags[k]. When every field passes
   * (fieldVerdict), none is missing and no rule across fields is broken, the
   * orientation is logged as check() would log it and true is returned.
   * Else false, nothing done: the caller makes the strings and calls
   * check(), which reports. When onOrientation wants the values, only if
   * onOrientationBytes takes the bytes instead.
   */
  checkBytes (number: number, line: number, column: number, b: Uint8Array, fields: Int32Array, starts: Int32Array, ends: Int32Array, flags: Int32Array, count: number): boolean {
    if (this.onOrientation !== null && this.onOrientationBytes === null) return false
    let k = 0
    for (let i = 0; i < CGPEM_FIELDS.length; i++) {
      const field = CGPEM_FIELDS[i] as CgpemField
      this.starts[i] = -1
      if (k < count && fields[k] === i) {
        const verdict = fieldVerdict(field, b, starts[k] as number, ends[k] as number, this.today, flags[k] as number)
        if (verdict === FIELD_PROBLEM) return false
        if (verdict === FIELD_OK) {
          this.starts[i] = starts[k] as number
          this.ends[i] = ends[k] as number
        }
        k++
      } else if (field.required !== false) {
        return false
      }
    }
    if (k !== count) return false
    // checkAcross, on the bytes: a field is there when its start is
    const at = this.starts
    const nirAt = at[NIR] as number
    const identifiantAt = at[IDENTIFIANT_PE] as number
    if (identifiantAt >= 0 && (at[CODE_PE] as number) < 0) return false
    const natureAt = at[NATURE] as number
    if (nirAt < 0 && identifiantAt < 0 && natureAt >= 0) {
      if ((this.ends[NATURE] as number) - natureAt === 2 && POLE_EMPLOI_CODES.has((b[natureAt] as number) * 256 + (b[natureAt + 1] as number))) return false
    }
    const nomAt = at[NOM_NAISSANCE] as number
    const prenomAt = at[PRENOM] as number
    const naissanceAt = at[DATE_NAISSANCE] as number
    const identity = nomAt >= 0 && prenomAt >= 0 && naissanceAt >= 0
      ? identityHashBytes(b, nomAt, this.ends[NOM_NAISSANCE] as number, prenomAt, this.ends[PRENOM] as number, naissanceAt, this.ends[DATE_NAISSANCE] as number)
      : 0
    let nirKey = 0
    let prefix = 0
    if (nirAt >= 0) {
      const end = this.ends[NIR] as number
      nirKey = hash52Bytes(b, nirAt, end)
      for (let j = 0; j < 3 && nirAt + j < end; j++) prefix |= (b[nirAt + j] as number) << (8 * j)
    }
    this.log.addWithPrefix(number, line, column, nirKey, prefix, identity)
    this.onOrientationBytes?.(line, number, b, this.starts, this.ends)
    return true
  }

  /** The rules across orientations, once they are all read: each person oriented twice. */
  finish (): void {
    for (const r of this.log.repeats()) {
      const at = { line: r.line, column: r.column, record: r.record, firstRecord: r.first }
      if (r.kind === 'nir') {
        this.report.add('CGPEM_DUPLICATE_NIR', `même NIR que l'orientation ${r.first} ; une personne est orientée une fois par fichier.`, { ...at, field: 'NIR', value: `${r.nirPrefix}${'*'.repeat(10)}` })
      } else {
        this.report.add('CGPEM_DUPLICATE_IDENTITY', `mêmes nom de naissance, prénom et date de naissance que l'orientation ${r.first} (casse, accents et blancs répétés ignorés).`, { ...at, field: 'NOM_NAISSANCE' })
      }
    }
  }

  private checkAcross (rec: RecordSeen): void {
    const nir = this.values[NIR] as string
    const identifiant = this.values[IDENTIFIANT_PE] as string
    if (identifiant !== '' && this.values[CODE_PE] as string === '') {
      this.report.add('CGPEM_CODE_PE_MISSING', 'IDENTIFIANT_PE est donné sans CODE_PE ; l\'identifiant n\'a de sens qu\'avec l\'agence qui l\'a attribué.', { line: rec.line, column: rec.column, record: rec.number, field: 'CODE_PE', expected: 'CODE_PE renseigné' })
    }
    const nature = this.values[NATURE] as string
    if (NATURES_POLE_EMPLOI.has(nature) && nir === '' && identifiant === '') {
      this.report.add('CGPEM_PE_UNMATCHABLE', `orientée vers Pôle emploi (nature ${nature}) sans NIR ni IDENTIFIANT_PE ; le rapprochement avec un demandeur d'emploi est peu probable.`, { line: rec.line, column: rec.column, record: rec.number, field: 'NIR' })
    }
    const nom = this.values[NOM_NAISSANCE] as string
    const prenom = this.values[PRENOM] as string
    const naissance = this.values[DATE_NAISSANCE] as string
    const identity = nom !== '' && prenom !== '' && naissance !== '' ? identityHash(nom, prenom, naissance) : 0
    this.log.add(rec.number, rec.line, rec.column, nir === '' ? 0 : hash52(nir), nir, identity)
  }
}
