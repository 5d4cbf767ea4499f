/**
 * The code lists of the convention (Annexe 3 and Annexe 4) that fill the
 * PECGM records. Labels are written in ordinary French (mixed case, with
 * their accents): the writer upper-cases and transliterates them (D8).
 *
 * `own: true` marks a code the convention does not give: the project's own
 * (decision D10). docs/donnees-de-reference.md lists them in one table.
 */

export interface CodeLabel {
  readonly code: string
  readonly label: string
}

/** A code of a list whose codes the convention leaves (partly) undefined. */
export interface OwnedCodeLabel extends CodeLabel {
  /** true: the code is the project's own, not the convention's (D10) */
  readonly own: boolean
}

export interface RadiationMotif extends OwnedCodeLabel {
  /** a readable form that fits LIBELLE_MOTIF_RADIATION (20 characters) */
  readonly label20: string
}

export interface Modality extends CodeLabel {
  readonly note?: string
}

/**
 * CODE_CATEGORIE_INSCRIPTION 1–5 and LIBELLE_CATEGORIE_INSCRIPTION (60).
 * Annexe 3 gives the short style for category 2; the others are derived
 * from Annexe 4's long labels in the same style.
 */
export const CATEGORIES: readonly CodeLabel[] = Object.freeze([
  { code: '1', label: 'Personne sans emploi disponible durée indéterminée plein tps' },
  { code: '2', label: 'Personne sans emploi disponible durée indéterminée partiel' },
  { code: '3', label: 'Personne sans emploi disponible durée déterminée' },
  { code: '4', label: 'Personne sans emploi non immédiatement disponible' },
  { code: '5', label: 'Personne pourvue d\'un emploi cherchant un autre emploi' }
])

/**
 * CODE_SITUATION_EMPLOI (3) and LIBELLE_SITUATION_EMPLOI (45): every label
 * of Annexe 4, in its order. Only CEN is the convention's; the other codes
 * are the project's own (D10).
 */
export const SITUATIONS: readonly OwnedCodeLabel[] = Object.freeze([
  { code: 'ADR', label: 'Aide différentielle au reclassement', own: true },
  { code: 'AIF', label: 'Action d\'insertion et de formation', own: true },
  { code: 'PRR', label: 'Action préalable au recrutement', own: true },
  { code: 'ASC', label: 'Aide spécifique complémentaire retour emploi', own: true },
  { code: 'DAS', label: 'Demandeur d\'asile', own: true },
  { code: 'AFO', label: 'Autres formations', own: true },
  { code: 'CAD', label: 'Contrat d\'adaptation', own: true },
  { code: 'CAE', label: 'Contrat d\'accompagnement dans l\'emploi', own: true },
  { code: 'CAV', label: 'Contrat d\'avenir', own: true },
  { code: 'CEN', label: 'Création d\'entreprise', own: false },
  { code: 'CES', label: 'Contrat emploi-solidarité', own: true },
  { code: 'CIE', label: 'Contrat initiative-emploi', own: true },
  { code: 'CLO', label: 'Contrat local d\'orientation', own: true },
  { code: 'COR', label: 'Contrat d\'orientation', own: true },
  { code: 'APP', label: 'Contrat d\'apprentissage', own: true },
  { code: 'CQU', label: 'Contrat de qualification', own: true },
  { code: 'CRE', label: 'Contrat de retour à l\'emploi', own: true },
  { code: 'CRP', label: 'Convention reclassement personnalisé', own: true },
  { code: 'CTP', label: 'Contrat transitoire professionnel', own: true },
  { code: 'DIV', label: 'Divers', own: true },
  { code: 'PTP', label: 'Personne pourvue d\'un emploi à temps partiel', own: true },
  { code: 'PTC', label: 'Personne pourvue d\'un emploi à temps plein', own: true },
  { code: 'FNC', label: 'Stage FNE : Cadres', own: true },
  { code: 'FNF', label: 'FNE : femmes isolées', own: true },
  { code: 'SMN', label: 'Stage de mise à niveau', own: true },
  { code: 'SMO', label: 'Stage modulaire', own: true },
  { code: 'PEF', label: 'Préavis effectué', own: true },
  { code: 'PLI', label: 'Programme local d\'insertion des femmes', own: true },
  { code: 'PNE', label: 'Préavis non effectué', own: true },
  { code: 'DEP', label: 'DE en préavis', own: true },
  { code: 'RMA', label: 'Contrat RMA', own: true },
  { code: 'SAE', label: 'Stage d\'accès à l\'emploi', own: true },
  { code: 'SOB', label: 'Sans objet', own: true },
  { code: 'SIV', label: 'Stage d\'initiation à la vie professionnelle', own: true },
  { code: 'SJE', label: 'Stage jeunes : 16-25 ans', own: true },
  { code: 'SRP', label: 'Stage de reclassement professionnel', own: true }
])

/**
 * MOTIF_CESSATION_IDE (2) and LIBELLE_MOTIF_CESSATION_IDE (75): the whole
 * list of Annexe 4, codes and wording of the convention. Only the first
 * letter is capitalised, "a temps plein" (21) is written "à temps plein",
 * the final full stop of 80 is dropped, and "de - de 3 mois" / "de + de 3
 * mois" are written "-de" / "+de" as the convention itself writes 24: with
 * the spaces, 13 and 14 are 76 characters long, one more than the field.
 */
export const CESSATION_MOTIFS: readonly CodeLabel[] = Object.freeze([
  { code: '11', label: 'Reprise d\'emploi par ses propres moyens sur emploi durable à temps plein' },
  { code: '12', label: 'Reprise d\'emploi par ses propres moyens sur emploi à temps partiel' },
  { code: '13', label: 'Reprise d\'emploi par ses propres moyens sur emploi temporaire de -de 3 mois' },
  { code: '14', label: 'Reprise d\'emploi par ses propres moyens sur emploi temporaire de +de 3 mois' },
  { code: '15', label: 'Reprise d\'emploi par ses propres moyens sur emploi non précisé' },
  { code: '16', label: 'Création d\'entreprise' },
  { code: '18', label: 'Entrée en CIE' },
  { code: '19', label: 'Entrée en contrat d\'accompagnement dans l\'emploi' },
  { code: '21', label: 'Reprise d\'emploi par l\'agence sur emploi durable à temps plein' },
  { code: '22', label: 'Reprise d\'emploi par l\'agence sur emploi à temps partiel' },
  { code: '23', label: 'Reprise d\'emploi par l\'agence sur emploi temporaire de -de 3 mois' },
  { code: '24', label: 'Reprise d\'emploi par l\'agence sur emploi temporaire de +de 3 mois' },
  { code: '25', label: 'Reprise d\'emploi par l\'agence sur emploi non précisé' },
  { code: '31', label: 'Entrée en stage par Pôle emploi' },
  { code: '32', label: 'Entrée en stage par ses propres moyens' },
  { code: '33', label: 'Fin de convention de reclassement personnalisé' },
  { code: '34', label: 'Entrée en AREF' },
  { code: '36', label: 'Absence du lieu de résidence supérieure à 35 jours' },
  { code: '37', label: 'Fin de contrat de transition professionnelle' },
  { code: '38', label: 'Sortie anticipée du CTP' },
  { code: '39', label: 'Entrée CLCA' },
  { code: '41', label: 'Fin de stage ou de mesure' },
  { code: '42', label: 'Abandon de stage ou de mesure' },
  { code: '43', label: 'Fin de contrat de travail temporaire ou CDD (catégorie 5 uniquement)' },
  { code: '45', label: 'Maladie, maternité, accident du travail' },
  { code: '46', label: 'Changement site Pôle emploi' },
  { code: '47', label: 'Titre de séjour non valide' },
  { code: '48', label: 'Retraite' },
  { code: '49', label: 'Autres cas' },
  { code: '71', label: 'Autres cas d\'arrêt de recherche d\'emploi' },
  { code: '72', label: 'Dispense de recherche d\'emploi (tout décret)' },
  { code: '73', label: 'Décès' },
  { code: '80', label: 'Obtient le statut réfugié' },
  { code: '90', label: 'Absence au contrôle (non réponse à DAM)' },
  { code: '95', label: 'Date de péremption atteinte (catégories 4 ou 5)' },
  { code: '98', label: 'DSM irrecevable (non signée)' }
])

/**
 * MOTIF_RADIATION (2) and LIBELLE_MOTIF_RADIATION (20): the "libellés
 * regroupés" of Annexe 4, in its order. The convention gives no code: all
 * are the project's own (D10). `label` is the convention's wording,
 * `label20` a readable abbreviation that fits the field.
 */
export const RADIATION_MOTIFS: readonly RadiationMotif[] = Object.freeze([
  { code: '01', label: 'Refus contrat apprentissage ou professionnalisation suspension de ... (durée variable)', label20: 'Refus ctr alternance', own: true },
  { code: '02', label: 'Refus action insertion suspension de ... (durée variable)', label20: 'Refus action insert.', own: true },
  { code: '03', label: 'Refus contrat aidé suspension de ... (durée variable)', label20: 'Refus contrat aidé', own: true },
  { code: '04', label: 'Refus visite médicale suspension de ... (durée variable)', label20: 'Refus visite médic.', own: true },
  { code: '05', label: 'Refus d\'élaboration ou d\'actualisation du PPAE suspension de ... (durée variable)', label20: 'Refus PPAE', own: true },
  { code: '06', label: 'Refus de deux offres raisonnables d\'emploi suspension de ... (durée variable)', label20: 'Refus 2 offres rais.', own: true },
  { code: '07', label: 'Non présentation à convocation CRP', label20: 'Absence convoc. CRP', own: true },
  { code: '08', label: 'Non présentation à une action de reclassement', label20: 'Absence action recl.', own: true },
  { code: '09', label: 'Refus d\'une offre d\'emploi CRP', label20: 'Refus offre CRP', own: true },
  { code: '10', label: 'Refus d\'action de reclassement', label20: 'Refus action reclas.', own: true },
  { code: '11', label: 'Abandon d\'une action de reclassement', label20: 'Abandon action recl.', own: true },
  { code: '12', label: 'Déclarations inexactes ou présentation d\'attestations mensongères', label20: 'Fausses déclarations', own: true },
  { code: '13', label: 'Avis défavorable sur motif d\'absence à premier entretien Pôle emploi', label20: 'Défav. abs. 1er RDV', own: true },
  { code: '14', label: 'Non présentation à convocation au premier entretien', label20: 'Absence 1er entret.', own: true },
  { code: '15', label: 'Refus de formation suspension de ... (durée variable)', label20: 'Refus de formation', own: true },
  { code: '16', label: 'Déclaration inexacte suspension de ... (durée variable)', label20: 'Déclaration inexacte', own: true },
  { code: '17', label: 'Insuffisance de recherche d\'emploi suspension de ... (durée variable)', label20: 'Insuff. recherche', own: true },
  { code: '18', label: 'Non réponse à convocation suspension de ... (durée variable)', label20: 'Non-réponse convoc.', own: true }
])

/** NIVEAU_FORMATION (3) and LIBELLE_NIVEAU_FORMATION (50), Annexe 4's wording. */
export const TRAINING_LEVELS: readonly CodeLabel[] = Object.freeze([
  { code: 'AFS', label: 'Aucune formation scolaire' },
  { code: 'CFG', label: 'CFG ou CEP' },
  { code: 'CP4', label: 'Primaire à 4e achevée' },
  { code: 'C12', label: '2e/1ère achevée' },
  { code: 'C3A', label: 'BEPC / 3e achevée' },
  { code: 'NV1', label: 'Certification de niveau 1 (bac + 5 et plus)' },
  { code: 'NV2', label: 'Certification de niveau 2 (bac + 3 et + 4)' },
  { code: 'NV3', label: 'Certification de niveau 3 (bac + 2)' },
  { code: 'NV4', label: 'Certification de niveau 4 (bac)' },
  { code: 'NV5', label: 'Certification de niveau 5 (CAP, BEP)' }
])

/** AXE_TRAVAIL_PRINCIPAL (2): Annexe 4's short labels (the record has no label field). */
export const WORK_AXES: readonly CodeLabel[] = Object.freeze([
  { code: '01', label: 'Retour direct à l\'emploi' },
  { code: '02', label: 'Techniques de recherche d\'emploi' },
  { code: '03', label: 'Stratégie de recherche d\'emploi' },
  { code: '04', label: 'Adaptation au marché du travail' },
  { code: '05', label: 'Élaboration du projet professionnel' },
  { code: '06', label: 'Levée des freins périphériques à l\'emploi' },
  { code: '07', label: 'À approfondir' }
])

/** MODALITE_ACCOMPAGNEMENT (3), Annexe 3 and Annexe 4 (no label field). */
export const MODALITIES: readonly Modality[] = Object.freeze([
  { code: 'APR', label: 'À approfondir' },
  { code: 'GUI', label: 'Accompagnement guidé' },
  { code: 'REN', label: 'Accompagnement renforcé' },
  { code: 'SUI', label: 'Suivi' },
  { code: 'GLO', label: 'Accompagnement global', note: 'Annexe 3 : « sous réserve de cette codification »' }
])
