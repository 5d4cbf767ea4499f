import type { BenchResult } from '../result.js'
import type { GroupContext, GroupOutcome } from './group.js'
import type { StepTally } from './lib/national-clients.js'
import { runNational } from './lib/national.js'
import { ms, spread } from './lib/stats.js'

const UPLOAD_RECORDS = 50
const TIGHT = ['--max-uploads', '8', '--max-connections', '60']

const answers = (t: StepTally): string => Object.entries(t.answers).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} × ${n}`).join(', ')
const busy = (t: StepTally): number => Object.entries(t.answers).filter(([k]) => k.startsWith('503')).reduce((n, [, v]) => n + v, 0)

function stepResult (name: string, t: StepTally, of: number): BenchResult {
  const own = spread(t.latency)
  const until = spread(t.untilSuccess)
  return {
    name,
    value: own.p50,
    unit: 'ms',
    note: `p99 ${ms(own.p99)} ; réussis ${t.succeeded}/${of} ; réponses : ${answers(t)} ; attentes comprises : médiane ${ms(until.p50)}, p99 ${ms(until.p99)} ; au plus ${t.peakInFlight} en cours à la fois`
  }
}

/**
 * « Les 101 départements »: scenarios/national.yaml, the server's start
 * beside `generate` writing the same stocks, then every département at once
 * downloading its stock and sending a CGPEM, at the default limits (no
 * error) and past them (2xx or 503 with Retry-After, and in the end all).
 */
export async function nationalGroup (context: GroupContext): Promise<GroupOutcome> {
  const n = await runNational({ workDir: context.workDir, uploadRecords: UPLOAD_RECORDS, tightArgs: TIGHT, log: context.log })
  const results: BenchResult[] = [{
    name: `national : du lancement du serveur à « Prêt » (dépôts des ${n.departements} stocks en cours, chaque département attend le sien)`,
    value: n.readyMs,
    unit: 'ms',
    reference: { name: `phebus-mock generate des mêmes ${n.departements} stocks`, value: n.generateMs },
    note: `${n.records.toLocaleString('fr-FR')} enregistrements, ${(n.stockBytes / 1e6).toFixed(0)} Mo ; le serveur dépose en arrière-plan, trois départements à la fois, la référence lance un processus après l'autre (un seul, pour un enregistrement : ${ms(n.generateOneRecordMs)}) ; stocks identiques à ceux de generate : ${n.departements - n.differing.length}/${n.departements} ; redémarrage sur le même dossier : ${ms(n.restartReadyMs)}`
  }]
  for (const [i, { label, run, peakRssMiB }] of n.runs.entries()) {
    const all = run.download.succeeded === n.departements && run.upload.succeeded === n.departements
    const errors = run.download.firstFailures + run.upload.firstFailures
    results.push(
      stepResult(`national, ${label} : téléchargement du stock (médiane)`, run.download, n.departements),
      stepResult(`national, ${label} : envoi d'un CGPEM de ${UPLOAD_RECORDS} orientations (médiane)`, run.upload, n.departements),
      {
        name: `national, ${label} : téléchargements et envois sans 200/201 du premier coup`,
        value: errors,
        unit: 'requêtes',
        target: i === 0 ? '0' : '2xx ou 503 avec Retry-After, puis tous aboutissent',
        note: `503 aux téléchargements et envois : ${busy(run.download) + busy(run.upload)} ; à la connexion (la liste, avant) : ${busy(run.login)}, réponses ${answers(run.login)} ; tous aboutissent : ${all ? 'oui' : 'non'}, en ${run.seconds.toFixed(1)} s ; mémoire du serveur au plus fort : ${peakRssMiB.toFixed(0)} Mo (VmHWM)`
      }
    )
  }
  results.push({ name: 'national : invariants rompus', value: n.violations.length, unit: 'cas', target: '0' })
  return { results, violations: n.violations }
}
