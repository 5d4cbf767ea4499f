import t from 'tap'
import { formatResult, pairRatios } from '../../bench/result.js'

t.test('each value is divided by the reference measured beside it, index by index', async (t) => {
  t.same(pairRatios([10, 20, 30], [5, 40, 10]), [2, 0.5, 3])
  // a reference missing for the last value (a run that failed): no pair for it
  t.same(pairRatios([10, 20, 30], [5, 40]), [2, 0.5])
})

t.test('a figure with pairs prints the median of their ratios beside the ratio of the medians', async (t) => {
  // the machine slowed down in the second pair: the ratio of the medians says 1.25, each pair says about 1
  const line = formatResult({
    name: 'envoi',
    value: 100,
    unit: 'Mo/s',
    reference: { name: 'validateur seul', value: 80 },
    pairs: pairRatios([100, 50, 110], [100, 50, 80])
  })
  t.match(line, /référence validateur seul : 80 Mo\/s \(rapport 1\.25 ; par paire 1\.00\)/)
})

t.test('a figure without pairs, or with one, prints the ratio alone', async (t) => {
  const base = { name: 'x', value: 3, unit: 's', reference: { name: 'y', value: 2 } }
  t.match(formatResult(base), /\(rapport 1\.50\)$/)
  t.match(formatResult({ ...base, pairs: [1.4] }), /\(rapport 1\.50\)$/)
  t.notMatch(formatResult({ ...base, pairs: [1.4] }), /par paire/)
})
