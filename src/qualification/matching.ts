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

/** A name in its normal form already: capitals without accents, single spaces between words (as most files write them). */
const NORMAL_NAME = /^[A-Z]+(?: [A-Z]+)*$/

/** Upper case, no accents, œ/æ spelt out, hyphens and apostrophes as spaces, single spaces. */
export function normaliseName (s: string): string {
  // a test of the characters, where the normalisation and its five passes cost a few microseconds a name
  if (NORMAL_NAME.test(s)) return s
  return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/œ/gi, 'OE').replace(/æ/gi, 'AE')
    .toUpperCase().replace(/[-'’]/g, ' ').replace(/\s+/g, ' ').trim()
}

export function nameKey (p: Identity): string | null {
  if (!p.NOM_NAISSANCE || !p.PRENOM || !p.DATE_NAISSANCE) return null
  return nameKeyOf(p.NOM_NAISSANCE, p.PRENOM, p.DATE_NAISSANCE)
}

function nameKeyOf (nom: string, prenom: string, naissance: string): string {
  return `${normaliseName(nom)}|${normaliseName(prenom)}|${naissance}`
}

/**
 * Bits of a value's tail (tailOf): 65,536 (8 KiB a set), a few of them set by
 * a sample of a few dozen people. With 4,096, about one orientation in
 * twenty of a file outside a sample of 60 passed the NIR's or the birth
 * date's test by chance, and cost its strings and a lookup (2,089 of 40,000
 * reached the index; 286 now, most of them born the same day as someone).
 */
const TAIL_BITS = 16
const TAIL_MASK = (1 << TAIL_BITS) - 1

/** A number of the last six characters of a value (the end of a NIR, the year's end, month and day of a date). */
function tailOf (s: string): number {
  let h = 0
  for (let i = Math.max(0, s.length - 6); i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0
  return h & TAIL_MASK
}

/** tailOf() of the ISO-8859-1 bytes b[from, to) (a character a byte), without making the string. */
function tailOfBytes (b: Uint8Array, from: number, to: number): number {
  let h = 0
  for (let i = Math.max(from, to - 6); i < to; i++) h = (Math.imul(h, 31) + (b[i] as number)) | 0
  return h & TAIL_MASK
}

function hasBit (bits: Uint32Array, t: number): boolean {
  return ((bits[t >>> 5] as number) & (1 << (t & 31))) !== 0
}

function hasTail (bits: Uint32Array, s: string): boolean {
  return hasBit(bits, tailOf(s))
}

function addTail (bits: Uint32Array, s: string): void {
  const t = tailOf(s)
  bits[t >>> 5] = (bits[t >>> 5] as number) | (1 << (t & 31))
}

export class SampleIndex<T extends Identity> {
  private readonly byNir = new Map<string, T>()
  private readonly byName = new Map<string, T>()
  /** the birth dates of the people: an orientation born another day cannot match by name, and costs no normalisation */
  private readonly births = new Set<string>()
  /**
   * The tails of the people's NIRs and birth dates: a value whose tail no
   * person has is in neither map. Most orientations of a file designate no
   * one of the sample, and each value is a new string: ruling it out by a
   * few characters spares hashing it.
   */
  private readonly nirTails = new Uint32Array(1 << (TAIL_BITS - 5))
  private readonly birthTails = new Uint32Array(1 << (TAIL_BITS - 5))

  constructor (people: Iterable<T>) {
    for (const p of people) {
      if (p.NIR) {
        this.byNir.set(p.NIR, p)
        addTail(this.nirTails, p.NIR)
      }
      if (p.DATE_NAISSANCE) {
        this.births.add(p.DATE_NAISSANCE)
        addTail(this.birthTails, p.DATE_NAISSANCE)
      }
      const k = nameKey(p)
      if (k) this.byName.set(k, p)
    }
  }

  /** false when no person of the sample has the NIR b[from, to) (ISO-8859-1 bytes): most NIRs are ruled out without a string. */
  mayHaveNir (b: Uint8Array, from: number, to: number): boolean {
    return hasBit(this.nirTails, tailOfBytes(b, from, to))
  }

  /** false when no person of the sample is born on b[from, to) (ISO-8859-1 bytes). */
  mayBeBornOn (b: Uint8Array, from: number, to: number): boolean {
    return hasBit(this.birthTails, tailOfBytes(b, from, to))
  }

  /** Whether a person of the sample is born on `naissance` (as written in the file): an orientation born another day cannot match by name. */
  hasBirth (naissance: string): boolean {
    return this.births.has(naissance)
  }

  /** The person an orientation designates, or null. A NIR that matches nobody falls back to the names. */
  match (o: Identity): T | null {
    return this.find(o.NIR ?? '', o.NOM_NAISSANCE ?? '', o.PRENOM ?? '', o.DATE_NAISSANCE ?? '')
  }

  /** match() of the identity's values, '' when absent: nothing is allocated unless the birth date is one of the sample's. */
  find (nir: string, nom: string, prenom: string, naissance: string): T | null {
    if (nir !== '' && hasTail(this.nirTails, nir)) {
      const p = this.byNir.get(nir)
      if (p) return p
    }
    if (naissance === '' || !hasTail(this.birthTails, naissance) || !this.births.has(naissance) || nom === '' || prenom === '') return null
    return this.byName.get(nameKeyOf(nom, prenom, naissance)) ?? null
  }
}
