/**
 * Every finding the validators can report, declared once: CGPEM_* for the
 * CGPEM validator, PECGM_* for the PECGM one. docs/validation.md
 * lists the same codes (a test keeps both in step). A code's severity never
 * changes with the file: a rule that can be an error or a warning has two codes.
 */
export type Severity = 'error' | 'warning' | 'info'

export interface CodeInfo {
  readonly severity: Severity
  /** short French title */
  readonly title: string
  /** what the code means, in French */
  readonly meaning: string
}

export const FINDING_CODES = {
  // the file and its bytes
  CGPEM_EMPTY: { severity: 'error', title: 'Fichier vide', meaning: 'Le fichier ne contient aucun octet, ou seulement des blancs.' },
  CGPEM_UTF16: { severity: 'error', title: 'Fichier en UTF-16', meaning: 'Le fichier commence par FF FE ou FE FF (la marque de l\'UTF-16), ou par « < » et un octet nul : il est en UTF-16, deux octets par caractère ; un CGPEM est en ISO-8859-1 (décision D8). Le reste n\'est pas lu.' },
  CGPEM_UTF8_BOM: { severity: 'error', title: 'Marque d\'ordre des octets UTF-8', meaning: 'Le fichier commence par EF BB BF, la signature d\'un fichier UTF-8 ; un CGPEM est en ISO-8859-1 (décision D8).' },
  CGPEM_UTF8: { severity: 'error', title: 'Séquence UTF-8', meaning: 'Une suite d\'octets forme un caractère UTF-8 multi-octets (é écrit C3 A9) : le fichier semble encodé en UTF-8 et non en ISO-8859-1 (décision D8).' },
  CGPEM_WINDOWS_1252: { severity: 'error', title: 'Octet Windows-1252', meaning: 'Un octet de 0x80 à 0x9F n\'est jamais du texte ISO-8859-1 ; en Windows-1252 il code des caractères comme ’ œ € … – : le constat nomme l\'octet, son caractère Windows-1252 et ce qu\'il faut écrire en ISO-8859-1 ; 0x81, 0x8D, 0x8F, 0x90 et 0x9D ne sont définis ni dans l\'un ni dans l\'autre (décision D8).' },
  CGPEM_CONTROL_CHAR: { severity: 'error', title: 'Caractère de contrôle', meaning: 'Un octet de contrôle (0x00 à 0x1F sauf tabulation et fins de ligne, ou 0x7F) n\'est pas du texte.' },
  CGPEM_FORMAT_FIXED: { severity: 'info', title: 'Forme largeur fixe', meaning: 'Le fichier ne commence pas par « < » : il est lu comme des lignes de 382 caractères (décision D6).' },
  CGPEM_FIXED_LINE_LENGTH: { severity: 'error', title: 'Ligne de longueur incorrecte', meaning: 'En largeur fixe, chaque ligne fait exactement 382 caractères, fin de ligne non comprise.' },
  // XML syntax
  CGPEM_XML_DECLARATION_MISSING: { severity: 'error', title: 'Déclaration XML absente', meaning: 'Sans déclaration <?xml … encoding="ISO-8859-1"?>, un fichier XML est en UTF-8 par les règles de XML.' },
  CGPEM_XML_ENCODING: { severity: 'error', title: 'Encodage déclaré incorrect', meaning: 'La déclaration XML ne nomme pas ISO-8859-1.' },
  CGPEM_XML_VERSION: { severity: 'warning', title: 'Version XML autre que 1.0', meaning: 'La déclaration XML dit version="1.1" : le format d\'échange est en XML 1.0 ; le fichier est lu selon XML 1.1, et un lecteur XML 1.0 peut le refuser.' },
  CGPEM_XML_MALFORMED: { severity: 'error', title: 'XML mal formé', meaning: 'Le fichier n\'est pas du XML bien formé ; la lecture s\'arrête à la première erreur.' },
  CGPEM_XML_DOCTYPE: { severity: 'error', title: 'DOCTYPE refusé', meaning: 'Un CGPEM n\'a ni DOCTYPE ni déclaration d\'entité ; le DOCTYPE n\'est jamais interprété et la lecture s\'arrête.' },
  CGPEM_XML_TOO_DEEP: { severity: 'error', title: 'Imbrication trop profonde', meaning: 'Les éléments sont imbriqués bien au-delà des trois niveaux d\'un CGPEM ; la lecture s\'arrête.' },
  CGPEM_XML_TOKEN_TOO_LONG: { severity: 'error', title: 'Texte ou balise démesuré', meaning: 'Un texte, un commentaire ou une balise dépasse de très loin toute longueur de zone ; la lecture s\'arrête.' },
  // structure
  CGPEM_ROOT: { severity: 'error', title: 'Élément racine incorrect', meaning: 'L\'élément racine doit être CGPEM.' },
  CGPEM_ELEMENT_UNKNOWN: { severity: 'error', title: 'Élément inconnu ou mal placé', meaning: 'Un élément n\'est pas prévu à cet endroit : seul ORIENTATION va dans CGPEM, seules les zones de la table vont dans ORIENTATION, rien ne va dans une zone.' },
  CGPEM_ELEMENT_REPEATED: { severity: 'error', title: 'Élément répété', meaning: 'Une zone apparaît deux fois dans la même orientation.' },
  CGPEM_ELEMENT_ORDER: { severity: 'error', title: 'Éléments dans le désordre', meaning: 'Les zones d\'une orientation suivent l\'ordre de la table de l\'Annexe 3.' },
  CGPEM_ATTRIBUTE_UNEXPECTED: { severity: 'error', title: 'Attribut inattendu', meaning: 'Les éléments d\'un CGPEM n\'ont pas d\'attribut (seuls xmlns et xsi:* sont tolérés).' },
  CGPEM_TEXT_UNEXPECTED: { severity: 'error', title: 'Texte hors zone', meaning: 'Du texte se trouve là où un élément est attendu (dans CGPEM ou ORIENTATION, hors d\'une zone).' },
  CGPEM_ORIENTATION_EMPTY: { severity: 'error', title: 'Orientation vide', meaning: 'Un élément ORIENTATION ne contient aucune zone.' },
  CGPEM_NO_ORIENTATION: { severity: 'error', title: 'Aucune orientation', meaning: 'Le fichier ne contient aucune orientation.' },
  // fields
  CGPEM_FIELD_REQUIRED: { severity: 'error', title: 'Zone obligatoire absente', meaning: 'Une zone obligatoire est absente, vide ou faite de blancs.' },
  CGPEM_FIELD_EXPECTED: { severity: 'warning', title: 'Zone attendue absente', meaning: 'Une zone dont l\'absence est tolérée manque (DATE_DECISION_ORIENTATION, décision D7).' },
  CGPEM_FIELD_TOO_LONG: { severity: 'error', title: 'Zone trop longue', meaning: 'La valeur dépasse la longueur maximale de la zone.' },
  CGPEM_FIELD_LENGTH: { severity: 'error', title: 'Longueur fixe non respectée', meaning: 'La zone a une longueur exacte (NIR 13, CODE_PE 3, dates 8…) que la valeur n\'a pas.' },
  CGPEM_FIELD_TYPE: { severity: 'error', title: 'Caractère interdit pour le type', meaning: 'A : lettres (accentuées ISO-8859-1 comprises), espace, tiret, apostrophe ; AN : caractères imprimables ISO-8859-1 ; N et dates : chiffres.' },
  CGPEM_DATE_INVALID: { severity: 'error', title: 'Date inexistante', meaning: 'La date SSAAMMJJ n\'est pas un jour du calendrier (20230230, mois 13, année avant 1900).' },
  CGPEM_DATE_FUTURE: { severity: 'error', title: 'Date dans le futur', meaning: 'La date de naissance doit être passée ; la date de décision ne peut suivre le jour du dépôt (décision D7).' },
  CGPEM_NIR_INVALID: { severity: 'error', title: 'NIR non conforme', meaning: 'Le NIR (sans clé) : sexe 1, 2, 7 ou 8 ; année ; mois 01–12, 20, 30–42 ou 50–99 ; département 01–95, 2A, 2B, 96–99 ; commune ; numéro d\'ordre.' },
  CGPEM_NATURE_UNKNOWN: { severity: 'error', title: 'Nature d\'accompagnement inconnue', meaning: 'NATURE_ACCOMPAGNEMENT vaut 01 à 06.' },
  CGPEM_IDENTIFIANT_PE_INVALID: { severity: 'error', title: 'Identifiant Pôle emploi non conforme', meaning: 'IDENTIFIANT_PE : sept chiffres et une lettre majuscule, ou huit chiffres.' },
  CGPEM_EMAIL_INVALID: { severity: 'error', title: 'Adresse e-mail non conforme', meaning: 'EMAIL_CORRESPONDANT n\'a pas la forme nom@domaine.tld.' },
  // across fields and records
  CGPEM_CODE_PE_MISSING: { severity: 'error', title: 'Identifiant sans agence', meaning: 'Un IDENTIFIANT_PE n\'a de sens qu\'avec le CODE_PE de l\'agence qui l\'a attribué.' },
  CGPEM_DUPLICATE_NIR: { severity: 'error', title: 'Personne orientée deux fois (NIR)', meaning: 'Deux orientations du même fichier portent le même NIR.' },
  CGPEM_DUPLICATE_IDENTITY: { severity: 'warning', title: 'Personne orientée deux fois (identité)', meaning: 'Deux orientations ont les mêmes nom de naissance, prénom et date de naissance (casse et accents ignorés) : la même personne, ou des homonymes.' },
  CGPEM_PE_UNMATCHABLE: { severity: 'warning', title: 'Orientation Pôle emploi difficile à rapprocher', meaning: 'Une orientation vers Pôle emploi (nature 05 ou 06) sans NIR ni IDENTIFIANT_PE sera difficile à rapprocher d\'un demandeur d\'emploi.' },
  // added by the server during a qualification (src/server/services/qualification.ts)
  CGPEM_ORIENTATION_UNMATCHED: { severity: 'info', title: 'Orientation hors échantillon', meaning: 'Pendant la qualification, une orientation qui ne désigne aucune personne de l\'échantillon d\'individus (ni par le NIR, ni par le nom de naissance, le prénom et la date de naissance) : elle ne compte pas dans le rapprochement.' },

  // PECGM (src/validate/pecgm-validator.ts): the file and its bytes
  PECGM_EMPTY: { severity: 'error', title: 'Fichier PECGM vide', meaning: 'Le fichier ne contient aucun octet (ou seulement la marque UTF-8).' },
  PECGM_UTF8_BOM: { severity: 'error', title: 'Marque d\'ordre des octets UTF-8', meaning: 'Le fichier commence par EF BB BF, la signature d\'un fichier UTF-8 ; un PECGM est en ISO-8859-1 (décision D8). La marque est sautée pour lire la suite.' },
  PECGM_UTF8: { severity: 'error', title: 'Séquence UTF-8', meaning: 'Une suite d\'octets forme un caractère UTF-8 multi-octets (é écrit C3 A9) : le fichier semble encodé en UTF-8 et non en ISO-8859-1 (décision D8) ; l\'enregistrement a souvent, de ce fait, une longueur incorrecte.' },
  PECGM_WINDOWS_1252: { severity: 'error', title: 'Octet Windows-1252', meaning: 'Un octet de 0x80 à 0x9F n\'est jamais du texte ISO-8859-1 ; en Windows-1252 il code des caractères comme ’ œ € … – : le constat nomme l\'octet, son caractère Windows-1252 et ce qu\'il faut écrire en ISO-8859-1 (décision D8).' },
  PECGM_CONTROL_CHAR: { severity: 'error', title: 'Caractère de contrôle', meaning: 'Un octet de contrôle (0x00 à 0x1F, tabulation comprise, ou 0x7F) dans un enregistrement ; LF et CR ne sont permis que comme fin d\'enregistrement (décision D2).' },
  // PECGM: records
  PECGM_TERMINATOR: { severity: 'error', title: 'Fins d\'enregistrement incohérentes', meaning: 'Un fichier a une seule fin d\'enregistrement pour tous ses enregistrements, LF, CRLF ou aucune (décision D2) : une ligne finit autrement que les autres, ou la dernière n\'a pas la fin des autres.' },
  PECGM_RECORD_LENGTH: { severity: 'error', title: 'Enregistrement de longueur incorrecte', meaning: 'Chaque enregistrement fait exactement 1200 caractères, fin de ligne non comprise (décision D1) ; ses zones ne sont pas vérifiées, leurs positions n\'ayant plus de sens.' },
  PECGM_TRUNCATED: { severity: 'error', title: 'Dernier enregistrement tronqué', meaning: 'Le fichier s\'arrête au milieu de son dernier enregistrement : il a été coupé (transfert interrompu, disque plein).' },
  PECGM_UNKNOWN_RECORD_TYPE: { severity: 'error', title: 'Type d\'enregistrement inconnu', meaning: 'Le premier caractère d\'un enregistrement est E (entête), D (détail) ou F (fin).' },
  PECGM_HEADER_MISSING: { severity: 'error', title: 'Entête absent', meaning: 'Le fichier n\'a pas d\'enregistrement entête E.' },
  PECGM_HEADER_NOT_FIRST: { severity: 'error', title: 'Entête mal placé', meaning: 'L\'entête E est le premier enregistrement du fichier, et le seul de son type.' },
  PECGM_FOOTER_MISSING: { severity: 'error', title: 'Enregistrement fin absent', meaning: 'Le fichier n\'a pas d\'enregistrement fin F : il est peut-être incomplet.' },
  PECGM_RECORD_AFTER_FOOTER: { severity: 'error', title: 'Enregistrement après la fin', meaning: 'Un enregistrement suit l\'enregistrement fin F, qui est le dernier du fichier.' },
  PECGM_NO_DETAIL: { severity: 'warning', title: 'Stock sans détail', meaning: 'Un stock (PERIODICITE M) bien formé ne contient aucun enregistrement détail : accepté, mais un stock vide est inhabituel. Un flux quotidien (Q) vide est normal et n\'est pas signalé.' },
  // PECGM: header and footer
  PECGM_HEADER_FIELD: { severity: 'error', title: 'Zone d\'entête incorrecte', meaning: 'Une zone de l\'entête n\'a pas la valeur attendue : FICHIER PECG, PERIODICITE M ou Q, DEPARTEMENT un code de département cadré à gauche (décision D4), les dates renseignées.' },
  PECGM_UNKNOWN_VERSION: { severity: 'error', title: 'Version inconnue', meaning: 'La VERSION de l\'entête n\'est pas une version connue de la mise en forme (001,0) ; le fichier est lu selon 001,0.' },
  PECGM_FOOTER_COUNT: { severity: 'error', title: 'Nombre de détails annoncé faux', meaning: 'NB_ENREGISTREMENTS de l\'enregistrement fin ne vaut pas le nombre d\'enregistrements détail D qui le précèdent.' },
  PECGM_FOOTER_MISMATCH: { severity: 'error', title: 'Fin et entête discordants', meaning: 'DEPARTEMENT ou DATE_REFERENCE de l\'enregistrement fin diffère de celui de l\'entête.' },
  // PECGM: fields
  PECGM_FIELD_NOT_NUMERIC: { severity: 'error', title: 'Zone numérique non numérique', meaning: 'Une zone N ou une date contient autre chose que des chiffres ; une zone absente est faite d\'espaces (décision D3).' },
  PECGM_DATE_INVALID: { severity: 'error', title: 'Date inexistante', meaning: 'La date SSAAMMJJ n\'est pas un jour du calendrier (20230230, mois 13, année avant 1900).' },
  PECGM_DATE_FUTURE: { severity: 'error', title: 'Date dans le futur', meaning: 'Une date de l\'entête ou d\'un détail suit le jour de la vérification ; la date de naissance doit le précéder.' },
  PECGM_CODE_UNKNOWN: { severity: 'error', title: 'Code hors de sa liste', meaning: 'Une zone codée a une valeur hors de la liste de la convention (catégorie, statut de certification, motif de cessation, niveau de formation, axe de travail, modalité d\'accompagnement).' },
  PECGM_CODE_UNKNOWN_OWN: { severity: 'warning', title: 'Code inconnu du projet', meaning: 'CODE_SITUATION_EMPLOI ou MOTIF_RADIATION a une valeur hors de la liste du projet ; la convention ne donne pas ces codes (décision D10) : accepté, mais signalé.' },
  PECGM_NIR_INVALID: { severity: 'error', title: 'NIR non conforme', meaning: 'Le NIR (sans clé) : sexe 1, 2, 7 ou 8 ; année ; mois 01–12, 20, 30–42 ou 50–99 ; département 01–95, 2A, 2B, 96–99 ; commune ; numéro d\'ordre.' },
  PECGM_IDENTIFIANT_PE_INVALID: { severity: 'error', title: 'Identifiant Pôle emploi non conforme', meaning: 'IDENTIFIANT_PE : sept chiffres et une lettre majuscule, ou huit chiffres.' },
  PECGM_FIELD_FORM: { severity: 'error', title: 'Zone de forme incorrecte', meaning: 'CODE_INSEE_RESIDENCE (cinq caractères : chiffres, ou 2A/2B et trois chiffres), CODE_ROME (une lettre et quatre chiffres) ou SECTEUR_FORMATION (cinq chiffres) n\'a pas sa forme.' },
  PECGM_FILLER_NOT_BLANK: { severity: 'warning', title: 'Zone de remplissage non vide', meaning: 'La zone FILLER est faite d\'espaces (décision D1) ; du texte y est le signe d\'une mise en forme décalée.' },
  // PECGM: across fields and records
  PECGM_END_INCOMPLETE: { severity: 'warning', title: 'Date et motif dépareillés', meaning: 'Une date de cessation ou de radiation sans son motif, ou un motif sans sa date.' },
  PECGM_END_BOTH: { severity: 'warning', title: 'Cessation et radiation', meaning: 'Un détail a une date de cessation et une date de radiation ; l\'annexe 3 renseigne les zones de cessation ou celles de radiation, selon le motif de la fin de l\'inscription : une seule.' },
  PECGM_MSA_NOT_NIR: { severity: 'warning', title: 'Numéro MSA autre que le NIR', meaning: 'NUMERO_ALLOCATAIRE_MSA est « renseigné avec le NIR sur 13 c. » (annexe 3) : renseigné, il vaut le NIR du même détail.' },
  PECGM_DATE_ORDER: { severity: 'warning', title: 'Dates dans un ordre impossible', meaning: 'La date de début d\'inscription suit la naissance ; une cessation ou une radiation ne précède pas l\'inscription ; aucune date d\'un détail ne suit à la fois la DATE_FABRICATION et la DATE_REFERENCE de l\'entête.' },
  PECGM_CATEGORY_INCOHERENT: { severity: 'warning', title: 'Catégorie incohérente', meaning: 'Ce que l\'annexe 4 lie à la catégorie n\'est pas tenu : le motif de cessation 43 est de la catégorie 5 uniquement, le 95 des catégories 4 ou 5 ; une catégorie à blanc (dispense de recherche d\'emploi) ne concerne que les inscriptions d\'avant le 1er janvier 2012.' },
  PECGM_DUPLICATE_NIR: { severity: 'error', title: 'Personne listée deux fois (NIR)', meaning: 'Deux enregistrements détail du même fichier portent le même NIR.' }
} as const satisfies Record<string, CodeInfo>

export type FindingCode = keyof typeof FINDING_CODES

export function severityOf (code: FindingCode): Severity {
  return FINDING_CODES[code].severity
}
