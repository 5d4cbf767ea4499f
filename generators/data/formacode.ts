/**
 * A sample of real FORMACODE descriptors (Centre Inffo; five digits: the
 * three of the semantic field, two of the descriptor) for SECTEUR_FORMATION
 * (5) and LIBELLE_SECTEUR_FORMATION (30), chosen among the trainings of the
 * jobs in rome.ts, with 21011, the convention's example. Each code and
 * label was read on a public RNCP page (France compétences) or in the
 * convention; docs/donnees-de-reference.md says which. Nothing is invented.
 */

export interface Formacode {
  /** five digits */
  readonly code: string
  /** the descriptor, as the FORMACODE writes it */
  readonly label: string
  /** a readable form of `label` within 30 characters, when it is longer */
  readonly label30?: string
}

export const FORMACODES: readonly Formacode[] = Object.freeze([
  { code: '21011', label: 'Machinisme agricole' },
  { code: '21046', label: 'Travaux paysagers' },
  { code: '21050', label: 'Maçonnerie paysagère' },
  { code: '22274', label: 'Chantier BTP' },
  { code: '22334', label: 'Maçonnerie' },
  { code: '22454', label: 'Bâtiment second oeuvre' },
  { code: '31660', label: 'Approvisionnement' },
  { code: '31663', label: 'Gestion stock' },
  { code: '31721', label: 'Entreposage stockage' },
  { code: '31743', label: 'Expédition' },
  { code: '31804', label: 'Conduite véhicule articulé' },
  { code: '31807', label: 'Livraison' },
  { code: '31816', label: 'Conduite poids lourd' },
  { code: '31827', label: 'Transport marchandise' },
  { code: '34502', label: 'Vente spécialisée' },
  { code: '34559', label: 'Gestion rayon' },
  { code: '34566', label: 'Vente distribution' },
  { code: '34587', label: 'Grande distribution' },
  { code: '34588', label: 'Gestion point vente' },
  { code: '35054', label: 'Secrétariat assistanat' },
  { code: '42056', label: 'Service à la personne' },
  { code: '42093', label: 'Nettoyage locaux' },
  { code: '42708', label: 'Cuisine collectivité' },
  { code: '42725', label: 'Restauration rapide' },
  { code: '42746', label: 'Restauration' },
  { code: '42780', label: 'Entretien cuisine' },
  { code: '42810', label: 'Surveillance gardiennage' },
  { code: '42822', label: 'Surveillance protection gardiennage', label30: 'Surv. protection gardiennage' },
  { code: '43429', label: 'Agent service hospitalier' },
  { code: '44028', label: 'Auxiliaire vie sociale' },
  { code: '44030', label: 'Assistance maternelle' },
  { code: '44054', label: 'Action sociale' }
])
