import t from 'tap'
import { bomLength, DETECT_BYTES, detectFileKind } from '../../src/validate/pecgm-detect.js'

/** A record of 1200 bytes starting with `start`, the rest spaces. */
function record (start: string): Buffer {
  const b = Buffer.alloc(1200, 0x20)
  b.write(start, 0, 'latin1')
  return b
}

const HEADER = record('EPECGM77 2026110120261102001,0')
const DETAIL = record('D1850599042123')
const FOOTER = record('F77 20261101000000001')
const BOM = Buffer.from([0xEF, 0xBB, 0xBF])
const lf = (...r: Buffer[]): Buffer => Buffer.concat(r.flatMap((x) => [x, Buffer.from('\n')]))
const crlf = (...r: Buffer[]): Buffer => Buffer.concat(r.flatMap((x) => [x, Buffer.from('\r\n')]))

const CASES: Array<{ name: string, head: Buffer, complete?: boolean, fileName?: string, kind: 'pecgm' | 'cgpem' | null }> = [
  { name: 'a header, LF', head: lf(HEADER, DETAIL, FOOTER), kind: 'pecgm' },
  { name: 'a header, CR LF', head: crlf(HEADER, DETAIL, FOOTER), kind: 'pecgm' },
  { name: 'a header, back to back', head: Buffer.concat([HEADER, DETAIL, FOOTER]), kind: 'pecgm' },
  { name: 'a header of a wrong length still says EPECG', head: lf(HEADER.subarray(0, 900), DETAIL, FOOTER), kind: 'pecgm' },
  { name: 'a header alone, whole file', head: HEADER, complete: true, kind: 'pecgm' },
  { name: 'a header after a byte-order mark', head: Buffer.concat([BOM, lf(HEADER, FOOTER)]), kind: 'pecgm' },
  { name: 'no header: a detail of 1200, LF', head: lf(DETAIL, DETAIL, FOOTER), kind: 'pecgm' },
  { name: 'no header: a detail of 1200, CR LF', head: crlf(DETAIL, FOOTER), kind: 'pecgm' },
  { name: 'no header: details back to back', head: Buffer.concat([DETAIL, DETAIL, FOOTER]), kind: 'pecgm' },
  { name: 'no header: a detail and the end of the file', head: DETAIL, complete: true, kind: 'pecgm' },
  { name: 'a damaged header of 1200, LF', head: lf(record('EXXXX'), DETAIL), kind: 'pecgm' },
  { name: 'a footer alone', head: lf(FOOTER), complete: true, kind: 'pecgm' },
  { name: 'a D line of 1199 is no PECGM', head: lf(DETAIL.subarray(0, 1199), DETAIL), kind: 'cgpem' },
  { name: 'a D followed by 1199 bytes and an X is no PECGM', head: Buffer.concat([DETAIL, record('X')]), kind: 'cgpem' },
  { name: 'a D line with a CR alone is no PECGM', head: Buffer.concat([DETAIL, Buffer.from('\rX'), DETAIL]), kind: 'cgpem' },
  { name: 'XML', head: Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?>\n<CGPEM>\n' + ' '.repeat(1300)), kind: 'cgpem' },
  { name: 'a fixed-width CGPEM', head: Buffer.from(`${'1850599042123'.padEnd(382, ' ')}\n`.repeat(5)), kind: 'cgpem' },
  { name: 'an empty file', head: Buffer.alloc(0), complete: true, kind: 'cgpem' },
  { name: 'an empty file named as a PECGM', head: Buffer.alloc(0), complete: true, fileName: 'PECGM_77_M_20261101_20261102.txt', kind: 'pecgm' },
  { name: 'text named as a PECGM', head: Buffer.from('bonjour\n'), complete: true, fileName: 'pecgm_77.txt', kind: 'pecgm' },
  { name: 'XML named as a PECGM', head: Buffer.from('  <?xml version="1.0"?><CGPEM/>'), complete: true, fileName: 'PECGM_77.xml', kind: 'cgpem' },
  { name: 'too few bytes yet', head: HEADER.subarray(0, 100), kind: null },
  { name: 'too few bytes yet, even for CGPEM', head: Buffer.from('<?xml'), kind: null }
]

t.test('tells a PECGM from a CGPEM by the first bytes', async (t) => {
  for (const c of CASES) t.equal(detectFileKind(c.head, c.complete ?? false, c.fileName), c.kind, c.name)
})

t.test('decides with DETECT_BYTES bytes, whatever follows', async (t) => {
  const file = lf(DETAIL, DETAIL, FOOTER)
  t.equal(DETECT_BYTES, 1205)
  t.equal(detectFileKind(file.subarray(0, DETECT_BYTES - 1), false), null)
  t.equal(detectFileKind(file.subarray(0, DETECT_BYTES), false), 'pecgm')
})

t.test('measures a UTF-8 byte-order mark', async (t) => {
  t.equal(bomLength(Buffer.concat([BOM, HEADER])), 3)
  t.equal(bomLength(HEADER), 0)
})
