import { PhebusError } from '../errors.js'
import { defineRecordLayout, type FieldSpec, type RecordLayout } from './engine.js'

/**
 * PECGM, the file Pôle emploi deposits for a département (Annexe 3 §1),
 * version '001,0', with decision D1: every record is 1200 characters.
 * Positions as in ../shared/spec/exchange-formats.md.
 */
export const PECGM_RECORD_LENGTH = 1200

const HEADER_001: FieldSpec[] = [
  { name: 'TYPE_ENREGISTREMENT', from: 1, length: 1, type: 'AN', note: '\'E\'' },
  { name: 'FICHIER', from: 2, length: 4, type: 'AN', note: '\'PECG\'' },
  { name: 'PERIODICITE', from: 6, length: 1, type: 'AN', note: '\'M\' mensuel (stock), \'Q\' quotidien (flux) — D5' },
  { name: 'DEPARTEMENT', from: 7, length: 3, type: 'AN', note: 'cadré à gauche : \'77 \', \'2A \', \'971\' — D4' },
  { name: 'DATE_REFERENCE', from: 10, length: 8, type: 'D', note: 'pour un mensuel, son mois est le mois de référence' },
  { name: 'DATE_FABRICATION', from: 18, length: 8, type: 'D' },
  { name: 'VERSION', from: 26, length: 5, type: 'AN', note: '\'001,0\'' },
  { name: 'FILLER', from: 31, length: 1170, type: 'AN' }
]

const DETAIL_001: FieldSpec[] = [
  { name: 'TYPE_ENREGISTREMENT', from: 1, length: 1, type: 'AN', note: '\'D\'' },
  { name: 'NIR', from: 2, length: 13, type: 'AN', note: 'sans la clé' },
  { name: 'NOM_NAISSANCE', from: 15, length: 25, type: 'AN' },
  { name: 'NOM_MARITAL', from: 40, length: 25, type: 'AN' },
  { name: 'PRENOM', from: 65, length: 25, type: 'AN' },
  { name: 'DATE_NAISSANCE', from: 90, length: 8, type: 'D' },
  { name: 'STATUT_CERTIFICATION_IDENTITE', from: 98, length: 1, type: 'AN', note: '\'O\' ou \'N\'' },
  { name: 'CODE_INSEE_RESIDENCE', from: 99, length: 5, type: 'AN', note: 'à blanc pour un frontalier' },
  { name: 'NUMERO_ALLOCATAIRE_CAF', from: 104, length: 15, type: 'AN' },
  { name: 'NUMERO_ALLOCATAIRE_MSA', from: 119, length: 13, type: 'AN', note: 'le NIR, si connu de la MSA' },
  { name: 'DATE_DEBUT_IDE', from: 132, length: 8, type: 'D', note: 'dernière inscription' },
  { name: 'CODE_CATEGORIE_INSCRIPTION', from: 140, length: 1, type: 'AN', note: '1 à 5, à blanc pour un dispensé' },
  { name: 'LIBELLE_CATEGORIE_INSCRIPTION', from: 141, length: 60, type: 'AN' },
  { name: 'CODE_INSTITUTION_PE', from: 201, length: 3, type: 'AN' },
  { name: 'IDENTIFIANT_PE', from: 204, length: 8, type: 'AN', note: '7 chiffres et une lettre, ou 8 chiffres' },
  { name: 'CODE_SITUATION_EMPLOI', from: 212, length: 3, type: 'AN', note: 'D10' },
  { name: 'LIBELLE_SITUATION_EMPLOI', from: 215, length: 45, type: 'AN' },
  { name: 'DATE_CESSATION_IDE', from: 260, length: 8, type: 'D' },
  { name: 'MOTIF_CESSATION_IDE', from: 268, length: 2, type: 'AN' },
  { name: 'LIBELLE_MOTIF_CESSATION_IDE', from: 270, length: 75, type: 'AN' },
  { name: 'DATE_RADIATION', from: 345, length: 8, type: 'D' },
  { name: 'MOTIF_RADIATION', from: 353, length: 2, type: 'AN' },
  { name: 'LIBELLE_MOTIF_RADIATION', from: 355, length: 20, type: 'AN' },
  { name: 'SUIVI_PRINCIPAL_STRUCTURE', from: 375, length: 27, type: 'AN' },
  { name: 'SUIVI_PRINCIPAL_VOIE', from: 402, length: 32, type: 'AN' },
  { name: 'SUIVI_PRINCIPAL_COMPLEMENT', from: 434, length: 32, type: 'AN' },
  { name: 'SUIVI_PRINCIPAL_CODE_POSTAL', from: 466, length: 5, type: 'N' },
  { name: 'SUIVI_PRINCIPAL_CEDEX', from: 471, length: 2, type: 'N' },
  { name: 'SUIVI_PRINCIPAL_BUREAU_DISTRIBUTEUR', from: 473, length: 25, type: 'AN' },
  { name: 'SUIVI_DELEGUE_STRUCTURE', from: 498, length: 27, type: 'AN' },
  { name: 'SUIVI_DELEGUE_VOIE', from: 525, length: 32, type: 'AN' },
  { name: 'SUIVI_DELEGUE_COMPLEMENT', from: 557, length: 32, type: 'AN' },
  { name: 'SUIVI_DELEGUE_CODE_POSTAL', from: 589, length: 5, type: 'N' },
  { name: 'SUIVI_DELEGUE_CEDEX', from: 594, length: 2, type: 'N' },
  { name: 'SUIVI_DELEGUE_BUREAU_DISTRIBUTEUR', from: 596, length: 25, type: 'AN' },
  { name: 'NIVEAU_FORMATION', from: 621, length: 3, type: 'AN' },
  { name: 'LIBELLE_NIVEAU_FORMATION', from: 624, length: 50, type: 'AN' },
  { name: 'SECTEUR_FORMATION', from: 674, length: 5, type: 'AN', note: 'FORMACODE' },
  { name: 'LIBELLE_SECTEUR_FORMATION', from: 679, length: 30, type: 'AN' },
  { name: 'CODE_ROME', from: 709, length: 5, type: 'AN', note: 'ROME v3' },
  { name: 'LIBELLE_ROME', from: 714, length: 150, type: 'AN' },
  { name: 'CONSEILLER_PE', from: 864, length: 27, type: 'AN' },
  { name: 'DATE_SIGNATURE_PPAE', from: 891, length: 8, type: 'D' },
  { name: 'DATE_NOTIFICATION_PPAE_CER', from: 899, length: 8, type: 'D' },
  { name: 'AXE_TRAVAIL_PRINCIPAL', from: 907, length: 2, type: 'AN', note: '01 à 07' },
  { name: 'MODALITE_ACCOMPAGNEMENT', from: 909, length: 3, type: 'AN', note: 'APR GUI REN SUI GLO' },
  { name: 'DATE_DERNIER_CONTACT', from: 912, length: 8, type: 'D' },
  { name: 'FILLER', from: 920, length: 281, type: 'AN', note: 'D1' }
]

const FOOTER_001: FieldSpec[] = [
  { name: 'TYPE_ENREGISTREMENT', from: 1, length: 1, type: 'AN', note: '\'F\'' },
  { name: 'DEPARTEMENT', from: 2, length: 3, type: 'AN' },
  { name: 'DATE_REFERENCE', from: 5, length: 8, type: 'D' },
  { name: 'NB_ENREGISTREMENTS', from: 13, length: 9, type: 'N', note: 'nombre d\'enregistrements \'D\'' },
  { name: 'FILLER', from: 22, length: 1179, type: 'AN', note: 'D1' }
]

export interface PecgmLayouts {
  readonly version: string
  readonly header: RecordLayout
  readonly detail: RecordLayout
  readonly footer: RecordLayout
}

/** Layouts by the header's VERSION: a corrected layout is a new entry here. */
export const PECGM_LAYOUTS: ReadonlyMap<string, PecgmLayouts> = new Map([
  ['001,0', Object.freeze({
    version: '001,0',
    header: defineRecordLayout('PECGM 001,0 entête', PECGM_RECORD_LENGTH, HEADER_001),
    detail: defineRecordLayout('PECGM 001,0 détail', PECGM_RECORD_LENGTH, DETAIL_001),
    footer: defineRecordLayout('PECGM 001,0 fin', PECGM_RECORD_LENGTH, FOOTER_001)
  })]
])

export const DEFAULT_PECGM_VERSION = '001,0'

export function getPecgmLayouts (version: string): PecgmLayouts {
  const l = PECGM_LAYOUTS.get(version)
  if (!l) throw new PhebusError('PHEBUS_LAYOUT_UNKNOWN_VERSION', `Version PECGM « ${version} » inconnue ; versions connues : ${[...PECGM_LAYOUTS.keys()].join(', ')}.`)
  return l
}

/** Decision D4: '77 ', '2A ', '971'. */
export function departementField (code: string): string {
  return code.padEnd(3, ' ')
}
