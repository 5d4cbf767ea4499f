import type { BenchResult } from '../result.js'
import type { GroupContext, GroupOutcome, Violation } from './group.js'
import { whenInPhase } from './lib/livez.js'
import { runQualificationLoad } from './lib/qualification-load.js'
import { describe, ms } from './lib/stats.js'

const REQUESTS = 100_000
const CONNECTIONS = 8
const UPLOADS = 2000
const UPLOADERS = 3
const STATE_READS = 20
const PDF_READS = 5
const PROBE_EVERY_MS = 5
const READ_TARGET_MS = 50
const BLOCKED_MS = 50
/** the phases where the event loop must never hold a request longer than BLOCKED_MS; under the listings it is saturated on purpose */
const WATCHED = new Set(['repos', 'lectures avant', 'envois', 'lectures après'])

/**
 * « Qualification après 100 000 requêtes »: dept77 qualified, then 100 000
 * listings and 2 000 uploads; the qualification still reads positive, fast,
 * with the same seal, and the event loop is never held more than 50 ms.
 */
export async function qualificationGroup (context: GroupContext): Promise<GroupOutcome> {
  const q = await runQualificationLoad({ workDir: context.workDir, requests: REQUESTS, connections: CONNECTIONS, uploads: UPLOADS, uploaders: UPLOADERS, stateReads: STATE_READS, pdfReads: PDF_READS, probeEveryMs: PROBE_EVERY_MS, blockedMs: BLOCKED_MS, quotaFiles: 5000, log: context.log })
  const violations: Violation[] = [...q.violations]
  const idle = q.livez.find((l) => l.phase.name === 'repos')
  const sameSeal = q.before.seal === q.after.seal
  const results: BenchResult[] = [
    { name: 'qualification : phebus-mock qualify (dept77), jusqu\'au verdict', value: q.qualifyMs, unit: 'ms', note: `code 0, verdict « ${q.before.verdict} » ; CGPEM renvoyé ensuite : ${q.cgpem.name} (${Math.round(q.cgpem.size / 1000)} Ko)` },
    {
      name: 'qualification : GET /api/v1/qualification après la charge (médiane)',
      value: q.after.state.p50,
      unit: 'ms',
      reference: { name: 'avant la charge', value: q.before.state.p50 },
      target: `< ${READ_TARGET_MS} ms`,
      note: `${describe(q.after.state, ['p95', 'max'])} ; avant : ${describe(q.before.state, ['p95', 'max'])}`
    },
    {
      name: 'qualification : bilan PDF après la charge (médiane)',
      value: q.after.pdf.p50,
      unit: 'ms',
      reference: { name: 'avant la charge', value: q.before.pdf.p50 },
      target: `< ${READ_TARGET_MS} ms`,
      note: `${describe(q.after.pdf, ['max'])} ; avant : ${describe(q.before.pdf, ['max'])}, le premier démarre le fil qui fabrique les PDF`
    },
    {
      name: 'qualification : verdict et sceau du bilan JSON après la charge',
      value: (sameSeal ? 0 : 1) + (q.after.verdict === 'positif' ? 0 : 1),
      unit: 'écart',
      target: '0 : positif, même sceau',
      note: `verdict avant « ${q.before.verdict} », après « ${q.after.verdict} » ; sceau avant ${q.before.seal.slice(0, 16)}…, après ${q.after.seal.slice(0, 16)}…`
    },
    {
      name: 'qualification : GET /api/v1/files authentifiés (dept77)',
      value: q.requests.done,
      unit: 'requêtes',
      target: `${REQUESTS.toLocaleString('fr-FR')}, toutes 200`,
      note: `${CONNECTIONS} connexions gardées (autocannon, dans le processus de la suite), ${q.requests.seconds.toFixed(0)} s, ${Math.round(q.requests.done / q.requests.seconds)} requêtes/s, latence médiane ${ms(q.requests.p50)}, p99 ${ms(q.requests.p99)} ; journal d'audit à la fin : ${q.trailEntries.toLocaleString('fr-FR')} entrées`
    },
    {
      name: 'qualification : envois acceptés (dept77)',
      value: q.uploads.accepted,
      unit: 'envois',
      target: `${UPLOADS.toLocaleString('fr-FR')}`,
      note: `${UPLOADERS} à la fois, ${q.uploads.seconds.toFixed(0)} s, ${describe(q.uploads.spread, ['p50', 'p95', 'max'])} ; 503 puis nouvel essai : ${q.uploads.busy}`
    }
  ]
  for (const l of q.livez) {
    const watched = WATCHED.has(l.phase.name)
    const worst = l.worst === null ? '' : `, le plus lent ${whenInPhase(l.worst.at, l.phase)}`
    results.push({
      name: `qualification : /livez pendant « ${l.phase.name} » (max)`,
      value: l.spread.max,
      unit: 'ms',
      ...(idle !== undefined && l !== idle ? { reference: { name: 'au repos (max)', value: idle.spread.max } } : {}),
      ...(watched ? { target: `≤ ${BLOCKED_MS} ms : jamais plus de ${BLOCKED_MS} ms bloqué` } : {}),
      note: `${describe(l.spread, ['p50', 'p99'])}, une toutes les ${PROBE_EVERY_MS} ms depuis un processus à part${worst}${watched ? '' : ' ; le serveur est saturé exprès : /livez attend son tour derrière les requêtes, sans cible'}`
    })
    if (watched && l.over.length > 0 && l.worst !== null) {
      violations.push({ invariant: `cible manquée : /livez plus de ${BLOCKED_MS} ms`, detail: `phase « ${l.phase.name} » : ${l.over.length} sonde(s) sur ${l.spread.n} au-delà de ${BLOCKED_MS} ms, la pire ${ms(l.worst.ms)} ${whenInPhase(l.worst.at, l.phase)} ; p99 ${ms(l.spread.p99)} ; autres : ${l.over.slice(0, 5).map((s) => `${ms(s.ms)} ${whenInPhase(s.at, l.phase)}`).join(' ; ')}` })
    }
  }
  if (q.after.state.p50 >= READ_TARGET_MS) violations.push({ invariant: 'cible manquée : lecture de la qualification', detail: `GET /api/v1/qualification après la charge : médiane ${ms(q.after.state.p50)} (avant ${ms(q.before.state.p50)})` })
  if (q.after.pdf.p50 >= READ_TARGET_MS) violations.push({ invariant: 'cible manquée : lecture de la qualification', detail: `bilan PDF après la charge : médiane ${ms(q.after.pdf.p50)} (avant ${ms(q.before.pdf.p50)})` })
  results.push({ name: 'qualification : invariants rompus', value: violations.length, unit: 'cas', target: '0' })
  return { results, violations }
}
