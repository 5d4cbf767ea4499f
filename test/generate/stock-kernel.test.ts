import t from 'tap'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { dayFromYmd } from '../../src/layouts/dates.js'
import { pecgmChunks, planPecgm, writeSlots, type PecgmRequest } from '../../src/generate/pecgm-file.js'
import { PersonDraw } from '../../src/generate/person.js'
import { Rng } from '../../src/generate/rng.js'
import { stockKernel, useStockKernel } from '../../src/generate/stock-kernel.js'
import { viewOf } from '../../src/generate/write.js'
import { packageRoot } from '../../src/paths.js'
import type { Mix, Rates, Scenario } from '../../src/scenarios/model.js'
import { REFERENCE, scenario } from './helpers.js'

const demo = await scenario('demo')
const national = await scenario('national')
const edge = await scenario('edge-cases')

/** The bytes of a whole PECGM, made by the stock kernel (`kernel`) or by the generator in TypeScript. */
function made (req: PecgmRequest, kernel: boolean): Buffer {
  const was = useStockKernel(kernel)
  try {
    return Buffer.concat([...pecgmChunks(req)])
  } finally {
    useStockKernel(was)
  }
}

/** The first record (1-based, with its line) where two files differ, for the message. */
function firstDifference (a: Buffer, b: Buffer): string {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  const line = a.subarray(0, i).toString('latin1').split('\n').length
  return `octet ${i}, ligne ${line} : ${JSON.stringify(a.subarray(i - 20, i + 40).toString('latin1'))} / ${JSON.stringify(b.subarray(i - 20, i + 40).toString('latin1'))}`
}

function same (tt: { pass: (message: string) => unknown, fail: (message: string) => unknown }, req: PecgmRequest, label: string): void {
  const reference = made(req, false)
  const kernel = made(req, true)
  if (reference.equals(kernel)) tt.pass(label)
  else tt.fail(`${label} : ${firstDifference(reference, kernel)}`)
}

t.test('the committed module is the one its AssemblyScript source compiles to', async (tt) => {
  const { stderr } = await promisify(execFile)(process.execPath, [join(packageRoot(), 'scripts', 'build-kernel.mjs'), '--check'])
  tt.equal(stderr, '')
})

t.test('the kernel writes the stocks of the project\'s scenarios byte for byte as the generator in TypeScript', async (tt) => {
  const dates = [[1980, 1, 1], [1999, 12, 31], [2011, 12, 31], [2012, 1, 2], [2026, 11, 1], [2099, 12, 31]] as const
  for (const [y, m, d] of dates) {
    same(tt, { scenario: demo, departement: '77', referenceDay: dayFromYmd(y, m, d), records: 3_000 }, `demo, 77, ${y}-${m}-${d}`)
  }
  // overseas (holidays of their own), Corsica, eight-digit identifiers or not, upper case, another terminator
  for (const departement of ['971', '974', '2A', '59', '13', '75']) {
    same(tt, { scenario: national, departement, referenceDay: REFERENCE, records: 2_000 }, `national, ${departement}`)
  }
  for (const departement of edge.departements.map((d) => d.code)) {
    // its named individuals are written by the generator in TypeScript, the others by the kernel
    same(tt, { scenario: edge, departement, referenceDay: REFERENCE }, `edge-cases, ${departement}`)
  }
  same(tt, { scenario: { ...demo, pecgm: { ...demo.pecgm, case: 'upper', terminator: 'CRLF' } }, departement: '77', referenceDay: REFERENCE, records: 2_000 }, 'upper case, CRLF')
  same(tt, { scenario: { ...demo, pecgm: { ...demo.pecgm, terminator: 'none' } }, departement: '77', referenceDay: REFERENCE, records: 2_000 }, 'no terminator')
  // slots numbered beyond the first 65,536 (their identities spread otherwise)
  same(tt, { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 70_000 }, 'demo, 70,000 records')
})

t.test('the kernel agrees with the generator in TypeScript at the edges: local holidays, seeds, tiny stocks, named individuals over every slot', async (tt) => {
  const dates = [[1980, 1, 1], [2000, 2, 29], [2024, 2, 29], [2099, 12, 31]] as const
  // a calendar of its own: Guadeloupe's 27 May (demo), then holidays on the days a year's first and last events fall on, 29 February
  const holidays = ['01-01', '01-02', '02-28', '02-29', '03-31', '06-30', '07-14', '11-30', '12-24', '12-30', '12-31']
  const local = { ...demo, departements: demo.departements.map((d) => ({ ...d, holidays })) }
  for (const [y, m, d] of dates) {
    same(tt, { scenario: demo, departement: '971', referenceDay: dayFromYmd(y, m, d), records: 1_500 }, `demo, 971 (05-27), ${y}-${m}-${d}`)
    same(tt, { scenario: local, departement: '77', referenceDay: dayFromYmd(y, m, d), records: 1_500 }, `77 with ${holidays.length} holidays, ${y}-${m}-${d}`)
  }
  for (const seed of [0, 1, 2_147_483_647, 2_147_483_648, 4_294_967_294, 4_294_967_295]) {
    same(tt, { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 500, seed }, `seed ${seed}`)
  }
  for (const records of [0, 1, 2]) same(tt, { scenario: demo, departement: '77', referenceDay: REFERENCE, records }, `${records} record(s)`)
  // named individuals on every slot, on all but the last, and fewer slots than individuals; chunks of 3 records, one
  // of them across the last individual
  const named = edge.individuals.filter((i) => i.departement === '77')
  const many = { ...edge, individuals: [...named, ...named, ...named, ...named, ...named] }
  const n = many.individuals.filter((i) => i.departement === '77').length
  for (const records of [n - 1, n, n + 1, n + 4]) {
    same(tt, { scenario: many, departement: '77', referenceDay: REFERENCE, records, chunkSize: 1_201 * 3 }, `${n} named individuals, ${records} records`)
  }
})

t.test('the kernel agrees with the generator in TypeScript on slots far into large populations (the identity\'s stride)', async (tt) => {
  for (const size of [65_536, 65_537, 1_000_000, 23_736_240]) {
    for (const [y, m, d] of [[1980, 1, 1], [2026, 11, 1], [2099, 12, 31]] as const) {
      const plan = planPecgm({ scenario: demo, departement: '77', referenceDay: dayFromYmd(y, m, d), records: size })
      const stride = plan.context.layouts.detail.length + plan.terminator.length
      for (const from of [0, Math.floor(size / 2), size - 300]) {
        const [reference, kernel] = [false, true].map((on) => {
          const was = useStockKernel(on)
          try {
            const out = Buffer.alloc(300 * stride)
            writeSlots(plan, out, from, from + 300, new PersonDraw(), viewOf(out))
            return out
          } finally {
            useStockKernel(was)
          }
        }) as [Buffer, Buffer]
        if (reference.equals(kernel)) tt.pass(`${size} people, slots ${from} to ${from + 300}, ${y}-${m}-${d}`)
        else tt.fail(`${size} people, slots ${from} to ${from + 300}, ${y}-${m}-${d} : ${firstDifference(reference, kernel)}`)
      }
    }
  }
})

t.test('two stocks made chunk by chunk in turn on one thread, a new context between, each have the bytes made alone', async (tt) => {
  const a: PecgmRequest = { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 3_000, chunkSize: 1_201 * 100, ring: 2 }
  // another département each time: new images in the kernel between chunks (its names, communes, agencies), which may grow its memory
  const codes = national.departements.map((d) => d.code)
  const others = (i: number): PecgmRequest => ({ scenario: national, departement: codes[i % codes.length] as string, referenceDay: REFERENCE, records: 2_000, chunkSize: 1_201 * 100, ring: 2 })
  const kernel = stockKernel()
  if (kernel === null) return tt.fail('no kernel')
  const reference = made({ ...a, ring: undefined }, false)
  const size = kernel.memory().byteLength
  const chunks: Buffer[] = []
  const other: Buffer[] = []
  const b = pecgmChunks(others(0))
  let next = 1
  for (const chunk of pecgmChunks(a)) {
    // a ring of two: a chunk is kept as a copy before the next is taken
    chunks.push(Buffer.from(chunk))
    const taken = b.next()
    if (taken.done !== true) other.push(Buffer.from(taken.value))
    made({ ...others(next++), ring: undefined }, true)
    // and once, room as large as the memory, which must grow it (every view of it taken away)
    if (chunks.length === 2) kernel.release(kernel.buffer(kernel.memory().byteLength))
  }
  tt.ok(Buffer.concat(chunks).equals(reference), 'the first stock\'s bytes')
  tt.ok(Buffer.concat(other).equals(made({ ...others(0), ring: undefined }, false)), 'the second\'s')
  tt.ok(kernel.memory().byteLength > size, 'the kernel\'s memory grew meanwhile')
})

/** A scenario whose shares and rates are drawn at the extremes and between: the rare paths of a person (deaths, retirements, fallbacks, re-registrations) become common. */
function drawn (base: Scenario, rng: Rng): Scenario {
  const share = (): number => {
    const r = rng.float()
    return r < 0.2 ? 0 : r > 0.8 ? 1 : rng.float()
  }
  const categories = { 1: share(), 2: share(), 3: share(), 4: share(), 5: share() + 0.01, dispense: share() }
  const mix: Mix = {
    categories,
    delegated: share(),
    crossBorder: share(),
    marriedName: share() / 1.8,
    longNames: share(),
    certified: share(),
    caf: share(),
    msa: share(),
    young: share(),
    cer: share(),
    eightDigitIdentifiers: share()
  }
  const rates: Rates = { exits: share() * 0.5, radiations: share(), categoryMoves: share() * 0.5, reRegistration: share() }
  return { ...base, seed: rng.next(), mix, rates }
}

t.test('the kernel and the generator in TypeScript agree on 60 drawn scenarios, dates and départements', async (tt) => {
  const rng = new Rng(0x6b65726e)
  const codes = national.departements.map((d) => d.code)
  for (let i = 0; i < 60; i++) {
    const s = drawn(national, rng)
    const departement = codes[rng.int(codes.length)] as string
    const day = dayFromYmd(rng.between(1980, 2099), rng.between(1, 12), 1) + rng.int(28)
    same(tt, { scenario: s, departement, referenceDay: day, records: rng.between(1, 1_500) }, `tirage ${i} : ${departement}, graine ${s.seed}`)
  }
})

t.test('a thread\'s kernel keeps one image of a context however many files, of whatever sizes, are made from it', async (tt) => {
  const kernel = stockKernel()
  if (kernel === null) return tt.fail('no kernel')
  const req: PecgmRequest = { scenario: demo, departement: '77', referenceDay: REFERENCE, records: 500 }
  made(req, true)
  const size = kernel.memory().byteLength
  const first = kernel.contextOf(planPecgm(req).population)
  for (let i = 0; i < 50; i++) {
    // a new plan each time, as the server makes one a file: new pools, indices and tables, of the same content; and a
    // population of another size, above 65,536 (where a size numbers the identities otherwise: Population#stride)
    tt.equal(kernel.contextOf(planPecgm(req).population), first, `plan ${i}`)
    tt.equal(kernel.contextOf(planPecgm({ ...req, records: 70_000 + i }).population), first, `${70_000 + i} people`)
    made(req, true)
  }
  tt.equal(kernel.memory().byteLength, size, 'the memory has not grown')
})
