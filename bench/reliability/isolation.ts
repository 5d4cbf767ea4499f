import type { GroupContext, GroupOutcome } from './group.js'
import { runIsolationMatrix } from './lib/matrix.js'
import { loggedErrors, RELIABILITY_ADMIN_PASSWORD, startServer, stopServer } from './lib/spawn.js'

/**
 * The heavy isolation matrix: every path of the description with every
 * method (described or not), every resource of each département, four kinds
 * of wrong credentials.
 */
export async function isolationGroup (context: GroupContext): Promise<GroupOutcome> {
  const server = await startServer({ dataDir: context.workDir })
  const started = Date.now()
  let outcome: GroupOutcome
  try {
    const m = await runIsolationMatrix({
      url: server.url,
      adminPassword: RELIABILITY_ADMIN_PASSWORD,
      allMethods: true,
      allResources: true,
      intruders: ['personne', 'mauvais mot de passe', 'identifiant inconnu', 'en-tête mal formé']
    })
    const seconds = (Date.now() - started) / 1000
    const statuses = [...m.byStatus].sort(([a], [b]) => a - b).map(([s, n]) => `${s} × ${n}`).join(', ')
    outcome = {
      results: [
        { name: 'isolation : opérations décrites par /docs/json', value: m.described, unit: 'opérations', note: `${m.routes} combinaisons chemin × méthode essayées (HEAD et méthodes non décrites comprises)` },
        { name: 'isolation : requêtes de la matrice', value: m.requests, unit: 'requêtes', note: `${seconds.toFixed(0)} s ; statuts : ${statuses}` },
        { name: 'isolation : sondes sur la ressource d\'un autre département', value: m.crossProbes, unit: 'sondes', target: 'aucune en 2xx/3xx, chacune identique à une ressource absente' },
        { name: 'isolation : lectures de ses propres ressources (témoins)', value: m.ownReads, unit: 'réponses 2xx', target: '> 0 : les valeurs substituées existent' },
        { name: 'isolation : invariants rompus', value: m.violations.length, unit: 'cas', target: '0' }
      ],
      violations: m.ownReads > 0 ? m.violations : [...m.violations, { invariant: 'matrice vide', detail: 'aucun département n\'a lu ses propres ressources : les valeurs substituées ne sont pas les bonnes' }]
    }
  } finally {
    await stopServer(server)
  }
  for (const e of loggedErrors(server)) outcome.violations.push({ invariant: 'erreur interne journalisée', detail: e })
  return outcome
}
