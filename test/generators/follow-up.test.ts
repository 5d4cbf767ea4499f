import t from 'tap'
import { getField } from '../../src/layouts/engine.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { Rng } from '../../src/generate/rng.js'
import { prepareText } from '../../src/text/latin1.js'
import { MAIN_STRUCTURE_PREFIXES, STREET_NAMES, STREET_TYPES } from '../../generators/data/structures.js'
import {
  agencyName, agencyOf, delegatedStructures, mainAgencies, mainStructures, sharedPostcodePrefix, STREET_WIDTH, STRUCTURE_WIDTH
} from '../../generators/follow-up.js'
import { allDepartements, communesOf, type Commune } from '../../generators/geography.js'

const detail = getPecgmLayouts('001,0').detail
const width = (field: string): number => getField(detail, field).length
const written = (s: string): number => prepareText(s, { upper: true }).length

/** Every département's agencies, drawn once. */
const all = allDepartements().map((d) => {
  const communes = communesOf(d.code)
  return { code: d.code, communes, agencies: mainAgencies(new Rng(42, d.population), communes) }
})

/** A commune for the tables below. */
function commune (code: string, postcodes: string[], population: number, name = `C${code}`): Commune {
  return { departement: '99', code, postcodes, population, name }
}

t.test('the widths are read from the layout', async (t) => {
  t.equal(STRUCTURE_WIDTH, width('SUIVI_PRINCIPAL_STRUCTURE'))
  t.equal(STRUCTURE_WIDTH, width('SUIVI_DELEGUE_STRUCTURE'))
  t.equal(STREET_WIDTH, width('SUIVI_PRINCIPAL_VOIE'))
  t.equal(STREET_WIDTH, width('SUIVI_DELEGUE_VOIE'))
})

t.test('every agency name of every département fits SUIVI_PRINCIPAL_STRUCTURE and is a prefix and its commune', async (t) => {
  let n = 0
  for (const { code, communes, agencies } of all) {
    agencies.structures.forEach((s, k) => {
      n++
      const name = s.SUIVI_PRINCIPAL_STRUCTURE ?? ''
      if (written(name) > STRUCTURE_WIDTH) t.fail(`${code} "${name}" (${written(name)}) is longer than ${STRUCTURE_WIDTH}`)
      if (!MAIN_STRUCTURE_PREFIXES.some((p) => name.startsWith(`${p} `))) t.fail(`${code} "${name}" has no prefix of the table`)
      const place = communes[agencies.communeOfAgency[k] ?? -1]?.name ?? '?'
      const short = place.replace(/\bSainte\b/g, 'Ste').replace(/\bSaint\b/g, 'St')
      if (!name.endsWith(` ${place}`) && !name.endsWith(` ${short}`) && name.length !== STRUCTURE_WIDTH) t.fail(`${code} "${name}" is not named for ${place}`)
    })
  }
  t.ok(n > 1000, `${n} agencies`)
})

t.test('agency names: the département\'s prefix when it fits, else the shortest, Saint shortened, cut last', async (t) => {
  const cases = [
    { name: 'fits', commune: 'Meaux', preferred: 'Pôle emploi', expect: 'Pôle emploi Meaux' },
    { name: 'too long for the preferred prefix', commune: 'Pontault-Combault', preferred: 'Équipe pro PE', expect: 'PE Pontault-Combault' },
    { name: 'Saint shortened', commune: 'Saint-Pourçain-sur-Sioule', preferred: 'Agence PE', expect: 'PE St-Pourçain-sur-Sioule' },
    { name: 'Sainte shortened, preferred kept', commune: 'Sainte-Geneviève-des-Bois', preferred: 'PE', expect: 'PE Ste-Geneviève-des-Bois' },
    { name: 'cut', commune: 'Château-Gontier-sur-Mayenne', preferred: 'Pôle emploi', expect: 'PE Château-Gontier-sur-Maye' }
  ]
  for (const c of cases) t.equal(agencyName(c.commune, c.preferred), c.expect, c.name)
})

t.test('every street is a number, a type and a name of the project\'s tables, within SUIVI_*_VOIE', async (t) => {
  const shape = new RegExp(`^([1-9][0-9]{0,2}) (${STREET_TYPES.join('|')}) (.+)$`)
  const names = new Set(STREET_NAMES)
  const seenTypes = new Set<string>()
  const streets = all.flatMap(({ code, communes, agencies }) => [
    ...agencies.structures.map((s) => s.SUIVI_PRINCIPAL_VOIE ?? ''),
    ...delegatedStructures(new Rng(7, code.length), communes, code).map((s) => s.SUIVI_DELEGUE_VOIE ?? '')
  ])
  for (const street of streets) {
    const m = shape.exec(street)
    if (!m) t.fail(`"${street}" is not "<number> <type> <name>"`)
    else {
      seenTypes.add(m[2] ?? '')
      if (!names.has(m[3] ?? '')) t.fail(`"${street}": "${m[3]}" is not in STREET_NAMES`)
    }
    if (written(street) > STREET_WIDTH) t.fail(`"${street}" (${written(street)}) is longer than ${STREET_WIDTH}`)
  }
  t.same([...seenTypes].sort(), [...STREET_TYPES].sort(), 'every street type is used')
})

t.test('every street name fits with a three-digit number and at least one type', async (t) => {
  const shortestType = STREET_TYPES.reduce((a, b) => b.length < a.length ? b : a)
  for (const n of STREET_NAMES) t.ok(written(`180 ${shortestType} ${n}`) <= STREET_WIDTH, n)
})

t.test('the longest shared postcode prefix', async (t) => {
  const cases = [
    { a: ['77100'], b: ['77124'], expect: 3 },
    { a: ['77100'], b: ['77100'], expect: 5 },
    { a: ['97600', '97605'], b: ['97615'], expect: 3 },
    { a: ['20000'], b: ['77000'], expect: 0 },
    { a: ['01400', '01640'], b: ['01600', '01500'], expect: 3 }
  ]
  for (const c of cases) t.equal(sharedPostcodePrefix(c.a, c.b), c.expect, `${c.a.join(',')} / ${c.b.join(',')}`)
})

t.test('each agency commune maps to its own agency; every commune to the agency sharing the longest postcode prefix', async (t) => {
  for (const { code, communes, agencies } of all) {
    const seats = [...agencies.communeOfAgency]
    t.equal(agencies.structures.length, Math.min(12, communes.length), `${code}: agencies`)
    t.equal(agencies.agencyOfCommune.length, communes.length, `${code}: one agency per commune`)
    seats.forEach((s, k) => { if (agencies.agencyOfCommune[s] !== k) t.fail(`${code}: ${communes[s]?.name} is not its own agency's`) })
    communes.forEach((c, i) => {
      const k = agencies.agencyOfCommune[i] ?? -1
      const seat = communes[seats[k] ?? -1]
      if (!seat) return t.fail(`${code}: ${c.name} has no agency`)
      const best = Math.max(...seats.map((s) => sharedPostcodePrefix(c.postcodes, communes[s]?.postcodes ?? [])))
      const got = sharedPostcodePrefix(c.postcodes, seat.postcodes)
      if (got !== best) t.fail(`${code}: ${c.name} goes to ${seat.name} (${got} digits shared), another agency shares ${best}`)
    })
  }
})

t.test('agencies sit in the most populous communes; ties go to the more populous; cross-border people to the first', async (t) => {
  const communes = [
    commune('99001', ['99100'], 1000),
    commune('99002', ['99200'], 5000),
    commune('99003', ['99300'], 3000),
    commune('99004', ['99120'], 10),
    commune('99005', ['99900'], 20),
    commune('99006', ['99230'], 30)
  ]
  const agencies = mainAgencies(new Rng(1), communes, 3)
  t.same([...agencies.communeOfAgency], [1, 2, 0], 'the three most populous, most populous first')
  t.same([...agencies.agencyOfCommune], [2, 0, 1, 2, 0, 0], 'own, own, own; 99120 → 99100; 99900 shares "99" with all → the most populous; 99230 → 99200')
  t.equal(agencyOf(agencies, -1), 0, 'cross-border: the most populous commune\'s agency')
  t.equal(agencyOf(agencies, 3), 2)
  t.same(mainAgencies(new Rng(1), [], 12), { structures: [], communeOfAgency: new Int32Array(0), agencyOfCommune: new Int32Array(0), crossBorder: -1 })
})

t.test('one prefix per département, and every prefix of the table in use somewhere', async (t) => {
  const used = new Set<string>()
  for (const { code, agencies } of all) {
    const prefixes = new Set(agencies.structures.map((s) => MAIN_STRUCTURE_PREFIXES.find((p) => (s.SUIVI_PRINCIPAL_STRUCTURE ?? '').startsWith(`${p} `)) ?? '?'))
    prefixes.delete('PE')
    if (prefixes.size > 1) t.fail(`${code}: ${[...prefixes].join(', ')}`)
    for (const p of prefixes) used.add(p)
  }
  for (const p of MAIN_STRUCTURE_PREFIXES) if (p !== 'PE') t.ok(used.has(p), `"${p}" is used`)
})

t.test('mainStructures is mainAgencies\' structures, drawn the same way', async (t) => {
  const communes = communesOf('77')
  t.same(mainStructures(new Rng(3, 4), communes), mainAgencies(new Rng(3, 4), communes).structures)
})
