import type { GroupContext, GroupOutcome } from './group.js'
import { runKills } from './lib/killer.js'
import { median } from '../result.js'

const CHAINS = 8
const KILLS_PER_CHAIN = 3
const DEPOSIT_POPULATION = 200_000

/** 24 kill -9: 8 chains of 3, half of them started on a scenario whose first deposit is 200 000 records. */
export async function killGroup (context: GroupContext): Promise<GroupOutcome> {
  const runs = await runKills({ workDir: context.workDir, seed: context.seed, chains: CHAINS, killsPerChain: KILLS_PER_CHAIN, depositPopulation: DEPOSIT_POPULATION, uploadRecords: 4000, uploadsPerRun: 4, log: context.log })
  const violations = runs.flatMap((r) => r.violations)
  const accepted = runs.reduce((n, r) => n + r.accepted, 0)
  const lost = violations.filter((v) => v.invariant === 'envoi accepté perdu').length
  const sum = (f: (r: typeof runs[number]) => number): number => runs.reduce((n, r) => n + f(r), 0)
  return {
    results: [
      { name: 'kill -9 : passes', value: runs.length, unit: 'passes', note: `${CHAINS} chaînes de ${KILLS_PER_CHAIN}, chacune sur un dossier neuf` },
      { name: 'kill -9 : premiers dépôts interrompus par le kill', value: runs.filter((r) => r.depositCut).length, unit: 'passes', reference: { name: 'passes tuées pendant un premier dépôt possible', value: runs.filter((r) => r.deposit).length }, note: `PECGM de ${DEPOSIT_POPULATION.toLocaleString('fr-FR')} enregistrements pour le 77 ; refait en entier au redémarrage` },
      { name: 'kill -9 : envois acceptés (201) avant le kill, retrouvés après', value: accepted - lost, unit: 'envois', ...(accepted > 0 ? { reference: { name: 'acceptés avant le kill', value: accepted } } : {}), target: 'tous, octets identiques' },
      { name: 'kill -9 : envois en cours, coupés par le kill', value: sum((r) => r.cut), unit: 'envois', target: 'aucun listé en partie', note: `${sum((r) => r.notStarted)} autre(s) pas encore commencé(s)` },
      { name: 'kill -9 : passes tuées pendant l\'écriture d\'un fichier', value: runs.filter((r) => r.tmpLeft > 0).length, unit: 'passes', note: `${sum((r) => r.tmpLeft)} fichier(s) laissé(s) dans tmp/, ${sum((r) => r.repairs)} réparation(s) tracée(s) au redémarrage` },
      { name: 'kill -9 : moment visé', value: runs.length, unit: 'passes', note: (['pendant le premier dépôt', 'pendant un envoi', 'après le dernier octet d\'un envoi'] as const).map((m) => `${m} : ${runs.filter((r) => r.moment === m).length}`).join(', ') + `, de ${Math.min(...runs.map((r) => r.killAfterMs))} à ${Math.max(...runs.map((r) => r.killAfterMs))} ms après le début des envois` },
      { name: 'kill -9 : redémarrage jusqu\'à « Prêt » (médiane)', value: median(runs.map((r) => r.restartMs)), unit: 'ms' },
      { name: 'kill -9 : invariants rompus', value: violations.length, unit: 'cas', target: '0' }
    ],
    violations
  }
}
