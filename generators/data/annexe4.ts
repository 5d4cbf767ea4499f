/**
 * The code lists of the convention (Annexe 3 and Annexe 4) that fill the
 * PECGM records. A label that the record carries is written here as the
 * file carries it, in the style of every example of Annexe 3 (« 2 PERSONNE
 * SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PARTIEL », « CEN CREATION
 * D'ENTREPRISE »): plain capitals, no accents. It is ASCII, so neither
 * `pecgm.case` nor the transliteration (D8) changes it. Where Annexe 3 gives
 * the wording, it is taken letter for letter; elsewhere it is Annexe 4's
 * wording (written there in ordinary prose) put in that style.
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
  /** a readable form that fits LIBELLE_MOTIF_RADIATION (20 characters), in the same style */
  readonly label20: string
}

export interface Modality extends CodeLabel {
  readonly note?: string
}

/**
 * CODE_CATEGORIE_INSCRIPTION 1–5 and LIBELLE_CATEGORIE_INSCRIPTION (60).
 * Annexe 3 gives category 2's label; the others are derived from Annexe 4's
 * long labels in the same style.
 */
export const CATEGORIES: readonly CodeLabel[] = Object.freeze([
  { code: '1', label: 'PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PLEIN TPS' },
  { code: '2', label: 'PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PARTIEL' },
  { code: '3', label: 'PERSONNE SANS EMPLOI DISPONIBLE DUREE DETERMINEE' },
  { code: '4', label: 'PERSONNE SANS EMPLOI NON IMMEDIATEMENT DISPONIBLE' },
  { code: '5', label: 'PERSONNE POURVUE D\'UN EMPLOI CHERCHANT UN AUTRE EMPLOI' }
])

/**
 * CODE_SITUATION_EMPLOI (3) and LIBELLE_SITUATION_EMPLOI (45): every label
 * of Annexe 4, in its order, CEN's as Annexe 3 writes it. Only CEN is the
 * convention's; the other codes are the project's own (D10).
 */
export const SITUATIONS: readonly OwnedCodeLabel[] = Object.freeze([
  { code: 'ADR', label: 'AIDE DIFFERENTIELLE AU RECLASSEMENT', own: true },
  { code: 'AIF', label: 'ACTION D\'INSERTION ET DE FORMATION', own: true },
  { code: 'PRR', label: 'ACTION PREALABLE AU RECRUTEMENT', own: true },
  { code: 'ASC', label: 'AIDE SPECIFIQUE COMPLEMENTAIRE RETOUR EMPLOI', own: true },
  { code: 'DAS', label: 'DEMANDEUR D\'ASILE', own: true },
  { code: 'AFO', label: 'AUTRES FORMATIONS', own: true },
  { code: 'CAD', label: 'CONTRAT D\'ADAPTATION', own: true },
  { code: 'CAE', label: 'CONTRAT D\'ACCOMPAGNEMENT DANS L\'EMPLOI', own: true },
  { code: 'CAV', label: 'CONTRAT D\'AVENIR', own: true },
  { code: 'CEN', label: 'CREATION D\'ENTREPRISE', own: false },
  { code: 'CES', label: 'CONTRAT EMPLOI-SOLIDARITE', own: true },
  { code: 'CIE', label: 'CONTRAT INITIATIVE-EMPLOI', own: true },
  { code: 'CLO', label: 'CONTRAT LOCAL D\'ORIENTATION', own: true },
  { code: 'COR', label: 'CONTRAT D\'ORIENTATION', own: true },
  { code: 'APP', label: 'CONTRAT D\'APPRENTISSAGE', own: true },
  { code: 'CQU', label: 'CONTRAT DE QUALIFICATION', own: true },
  { code: 'CRE', label: 'CONTRAT DE RETOUR A L\'EMPLOI', own: true },
  { code: 'CRP', label: 'CONVENTION RECLASSEMENT PERSONNALISE', own: true },
  { code: 'CTP', label: 'CONTRAT TRANSITOIRE PROFESSIONNEL', own: true },
  { code: 'DIV', label: 'DIVERS', own: true },
  { code: 'PTP', label: 'PERSONNE POURVUE D\'UN EMPLOI A TEMPS PARTIEL', own: true },
  { code: 'PTC', label: 'PERSONNE POURVUE D\'UN EMPLOI A TEMPS PLEIN', own: true },
  { code: 'FNC', label: 'STAGE FNE : CADRES', own: true },
  { code: 'FNF', label: 'FNE : FEMMES ISOLEES', own: true },
  { code: 'SMN', label: 'STAGE DE MISE A NIVEAU', own: true },
  { code: 'SMO', label: 'STAGE MODULAIRE', own: true },
  { code: 'PEF', label: 'PREAVIS EFFECTUE', own: true },
  { code: 'PLI', label: 'PROGRAMME LOCAL D\'INSERTION DES FEMMES', own: true },
  { code: 'PNE', label: 'PREAVIS NON EFFECTUE', own: true },
  { code: 'DEP', label: 'DE EN PREAVIS', own: true },
  { code: 'RMA', label: 'CONTRAT RMA', own: true },
  { code: 'SAE', label: 'STAGE D\'ACCES A L\'EMPLOI', own: true },
  { code: 'SOB', label: 'SANS OBJET', own: true },
  { code: 'SIV', label: 'STAGE D\'INITIATION A LA VIE PROFESSIONNELLE', own: true },
  { code: 'SJE', label: 'STAGE JEUNES : 16-25 ANS', own: true },
  { code: 'SRP', label: 'STAGE DE RECLASSEMENT PROFESSIONNEL', own: true }
])

/**
 * MOTIF_CESSATION_IDE (2) and LIBELLE_MOTIF_CESSATION_IDE (75): the whole
 * list of Annexe 4, codes and wording of the convention. The final full
 * stop of 80 is dropped, and "de - de 3 mois" / "de + de 3 mois" are
 * written "-DE" / "+DE" as the convention itself writes 24: with the
 * spaces, 13 and 14 are 76 characters long, one more than the field.
 */
export const CESSATION_MOTIFS: readonly CodeLabel[] = Object.freeze([
  { code: '11', label: 'REPRISE D\'EMPLOI PAR SES PROPRES MOYENS SUR EMPLOI DURABLE A TEMPS PLEIN' },
  { code: '12', label: 'REPRISE D\'EMPLOI PAR SES PROPRES MOYENS SUR EMPLOI A TEMPS PARTIEL' },
  { code: '13', label: 'REPRISE D\'EMPLOI PAR SES PROPRES MOYENS SUR EMPLOI TEMPORAIRE DE -DE 3 MOIS' },
  { code: '14', label: 'REPRISE D\'EMPLOI PAR SES PROPRES MOYENS SUR EMPLOI TEMPORAIRE DE +DE 3 MOIS' },
  { code: '15', label: 'REPRISE D\'EMPLOI PAR SES PROPRES MOYENS SUR EMPLOI NON PRECISE' },
  { code: '16', label: 'CREATION D\'ENTREPRISE' },
  { code: '18', label: 'ENTREE EN CIE' },
  { code: '19', label: 'ENTREE EN CONTRAT D\'ACCOMPAGNEMENT DANS L\'EMPLOI' },
  { code: '21', label: 'REPRISE D\'EMPLOI PAR L\'AGENCE SUR EMPLOI DURABLE A TEMPS PLEIN' },
  { code: '22', label: 'REPRISE D\'EMPLOI PAR L\'AGENCE SUR EMPLOI A TEMPS PARTIEL' },
  { code: '23', label: 'REPRISE D\'EMPLOI PAR L\'AGENCE SUR EMPLOI TEMPORAIRE DE -DE 3 MOIS' },
  { code: '24', label: 'REPRISE D\'EMPLOI PAR L\'AGENCE SUR EMPLOI TEMPORAIRE DE +DE 3 MOIS' },
  { code: '25', label: 'REPRISE D\'EMPLOI PAR L\'AGENCE SUR EMPLOI NON PRECISE' },
  { code: '31', label: 'ENTREE EN STAGE PAR POLE EMPLOI' },
  { code: '32', label: 'ENTREE EN STAGE PAR SES PROPRES MOYENS' },
  { code: '33', label: 'FIN DE CONVENTION DE RECLASSEMENT PERSONNALISE' },
  { code: '34', label: 'ENTREE EN AREF' },
  { code: '36', label: 'ABSENCE DU LIEU DE RESIDENCE SUPERIEURE A 35 JOURS' },
  { code: '37', label: 'FIN DE CONTRAT DE TRANSITION PROFESSIONNELLE' },
  { code: '38', label: 'SORTIE ANTICIPEE DU CTP' },
  { code: '39', label: 'ENTREE CLCA' },
  { code: '41', label: 'FIN DE STAGE OU DE MESURE' },
  { code: '42', label: 'ABANDON DE STAGE OU DE MESURE' },
  { code: '43', label: 'FIN DE CONTRAT DE TRAVAIL TEMPORAIRE OU CDD (CATEGORIE 5 UNIQUEMENT)' },
  { code: '45', label: 'MALADIE, MATERNITE, ACCIDENT DU TRAVAIL' },
  { code: '46', label: 'CHANGEMENT SITE POLE EMPLOI' },
  { code: '47', label: 'TITRE DE SEJOUR NON VALIDE' },
  { code: '48', label: 'RETRAITE' },
  { code: '49', label: 'AUTRES CAS' },
  { code: '71', label: 'AUTRES CAS D\'ARRET DE RECHERCHE D\'EMPLOI' },
  { code: '72', label: 'DISPENSE DE RECHERCHE D\'EMPLOI (TOUT DECRET)' },
  { code: '73', label: 'DECES' },
  { code: '80', label: 'OBTIENT LE STATUT REFUGIE' },
  { code: '90', label: 'ABSENCE AU CONTROLE (NON REPONSE A DAM)' },
  { code: '95', label: 'DATE DE PEREMPTION ATTEINTE (CATEGORIES 4 OU 5)' },
  { code: '98', label: 'DSM IRRECEVABLE (NON SIGNEE)' }
])

/**
 * MOTIF_RADIATION (2) and LIBELLE_MOTIF_RADIATION (20): the "libellés
 * regroupés" of Annexe 4, in its order. The convention gives no code: all
 * are the project's own (D10). `label` is the convention's wording,
 * `label20` a readable abbreviation that fits the field, the one written.
 */
export const RADIATION_MOTIFS: readonly RadiationMotif[] = Object.freeze([
  { code: '01', label: 'REFUS CONTRAT APPRENTISSAGE OU PROFESSIONNALISATION SUSPENSION DE ... (DUREE VARIABLE)', label20: 'REFUS CTR ALTERNANCE', own: true },
  { code: '02', label: 'REFUS ACTION INSERTION SUSPENSION DE ... (DUREE VARIABLE)', label20: 'REFUS ACTION INSERT.', own: true },
  { code: '03', label: 'REFUS CONTRAT AIDE SUSPENSION DE ... (DUREE VARIABLE)', label20: 'REFUS CONTRAT AIDE', own: true },
  { code: '04', label: 'REFUS VISITE MEDICALE SUSPENSION DE ... (DUREE VARIABLE)', label20: 'REFUS VISITE MEDIC.', own: true },
  { code: '05', label: 'REFUS D\'ELABORATION OU D\'ACTUALISATION DU PPAE SUSPENSION DE ... (DUREE VARIABLE)', label20: 'REFUS PPAE', own: true },
  { code: '06', label: 'REFUS DE DEUX OFFRES RAISONNABLES D\'EMPLOI SUSPENSION DE ... (DUREE VARIABLE)', label20: 'REFUS 2 OFFRES RAIS.', own: true },
  { code: '07', label: 'NON PRESENTATION A CONVOCATION CRP', label20: 'ABSENCE CONVOC. CRP', own: true },
  { code: '08', label: 'NON PRESENTATION A UNE ACTION DE RECLASSEMENT', label20: 'ABSENCE ACTION RECL.', own: true },
  { code: '09', label: 'REFUS D\'UNE OFFRE D\'EMPLOI CRP', label20: 'REFUS OFFRE CRP', own: true },
  { code: '10', label: 'REFUS D\'ACTION DE RECLASSEMENT', label20: 'REFUS ACTION RECLAS.', own: true },
  { code: '11', label: 'ABANDON D\'UNE ACTION DE RECLASSEMENT', label20: 'ABANDON ACTION RECL.', own: true },
  { code: '12', label: 'DECLARATIONS INEXACTES OU PRESENTATION D\'ATTESTATIONS MENSONGERES', label20: 'FAUSSES DECLARATIONS', own: true },
  { code: '13', label: 'AVIS DEFAVORABLE SUR MOTIF D\'ABSENCE A PREMIER ENTRETIEN POLE EMPLOI', label20: 'DEFAV. ABS. 1ER RDV', own: true },
  { code: '14', label: 'NON PRESENTATION A CONVOCATION AU PREMIER ENTRETIEN', label20: 'ABSENCE 1ER ENTRET.', own: true },
  { code: '15', label: 'REFUS DE FORMATION SUSPENSION DE ... (DUREE VARIABLE)', label20: 'REFUS DE FORMATION', own: true },
  { code: '16', label: 'DECLARATION INEXACTE SUSPENSION DE ... (DUREE VARIABLE)', label20: 'DECLARATION INEXACTE', own: true },
  { code: '17', label: 'INSUFFISANCE DE RECHERCHE D\'EMPLOI SUSPENSION DE ... (DUREE VARIABLE)', label20: 'INSUFF. RECHERCHE', own: true },
  { code: '18', label: 'NON REPONSE A CONVOCATION SUSPENSION DE ... (DUREE VARIABLE)', label20: 'NON-REPONSE CONVOC.', own: true }
])

/** NIVEAU_FORMATION (3) and LIBELLE_NIVEAU_FORMATION (50), letter for letter as Annexe 3 writes them. */
export const TRAINING_LEVELS: readonly CodeLabel[] = Object.freeze([
  { code: 'AFS', label: 'AUCUNE FORMATION SCOLAIRE' },
  { code: 'CFG', label: 'CFG OU CEP' },
  { code: 'CP4', label: 'PRIMAIRE A 4EME ACHEVEE' },
  { code: 'C12', label: '2EME / 1ERE ACHEVEE' },
  { code: 'C3A', label: 'BEPC / 3EME ACHEVEE' },
  { code: 'NV1', label: 'CERTIFICATION DE NIVEAU 1 (BAC + 5 ET PLUS)' },
  { code: 'NV2', label: 'CERTIFICATION DE NIVEAU 2 (BAC + 3 ET + 4)' },
  { code: 'NV3', label: 'CERTIFICATION DE NIVEAU 3 (BAC + 2)' },
  { code: 'NV4', label: 'CERTIFICATION DE NIVEAU 4 (BAC)' },
  { code: 'NV5', label: 'CERTIFICATION DE NIVEAU 5 (CAP, BEP)' }
])

/** AXE_TRAVAIL_PRINCIPAL (2): Annexe 4's short labels, for reading only (the record has no label field). */
export const WORK_AXES: readonly CodeLabel[] = Object.freeze([
  { code: '01', label: 'Retour direct à l\'emploi' },
  { code: '02', label: 'Techniques de recherche d\'emploi' },
  { code: '03', label: 'Stratégie de recherche d\'emploi' },
  { code: '04', label: 'Adaptation au marché du travail' },
  { code: '05', label: 'Élaboration du projet professionnel' },
  { code: '06', label: 'Levée des freins périphériques à l\'emploi' },
  { code: '07', label: 'À approfondir' }
])

/** MODALITE_ACCOMPAGNEMENT (3), Annexe 3 and Annexe 4: labels for reading only (no label field). */
export const MODALITIES: readonly Modality[] = Object.freeze([
  { code: 'APR', label: 'À approfondir' },
  { code: 'GUI', label: 'Accompagnement guidé' },
  { code: 'REN', label: 'Accompagnement renforcé' },
  { code: 'SUI', label: 'Suivi' },
  { code: 'GLO', label: 'Accompagnement global', note: 'Annexe 3 : « sous réserve de cette codification »' }
])
