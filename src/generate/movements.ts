import { firstWorkingDayOfMonth, isWorkingDay } from '../calendar.js'
import { compactFromDay, dayFromYmd, ymdFromDay } from '../layouts/dates.js'
import { latin1Csv } from '../text/csv.js'
import { planPecgm, type PecgmRequest, type Periodicity } from './pecgm-file.js'
import { personValues, type MovementKind } from './person.js'

/**
 * What a period produces for a département: the files the server deposits
 * (the monthly stock on the first working day of each month, the daily flux
 * of each working day for a département whose scenario asks for one), and
 * the movements its people's timelines explain, as a CSV a département can
 * check its reconciliation against.
 */

export interface PeriodFile {
  periodicity: Periodicity
  referenceDay: number
  fabricationDay: number
}

/** The deposits of a period (both days included), in the order the server makes them. */
export function periodFiles (holidays: readonly string[], daily: boolean, from: number, to: number): PeriodFile[] {
  const files: PeriodFile[] = []
  let [y, m] = ymdFromDay(from)
  for (;;) {
    const referenceDay = dayFromYmd(y, m, 1)
    const fabricationDay = firstWorkingDayOfMonth(referenceDay, holidays)
    if (fabricationDay > to) break
    if (fabricationDay >= from) files.push({ periodicity: 'M', referenceDay, fabricationDay })
    if (++m > 12) { m = 1; y++ }
  }
  if (daily) for (let d = from; d <= to; d++) if (isWorkingDay(d, holidays)) files.push({ periodicity: 'Q', referenceDay: d, fabricationDay: d })
  return files.sort((a, b) => a.fabricationDay - b.fabricationDay || (a.periodicity === 'M' ? -1 : 1))
}

export const MOVEMENT_COLUMNS = ['date', 'mouvement', 'NIR', 'NOM_NAISSANCE', 'PRENOM', 'DATE_NAISSANCE', 'IDENTIFIANT_PE', 'DATE_DEBUT_IDE',
  'categorie_avant', 'categorie', 'situation_avant', 'situation', 'motif'] as const

const LABELS: Record<MovementKind, string> = {
  entree: 'entrée',
  reinscription: 'réinscription',
  categorie: 'changement de catégorie',
  cessation: 'cessation',
  radiation: 'radiation',
  sortie: 'sortie du stock'
}

/**
 * The movements of a département's population after `from` and up to `to`
 * (both included) as CSV: ';'-separated, ISO-8859-1, CRLF, a header line,
 * in order of date then person. The individuals of a scenario are pinned
 * (the same in every stock): they have no movement.
 */
export function movementsCsv (req: Omit<PecgmRequest, 'referenceDay'>, from: number, to: number): Buffer {
  const plan = planPecgm({ ...req, referenceDay: from, periodicity: 'M' })
  const ctx = plan.context
  const rows: { day: number, slot: number, cells: string[] }[] = []
  for (let slot = plan.individuals.length; slot < plan.count; slot++) {
    for (const m of plan.population.movements(slot, from, to)) {
      const v = personValues(ctx, m.person)
      const was = m.before ? personValues(ctx, m.before) : undefined
      const motif = m.kind === 'cessation' ? v.MOTIF_CESSATION_IDE : m.kind === 'radiation' ? v.MOTIF_RADIATION : ''
      rows.push({
        day: m.day,
        slot,
        cells: [compactFromDay(m.day), LABELS[m.kind], v.NIR ?? '', v.NOM_NAISSANCE ?? '', v.PRENOM ?? '', v.DATE_NAISSANCE ?? '', v.IDENTIFIANT_PE ?? '', v.DATE_DEBUT_IDE ?? '',
          was?.CODE_CATEGORIE_INSCRIPTION ?? '', v.CODE_CATEGORIE_INSCRIPTION ?? '', was?.CODE_SITUATION_EMPLOI ?? '', v.CODE_SITUATION_EMPLOI ?? '', motif ?? '']
      })
    }
  }
  rows.sort((a, b) => a.day - b.day || a.slot - b.slot)
  return latin1Csv([MOVEMENT_COLUMNS, ...rows.map((r) => r.cells)])
}
