import t from 'tap'
import { createHash } from 'node:crypto'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { buildBilan, canonicalJson, nextReleaseWindow, sealOf } from '../../src/qualification/bilan.js'
import { newCampaign } from '../../src/qualification/campaign.js'
import type { CheckResult } from '../../src/qualification/checks.js'
import { bilanPdf } from '../../src/qualification/pdf.js'
import { dateTimeFr } from '../../src/qualification/render.js'
import { isExampleEmail, isFictionPhone } from '../../generators/contact.js'
import { pdfText } from '../pdf-text.js'

const DAY = parseIsoDate('2026-11-27') as number
const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)
const campaign = newCampaign(demo, { code: '77', name: 'Seine-et-Marne' }, 1, DAY, new Date('2026-11-27T08:00:00Z'))
/** A check passed, with evidence of its own: the PDF must put each piece under its check. */
const passed = (c: typeof campaign.plan[number]): CheckResult => ({ ...c, status: 'passed', evidence: [{ what: `preuve de ${c.id}`, at: '2026-11-27T09:00:00.000Z', file: `${c.id}.xml`, sha256: createHash('sha256').update(c.id).digest('hex'), reportId: `r-${c.id}` }] })

t.test('the next release window is the first of March, June or October after the bilan', async (t) => {
  const table: [string, string][] = [['2026-11-27', '2027-03-01'], ['2027-02-28', '2027-03-01'], ['2027-03-01', '2027-06-01'], ['2027-06-15', '2027-10-01'], ['2027-10-01', '2028-03-01']]
  for (const [day, want] of table) t.equal(nextReleaseWindow(parseIsoDate(day) as number).date, want, day)
})

t.test('canonical JSON sorts keys at every depth, so the seal does not depend on key order', async (t) => {
  t.equal(canonicalJson({ b: 1, a: [{ d: 2, c: null }] }), '{"a":[{"c":null,"d":2}],"b":1}')
  const b = buildBilan(campaign, campaign.plan.map(passed), DAY, '2026-11-27T12:00:00.000Z', { departement: null, poleEmploi: null })
  t.equal(b.seal, sealOf(b))
  t.not(sealOf({ ...b, verdict: 'négatif' }), b.seal, 'any change changes the seal')
})

t.test('a positive bilan opens step 4 at the next release; a negative one sends back to step 2 with what to fix', async (t) => {
  const pos = buildBilan(campaign, campaign.plan.map(passed), DAY, '2026-11-27T12:00:00.000Z', { departement: null, poleEmploi: null })
  t.match(pos, { verdict: 'positif', suite: { etape: 4, livraison: 'mars 2027' }, final: false })
  const checks = campaign.plan.map((c, i) => i === 6 ? { ...c, status: 'failed' as const, evidence: [], reason: '3 orientations…' } : passed(c))
  const neg = buildBilan(campaign, checks, DAY, '2026-11-27T12:00:00.000Z', { departement: { by: 'dept77', at: '2026-11-27T13:00:00.000Z' }, poleEmploi: { by: 'admin', at: '2026-11-27T14:00:00.000Z' } })
  t.match(neg, { verdict: 'négatif', suite: { etape: 2 }, final: true })
  t.match((neg.suite as { aCorriger: string[] }).aCorriger[0], /^aller-retour/)
})

t.test('the correspondents are fictitious: reserved phone ranges and example domains', async (t) => {
  t.equal(campaign.correspondents.length, 4)
  for (const r of campaign.correspondents) {
    for (const p of [r.poleEmploi, r.departement]) {
      t.ok(isFictionPhone(p.telephone), p.telephone)
      t.ok(isExampleEmail(p.email), p.email)
    }
  }
})

t.test('the PDF shows every check, its evidence, the verdict and the seal', async (t) => {
  const b = buildBilan(campaign, campaign.plan.map(passed), DAY, '2026-11-27T12:00:00.000Z', { departement: null, poleEmploi: null })
  const pdf = await bilanPdf(b)
  t.equal(pdf.subarray(0, 5).toString(), '%PDF-')
  t.ok((await bilanPdf(b)).equals(pdf), 'the same bilan gives the same PDF')
  const text = await pdfText(pdf)
  let from = 0
  for (const c of b.checks) {
    const evidence = c.evidence.map((e) => `• ${e.what} — ${e.file ?? ''} (${dateTimeFr(e.at ?? '')}), rapport ${e.reportId ?? ''}, SHA-256 ${e.sha256 ?? ''}`)
    // as pdfText reads it: each run of blanks (the no-break space of « 95 % » among them) as one space
    const block = [`RÉUSSI ${c.id} : ${c.title}${c.required ? '' : ' (facultatif)'}`, ...evidence].join(' ').replace(/\s+/g, ' ')
    const at = text.indexOf(block, from)
    t.ok(at >= 0, `${c.id} is printed, with its evidence, after the checks before it`)
    if (at >= 0) from = at + block.length
  }
  t.match(text, /Verdict Positif Bilan positif : /, 'the verdict')
  t.ok(text.endsWith(`SHA-256 du JSON canonique du bilan : ${b.seal}`), 'the seal ends the document')
})
