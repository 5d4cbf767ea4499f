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

interface Row { mode: ClockMode, at: number, wall_at: number, zone: string }

export class ClockRepository {
  private readonly getStmt
  private readonly putStmt

  constructor (db: Db) {
    this.getStmt = db.prepare<[], Row>('SELECT mode, at, wall_at, zone FROM clock WHERE id = 1')
    this.putStmt = db.prepare<[string, number, number, string]>('INSERT INTO clock (id, mode, at, wall_at, zone) VALUES (1, ?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET mode = excluded.mode, at = excluded.at, wall_at = excluded.wall_at, zone = excluded.zone')
  }

  get (): ClockState | null {
    const r = this.getStmt.get()
    if (r === undefined) return null
    const zone: Zone = r.zone === 'Europe/Paris' ? 'Europe/Paris' : Number(r.zone)
    return { mode: r.mode, at: r.at, wallAt: r.wall_at, zone }
  }

  put (s: ClockState): void {
    this.putStmt.run(s.mode, s.at, s.wallAt, String(s.zone))
  }
}
