import { CGPEM_FIELDS, NATURES_POLE_EMPLOI } from '../layouts/cgpem.js'
import { badCharIndex, checkField, checkPresence, todayAsNumber } from './fields.js'
import { DuplicateLog } from './duplicates.js'
import { hash52, identityHash } from './identity.js'
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

const index = (name: string): number => CGPEM_FIELDS.findIndex((f) => f.name === name)
const NIR = index('NIR')
const NOM_NAISSANCE = index('NOM_NAISSANCE')
const PRENOM = index('PRENOM')
const DATE_NAISSANCE = index('DATE_NAISSANCE')
const CODE_PE = index('CODE_PE')
const IDENTIFIANT_PE = index('IDENTIFIANT_PE')
const NATURE = index('NATURE_ACCOMPAGNEMENT')

export interface OrientationValues {
  line: number
  record: number
  /** indexed like CGPEM_FIELDS, '' when absent; reused for the next orientation: copy what you keep */
  values: readonly string[]
}

export class RecordChecker {
  private readonly report: ReportBuilder
  /** the integer SSAAMMJJ of the day of the upload */
  private readonly today: number
  private readonly log = new DuplicateLog()
  /** the values of the record being checked, '' when absent or blank */
  private readonly values: string[] = CGPEM_FIELDS.map(() => '')

  /** `today` is a day number (dates.ts). */
  /** told of each orientation's values (by element name, '' when absent), for who needs them (the qualification) */
  onOrientation: ((o: OrientationValues) => void) | null = null

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
      if (seen.reported === true) continue
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
