import type { FastifyInstance } from 'fastify'
import { advanceBy, instantOf, localText, parseNow, readStep, zoneName, type Clock, type Step } from '../../clock.js'
import { EXCHANGE_RANGE_TEXT, isExchangeDay, isoFromDay } from '../../layouts/dates.js'
import type { StoredFile } from '../../storage/files.js'
import { ServerError, type ServerErrorCode } from '../errors.js'
import { toErrorBody } from '../http-errors.js'
import { DEPOSIT_HOUR_MS } from './deposits.js'
import { depositFailure } from './maintenance.js'
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
  // each day crossed, at the hour of the deposits, with the clock stopped there: its work is dated by that day; then `to`.
  // The first day's 06:00 is crossed too when the clock stood before it (a move from 05:00 lives that day's deposits)
  const steps: number[] = []
  // a run that failed (a full disk) left its day's deposits undone: that day first, before any other (only the latest flux is made at a run);
  // a move to now (a mode only) makes it at its one run
  if (app.maintenance.error !== null && from < to) steps.push(from)
  for (let day = clock.day(from); day <= clock.day(to); day++) {
    const step = instantOf(day, DEPOSIT_HOUR_MS, clock.zone)
    if (step > from && step < to) steps.push(step)
  }
  let reached = to
  try {
    for (const at of [...steps, to]) {
      if (at === to) reached = clock.setAtLeast(to, finalMode)
      else clock.setAtLeast(at, 'frozen')
      const done = await app.maintenance.runNow()
      deposited.push(...done.deposited)
      purged.push(...done.purged)
    }
  } catch (err) {
    // the clock stays at the day whose work failed, in the mode asked (a running clock runs on from there), kept and traced
    reached = clock.setAtLeast(clock.now(), finalMode)
    app.storage.clock.put(clock.snapshot())
    app.auditTrail.record(systemEntry(app.config.now(), 'clock', null, null, null, null,
      `horloge de l'échange avancée par ${by} : de ${localText(from, clock.zone)} à ${localText(reached, clock.zone)} au lieu de ${localText(to, clock.zone)}, ${finalMode === 'frozen' ? 'arrêtée' : 'en marche'} ; ${deposited.length} dépôt(s), ${purged.length} fichier(s) supprimé(s) ; arrêtée là : dépôts impossibles (${depositFailure(err)})`))
    throw stoppedShort(err, reached, to, clock.zone, deposited)
  }
  app.storage.clock.put(clock.snapshot())
  app.auditTrail.record(systemEntry(app.config.now(), 'clock', null, null, null, null,
    `horloge de l'échange ${target <= from ? 'inchangée' : 'avancée'} par ${by} : de ${localText(from, clock.zone)} à ${localText(reached, clock.zone)}, ${finalMode === 'frozen' ? 'arrêtée' : 'en marche'} ; ${deposited.length} dépôt(s), ${purged.length} fichier(s) supprimé(s)`))
  return { from, to: reached, deposited, purged }
}

/**
 * A move stopped short by the failure of its deposits, told where the clock
 * stands: in the failure's code (a full disk stays a 507, an internal error
 * a 500), the stop's own 503 as it is.
 */
function stoppedShort (err: unknown, reached: number, to: number, zone: Clock['zone'], deposited: readonly StoredFile[]): unknown {
  const { code, message } = toErrorBody(err)
  if (code === 'PHEBUS_HTTP_UNAVAILABLE') return err
  const made = deposited.length === 0 ? 'aucun dépôt fait avant' : `${deposited.length} dépôt${deposited.length > 1 ? 's' : ''} fait${deposited.length > 1 ? 's' : ''} avant (${deposited.map((f) => f.name).join(', ')})`
  const cause = code === 'PHEBUS_STORAGE_FULL' ? 'Le disque du serveur est plein' : `Dépôts impossibles (${message.replace(/[.\s]+$/, '')})`
  const fix = code === 'PHEBUS_STORAGE_FULL' ? 'une fois de la place faite' : 'une fois la cause levée (journal du serveur)'
  return new ServerError(code as ServerErrorCode,
    `${cause} : l'horloge de l'échange s'est arrêtée au ${localText(reached, zone)}, dont les dépôts n'ont pas pu être faits, au lieu d'aller au ${localText(to, zone)} ; ${made}. Avancez-la de nouveau ${fix} : ce jour-là est refait d'abord.`,
    { cause: err })
}

/** The clock as the admin reads it (the API, the console). */
export interface ClockView {
  now: string
  local: string
  today: string
  mode: 'wall' | 'running' | 'frozen'
  zone: string
}

export function clockView (clock: Clock): ClockView {
  const now = clock.now()
  return { now: new Date(now).toISOString(), local: localText(now, clock.zone), today: isoFromDay(clock.day(now)), mode: clock.mode, zone: zoneName(clock.zone) }
}

/** What the admin asks of the clock: a step (+1d, +1M…) or a time to reach, or neither (only a mode). */
export interface ClockOrder {
  advance?: string | undefined
  to?: string | undefined
  mode?: 'running' | 'frozen' | undefined
}

/** The instant an order reaches; throws a ServerError whose `field` is the order's field in error (advance, to) when it cannot be read or goes back. */
export function clockTarget (clock: Clock, order: ClockOrder): number {
  const { advance, to } = order
  const now = clock.now()
  if (advance !== undefined && to !== undefined) throw new ServerError('PHEBUS_CLOCK_INVALID', 'Donnez advance ou to, pas les deux.', { field: 'to' })
  let target = now
  if (advance !== undefined) {
    const step = readStep(advance)
    if (step === null) throw new ServerError('PHEBUS_CLOCK_INVALID', `Avance illisible : « ${advance} » (attendu : +30min, +12h, +1d, +1M…).`, { field: 'advance' })
    // readable, but surely further than a move may go (a date it reaches may not even be written): said before reaching it
    if (fewestDays(step) > MAX_MOVE_DAYS + 1) {
      throw new ServerError('PHEBUS_CLOCK_INVALID', `Avance trop grande : « ${advance.trim()} » va au-delà d'un an. Au plus un an d'un coup (${MAX_MOVE_DAYS} jours) : chaque jour franchi est vécu, ses dépôts et ses purges faits. Avancez en plusieurs fois.`, { field: 'advance' })
    }
    target = advanceBy(now, advance, clock.zone) ?? now
  } else if (to !== undefined) {
    // without an offset, in the clock's zone: the one of its days and of what it answers (« … (UTC-04:00) »)
    const t = parseNow(to, clock.zone)
    if (t === null) throw new ServerError('PHEBUS_CLOCK_INVALID', `Heure illisible : « ${to} » (attendu : 2026-12-01, 2026-12-01T08:00:00 ou avec un décalage, 2026-12-01T08:00:00+04:00).`, { field: 'to' })
    target = t.at
  }
  if (!isExchangeDay(clock.day(target))) {
    throw new ServerError('PHEBUS_CLOCK_INVALID', `${localText(target, clock.zone)} est hors des dates que le simulateur sait faire vivre (${EXCHANGE_RANGE_TEXT}).`, { field: advance !== undefined ? 'advance' : 'to' })
  }
  if (clock.day(target) - clock.day(now) > MAX_MOVE_DAYS) {
    throw new ServerError('PHEBUS_CLOCK_INVALID', `Au plus un an d'un coup (${MAX_MOVE_DAYS} jours) : chaque jour franchi est vécu, ses dépôts et ses purges faits ; ${localText(target, clock.zone)} est à ${clock.day(target) - clock.day(now)} jours. Avancez en plusieurs fois.`, { field: advance !== undefined ? 'advance' : 'to' })
  }
  if (target < now) throw new ServerError('PHEBUS_CLOCK_BACKWARDS', `L'horloge de l'échange ne recule pas : ${localText(target, clock.zone)} est avant ${localText(now, clock.zone)}.`, { field: advance !== undefined ? 'advance' : 'to' })
  return target
}

/** What a move did, for the trail's entry of the request that asked for it. */
export function moveDetail (moved: ClockMove, zone: Clock['zone']): string {
  return `horloge de l'échange : ${localText(moved.from, zone)} → ${localText(moved.to, zone)}, ${moved.deposited.length} dépôt(s), ${moved.purged.length} fichier(s) supprimé(s)`
}

/**
 * Days one move may cross: each is lived (deposits, purges), about a year a
 * second; a target centuries away kept the server busy for hours.
 */
export const MAX_MOVE_DAYS = 366

/** The fewest days a step spans (a month has 28 at least): past MAX_MOVE_DAYS and a day of change of offset, too far whatever the day it starts. */
function fewestDays ({ count, unit }: Step): number {
  return count * { min: 1 / 1440, h: 1 / 24, d: 1, M: 28 }[unit]
}

/** The servers whose clock is moving: one move at a time. */
const moving = new WeakSet<FastifyInstance>()

/** An order checked, then carried out (both doors: POST /api/v1/admin/clock, the console's forms); 409 while another move runs. */
export async function orderClock (app: FastifyInstance, order: ClockOrder, by: string): Promise<ClockMove> {
  if (moving.has(app)) throw new ServerError('PHEBUS_CLOCK_BUSY')
  const target = clockTarget(app.clock, order)
  moving.add(app)
  try {
    return await moveClock(app, target, order.mode ?? null, by)
  } finally {
    moving.delete(app)
  }
}
