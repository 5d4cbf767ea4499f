import t, { type Test } from 'tap'
import { Rng } from '../../src/generate/rng.js'
import { FINDING_CODES } from '../../src/validate/codes.js'
import type { ValidationReport } from '../../src/validate/report.js'
import { CgpemValidator } from '../../src/validate/validator.js'
import { person, TODAY, validate, validateInChunks, xmlFile } from './helpers.js'

/**
 * Hostile and broken input: each gets a report, in bounded memory and time,
 * never a crash or a hang. Heap growth is sampled with process.memoryUsage();
 * no assertion depends on timing.
 */

const MB = 1 << 20

function randomBytes (rng: Rng, n: number, alphabet?: Buffer): Buffer {
  const b = Buffer.allocUnsafe(n)
  for (let i = 0; i < n; i++) b[i] = alphabet ? alphabet[rng.int(alphabet.length)] as number : rng.int(256)
  return b
}

/** A report that holds together: counts by severity and by code agree, the list respects its cap. */
function checkReport (t: Test, r: ValidationReport, name: string, max = 1000): void {
  const byCode = Object.entries(r.stats.byCode)
  const total = byCode.reduce((a, [, n]) => a + (n ?? 0), 0)
  t.equal(r.stats.errors + r.stats.warnings + r.stats.infos, total, `${name}: counts agree`)
  t.ok(r.findings.length <= max, `${name}: capped list`)
  t.equal(r.valid, r.stats.errors === 0, `${name}: verdict`)
  t.ok(byCode.every(([code]) => code in FINDING_CODES), `${name}: declared codes only`)
  if (r.truncated) t.equal(Object.values(r.omitted ?? {}).reduce((a, n) => a + (n ?? 0), 0) + r.findings.length, total, `${name}: omitted + listed = counted`)
}

/** Pushes `chunks` and returns the report with the heap's growth over the run (max sampled heapUsed minus the start). */
function pushAll (chunks: Iterable<Buffer>): { report: ValidationReport, heapGrowthMB: number } {
  const start = process.memoryUsage().heapUsed
  let peak = start
  const v = new CgpemValidator({ today: TODAY })
  let i = 0
  for (const c of chunks) {
    v.push(c)
    if (++i % 4 === 0) peak = Math.max(peak, process.memoryUsage().heapUsed)
  }
  const report = v.end()
  peak = Math.max(peak, process.memoryUsage().heapUsed)
  return { report, heapGrowthMB: (peak - start) / MB }
}

t.test('seeded random bytes: a coherent report, whatever the chunking', async (t) => {
  const rng = new Rng(20261120)
  const xmlish = Buffer.from('<<<>>>//!?-- ="\'&;#[]CDATAORIENTATIONCGPEMNIR\n\r\t\u0000\u0092\u00e9\u00c3', 'latin1')
  for (let i = 0; i < 40; i++) {
    const n = 1 + rng.int(4000)
    const input = i % 2 === 0 ? randomBytes(rng, n) : Buffer.concat([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><CGPEM>'), randomBytes(rng, n, xmlish)])
    const r = validate(input)
    checkReport(t, r, `input ${i}`)
    t.notOk(r.valid, `input ${i} is rejected`)
    const chunked = validateInChunks(input, 1 + rng.int(64))
    t.same(chunked, r, `input ${i}: the same report in chunks`)
  }
})

t.test('binary garbage of 8 MB, both forms: bounded memory', async (t) => {
  const rng = new Rng(7)
  const garbage = randomBytes(rng, MB)
  for (const head of [Buffer.alloc(0), Buffer.from('<')]) {
    const { report, heapGrowthMB } = pushAll([head, ...Array.from({ length: 8 }, () => garbage)])
    checkReport(t, report, `garbage after ${JSON.stringify(head.toString())}`)
    t.notOk(report.valid)
    t.ok(report.stats.errors > 1000, 'every problem counted')
    t.ok(heapGrowthMB < 64, `heap growth ${heapGrowthMB.toFixed(1)} MB`)
  }
})

t.test('a valid file cut at any point gets a report, and is rejected unless only its last line end is gone', async (t) => {
  const file = xmlFile([person(1), person(2), person(3)])
  for (let cut = 0; cut < file.length; cut += 3) {
    const r = validate(file.subarray(0, cut))
    checkReport(t, r, `cut at ${cut}`)
    if (r.valid) t.fail(`cut at ${cut} accepted`)
  }
  t.ok(validate(file.subarray(0, file.length - 1)).valid, 'only the final line end missing')
})

t.test('100 000 nested elements: stopped at a small depth', async (t) => {
  const open = Buffer.from('<A>'.repeat(100_000))
  const close = Buffer.from('</A>'.repeat(100_000))
  const { report, heapGrowthMB } = pushAll([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><CGPEM>'), open, close, Buffer.from('</CGPEM>')])
  checkReport(t, report, 'deep')
  t.ok(report.findings.some((f) => f.code === 'CGPEM_XML_TOO_DEEP'))
  t.ok(heapGrowthMB < 32, `heap growth ${heapGrowthMB.toFixed(1)} MB`)
})

t.test('a single element of 100 MB, pushed in chunks: stopped, in flat memory', async (t) => {
  const x = Buffer.alloc(MB, 0x78)
  function * chunks (): Generator<Buffer> {
    yield Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM><ORIENTATION><NOM_NAISSANCE>')
    for (let i = 0; i < 100; i++) yield x
    yield Buffer.from('</NOM_NAISSANCE></ORIENTATION></CGPEM>\n')
  }
  const { report, heapGrowthMB } = pushAll(chunks())
  checkReport(t, report, '100 MB element')
  t.same(report.findings.map((f) => f.code), ['CGPEM_XML_TOKEN_TOO_LONG'])
  t.ok(report.stats.bytes > 100 * MB)
  t.ok(heapGrowthMB < 32, `heap growth ${heapGrowthMB.toFixed(1)} MB`)
})

t.test('a billion laughs DOCTYPE is refused, never expanded', async (t) => {
  let dtd = '<!ENTITY lol "lol">'
  for (let i = 1; i <= 9; i++) dtd += `<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`
  const file = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE CGPEM [${dtd}]>\n<CGPEM><ORIENTATION><NOM_NAISSANCE>&lol9;</NOM_NAISSANCE></ORIENTATION></CGPEM>`)
  const { report, heapGrowthMB } = pushAll([file])
  t.same(report.findings.map((f) => f.code), ['CGPEM_XML_DOCTYPE'])
  t.ok(heapGrowthMB < 16, `heap growth ${heapGrowthMB.toFixed(1)} MB`)
  const huge = Buffer.from(`<?xml version="1.0" encoding="ISO-8859-1"?>\n<!DOCTYPE CGPEM [${'<!ENTITY a "b">'.repeat(20_000)}]><CGPEM/>`)
  t.same(validate(huge).findings.map((f) => f.code), ['CGPEM_XML_TOKEN_TOO_LONG'], 'a huge DTD is stopped before its end')
})

t.test('a huge comment full of markup characters and control bytes: stopped, queue kept short', async (t) => {
  const line = Buffer.from('<!-- <a> \u0001 -->\n', 'latin1')
  const block = Buffer.concat(Array.from({ length: 1 << 14 }, () => line))
  const { report, heapGrowthMB } = pushAll([Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM>\n'), ...Array.from({ length: 40 }, () => block)])
  checkReport(t, report, 'comments')
  t.ok((report.stats.byCode.CGPEM_CONTROL_CHAR ?? 0) > 600_000, 'one control finding per line')
  t.ok(heapGrowthMB < 64, `heap growth ${heapGrowthMB.toFixed(1)} MB`)
})
