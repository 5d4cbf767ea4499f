/**
 * At most `max` holders at once; up to `queue` more wait their turn, in
 * order. Past that, acquire() answers null at once: the caller refuses the
 * work (503) rather than letting a queue grow without bound.
 */
export class Semaphore {
  private held = 0
  private readonly waiting: (() => void)[] = []

  constructor (private readonly max: number, private readonly queue: number) {
    if (!Number.isInteger(max) || max < 1) throw new RangeError('Semaphore: max must be an integer ≥ 1')
  }

  get busy (): number {
    return this.held
  }

  /** The release of a place, once one is free; null when too many wait already. */
  async acquire (): Promise<(() => void) | null> {
    if (this.held < this.max) {
      this.held++
      return this.releaser()
    }
    if (this.waiting.length >= this.queue) return null
    await new Promise<void>((resolve) => { this.waiting.push(resolve) })
    return this.releaser()
  }

  private releaser (): () => void {
    let released = false
    return () => {
      if (released) return
      released = true
      const next = this.waiting.shift()
      // the place goes straight to the next in line
      if (next) next()
      else this.held--
    }
  }
}
