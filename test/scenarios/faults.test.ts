import t from 'tap'
import { parseScenario } from '../../src/scenarios/load.js'
import { PhebusError } from '../../src/errors.js'
import { MINIMAL_SCENARIO } from './minimal.js'

/** The faults a scenario sets from the start (docs/pannes.md): the admin API's rules, each mistake with its line and path. */

const VALID = MINIMAL_SCENARIO

t.test('without faults, none; with faults, each as written', async (t) => {
  t.same(parseScenario(VALID, 'x.yaml').faults, [])
  const yaml = "faults:\n  - { code: truncated, departement: '77', deposit: stock, seed: 3 }\n  - { code: http-503, departement: '77', route: download, times: 2, retryAfterSeconds: 1 }\n  - { code: http-500, departement: '77', times: null, share: 0.25 }\n"
  t.same(parseScenario(VALID + yaml, 'x.yaml').faults, [
    { code: 'truncated', departement: '77', deposit: 'stock', seed: 3 },
    { code: 'http-503', departement: '77', route: 'download', times: 2, retryAfterSeconds: 1 },
    { code: 'http-500', departement: '77', times: null, share: 0.25 }
  ])
})

t.test('a bad fault is an error with its file, line and path', async (t) => {
  const cases = [
    { name: 'an unknown code', yaml: "faults:\n  - code: meteor\n    departement: '77'\n", line: 9, path: 'faults[0].code' },
    { name: 'a département not in the scenario', yaml: "faults:\n  - code: truncated\n    departement: '13'\n", line: 10, path: 'faults[0].departement' },
    { name: 'a damage aimed at requests', yaml: "faults:\n  - code: truncated\n    departement: '77'\n    route: download\n", line: 11, path: 'faults[0].route' },
    { name: 'a parameter of another fault', yaml: "faults:\n  - code: http-503\n    departement: '77'\n    afterBytes: 10\n", line: 11, path: 'faults[0].afterBytes' },
    { name: 'a file to damage at start', yaml: "faults:\n  - code: truncated\n    departement: '77'\n    file: PECGM.txt\n", line: 11, path: 'faults[0].file' },
    { name: 'no share of nothing', yaml: "faults:\n  - code: http-500\n    departement: '77'\n    share: 0\n", line: 11, path: 'faults[0].share' },
    { name: 'an unknown key', yaml: "faults:\n  - code: http-500\n    departement: '77'\n    percent: 10\n", line: 11, path: 'faults[0].percent' }
  ]
  for (const c of cases) {
    let err: unknown
    try { parseScenario(VALID + c.yaml, 'x.yaml') } catch (e) { err = e }
    t.ok(err instanceof PhebusError, c.name)
    if (!(err instanceof PhebusError)) continue
    t.equal(err.code, 'PHEBUS_SCENARIO_INVALID', c.name)
    t.equal(err.position?.line, c.line, `${c.name}: line`)
    t.match(err.details[0], new RegExp(`^x\\.yaml:${c.line}:\\d+ ${c.path.replace(/[[\].]/g, '\\$&')} : `), `${c.name}: position and path (${err.details[0] ?? ''})`)
    t.notMatch(err.details[0], /non conforme/, `${c.name}: said in words`)
  }
})
