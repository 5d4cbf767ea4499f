import t from 'tap'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { answerDetails, type OrientationSeen } from '../../src/qualification/answer.js'
import { digestOf, summarise } from '../../src/qualification/tally.js'
import { evaluatePlan, JUDGED_ON_FIRST, roundTripOf, stepOf, verdictOf, type QualificationEvidence, type UploadEvidence } from '../../src/qualification/checks.js'
import { buildPlan, DEFAULT_PLAN } from '../../src/qualification/plan.js'
import type { CheckId } from '../../src/scenarios/model.js'
import { buildSample } from '../../src/qualification/sample.js'
import { normaliseName } from '../../src/qualification/matching.js'

const TODAY = parseIsoDate('2026-11-27') as number
const demo = await loadScenarioFile(new URL('../../scenarios/demo.yaml', import.meta.url).pathname)
const sample = buildSample(demo, '77', TODAY)
const NATURES = ['01', '02', '03', '04', '05', '06']

/** One orientation per person of the sample, natures in turn, the agency identifiers when `identifiers` gives them. */
function orientations (identifiers?: Map<number, { CODE_PE: string, IDENTIFIANT_PE: string }>, natures = NATURES): OrientationSeen[] {
  return sample.map((m, i) => ({
    line: 3 + i * 16,
    record: i + 1,
    NIR: m.person.NIR,
    NOM_NAISSANCE: m.person.NOM_NAISSANCE,
    PRENOM: m.person.PRENOM,
    DATE_NAISSANCE: m.person.DATE_NAISSANCE,
    NATURE_ACCOMPAGNEMENT: natures[i % natures.length],
    DATE_DECISION_ORIENTATION: '20261101',
    ...(identifiers?.get(m.index) ?? {})
  }))
}

function upload (name: string, at: string, o: OrientationSeen[], status: 'accepted' | 'rejected' = 'accepted'): UploadEvidence {
  return { name, sha256: 'a'.repeat(64), at, status, reportId: `r-${name}`, summary: digestOf(summarise(sample, o)) }
}

const first = orientations()
const m = summarise(sample, first)
const answer = answerDetails(sample, new Map(m.bySample), TODAY)
const identifiers = new Map(sample.filter((s) => s.known).map((s) => [s.index, { CODE_PE: s.record.CODE_INSTITUTION_PE ?? '', IDENTIFIANT_PE: s.record.IDENTIFIANT_PE ?? '' }]))
const given = [...identifiers].map(([sampleIndex, g]) => ({ sampleIndex, ...g }))
const deposit = { name: 'PECGM_77_M_20261101_20261127.txt', sha256: 'b'.repeat(64), at: '2026-11-27T10:01:00.000Z', size: 1201 * (answer.length + 2), answerTo: 'c1.xml' }
const c1 = upload('c1.xml', '2026-11-27T10:00:00.000Z', first)
const c2 = upload('c2.xml', '2026-11-27T11:00:00.000Z', orientations(identifiers))
const complete: QualificationEvidence = {
  sampleSize: sample.length,
  begun: { at: '2026-11-27T09:00:00.000Z', by: 'dept77' },
  sample: { first: '2026-11-27T09:01:00.000Z', count: 1 },
  firstUpload: c1,
  firstAccepted: c1,
  rejected: { count: 0, first: [], last: null },
  deposit,
  downloads: { whole: { at: '2026-11-27T10:30:00.000Z', bytes: deposit.size }, partial: null },
  roundTrip: { upload: c2, result: roundTripOf(given, summarise(sample, orientations(identifiers))) }
}

function status (ev: QualificationEvidence): Record<string, string> {
  return Object.fromEntries(evaluatePlan(buildPlan([]), ev).map((c) => [c.id, c.status]))
}

t.test('a département that does everything right passes every check, in step 3, positive', async (t) => {
  const results = evaluatePlan(buildPlan([]), complete)
  t.same(results.map((c) => c.status), DEFAULT_PLAN.map(() => 'passed'))
  t.equal(verdictOf(results), 'positif')
  t.equal(stepOf(complete), 3)
  t.ok(results.every((c) => c.evidence.length > 0), 'each passed check has its evidence')
})

t.test('the faults met during the iteration are said on every check, their date as Paris reads it, never an ISO timestamp', async (t) => {
  const faults = { count: 2, first: '2026-11-27T09:30:00.000Z', last: { at: '2026-11-27T09:45:00.000Z', fault: 3, what: 'http-503 sur download' } }
  const results = evaluatePlan(buildPlan([]), { ...complete, faults })
  const said = results.map((c) => c.evidence.find((e) => e.what.includes('panne simulée'))?.what)
  t.ok(said.every((w) => w !== undefined), 'on every check')
  t.match(said[0], /^2 échange\(s\) sous panne simulée depuis le 27 novembre 2026 à 10:30, non compté\(s\) contre le département ; le dernier : panne n° 3, http-503 sur download$/)
  t.notMatch(said[0], /\d{4}-\d{2}-\d{2}T/, 'no ISO timestamp in the sentence')
})

t.test('each check is todo until the evidence for it exists (but the login that started the qualification)', async (t) => {
  const none: QualificationEvidence = { ...complete, sample: null, firstUpload: null, firstAccepted: null, deposit: null, downloads: { whole: null, partial: null }, roundTrip: null }
  t.same(Object.values(status(none)), DEFAULT_PLAN.map((p) => p.id === 'connexion' ? 'passed' : 'todo'))
  t.equal(verdictOf(evaluatePlan(buildPlan([]), none)), 'en cours')
  t.equal(verdictOf(evaluatePlan(buildPlan([]), none), true), 'négatif', 'concluded, a check never done is not passed')
  t.equal(stepOf(none), 2)
})

t.test('each check fails on the evidence that breaks it, and says why', async (t) => {
  const bad = upload('bad.xml', '2026-11-27T10:00:00.000Z', first, 'rejected')
  const strangers = upload('c1.xml', '2026-11-27T10:00:00.000Z', first.map((o, i) => i < 5 ? { ...o, NIR: undefined, PRENOM: 'Inconnu' } : o))
  const cases: { name: string, ev: QualificationEvidence, id: string, reason: RegExp }[] = [
    { name: 'a CGPEM before the sample', id: 'echantillon', reason: /c1\.xml.*sample/, ev: { ...complete, sample: { first: '2026-11-27T12:00:00.000Z', count: 1 } } },
    { name: 'only rejected uploads', id: 'cgpem-accepte', reason: /r-bad\.xml/, ev: { ...complete, firstUpload: bad, firstAccepted: null, rejected: { count: 1, first: [bad], last: bad }, deposit: null } },
    { name: 'a nature never used', id: 'natures', reason: /03/, ev: { ...complete, firstAccepted: upload('c1.xml', '2026-11-27T10:00:00.000Z', orientations(undefined, ['01', '02', '04', '05', '06'])) } },
    { name: 'people of the sample nobody designates', id: 'rapprochement', reason: /5 personne.*lignes 3, 19/, ev: { ...complete, firstAccepted: strangers } },
    { name: 'PECGM downloaded in part', id: 'pecgm-telecharge', reason: /1000 octets/, ev: { ...complete, downloads: { whole: null, partial: { at: '2026-11-27T10:30:00.000Z', bytes: 1000 } } } },
    {
      name: 'a later CGPEM without the identifiers the PECGM gave',
      id: 'aller-retour',
      reason: /PECGM_77_M_20261101_20261127\.txt.*lignes/,
      ev: { ...complete, roundTrip: { upload: c2, result: roundTripOf(given, summarise(sample, orientations())) } }
    }
  ]
  for (const c of cases) {
    const result = evaluatePlan(buildPlan([]), c.ev).find((r) => r.id === c.id)
    t.equal(result?.status, 'failed', c.name)
    t.match(result?.reason, c.reason, `${c.name}: the reason names what to fix`)
    t.equal(verdictOf(evaluatePlan(buildPlan([]), c.ev)), 'négatif', `${c.name}: negative`)
  }
})

t.test('a check judged on the iteration\'s first CGPEM says, when it fails, that a later upload changes nothing and a new iteration does', async (t) => {
  const strangers = upload('c1.xml', '2026-11-27T10:00:00.000Z', first.map((o, i) => i < 5 ? { ...o, NIR: undefined, PRENOM: 'Inconnu' } : o))
  const cases: [string, QualificationEvidence][] = [
    ['echantillon', { ...complete, sample: { first: '2026-11-27T12:00:00.000Z', count: 1 } }],
    ['natures', { ...complete, firstAccepted: upload('c1.xml', '2026-11-27T10:00:00.000Z', orientations(undefined, ['01', '02', '04', '05', '06'])) }],
    ['rapprochement', { ...complete, firstAccepted: strangers }]
  ]
  for (const [id, ev] of cases) {
    const result = evaluatePlan(buildPlan([]), ev).find((r) => r.id === id)
    t.equal(result?.status, 'failed', id)
    t.match(result?.reason, /c1\.xml.* premier CGPEM (accepté )?de l'itération .*un envoi suivant n'y change rien.*nouvelle itération/, `${id}: where to start again`)
    t.ok(JUDGED_ON_FIRST.has(id as CheckId), `${id} is one of those judged once`)
  }
  // the others are passed by a later upload of the same iteration: they say nothing of the kind
  t.same([...JUDGED_ON_FIRST].sort(), ['echantillon', 'natures', 'rapprochement'])
})

t.test('orientations of people outside the sample do not count against those inside', async (t) => {
  const strangers = Array.from({ length: 240 }, (_, i): OrientationSeen => ({ line: 10_000 + i, record: 100 + i, NOM_NAISSANCE: 'AUTRE', PRENOM: `Personne${i}`, DATE_NAISSANCE: '19800101', NATURE_ACCOMPAGNEMENT: '01' }))
  const whole = upload('c1.xml', '2026-11-27T10:00:00.000Z', [...first, ...strangers])
  const result = evaluatePlan(buildPlan([]), { ...complete, firstAccepted: whole }).find((r) => r.id === 'rapprochement')
  t.equal(result?.status, 'passed')
  t.match(result?.evidence[0]?.what, /60 personne.*sur 60.*240 orientation\(s\) hors échantillon/)
})

t.test('matching ignores case, accents and punctuation, and falls back from a NIR to the names', async (t) => {
  t.equal(normaliseName('Lefèvre-d’Œillet'), 'LEFEVRE D OEILLET')
  // names in normal form already come back as they are; a step from it is folded
  for (const [name, normal] of [['DUPONT', 'DUPONT'], ['LE GALL', 'LE GALL'], ['LE  GALL', 'LE GALL'], [' DUPONT', 'DUPONT'], ['LE-GALL', 'LE GALL'], ['Dupont', 'DUPONT'], ['ÉLODIE', 'ELODIE'], ['A', 'A'], ['', '']]) {
    t.equal(normaliseName(name as string), normal, JSON.stringify(name))
  }
  const p = sample[0]?.person
  if (!p) throw new Error('empty sample')
  const m = summarise(sample, [{ line: 1, record: 1, NIR: '1000099999999', NOM_NAISSANCE: p.NOM_NAISSANCE.toLowerCase(), PRENOM: p.PRENOM, DATE_NAISSANCE: p.DATE_NAISSANCE }])
  t.equal(m.matched, 1)
})

t.test('the answer holds the known people only, those oriented to Pôle emploi taken in charge after the decision', async (t) => {
  t.equal(answer.length, sample.filter((s) => s.known).length)
  t.ok(answer.length > 0 && answer.length < sample.length)
  for (const [index, o] of m.bySample) {
    const rec = answer.find((a) => a.NIR === sample[index]?.person.NIR)
    if (!rec || !['05', '06'].includes(o.NATURE_ACCOMPAGNEMENT ?? '')) continue
    t.ok((rec.DATE_SIGNATURE_PPAE ?? '') > (o.DATE_DECISION_ORIENTATION ?? ''), 'PPAE after the decision')
    t.ok((rec.DATE_NOTIFICATION_PPAE_CER ?? '') >= (rec.DATE_SIGNATURE_PPAE ?? ''), 'CER after the PPAE')
    t.ok((rec.CONSEILLER_PE ?? '') !== '', 'an adviser')
  }
})

t.test('the scenario can make a check optional, disable it or change its threshold', async (t) => {
  const plan = buildPlan([{ id: 'aller-retour', required: false }, { id: 'natures', enabled: false }, { id: 'rapprochement', params: { threshold: 0.5 } }])
  t.notOk(plan.some((p) => p.id === 'natures'))
  t.equal(plan.find((p) => p.id === 'aller-retour')?.required, false)
  t.equal(plan.find((p) => p.id === 'rapprochement')?.params.threshold, 0.5)
})
