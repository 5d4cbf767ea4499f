import t from 'tap'
import { mix32, mix32i, Rng, urem, WeightedIndex } from '../../src/generate/rng.js'

/** The index a binary search on the cumulated shares gives: the first whose share exceeds x. */
function searched (weights: readonly number[], x: number): number {
  const total = weights.reduce((a, w) => a + Math.max(0, w), 0)
  const c: number[] = []
  let run = 0
  for (const w of weights) {
    run += Math.max(0, w)
    c.push(run / total)
  }
  let lo = 0
  let hi = c.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >>> 1
    if ((c[mid] as number) > x) hi = mid
    else lo = mid + 1
  }
  return lo
}

const SHAPES: number[][] = [
  [1],
  [1, 1],
  [0, 5, 0, 0, 1],
  [1e-9, 1, 1e-9, 3, 0],
  Array.from({ length: 517 }, (_, i) => 1 + ((i * 7919) % 101)),
  Array.from({ length: 40 }, (_, i) => (i % 9 === 0 ? 1000 : 1e-3)),
  // shares that end on the guide's slices, and just beside them
  Array.from({ length: 16 }, () => 1),
  [1, 1 + 1e-12, 1 - 1e-12, 5, 1, 1, 3]
]

t.test('a weighted pick is the index a binary search on the cumulated shares gives, draw for draw', async (t) => {
  for (const weights of SHAPES) {
    const index = new WeightedIndex(weights)
    const a = new Rng(7, weights.length, 1)
    const b = new Rng(7, weights.length, 1)
    let differ = 0
    for (let n = 0; n < 20_000; n++) {
      const x = b.float()
      if (index.pick(a) !== searched(weights, x)) differ++
    }
    t.equal(differ, 0, `${weights.length} weights`)
  }
})

t.test('every draw around a cumulated share or a slice\'s edge is picked as a binary search picks it', async (t) => {
  // a draw is a step's 32 bits, x = bits / 2³²: the values a pick can see around an edge are its neighbours on that grid
  const around = (edge: number): number[] => {
    const k = Math.floor(edge * 2 ** 32)
    const out: number[] = []
    for (let d = -3; d <= 3; d++) if (k + d >= 0 && k + d < 2 ** 32) out.push(k + d)
    return out
  }
  for (const weights of SHAPES) {
    const index = new WeightedIndex(weights)
    const total = weights.reduce((a, w) => a + Math.max(0, w), 0)
    const edges: number[] = []
    let run = 0
    for (const w of weights) edges.push((run += Math.max(0, w)) / total)
    const slices = Math.max(64, weights.length * 8)
    for (let k = 0; k <= slices; k++) edges.push(k / slices)
    let differ = 0
    let tried = 0
    for (const edge of edges) {
      for (const bits of around(edge)) {
        tried++
        const drawn = { int32: () => bits | 0 } as unknown as Rng
        if (index.pick(drawn) !== searched(weights, bits / 2 ** 32)) differ++
      }
    }
    t.equal(differ, 0, `${weights.length} weights, ${tried} draws`)
  }
})

t.test('zero weights are never picked, and no positive weight is an error', async (t) => {
  const index = new WeightedIndex([0, 2, 0, 1, 0])
  const rng = new Rng(1, 2, 3)
  const seen = new Set<number>()
  for (let n = 0; n < 5000; n++) seen.add(index.pick(rng))
  t.same([...seen].sort(), [1, 3])
  t.throws(() => new WeightedIndex([0, 0]), RangeError)
})

t.test('chance, int and between keep their ranges', async (t) => {
  const rng = new Rng(3, 4, 5)
  let outside = 0
  const faces = new Set<number>()
  for (let n = 0; n < 10_000; n++) {
    const i = rng.int(7)
    const b = rng.between(-2, 2)
    faces.add(i)
    if (i < 0 || i > 6 || !Number.isInteger(i) || b < -2 || b > 2) outside++
  }
  t.equal(outside, 0)
  t.equal(faces.size, 7, 'every value of int(7) comes out')
  let hits = 0
  for (let n = 0; n < 20_000; n++) if (rng.chance(0.25)) hits++
  t.ok(hits > 4600 && hits < 5400, `${hits} of 20 000 at 0.25`)
})

t.test('the signed forms the generator draws with give the very numbers of the unsigned ones', async (t) => {
  // mix32i: mix32's bits; int32: next()'s; chanceOf(odds, i): chance(odds[i]); pick: a binary search on float()
  const inputs = [0, 1, -1, 0x7fffffff, -0x80000000, 0x80000000, 0xffffffff, 123456789, 2 ** 32 + 5]
  for (let n = 0; n < 10_000; n++) inputs.push((Math.imul(n, 0x9e3779b1) ^ n) >>> 0)
  t.equal(inputs.filter((h) => mix32i(h) >>> 0 !== mix32(h) || !Number.isInteger(mix32i(h)) || Math.abs(mix32i(h)) > 2 ** 31).length, 0, 'mix32i')
  const divisors = [1, 2, 7, 45, 240, 98_901, 2 ** 31 - 1]
  t.equal(inputs.filter((x) => divisors.some((n) => urem(x, n) !== (x >>> 0) % n || urem(x | 0, n) !== (x >>> 0) % n)).length, 0, 'urem: the remainder of the bits read unsigned, signed or not')
  const a = new Rng(7, 8, 9)
  const b = new Rng(7, 8, 9)
  const odds = new Float64Array([0, 0.25, 0.5, 1, 0.999999999, 1e-9])
  const shares = [3, 0, 1, 7, 2]
  const index = new WeightedIndex(shares)
  let differ = 0
  for (let n = 0; n < 30_000; n++) {
    const i = n % odds.length
    if (a.chanceOf(odds, i) !== b.chance(odds[i] as number)) differ++
    if ((a.int32() >>> 0) !== b.next()) differ++
    if (index.pick(a) !== searched(shares, b.float())) differ++
  }
  t.equal(differ, 0, 'chanceOf, int32 and pick, draw for draw')
})
