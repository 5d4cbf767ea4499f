import type { GroupContext, GroupOutcome } from './group.js'
import { runDescriptors } from './lib/descriptors.js'

const LIMIT = 256
const IDLE = 450
const SLOW_UPLOADS = 150
const BURST = 200

const counts = (m: Record<string, number>): string => Object.entries(m).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} × ${n}`).join(', ')

/**
 * « Limite de descripteurs »: the server under `ulimit -n 256`, 600
 * connections held, then 200 requests at once: 2xx, 4xx or 503 with
 * Retry-After, never EMFILE; ready again once the clients are gone.
 */
export async function descriptorsGroup (context: GroupContext): Promise<GroupOutcome> {
  const d = await runDescriptors({ workDir: context.workDir, seed: context.seed, limit: LIMIT, idle: IDLE, slowUploads: SLOW_UPLOADS, burst: BURST, log: context.log })
  const burstAnswers = Object.entries(d.burst.byStatus).filter(([k]) => k !== 'fermée sans réponse').reduce((n, [, v]) => n + v, 0)
  return {
    results: [
      { name: 'descripteurs : limite du processus serveur', value: d.limit ?? Number.NaN, unit: 'descripteurs', note: `ulimit -n ${LIMIT} dans /bin/sh, puis exec node … serve ; lue dans /proc/PID/limits` },
      {
        name: 'descripteurs : --max-connections choisi par le serveur',
        value: d.toldMaxConnections ?? Number.NaN,
        unit: 'connexions',
        reference: { name: `sa formule, (${LIMIT} − 100) / 2`, value: d.expectedMaxConnections },
        note: 'lu dans le message des 503 PHEBUS_HTTP_BUSY (« … (N au plus) ») : la bannière ne l\'affiche pas ; 64 connexions de plus reçoivent ce 503, au-delà elles sont fermées dès acceptées'
      },
      { name: 'descripteurs : connexions ouvertes', value: IDLE + SLOW_UPLOADS, unit: 'connexions', note: `${IDLE} gardées (un GET /livez, puis muettes), ${SLOW_UPLOADS} envois lents de 971 (quelques octets, puis un toutes les 2 s), par lots de 100 ; réponses : ${counts(d.opening)} ; tenues ensuite : ${d.held} (dont ${d.heldUploads} envois admis)` },
      { name: 'descripteurs : requêtes lancées à la fois', value: BURST, unit: 'requêtes', target: '2xx, 4xx ou 503 avec Retry-After', note: `${d.burst.onHeld} sur les connexions gardées, ${d.burst.onNew} sur des neuves ; ${counts(d.burst.kinds)} ; ${burstAnswers} réponses : ${counts(d.burst.byStatus)}` },
      { name: 'descripteurs : descripteurs ouverts par le serveur au plus fort', value: d.peakDescriptors, unit: 'descripteurs', reference: { name: 'limite', value: d.limit ?? LIMIT }, target: 'sous la limite ; EMFILE/ENFILE jamais', note: `/proc/PID/fd lu toutes les 10 ms ; EMFILE/ENFILE dans la sortie d'erreur du serveur : ${d.emfile.length} ligne(s)` },
      { name: 'descripteurs : connexions fermées, jusqu\'à /readyz 200', value: d.recoveryMs, unit: 'ms', target: '/readyz 200 puis un envoi accepté (201)', note: `/readyz ${d.readyz}, envoi de 93 : ${d.upload}` },
      { name: 'descripteurs : invariants rompus', value: d.violations.length, unit: 'cas', target: '0' }
    ],
    violations: d.violations
  }
}
