import t from 'tap'
import { isFictitiousNir, makeNir, NIR_RANKS_PER_BUCKET, NirRanks } from '../../generators/nir.js'
import { PhebusError } from '../../src/errors.js'
import { cgpemChunks, type Orientation } from '../../src/generate/cgpem-file.js'
import { sampleOrientations } from '../../src/generate/cgpem-sample.js'
import { pecgmChunks, personStream, planPecgm } from '../../src/generate/pecgm-file.js'
import { drawPerson, PersonDraw, personValues } from '../../src/generate/person.js'
import { Rng } from '../../src/generate/rng.js'
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

t.test('a NIR\'s place and order are the rank of the person among those of the same sex, birth year and month', async (t) => {
  const ranks = new NirRanks()
  t.same([ranks.take(2, 1985, 5), ranks.take(2, 1985, 5), ranks.take(1, 1985, 5), ranks.take(2, 1985, 6), ranks.take(2, 2085, 5)], [0, 1, 0, 0, 2], 'counted per bucket, the year on two digits as in the NIR')
  t.equal(makeNir(2, 1985, 5, 0), '2850599001001')
  t.equal(makeNir(2, 1985, 5, 98), '2850599099001')
  t.equal(makeNir(2, 1985, 5, 99), '2850599001002')
  t.equal(makeNir(2, 1985, 5, NIR_RANKS_PER_BUCKET - 1), '2850599099999')
  t.ok(isFictitiousNir(makeNir(1, 2001, 12, NIR_RANKS_PER_BUCKET - 1)))
  t.throws(() => makeNir(1, 1985, 5, NIR_RANKS_PER_BUCKET), RangeError, 'no rank past the last')
  ranks.clear()
  t.equal(ranks.take(2, 1985, 5), 0, 'a new stream starts again at 0')
})

t.test('a full bucket is a coded error that names the person, the bucket and the limit', async (t) => {
  const ranks = new NirRanks()
  for (let i = 0; i < NIR_RANKS_PER_BUCKET; i++) ranks.take(2, 1972, 9)
  t.equal(ranks.take(1, 1972, 9), 0, 'the other buckets are not affected')
  const err = t.throws(() => ranks.take(2, 1972, 9, '77', NIR_RANKS_PER_BUCKET)) as PhebusError
  t.ok(err instanceof PhebusError)
  t.equal(err.code, 'PHEBUS_GENERATE_CAPACITY')
  t.match(err.message, /département 77, personne n° 98\s902/)
  t.match(err.message, /femmes nées en 09\/1972/)
  t.match(err.message, /98\s901/)
  t.match(err.message, /--records/)
})

t.test('people are drawn in order: an index out of turn is refused, index 0 starts the NIR ranks again', async (t) => {
  const plan = planPecgm({ scenario: demo, departement: '77', referenceDay: REFERENCE })
  const rng = new Rng()
  const p = new PersonDraw()
  const nirOf = (i: number): string => {
    personStream(rng, plan, i)
    drawPerson(rng, plan.context, i, REFERENCE, p)
    return personValues(plan.context, p).NIR ?? ''
  }
  t.throws(() => nirOf(5), RangeError, 'a fresh stream starts at 0')
  const first = [0, 1, 2, 3].map(nirOf)
  t.throws(() => nirOf(2), RangeError, 'no going back')
  t.throws(() => nirOf(5), RangeError, 'no skipping')
  t.same([0, 1, 2, 3].map(nirOf), first, 'starting again gives the same NIRs')
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
