/**
 * A sample of real ROME v3 fiches (CODE_ROME, 5; LIBELLE_ROME, 150), chosen
 * among the jobs RSA beneficiaries most often look for, with F1101, the
 * convention's example. Codes and labels are those of the ROME v3
 * référentiel (532 fiches, Pôle emploi, in use from December 2009 until
 * ROME 4.0 in March 2023); where they were checked is told in
 * docs/donnees-de-reference.md. Nothing here is invented.
 *
 * Labels are written as the file carries them, in the style of the
 * convention's example "F1101 ARCHITECTE DU BATIMENT": plain capitals, no
 * accents, œ as OE. F1101 carries that example letter for letter: it is an
 * appellation (the record's label "dépend de l'appellation saisie"), the
 * fiche itself being "Architecture du BTP et du paysage"; the others carry
 * their fiche's title, no appellation having been checked for them.
 */

export interface RomeFiche {
  /** a letter and four digits */
  readonly code: string
  /** LIBELLE_ROME as written: plain capitals, no accents */
  readonly label: string
}

export const ROME_CODES: readonly RomeFiche[] = Object.freeze([
  { code: 'A1203', label: 'AMENAGEMENT ET ENTRETIEN DES ESPACES VERTS' },
  { code: 'A1401', label: 'AIDE AGRICOLE DE PRODUCTION FRUITIERE OU VITICOLE' },
  { code: 'A1402', label: 'AIDE AGRICOLE DE PRODUCTION LEGUMIERE OU VEGETALE' },
  { code: 'A1414', label: 'HORTICULTURE ET MARAICHAGE' },
  { code: 'D1101', label: 'BOUCHERIE' },
  { code: 'D1102', label: 'BOULANGERIE - VIENNOISERIE' },
  { code: 'D1106', label: 'VENTE EN ALIMENTATION' },
  { code: 'D1214', label: 'VENTE EN HABILLEMENT ET ACCESSOIRES DE LA PERSONNE' },
  { code: 'D1408', label: 'TELECONSEIL ET TELEVENTE' },
  { code: 'D1505', label: 'PERSONNEL DE CAISSE' },
  { code: 'D1507', label: 'MISE EN RAYON LIBRE-SERVICE' },
  { code: 'F1101', label: 'ARCHITECTE DU BATIMENT' },
  { code: 'F1601', label: 'APPLICATION ET DECORATION EN PLATRE, STUC ET STAFF' },
  { code: 'F1602', label: 'ELECTRICITE BATIMENT' },
  { code: 'F1603', label: 'INSTALLATION D\'EQUIPEMENTS SANITAIRES ET THERMIQUES' },
  { code: 'F1604', label: 'MONTAGE D\'AGENCEMENTS' },
  { code: 'F1606', label: 'PEINTURE EN BATIMENT' },
  { code: 'F1608', label: 'POSE DE REVETEMENTS RIGIDES' },
  { code: 'F1610', label: 'POSE ET RESTAURATION DE COUVERTURES' },
  { code: 'F1613', label: 'TRAVAUX D\'ETANCHEITE ET D\'ISOLATION' },
  { code: 'F1701', label: 'CONSTRUCTION EN BETON' },
  { code: 'F1702', label: 'CONSTRUCTION DE ROUTES ET VOIES' },
  { code: 'F1703', label: 'MACONNERIE' },
  { code: 'F1704', label: 'PREPARATION DU GROS OEUVRE ET DES TRAVAUX PUBLICS' },
  { code: 'G1203', label: 'ANIMATION DE LOISIRS AUPRES D\'ENFANTS OU D\'ADOLESCENTS' },
  { code: 'G1501', label: 'PERSONNEL D\'ETAGE' },
  { code: 'G1602', label: 'PERSONNEL DE CUISINE' },
  { code: 'G1603', label: 'PERSONNEL POLYVALENT EN RESTAURATION' },
  { code: 'G1605', label: 'PLONGE EN RESTAURATION' },
  { code: 'G1803', label: 'SERVICE EN RESTAURATION' },
  { code: 'H2102', label: 'CONDUITE D\'EQUIPEMENT DE PRODUCTION ALIMENTAIRE' },
  { code: 'H2913', label: 'SOUDAGE MANUEL' },
  { code: 'H3302', label: 'OPERATIONS MANUELLES D\'ASSEMBLAGE, TRI OU EMBALLAGE' },
  { code: 'I1203', label: 'MAINTENANCE DES BATIMENTS ET DES LOCAUX' },
  { code: 'I1604', label: 'MECANIQUE AUTOMOBILE ET ENTRETIEN DE VEHICULES' },
  { code: 'J1301', label: 'PERSONNEL POLYVALENT DES SERVICES HOSPITALIERS' },
  { code: 'J1501', label: 'SOINS D\'HYGIENE, DE CONFORT DU PATIENT' },
  { code: 'K1302', label: 'ASSISTANCE AUPRES D\'ADULTES' },
  { code: 'K1303', label: 'ASSISTANCE AUPRES D\'ENFANTS' },
  { code: 'K1304', label: 'SERVICES DOMESTIQUES' },
  { code: 'K1305', label: 'INTERVENTION SOCIALE ET FAMILIALE' },
  { code: 'K2201', label: 'BLANCHISSERIE INDUSTRIELLE' },
  { code: 'K2202', label: 'LAVAGE DE VITRES' },
  { code: 'K2204', label: 'NETTOYAGE DE LOCAUX' },
  { code: 'K2303', label: 'NETTOYAGE DES ESPACES URBAINS' },
  { code: 'K2304', label: 'REVALORISATION DE PRODUITS INDUSTRIELS' },
  { code: 'K2501', label: 'GARDIENNAGE DE LOCAUX' },
  { code: 'K2503', label: 'SECURITE ET SURVEILLANCE PRIVEES' },
  { code: 'M1601', label: 'ACCUEIL ET RENSEIGNEMENTS' },
  { code: 'M1602', label: 'OPERATIONS ADMINISTRATIVES' },
  { code: 'M1606', label: 'SAISIE DE DONNEES' },
  { code: 'M1607', label: 'SECRETARIAT' },
  { code: 'N1101', label: 'CONDUITE D\'ENGINS DE DEPLACEMENT DES CHARGES' },
  { code: 'N1102', label: 'DEMENAGEMENT' },
  { code: 'N1103', label: 'MAGASINAGE ET PREPARATION DE COMMANDES' },
  { code: 'N1105', label: 'MANUTENTION MANUELLE DE CHARGES' },
  { code: 'N4101', label: 'CONDUITE DE TRANSPORT DE MARCHANDISES SUR LONGUE DISTANCE' },
  { code: 'N4102', label: 'CONDUITE DE TRANSPORT DE PARTICULIERS' },
  { code: 'N4104', label: 'COURSES ET LIVRAISONS EXPRESS' },
  { code: 'N4105', label: 'CONDUITE ET LIVRAISON PAR TOURNEES SUR COURTE DISTANCE' }
])
