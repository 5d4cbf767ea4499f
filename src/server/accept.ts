/**
 * Content negotiation (RFC 9110, 12.5.1) over the few types a route offers:
 * each offered type takes the weight (q) of the most specific range of the
 * Accept header that matches it (type/subtype, then type/*, then *\/*); the
 * heaviest wins, ties going to the route's own order. A type weighed q=0 is
 * refused, whatever a wider range says. No header, or none acceptable: the
 * route's first type, its default (the API answers JSON rather than 406).
 */
export function negotiate<T extends string> (accept: string | undefined, offered: readonly [T, ...T[]]): T {
  if (accept === undefined || accept.trim() === '') return offered[0]
  const ranges = accept.split(',').map(parseRange).filter((r) => r !== null)
  let best = offered[0]
  let bestQ = 0
  for (const type of offered) {
    const q = weightOf(type, ranges)
    if (q > bestQ) {
      best = type
      bestQ = q
    }
  }
  return best
}

interface Range { type: string, subtype: string, q: number }

function parseRange (text: string): Range | null {
  const [media = '', ...params] = text.split(';')
  const [type, subtype] = media.trim().toLowerCase().split('/')
  if (type === undefined || subtype === undefined || type === '' || subtype === '') return null
  let q = 1
  for (const p of params) {
    const [name, value] = p.split('=')
    if (name?.trim().toLowerCase() !== 'q' || value === undefined) continue
    const n = Number(value.trim())
    q = Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0
  }
  return { type, subtype, q }
}

/** The q of the most specific range that matches `type` (0 when none does). */
function weightOf (type: string, ranges: readonly Range[]): number {
  const [t, s] = type.split('/')
  let specificity = -1
  let q = 0
  for (const r of ranges) {
    const level = r.type === t && r.subtype === s ? 2 : r.type === t && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1
    if (level > specificity) {
      specificity = level
      q = r.q
    }
  }
  return q
}
