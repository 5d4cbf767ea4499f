import type { GroupContext, GroupOutcome } from './group.js'
import { runFuzz } from './lib/fuzzer.js'

const UPLOADS = 10_000
const CONCURRENCY = 8
const RSS_LIMIT_MB = 512
/** What each heavy upload is drawn from (replay.ts draws the same). */
export const HEAVY_FUZZ = { largeShare: 0.02, extraDepartements: 7, idleTimeout: 2 } as const

/** 10 000 fuzzed uploads against one server process, 8 clients at once, 2 % of them from a 3 MB CGPEM. */
export async function fuzzGroup (context: GroupContext): Promise<GroupOutcome> {
  const f = await runFuzz({ dataDir: context.workDir, seed: context.seed, uploads: UPLOADS, concurrency: CONCURRENCY, ...HEAVY_FUZZ, log: context.log })
  const count = (invariant: string): number => f.violations.filter((v) => v.invariant === invariant).length
  const statuses = [...f.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s} × ${n}`).join(', ')
  const violations = [...f.violations]
  if (f.peakRssMiB >= RSS_LIMIT_MB) violations.push({ invariant: 'mémoire du serveur', detail: `pic de ${f.peakRssMiB.toFixed(0)} Mo (VmHWM), limite ${RSS_LIMIT_MB} Mo` })
  return {
    results: [
      { name: 'fuzz : envois', value: f.uploads, unit: 'envois', note: `${CONCURRENCY} clients, ${f.seconds.toFixed(0)} s, ${(f.uploads / f.seconds).toFixed(0)} envois/s ; statuts : ${statuses}` },
      { name: 'fuzz : réponses 5xx hors 503/507', value: count('réponse 5xx'), unit: 'réponses', target: '0' },
      { name: 'fuzz : réponses sans code (ni 201/422 d\'envoi)', value: count('réponse sans code') + count('réponse sans code (erreur de protocole HTTP)') + count('réponse non JSON'), unit: 'réponses', target: '0' },
      { name: 'fuzz : connexions sans réponse', value: f.unanswered, unit: 'connexions', note: 'le client a coupé, s\'est tu ou a été remis à zéro ; une requête complète sans réponse est un invariant rompu' },
      { name: 'fuzz : envois gardés (201/422)', value: f.kept, unit: 'fichiers', target: 'chacun listé, octets identiques à l\'envoi' },
      { name: 'fuzz : témoins (CGPEM valides bien envoyés) acceptés', value: f.controls.accepted, unit: 'envois', reference: { name: 'témoins envoyés', value: f.controls.sent }, target: 'tous, sauf 503/507' },
      { name: 'fuzz : mémoire de pointe du serveur (VmHWM)', value: f.peakRssMiB, unit: 'Mo', reference: { name: 'au repos, après « Prêt »', value: f.idleRssMiB }, target: `< ${RSS_LIMIT_MB} Mo` },
      { name: 'fuzz : erreurs internes dans le journal du serveur', value: count('erreur interne journalisée'), unit: 'lignes', target: '0' },
      { name: 'fuzz : invariants rompus', value: violations.length, unit: 'cas', target: '0' }
    ],
    violations
  }
}
