import t from 'tap'
import { Rng } from '../../src/generate/rng.js'
import { DuplicateLog, repeatedKeys, repeatedKeysIn } from '../../src/validate/duplicates.js'
import { hash52, identityHash } from '../../src/validate/identity.js'

/** The keys counted the plain way: those met more than once, 0 left out. */
function naiveRepeats (keys: readonly number[]): number[] {
  const count = new Map<number, number>()
  for (const k of keys) if (k !== 0) count.set(k, (count.get(k) ?? 0) + 1)
  return [...count].filter(([, c]) => c > 1).map(([k]) => k).sort((a, b) => a - b)
}

t.test('repeated keys: the same as counting them, over blocks of any sizes', async (t) => {
  const rng = new Rng(3)
  for (const n of [0, 1, 2, 1000, 70_000]) {
    // random 52-bit keys, some repeated, some sharing their high bits only, some 0
    const keys: number[] = []
    for (let i = 0; i < n; i++) {
      const r = rng.int(10)
      if (r === 0 && i > 0) keys.push(keys[rng.int(i)] as number)
      else if (r === 1 && i > 0) keys.push(Math.floor((keys[rng.int(i)] as number) / 0x100000) * 0x100000 + rng.int(0x100000))
      else if (r === 2) keys.push(0)
      else keys.push(rng.next() * 0x100000 + rng.int(0x100000))
    }
    const expected = naiveRepeats(keys)
    t.same([...repeatedKeys(Float64Array.from(keys), n)].sort((a, b) => a - b), expected, `${n} keys, one array`)
    const blocks: Float64Array[] = []
    for (let at = 0; at < n || blocks.length === 0;) {
      const size = 1 + rng.int(5000)
      blocks.push(Float64Array.from(keys.slice(at, at + size)))
      at += size
    }
    blocks.push(Float64Array.from([keys[0] ?? 1, keys[1] ?? 1])) // past n: not counted
    t.same([...repeatedKeysIn(blocks, n)].sort((a, b) => a - b), expected, `${n} keys, ${blocks.length} blocks`)
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

t.test('places and prefixes come back as they went in, over many blocks, whatever their size or order', async (t) => {
  const log = new DuplicateLog()
  const rng = new Rng(11)
  const rows: Array<{ record: number, line: number, column: number, nir: string }> = []
  for (let i = 0; i < 30_000; i++) {
    const big = rng.chance(0.01)
    rows.push({
      record: big ? rng.int(2 ** 31) : i + 1,
      line: big ? rng.int(2 ** 40) : rng.int(5_000_000),
      column: big ? rng.int(2 ** 33) : 1 + rng.int(300),
      // every NIR is repeated once, some with other first characters (their own prefix is named)
      nir: i % 7 === 0 ? '' : `${String.fromCharCode(0x30 + rng.int(200))}${i % 2 === 0 ? 'é' : ''}${String(Math.floor(i / 2)).padStart(12, '0')}`
    })
  }
  for (const r of rows) log.add(r.record, r.line, r.column, r.nir === '' ? 0 : hash52(r.nir.slice(-12)), r.nir, 0)
  const seen = new Map<string, number>()
  const expected: Array<[number, number, number, number, string]> = []
  for (const r of rows) {
    if (r.nir === '') continue
    const key = r.nir.slice(-12)
    const first = seen.get(key)
    if (first === undefined) seen.set(key, r.record)
    else expected.push([r.record, r.line, r.column, first, r.nir.slice(0, 3)])
  }
  t.ok(expected.length > 10_000)
  t.same([...log.repeats()].map((r) => [r.record, r.line, r.column, r.first, r.nirPrefix]), expected)
})
