import type { OrientationSeen } from './answer.js'
import { SampleIndex } from './matching.js'
import type { SampleMember } from './sample.js'

/**
 * What a CGPEM says to the qualification, gathered as its orientations are
 * read: how many, which natures, how many designate a person of the sample,
 * the first that designate nobody, and the last orientation of each person of
 * the sample. Its size depends on the sample, not on the file.
 */
export interface OrientationSummary {
  total: number
  natures: string[]
  matched: number
  unmatchedCount: number
  /** the first orientations that designate nobody */
  unmatched: OrientationSeen[]
  /** sample index and the last orientation that designates that person */
  bySample: [number, OrientationSeen][]
}

export class OrientationTally {
  private readonly index: SampleIndex<SampleMember['person'] & { member: SampleMember }>
  private readonly natures = new Set<string>()
  private readonly bySample = new Map<number, OrientationSeen>()
  private readonly unmatched: OrientationSeen[] = []
  private total = 0
  private matched = 0

  constructor (sample: readonly SampleMember[], private readonly keepUnmatched = 1000) {
    this.index = new SampleIndex(sample.map((m) => ({ ...m.person, member: m })))
  }

  add (o: OrientationSeen): void {
    this.total++
    if (o.NATURE_ACCOMPAGNEMENT) this.natures.add(o.NATURE_ACCOMPAGNEMENT)
    const hit = this.index.match(o)
    if (hit) {
      this.matched++
      this.bySample.set(hit.member.index, o)
    } else if (this.unmatched.length < this.keepUnmatched) {
      this.unmatched.push(o)
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
