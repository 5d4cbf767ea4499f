import t from 'tap'
import { parseScenario } from '../../src/scenarios/load.js'
import { PhebusError } from '../../src/errors.js'
import { MINIMAL_SCENARIO } from './minimal.js'

/** The scenario's lock-out after failed logins: today's thresholds by default, a training room's when it says so. */

const VALID = MINIMAL_SCENARIO

t.test('without a lockout key, the thresholds are five failures in fifteen minutes locking for fifteen', async (t) => {
  t.same(parseScenario(VALID, 'x.yaml').lockout, { failures: 5, windowMinutes: 15, lockMinutes: 15, addressFailures: null })
})

t.test('a scenario sets the thresholds, each key on its own', async (t) => {
  const cases = [
    { name: 'a training room', yaml: 'lockout:\n  failures: 50\n  windowMinutes: 5\n  lockMinutes: 1\n  addressFailures: 5000\n', expect: { failures: 50, windowMinutes: 5, lockMinutes: 1, addressFailures: 5000 } },
    { name: 'one key', yaml: 'lockout: { lockMinutes: 60 }\n', expect: { failures: 5, windowMinutes: 15, lockMinutes: 60, addressFailures: null } }
  ]
  for (const c of cases) t.same(parseScenario(VALID + c.yaml, 'x.yaml').lockout, c.expect, c.name)
})

t.test('a bad lockout value is an error with its file, line and path', async (t) => {
  const cases = [
    { name: 'no failure allowed', yaml: 'lockout:\n  failures: 0\n', line: 9, path: 'lockout.failures' },
    { name: 'failures in words', yaml: 'lockout:\n  failures: cinq\n', line: 9, path: 'lockout.failures' },
    { name: 'a fraction of a minute', yaml: 'lockout:\n  windowMinutes: 1.5\n', line: 9, path: 'lockout.windowMinutes' },
    { name: 'a lock longer than a day', yaml: 'lockout:\n  lockMinutes: 1441\n', line: 9, path: 'lockout.lockMinutes' },
    { name: 'a negative address limit', yaml: 'lockout:\n  addressFailures: -1\n', line: 9, path: 'lockout.addressFailures' },
    { name: 'an unknown key', yaml: 'lockout:\n  failures: 5\n  lockSeconds: 30\n', line: 10, path: 'lockout.lockSeconds' },
    { name: 'not a table', yaml: 'lockout: 5\n', line: 8, path: 'lockout' }
  ]
  for (const c of cases) {
    let err: unknown
    try { parseScenario(VALID + c.yaml, 'x.yaml') } catch (e) { err = e }
    t.ok(err instanceof PhebusError, c.name)
    if (!(err instanceof PhebusError)) continue
    t.equal(err.code, 'PHEBUS_SCENARIO_INVALID', c.name)
    t.equal(err.position?.line, c.line, `${c.name}: line`)
    t.match(err.details[0], new RegExp(`^x\\.yaml:${c.line}:\\d+ ${c.path.replace(/[[\].]/g, '\\$&')} : `), `${c.name}: position and path`)
  }
})
