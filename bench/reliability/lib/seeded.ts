/**
 * A small seeded generator (mulberry32) for the reliability runs: the same
 * seed replays the same mutations and the same kill moments. Kept apart from
 * the data generator's, which serves another purpose.
 */
export class Seeded {
  private state: number

  constructor (readonly seed: number) {
    this.state = seed >>> 0
  }

  /** A float in [0, 1). */
  next (): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0)
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }

  /** An integer in [0, n). */
  int (n: number): number {
    return Math.floor(this.next() * n)
  }

  /** An integer in [min, max]. */
  between (min: number, max: number): number {
    return min + this.int(max - min + 1)
  }

  chance (p: number): boolean {
    return this.next() < p
  }

  pick<T> (items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('Seeded.pick: nothing to pick from')
    return items[this.int(items.length)] as T
  }

  /** A generator of its own, drawn from this one (one per worker, per run). */
  fork (): Seeded {
    return new Seeded(Math.floor(this.next() * 4294967296))
  }
}
