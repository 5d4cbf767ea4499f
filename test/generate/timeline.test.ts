import t, { type Test } from 'tap'
import { isWorkingDay } from '../../src/calendar.js'
import { movementsCsv, periodFiles } from '../../src/generate/movements.js'
import { FIRST_YEAR, NEVER } from '../../src/generate/kernel-shared.js'
import { Lives, WorkCalendar } from '../../src/generate/timeline.js'
import { compactFromDay, dayFromCompact, dayFromYmd } from '../../src/layouts/dates.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import type { Scenario } from '../../src/scenarios/model.js'
import { generate, scenario } from './helpers.js'

const demo = await scenario('demo')
const edge = await scenario('edge-cases')

type Row = Record<string, string>

function details (s: Scenario, departement: string, referenceDay: number, periodicity: 'M' | 'Q'): Row[] {
  return readPecgm(generate({ scenario: s, departement, referenceDay, periodicity })).records.filter((r) => r.type === 'D').map((r) => r.values)
}

const IDENTITY = ['NOM_NAISSANCE', 'PRENOM', 'DATE_NAISSANCE', 'NUMERO_ALLOCATAIRE_CAF', 'IDENTIFIANT_PE'] as const
const identity = (v: Row): string => IDENTITY.map((k) => v[k]).join('|')
const ended = (v: Row): number => dayFromCompact(v.DATE_CESSATION_IDE || v.DATE_RADIATION || '99991231')

/**
 * A year of monthly stocks and daily fluxes: every person who appears or
 * disappears between two stocks is explained by the fluxes between them or
 * by an ended registration in the first, and a NIR is always the same person.
 */
function checkYear (t: Test, s: Scenario, departement: string, year: number): void {
  const refs = Array.from({ length: 13 }, (_, m) => dayFromYmd(year + Math.floor(m / 12), (m % 12) + 1, 1))
  const stocks = refs.map((d) => details(s, departement, d, 'M'))
  const who = new Map<string, string>()
  const problems: string[] = []
  for (const stock of stocks) {
    for (const v of stock) {
      const known = who.get(v.NIR ?? '')
      if (known !== undefined && known !== identity(v)) problems.push(`NIR ${v.NIR} : deux identités`)
      who.set(v.NIR ?? '', identity(v))
    }
  }
  let shared = 0
  let total = 0
  for (let m = 0; m < 12; m++) {
    const from = refs[m] as number
    const to = refs[m + 1] as number
    const a = new Map((stocks[m] ?? []).map((v) => [v.NIR, v]))
    const b = new Map((stocks[m + 1] ?? []).map((v) => [v.NIR, v]))
    const entrants = new Map<string, Row>()
    for (let d = from + 1; d <= to; d++) for (const v of details(s, departement, d, 'Q')) entrants.set(v.NIR ?? '', v)
    for (const [nir, v] of a) {
      const after = b.get(nir)
      if (after === undefined || after.DATE_DEBUT_IDE !== v.DATE_DEBUT_IDE) {
        // gone, or registered again: its registration had ended by the first stock
        if (!(ended(v) <= from)) problems.push(`${departement} ${m}: ${nir} quitte le stock sans cessation ni radiation`)
      } else {
        shared++
      }
    }
    total += a.size
    for (const [nir, v] of b) {
      const before = a.get(nir)
      if (before !== undefined && before.DATE_DEBUT_IDE === v.DATE_DEBUT_IDE) continue
      const start = dayFromCompact(v.DATE_DEBUT_IDE ?? '')
      if (!(start > from && start <= to)) problems.push(`${departement} ${m}: ${nir} entre inscrit le ${v.DATE_DEBUT_IDE}, hors de la période`)
      const flux = entrants.get(nir ?? '')
      if (flux === undefined || flux.DATE_DEBUT_IDE !== v.DATE_DEBUT_IDE || identity(flux) !== identity(v)) problems.push(`${departement} ${m}: ${nir} n'est dans aucun flux quotidien de la période`)
    }
  }
  t.same(problems.slice(0, 10), [], `${departement}: every movement is explained`)
  t.ok(shared / total > 0.9, `${departement}: consecutive stocks share ${(100 * shared / total).toFixed(1)} % of their people`)
}

t.test('a year of files of three départements: stocks share their people, and every arrival and departure is explained', async (t) => {
  for (const d of ['77', '93', '971']) checkYear(t, demo, d, 2026)
})

t.test('the edge cases scenario, over a year: individuals stay as written, the others move as explained', async (t) => {
  checkYear(t, edge, '77', 2026)
  const nov = details(edge, '77', dayFromYmd(2026, 11, 1), 'M')
  const dec = details(edge, '77', dayFromYmd(2026, 12, 1), 'M')
  const pinned = edge.individuals.filter((i) => i.departement === '77').length
  t.same(dec.slice(0, pinned), nov.slice(0, pinned), 'the individuals are the same in every stock')
})

t.test('the movements CSV lists each arrival and departure between two stocks, dated', async (t) => {
  const from = dayFromYmd(2026, 11, 1)
  const to = dayFromYmd(2026, 12, 1)
  const csv = movementsCsv({ scenario: demo, departement: '77' }, from + 1, to).toString('latin1').split('\r\n').filter((l) => l !== '').map((l) => l.split(';'))
  t.same(csv[0], ['date', 'mouvement', 'NIR', 'NOM_NAISSANCE', 'PRENOM', 'DATE_NAISSANCE', 'IDENTIFIANT_PE', 'DATE_DEBUT_IDE', 'categorie_avant', 'categorie', 'situation_avant', 'situation', 'motif'])
  const rows = csv.slice(1)
  const kinds = (k: string): Set<string> => new Set(rows.filter((r) => r[1] === k).map((r) => r[2] ?? ''))
  const a = new Map(details(demo, '77', from, 'M').map((v) => [v.NIR, v]))
  const b = new Map(details(demo, '77', to, 'M').map((v) => [v.NIR, v]))
  const gone = kinds('sortie du stock')
  const came = new Set([...kinds('entrée'), ...kinds('réinscription')])
  for (const [nir, v] of a) if (b.get(nir)?.DATE_DEBUT_IDE !== v.DATE_DEBUT_IDE) t.ok(gone.has(nir ?? ''), `${nir} leaves: a « sortie du stock »`)
  for (const [nir, v] of b) if (a.get(nir)?.DATE_DEBUT_IDE !== v.DATE_DEBUT_IDE) t.ok(came.has(nir ?? ''), `${nir} arrives: an « entrée »`)
  for (const [nir, v] of b) {
    const before = a.get(nir)
    if (before !== undefined && before.DATE_DEBUT_IDE === v.DATE_DEBUT_IDE && before.CODE_CATEGORIE_INSCRIPTION !== v.CODE_CATEGORIE_INSCRIPTION) {
      t.ok(rows.some((r) => r[1] === 'changement de catégorie' && r[2] === nir && r[9] === v.CODE_CATEGORIE_INSCRIPTION), `${nir}: its category change is listed`)
    }
  }
  t.ok(rows.every((r) => isWorkingDay(dayFromCompact(r[0] ?? '')) || r[1] === 'sortie du stock'), 'every office event on a working day')
})

t.test('the movements CSV lists a category change made on the day the registration ends, as the stock shows it', async (t) => {
  // 971, 2026: a registration moved from category 3 to 1 on the day of its cessation (16 January), which the
  // February stock shows ended in category 1
  const refs = Array.from({ length: 13 }, (_, m) => dayFromYmd(2026 + Math.floor(m / 12), (m % 12) + 1, 1))
  const rows = movementsCsv({ scenario: demo, departement: '971' }, (refs[0] as number) + 1, refs[12] as number)
    .toString('latin1').split('\r\n').filter((l) => l !== '').slice(1).map((l) => l.split(';'))
  const unexplained: string[] = []
  for (let m = 0; m < 12; m++) {
    const from = refs[m] as number
    const to = refs[m + 1] as number
    const a = new Map(details(demo, '971', from, 'M').map((v) => [`${v.NIR ?? ''} ${v.DATE_DEBUT_IDE ?? ''}`, v]))
    for (const v of details(demo, '971', to, 'M')) {
      const key = `${v.NIR ?? ''} ${v.DATE_DEBUT_IDE ?? ''}`
      const before = a.get(key)
      if (before === undefined || before.CODE_CATEGORIE_INSCRIPTION === v.CODE_CATEGORIE_INSCRIPTION) continue
      const listed = rows.filter((r) => r[1] === 'changement de catégorie' && `${r[2] ?? ''} ${r[7] ?? ''}` === key && dayFromCompact(r[0] ?? '') > from && dayFromCompact(r[0] ?? '') <= to)
      if (listed.at(-1)?.[9] !== v.CODE_CATEGORIE_INSCRIPTION) unexplained.push(`${key} : ${before.CODE_CATEGORIE_INSCRIPTION ?? ''} → ${v.CODE_CATEGORIE_INSCRIPTION ?? ''} au stock du ${compactFromDay(to)}`)
    }
  }
  t.same(unexplained, [], 'every change of category between two stocks has its row')
})

t.test('a period gives the server\'s deposits: stocks on the first working day, fluxes on working days', async (t) => {
  const files = periodFiles(['05-27'], true, dayFromYmd(2027, 5, 1), dayFromYmd(2027, 6, 2))
  const m = files.filter((f) => f.periodicity === 'M')
  t.same(m.map((f) => [f.referenceDay, f.fabricationDay]), [[dayFromYmd(2027, 5, 1), dayFromYmd(2027, 5, 3)], [dayFromYmd(2027, 6, 1), dayFromYmd(2027, 6, 1)]])
  const q = files.filter((f) => f.periodicity === 'Q').map((f) => f.referenceDay)
  t.notOk(q.includes(dayFromYmd(2027, 5, 27)), 'not on a local holiday')
  t.notOk(q.includes(dayFromYmd(2027, 5, 8)), 'not on a Saturday')
  t.ok(q.includes(dayFromYmd(2027, 5, 28)))
})

t.test('a work calendar says what isWorkingDay() says, every day from 1950 to 2100', async (t) => {
  // not workCalendar(): a new one each time, whatever the other tests built
  for (const local of [[], ['05-27'], ['02-29', '12-31', '01-01', '5-1', '13-01', '04-31']]) {
    const c = new WorkCalendar(local)
    let differ = 0
    for (let d = dayFromYmd(FIRST_YEAR, 1, 1), last = dayFromYmd(2100, 12, 31); d <= last; d++) if (c.isWorking(d) !== isWorkingDay(d, local)) differ++
    t.equal(differ, 0, local.join(',') || 'no local holiday')
  }
})

t.test('the last category move of a registration is the last of its moves, found from the last year back', async (t) => {
  const lives = new Lives(0x5eed, { ...demo.rates, categoryMoves: 0.2 }, [])
  const moves = new Int32Array(64)
  let some = 0
  let differ = 0
  for (let id = 0; id < 3000; id++) {
    const from = dayFromYmd(1950 + (id % 70), 1 + (id % 12), 1 + (id % 28))
    for (const to of [from - 1, from, from + 40, from + 400 + id, from + 9000]) {
      const n = lives.categoryChanges(id, from, to, moves)
      const expected = n > 0 ? moves[n - 1] : NEVER
      if (lives.lastCategoryChange(id, from, to) !== expected) differ++
      if (n > 0) some++
    }
  }
  t.equal(differ, 0, 'the same day as categoryChanges() gives last, or none')
  t.ok(some > 1000, `moves found: ${some}`)
})
