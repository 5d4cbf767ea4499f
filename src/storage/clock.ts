import type { ClockMode, ClockState, Zone } from '../clock.js'
import type { Db } from './database.js'

/** Migration 7: the exchange clock, kept (one row), and the exchange time of each entry of the trail beside its wall time. */
export const CLOCK_MIGRATION = `
  CREATE TABLE clock (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    mode TEXT NOT NULL,
    at INTEGER NOT NULL,
    wall_at INTEGER NOT NULL,
    zone TEXT NOT NULL
  );
  ALTER TABLE audit ADD COLUMN exchange_at INTEGER;
`

/**
 * Migration 19: 1 when the clock was kept by a clean stop, 0 when by its
 * start or its last change (all a kill leaves): a running clock stands still
 * while the server is stopped, but runs on over a kill (docs/serveur.md).
 */
export const CLOCK_STOPPED_MIGRATION = `
  ALTER TABLE clock ADD COLUMN stopped INTEGER NOT NULL DEFAULT 0;
`

/** The clock as kept; `stopped`: by a clean stop, so that a running clock stood still since (its wall time then is no longer its own). */
export interface KeptClock extends ClockState {
  stopped: boolean
}

interface Row { mode: ClockMode, at: number, wall_at: number, zone: string, stopped: number }

export class ClockRepository {
  private readonly getStmt
  private readonly putStmt

  constructor (db: Db) {
    this.getStmt = db.prepare<[], Row>('SELECT mode, at, wall_at, zone, stopped FROM clock WHERE id = 1')
    this.putStmt = db.prepare<[string, number, number, string, number]>('INSERT INTO clock (id, mode, at, wall_at, zone, stopped) VALUES (1, ?, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, at = excluded.at, wall_at = excluded.wall_at, zone = excluded.zone, stopped = excluded.stopped')
  }

  get (): KeptClock | null {
    const r = this.getStmt.get()
    if (r === undefined) return null
    const zone: Zone = r.zone === 'Europe/Paris' ? 'Europe/Paris' : Number(r.zone)
    return { mode: r.mode, at: r.at, wallAt: r.wall_at, zone, stopped: r.stopped === 1 }
  }

  /** Keeps the clock; `stopped` at a clean stop only. */
  put (s: ClockState, stopped = false): void {
    this.putStmt.run(s.mode, s.at, s.wallAt, String(s.zone), stopped ? 1 : 0)
  }
}
