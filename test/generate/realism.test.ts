import t from 'tap'
import { CESSATION_RULES, DISPENSE_MIN_AGE, fits, RADIATION_RULES, SITUATION_RULES } from '../../generators/rules.js'
import { isWorkingDay } from '../../src/calendar.js'
import { dayFromCompact, dayFromYmd, ymdFromDay } from '../../src/layouts/dates.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import { generate, scenario } from './helpers.js'

/**
 * What a département would see in a generated stock, read against the
 * convention (Annexe 4) and the law of the measures its codes name. Each
 * test failed on the generator before people had lives.
 */

const demo = await scenario('demo')
const edge = await scenario('edge-cases')
type Row = Record<string, string>

function stock (referenceDay: number, records = 20_000, departement = '77'): Row[] {
  return readPecgm(generate({ scenario: demo, departement, referenceDay, records })).records.filter((r) => r.type === 'D').map((r) => r.values)
}

/** Full years on `on`, as the calendar counts them (a birthday reached on its day). */
function age (v: Row, on: number): number {
  const [y, m, d] = ymdFromDay(on)
  const b = v.DATE_NAISSANCE ?? ''
  const years = y - Number(b.slice(0, 4))
  return m * 100 + d >= Number(b.slice(4, 8)) ? years : years - 1
}
const sexOf = (v: Row): 1 | 2 => (v.NIR ?? '').startsWith('2') ? 2 : 1
const day = (v: Row, k: string): number => v[k] ? dayFromCompact(v[k] as string) : -1

const NOW = dayFromYmd(2026, 11, 1)
const THEN = dayFromYmd(2008, 3, 1)
const now = stock(NOW)
const then = stock(THEN)

t.test('employment situations fit the category, the sex and the years of the measure they name', async (t) => {
  for (const [name, rows, ref] of [['2026', now, NOW], ['2008', then, THEN]] as const) {
    const bad = rows.filter((v) => {
      const rule = SITUATION_RULES.get(v.CODE_SITUATION_EMPLOI ?? '')
      // the situation began between the registration and the reference date
      const begun = [day(v, 'DATE_DEBUT_IDE'), Math.min(ref, ...['DATE_CESSATION_IDE', 'DATE_RADIATION'].map((k) => day(v, k)).filter((d) => d >= 0))]
      const inEra = (rule?.from ?? -Infinity) <= (begun[1] as number) && (rule?.to ?? Infinity) >= (begun[0] as number)
      return !inEra || !fits({ ...rule, from: undefined, to: undefined, minAge: undefined, maxAge: undefined }, 0, v.CODE_CATEGORIE_INSCRIPTION ?? '', sexOf(v), 0)
    })
    t.same(bad.slice(0, 3).map((v) => [v.CODE_SITUATION_EMPLOI, v.CODE_CATEGORIE_INSCRIPTION, v.DATE_DEBUT_IDE, v.NIR]), [], `${name}: no situation outside its measure, category or sex`)
  }
  t.notOk(now.some((v) => v.CODE_SITUATION_EMPLOI === 'CES'), 'no contrat emploi-solidarité in 2026')
  t.ok(then.some((v) => v.CODE_SITUATION_EMPLOI === 'CAE'), 'contrats d\'accompagnement dans l\'emploi in 2008')
  t.notOk(now.some((v) => v.CODE_SITUATION_EMPLOI === 'FNF' && sexOf(v) === 1), 'no man among the « femmes isolées »')
  t.notOk(now.some((v) => ['PTP', 'PTC'].includes(v.CODE_SITUATION_EMPLOI ?? '') && v.CODE_CATEGORIE_INSCRIPTION === '1'), 'nobody « pourvu d\'un emploi » in category 1')
})

t.test('the dispensed (blank category) registered before 2012, aged 57 or more', async (t) => {
  const dispensed = then.filter((v) => v.CODE_CATEGORIE_INSCRIPTION === '')
  t.ok(dispensed.length > 20, `some in 2008: ${dispensed.length}`)
  t.same(dispensed.filter((v) => !(day(v, 'DATE_DEBUT_IDE') < dayFromYmd(2012, 1, 1) && age(v, day(v, 'DATE_DEBUT_IDE')) >= DISPENSE_MIN_AGE)).map((v) => v.NIR), [])
  t.same(dispensed.filter((v) => v.CODE_SITUATION_EMPLOI !== 'SOB').map((v) => [v.NIR, v.CODE_SITUATION_EMPLOI]), [], 'each « Sans objet »')
  t.equal(now.filter((v) => v.CODE_CATEGORIE_INSCRIPTION === '').length, 0, 'none left in 2026: they have all retired')
})

t.test('the PPAE is the most recent one: renewed about once a year', async (t) => {
  const old = now.filter((v) => day(v, 'DATE_DEBUT_IDE') < NOW - 3 * 365 && !v.DATE_CESSATION_IDE && !v.DATE_RADIATION)
  t.ok(old.length > 1000)
  t.same(old.filter((v) => !(NOW - day(v, 'DATE_SIGNATURE_PPAE') <= 400)).slice(0, 3).map((v) => [v.DATE_DEBUT_IDE, v.DATE_SIGNATURE_PPAE]), [], 'every PPAE of the last 400 days')
  t.ok(now.every((v) => !v.DATE_NOTIFICATION_PPAE_CER || day(v, 'DATE_NOTIFICATION_PPAE_CER') >= day(v, 'DATE_SIGNATURE_PPAE')), 'a CER after its PPAE')
})

t.test('office dates fall on working days', async (t) => {
  const fields = ['DATE_DEBUT_IDE', 'DATE_SIGNATURE_PPAE', 'DATE_NOTIFICATION_PPAE_CER', 'DATE_DERNIER_CONTACT', 'DATE_CESSATION_IDE', 'DATE_RADIATION']
  for (const f of fields) t.equal(now.filter((v) => v[f] && !isWorkingDay(day(v, f))).length, 0, f)
  const overseas = stock(NOW, 5000, '971')
  t.equal(overseas.filter((v) => day(v, 'DATE_DEBUT_IDE') >= 0 && !isWorkingDay(day(v, 'DATE_DEBUT_IDE'), ['05-27'])).length, 0, '971: not on its own holiday either')
})

t.test('motifs fit the age, the category and the date: « Retraite » from 60, dispensation before 2012', async (t) => {
  for (const [name, rows] of [['2026', now], ['2008', then]] as const) {
    const bad = rows.filter((v) => {
      const c = v.MOTIF_CESSATION_IDE
      const r = v.MOTIF_RADIATION
      const at = day(v, c ? 'DATE_CESSATION_IDE' : 'DATE_RADIATION')
      if (c) return !fits(CESSATION_RULES.get(c), at, v.CODE_CATEGORIE_INSCRIPTION ?? '', sexOf(v), age(v, at))
      if (r) return !fits(RADIATION_RULES.get(r), at, v.CODE_CATEGORIE_INSCRIPTION ?? '', sexOf(v), age(v, at))
      return false
    })
    t.same(bad.slice(0, 3).map((v) => [v.MOTIF_CESSATION_IDE, v.MOTIF_RADIATION, v.DATE_NAISSANCE, v.DATE_CESSATION_IDE]), [], name)
  }
  const retired = [...now, ...then].filter((v) => v.MOTIF_CESSATION_IDE === '48')
  t.ok(retired.every((v) => age(v, day(v, 'DATE_CESSATION_IDE')) >= 60))
  t.ok(now.every((v) => age(v, NOW) <= 67), 'nobody registered past 67')
  t.ok(now.every((v) => age(v, day(v, 'DATE_DEBUT_IDE')) >= 18), 'nobody registered before 18')
})

t.test('each edge case\'s dates are coherent with each other and with what its label claims', async (t) => {
  const ref = dayFromYmd(2026, 11, 1)
  for (const ind of edge.individuals) {
    const v = ind.fields as Row
    const d = (k: string): number => day(v, k)
    const problems: string[] = []
    const start = d('DATE_DEBUT_IDE')
    if (age(v, start) < 18) problems.push('inscrit avant 18 ans')
    if (d('DATE_SIGNATURE_PPAE') >= 0 && d('DATE_SIGNATURE_PPAE') < start) problems.push('PPAE avant l\'inscription')
    if (d('DATE_NOTIFICATION_PPAE_CER') >= 0 && d('DATE_NOTIFICATION_PPAE_CER') < d('DATE_SIGNATURE_PPAE')) problems.push('CER avant le PPAE')
    if (d('DATE_DERNIER_CONTACT') < Math.max(start, d('DATE_SIGNATURE_PPAE'))) problems.push('dernier contact trop tôt')
    const end = Math.max(d('DATE_CESSATION_IDE'), d('DATE_RADIATION'))
    if (end >= 0 && (end <= start || end > ref || d('DATE_DERNIER_CONTACT') > end)) problems.push('fin incohérente')
    for (const k of ['DATE_DEBUT_IDE', 'DATE_SIGNATURE_PPAE', 'DATE_NOTIFICATION_PPAE_CER', 'DATE_DERNIER_CONTACT', 'DATE_CESSATION_IDE', 'DATE_RADIATION']) if (d(k) >= 0 && !isWorkingDay(d(k))) problems.push(`${k} un jour chômé`)
    const category = v.CODE_CATEGORIE_INSCRIPTION ?? ''
    if (!fits(SITUATION_RULES.get(v.CODE_SITUATION_EMPLOI ?? ''), start, category, sexOf(v), age(v, start))) problems.push('situation')
    if (v.MOTIF_CESSATION_IDE && !fits(CESSATION_RULES.get(v.MOTIF_CESSATION_IDE), end, category, sexOf(v), age(v, end))) problems.push('motif de cessation')
    if (v.MOTIF_RADIATION && !fits(RADIATION_RULES.get(v.MOTIF_RADIATION), end, category, sexOf(v), age(v, end))) problems.push('motif de radiation')
    if (/Dispensé/.test(ind.label) && !(category === '' && start < dayFromYmd(2012, 1, 1) && age(v, start) >= DISPENSE_MIN_AGE)) problems.push('dispensé')
    if (/plus jeune/.test(ind.label) && age(v, ref) !== 18) problems.push('le plus jeune n\'a pas 18 ans')
    if (/plus âgé : 64/.test(ind.label) && age(v, ref) !== 64) problems.push('le plus âgé n\'a pas 64 ans')
    if (/29 février/.test(ind.label) && !(v.DATE_NAISSANCE ?? '').endsWith('0229')) problems.push('pas né un 29 février')
    if (!/^[0-9]{8}$/.test(v.DATE_NAISSANCE ?? '')) problems.push('sans date de naissance')
    t.same(problems, [], ind.label)
  }
})
