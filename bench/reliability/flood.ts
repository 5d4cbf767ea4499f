import { cpus } from 'node:os'
import type { BenchResult } from '../result.js'
import type { GroupContext, GroupOutcome } from './group.js'
import { runLoginFlood } from './lib/login-flood.js'
import { describe, ms } from './lib/stats.js'

const RATE = 60
const MIN_RATE = 55
const SECONDS = 30
const REFERENCE_DOWNLOADS = 20
const PAUSE_MS = 50
const MAX_SLOWDOWN = 2

const cpu = (seconds: number): string => `${seconds.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s`

/**
 * « Connexions en rafale »: dept93 downloads its monthly stock while failed
 * logins flood the server at 60 a second for 30 s, from one address, then
 * from 200; the median download must stay within twice the unloaded one.
 */
export async function floodGroup (context: GroupContext): Promise<GroupOutcome> {
  const f = await runLoginFlood({ workDir: context.workDir, seed: context.seed, rate: RATE, minRate: MIN_RATE, seconds: SECONDS, referenceDownloads: REFERENCE_DOWNLOADS, pauseMs: PAUSE_MS, log: context.log })
  const kb = Math.round(f.stock.size / 1000)
  const violations = [...f.violations]
  const results: BenchResult[] = [{
    name: `rafale : téléchargement du stock du 93 (${kb} Ko) au repos (médiane)`,
    value: f.reference.p50,
    unit: 'ms',
    note: `${describe(f.reference, ['p95'])}, un toutes les ${PAUSE_MS} ms sur une connexion gardée, depuis 127.0.0.1 ; de nouveau au repos après les flots : médiane ${ms(f.after.p50)}, p95 ${ms(f.after.p95)}`
  }]
  for (const v of f.variants) {
    const answers = Object.entries(v.flood.answers).sort(([a], [b]) => a.localeCompare(b)).map(([k, n]) => `${k} × ${n}`).join(', ')
    const unanswered = Object.values(v.flood.unanswered).reduce((a, b) => a + b, 0)
    results.push({
      name: `rafale, flot depuis ${v.label} : téléchargement pendant le flot (médiane)`,
      value: v.downloads.p50,
      unit: 'ms',
      reference: { name: 'au repos', value: f.reference.p50 },
      target: `≤ ${MAX_SLOWDOWN} × la référence`,
      note: `${describe(v.downloads, ['p95'])} (au repos : p95 ${ms(f.reference.p95)}) ; processeur du serveur pendant le flot : fil principal ${cpu(v.cpu.main)}, autres fils (dont les vérifications scrypt) ${cpu(v.cpu.others)}, en ${v.flood.sendingSeconds.toFixed(0)} s sur ${cpus().length} cœurs`
    }, {
      name: `rafale, flot depuis ${v.label} : connexions refusées envoyées`,
      value: v.flood.sent,
      unit: 'requêtes',
      target: `≥ ${MIN_RATE}/s`,
      note: `${((v.flood.sent - 1) / v.flood.sendingSeconds).toFixed(1)}/s pendant ${v.flood.sendingSeconds.toFixed(0)} s, une connexion neuve chacune, depuis un processus à part ; réponses : ${answers}${unanswered > 0 ? ` ; sans réponse : ${unanswered}` : ''}`
    })
    if (v.downloads.p50 > MAX_SLOWDOWN * f.reference.p50) {
      violations.push({ invariant: 'cible manquée : téléchargement pendant le flot', detail: `flot depuis ${v.label} : médiane ${ms(v.downloads.p50)}, plus de ${MAX_SLOWDOWN} × la médiane au repos (${ms(f.reference.p50)}) ; p95 ${ms(v.downloads.p95)} contre ${ms(f.reference.p95)}` })
    }
  }
  results.push({ name: 'rafale : invariants rompus', value: violations.length, unit: 'cas', target: '0' })
  return { results, violations }
}
