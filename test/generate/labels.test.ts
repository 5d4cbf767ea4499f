import t from 'tap'
import { CATEGORIES, CESSATION_MOTIFS, RADIATION_MOTIFS, SITUATIONS, TRAINING_LEVELS } from '../../generators/data/annexe4.js'
import { FORMACODES } from '../../generators/data/formacode.js'
import { ROME_CODES } from '../../generators/data/rome.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import type { Scenario } from '../../src/scenarios/model.js'
import { generate, REFERENCE, scenario } from './helpers.js'

/** The code lists' fields of a detail record: code, then label. */
const LISTS = [
  ['CODE_CATEGORIE_INSCRIPTION', 'LIBELLE_CATEGORIE_INSCRIPTION'],
  ['CODE_SITUATION_EMPLOI', 'LIBELLE_SITUATION_EMPLOI'],
  ['MOTIF_CESSATION_IDE', 'LIBELLE_MOTIF_CESSATION_IDE'],
  ['MOTIF_RADIATION', 'LIBELLE_MOTIF_RADIATION'],
  ['NIVEAU_FORMATION', 'LIBELLE_NIVEAU_FORMATION'],
  ['SECTEUR_FORMATION', 'LIBELLE_SECTEUR_FORMATION'],
  ['CODE_ROME', 'LIBELLE_ROME']
] as const

/** Plain capitals, digits and the punctuation of the convention's lists: no lower case, no accent. */
const PLAIN = /^[A-Z0-9 '()+,./:-]*$/

/**
 * The labels the convention writes in the file's style (Annexe 3; 21011 and
 * F1101 again in Annexe 4), copied from the seed; `seen` is how the seed
 * shows them (category 2's example is cut by a page break).
 */
const SEED_LABELS = [
  { field: 'CODE_CATEGORIE_INSCRIPTION', code: '2', label: 'PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PARTIEL', seen: ['2 PERSONNE SANS EMPLOI DISPONIBLE DUREE', 'INDETERMINEE PARTIEL'] },
  { field: 'CODE_SITUATION_EMPLOI', code: 'CEN', label: 'CREATION D\'ENTREPRISE' },
  { field: 'NIVEAU_FORMATION', code: 'AFS', label: 'AUCUNE FORMATION SCOLAIRE' },
  { field: 'NIVEAU_FORMATION', code: 'CFG', label: 'CFG OU CEP' },
  { field: 'NIVEAU_FORMATION', code: 'CP4', label: 'PRIMAIRE A 4EME ACHEVEE' },
  { field: 'NIVEAU_FORMATION', code: 'C12', label: '2EME / 1ERE ACHEVEE' },
  { field: 'NIVEAU_FORMATION', code: 'C3A', label: 'BEPC / 3EME ACHEVEE' },
  { field: 'NIVEAU_FORMATION', code: 'NV1', label: 'CERTIFICATION DE NIVEAU 1 (BAC + 5 ET PLUS)' },
  { field: 'NIVEAU_FORMATION', code: 'NV2', label: 'CERTIFICATION DE NIVEAU 2 (BAC + 3 ET + 4)' },
  { field: 'NIVEAU_FORMATION', code: 'NV3', label: 'CERTIFICATION DE NIVEAU 3 (BAC + 2)' },
  { field: 'NIVEAU_FORMATION', code: 'NV4', label: 'CERTIFICATION DE NIVEAU 4 (BAC)' },
  { field: 'NIVEAU_FORMATION', code: 'NV5', label: 'CERTIFICATION DE NIVEAU 5 (CAP, BEP)' },
  { field: 'SECTEUR_FORMATION', code: '21011', label: 'MACHINISME AGRICOLE' },
  { field: 'CODE_ROME', code: 'F1101', label: 'ARCHITECTE DU BATIMENT' }
]

const demo = await scenario('demo')
const RECORDS = 3000

/** The detail records of Seine-et-Marne (no named individual there) under the given `pecgm.case`. */
function details (letterCase: Scenario['pecgm']['case']): Record<string, string>[] {
  const s: Scenario = { ...demo, pecgm: { ...demo.pecgm, case: letterCase } }
  const { records, problems } = readPecgm(generate({ scenario: s, departement: '77', referenceDay: REFERENCE, records: RECORDS }))
  if (problems.length > 0) throw new Error(`unexpected problems: ${JSON.stringify(problems.slice(0, 3))}`)
  return records.filter((r) => r.type === 'D').map((r) => r.values)
}

const files = { upper: details('upper'), mixed: details('mixed') }

t.test('the labels the convention gives come out as it writes them, whatever pecgm.case says', async (t) => {
  for (const [letterCase, records] of Object.entries(files)) {
    for (const want of SEED_LABELS) {
      const label = LISTS.find(([code]) => code === want.field)?.[1] ?? ''
      const got = new Set(records.filter((r) => r[want.field] === want.code).map((r) => r[label]))
      t.same([...got], [want.label], `${letterCase}: ${want.field} ${want.code} is labelled « ${want.label} »`)
    }
    const one = new Set(records.filter((r) => r.CODE_CATEGORIE_INSCRIPTION === '1').map((r) => r.LIBELLE_CATEGORIE_INSCRIPTION ?? ''))
    t.equal(one.size, 1, `${letterCase}: category 1 has one label`)
    for (const l of one) t.match(l, /DUREE INDETERMINEE/, `${letterCase}: category 1 « ${l} »`)
  }
})

t.test('every code-list label of a generated file is plain capitals without accents, the same in both cases', async (t) => {
  for (const [letterCase, records] of Object.entries(files)) {
    const bad = new Set<string>()
    for (const r of records) {
      for (const [, label] of LISTS) if (!PLAIN.test(r[label] ?? '')) bad.add(`${label}: ${r[label] ?? ''}`)
    }
    t.same([...bad], [], `${letterCase}: no label with lower case or accents`)
  }
  let differ = 0
  files.upper.forEach((r, i) => {
    for (const [code, label] of LISTS) if (r[code] !== files.mixed[i]?.[code] || r[label] !== files.mixed[i]?.[label]) differ++
  })
  t.equal(differ, 0, 'upper and mixed files carry the same codes and labels')
})

t.test('the code-list tables hold their labels as the file carries them', async (t) => {
  const tables: [string, readonly string[]][] = [
    ['CATEGORIES', CATEGORIES.map((c) => c.label)],
    ['SITUATIONS', SITUATIONS.map((s) => s.label)],
    ['CESSATION_MOTIFS', CESSATION_MOTIFS.map((m) => m.label)],
    ['RADIATION_MOTIFS', RADIATION_MOTIFS.flatMap((m) => [m.label, m.label20])],
    ['TRAINING_LEVELS', TRAINING_LEVELS.map((l) => l.label)],
    ['FORMACODES', FORMACODES.flatMap((f) => f.label30 === undefined ? [f.label] : [f.label, f.label30])],
    ['ROME_CODES', ROME_CODES.map((r) => r.label)]
  ]
  for (const [name, labels] of tables) {
    t.same(labels.filter((l) => !PLAIN.test(l)), [], `${name}: plain capitals`)
  }
})
