import type { FastifyInstance } from 'fastify'
import { localText, instantOf } from '../../clock.js'
import type { StoredFile } from '../../storage/files.js'
import { DEPOSIT_HOUR_MS } from './deposits.js'
import { systemEntry } from './files.js'

export interface ClockMove {
  from: number
  to: number
  deposited: StoredFile[]
  purged: StoredFile[]
}

/**
 * Moves the exchange clock forward to `to`: each day crossed is lived in
 * order (at the hour of the deposits, 06:00, then at `to`), its purges and deposits made then,
 * with that day's dates; nothing is done twice. Kept and traced.
 */
export async function moveClock (app: FastifyInstance, target: number, mode: 'running' | 'frozen' | null, by: string): Promise<ClockMove> {
  const clock = app.clock
  const from = clock.now()
  // a clock that runs has moved on since the target was read: « now » stays now
  const to = Math.max(target, from)
  const deposited: StoredFile[] = []
  const purged: StoredFile[] = []
  const finalMode = mode ?? (clock.mode === 'frozen' ? 'frozen' : 'running')
  // each day crossed, at the hour of the deposits, with the clock stopped there: its work is dated by that day; then `to`
  const steps: number[] = []
  for (let day = clock.day(from) + 1; day <= clock.day(to); day++) {
    const step = instantOf(day, DEPOSIT_HOUR_MS, clock.zone)
    if (step > from && step < to) steps.push(step)
  }
  let reached = to
  for (const at of [...steps, to]) {
    if (at === to) reached = clock.setAtLeast(to, finalMode)
    else clock.set(at, 'frozen')
    const done = await app.maintenance.runNow()
    deposited.push(...done.deposited)
    purged.push(...done.purged)
  }
  app.storage.clock.put(clock.snapshot())
  app.auditTrail.record(systemEntry(app.config.now(), 'clock', null, null, null, null,
    `horloge de l'échange ${target <= from ? 'inchangée' : 'avancée'} par ${by} : de ${localText(from, clock.zone)} à ${localText(reached, clock.zone)}, ${finalMode === 'frozen' ? 'arrêtée' : 'en marche'} ; ${deposited.length} dépôt(s), ${purged.length} fichier(s) supprimé(s)`))
  return { from, to: reached, deposited, purged }
}
