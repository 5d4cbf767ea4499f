import {
  CATEGORIES, CESSATION_MOTIFS, MODALITIES, RADIATION_MOTIFS, SITUATIONS, TRAINING_LEVELS, WORK_AXES, type CodeLabel
} from '../../generators/data/annexe4.js'
import { CGPEM_FIELDS, type CgpemField } from '../layouts/cgpem.js'
import type { Field } from '../layouts/engine.js'
import type { PecgmRecordType } from '../layouts/pecgm-reader.js'
import type { FindingCode } from './codes.js'
import { checkField } from './fields.js'

/**
 * The rule of each PECGM field beyond its type (the reader checks N and D):
 * code lists (the generator's own tables, generators/data/annexe4.ts), the
 * NIR and IDENTIFIANT_PE as the CGPEM checks them, a few forms, dates
 * against the day of the check, blank fillers. A blank value is absent
 * (decision D3) and passes every rule but STATUT_CERTIFICATION_IDENTITE's.
 */

export interface PecgmFieldProblem {
  code: FindingCode
  message: string
  expected?: string
}

export type PecgmRule =
  | { kind: 'list', codes: ReadonlySet<string>, blank: boolean, own: boolean, expected: string }
  | { kind: 'cgpem', field: CgpemField, code: FindingCode }
  | { kind: 'form', re: RegExp, expected: string }
  | { kind: 'date', before: boolean }
  | { kind: 'filler' }

function list (entries: readonly CodeLabel[], expected: string, options: { blank?: boolean, own?: boolean } = {}): PecgmRule {
  return { kind: 'list', codes: new Set(entries.map((e) => e.code)), blank: options.blank ?? true, own: options.own ?? false, expected }
}

function cgpem (name: string, code: FindingCode): PecgmRule {
  const field = CGPEM_FIELDS.find((f) => f.name === name)
  if (field === undefined) throw new Error(`CGPEM_FIELDS has no ${name}`)
  return { kind: 'cgpem', field, code }
}

const OWN_SITUATIONS = SITUATIONS.filter((s) => s.own)

/** Rules by field name; a D field without one gets { kind: 'date', before: false }, FILLER the filler rule. */
const RULES: ReadonlyMap<string, PecgmRule> = new Map<string, PecgmRule>([
  ['NIR', cgpem('NIR', 'PECGM_NIR_INVALID')],
  ['DATE_NAISSANCE', { kind: 'date', before: true }],
  ['STATUT_CERTIFICATION_IDENTITE', list([{ code: 'O', label: 'oui' }, { code: 'N', label: 'non' }], 'O ou N', { blank: false })],
  ['CODE_INSEE_RESIDENCE', { kind: 'form', re: /^([0-9]{5}|2[AB][0-9]{3})$/, expected: 'cinq chiffres, ou 2A/2B et trois chiffres ; à blanc pour un frontalier' }],
  ['CODE_CATEGORIE_INSCRIPTION', list(CATEGORIES, '1 à 5, ou à blanc pour un dispensé')],
  ['IDENTIFIANT_PE', cgpem('IDENTIFIANT_PE', 'PECGM_IDENTIFIANT_PE_INVALID')],
  ['CODE_SITUATION_EMPLOI', list(SITUATIONS, `CEN, ou un code du projet (${OWN_SITUATIONS.length} codes, décision D10)`, { own: true })],
  ['MOTIF_CESSATION_IDE', list(CESSATION_MOTIFS, 'un motif de l\'Annexe 4 (11 à 98)')],
  ['MOTIF_RADIATION', list(RADIATION_MOTIFS, `01 à ${RADIATION_MOTIFS.length} (codes du projet, décision D10)`, { own: true })],
  ['NIVEAU_FORMATION', list(TRAINING_LEVELS, TRAINING_LEVELS.map((t) => t.code).join(' '))],
  ['SECTEUR_FORMATION', { kind: 'form', re: /^[0-9]{5}$/, expected: 'un FORMACODE : cinq chiffres' }],
  ['CODE_ROME', { kind: 'form', re: /^[A-N][0-9]{4}$/, expected: 'un code ROME : une lettre de A à N et quatre chiffres' }],
  ['AXE_TRAVAIL_PRINCIPAL', list(WORK_AXES, '01 à 07, ou à blanc')],
  ['MODALITE_ACCOMPAGNEMENT', list(MODALITIES, `${MODALITIES.map((m) => m.code).join(' ')}, ou à blanc`)]
])

const FILLER: PecgmRule = { kind: 'filler' }
const DATE: PecgmRule = { kind: 'date', before: false }

/** The rule of a field of a record of `type`, or null when its type says it all. Footer dates are the header's: compared with it. */
export function ruleOf (type: PecgmRecordType, field: Field): PecgmRule | null {
  if (field.name === 'FILLER') return FILLER
  const rule = type === 'D' ? RULES.get(field.name) : undefined
  if (rule !== undefined) return rule
  return field.type === 'D' && type !== 'F' ? DATE : null
}

/**
 * Checks a value read by PecgmReader (AN without trailing spaces, N and D
 * as digits or ''; their type already checked). `today` is the integer
 * SSAAMMJJ of the day of the check; `from`, the field's first column, when
 * known (a filler's finding then names the column of its first character).
 */
export function checkPecgmField (rule: PecgmRule, name: string, value: string, today: number, from?: number): PecgmFieldProblem | null {
  switch (rule.kind) {
    case 'filler': {
      if (value === '') return null
      // a filler is long and its text often far in: say where
      const at = value.search(/[^ ]/)
      const column = from === undefined ? '' : ` (colonne ${from + at})`
      return { code: 'PECGM_FILLER_NOT_BLANK', message: `${name} n'est pas fait d'espaces (décision D1) : « ${value.charAt(at)} » en position ${at + 1}${column} ; une zone est peut-être décalée.`, expected: 'des espaces' }
    }
    case 'date': {
      if (value === '') return null
      const n = Number(value)
      if (rule.before ? n < today : n <= today) return null
      return { code: 'PECGM_DATE_FUTURE', message: `${name} ${rule.before ? 'doit précéder' : 'suit'} le jour de la vérification (${today}, option --date).`, expected: rule.before ? 'avant le jour de la vérification' : 'au plus le jour de la vérification' }
    }
    case 'list':
      if (value === '' ? rule.blank : rule.codes.has(value)) return null
      if (rule.own && value !== '') return { code: 'PECGM_CODE_UNKNOWN_OWN', message: `${name} vaut « ${value} », hors de la liste du projet (décision D10) : accepté, mais signalé.`, expected: rule.expected }
      return { code: 'PECGM_CODE_UNKNOWN', message: `${name} ${value === '' ? 'est à blanc' : `vaut « ${value} », hors de sa liste`} ; attendu : ${rule.expected}.`, expected: rule.expected }
    case 'form':
      return value === '' || rule.re.test(value) ? null : { code: 'PECGM_FIELD_FORM', message: `${name} vaut « ${value} » ; attendu : ${rule.expected}.`, expected: rule.expected }
    case 'cgpem': {
      const problem = checkField(rule.field, value, value.length, today)
      return problem === null ? null : { code: rule.code, message: problem.message, ...(problem.expected === undefined ? {} : { expected: problem.expected }) }
    }
  }
}
