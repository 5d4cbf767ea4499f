import t from 'tap'
import { KNOWN_DEFECTS, splitKnown } from '../../bench/reliability/group.js'
import { runIsolationMatrix } from '../../bench/reliability/lib/matrix.js'
import { loggedErrors, RELIABILITY_ADMIN_PASSWORD, stopServer } from '../../bench/reliability/lib/spawn.js'
import { start } from './server-process.js'

/**
 * The light isolation matrix (the heavy one is `npm run reliability --
 * isolation`): the routes come from GET /docs/json, so that a new route is in it
 * the day it is added; the described methods, one resource of each kind per
 * département, nobody and a wrong password.
 */

const INVARIANTS = [
  'réponse 5xx',
  'accès sans identifiants valides',
  'accès aux données d\'un autre département',
  'réponse différente de celle d\'une ressource absente',
  'route d\'admin visible d\'un département',
  'fichier d\'un département modifié'
]

t.test('every described route, for every caller, on each département\'s resources: nothing without credentials, nothing of another département, admin routes look absent, no 5xx', async (t) => {
  const server = await start(t, t.testdir(), { adminPassword: RELIABILITY_ADMIN_PASSWORD })
  const m = await runIsolationMatrix({ url: server.url, adminPassword: RELIABILITY_ADMIN_PASSWORD, allMethods: false, allResources: false, intruders: ['personne', 'mauvais mot de passe'] })
  t.ok(m.described >= 10, `the description lists the routes (${m.described})`)
  t.ok(m.ownReads >= 6, 'each département reads its own file and report: the values put in the paths are real ones')
  t.ok(m.crossProbes >= 12, 'each département tried the others\' files and reports')
  const { known, unknown } = splitKnown(m.violations)
  for (const invariant of INVARIANTS) t.same(unknown.filter((v) => v.invariant === invariant).map((v) => v.detail), [], invariant)
  t.same(unknown.filter((v) => !INVARIANTS.includes(v.invariant)), [], 'no other invariant broken')
  t.equal(await stopServer(server), 0, 'a clean stop')
  t.same(loggedErrors(server), [], 'no internal error in the server\'s log')
  for (const [invariant, why] of Object.entries(KNOWN_DEFECTS)) {
    const found = known.filter((v) => v.invariant === invariant).map((v) => v.detail)
    if (found.length > 0) t.same(found, [], { todo: why })
  }
})
