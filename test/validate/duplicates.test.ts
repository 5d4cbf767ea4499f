import t from 'tap'
import { Rng } from '../../src/generate/rng.js'
import { DuplicateLog, radixSorted, repeatedKeys } from '../../src/validate/duplicates.js'
import { hash52, identityHash } from '../../src/validate/identity.js'

t.test('the radix sort sorts like Array.prototype.sort', async (t) => {
  const rng = new Rng(3)
  for (const n of [0, 1, 2, 1000, 70_000]) {
    const values = Uint32Array.from({ length: n }, () => rng.next())
    t.same([...radixSorted(values)], [...values].sort((a, b) => a - b), `${n} values`)
  }
})

t.test('repeated keys: the whole 52 bits decide, 0 is never a key', async (t) => {
  const hi = 0xABCDE123 * 0x100000
  const keys = Float64Array.from([hi + 1, hi + 2, 0, hi + 1, 0, 5 * 0x100000 + 7, 5 * 0x100000 + 7, 9])
  t.same([...repeatedKeys(keys, keys.length)].sort(), [hi + 1, 5 * 0x100000 + 7].sort())
  t.same([...repeatedKeys(keys, 2)], [], 'only the first n count')
})

t.test('names each repetition after the first, NIR before identity', async (t) => {
  const log = new DuplicateLog()
  const id = (s: string): number => identityHash(s, 'Léa', '19900101')
  const rows: Array<[number, string, number]> = [
    [1, '1900175123001', id('MARTIN')],
    [2, '1900175123002', id('Martin')],
    [4, '1900175123001', id('DURAND')],
    [5, '', id('martín')],
    [6, '1900175123001', id('MARTIN')]
  ]
  for (let i = 0; i < 3000; i++) rows.push([10 + i, `2${String(i).padStart(12, '0')}`, id(`P${i}`)])
  for (const [record, nir, identity] of rows) log.add(record, record * 10, 3, nir === '' ? 0 : hash52(nir), nir, identity)
  t.same([...log.repeats()].map((r) => [r.kind, r.record, r.first, r.line, r.nirPrefix]), [
    ['identity', 2, 1, 20, ''],
    ['nir', 4, 1, 40, '190'],
    ['identity', 5, 1, 50, ''],
    ['nir', 6, 1, 60, '190']
  ])
})
