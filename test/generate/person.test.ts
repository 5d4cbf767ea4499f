import t from 'tap'
import { planPecgm } from '../../src/generate/pecgm-file.js'
import { personValues } from '../../src/generate/person.js'
import { dayFromYmd } from '../../src/layouts/dates.js'
import { scenario } from './helpers.js'

const demo = await scenario('demo')

t.test('nobody registers again after a cessation for death (motif 73): the next registration of the place is someone else', async (t) => {
  const plan = planPecgm({ scenario: demo, departement: '77', referenceDay: dayFromYmd(2026, 11, 1), records: 3000 })
  // the NIRs whose last registration ended by death, and those of them seen registering again
  const dead = new Set<string>()
  const risen: string[] = []
  let deaths = 0
  let again = 0
  for (let slot = 0; slot < plan.count; slot++) {
    for (const m of plan.population.movements(slot, dayFromYmd(1990, 1, 1), dayFromYmd(2030, 12, 31))) {
      const v = personValues(plan.context, m.person)
      const nir = v.NIR ?? ''
      if (m.kind === 'cessation' && v.MOTIF_CESSATION_IDE === '73') {
        deaths++
        dead.add(nir)
      }
      if (m.kind === 'reinscription') {
        again++
        if (dead.has(nir)) risen.push(`${nir} réinscrit le ${v.DATE_DEBUT_IDE ?? ''}`)
      }
    }
  }
  t.ok(deaths > 20 && again > 1000, `deaths and re-registrations to look at: ${deaths}, ${again}`)
  t.same(risen.slice(0, 3), [], `re-registered after their death: ${risen.length}`)
})
