import t from 'tap'
import { isFictitiousNir, makeNir, NIR_RANKS_PER_BUCKET, writeNir } from '../../generators/nir.js'
import { PhebusError } from '../../src/errors.js'
import { cgpemChunks, type Orientation } from '../../src/generate/cgpem-file.js'
import { sampleOrientations } from '../../src/generate/cgpem-sample.js'
import { pecgmChunks, planPecgm } from '../../src/generate/pecgm-file.js'
import { identityCode, IDENTITY_CODES, PersonDraw, personValues, Population } from '../../src/generate/person.js'
import { dayFromYmd } from '../../src/layouts/dates.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { buildSample } from '../../src/qualification/sample.js'
import { CgpemValidator } from '../../src/validate/validator.js'
import { REFERENCE, scenario } from './helpers.js'

const demo = await scenario('demo')
const detail = getPecgmLayouts('001,0').detail
const NIR_AT = (detail.byName.get('NIR')?.from ?? 0) - 1

/** The NIR of each detail record of a PECGM, in order, read at its offset (no full decoding). */
function pecgmNirs (chunks: Iterable<Buffer>, stride: number): string[] {
  const nirs: string[] = []
  let first = true
  for (const chunk of chunks) {
    if (first) { first = false; continue } // the header
    if (chunk[0] === 0x46) continue // the footer, 'F'
    for (let at = 0; at < chunk.length; at += stride) nirs.push(chunk.toString('latin1', at + NIR_AT, at + NIR_AT + 13))
  }
  return nirs
}

t.test('a NIR written in place is its 13 characters, sex, year, month, 99, place and order, and nothing around them', async (t) => {
  const out = Buffer.alloc(21, 0x2a)
  let differ = 0
  let tried = 0
  for (const year of [1900, 1907, 1985, 1999, 2000, 2008]) {
    for (let month = 1; month <= 12; month++) {
      for (let rank = month % 7; rank < NIR_RANKS_PER_BUCKET; rank += 97, tried++) {
        const sex = rank % 2 === 0 ? 1 : 2
        out.fill(0x2a)
        writeNir(out, 4, sex, year, month, rank)
        const place = 1 + (rank % 99)
        const order = 1 + Math.floor(rank / 99)
        const expected = `****${sex}${String(year % 100).padStart(2, '0')}${String(month).padStart(2, '0')}99${String(place).padStart(3, '0')}${String(order).padStart(3, '0')}****`
        if (out.toString('latin1') !== expected && differ++ < 5) t.fail(`${out.toString('latin1')} against ${expected}`)
      }
    }
  }
  t.equal(differ, 0, `of ${tried}`)
})

t.test('a NIR\'s place and order come from its rank: 99 places, then the next order', async (t) => {
  t.equal(makeNir(2, 1985, 5, 0), '2850599001001')
  t.equal(makeNir(2, 1985, 5, 98), '2850599099001')
  t.equal(makeNir(2, 1985, 5, 99), '2850599001002')
  t.equal(makeNir(2, 1985, 5, NIR_RANKS_PER_BUCKET - 1), '2850599099999')
  t.ok(isFictitiousNir(makeNir(1, 2001, 12, NIR_RANKS_PER_BUCKET - 1)))
  t.throws(() => makeNir(1, 1985, 5, NIR_RANKS_PER_BUCKET), RangeError, 'no rank past the last')
})

t.test('identity codes are a bijection: distinct identities never share a NIR\'s rank and spread', async (t) => {
  const seen = new Set<number>()
  const ids = [...Array.from({ length: 200_000 }, (_, i) => i), ...Array.from({ length: 50_000 }, (_, i) => IDENTITY_CODES - 1 - i * 37)]
  for (const id of ids) {
    const { code, rank, spread } = identityCode(id, 0x5eed1234)
    if (!(rank >= 0 && rank < NIR_RANKS_PER_BUCKET && spread >= 0 && spread < 240 && code === rank * 240 + spread)) t.fail(`code of ${id}`)
    seen.add(code)
  }
  t.equal(seen.size, new Set(ids).size, 'as many codes as identities')
})

t.test('a population larger than the fictitious NIRs of a département is a coded error naming the limit', async (t) => {
  const plan = planPecgm({ scenario: demo, departement: '77', referenceDay: REFERENCE, records: 3 })
  const err = t.throws(() => new Population(plan.context, IDENTITY_CODES + 1)) as PhebusError
  t.ok(err instanceof PhebusError)
  t.equal(err.code, 'PHEBUS_GENERATE_CAPACITY')
  t.match(err.message, /département 77/)
  t.match(err.message, /23\s736\s240/)
  t.match(err.message, /--records/)
})

t.test('a person is the same whatever order people are asked in', async (t) => {
  const plan = planPecgm({ scenario: demo, departement: '77', referenceDay: REFERENCE })
  const p = new PersonDraw()
  const nirOf = (i: number): string => {
    plan.population.stock(i, REFERENCE, p)
    return personValues(plan.context, p).NIR ?? ''
  }
  const first = [0, 1, 2, 3].map(nirOf)
  t.same([3, 2, 1, 0].map(nirOf).reverse(), first)
  t.same([nirOf(7), nirOf(2)][1], first[2])
})

t.test('over sixty years of stocks of the national scenario\'s largest département, a NIR is always the same person', async (t) => {
  const national = await scenario('national')
  const largest = [...national.departements].sort((a, b) => b.population - a.population)[0]
  t.ok(largest !== undefined && largest.population > 30_000)
  const code = largest?.code ?? ''
  const plan = planPecgm({ scenario: national, departement: code, referenceDay: REFERENCE })
  const p = new PersonDraw()
  const who = new Map<string, string>()
  let conflicts = 0
  let identities = 0
  for (let year = 1995; year <= 2055; year += 6) {
    const day = dayFromYmd(year, 3, 1)
    for (let i = 0; i < plan.count; i++) {
      plan.population.stock(i, day, p)
      const v = personValues(plan.context, p)
      const nir = v.NIR ?? ''
      const person = `${v.NOM_NAISSANCE}|${v.PRENOM}|${v.DATE_NAISSANCE}`
      const known = who.get(nir)
      if (known === undefined) { who.set(nir, person); identities++ } else if (known !== person) conflicts++
    }
  }
  t.ok(identities > plan.count * 3, `${identities} identities met`)
  t.equal(conflicts, 0, 'no NIR given to two people')
})

t.test('150 000 people: no NIR twice, the same NIR for the same person in the PECGM stock and in sample cgpem, and validate accepts the sample', async (t) => {
  const records = 150_000
  const req = { scenario: demo, departement: '77', referenceDay: REFERENCE, records }
  const stock = pecgmNirs(pecgmChunks(req), detail.length + 1)
  t.equal(stock.length, records)
  t.equal(new Set(stock).size, records, 'no NIR twice in the PECGM stock')
  t.ok(stock.every(isFictitiousNir), 'all fictitious')

  const validator = new CgpemValidator({ today: REFERENCE })
  let index = 0
  let differ = 0
  let withNir = 0
  const checked = function * (): Generator<Orientation> {
    for (const o of sampleOrientations({ ...req, today: REFERENCE })) {
      if (o.NIR) {
        withNir++
        if (o.NIR !== stock[index]) differ++
      }
      index++
      yield o
    }
  }
  for (const chunk of cgpemChunks(checked(), 'fixed')) validator.push(chunk)
  const report = validator.end()
  t.equal(index, records)
  t.ok(withNir > records * 0.9, 'most orientations carry a NIR')
  t.equal(differ, 0, 'each person of sample cgpem has its NIR of the PECGM stock')
  t.equal(report.stats.records, records)
  t.equal(report.stats.byCode.CGPEM_DUPLICATE_NIR, undefined, 'no CGPEM_DUPLICATE_NIR')
  t.equal(report.valid, true, 'validate accepts the file')
})

t.test('the qualification sample gives its people the NIRs of the PECGM stock', async (t) => {
  const sample = buildSample(demo, '93', REFERENCE)
  const stock = pecgmNirs(pecgmChunks({ scenario: demo, departement: '93', referenceDay: REFERENCE, records: sample.length }), detail.length + 1)
  t.same(sample.map((m) => m.person.NIR), stock)
})
