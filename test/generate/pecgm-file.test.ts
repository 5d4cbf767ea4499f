import t from 'tap'
import { readFileSync } from 'node:fs'
import { communesOf } from '../../generators/geography.js'
import { firstNames } from '../../generators/identity.js'
import { isFictitiousNir } from '../../generators/nir.js'
import { dayFromCompact, minusYears } from '../../src/layouts/dates.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import { PersonDraw, personValues } from '../../src/generate/person.js'
import { pecgmFileName, planPecgm, writeSlot, writeSlots } from '../../src/generate/pecgm-file.js'
import { viewOf } from '../../src/generate/write.js'
import { toLatin1Text } from '../../src/text/latin1.js'
import { generate, REFERENCE, scenario } from './helpers.js'

const demo = await scenario('demo')
const SAMPLE = 3000

t.test('the reader reads back exactly the values the generator drew', async (t) => {
  for (const departement of ['77', '971']) {
    const req = { scenario: demo, departement, referenceDay: REFERENCE, records: SAMPLE }
    const { records, problems, summary } = readPecgm(generate(req))
    t.same(problems, [], `${departement}: no problem`)
    t.equal(summary.details, SAMPLE)
    const plan = planPecgm(req)
    const p = new PersonDraw()
    let mismatches = 0
    for (let i = 0; i < SAMPLE; i++) {
      plan.population.stock(i, REFERENCE, p)
      const expected = personValues(plan.context, p)
      const got = records[i + 1]?.values
      if (JSON.stringify(got) !== JSON.stringify(expected)) {
        mismatches++
        if (mismatches < 3) t.same(got, expected, `${departement} person ${i}`)
      }
    }
    t.equal(mismatches, 0, `${departement}: every record reads back as drawn`)
  }
})

t.test('every record is 1200 characters of printable ISO-8859-1 and the footer counts the details', async (t) => {
  const bytes = generate({ scenario: demo, departement: '93', referenceDay: REFERENCE })
  const lines = bytes.toString('latin1').split('\n')
  t.equal(lines.pop(), '', 'ends with LF')
  t.equal(lines.length, 402)
  t.ok(lines.every((l) => l.length === 1200), 'all 1200 long')
  t.notOk(bytes.some((b) => (b >= 0x80 && b <= 0x9F) || (b < 0x20 && b !== 0x0A)), 'no C0 or C1 control bytes')
  t.ok(bytes.some((b) => b >= 0xC0), 'holds accented letters')
  t.equal(lines[401]?.slice(12, 21), '000000400')
})

t.test('each person is consistent with itself and with Annexe 4', async (t) => {
  const { records } = readPecgm(generate({ scenario: demo, departement: '77', referenceDay: REFERENCE, records: SAMPLE }))
  const communes = new Set(communesOf('77').map((c) => c.code))
  const women = new Set(firstNames(2).map((n) => toLatin1Text(n, { upper: true }).slice(0, 25).trimEnd()))
  const men = new Set(firstNames(1).map((n) => toLatin1Text(n, { upper: true }).slice(0, 25).trimEnd()))
  const bad: Record<string, number> = {}
  const fail = (rule: string): void => { bad[rule] = (bad[rule] ?? 0) + 1 }
  const seen = new Set<string>()
  for (const r of records.filter((x) => x.type === 'D')) {
    const v = r.values
    const day = (k: string): number => v[k] ? dayFromCompact(v[k] as string) : NaN
    const nir = v.NIR ?? ''
    if (!isFictitiousNir(nir)) fail('NIR fictitious')
    if (seen.has(nir)) fail('NIR unique')
    seen.add(nir)
    if (nir.slice(1, 5) !== `${v.DATE_NAISSANCE?.slice(2, 4)}${v.DATE_NAISSANCE?.slice(4, 6)}`) fail('NIR year and month')
    const prenom = v.PRENOM ?? ''
    if (!(nir[0] === '2' ? women : men).has(prenom)) fail('first name matches sex')
    const birth = day('DATE_NAISSANCE')
    if (birth > minusYears(REFERENCE, 18) || birth <= minusYears(REFERENCE, 67)) fail('age 18–66')
    const reg = day('DATE_DEBUT_IDE')
    const chain = ['DATE_SIGNATURE_PPAE', 'DATE_NOTIFICATION_PPAE_CER', 'DATE_DERNIER_CONTACT'].map(day).filter((d) => !Number.isNaN(d))
    if (!(birth < reg)) fail('birth < registration')
    let prev = reg
    for (const d of chain) {
      if (d < prev) fail('registration ≤ PPAE ≤ CER ≤ contact')
      prev = d
    }
    if (prev > REFERENCE) fail('≤ reference')
    const cess = v.DATE_CESSATION_IDE !== ''
    const rad = v.DATE_RADIATION !== ''
    if (cess && rad) fail('never both cessation and radiation')
    if (cess && !(day('DATE_CESSATION_IDE') > reg && v.MOTIF_CESSATION_IDE && v.LIBELLE_MOTIF_CESSATION_IDE)) fail('cessation complete, after registration')
    if (rad && !(day('DATE_RADIATION') > reg && v.MOTIF_RADIATION && v.LIBELLE_MOTIF_RADIATION)) fail('radiation complete, after registration')
    if (!cess && (v.MOTIF_CESSATION_IDE || v.LIBELLE_MOTIF_CESSATION_IDE)) fail('no cessation motif without cessation')
    if (v.CODE_INSEE_RESIDENCE && !communes.has(v.CODE_INSEE_RESIDENCE)) fail('residence in the département')
    if (v.CODE_CATEGORIE_INSCRIPTION === '' && reg >= dayFromCompact('20120101')) fail('dispensed only before 2012')
    if (!/^[0-9]{7}[A-Z]$|^[0-9]{8}$/.test(v.IDENTIFIANT_PE ?? '')) fail('agency identifier shape')
    if (v.CODE_INSTITUTION_PE !== '077') fail('agency zone')
    if (v.NUMERO_ALLOCATAIRE_MSA && v.NUMERO_ALLOCATAIRE_MSA !== nir) fail('MSA number is the NIR')
    if (!/^[A-Z][0-9]{4}$/.test(v.CODE_ROME ?? '')) fail('ROME v3 code')
    if (!/^0[1-7]$/.test(v.AXE_TRAVAIL_PRINCIPAL ?? '')) fail('work axis')
    if (!['APR', 'GUI', 'REN', 'SUI', 'GLO'].includes(v.MODALITE_ACCOMPAGNEMENT ?? '')) fail('modality')
    if (v.SUIVI_DELEGUE_STRUCTURE === '' && v.SUIVI_DELEGUE_VOIE !== '') fail('no delegated address without structure')
  }
  t.same(bad, {}, 'no rule broken')
})

t.test('the mix of the scenario shows in the population', async (t) => {
  const { records } = readPecgm(generate({ scenario: demo, departement: '77', referenceDay: REFERENCE, records: 20_000 }))
  const details = records.filter((r) => r.type === 'D').map((r) => r.values)
  const share = (f: (v: Record<string, string>) => boolean): number => details.filter(f).length / details.length
  // a stock carries the exits of about a month: cessations and radiations in the scenario's proportion
  const ended = share((v) => v.DATE_CESSATION_IDE !== '' || v.DATE_RADIATION !== '')
  t.ok(Math.abs(ended - demo.rates.exits) < 0.01, `exits of a month: ${ended}`)
  t.ok(Math.abs(share((v) => v.DATE_RADIATION !== '') / ended - demo.rates.radiations) < 0.08, 'radiations among them')
  t.ok(Math.abs(share((v) => v.SUIVI_DELEGUE_STRUCTURE !== '') - demo.mix.delegated) < 0.015, 'delegated')
  t.ok(Math.abs(share((v) => v.NUMERO_ALLOCATAIRE_CAF !== '') - demo.mix.caf) < 0.015, 'CAF')
  t.ok(share((v) => v.NOM_MARITAL !== '') > 0.15, 'married names')
  t.ok(share((v) => /[ÀÂÄÇÉÈÊËÎÏÔÖÙÛÜ]/.test(v.PRENOM ?? '')) > 0.05, 'accented first names')
  t.ok(share((v) => (v.NOM_NAISSANCE ?? '').includes('\'')) > 0, 'apostrophes')
  t.ok(share((v) => (v.NOM_NAISSANCE ?? '').includes('-')) > 0, 'compound names')
  t.ok(share((v) => (v.NOM_NAISSANCE ?? '').length === 25) > 0, 'long names cut to 25')
})

t.test('the same inputs give the same bytes; another seed other bytes', async (t) => {
  const req = { scenario: demo, departement: '971', referenceDay: REFERENCE, records: 500 }
  const a = generate(req)
  t.ok(a.equals(generate(req)), 'same bytes')
  t.notOk(a.equals(generate({ ...req, seed: 7 })), 'another seed')
  const longer = generate({ ...req, records: 800 })
  t.ok(a.subarray(1201, 1201 + 500 * 1201).equals(longer.subarray(1201, 1201 + 500 * 1201)), 'person n is the same whatever the size')
})

t.test('a stock\'s slots written at once, a batch at a time, have the bytes of each written alone', async (t) => {
  const edge = await scenario('edge-cases')
  const cases = [
    { name: 'demo, LF', req: { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 700 } },
    { name: 'CRLF, mixed case, another seed', req: { scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'CRLF' as const, case: 'mixed' as const } }, departement: '971', referenceDay: REFERENCE, records: 700, seed: 9 } },
    { name: 'records end to end', req: { scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'none' as const } }, departement: '93', referenceDay: REFERENCE, records: 700 } },
    { name: 'named individuals first', req: { scenario: edge, departement: '77', referenceDay: REFERENCE, records: 700 } }
  ]
  for (const { name, req } of cases) {
    const plan = planPecgm(req)
    const stride = plan.context.layouts.detail.length + plan.terminator.length
    const alone = Buffer.alloc(plan.count * stride)
    const p = new PersonDraw()
    let records = 0
    for (let slot = 0; slot < plan.count; slot++) if (writeSlot(plan, alone, slot * stride, slot, p, viewOf(alone))) records++
    t.equal(records, plan.count, `${name}: a record each, written alone`)
    // ranges across the named individuals, longer than a batch (256), of one slot, and none
    for (const [from, to] of [[0, plan.count], [0, 3], [2, 300], [299, 557], [557, 558], [600, 600]] as const) {
      const out = Buffer.alloc(Math.max(1, to - from) * stride, 0x23)
      t.equal(writeSlots(plan, out, from, to, p, viewOf(out)), to - from, `${name}, ${from}–${to}: a record each`)
      t.ok(out.subarray(0, (to - from) * stride).equals(alone.subarray(from * stride, to * stride)), `${name}, ${from}–${to}: the same bytes`)
    }
  }
})

t.test('writes the terminator and case the scenario asks for (D2)', async (t) => {
  const crlf = generate({ scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'CRLF' } }, departement: '77', referenceDay: REFERENCE, records: 10 })
  t.equal(crlf.length, 12 * 1202)
  t.equal(readPecgm(crlf).summary.terminator, 'CRLF')
  const none = generate({ scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'none' } }, departement: '77', referenceDay: REFERENCE, records: 10 })
  t.equal(none.length, 12 * 1200)
  t.same(readPecgm(none).problems, [])
  const mixed = readPecgm(generate({ scenario: { ...demo, pecgm: { ...demo.pecgm, case: 'mixed' } }, departement: '77', referenceDay: REFERENCE, records: 200 }))
  t.ok(mixed.records.some((r) => /[a-zé]/.test(r.values.PRENOM ?? '')), 'mixed case keeps lower case letters')
  const upper = readPecgm(generate({ scenario: demo, departement: '77', referenceDay: REFERENCE, records: 200 }))
  t.notOk(upper.records.some((r) => /[a-zàâçéèêëîïôöùûü]/.test(r.values.PRENOM ?? '')), 'upper case has none')
})

t.test('a daily file holds the new entrants of its day, as the next stock lists them (D5)', async (t) => {
  const day = REFERENCE + 2 // Tuesday 3 November 2026
  const { records, problems } = readPecgm(generate({ scenario: demo, departement: '77', referenceDay: day, periodicity: 'Q', records: 20_000 }))
  t.same(problems, [])
  t.equal(records[0]?.values.PERIODICITE, 'Q')
  const details = records.filter((r) => r.type === 'D')
  t.ok(details.length > 10 && details.length < 60, `about 20 000 × 3 % / 21 working days: ${details.length}`)
  t.equal(records.at(-1)?.values.NB_ENREGISTREMENTS, String(details.length).padStart(9, '0'), 'the footer counts them')
  t.ok(details.every((r) => dayFromCompact(r.values.DATE_DEBUT_IDE ?? '') === day && r.values.DATE_CESSATION_IDE === '' && r.values.DATE_RADIATION === ''))
  const next = new Map(readPecgm(generate({ scenario: demo, departement: '77', referenceDay: REFERENCE + 30, records: 20_000 })).records.map((r) => [r.values.NIR, r.values]))
  // a registration shorter than a month may be gone by then (its slot's next one has begun): the others are there, unchanged
  const there = details.filter((r) => next.has(r.values.NIR))
  t.ok(there.length >= details.length * 0.9, `${there.length} of ${details.length} in the stock of 1 December`)
  // the same identity, and the same registration (or a later one: left within the month and registered again)
  const moved = there.filter((r) => (next.get(r.values.NIR)?.DATE_DEBUT_IDE ?? '') < (r.values.DATE_DEBUT_IDE ?? '') || next.get(r.values.NIR)?.NOM_NAISSANCE !== r.values.NOM_NAISSANCE)
  t.same(moved.map((r) => r.values.NIR), [], 'with the same identity')
  const weekend = readPecgm(generate({ scenario: demo, departement: '77', referenceDay: REFERENCE - 1, periodicity: 'Q', records: 20_000 }))
  t.equal(weekend.records.filter((r) => r.type === 'D').length, 0, 'nobody registers on a Saturday')
})

t.test('the header and footer say the département, the dates and the version', async (t) => {
  const { records } = readPecgm(generate({ scenario: demo, departement: '971', referenceDay: REFERENCE, fabricationDay: REFERENCE + 2, records: 3 }))
  t.match(records[0]?.values, { FICHIER: 'PECG', PERIODICITE: 'M', DEPARTEMENT: '971', DATE_REFERENCE: '20261101', DATE_FABRICATION: '20261103', VERSION: '001,0' })
  t.match(records[4]?.values, { TYPE_ENREGISTREMENT: 'F', DEPARTEMENT: '971', DATE_REFERENCE: '20261101', NB_ENREGISTREMENTS: '000000003' })
  const l = getPecgmLayouts('001,0')
  t.equal(l.header.byName.get('DEPARTEMENT')?.length, 3)
})

t.test('file names follow decision D9', async (t) => {
  t.equal(pecgmFileName('77', 'M', REFERENCE, REFERENCE), 'PECGM_77_M_20261101_20261101.txt')
  t.equal(pecgmFileName('2A', 'Q', REFERENCE, REFERENCE + 1, 2), 'PECGM_2A_Q_20261101_20261102_2.txt')
})

t.test('an unknown département is a coded error', async (t) => {
  t.throws(() => planPecgm({ scenario: demo, departement: '13', referenceDay: REFERENCE }), { code: 'PHEBUS_SCENARIO_UNKNOWN_DEPARTEMENT' })
})

t.test('matches the golden file of a small scenario byte for byte', async (t) => {
  const golden = await scenario('../test/generate/fixtures/golden')
  const bytes = generate({ scenario: golden, departement: '2A', referenceDay: REFERENCE })
  const path = new URL('./fixtures/golden-2A.txt', import.meta.url)
  if (process.env.UPDATE_GOLDEN === '1') (await import('node:fs')).writeFileSync(path, bytes)
  t.ok(bytes.equals(readFileSync(path)), 'same bytes as fixtures/golden-2A.txt (UPDATE_GOLDEN=1 to renew after a deliberate change)')
})
