import t from 'tap'
import { Readable } from 'node:stream'
import { validateBuffer, validateStream } from '../../src/validate/stream.js'
import { CgpemValidator } from '../../src/validate/validator.js'
import { person, TODAY, VALID, xmlFile } from './helpers.js'

t.test('validateStream reads any async iterable of bytes and gives the report of the whole buffer', async (t) => {
  const file = xmlFile([person(1), { ...VALID, PRENOM: undefined }, person(2)])
  const expected = validateBuffer(file, { today: TODAY })
  const chunks = Array.from({ length: Math.ceil(file.length / 100) }, (_, i) => file.subarray(i * 100, i * 100 + 100))
  t.same(await validateStream(Readable.from(chunks), { today: TODAY }), expected, 'a Node stream')
  t.same(await validateStream((async function * () { for (const c of chunks) yield new Uint8Array(c) })(), { today: TODAY }), expected, 'Uint8Array chunks')
})

t.test('validateStream refuses a stream of text: the bytes are what is checked', async (t) => {
  await t.rejects(validateStream(Readable.from(['<CGPEM/>']), { today: TODAY }), TypeError)
})

t.test('options are checked once, at construction; a finished validator refuses more input', async (t) => {
  t.throws(() => new CgpemValidator({ today: 1.5 }), TypeError)
  t.throws(() => new CgpemValidator({ today: TODAY, maxFindings: -1 }), RangeError)
  const v = new CgpemValidator({ today: TODAY })
  v.push(xmlFile([VALID]))
  t.ok(v.end().valid)
  t.throws(() => v.push(Buffer.from('x')))
  t.throws(() => v.end())
})
