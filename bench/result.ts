/** One figure of `npm run bench`, printed beside the reference measured in the same run. */
export interface BenchResult {
  name: string
  value: number
  unit: string
  reference?: { name: string, value: number }
  /** what the issue asks for, in words */
  target?: string
  note?: string
  /**
   * value / reference of each pair measured side by side, one just after
   * the other: their median is printed beside the ratio of the medians. The
   * machine's speed drifts during a run; a pair shares its moment.
   */
  pairs?: number[]
}

/** The ratio of each value to the reference measured beside it (the same index). */
export function pairRatios (values: readonly number[], references: readonly number[]): number[] {
  return Array.from({ length: Math.min(values.length, references.length) }, (_, i) => (values[i] as number) / (references[i] as number))
}

export function median (values: number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = s.length >> 1
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** A figure in French: grouped whole above 100, else up to two decimals after a comma. */
export function fmt (n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('fr-FR') : n.toLocaleString('fr-FR', { maximumFractionDigits: 2 })
}

export function formatResult (r: BenchResult): string {
  let s = `${r.name} : ${fmt(r.value)} ${r.unit}`
  if (r.reference) {
    const paired = r.pairs !== undefined && r.pairs.length > 1 ? ` ; par paire ${median(r.pairs).toFixed(2)}` : ''
    s += `  | référence ${r.reference.name} : ${fmt(r.reference.value)} ${r.unit} (rapport ${(r.value / r.reference.value).toFixed(2)}${paired})`
  }
  if (r.target) s += `  | cible : ${r.target}`
  if (r.note) s += `  | ${r.note}`
  return s
}
