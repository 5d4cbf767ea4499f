import t from 'tap'
import { KNOWN_DEFECTS, splitKnown } from '../../bench/reliability/group.js'
import { runFuzz } from '../../bench/reliability/lib/fuzzer.js'

/**
 * Three hundred fuzzed uploads against one server process (the heavy run,
 * `npm run reliability -- fuzz`, sends 10 000): seeded mutations of valid
 * CGPEMs, of their names, of their multipart framing and of their transport.
 */

const INVARIANTS = [
  'réponse 5xx',
  'réponse non JSON',
  'réponse sans code',
  'réponse sans code (erreur de protocole HTTP)',
  'réponse manquante',
  'témoin refusé',
  'fichier gardé différent de l\'envoi',
  'envoi incomplet gardé',
  'liste et réponses en désaccord',
  'capacité perdue après le fuzz',
  'erreur interne journalisée',
  'arrêt propre',
  'dossier de données'
]

t.test('fuzzed uploads: no 5xx, every answer coded, every kept file is the bytes sent and listed, memory bounded, a whole data folder after a clean stop', async (t) => {
  const f = await runFuzz({ dataDir: t.testdir(), seed: 20261127, uploads: 300, concurrency: 4, largeShare: 0, extraDepartements: 0, idleTimeout: 2 })
  t.ok(f.controls.sent > 0 && f.controls.accepted > 0, 'clean uploads were among them, and accepted')
  t.ok(f.kept > 0, 'some mutated uploads were kept, with their report (201 or 422)')
  t.ok((f.byStatus.get(400) ?? 0) > 0, 'some were refused')
  t.ok(f.peakRssMiB < 768, `the server's memory stays bounded (peak ${Math.round(f.peakRssMiB)} MB)`)
  const { known, unknown } = splitKnown(f.violations)
  for (const invariant of INVARIANTS) t.same(unknown.filter((v) => v.invariant === invariant).map((v) => v.detail), [], invariant)
  t.same(unknown.filter((v) => !INVARIANTS.includes(v.invariant)), [], 'no other invariant broken')
  for (const [invariant, why] of Object.entries(KNOWN_DEFECTS)) {
    const found = known.filter((v) => v.invariant === invariant).map((v) => v.detail)
    if (found.length > 0) t.same(found, [], { todo: why })
  }
})
