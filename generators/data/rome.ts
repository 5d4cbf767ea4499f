/**
 * A sample of real ROME v3 fiches (CODE_ROME, 5; LIBELLE_ROME, 150), chosen
 * among the jobs RSA beneficiaries most often look for, with F1101, the
 * convention's example. Codes and labels are those of the ROME v3
 * référentiel (532 fiches, Pôle emploi, in use from December 2009 until
 * ROME 4.0 in March 2023); where they were checked is told in
 * docs/donnees-de-reference.md. Nothing here is invented.
 *
 * The convention's example reads "F1101 ARCHITECTE DU BATIMENT": an
 * appellation (the record's label "dépend de l'appellation saisie"); the
 * fiche itself is "Architecture du BTP et du paysage".
 */

export interface RomeFiche {
  /** a letter and four digits */
  readonly code: string
  readonly label: string
}

export const ROME_CODES: readonly RomeFiche[] = Object.freeze([
  { code: 'A1203', label: 'Aménagement et entretien des espaces verts' },
  { code: 'A1401', label: 'Aide agricole de production fruitière ou viticole' },
  { code: 'A1402', label: 'Aide agricole de production légumière ou végétale' },
  { code: 'A1414', label: 'Horticulture et maraîchage' },
  { code: 'D1101', label: 'Boucherie' },
  { code: 'D1102', label: 'Boulangerie - viennoiserie' },
  { code: 'D1106', label: 'Vente en alimentation' },
  { code: 'D1214', label: 'Vente en habillement et accessoires de la personne' },
  { code: 'D1408', label: 'Téléconseil et télévente' },
  { code: 'D1505', label: 'Personnel de caisse' },
  { code: 'D1507', label: 'Mise en rayon libre-service' },
  { code: 'F1101', label: 'Architecture du BTP et du paysage' },
  { code: 'F1601', label: 'Application et décoration en plâtre, stuc et staff' },
  { code: 'F1602', label: 'Électricité bâtiment' },
  { code: 'F1603', label: 'Installation d\'équipements sanitaires et thermiques' },
  { code: 'F1604', label: 'Montage d\'agencements' },
  { code: 'F1606', label: 'Peinture en bâtiment' },
  { code: 'F1608', label: 'Pose de revêtements rigides' },
  { code: 'F1610', label: 'Pose et restauration de couvertures' },
  { code: 'F1613', label: 'Travaux d\'étanchéité et d\'isolation' },
  { code: 'F1701', label: 'Construction en béton' },
  { code: 'F1702', label: 'Construction de routes et voies' },
  { code: 'F1703', label: 'Maçonnerie' },
  { code: 'F1704', label: 'Préparation du gros œuvre et des travaux publics' },
  { code: 'G1203', label: 'Animation de loisirs auprès d\'enfants ou d\'adolescents' },
  { code: 'G1501', label: 'Personnel d\'étage' },
  { code: 'G1602', label: 'Personnel de cuisine' },
  { code: 'G1603', label: 'Personnel polyvalent en restauration' },
  { code: 'G1605', label: 'Plonge en restauration' },
  { code: 'G1803', label: 'Service en restauration' },
  { code: 'H2102', label: 'Conduite d\'équipement de production alimentaire' },
  { code: 'H2913', label: 'Soudage manuel' },
  { code: 'H3302', label: 'Opérations manuelles d\'assemblage, tri ou emballage' },
  { code: 'I1203', label: 'Maintenance des bâtiments et des locaux' },
  { code: 'I1604', label: 'Mécanique automobile et entretien de véhicules' },
  { code: 'J1301', label: 'Personnel polyvalent des services hospitaliers' },
  { code: 'J1501', label: 'Soins d\'hygiène, de confort du patient' },
  { code: 'K1302', label: 'Assistance auprès d\'adultes' },
  { code: 'K1303', label: 'Assistance auprès d\'enfants' },
  { code: 'K1304', label: 'Services domestiques' },
  { code: 'K1305', label: 'Intervention sociale et familiale' },
  { code: 'K2201', label: 'Blanchisserie industrielle' },
  { code: 'K2202', label: 'Lavage de vitres' },
  { code: 'K2204', label: 'Nettoyage de locaux' },
  { code: 'K2303', label: 'Nettoyage des espaces urbains' },
  { code: 'K2304', label: 'Revalorisation de produits industriels' },
  { code: 'K2501', label: 'Gardiennage de locaux' },
  { code: 'K2503', label: 'Sécurité et surveillance privées' },
  { code: 'M1601', label: 'Accueil et renseignements' },
  { code: 'M1602', label: 'Opérations administratives' },
  { code: 'M1606', label: 'Saisie de données' },
  { code: 'M1607', label: 'Secrétariat' },
  { code: 'N1101', label: 'Conduite d\'engins de déplacement des charges' },
  { code: 'N1102', label: 'Déménagement' },
  { code: 'N1103', label: 'Magasinage et préparation de commandes' },
  { code: 'N1105', label: 'Manutention manuelle de charges' },
  { code: 'N4101', label: 'Conduite de transport de marchandises sur longue distance' },
  { code: 'N4102', label: 'Conduite de transport de particuliers' },
  { code: 'N4104', label: 'Courses et livraisons express' },
  { code: 'N4105', label: 'Conduite et livraison par tournées sur courte distance' }
])
