import fp from 'fastify-plugin'
import type { FastifyInstance } from 'fastify'
import { Clock, localText, type ClockState } from '../../../clock.js'
import type { AppOptions } from '../../options.js'
import { systemEntry } from '../../services/files.js'

/**
 * The exchange clock: from the options (--now, --clock) and the one kept in
 * the data folder, which wins when it is later (a clock never goes back past
 * a time it has shown). Kept at each change and at close (a running clock
 * stands still while the server is stopped, but not over a kill, which keeps
 * nothing); every entry of the trail gets its time beside the wall's.
 */
export default fp(async function clockPlugin (app: FastifyInstance) {
  const wall = app.config.now
  const { start } = app.config.clock
  const stored = app.storage.clock.get()
  // kept by a clean stop, a running clock goes on from where it stood then; after a kill, as if it had run since its start or last change
  const storedNow = stored === null ? null : new Clock(stored.stopped ? { ...stored, wallAt: wall() } : stored, wall).now()
  const wanted = wantedState(app.config.clock, stored, storedNow, wall())
  const wantedNow = wanted.mode === 'wall' ? wall() : wanted.at
  let state = wanted
  let kept: string | null = null
  if (stored !== null && storedNow !== null && storedNow > wantedNow) {
    // the kept clock is later: it goes on from where it was, never back (serve says so beside the clock it shows)
    state = { ...wanted, mode: wanted.mode === 'wall' ? 'running' : wanted.mode, at: storedNow, zone: stored.zone }
    kept = `celle du dossier de données, gardée : ${start !== null ? `--now (${localText(start.at, start.zone)})` : 'l\'heure de la machine'} la ferait reculer`
  }
  app.decorate('clockKept', kept)
  const clock = new Clock(state, wall)
  app.decorate('clock', clock)
  app.storage.clock.put(clock.snapshot())
  app.auditTrail.exchange = () => clock.now()
  if (clock.mode !== 'wall') app.auditTrail.record(systemEntry(wall(), 'clock', null, null, null, null, `horloge de l'échange : ${clock.mode === 'frozen' ? 'arrêtée' : 'en marche'} à ${localText(clock.now(), clock.zone)}`))
  app.addHook('onClose', async () => {
    try {
      app.storage.clock.put(clock.snapshot(), true)
    } catch (err) {
      // a full disk at the stop: the stop goes on; the clock kept is then the one of its last change, and the next
      // start reads it as after a kill (running on since then), which the log says
      app.log.error({ err }, 'horloge de l\'échange : pas gardée à l\'arrêt (la base refuse d\'écrire) ; au prochain démarrage, elle repartira de son dernier changement comme après un arrêt brutal')
    }
  })
}, { name: 'phebus-clock', dependencies: ['phebus-storage'] })

/**
 * The clock the options ask for, before the kept one has its say: frozen
 * (at --now, else where the kept one is), running from --now, running on
 * from the kept clock (asked, or kept running or frozen and nothing asked:
 * it stays as it was), or the wall clock.
 */
function wantedState ({ mode, start }: AppOptions['clock'], stored: ClockState | null, storedNow: number | null, wall: number): ClockState {
  const asked = mode !== null || start !== null
  if (mode === 'frozen') return { mode: 'frozen', at: start?.at ?? storedNow ?? wall, wallAt: wall, zone: start?.zone ?? stored?.zone ?? 'Europe/Paris' }
  if (start !== null) return { mode: 'running', at: start.at, wallAt: wall, zone: start.zone }
  if (mode === 'running' || (!asked && stored !== null && stored.mode !== 'wall')) {
    return { mode: stored?.mode === 'frozen' && !asked ? 'frozen' : 'running', at: storedNow ?? wall, wallAt: wall, zone: stored?.zone ?? 'Europe/Paris' }
  }
  return { mode: 'wall', at: wall, wallAt: wall, zone: 'Europe/Paris' }
}
