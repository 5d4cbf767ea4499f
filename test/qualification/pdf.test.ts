import t from 'tap'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { buildBilan } from '../../src/qualification/bilan.js'
import { newCampaign } from '../../src/qualification/campaign.js'
import { bilanPdf } from '../../src/qualification/pdf.js'
import { pdfText } from '../pdf-text.js'

const DAY = parseIsoDate('2026-11-27') as number
const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)

t.test('a département named with letters the PDF\'s standard font lacks is printed readable: letters without their marks, « ? » for the rest, never other bytes', async (t) => {
  // a département the admin created: its name is free text
  const campaign = newCampaign(demo, { code: '13', name: 'Łódź ☀ Bouches-du-Rhône « œ » – 5 €' }, 1, DAY, new Date('2026-11-27T08:00:00Z'))
  const bilan = buildBilan(campaign, campaign.plan.map((c) => ({ ...c, status: 'todo', evidence: [] })), DAY, '2026-11-27T08:00:00.000Z', { departement: null, poleEmploi: null })
  const text = await pdfText(await bilanPdf(bilan))
  t.match(text, 'Parties : Pôle emploi et Département Lódz ? Bouches-du-Rhône « œ » – 5 € (13)')
  t.notOk([...text].some((c) => { const n = c.codePointAt(0) ?? 0; return n < 0x20 || (n >= 0x7f && n < 0xa0) }), 'no control character in what a reader sees')
  t.match(text, bilan.seal, 'the seal as it is')
})
