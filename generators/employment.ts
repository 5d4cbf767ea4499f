import { CATEGORIES, CESSATION_MOTIFS, MODALITIES, RADIATION_MOTIFS, SITUATIONS, TRAINING_LEVELS, WORK_AXES } from './data/annexe4.js'
import { FORMACODES } from './data/formacode.js'
import { ROME_CODES } from './data/rome.js'

/**
 * The job-seeker side of a record as pool entries (field name → value) with
 * their relative weights: the code lists of Annexe 4, the ROME v3 and
 * FORMACODE samples. Labels go out as the tables hold them, already in the
 * file's style (plain capitals, no accents), so `pecgm.case` leaves them be.
 */

export interface WeightedEntry {
  values: Record<string, string>
  weight: number
}

export function categoryEntries (): WeightedEntry[] {
  return CATEGORIES.map((c) => ({ values: { CODE_CATEGORIE_INSCRIPTION: c.code, LIBELLE_CATEGORIE_INSCRIPTION: c.label }, weight: 1 }))
}

/** Most people register with no particular situation (SOB, « SANS OBJET »); the rest spread over the list. */
export function situationEntries (): WeightedEntry[] {
  const weights: Record<string, number> = { SOB: 60, DIV: 10, PTP: 5, PTC: 5 }
  return SITUATIONS.map((s) => ({ values: { CODE_SITUATION_EMPLOI: s.code, LIBELLE_SITUATION_EMPLOI: s.label }, weight: weights[s.code] ?? 1 }))
}

export function cessationEntries (): WeightedEntry[] {
  return CESSATION_MOTIFS.map((m) => ({
    values: { MOTIF_CESSATION_IDE: m.code, LIBELLE_MOTIF_CESSATION_IDE: m.label },
    weight: m.code === '90' ? 12 : m.code.startsWith('1') || m.code.startsWith('2') ? 4 : 1
  }))
}

/** Motifs that Annexe 4 restricts to some categories. */
export const CESSATION_CATEGORY_RULES: ReadonlyMap<string, readonly string[]> = new Map([
  ['43', ['5']],
  ['95', ['4', '5']]
])

export function radiationEntries (): WeightedEntry[] {
  return RADIATION_MOTIFS.map((m) => ({ values: { MOTIF_RADIATION: m.code, LIBELLE_MOTIF_RADIATION: m.label20 }, weight: 1 }))
}

/** RSA beneficiaries are mostly at levels CAP/BEP and below. */
export function trainingEntries (): WeightedEntry[] {
  const weights: Record<string, number> = { AFS: 6, CFG: 8, CP4: 6, C12: 6, C3A: 12, NV5: 30, NV4: 20, NV3: 7, NV2: 3, NV1: 2 }
  return TRAINING_LEVELS.map((t) => ({ values: { NIVEAU_FORMATION: t.code, LIBELLE_NIVEAU_FORMATION: t.label }, weight: weights[t.code] ?? 1 }))
}

export function sectorEntries (): WeightedEntry[] {
  return FORMACODES.map((f) => ({ values: { SECTEUR_FORMATION: f.code, LIBELLE_SECTEUR_FORMATION: f.label30 ?? f.label }, weight: 1 }))
}

export function romeEntries (): WeightedEntry[] {
  return ROME_CODES.map((r) => ({ values: { CODE_ROME: r.code, LIBELLE_ROME: r.label }, weight: 1 }))
}

export function axisEntries (): WeightedEntry[] {
  return WORK_AXES.map((a) => ({ values: { AXE_TRAVAIL_PRINCIPAL: a.code }, weight: a.code === '06' ? 3 : 1 }))
}

export function modalityEntries (): WeightedEntry[] {
  const weights: Record<string, number> = { SUI: 2, GUI: 4, REN: 3, GLO: 2, APR: 1 }
  return MODALITIES.map((m) => ({ values: { MODALITE_ACCOMPAGNEMENT: m.code }, weight: weights[m.code] ?? 1 }))
}
