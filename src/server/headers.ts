/** A Content-Length as a number of bytes: null when absent or not a plain count. */
export function contentLength (v: unknown): number | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) && v >= 0 ? v : null
  if (typeof v !== 'string' || !/^[0-9]{1,15}$/.test(v)) return null
  return Number(v)
}
