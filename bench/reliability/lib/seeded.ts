import { Rng } from '../../../src/generate/rng.js'

/**
 * The reliability runs' generator: the data generator's own (sfc32), seeded
 * with the run's seed, so that the same seed replays the same mutations and
 * the same kill moments.
 */
export class Seeded extends Rng {
  constructor (readonly seed: number) {
    super(seed)
  }

  /** A generator of its own, drawn from this one (one per worker, per run). */
  fork (): Seeded {
    return new Seeded(this.next())
  }
}
