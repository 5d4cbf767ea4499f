import type { BenchResult } from '../result.js'

/**
 * A group of `npm run reliability`: it runs real server processes, measures,
 * and says which invariants broke. A new group is a file of its own in
 * bench/reliability/ exporting a ReliabilityGroup, and one line in run.ts.
 */

export interface GroupContext {
  /** the run's seed: the same seed replays the same requests and kill moments */
  seed: number
  /** a fresh folder of the group's own, removed after the group */
  workDir: string
  /** progress, to stderr */
  log: (line: string) => void
}

/** One broken invariant: its label (what is counted), and what happened, precisely enough to reproduce. */
export interface Violation {
  invariant: string
  detail: string
}

export interface GroupOutcome {
  /** each figure beside its reference or target (printed as `npm run bench` prints its own) */
  results: BenchResult[]
  violations: Violation[]
}

export type ReliabilityGroup = (context: GroupContext) => Promise<GroupOutcome>

/**
 * Server defects the suite has found and reported, by invariant label, with
 * where they are described. The heavy run still fails on them; the light
 * tests mark them `todo` rather than fail every `npm test` until they are
 * fixed. Remove an entry once its defect is fixed.
 */
export const KNOWN_DEFECTS: Readonly<Record<string, string>> = {}

export function countBy (violations: readonly Violation[]): Map<string, number> {
  const m = new Map<string, number>()
  for (const v of violations) m.set(v.invariant, (m.get(v.invariant) ?? 0) + 1)
  return m
}

/** The violations of known defects apart from the others (the tests mark the former todo). */
export function splitKnown (violations: readonly Violation[]): { known: Violation[], unknown: Violation[] } {
  const known = violations.filter((v) => KNOWN_DEFECTS[v.invariant] !== undefined)
  return { known, unknown: violations.filter((v) => KNOWN_DEFECTS[v.invariant] === undefined) }
}
