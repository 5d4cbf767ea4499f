import t from 'tap'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import { toLatin1Text } from '../../src/text/latin1.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { generate, REFERENCE, scenario } from './helpers.js'

const edge = await scenario('edge-cases')
const detail = getPecgmLayouts('001,0').detail

t.test('every département of edge-cases.yaml makes a clean file whose first details are its individuals, as written', async (t) => {
  for (const d of edge.departements) {
    const { records, problems } = readPecgm(generate({ scenario: edge, departement: d.code, referenceDay: REFERENCE }))
    t.same(problems, [], `${d.code}: no problem`)
    const individuals = edge.individuals.filter((i) => i.departement === d.code)
    individuals.forEach((ind, k) => {
      const got = records[k + 1]?.values ?? {}
      for (const [name, value] of Object.entries(ind.fields)) {
        const field = detail.byName.get(name)
        if (!field) continue
        const upper = field.type === 'AN' || field.type === 'A'
        let want = toLatin1Text(value ?? '', { upper }).slice(0, field.length).replace(/ +$/, '')
        if (field.type === 'N' && want !== '') want = want.padStart(field.length, '0')
        if (got[name] !== want) t.equal(got[name], want, `${d.code} « ${ind.label} » ${name}`)
      }
    })
  }
})

t.test('the edge cases cover each case they claim', async (t) => {
  const labels = edge.individuals.map((i) => i.label)
  for (const code of ['2A', '2B', '971', '972', '973', '974', '976']) t.ok(edge.individuals.some((i) => i.departement === code), code)
  t.ok(edge.individuals.some((i) => i.fields.CODE_INSEE_RESIDENCE === ''), 'cross-border worker')
  t.ok(edge.individuals.some((i) => (i.fields.NOM_NAISSANCE ?? '').length > 25), 'a name longer than 25')
  for (const a of 'éèêëàâîïôöùûüçÿæœ’') t.ok(edge.individuals.some((i) => `${i.fields.PRENOM}${i.fields.NOM_NAISSANCE}`.includes(a)), `accent ${a}`)
  t.ok(labels.filter((l) => l.startsWith('Cessation')).length >= 36, 'every cessation motif')
})
