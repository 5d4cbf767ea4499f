/**
 * Name parts for the synthetic population, beyond faker's French lists: the
 * shapes that test a fixed-width ISO-8859-1 writer (apostrophes, particles,
 * hyphens, every French accent, œ which has to become "oe", names longer
 * than the 25 characters of NOM_NAISSANCE and PRENOM). These are parts of
 * names, freely combined by the generator; none is meant to name anybody,
 * and no entry is the full name of a notable person.
 *
 * à, â, ê and û are rare in French first names: they appear in the
 * surnames (LONG_SURNAMES, Catalan and Vietnamese among them); ù, ö and ü
 * in first names of Vietnamese and Turkish origin, common in France.
 */

/** Surnames with an apostrophe. */
export const APOSTROPHE_SURNAMES: readonly string[] = Object.freeze([
  'N\'Diaye', 'N\'Guessan', 'N\'Doye', 'N\'Goma', 'N\'Dao', 'N\'Gom', 'N\'Zalé',
  'M\'Baye', 'M\'Bengue', 'M\'Bala', 'M\'Barek', 'M\'Hamdi',
  'D\'Almeida', 'D\'Angelo', 'D\'Amico', 'D\'Alessandro', 'D\'Andrea', 'D\'Arco',
  'D\'Hondt', 'D\'Haene', 'D\'Souza', 'D\'Oliveira', 'D\'Abadie', 'D\'Arcy',
  'L\'Hermitte', 'L\'Hôte', 'L\'Huillier', 'L\'Héritier', 'L\'Hénaff', 'L\'Helgouac\'h',
  'O\'Neill', 'O\'Connor', 'Dell\'Aquila', 'Dall\'Olio', 'Prud\'homme', 'Sant\'Anna'
])

/** Surnames with a particle or a separate article (a space inside). */
export const PARTICLE_SURNAMES: readonly string[] = Object.freeze([
  'de Sousa', 'de Oliveira', 'de la Fontaine', 'de la Rue', 'de Montaigu', 'de Kervéguen',
  'du Bois', 'du Chêne', 'du Pré', 'des Rosiers', 'des Champs',
  'Le Gall', 'Le Goff', 'Le Roux', 'Le Bihan', 'Le Floch', 'Le Guen', 'Le Bras',
  'La Rosa', 'La Spina', 'Da Silva', 'Da Costa', 'Da Cruz', 'Dos Santos', 'Dos Reis',
  'Van Hecke', 'Van der Berg', 'Vander Elst', 'De Smet', 'Del Rio', 'Di Stefano'
])

/** Surnames (often compound) longer than 25 characters: the writer cuts them. */
export const LONG_SURNAMES: readonly string[] = Object.freeze([
  'Lefebvre-Desmarais de la Tour',
  'Martin-Lagarde de Saint-Aubin',
  'Bernard-Dufresne des Vallées',
  'Rousseau-Delacroix-Fontaine',
  'Fontaine-Beaulieu de Montclar',
  'Garnier-Chevalier de la Motte',
  'Le Guennec-Abgrall de Kervéguen',
  'Moreau-Lambert de la Héronnière',
  'Da Silva Ferreira dos Santos',
  'Fernandes de Oliveira Pereira',
  'Benyahia-Boucherit-Lemaire',
  'Mbemba-Nkounkou de Lacroix',
  'Vandenberghe-Van Hoorebeke',
  'Schneider-Muller de Sainte-Croix',
  'Carpentier-Lhuillier de Beaumont',
  'Delaunay-Rochefort de Saint-Pol',
  'Aït Ouarab-Benmansour Lefort',
  'Hernandez-Garcia de la Fuente',
  'Kowalczyk-Wisniewski-Martin',
  'Perrin-Bonnefoy de la Rochette',
  'Brûlé-Lavoûte de Saint-Aignan',
  'Duchâteau-Chênevert de Mézières',
  'Lâm-Nguyen de la Pommeraye',
  'Solà-Vilà-Pujol de Sainte-Colombe'
])

/** Surnames with œ or Œ (transliterated to "oe" / "OE", D8). */
export const OE_SURNAMES: readonly string[] = Object.freeze([
  'Lœuillet', 'Lecœur', 'Lebœuf', 'Bœuf', 'Cœuret', 'Kœnig', 'Mœglin', 'Rœderer', 'Œhler', 'Cœurdevey'
])

/** Female first names with accents (é è ê ë à â î ï ô ö ù û ü ç across the lists). */
export const ACCENTED_FIRST_NAMES_FEMALE: readonly string[] = Object.freeze([
  'Hélène', 'Élodie', 'Léa', 'Chloé', 'Zoé', 'Zoë', 'Maëlle', 'Noémie', 'Anaïs', 'Héloïse',
  'Gaëlle', 'Joëlle', 'Noëlle', 'Mélanie', 'Cécile', 'Clémence', 'Valérie', 'Véronique',
  'Stéphanie', 'Frédérique', 'Émilie', 'Amélie', 'Aurélie', 'Ophélie', 'Bénédicte', 'Thérèse',
  'Geneviève', 'Ève', 'Mégane', 'Léonie', 'Inès', 'Agnès', 'Maïté', 'Laëtitia', 'Françoise',
  'Ségolène', 'Renée', 'Désirée', 'Maëlys', 'Éléonore', 'Solène', 'Mylène', 'Thùy', 'Özlem',
  'Gülay', 'Gülsüm', 'Maïwenn', 'Bérénice'
])

/** Male first names with accents. */
export const ACCENTED_FIRST_NAMES_MALE: readonly string[] = Object.freeze([
  'Jérôme', 'Benoît', 'Gaël', 'Joël', 'Noël', 'Raphaël', 'Michaël', 'Mickaël', 'Ismaël', 'Loïc',
  'Maël', 'Éric', 'Frédéric', 'Cédric', 'Sébastien', 'Stéphane', 'Jérémy', 'Grégoire', 'Grégory',
  'Hervé', 'Rémi', 'Aurélien', 'Valère', 'Côme', 'Jérémie', 'Théo', 'Théophile', 'Timothée',
  'Mathéo', 'Clément', 'Aimé', 'René', 'André', 'Gérard', 'Léon', 'Léo', 'Émile', 'Étienne',
  'François', 'Gaëtan', 'Anaël', 'Hélio', 'Hùng', 'Tùng', 'Ömer', 'Ümit', 'Gökhan', 'Müslüm'
])

/** Hyphenated female first names. */
export const COMPOUND_FIRST_NAMES_FEMALE: readonly string[] = Object.freeze([
  'Marie-Hélène', 'Anne-Sophie', 'Marie-Claire', 'Marie-Noëlle', 'Anne-Laure', 'Marie-Thérèse',
  'Anne-Cécile', 'Marie-Ève', 'Marie-Françoise', 'Marie-Josée', 'Lou-Anne', 'Anne-Maëlle',
  'Marie-Agnès', 'Marie-Léonie', 'Rose-Aimée'
])

/** Hyphenated male first names. */
export const COMPOUND_FIRST_NAMES_MALE: readonly string[] = Object.freeze([
  'Jean-François', 'Jean-Pierre', 'Jean-Baptiste', 'Pierre-Yves', 'Jean-Noël', 'Jean-Loïc',
  'Jean-Jérôme', 'Paul-Émile', 'Jean-Hervé', 'Marc-Antoine', 'Jean-Côme', 'François-Xavier',
  'Jean-Benoît', 'Louis-Gaël', 'Jean-Gabriel', 'Charles-Édouard'
])
