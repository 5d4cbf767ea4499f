import t from 'tap'
import { join } from 'node:path'
import { packageRoot } from '../../src/paths.js'
import { cli } from './helpers.js'

const ESCAPE = '\u001b'
const NAMED = `a${ESCAPE}[31mROUGE\rcache`

t.test('a file name with an escape sequence or a carriage return never reaches the terminal raw: « ? » in its place, in reports, summaries and errors', async (t) => {
  const dir = t.testdir()
  const scenario = join(packageRoot(), 'scenarios', 'demo.yaml')
  const cgpem = join(dir, `${NAMED}.xml`)
  const sampled = await cli('sample', 'cgpem', '--scenario', scenario, '--departement', '77', '--records', '2', '--date', '2026-11-20', '-o', cgpem)
  t.equal(sampled.code, 0)
  t.match(sampled.stderr, 'a?[31mROUGE?cache.xml : ', 'the summary of sample')
  const report = await cli('validate', cgpem, '--date', '2026-11-20')
  t.equal(report.code, 0)
  t.match(report.stdout.toString('utf8'), /^a\?\[31mROUGE\?cache\.xml : ACCEPTÉ/, 'the report\'s first line')
  const missing = await cli('validate', join(dir, `${NAMED}-absent.xml`))
  t.equal(missing.code, 2)
  t.match(missing.stderr, 'a?[31mROUGE?cache-absent.xml', 'the error names it')
  const pecgm = join(dir, `${NAMED}.txt`)
  const generated = await cli('generate', '--scenario', scenario, '--departement', '77', '--records', '1', '--date', '2026-11-01', '-o', pecgm)
  t.equal(generated.code, 0)
  for (const [name, out] of [['sample', sampled.stderr], ['validate', report.stdout.toString('utf8')], ['validate, missing', missing.stderr], ['generate', generated.stderr]] as const) {
    // eslint-disable-next-line no-control-regex
    t.notMatch(out, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/, `${name}: no control character but line feeds`)
  }
})
