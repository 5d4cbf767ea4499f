import type { Orientation } from '../src/generate/cgpem-file.js'
import { compactFromDay, dayFromYmd, daysInMonth } from '../src/layouts/dates.js'
import { Rng } from '../src/generate/rng.js'

/**
 * Plausible, varied and fictitious CGPEM orientations for the benchmark, from
 * a seed: synthetic names, NIRs born in "99001"–"99099" (places INSEE never
 * gives, see docs/decisions.md), optional fields present or not. The same
 * seed gives the same file.
 */

const SYLLABLES = ['MA', 'LE', 'DU', 'BER', 'NAR', 'GO', 'RI', 'TIN', 'CHA', 'PE', 'LOU', 'VI', 'ROU', 'SEL', 'FÈ', 'VRE', 'MO', 'REL', 'BÉ', 'GAR', 'DIN', 'LA', 'CROIX', 'FON', 'TAI', 'NE']
const FIRST_NAMES = ['Hélène', 'Paul', 'Léa', 'Mohamed', 'Chloé', 'Jean-Pierre', 'Inès', 'Noé', 'Zoé', 'Anaïs', 'Louis', 'Camille', 'Maël', 'Océane', 'Éric', 'Françoise', 'Yanis', 'Aurélie', 'Thierry', 'Nathalie']
const ORGANISMES = [
  'Maison départementale des solidarités, 1 rue X, 77000 Melun',
  'CCAS de Meaux, place de l\'Hôtel de Ville, 77100 Meaux',
  'Mission locale du Provinois, 2 avenue Y, 77160 Provins',
  'Pôle emploi Torcy, 5 rue Z, 77200 Torcy',
  'Association Insertion 77, 12 bd W, 77300 Fontainebleau'
]
const SERVICES = ['Service suivi RSA', 'Pôle insertion', 'Accompagnement social', 'Cellule orientation']
const NATURES = ['01', '01', '02', '03', '04', '05', '05', '05', '06', '06']

function name (rng: Rng): string {
  let s = ''
  const n = rng.between(2, 3)
  for (let i = 0; i < n; i++) s += rng.pick(SYLLABLES)
  return rng.chance(0.05) ? `${s}-${rng.pick(SYLLABLES)}${rng.pick(SYLLABLES)}` : s
}

function digits (rng: Rng, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += String(rng.int(10))
  return s
}

export function * benchOrientations (count: number, seed: number, today: number): Generator<Orientation> {
  const rng = new Rng(seed)
  for (let i = 0; i < count; i++) {
    const y = rng.between(1960, 2004)
    const m = rng.between(1, 12)
    const birth = dayFromYmd(y, m, rng.between(1, daysInMonth(y, m)))
    const sex = rng.chance(0.5) ? '1' : '2'
    // (place, order) repeats every 98 901 people: the month code (01–12, then 51–62, then 31–42) keeps NIRs apart
    const block = Math.floor(i / 98_901) % 3
    const month = m + (block === 0 ? 0 : block === 1 ? 50 : 30)
    const nir = `${sex}${String(y % 100).padStart(2, '0')}${String(month).padStart(2, '0')}99${String(1 + (i % 99)).padStart(3, '0')}${String(1 + (Math.floor(i / 99) % 999)).padStart(3, '0')}`
    const identifiant = rng.chance(0.6) ? `${digits(rng, 7)}${String.fromCharCode(65 + rng.int(26))}` : undefined
    const correspondant = rng.chance(0.5)
    const o: Record<string, string | undefined> = {
      NIR: rng.chance(0.85) ? nir : undefined,
      NOM_NAISSANCE: name(rng),
      NOM_MARITAL: rng.chance(0.3) ? name(rng) : undefined,
      PRENOM: rng.pick(FIRST_NAMES),
      DATE_NAISSANCE: compactFromDay(birth),
      CODE_PE: identifiant !== undefined || rng.chance(0.5) ? `0${rng.between(70, 79)}` : undefined,
      IDENTIFIANT_PE: identifiant,
      NATURE_ACCOMPAGNEMENT: rng.pick(NATURES),
      DATE_DECISION_ORIENTATION: rng.chance(0.95) ? compactFromDay(today - rng.between(0, 400)) : undefined,
      ORGANISME_REFERENT: rng.chance(0.8) ? rng.pick(ORGANISMES) : undefined,
      NOM_CORRESPONDANT: correspondant ? name(rng) : undefined,
      PRENOM_CORRESPONDANT: correspondant ? rng.pick(FIRST_NAMES) : undefined,
      TEL_CORRESPONDANT: correspondant ? `01${digits(rng, 8)}` : undefined,
      EMAIL_CORRESPONDANT: correspondant ? `agent.${i % 1000}@departement77.example.org` : undefined,
      SERVICE_CORRESPONDANT: correspondant ? rng.pick(SERVICES) : undefined
    }
    yield o
  }
}
