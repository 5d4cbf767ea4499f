import t from 'tap'
import { runKills } from '../../bench/reliability/lib/killer.js'

/**
 * kill -9 at three seeded moments (the heavy run, `npm run reliability --
 * kill`, makes 24): a server started on a scenario whose first deposit is
 * 50 000 records, slow uploads of 750 kB CGPEMs from three départements;
 * each restart is checked, loaded and killed again. What test/server/
 * crash.test.ts already covers (the lock, a second server refused, one
 * half-sent upload) is not repeated here.
 */

const INVARIANTS = ['redémarrage', 'envoi accepté perdu', 'fichier partiel', 'dépôt manquant ou en double', 'dossier de données', 'erreur interne journalisée', 'arrêt propre']

t.test('killed during a large first deposit and slow uploads, three times: each restart is ready, lists every upload answered 201 and nothing partial, deposits once, and its folder is whole', async (t) => {
  const runs = await runKills({ workDir: t.testdir(), seed: 20261127, chains: 1, killsPerChain: 3, depositPopulation: 50_000, uploadRecords: 1000, uploadsPerRun: 3 })
  t.equal(runs.length, 3, 'three kills')
  t.ok(runs[0]?.deposit, 'the first during the first deposit')
  t.ok(runs.reduce((n, r) => n + r.accepted + r.cut, 0) > 0, 'uploads were under way')
  const violations = runs.flatMap((r) => r.violations)
  for (const invariant of INVARIANTS) t.same(violations.filter((v) => v.invariant === invariant).map((v) => v.detail), [], invariant)
  t.same(violations.filter((v) => !INVARIANTS.includes(v.invariant)), [], 'no other invariant broken')
})
