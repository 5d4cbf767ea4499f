import t from 'tap'
import { readFileSync } from 'node:fs'
import { getField, type RecordLayout } from '../../src/layouts/engine.js'
import { getPecgmLayouts } from '../../src/layouts/pecgm.js'
import { dataFile } from '../../src/paths.js'
import { toLatin1Text } from '../../src/text/latin1.js'
import {
  CATEGORIES, CESSATION_MOTIFS, MODALITIES, RADIATION_MOTIFS, SITUATIONS, TRAINING_LEVELS, WORK_AXES
} from '../../generators/data/annexe4.js'
import { FORMACODES } from '../../generators/data/formacode.js'
import {
  ACCENTED_FIRST_NAMES_FEMALE, ACCENTED_FIRST_NAMES_MALE, APOSTROPHE_SURNAMES, COMPOUND_FIRST_NAMES_FEMALE,
  COMPOUND_FIRST_NAMES_MALE, LONG_SURNAMES, OE_SURNAMES, PARTICLE_SURNAMES
} from '../../generators/data/names.js'
import { EXAMPLE_EMAIL_DOMAINS, FICTION_PHONE_RANGES } from '../../generators/data/phones.js'
import { ROME_CODES } from '../../generators/data/rome.js'
import {
  ADDRESS_COMPLEMENTS, DELEGATED_KINDS, MAIN_STRUCTURE_PREFIXES, STREET_NAMES, STREET_TYPES
} from '../../generators/data/structures.js'

const detail: RecordLayout = getPecgmLayouts('001,0').detail

/** The width of a PECGM detail field, read from the layout itself. */
function width (field: string): number {
  return getField(detail, field).length
}

/** The length a value takes once written: NFC, transliterated (D8), upper case. */
function written (s: string): number {
  return toLatin1Text(s, { upper: true }).length
}

interface Table {
  name: string
  entries: readonly { code: string }[]
  code: RegExp
  /** the text written in the record, and its field; none when the record carries only the code */
  text?: (e: never) => string
  field?: string
  count?: [number, number]
}

const tables: Table[] = [
  { name: 'CATEGORIES', entries: CATEGORIES, code: /^[1-5]$/, text: (e: { label: string }) => e.label, field: 'LIBELLE_CATEGORIE_INSCRIPTION', count: [5, 5] },
  { name: 'SITUATIONS', entries: SITUATIONS, code: /^[A-Z]{3}$/, text: (e: { label: string }) => e.label, field: 'LIBELLE_SITUATION_EMPLOI', count: [36, 36] },
  { name: 'CESSATION_MOTIFS', entries: CESSATION_MOTIFS, code: /^\d{2}$/, text: (e: { label: string }) => e.label, field: 'LIBELLE_MOTIF_CESSATION_IDE', count: [36, 36] },
  { name: 'RADIATION_MOTIFS', entries: RADIATION_MOTIFS, code: /^\d{2}$/, text: (e: { label20: string }) => e.label20, field: 'LIBELLE_MOTIF_RADIATION', count: [18, 18] },
  { name: 'TRAINING_LEVELS', entries: TRAINING_LEVELS, code: /^(AFS|CFG|CP4|C12|C3A|NV[1-5])$/, text: (e: { label: string }) => e.label, field: 'LIBELLE_NIVEAU_FORMATION', count: [10, 10] },
  { name: 'WORK_AXES', entries: WORK_AXES, code: /^0[1-7]$/, count: [7, 7] },
  { name: 'MODALITIES', entries: MODALITIES, code: /^(APR|GUI|REN|SUI|GLO)$/, count: [5, 5] },
  { name: 'ROME_CODES', entries: ROME_CODES, code: /^[A-N]\d{4}$/, text: (e: { label: string }) => e.label, field: 'LIBELLE_ROME', count: [40, 60] },
  { name: 'FORMACODES', entries: FORMACODES, code: /^\d{5}$/, text: (e: { label: string, label30?: string }) => e.label30 ?? e.label, field: 'LIBELLE_SECTEUR_FORMATION', count: [20, 40] }
]

t.test('code tables: shape, uniqueness, count, and every written label fits its field', async (t) => {
  for (const table of tables) {
    t.test(table.name, async (t) => {
      const codes = table.entries.map((e) => e.code)
      t.equal(new Set(codes).size, codes.length, 'codes are unique')
      for (const code of codes) t.match(code, table.code, `code ${code}`)
      if (table.count) {
        t.ok(codes.length >= table.count[0] && codes.length <= table.count[1], `${codes.length} entries in [${table.count.join(', ')}]`)
      }
      if (table.text && table.field) {
        const w = width(table.field)
        const text = table.text as (e: unknown) => string
        for (const e of table.entries) {
          const label = text(e)
          t.ok(label.trim() !== '', `${e.code} has a label`)
          t.ok(written(label) <= w, `${e.code} "${label}" (${written(label)}) fits ${table.field} (${w})`)
        }
      }
    })
  }
})

t.test('the code fields are as wide as the codes', async (t) => {
  const fields: [string, readonly { code: string }[]][] = [
    ['CODE_CATEGORIE_INSCRIPTION', CATEGORIES], ['CODE_SITUATION_EMPLOI', SITUATIONS],
    ['MOTIF_CESSATION_IDE', CESSATION_MOTIFS], ['MOTIF_RADIATION', RADIATION_MOTIFS],
    ['NIVEAU_FORMATION', TRAINING_LEVELS], ['SECTEUR_FORMATION', FORMACODES], ['CODE_ROME', ROME_CODES],
    ['AXE_TRAVAIL_PRINCIPAL', WORK_AXES], ['MODALITE_ACCOMPAGNEMENT', MODALITIES]
  ]
  for (const [field, entries] of fields) {
    for (const e of entries) t.equal(e.code.length, width(field), `${field} ${e.code}`)
  }
})

t.test('decision D10: CEN is the only situation code of the convention; radiation codes are all the project\'s own', async (t) => {
  t.same(SITUATIONS.filter((s) => !s.own).map((s) => s.code), ['CEN'])
  t.equal(SITUATIONS.find((s) => s.code === 'CEN')?.label, 'CREATION D\'ENTREPRISE')
  t.ok(RADIATION_MOTIFS.every((m) => m.own), 'every radiation code is own')
  t.equal(new Set(RADIATION_MOTIFS.map((m) => m.label20)).size, RADIATION_MOTIFS.length, 'short radiation labels are distinct')
})

t.test('the cessation list is Annexe 4\'s, in order, 11 to 98', async (t) => {
  t.same(CESSATION_MOTIFS.map((m) => m.code), [
    '11', '12', '13', '14', '15', '16', '18', '19', '21', '22', '23', '24', '25', '31', '32', '33', '34', '36',
    '37', '38', '39', '41', '42', '43', '45', '46', '47', '48', '49', '71', '72', '73', '80', '90', '95', '98'
  ])
})

t.test('the convention\'s own examples are present', async (t) => {
  t.ok(ROME_CODES.some((r) => r.code === 'F1101'), 'F1101')
  t.equal(FORMACODES.find((f) => f.code === '21011')?.label, 'MACHINISME AGRICOLE')
  t.equal(CATEGORIES.find((c) => c.code === '2')?.label, 'PERSONNE SANS EMPLOI DISPONIBLE DUREE INDETERMINEE PARTIEL')
})

t.test('structures: names fit 27, complements 32', async (t) => {
  const structure = width('SUIVI_PRINCIPAL_STRUCTURE')
  const complement = width('SUIVI_PRINCIPAL_COMPLEMENT')
  t.equal(structure, width('SUIVI_DELEGUE_STRUCTURE'))
  for (const p of MAIN_STRUCTURE_PREFIXES) t.ok(written(`${p} X`) <= structure, `prefix "${p}" leaves room for a commune`)
  for (const k of DELEGATED_KINDS) {
    const fixed = k.name.replace(/\{commune\}|\{departement\}/g, '')
    t.ok(written(fixed) < structure, `"${k.name}" fits ${structure} without its commune`)
    if (k.fictional) t.notMatch(k.name, /\{/, `${k.name} is a whole name`)
  }
  t.same([...new Set(DELEGATED_KINDS.map((k) => k.kind))].sort(), ['cap-emploi', 'mission-locale', 'operateur-prive', 'pole-emploi', 'prestataire'])
  for (const c of ADDRESS_COMPLEMENTS) t.ok(written(c) <= complement, `"${c}" fits ${complement}`)
  t.equal(STREET_TYPES.length, 10)
  t.ok(STREET_NAMES.length >= 60, `${STREET_NAMES.length} street names`)
  t.equal(new Set(STREET_NAMES).size, STREET_NAMES.length, 'street names are distinct')
  for (const s of STREET_NAMES) t.ok(written(`999 boulevard ${s}`) <= width('SUIVI_PRINCIPAL_VOIE') + 10, s)
})

t.test('names: the shapes they are there for', async (t) => {
  const nom = width('NOM_NAISSANCE')
  const prenom = width('PRENOM')
  t.ok(APOSTROPHE_SURNAMES.length >= 30)
  for (const n of APOSTROPHE_SURNAMES) t.match(n, /'/, n)
  for (const n of PARTICLE_SURNAMES) t.match(n, / /, n)
  t.ok(LONG_SURNAMES.length >= 20)
  for (const n of LONG_SURNAMES) t.ok(written(n) > nom, `${n} is longer than ${nom}`)
  for (const n of OE_SURNAMES) {
    t.match(n, /[œŒ]/, n)
    t.match(toLatin1Text(n, { upper: true }), /OE/, `${n} transliterated`)
  }
  for (const list of [ACCENTED_FIRST_NAMES_FEMALE, ACCENTED_FIRST_NAMES_MALE]) {
    t.ok(list.length >= 40, `${list.length} accented first names`)
    for (const n of list) t.match(n, /[^\x20-\x7E]/, `${n} has an accent`)
  }
  for (const n of [...COMPOUND_FIRST_NAMES_FEMALE, ...COMPOUND_FIRST_NAMES_MALE]) t.match(n, /^\p{L}+-\p{L}+$/u, n)
  const short = [...APOSTROPHE_SURNAMES, ...PARTICLE_SURNAMES, ...OE_SURNAMES]
  for (const n of short) t.ok(written(n) <= nom, `${n} fits ${nom}`)
  for (const n of [...ACCENTED_FIRST_NAMES_FEMALE, ...ACCENTED_FIRST_NAMES_MALE, ...COMPOUND_FIRST_NAMES_FEMALE, ...COMPOUND_FIRST_NAMES_MALE]) {
    t.ok(written(n) <= prenom, `${n} fits ${prenom}`)
  }
  const all = [...short, ...LONG_SURNAMES, ...ACCENTED_FIRST_NAMES_FEMALE, ...ACCENTED_FIRST_NAMES_MALE,
    ...COMPOUND_FIRST_NAMES_FEMALE, ...COMPOUND_FIRST_NAMES_MALE].join('').toLowerCase()
  for (const accent of 'éèêëàâîïôöùûüçœ') t.ok(all.includes(accent), `some name has ${accent}`)
})

t.test('phones and e-mails reach nobody', async (t) => {
  t.equal(FICTION_PHONE_RANGES.length, 6)
  t.equal(new Set(FICTION_PHONE_RANGES.map((r) => r.prefix)).size, 6)
  for (const r of FICTION_PHONE_RANGES) {
    t.match(r.prefix, /^0[1-9]\d{4}$/, r.prefix)
    t.equal(r.prefix.length + r.freeDigits, 10, `${r.prefix} makes 10 digits`)
    t.equal(r.display.replace(/\s/g, '').slice(0, 6), r.prefix, r.display)
  }
  t.same([...EXAMPLE_EMAIL_DOMAINS].sort(), ['example.com', 'example.net', 'example.org'])
})

function tsv (name: string): { header: string[], rows: string[][], bytes: number, newline: boolean } {
  const text = readFileSync(dataFile(name), 'utf8')
  const lines = text.split('\n')
  const newline = lines.pop() === ''
  const [header = '', ...rest] = lines
  return { header: header.split('\t'), rows: rest.map((l) => l.split('\t')), bytes: Buffer.byteLength(text), newline }
}

const DEPARTEMENTS = [
  ...Array.from({ length: 95 }, (_, i) => String(i + 1).padStart(2, '0')).filter((c) => c !== '20'),
  '2A', '2B', '971', '972', '973', '974', '976'
]

t.test('departements.tsv: the 101 départements', async (t) => {
  const { header, rows, bytes, newline } = tsv('departements.tsv')
  t.ok(newline, 'ends with a newline')
  t.same(header, ['code', 'nom', 'population'])
  t.equal(rows.length, 101)
  t.ok(bytes < 1024 * 1024)
  t.same(rows.map((r) => r[0]).sort(), [...DEPARTEMENTS].sort())
  for (const [code = '', nom = '', population = ''] of rows) {
    t.ok(nom !== '', `${code} has a name`)
    t.ok(/^\d+$/.test(population) && Number(population) > 0, `${code} population ${population}`)
  }
  t.equal(rows.find((r) => r[0] === '77')?.[1], 'Seine-et-Marne')
})

t.test('communes.tsv: parses, 101 départements, codes and postcodes well formed', async (t) => {
  const { header, rows, bytes, newline } = tsv('communes.tsv')
  t.ok(newline, 'ends with a newline')
  t.same(header, ['departement', 'code', 'codesPostaux', 'population', 'nom'])
  t.ok(bytes < 1024 * 1024, `${bytes} bytes`)
  const perDept = new Map<string, number>()
  const codes = new Set<string>()
  let bad = 0
  for (const row of rows) {
    const [dept = '', code = '', postcodes = '', population = '', nom = ''] = row
    perDept.set(dept, (perDept.get(dept) ?? 0) + 1)
    const ok = row.length === 5 &&
      /^(\d{5}|2[AB]\d{3})$/.test(code) &&
      code.startsWith(dept) &&
      (dept.length === 3 ? /^97[1-46]$/.test(dept) : /^(\d{2}|2[AB])$/.test(dept)) &&
      postcodes.split(',').every((p) => /^\d{5}$/.test(p)) &&
      /^\d+$/.test(population) &&
      nom !== '' &&
      !codes.has(code)
    codes.add(code)
    if (!ok) {
      bad++
      t.fail(`bad row: ${row.join(' | ')}`)
    }
  }
  t.equal(bad, 0, 'every row is well formed')
  t.same([...perDept.keys()].sort(), [...DEPARTEMENTS].sort(), 'exactly the 101 départements')
  for (const [dept, n] of perDept) t.ok(n >= 1 && n <= 150, `${dept}: ${n} communes`)
  for (const city of ['75056', '69123', '13055']) t.ok(codes.has(city), `${city} kept`)
  for (const arrondissement of ['75101', '69381', '13201']) t.notOk(codes.has(arrondissement), `${arrondissement} left out`)
  t.notOk([...codes].some((c) => /^97[578]/.test(c)), 'no 975, 977, 978')
})
