import t from 'tap'
import { isExampleEmail, isFictionPhone } from '../../generators/contact.js'
import { isFictitiousNir } from '../../generators/nir.js'
import { CGPEM_FIELDS, NATURES_POLE_EMPLOI } from '../../src/layouts/cgpem.js'
import { cgpemChunks } from '../../src/generate/cgpem-file.js'
import { sampleOrientations } from '../../src/generate/cgpem-sample.js'
import { REFERENCE, scenario } from './helpers.js'

const demo = await scenario('demo')

t.test('a sample orients each person once, with all six natures, and only fictitious contacts', async (t) => {
  const list = [...sampleOrientations({ scenario: demo, departement: '77', referenceDay: REFERENCE, today: REFERENCE })]
  t.equal(list.length, 300)
  t.same([...new Set(list.map((o) => o.NATURE_ACCOMPAGNEMENT))].sort(), ['01', '02', '03', '04', '05', '06'])
  t.equal(new Set(list.filter((o) => o.NIR).map((o) => o.NIR)).size, list.filter((o) => o.NIR).length, 'NIRs unique')
  for (const o of list) {
    if (o.NIR && !isFictitiousNir(o.NIR)) t.fail(`NIR ${o.NIR}`)
    if (!isFictionPhone(o.TEL_CORRESPONDANT ?? '')) t.fail(`phone ${o.TEL_CORRESPONDANT}`)
    if (!isExampleEmail(o.EMAIL_CORRESPONDANT ?? '')) t.fail(`e-mail ${o.EMAIL_CORRESPONDANT}`)
    const toPe = NATURES_POLE_EMPLOI.has(o.NATURE_ACCOMPAGNEMENT ?? '')
    if (toPe !== Boolean(o.IDENTIFIANT_PE && o.CODE_PE)) t.fail('agency identifier only for Pôle emploi natures')
    for (const f of CGPEM_FIELDS) {
      const v = o[f.name] ?? ''
      if (v.length > f.length || (f.fixed && v !== '' && v.length !== f.length)) t.fail(`${f.name} length ${v.length}`)
    }
  }
})

t.test('the sample is the same for the same inputs, in both forms', async (t) => {
  const req = { scenario: demo, departement: '93', referenceDay: REFERENCE, today: REFERENCE, records: 50 }
  const a = Buffer.concat([...cgpemChunks(sampleOrientations(req), 'xml')])
  t.ok(a.equals(Buffer.concat([...cgpemChunks(sampleOrientations(req), 'xml')])))
  t.match(a.subarray(0, 60).toString('latin1'), /^<\?xml version="1.0" encoding="ISO-8859-1"\?>\n<CGPEM>/)
  const fixed = Buffer.concat([...cgpemChunks(sampleOrientations(req), 'fixed')]).toString('latin1').split('\n')
  t.equal(fixed.pop(), '')
  t.equal(fixed.length, 50)
  t.ok(fixed.every((l) => l.length === 382))
})
