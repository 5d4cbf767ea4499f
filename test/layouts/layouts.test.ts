import t from 'tap'
import { CGPEM_FIELDS, CGPEM_FIXED_LAYOUT } from '../../src/layouts/cgpem.js'
import { decodeRecord, defineRecordLayout, encodeRecord, getField, sequentialSpecs } from '../../src/layouts/engine.js'
import { getPecgmLayouts, PECGM_LAYOUTS, PECGM_RECORD_LENGTH } from '../../src/layouts/pecgm.js'

t.test('every PECGM record of version 001,0 is exactly 1200 characters (decision D1)', async (t) => {
  const l = getPecgmLayouts('001,0')
  for (const layout of [l.header, l.detail, l.footer]) {
    t.equal(layout.length, PECGM_RECORD_LENGTH, layout.id)
    const last = layout.fields[layout.fields.length - 1]
    t.equal(last?.to, 1200, `${layout.id} ends at 1200`)
  }
  t.equal(getField(l.detail, 'FILLER').length, 281)
  t.equal(getField(l.footer, 'FILLER').length, 1179)
})

t.test('the detail layout puts each field where the spec says', async (t) => {
  const d = getPecgmLayouts('001,0').detail
  const table: [string, number, number][] = [
    ['NIR', 2, 14], ['DATE_NAISSANCE', 90, 97], ['CODE_INSEE_RESIDENCE', 99, 103], ['IDENTIFIANT_PE', 204, 211],
    ['LIBELLE_MOTIF_RADIATION', 355, 374], ['SUIVI_PRINCIPAL_CEDEX', 471, 472], ['LIBELLE_ROME', 714, 863],
    ['DATE_DERNIER_CONTACT', 912, 919]
  ]
  for (const [name, from, to] of table) t.match(getField(d, name), { from, to }, name)
})

t.test('the CGPEM fixed form is the field table laid end to end, 382 characters', async (t) => {
  t.equal(CGPEM_FIXED_LAYOUT.length, 382)
  t.same(CGPEM_FIXED_LAYOUT.fields.map((f) => f.name), CGPEM_FIELDS.map((f) => f.name))
})

t.test('an incoherent table is refused when the layout is defined', async (t) => {
  const cases = [
    { name: 'gap', specs: [{ name: 'A', from: 1, length: 2, type: 'AN' as const }, { name: 'B', from: 4, length: 1, type: 'AN' as const }], length: 4 },
    { name: 'short', specs: sequentialSpecs([{ name: 'A', length: 2, type: 'AN' }]), length: 3 },
    { name: 'duplicate', specs: sequentialSpecs([{ name: 'A', length: 1, type: 'AN' }, { name: 'A', length: 1, type: 'AN' }]), length: 2 }
  ]
  for (const c of cases) t.throws(() => defineRecordLayout(c.name, c.length, c.specs), { code: 'PHEBUS_LAYOUT_INVALID' }, c.name)
})

t.test('pads AN left-aligned with spaces, N right-aligned with zeros, blank when absent (D3)', async (t) => {
  const l = defineRecordLayout('t', 16, sequentialSpecs([
    { name: 'TXT', length: 5, type: 'AN' }, { name: 'NUM', length: 4, type: 'N' }, { name: 'NONE', length: 3, type: 'N' }, { name: 'CUT', length: 4, type: 'AN' }
  ]))
  const b = encodeRecord(l, { TXT: 'ab', NUM: '7', NONE: '', CUT: 'abcdefgh' })
  t.equal(b.toString('latin1'), 'ab   0007   abcd')
  t.same(decodeRecord(l, b, 0).values, { TXT: 'ab', NUM: '0007', NONE: '', CUT: 'abcd' })
})

t.test('refuses to write a field the layout does not have', async (t) => {
  const d = getPecgmLayouts('001,0').detail
  t.throws(() => encodeRecord(d, { NOM: 'x' }), { code: 'PHEBUS_LAYOUT_UNKNOWN_FIELD' })
})

t.test('decoding returns positioned problems for bad numbers, dates and bytes', async (t) => {
  const l = defineRecordLayout('t', 19, sequentialSpecs([
    { name: 'N', length: 3, type: 'N' }, { name: 'D', length: 8, type: 'D' }, { name: 'T', length: 8, type: 'AN' }
  ]))
  const b = Buffer.from('1a320230230ab\x85cdefg', 'latin1')
  const { problems } = decodeRecord(l, b, 0)
  t.match(problems, [
    { code: 'FIELD_NOT_NUMERIC', field: 'N', column: 1 },
    { code: 'FIELD_BAD_DATE', field: 'D', column: 4, value: '20230230' },
    { code: 'FIELD_NOT_PRINTABLE', field: 'T', column: 14 }
  ])
})

t.test('layouts are indexed by the header VERSION', async (t) => {
  t.ok(PECGM_LAYOUTS.has('001,0'))
  t.throws(() => getPecgmLayouts('002,0'), { code: 'PHEBUS_LAYOUT_UNKNOWN_VERSION' })
})
