/**
 * Pieces of the follow-up structures of a record (Annexe 4, "structure
 * principale de suivi" and "structure de suivi délégué"): names within the
 * 27 characters of SUIVI_*_STRUCTURE once built, street names and address
 * complements for the 32 characters of SUIVI_*_VOIE and _COMPLEMENT.
 *
 * The convention dates from the Pôle emploi era: the agencies are named
 * "<prefix> <commune>" with a prefix below, built by follow-up.ts to fit
 * 27 characters; a street is "<number> <type> <name>" from the tables
 * below, within 32. The private operators and service providers below are
 * invented and meant to look invented.
 */

/** Prefixes of the main structure's name: "<prefix> <commune>". */
export const MAIN_STRUCTURE_PREFIXES: readonly string[] = Object.freeze([
  'Pôle emploi',
  'PE',
  'Agence PE',
  'Équipe pro PE'
])

export type DelegatedKindCode = 'pole-emploi' | 'mission-locale' | 'cap-emploi' | 'operateur-prive' | 'prestataire'

export interface DelegatedKind {
  readonly kind: DelegatedKindCode
  /** the kind, as Annexe 4 names it */
  readonly label: string
  /** the structure's name; {commune} and {departement} are replaced */
  readonly name: string
  /** true: the name is invented (no such organisation is meant) */
  readonly fictional: boolean
}

/**
 * The delegated structures of Annexe 4: Pôle emploi, the co-contractors
 * (Mission locale, Cap emploi), private placement operators and service
 * providers. One entry is one structure per département.
 */
export const DELEGATED_KINDS: readonly DelegatedKind[] = Object.freeze([
  { kind: 'pole-emploi', label: 'Pôle emploi', name: 'PE équipe {commune}', fictional: false },
  { kind: 'mission-locale', label: 'Mission locale (cotraitant)', name: 'Mission locale {commune}', fictional: false },
  { kind: 'cap-emploi', label: 'Cap emploi (cotraitant)', name: 'Cap emploi {departement}', fictional: false },
  { kind: 'operateur-prive', label: 'Opérateur privé de placement', name: 'Cap Vers l\'Emploi Conseil', fictional: true },
  { kind: 'operateur-prive', label: 'Opérateur privé de placement', name: 'Tremplin Fictif Emploi', fictional: true },
  { kind: 'prestataire', label: 'Prestataire', name: 'Exemple Bilan Orientation', fictional: true },
  { kind: 'prestataire', label: 'Prestataire', name: 'Démo Ateliers Insertion', fictional: true }
])

/** Types of street, as written in an address (lower case). */
export const STREET_TYPES: readonly string[] = Object.freeze([
  'rue', 'avenue', 'boulevard', 'place', 'allée', 'chemin', 'impasse', 'quai', 'cours', 'route'
])

/** Common complements of French street names. */
export const STREET_NAMES: readonly string[] = Object.freeze([
  'de la République', 'Jean Jaurès', 'Victor Hugo', 'du Général de Gaulle', 'des Lilas',
  'Pasteur', 'de la Gare', 'de l\'Église', 'du Moulin', 'des Écoles',
  'de la Mairie', 'du Stade', 'des Tilleuls', 'de la Paix', 'Gambetta',
  'Jules Ferry', 'Carnot', 'de la Liberté', 'du 8 Mai 1945', 'du 11 Novembre',
  'du 14 Juillet', 'Émile Zola', 'Anatole France', 'Voltaire', 'Jean Moulin',
  'du Maréchal Leclerc', 'du Maréchal Foch', 'de Verdun', 'des Acacias', 'des Peupliers',
  'des Chênes', 'des Platanes', 'du Château', 'de la Fontaine', 'du Lavoir',
  'du Pont', 'de la Poste', 'du Marché', 'de Paris', 'de la Libération',
  'Louis Pasteur', 'Paul Vaillant-Couturier', 'Pierre Curie', 'Marie Curie', 'George Sand',
  'Albert Camus', 'Jean Monnet', 'Aristide Briand', 'Georges Clemenceau', 'Léon Blum',
  'des Vignes', 'des Prés', 'des Jardins', 'du Bois', 'de la Forêt',
  'des Rosiers', 'des Mimosas', 'de l\'Abbaye', 'Saint-Martin', 'Sainte-Anne',
  'du Port', 'de la Résistance', 'Édouard Herriot', 'Gabriel Péri', 'Henri Barbusse',
  'du Docteur Schweitzer', 'des Genêts', 'de l\'Hôtel de Ville', 'du Champ de Foire', 'des Quatre Vents'
])

/** Address complements (SUIVI_*_COMPLEMENT), within 32 characters. */
export const ADDRESS_COMPLEMENTS: readonly string[] = Object.freeze([
  'Bâtiment B',
  'Bâtiment A, 2e étage',
  'Résidence les Tilleuls',
  'Résidence du Parc',
  'Zone d\'activités du Parc',
  'Parc d\'activités des Prés',
  'Immeuble Le Central',
  'Centre commercial des Arcades',
  'Cité administrative',
  'Espace Émeraude',
  'Hôtel d\'entreprises',
  'Escalier C',
  'Rez-de-chaussée',
  'Porte 3',
  'Quartier de la Gare',
  'Lieu-dit la Croix Blanche',
  'Les Jardins de l\'Hôtel de Ville',
  'BP 123',
  'BP 47',
  'CS 30012'
])
