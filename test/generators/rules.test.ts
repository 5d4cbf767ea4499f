import t from 'tap'
import { CESSATION_RULES, fits, RADIATION_RULES, RuleTable, SITUATION_RULES, type CodeRule } from '../../generators/rules.js'
import { SITUATIONS } from '../../generators/data/annexe4.js'
import { dayFromYmd } from '../../src/layouts/dates.js'

const CATEGORIES = ['1', '2', '3', '4', '5', '']

t.test('a rule table answers as fits() does, for every rule, day, category, sex and age', async (t) => {
  const rules: (CodeRule | undefined)[] = [undefined, {}, ...SITUATION_RULES.values(), ...CESSATION_RULES.values(), ...RADIATION_RULES.values(), { sex: 2 }, { categories: [] }]
  const table = new RuleTable(rules, CATEGORIES)
  const days = [1900, 2000, 2001, 2004, 2005, 2008, 2009, 2011, 2012, 2015, 2026].flatMap((y) => [dayFromYmd(y, 1, 1) - 1, dayFromYmd(y, 1, 1), dayFromYmd(y, 6, 1)])
  let asked = 0
  let differ = 0
  rules.forEach((rule, i) => {
    for (const day of days) {
      CATEGORIES.forEach((category, c) => {
        for (const sex of [1, 2] as const) {
          for (const age of [16, 18, 25, 49, 50, 51, 54, 55, 57, 59, 60, 61, 62, 66, 70]) {
            asked++
            if (table.fitsAt(i, day, c, sex, age) !== fits(rule, day, category, sex, age)) differ++
          }
        }
      })
    }
  })
  t.equal(differ, 0, `answers that differ, of ${asked}`)
})

t.test('a rule table is for a few categories: 31 at most', async (t) => {
  t.throws(() => new RuleTable([], Array.from({ length: 32 }, (_, i) => String(i))), RangeError)
})

t.test('every employment situation names the categories it fits: the dispensed are « Sans objet », a course is not for categories 1 to 3', async (t) => {
  t.same(SITUATIONS.filter((s) => SITUATION_RULES.get(s.code)?.categories === undefined).map((s) => s.code), [], 'situations that would fit any category')
  const day = dayFromYmd(2008, 1, 1)
  t.same(SITUATIONS.filter((s) => fits(SITUATION_RULES.get(s.code), day, '', 1, 60)).map((s) => s.code), ['SOB'], 'what a dispensed person may be')
  t.same(['1', '2', '3'].filter((c) => fits(SITUATION_RULES.get('SRP'), day, c, 1, 40)), [], 'stage de reclassement professionnel: not immediately available')
})
