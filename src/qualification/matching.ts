/**
 * Matching an orientation to a person of the sample, as Pôle emploi would:
 * by NIR when both have one, else by birth name, first name and birth date,
 * ignoring case, accents and the punctuation of compound names.
 */

export interface Identity {
  NIR?: string
  NOM_NAISSANCE?: string
  PRENOM?: string
  DATE_NAISSANCE?: string
}

/** Upper case, no accents, œ/æ spelt out, hyphens and apostrophes as spaces, single spaces. */
export function normaliseName (s: string): string {
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/gi, 'OE').replace(/æ/gi, 'AE')
    .toUpperCase().replace(/[-'’]/g, ' ').replace(/\s+/g, ' ').trim()
}

export function nameKey (p: Identity): string | null {
  if (!p.NOM_NAISSANCE || !p.PRENOM || !p.DATE_NAISSANCE) return null
  return `${normaliseName(p.NOM_NAISSANCE)}|${normaliseName(p.PRENOM)}|${p.DATE_NAISSANCE}`
}

export class SampleIndex<T extends Identity> {
  private readonly byNir = new Map<string, T>()
  private readonly byName = new Map<string, T>()
  /** the birth dates of the people: an orientation born another day cannot match by name, and costs no normalisation */
  private readonly births = new Set<string>()

  constructor (people: Iterable<T>) {
    for (const p of people) {
      if (p.NIR) this.byNir.set(p.NIR, p)
      if (p.DATE_NAISSANCE) this.births.add(p.DATE_NAISSANCE)
      const k = nameKey(p)
      if (k) this.byName.set(k, p)
    }
  }

  /** The person an orientation designates, or null. A NIR that matches nobody falls back to the names. */
  match (o: Identity): T | null {
    if (o.NIR) {
      const p = this.byNir.get(o.NIR)
      if (p) return p
    }
    if (!o.DATE_NAISSANCE || !this.births.has(o.DATE_NAISSANCE)) return null
    const k = nameKey(o)
    return k ? this.byName.get(k) ?? null : null
  }
}
