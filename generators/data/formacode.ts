/**
 * A sample of real FORMACODE descriptors (Centre Inffo; five digits: the
 * three of the semantic field, two of the descriptor) for SECTEUR_FORMATION
 * (5) and LIBELLE_SECTEUR_FORMATION (30), chosen among the trainings of the
 * jobs in rome.ts, with 21011, the convention's example. Each code and
 * label was read on a public RNCP page (France compétences) or in the
 * convention; docs/donnees-de-reference.md says which. Nothing is invented.
 *
 * Labels are written as the file carries them, in the style of the
 * convention's example "21011 MACHINISME AGRICOLE": plain capitals, no
 * accents.
 */

export interface Formacode {
  /** five digits */
  readonly code: string
  /** the descriptor's wording, in plain capitals without accents */
  readonly label: string
  /** a readable form of `label` within 30 characters, when it is longer, in the same style */
  readonly label30?: string
}

export const FORMACODES: readonly Formacode[] = Object.freeze([
  { code: '21011', label: 'MACHINISME AGRICOLE' },
  { code: '21046', label: 'TRAVAUX PAYSAGERS' },
  { code: '21050', label: 'MACONNERIE PAYSAGERE' },
  { code: '22274', label: 'CHANTIER BTP' },
  { code: '22334', label: 'MACONNERIE' },
  { code: '22454', label: 'BATIMENT SECOND OEUVRE' },
  { code: '31660', label: 'APPROVISIONNEMENT' },
  { code: '31663', label: 'GESTION STOCK' },
  { code: '31721', label: 'ENTREPOSAGE STOCKAGE' },
  { code: '31743', label: 'EXPEDITION' },
  { code: '31804', label: 'CONDUITE VEHICULE ARTICULE' },
  { code: '31807', label: 'LIVRAISON' },
  { code: '31816', label: 'CONDUITE POIDS LOURD' },
  { code: '31827', label: 'TRANSPORT MARCHANDISE' },
  { code: '34502', label: 'VENTE SPECIALISEE' },
  { code: '34559', label: 'GESTION RAYON' },
  { code: '34566', label: 'VENTE DISTRIBUTION' },
  { code: '34587', label: 'GRANDE DISTRIBUTION' },
  { code: '34588', label: 'GESTION POINT VENTE' },
  { code: '35054', label: 'SECRETARIAT ASSISTANAT' },
  { code: '42056', label: 'SERVICE A LA PERSONNE' },
  { code: '42093', label: 'NETTOYAGE LOCAUX' },
  { code: '42708', label: 'CUISINE COLLECTIVITE' },
  { code: '42725', label: 'RESTAURATION RAPIDE' },
  { code: '42746', label: 'RESTAURATION' },
  { code: '42780', label: 'ENTRETIEN CUISINE' },
  { code: '42810', label: 'SURVEILLANCE GARDIENNAGE' },
  { code: '42822', label: 'SURVEILLANCE PROTECTION GARDIENNAGE', label30: 'SURV. PROTECTION GARDIENNAGE' },
  { code: '43429', label: 'AGENT SERVICE HOSPITALIER' },
  { code: '44028', label: 'AUXILIAIRE VIE SOCIALE' },
  { code: '44030', label: 'ASSISTANCE MATERNELLE' },
  { code: '44054', label: 'ACTION SOCIALE' }
])
