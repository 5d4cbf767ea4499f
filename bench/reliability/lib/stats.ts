import { performance } from 'node:perf_hooks'

/** Latencies as a client sees them: percentiles by nearest rank, and the time of a piece of work. */

export interface Spread {
  n: number
  p50: number
  p95: number
  p99: number
  max: number
}

/** The p-th percentile of sorted values by nearest rank (one of the samples); NaN when there are none. */
function rank (sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))] as number
}

export function spread (values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b)
  return { n: sorted.length, p50: rank(sorted, 50), p95: rank(sorted, 95), p99: rank(sorted, 99), max: rank(sorted, 100) }
}

/** "p95 3,1 ms, p99 4,2 ms, max 7 ms (120 mesures)" and the like, French style. */
export function describe (s: Spread, which: readonly ('p50' | 'p95' | 'p99' | 'max')[] = ['p95', 'p99', 'max']): string {
  const label = { p50: 'médiane', p95: 'p95', p99: 'p99', max: 'max' } as const
  return `${which.map((k) => `${label[k]} ${ms(s[k])}`).join(', ')} (${s.n.toLocaleString('fr-FR')} mesures)`
}

export function ms (v: number): string {
  return `${v.toLocaleString('fr-FR', { maximumFractionDigits: v < 10 ? 2 : v < 100 ? 1 : 0 })} ms`
}

/** Runs `work` and returns its result with the milliseconds it took. */
export async function timed<T> (work: () => Promise<T>): Promise<{ value: T, ms: number }> {
  const start = performance.now()
  const value = await work()
  return { value, ms: performance.now() - start }
}

/** A clock time as the reports show it: "12:03:04.567" (UTC). */
export function clock (at: number): string {
  return new Date(at).toISOString().slice(11, 23)
}
