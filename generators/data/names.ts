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

/**
 * Names of the overseas départements (971, 972, 973, 974, 976), as parts,
 * like the lists above. A département's lists are mixed with the
 * metropolitan ones (identity.ts) so that `localShare` of its names come
 * from here: a choice of the project (docs/donnees-de-reference.md), not a
 * statistic. Only ISO-8859-1 characters: no œ, no typographic apostrophe.
 */
export interface OverseasNames {
  readonly surnames: readonly string[]
  readonly female: readonly string[]
  readonly male: readonly string[]
  /** share of the département's names taken from these lists, the rest metropolitan */
  readonly localShare: number
}

/** Antillean surnames (Guadeloupe, Martinique, and the Creole families of Guyane), Indian-origin ones among them. */
const ANTILLEAN_SURNAMES = [
  'Jean-Baptiste', 'Jean-Louis', 'Jean-Charles', 'Jean-Marie', 'Jean-Joseph', 'Jean-Alphonse', 'Saint-Louis',
  'Saint-Ville', 'Saint-Aimé', 'Saint-Prix', 'Saint-Cyr', 'Sainte-Rose', 'Sainte-Luce', 'Marie-Sainte',
  'Marie-Joseph', 'Marie-Luce', 'Marie-Rose', 'Pierre-Louis', 'Louis-Sidney', 'Louis-Joseph', 'Charles-Angèle',
  'Joseph-Angélique', 'Ozier-Lafontaine', 'Anténor', 'Bazile', 'Bellance', 'Bélaise', 'Bellemare', 'Bernabé',
  'Beaujour', 'Belfort', 'Bonheur', 'Borel', 'Calixte', 'Céleste', 'Césaire', 'Charlery', 'Chéry', 'Clairville',
  'Cornély', 'Crétinoir', 'Cyrille', 'Décimus', 'Désir', 'Désiré', 'Dorville', 'Duféal', 'Éloidin', 'Élisabeth',
  'Eugénie', 'Félicité', 'Florentin', 'Fortuné', 'Hilaire', 'Hierso', 'Joachim', 'Lafortune', 'Laguerre',
  'Largitte', 'Lauriette', 'Léonce', 'Lordinot', 'Lubin', 'Mathurin', 'Mérine', 'Modeste', 'Monlouis',
  'Monrose', 'Nérée', 'Pancrate', 'Pélage', 'Pinville', 'Placide', 'Prosper', 'Rosemain', 'Sabin', 'Salomon',
  'Sylvestre', 'Théodore', 'Théophile', 'Toussaint', 'Ursulet', 'Victorin', 'Vital', 'Zénon', 'Zobda',
  'Moutoussamy', 'Ramassamy', 'Candassamy', 'Narayaninsamy', 'Vingadassalom', 'Latchimy', 'Coupan'
]

/** Guyane beyond the Creole families: Haitian, Brazilian, Surinamese and Maroon, Hmong, Amerindian, Chinese, Lebanese. */
const GUIANESE_SURNAMES = [
  'Horth', 'Patient', 'Othily', 'Lecante', 'Thémire', 'Karam', 'Ho-A-Chuck', 'Chow-Chine', 'Tiouka', 'Opoya',
  'Estimé', 'Fils-Aimé', 'Saint-Fleur', 'Dorvil', 'Exantus', 'Louis-Jeune', 'Pierre-Paul', 'Dorcély', 'Vilsaint',
  'Ferreira', 'Pereira', 'Souza', 'Carvalho', 'Rodrigues', 'Nascimento', 'Lima', 'Araújo', 'Gomes', 'Santos',
  'Pinas', 'Sabajo', 'Aloeboetoe', 'Lee', 'Vang', 'Thao', 'Yang', 'Xiong', 'Moua', 'Her', 'Lo'
]

/** Réunion: Creole families of French origin, and Malagasy ones. */
const REUNION_CREOLE_SURNAMES = [
  'Payet', 'Hoarau', 'Hoareau', 'Grondin', 'Fontaine', 'Técher', 'Boyer', 'Rivière', 'Lebon', 'Maillot',
  'Nativel', 'Turpin', 'Dijoux', 'Bègue', 'Clain', 'Lauret', 'Sautron', 'Folio', 'Barret', 'Damour', 'Ethève',
  'Gonthier', 'Mussard', 'Cadet', 'Robert', 'Huet', 'Morel', 'Dalleau', 'Gigan', 'Hibon', 'Lallemand',
  'Lebreton', 'Maunier', 'Nourry', 'Picard', 'Thiburce', 'Vienne', 'Cazal', 'Baret', 'Grégoire', 'Fruteau',
  'Lépinay', 'Dambreville', 'Ricquebourg', 'Sinama', 'Bénard', 'Boucher', 'Ducheman', 'Aubry', 'Mondon',
  'Rakotomalala', 'Randrianarisoa', 'Rasoanaivo', 'Razafindrakoto'
]

/** Réunion: families of Tamil origin. */
const REUNION_TAMIL_SURNAMES = [
  'Moutoussamy', 'Ramassamy', 'Virassamy', 'Pounoussamy', 'Mouniama', 'Sinimalé', 'Ponama', 'Latchoumanin',
  'Cadivel', 'Valliamé', 'Mardaye', 'Sababady', 'Soupramanien', 'Vaitilingon', 'Armouguom', 'Govindin',
  'Nagapin', 'Canaguy', 'Tayllamin', 'Virapoullé', 'Minatchy', 'Ramalingom', 'Sinapayen', 'Mourouvin'
]

/** Réunion: families of Chinese origin (Hakka and Cantonese names as the civil status wrote them). */
const REUNION_CHINESE_SURNAMES = [
  'Ah-Hong', 'Ah-Kong', 'Ah-Fat', 'Ah-Son', 'Ah-Chou', 'Ah-Yong', 'Ah-Hot', 'Chane-Kane', 'Chane-Pane',
  'Chan-Tat', 'Lai-Kun', 'Li-Thiao-Té', 'Thiaw-Kine', 'Ng-Wing-Tin', 'Law-Yat', 'Ly', 'Wong', 'Tang', 'Chan'
]

/** Réunion: families of Gujarati origin (Muslim "Zarabes" and Hindu). */
const REUNION_GUJARATI_SURNAMES = [
  'Patel', 'Ingar', 'Issop', 'Omarjee', 'Ravate', 'Mamode', 'Goulamaly', 'Cadjee', 'Badat', 'Valy', 'Dindar',
  'Locate', 'Akhoun', 'Kassam', 'Adamjee', 'Amode', 'Osman', 'Bhana'
]

/** Mayotte: surnames most often made from a given name (as the revision of the civil status fixed them), some of two. */
const MAYOTTE_SURNAMES = [
  'Abdallah', 'Ahamada', 'Ahamed', 'Ali', 'Anli', 'Attoumani', 'Bacar', 'Boinali', 'Chanfi', 'Combo',
  'Dahalani', 'Daoud', 'Djoumoi', 'Hamada', 'Hamidou', 'Houmadi', 'Ibrahima', 'Issouf', 'Madi', 'M\'Colo',
  'M\'Dahoma', 'M\'Changama', 'M\'Madi', 'M\'Sa', 'Mohamed', 'Mouhamadi', 'Moussa', 'Ousseni', 'Saïd',
  'Saindou', 'Salim', 'Soilihi', 'Toumbou', 'Youssouf', 'Zoubert', 'Abdou', 'Andjilani', 'Assani', 'Boura',
  'Chamassi', 'Daroueche', 'Halidi', 'Hassani', 'Kamardine', 'Mogne', 'Moindjié', 'Mroudjae', 'Nassuf', 'Oili',
  'Rachadi', 'Souffou', 'Ali Madi', 'Saïd Ahamada', 'Abdou Combo', 'Ben Ali', 'Said Omar'
]

const ANTILLEAN_FEMALE = [
  'Marie-Josée', 'Marie-Line', 'Marie-Laure', 'Marie-Lyne', 'Marie-Claude', 'Rose-Marie', 'Maryse', 'Ghislaine',
  'Josiane', 'Murielle', 'Nadège', 'Sandrine', 'Line', 'Nadia', 'Lucette', 'Myriam', 'Cynthia', 'Ketty',
  'Stessy', 'Mélissa', 'Océane', 'Jessica', 'Naomie', 'Déborah', 'Kimberley', 'Audrey', 'Priscilla', 'Lydia',
  'Mylène', 'Jenny', 'Maëva', 'Shirley', 'Vanessa', 'Wendy', 'Yolène', 'Ginette', 'Marlène', 'Christelle',
  'Gwladys', 'Rosemonde', 'Édith', 'Georgette', 'Huguette', 'Yvette', 'Micheline', 'Émeline', 'Lauriane',
  'Alizée', 'Kenza', 'Inaya', 'Naëlle', 'Élisa', 'Cassandra', 'Sheryl', 'Tatiana', 'Johanna', 'Laetitia'
]

const ANTILLEAN_MALE = [
  'Jean-Claude', 'Jean-Marc', 'Jean-Michel', 'Jean-Philippe', 'Jean-Luc', 'Jean-Max', 'Rudy', 'Ruddy', 'Dimitri',
  'Teddy', 'Johan', 'Steeve', 'Willy', 'Ludovic', 'Harry', 'Fritz', 'Frantz', 'Wilfried', 'Eddy', 'Jimmy',
  'Dylan', 'Ryan', 'Jordan', 'Nelson', 'Josué', 'Alix', 'Ferdinand', 'Félix', 'Hilaire', 'Jacky', 'Max',
  'Yannick', 'Lionel', 'Rodrigue', 'Ricardo', 'Gilbert', 'Serge', 'Marcel', 'Roland', 'Georges', 'Emmanuel',
  'Joël', 'Kévin', 'Anthony', 'Kenny', 'Mickaël', 'Cédric', 'Fabrice', 'Gérald', 'Thierry', 'Didier',
  'Warren', 'Kenzo', 'Ethan', 'Noah', 'Mathys', 'Élie', 'Ézéchiel', 'Judicaël'
]

const GUIANESE_FEMALE = [
  'Marie-Ange', 'Fabiola', 'Guerline', 'Mirlande', 'Roseline', 'Ana', 'Maria', 'Raimunda', 'Luciana', 'Joana',
  'Mai', 'Pa', 'Nou', 'Ia'
]

const GUIANESE_MALE = [
  'Wilner', 'Wesner', 'Jocelyn', 'Jean-Robert', 'Pierre-Richard', 'João', 'Luiz', 'Thiago', 'Marcos',
  'Raimundo', 'Tou', 'Pao', 'Chong', 'Kou'
]

const REUNION_FEMALE = [
  'Marie-Claude', 'Marie-France', 'Marie-Annick', 'Marie-Josette', 'Marie-Jo', 'Marie-Paule', 'Marie-Noëlle',
  'Josette', 'Gisèle', 'Jacqueline', 'Lucie', 'Nadia', 'Sabrina', 'Sandra', 'Virginie', 'Mylène', 'Anaïs',
  'Océane', 'Maëva', 'Manon', 'Maëlys', 'Noémie', 'Jade', 'Lyna', 'Aïcha', 'Fatima', 'Laetitia', 'Lucienne',
  'Yolande', 'Liliane', 'Ginette', 'Micheline', 'Murielle', 'Sylvie', 'Nathalie', 'Karine', 'Audrey', 'Cindy',
  'Jessica', 'Mélissa', 'Émilie', 'Inaya', 'Kelly', 'Priscillia', 'Christelle', 'Sandrine', 'Aurélie',
  'Lakshmi', 'Devi', 'Kavita', 'Zakia', 'Naïma', 'Mei', 'Ling'
]

const REUNION_MALE = [
  'Jean-Paul', 'Jean-Max', 'Jean-Hugues', 'Jean-Yves', 'Jean-Bernard', 'Jean-Luc', 'Jean-Claude', 'Jean-Pierre',
  'Jean-Marc', 'Jean-Michel', 'Jean-Fabrice', 'Sudel', 'Guito', 'Johnny', 'Brice', 'Cédric', 'Fabrice', 'Harry',
  'Jimmy', 'Mickaël', 'Teddy', 'Willy', 'Ludovic', 'Daniel', 'Dany', 'Gérald', 'Giovanni', 'Yoann', 'Noa',
  'Enzo', 'Lény', 'Ilan', 'Kylian', 'Nathan', 'Axel', 'Mathis', 'Lorenzo', 'Bruno', 'Yannick', 'Patrice',
  'Joël', 'Jocelyn', 'Rudy', 'Ibrahim', 'Ismaël', 'Zakaria', 'Idriss', 'Soulaymane', 'Ravi', 'Ganesh',
  'Krishna', 'Dev', 'Wen', 'Kwan'
]

const MAYOTTE_FEMALE = [
  'Echati', 'Fatima', 'Zaïnaba', 'Mariama', 'Moinaécha', 'Anrifati', 'Chamsia', 'Faouzia', 'Hadidja', 'Hadjira',
  'Mouzdalifa', 'Nourainya', 'Roukia', 'Saandia', 'Sitti', 'Soifia', 'Zalifa', 'Zaoudjati', 'Anchati', 'Bibi',
  'Mariamou', 'Mouna', 'Rahamatou', 'Raïssa', 'Roukaya', 'Salama', 'Zakia', 'Zaïna', 'Zoubeda', 'Anfiati',
  'Chadia', 'Dhoimrati', 'Echata', 'Fatouma', 'Hafsoita', 'Housna', 'Kadidja', 'Latufa', 'Nafissa', 'Naïma',
  'Nasra', 'Oumou', 'Sania', 'Souhaila', 'Zaharati', 'Zamzam', 'Anissa', 'Inaya', 'Laïla'
]

const MAYOTTE_MALE = [
  'Ahamada', 'Ahmed', 'Ali', 'Abdou', 'Abdallah', 'Anli', 'Anrifi', 'Andjilani', 'Attoumani', 'Bacar',
  'Boinali', 'Chanfi', 'Chamsidine', 'Daoud', 'Djanfar', 'Faïssoili', 'Hamada', 'Hamidou', 'Houmadi', 'Ibrahim',
  'Issouf', 'Kamardine', 'Madi', 'Mogne', 'Mohamed', 'Mouhamadi', 'Moussa', 'Nassur', 'Oili', 'Ousseni',
  'Rachidi', 'Saïd', 'Saindou', 'Salim', 'Soilihi', 'Soulaïmana', 'Toumbou', 'Youssouf', 'Zoubert', 'Zaidou',
  'Nourdine', 'Fahardine', 'Mansour', 'Naoufal', 'Nassim', 'Riziki', 'Ambdi', 'Mikidadi', 'Hakim', 'Kassim',
  'Soufiane', 'Yasser'
]

/** The overseas départements' names, by code. */
export const OVERSEAS_NAMES: Readonly<Record<string, OverseasNames>> = Object.freeze({
  971: { surnames: ANTILLEAN_SURNAMES, female: ANTILLEAN_FEMALE, male: ANTILLEAN_MALE, localShare: 0.8 },
  972: { surnames: ANTILLEAN_SURNAMES, female: ANTILLEAN_FEMALE, male: ANTILLEAN_MALE, localShare: 0.8 },
  973: {
    surnames: [...ANTILLEAN_SURNAMES, ...GUIANESE_SURNAMES],
    female: [...ANTILLEAN_FEMALE, ...GUIANESE_FEMALE],
    male: [...ANTILLEAN_MALE, ...GUIANESE_MALE],
    localShare: 0.7
  },
  974: {
    surnames: [...REUNION_CREOLE_SURNAMES, ...REUNION_TAMIL_SURNAMES, ...REUNION_CHINESE_SURNAMES, ...REUNION_GUJARATI_SURNAMES],
    female: REUNION_FEMALE,
    male: REUNION_MALE,
    localShare: 0.8
  },
  976: { surnames: MAYOTTE_SURNAMES, female: MAYOTTE_FEMALE, male: MAYOTTE_MALE, localShare: 0.9 }
})
