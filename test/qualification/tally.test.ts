import t from 'tap'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { CGPEM_FIELDS } from '../../src/layouts/cgpem.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { cgpemChunks, type Orientation } from '../../src/generate/cgpem-file.js'
import { sampleOrientations } from '../../src/generate/cgpem-sample.js'
import type { OrientationSeen } from '../../src/qualification/answer.js'
import { SampleIndex } from '../../src/qualification/matching.js'
import { buildSample } from '../../src/qualification/sample.js'
import { digestOf, OrientationTally, tallyingValidator } from '../../src/qualification/tally.js'
import { CgpemValidator } from '../../src/validate/validator.js'

const TODAY = parseIsoDate('2026-11-27') as number
const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)
const sample = buildSample(demo, '77', TODAY)

/** The orientation as a whole object, every field given: what an upload tallied before addValues(). */
function seenOf (line: number, record: number, values: readonly string[]): OrientationSeen {
  const get = (name: string): string => values[CGPEM_FIELDS.findIndex((f) => f.name === name)] ?? ''
  return { line, record, NIR: get('NIR'), NOM_NAISSANCE: get('NOM_NAISSANCE'), PRENOM: get('PRENOM'), DATE_NAISSANCE: get('DATE_NAISSANCE'), NATURE_ACCOMPAGNEMENT: get('NATURE_ACCOMPAGNEMENT'), DATE_DECISION_ORIENTATION: get('DATE_DECISION_ORIENTATION'), CODE_PE: get('CODE_PE'), IDENTIFIANT_PE: get('IDENTIFIANT_PE') }
}

/** The département's own CGPEM (its first people are the sample), then people of the sample written otherwise and strangers born the sample's days. */
function orientations (): Orientation[] {
  const out: Orientation[] = [...sampleOrientations({ scenario: demo, departement: '77', referenceDay: TODAY, today: TODAY, records: 300 })]
  const base = out[0] as Orientation
  for (const [i, m] of sample.slice(0, 12).entries()) {
    const p = m.person
    // a NIR of nobody, the names in another case: found by the names
    if (i % 3 === 0) out.push({ ...base, NIR: '1000099999999', NOM_NAISSANCE: p.NOM_NAISSANCE.toLowerCase(), PRENOM: p.PRENOM, DATE_NAISSANCE: p.DATE_NAISSANCE, NATURE_ACCOMPAGNEMENT: '05' })
    // no NIR: found by the names
    if (i % 3 === 1) out.push({ ...base, NIR: undefined, NOM_NAISSANCE: p.NOM_NAISSANCE, PRENOM: p.PRENOM, DATE_NAISSANCE: p.DATE_NAISSANCE, NATURE_ACCOMPAGNEMENT: '06' })
    // born the same day, someone else: nobody
    if (i % 3 === 2) out.push({ ...base, NIR: undefined, NOM_NAISSANCE: 'INCONNU', PRENOM: 'PERSONNE', DATE_NAISSANCE: p.DATE_NAISSANCE, NATURE_ACCOMPAGNEMENT: '01' })
  }
  return out
}

for (const form of ['xml', 'fixed'] as const) {
  t.test(`addValues() tallies an upload (${form}) as add() of whole orientations does: same matching, same orientations kept, same JSON`, async (t) => {
    const bytes = Buffer.concat([...cgpemChunks(orientations(), form)])
    for (const keep of [1000, 5]) {
      const reference = new OrientationTally(sample, keep)
      const tally = new OrientationTally(sample, keep)
      const v = new CgpemValidator({
        today: TODAY,
        onOrientation: (o) => {
          reference.add(seenOf(o.line, o.record, o.values))
          tally.addValues(o.line, o.record, o.values)
        }
      })
      // in pieces: the values are read while they are valid
      for (let i = 0; i < bytes.length; i += 4096) v.push(bytes.subarray(i, i + 4096))
      v.end()
      const expected = reference.summary()
      const got = tally.summary()
      t.equal(JSON.stringify(got), JSON.stringify(expected), `keeping ${keep} outside the sample`)
      t.equal(got.total, 312)
      t.ok(got.matched >= sample.length, 'the sample is designated, by NIR and by names')
      t.equal(got.unmatched.length, Math.min(keep, got.total - got.matched))
      // the orientations kept are copies: the validator's values are reused
      t.equal(new Set(got.unmatched.map((o) => o.record)).size, got.unmatched.length)
    }
  })
}

t.test('addBytes() tallies orientations given as ISO-8859-1 bytes as addValues() does their strings', async (t) => {
  const bytes = Buffer.concat([...cgpemChunks(orientations(), 'xml')])
  for (const keep of [1000, 5]) {
    const reference = new OrientationTally(sample, keep)
    const tally = new OrientationTally(sample, keep)
    const starts = new Int32Array(CGPEM_FIELDS.length)
    const ends = new Int32Array(CGPEM_FIELDS.length)
    const v = new CgpemValidator({
      today: TODAY,
      onOrientation: (o) => {
        reference.addValues(o.line, o.record, o.values)
        // the values laid out one after the other, behind a few bytes of something else
        const parts: Buffer[] = [Buffer.from('<x>')]
        let at = 3
        o.values.forEach((value, i) => {
          starts[i] = value === '' ? -1 : at
          ends[i] = value === '' ? -1 : at + value.length
          parts.push(Buffer.from(value, 'latin1'))
          at += value.length
        })
        const b = Buffer.concat(parts)
        tally.addBytes(o.line, o.record, o.record % 2 === 0 ? b : new Uint8Array(b), starts, ends)
      }
    })
    v.push(bytes)
    v.end()
    t.equal(JSON.stringify(tally.summary()), JSON.stringify(reference.summary()), `keeping ${keep} outside the sample`)
  }
})

for (const form of ['xml', 'fixed'] as const) {
  t.test(`an upload's tally (${form}) fed by the validator's byte path (onOrientationBytes) is the tally of every orientation's strings`, async (t) => {
    const bytes = Buffer.concat([...cgpemChunks(orientations(), form)])
    const reference = new OrientationTally(sample, 5)
    const tally = new OrientationTally(sample, 5)
    let onBytes = 0
    const strings = new CgpemValidator({ today: TODAY, onOrientation: (o) => { reference.addValues(o.line, o.record, o.values) } })
    const both = new CgpemValidator({
      today: TODAY,
      onOrientation: (o) => { tally.addValues(o.line, o.record, o.values) },
      onOrientationBytes: (line, record, b, starts, ends) => { onBytes++; tally.addBytes(line, record, b, starts, ends) }
    })
    for (let i = 0; i < bytes.length; i += 4096) {
      strings.push(bytes.subarray(i, i + 4096))
      both.push(bytes.subarray(i, i + 4096))
    }
    t.same(both.end(), strings.end(), 'the same report')
    t.equal(JSON.stringify(tally.summary()), JSON.stringify(reference.summary()), 'the same tally')
    if (form === 'xml') t.ok(onBytes > 250, `most orientations came as bytes (${onBytes})`)
  })
}

t.test('a tally keeps the natures of accompaniment (01 to 06) only: an upload of a thousand made-up natures keeps a digest of a few bytes', async (t) => {
  // a made-up nature is the validator's finding; kept, each went into the digest read back at every look at the qualification
  const body = Array.from({ length: 2000 }, (_, i) => `<ORIENTATION><NATURE_ACCOMPAGNEMENT>${i % 2 === 0 ? '03' : String(i).padStart(200, '9')}</NATURE_ACCOMPAGNEMENT></ORIENTATION>`).join('\n')
  const bytes = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM>\n${body}\n</CGPEM>\n`, 'latin1')
  for (const path of ['fast', 'complete'] as const) {
    // the upload's own tally (bytes when it can), and one fed by strings only
    const strings = new OrientationTally(sample)
    const { validator, tally } = path === 'fast'
      ? tallyingValidator(TODAY, sample)
      : { validator: new CgpemValidator({ today: TODAY, path: 'complete', onOrientation: (o) => { strings.addValues(o.line, o.record, o.values) } }), tally: strings }
    validator.push(bytes)
    t.equal(validator.end().valid, false, `${path}: the made-up natures are refused by the validator`)
    const summary = (tally as OrientationTally).summary()
    t.same(summary.natures, ['03'], `${path}: the natures used`)
    t.equal(summary.total, 2000, `${path}: every orientation counted`)
    t.ok(JSON.stringify(digestOf(summary)).length < 10_000, `${path}: the digest kept is small (${JSON.stringify(digestOf(summary)).length} characters)`)
  }
  const tally = new OrientationTally(sample)
  tally.add({ line: 1, record: 1, NATURE_ACCOMPAGNEMENT: 'XX' })
  tally.addValues(2, 2, CGPEM_FIELDS.map((f) => (f.name === 'NATURE_ACCOMPAGNEMENT' ? '07' : '')))
  tally.add({ line: 3, record: 3, NATURE_ACCOMPAGNEMENT: '06' })
  t.same(tally.summary().natures, ['06'], 'add() and addValues() keep only a nature of 01 to 06')
})

t.test('the index finds by NIR, falls back to the names, and finds nobody for a value outside the sample', async (t) => {
  const index = new SampleIndex(sample.map((m) => ({ ...m.person, member: m })))
  for (const m of sample) {
    const p = m.person
    t.equal(index.find(p.NIR, '', '', '')?.member, m)
    t.equal(index.find('', p.NOM_NAISSANCE, p.PRENOM, p.DATE_NAISSANCE)?.member, m)
    t.equal(index.match({ NIR: '1000099999999', NOM_NAISSANCE: p.NOM_NAISSANCE.toUpperCase(), PRENOM: p.PRENOM, DATE_NAISSANCE: p.DATE_NAISSANCE })?.member, m)
    // the same tail as a NIR or a birth date of the sample, another value: nobody
    t.equal(index.find(`9${p.NIR.slice(1)}`, '', '', ''), null)
    t.equal(index.find('', p.NOM_NAISSANCE, p.PRENOM, `0${p.DATE_NAISSANCE.slice(1)}`), null)
  }
  t.equal(index.find('', '', '', ''), null)
  t.equal(index.find('1', 'A', 'B', '2'), null)
})
