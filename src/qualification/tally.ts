import { cgpemFieldIndex, NATURES_ACCOMPAGNEMENT } from '../layouts/cgpem.js'
import { latin1Slice } from '../text/latin1.js'
import type { OrientationSeen } from './answer.js'
import { SampleIndex } from './matching.js'
import type { SampleMember } from './sample.js'
import { CgpemValidator } from '../validate/validator.js'

/**
 * What a CGPEM says to the qualification, gathered as its orientations are
 * read: how many, which natures, how many designate a person of the sample,
 * the first that designate nobody, and the last orientation of each person of
 * the sample. Its size depends on the sample, not on the file.
 */
export interface OrientationSummary {
  total: number
  /** the natures of accompaniment used (01 to 06): a made-up value is the validator's finding, not a nature, and is not kept */
  natures: string[]
  matched: number
  unmatchedCount: number
  /** the first orientations that designate nobody */
  unmatched: OrientationSeen[]
  /** sample index and the last orientation that designates that person */
  bySample: [number, OrientationSeen][]
}

/** Where the fields the qualification reads are in a CGPEM record's values (indexed like CGPEM_FIELDS). */
const at = cgpemFieldIndex
const NIR = at('NIR')
const NOM = at('NOM_NAISSANCE')
const PRENOM = at('PRENOM')
const NAISSANCE = at('DATE_NAISSANCE')
const NATURE = at('NATURE_ACCOMPAGNEMENT')
const DECISION = at('DATE_DECISION_ORIENTATION')
const CODE_PE = at('CODE_PE')
const IDENTIFIANT = at('IDENTIFIANT_PE')

/** What the tally reads of a person of the sample: who, and its place (what a validating thread is sent of the sample). */
export type TallyMember = Pick<SampleMember, 'index' | 'person'>

type Indexed = SampleMember['person'] & { member: TallyMember }

/** The index of each sample in use (the service keeps its samples built): an upload does not normalise the sample's names again. */
const indexes = new WeakMap<readonly TallyMember[], SampleIndex<Indexed>>()

function indexOf (sample: readonly TallyMember[]): SampleIndex<Indexed> {
  let index = indexes.get(sample)
  if (index === undefined) {
    index = new SampleIndex(sample.map((m) => ({ ...m.person, member: m })))
    indexes.set(sample, index)
  }
  return index
}

/**
 * Orientations outside the sample an upload's report lists (each counted):
 * the first hundred name the lines to look at. A file of a whole
 * département's population has tens of thousands; listing them up to the
 * report's limit (a thousand) cost an upload of 40,000 orientations 5 to 8 ms
 * of 170 (their strings kept on the validating thread, then a report of
 * 300 KB to make, store and send) and nobody reads them.
 */
export const LISTED_UNMATCHED = 100

export class OrientationTally {
  private readonly index: SampleIndex<Indexed>
  private readonly natures = new Set<string>()
  private readonly bySample = new Map<number, OrientationSeen>()
  private readonly unmatched: OrientationSeen[] = []
  /** addBytes(): the natures seen, as numbers */
  private readonly natureCodes = new Set<number>()
  private total = 0
  private matched = 0

  constructor (sample: readonly TallyMember[], private readonly keepUnmatched = LISTED_UNMATCHED) {
    this.index = indexOf(sample)
  }

  add (o: OrientationSeen): void {
    this.total++
    const nature = o.NATURE_ACCOMPAGNEMENT ?? ''
    if (NATURES_ACCOMPAGNEMENT.has(nature)) this.natures.add(nature)
    const hit = this.index.match(o)
    if (hit) {
      this.matched++
      this.bySample.set(hit.member.index, o)
    } else if (this.unmatched.length < this.keepUnmatched) {
      this.unmatched.push(o)
    }
  }

  /**
   * add() of an orientation as the validator reads it (line, number, values
   * indexed like CGPEM_FIELDS, '' when absent), called once per orientation of
   * the upload: the values are read where they are, and an OrientationSeen is
   * made only for the orientations kept (the sample's, the first outside it).
   * The values may be reused afterwards.
   */
  addValues (line: number, record: number, v: readonly string[]): void {
    this.total++
    const nature = v[NATURE] ?? ''
    if (NATURES_ACCOMPAGNEMENT.has(nature)) this.natures.add(nature)
    const hit = this.index.find(v[NIR] ?? '', v[NOM] ?? '', v[PRENOM] ?? '', v[NAISSANCE] ?? '')
    if (hit) {
      this.matched++
      this.bySample.set(hit.member.index, seen(line, record, v))
    } else if (this.unmatched.length < this.keepUnmatched) {
      this.unmatched.push(seen(line, record, v))
    }
  }

  /**
   * addValues() of an orientation the validator read as ISO-8859-1 bytes
   * without making its strings: field i is b[starts[i], ends[i]) (indexed
   * like CGPEM_FIELDS), starts[i] -1 when absent or blank. A string is made
   * only when the orientation may designate someone of the sample (its NIR's
   * or birth date's tail is one of the sample's) or is kept; the nature is
   * read as a number. Same tally as addValues() of the same values.
   */
  addBytes (line: number, record: number, b: Uint8Array, starts: Int32Array, ends: Int32Array): void {
    this.total++
    const n = starts[NATURE] as number
    const length = (ends[NATURE] as number) - n
    // a nature has two characters (another length is none, and is not kept): both bytes in one number, so that a
    // value seen before costs no string
    if (n >= 0 && length === 2) {
      const code = (b[n] as number) * 256 + (b[n + 1] as number)
      if (!this.natureCodes.has(code)) {
        this.natureCodes.add(code)
        const nature = latin1Slice(b, n, n + 2)
        if (NATURES_ACCOMPAGNEMENT.has(nature)) this.natures.add(nature)
      }
    }
    const s = starts[NIR] as number
    const nir = s >= 0 && this.index.mayHaveNir(b, s, ends[NIR] as number) ? latin1Slice(b, s, ends[NIR] as number) : ''
    const d = starts[NAISSANCE] as number
    // the birth date's string first, the names' only when someone of the sample is born that day
    const naissance = d >= 0 && this.index.mayBeBornOn(b, d, ends[NAISSANCE] as number) ? latin1Slice(b, d, ends[NAISSANCE] as number) : ''
    const born = naissance !== '' && this.index.hasBirth(naissance)
    // a NIR or a birth date no person has: the index would find nobody
    const hit = nir === '' && !born ? null : this.index.find(nir, born ? field(b, starts, ends, NOM) : '', born ? field(b, starts, ends, PRENOM) : '', born ? naissance : '')
    if (hit) {
      this.matched++
      this.bySample.set(hit.member.index, seenBytes(line, record, b, starts, ends))
    } else if (this.unmatched.length < this.keepUnmatched) {
      this.unmatched.push(seenBytes(line, record, b, starts, ends))
    }
  }

  summary (): OrientationSummary {
    return {
      total: this.total,
      natures: [...this.natures].sort(),
      matched: this.matched,
      unmatchedCount: this.total - this.matched,
      unmatched: this.unmatched,
      bySample: [...this.bySample]
    }
  }
}

/**
 * An upload's validator, and the tally it feeds when a sample is given: each
 * orientation as the validator reads it, once. One setup wherever the
 * upload is validated (services/validator-threads.ts: the event loop, or a
 * thread).
 */
export function tallyingValidator (today: number, sample: readonly TallyMember[] | null): { validator: CgpemValidator, tally: OrientationTally | null } {
  if (sample === null) return { validator: new CgpemValidator({ today }), tally: null }
  const tally = new OrientationTally(sample)
  const validator = new CgpemValidator({
    today,
    onOrientation: (o) => { tally.addValues(o.line, o.record, o.values) },
    onOrientationBytes: (line, record, b, starts, ends) => { tally.addBytes(line, record, b, starts, ends) }
  })
  return { validator, tally }
}

/** The orientation kept, every field given ('' when absent), in the order its JSON is stored. */
function seen (line: number, record: number, v: readonly string[]): OrientationSeen {
  return { line, record, NIR: v[NIR] ?? '', NOM_NAISSANCE: v[NOM] ?? '', PRENOM: v[PRENOM] ?? '', DATE_NAISSANCE: v[NAISSANCE] ?? '', NATURE_ACCOMPAGNEMENT: v[NATURE] ?? '', DATE_DECISION_ORIENTATION: v[DECISION] ?? '', CODE_PE: v[CODE_PE] ?? '', IDENTIFIANT_PE: v[IDENTIFIANT] ?? '' }
}

function field (b: Uint8Array, starts: Int32Array, ends: Int32Array, i: number): string {
  const from = starts[i] as number
  return from < 0 ? '' : latin1Slice(b, from, ends[i] as number)
}

/** seen() of an orientation given as bytes. */
function seenBytes (line: number, record: number, b: Uint8Array, starts: Int32Array, ends: Int32Array): OrientationSeen {
  return { line, record, NIR: field(b, starts, ends, NIR), NOM_NAISSANCE: field(b, starts, ends, NOM), PRENOM: field(b, starts, ends, PRENOM), DATE_NAISSANCE: field(b, starts, ends, NAISSANCE), NATURE_ACCOMPAGNEMENT: field(b, starts, ends, NATURE), DATE_DECISION_ORIENTATION: field(b, starts, ends, DECISION), CODE_PE: field(b, starts, ends, CODE_PE), IDENTIFIANT_PE: field(b, starts, ends, IDENTIFIANT) }
}

/**
 * What the evidence keeps of a CGPEM's summary: its counts, natures, how many
 * people of the sample it designates and the first orientations outside the
 * sample. Its size depends on nothing: reading it back costs the same
 * whatever the sample's size.
 */
export interface SummaryDigest {
  total: number
  natures: string[]
  matched: number
  /** people of the sample designated by at least one orientation */
  designated: number
  unmatchedCount: number
  unmatched: OrientationSeen[]
}

/** Orientations outside the sample the digest keeps: enough to name the first lines. */
const DIGEST_UNMATCHED = 6

export function digestOf (s: OrientationSummary): SummaryDigest {
  return { total: s.total, natures: s.natures, matched: s.matched, designated: s.bySample.length, unmatchedCount: s.unmatchedCount, unmatched: s.unmatched.slice(0, DIGEST_UNMATCHED) }
}

/** A digest as stored, including the whole summaries an earlier version stored (schema 2). */
export function readDigest (json: string): SummaryDigest {
  const s = JSON.parse(json) as SummaryDigest & { bySample?: unknown[] }
  return { total: s.total, natures: s.natures, matched: s.matched, designated: s.designated ?? s.bySample?.length ?? 0, unmatchedCount: s.unmatchedCount, unmatched: s.unmatched.slice(0, DIGEST_UNMATCHED) }
}

export function summarise (sample: readonly SampleMember[], orientations: Iterable<OrientationSeen>): OrientationSummary {
  const tally = new OrientationTally(sample)
  for (const o of orientations) tally.add(o)
  return tally.summary()
}
