import { defineRecordLayout, sequentialSpecs, type FieldType, type RecordLayout } from './engine.js'

/**
 * CGPEM, the département's orientation decisions (Annexe 3 §2). One table
 * serves the XML form, the fixed-width form (D6), the validator, the XSD
 * test and the docs.
 */
export type CgpemRule = 'nir' | 'date-past' | 'date-decision' | 'nature' | 'identifiant-pe' | 'phone' | 'email' | 'none'

export interface CgpemField {
  /** element name in the XML form */
  readonly name: string
  /** the convention's own words */
  readonly label: string
  readonly type: FieldType
  readonly length: number
  /** true: exactly `length`; false: at most `length` */
  readonly fixed: boolean
  /** 'warning': absent is a warning (D7) */
  readonly required: boolean | 'warning'
  readonly rule: CgpemRule
}

export const NATURES_ACCOMPAGNEMENT: ReadonlyMap<string, string> = new Map([
  ['01', 'Orienté vers un référent social'],
  ['02', 'Orienté vers un autre opérateur public'],
  ['03', 'Orienté vers un opérateur privé de l\'emploi'],
  ['04', 'Orienté vers un réseau d\'appui à la création d\'entreprise'],
  ['05', 'Orienté vers Pôle emploi (offre de service de droit commun)'],
  ['06', 'Orienté vers Pôle emploi (offre de service complémentaire RSA)']
])

/** Natures that send the person to Pôle emploi. */
export const NATURES_POLE_EMPLOI: ReadonlySet<string> = new Set(['05', '06'])

export const CGPEM_FIELDS: readonly CgpemField[] = Object.freeze([
  { name: 'NIR', label: 'NIR', type: 'AN', length: 13, fixed: true, required: false, rule: 'nir' },
  { name: 'NOM_NAISSANCE', label: 'Nom de naissance', type: 'A', length: 25, fixed: false, required: true, rule: 'none' },
  { name: 'NOM_MARITAL', label: 'Nom marital', type: 'A', length: 25, fixed: false, required: false, rule: 'none' },
  { name: 'PRENOM', label: 'Prénom', type: 'A', length: 25, fixed: false, required: true, rule: 'none' },
  { name: 'DATE_NAISSANCE', label: 'Date de naissance', type: 'D', length: 8, fixed: true, required: true, rule: 'date-past' },
  { name: 'CODE_PE', label: 'N° du Pôle emploi', type: 'AN', length: 3, fixed: true, required: false, rule: 'none' },
  { name: 'IDENTIFIANT_PE', label: 'Identifiant Pôle emploi du bénéficiaire RSA', type: 'AN', length: 8, fixed: true, required: false, rule: 'identifiant-pe' },
  { name: 'NATURE_ACCOMPAGNEMENT', label: 'Nature de l\'accompagnement', type: 'N', length: 2, fixed: true, required: true, rule: 'nature' },
  { name: 'DATE_DECISION_ORIENTATION', label: 'Date de la décision d\'orientation', type: 'D', length: 8, fixed: true, required: 'warning', rule: 'date-decision' },
  { name: 'ORGANISME_REFERENT', label: 'Organisme référent pour l\'accompagnement', type: 'AN', length: 90, fixed: false, required: false, rule: 'none' },
  { name: 'NOM_CORRESPONDANT', label: 'Nom du correspondant', type: 'A', length: 30, fixed: false, required: false, rule: 'none' },
  { name: 'PRENOM_CORRESPONDANT', label: 'Prénom du correspondant', type: 'A', length: 25, fixed: false, required: false, rule: 'none' },
  { name: 'TEL_CORRESPONDANT', label: 'N° de téléphone du correspondant', type: 'N', length: 10, fixed: true, required: false, rule: 'phone' },
  { name: 'EMAIL_CORRESPONDANT', label: 'E-mail du correspondant', type: 'AN', length: 60, fixed: false, required: false, rule: 'email' },
  { name: 'SERVICE_CORRESPONDANT', label: 'Service du correspondant', type: 'AN', length: 50, fixed: false, required: false, rule: 'none' }
] as const satisfies readonly CgpemField[])

export const CGPEM_FIELD_BY_NAME: ReadonlyMap<string, CgpemField> = new Map(CGPEM_FIELDS.map((f) => [f.name, f]))

/** Where a field is in a record's values, which are indexed like CGPEM_FIELDS. */
export function cgpemFieldIndex (name: string): number {
  const i = CGPEM_FIELDS.findIndex((f) => f.name === name)
  if (i < 0) throw new Error(`CGPEM_FIELDS has no ${name}`)
  return i
}

export const CGPEM_ROOT = 'CGPEM'
export const CGPEM_RECORD = 'ORIENTATION'

/** Decision D6: the fixed-width form, each field padded to its length in the table's order. */
export const CGPEM_FIXED_LAYOUT: RecordLayout = defineRecordLayout('CGPEM largeur fixe',
  CGPEM_FIELDS.reduce((n, f) => n + f.length, 0),
  sequentialSpecs(CGPEM_FIELDS.map((f) => ({ name: f.name, length: f.length, type: f.type }))))
