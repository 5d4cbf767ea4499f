/**
 * A small, fast, seeded generator (sfc32), re-seedable in place so that each
 * person of a population gets its own stream from (seed, département, index)
 * without allocating: person n is the same whatever the file's size.
 */

/**
 * (x >>> 0) % n: the remainder of x's 32 bits read unsigned (a hash or a
 * draw, signed or not, see mix32i) by an integer 0 < n < 2³¹. Written so that
 * V8 computes it as a remainder of 32-bit integers (the result taken as one,
 * | 0): of numbers it does not know to be integers, it computes a
 * floating-point one, an x87 loop. Small enough that V8 always incorporates
 * it: a number above 2³¹ passed to a call is allocated on the heap.
 */
export function urem (x: number, n: number): number {
  return ((x >>> 0) % (n >>> 0)) | 0
}

/** A 32-bit avalanche hash (murmur3's finaliser), unsigned. */
export function mix32 (h: number): number {
  return mix32i(h) >>> 0
}

/**
 * mix32 as a signed 32-bit integer (its bits; mix32i(h) >>> 0 is mix32(h)).
 * What the generator passes between its functions: a small integer to V8,
 * where an unsigned one above 2³¹ is a number on the heap, allocated by each
 * call that V8 did not inline and that takes or returns it.
 */
export function mix32i (h: number): number {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return h ^ (h >>> 16)
}

/** A stable 32-bit hash of a string (FNV-1a then mixed). */
export function hashString (s: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return mix32(h >>> 0)
}

export class Rng {
  // sfc32 state a, b, c, counter, as signed 32-bit integers in fields: no step allocates, and a step is
  // four loads and four stores that V8 keeps as small integers (faster than an Int32Array's element accesses)
  private a = 0
  private b = 0
  private c = 0
  private d = 0

  constructor (...keys: number[]) {
    this.reseed(keys[0], keys[1], keys[2])
  }

  reseed (k0 = 0, k1 = 0, k2 = 0): void {
    // the sums taken modulo 2³² (| 0), as mix32 reads them anyway: a key above 2³¹ then overflows no
    // small-integer addition, which cost each thread a deoptimisation and a second compilation
    let a = mix32i(k0 ^ 0x9e3779b9)
    let b = mix32i((k1 + 0x7f4a7c15) | 0)
    let c = mix32i(((k2 ^ 0x2545f491) + k0) | 0)
    let d = 1
    // the twelve steps of int32(), on locals
    for (let i = 0; i < 12; i++) {
      const t = (((a + b) | 0) + d) | 0
      d = (d + 1) | 0
      a = b ^ (b >>> 9)
      b = (c + (c << 3)) | 0
      c = (((c << 21) | (c >>> 11)) + t) | 0
    }
    this.a = a
    this.b = b
    this.c = c
    this.d = d
  }

  /**
   * One sfc32 step, as a signed 32-bit integer (next() is its unsigned
   * value): what the generator's hot paths draw, then read unsigned where
   * they use it (see mix32i).
   */
  int32 (): number {
    // written for few bytes of bytecode (V8 inlines a function into another within a budget of bytecode, 920
    // bytes, which a person's few dozen draws spend): a + b + d exact before | 0 (each below 2³¹), and the
    // counter, which a reseed sets to 1, never near 2³¹ (an overflow would only make it a double: t the same)
    const b = this.b
    const c = this.c
    const t = (this.a + b + this.d) | 0
    this.d++
    this.a = b ^ (b >>> 9)
    this.b = (c + (c << 3)) | 0
    this.c = (((c << 21) | (c >>> 11)) + t) | 0
    return t
  }

  /** A uniform 32-bit unsigned integer. */
  next (): number {
    return this.int32() >>> 0
  }

  // Each draw below takes its step itself, float() written out, rather than calling float(): the
  // generator makes a few dozen draws a person, and a call that V8 does not inline returns a
  // fraction as a new heap number, where a step returns a small integer and a draw an integer or a boolean.

  /** A float in [0, 1). */
  float (): number {
    return (this.int32() >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int (n: number): number {
    return Math.floor((this.int32() >>> 0) / 4294967296 * n)
  }

  /** An integer in [min, max]. */
  between (min: number, max: number): number {
    return min + Math.floor((this.int32() >>> 0) / 4294967296 * (max - min + 1))
  }

  chance (p: number): boolean {
    return (this.int32() >>> 0) / 4294967296 < p
  }

  /**
   * chance(odds[i]), the same draw: the share read here rather than passed,
   * a fraction being a number V8 allocates on the heap for each call it did
   * not inline (the generator's shares, see DepartementContext#odds).
   */
  chanceOf (odds: Float64Array, i: number): boolean {
    return (this.int32() >>> 0) / 4294967296 < (odds[i] as number)
  }

  pick<T> (items: readonly T[]): T {
    return items[this.int(items.length)] as T
  }
}

/**
 * Picks an index with probability proportional to its weight: the first
 * index whose cumulated share exceeds a uniform draw. A guide table gives,
 * for each of `size × 8` (64 at least) equal slices of [0, 1), the index
 * that answers there when the slice lies within one index's share (with
 * half a slice to spare on each side, so that no rounding of the draw can
 * move it out), else the first index that can answer, as −1 − index, from
 * where a step or two finds it: a pick is mostly one look-up, instead of a
 * binary search (the generator makes a dozen a person), with the same answer.
 */
export class WeightedIndex {
  readonly cumulated: Float64Array
  readonly guide: Int32Array
  readonly slices: number
  readonly size: number

  constructor (weights: readonly number[]) {
    this.size = weights.length
    this.cumulated = new Float64Array(weights.length)
    let total = 0
    weights.forEach((w, i) => {
      total += Math.max(0, w)
      this.cumulated[i] = total
    })
    if (!(total > 0)) throw new RangeError('WeightedIndex: no positive weight')
    const c = this.cumulated
    for (let i = 0; i < c.length; i++) c[i] = (c[i] as number) / total
    const last = c.length - 1
    const slices = Math.max(64, c.length * 8)
    this.slices = slices
    this.guide = new Int32Array(slices)
    let i = 0
    for (let k = 0; k < slices; k++) {
      // the first index whose cumulated share exceeds k / slices
      while (i < last && (c[i] as number) <= k / slices) i++
      const within = (i === 0 || (c[i - 1] as number) < (k - 0.5) / slices) && (i === last || (c[i] as number) > (k + 1.5) / slices)
      this.guide[k] = within ? i : -1 - i
    }
  }

  pick (rng: Rng): number {
    // rng.float(), from the step's bits here: a fraction returned by a call V8 did not inline is allocated
    const bits = rng.int32()
    // x·slices is below 2³¹: its integer part, as Math.floor's
    const g = this.guide[(((bits >>> 0) / 4294967296) * this.slices) | 0] as number
    // the guide's answer, else the search (out of line: a few bytes of bytecode here, for V8's budget of
    // inlining), given the draw's bits, a small integer, where the fraction would be allocated on the heap
    return g >= 0 ? g : this.search(bits, g)
  }

  /** From the guide's entry `g` (−1 − the first index that can answer), the index a draw of `bits` picks. */
  private search (bits: number, g: number): number {
    const x = (bits >>> 0) / 4294967296
    const c = this.cumulated
    const last = c.length - 1
    let i = -1 - g
    while (i > 0 && (c[i - 1] as number) > x) i-- // x·slices rounded up onto the next slice
    while (i < last && (c[i] as number) <= x) i++
    return i
  }
}
