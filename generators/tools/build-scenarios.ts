/**
 * Builds scenarios/national.yaml and scenarios/edge-cases.yaml (dev tool):
 *   node --import=tsx generators/tools/build-scenarios.ts
 * national: the 101 départements with populations of realistic size (RSA
 * beneficiaries registered at Pôle emploi: about 1 % of the inhabitants,
 * more in Seine-Saint-Denis and overseas).
 * edge-cases: one individual per hard case, each written out in full: every
 * field of the detail record, drawn by the engine at the reference date
 * 2026-11-01, then changed into its case with its dates kept in order.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { stringify } from 'yaml'
import { CATEGORIES, CESSATION_MOTIFS, RADIATION_MOTIFS } from '../data/annexe4.js'
import { allDepartements, communesOf } from '../geography.js'
import { makeNir, NIR_RANKS_PER_BUCKET } from '../nir.js'
import { buildDepartementContext } from '../../src/generate/context.js'
import { PersonDraw, personValues, Population } from '../../src/generate/person.js'
import { workCalendar } from '../../src/generate/timeline.js'
import { CESSATION_RULES, fits, RADIATION_RULES, SITUATION_RULES, type CodeRule } from '../rules.js'
import { SITUATIONS } from '../data/annexe4.js'
import { compactFromDay, dayFromCompact, minusYears, parseIsoDate } from '../../src/layouts/dates.js'
import { DEFAULT_LOCKOUT, DEFAULT_MIX, DEFAULT_QUALIFICATION, DEFAULT_QUOTAS, DEFAULT_RATES, type Scenario } from '../../src/scenarios/model.js'
import { packageRoot } from '../../src/paths.js'

const root = packageRoot()
const REFERENCE = parseIsoDate('2026-11-01') as number
const RATES: Record<string, number> = { 93: 0.022, 971: 0.034, 972: 0.03, 973: 0.032, 974: 0.038, 976: 0.02, 13: 0.015, 59: 0.015, 62: 0.014, 66: 0.016, 11: 0.015, 30: 0.015, 34: 0.014, 2: 0.014, 8: 0.014, 95: 0.013, 94: 0.012 }

function header (comment: string): string {
  return comment.split('\n').map((l) => `# ${l}`.trimEnd()).join('\n') + '\n'
}

function national (): void {
  const departements = allDepartements().map((d) => ({
    code: d.code,
    name: d.name,
    population: Math.round(d.population * (RATES[String(Number(d.code))] ?? RATES[d.code] ?? 0.0095))
  }))
  const total = departements.reduce((n, d) => n + d.population, 0)
  const doc = { name: 'national', description: `Les 101 départements, avec une population de taille réaliste (${total} personnes) : environ 1 % des habitants, davantage en Seine-Saint-Denis et outre-mer.`, seed: 2026, departements }
  writeFileSync(join(root, 'scenarios', 'national.yaml'), header('Les 101 départements (fait par generators/tools/build-scenarios.ts à partir du COG).') + stringify(doc, { lineWidth: 0 }))
}

interface Case { departement: string, label: string, change: (v: Record<string, string>, draw: PersonDraw) => void }

const ACCENTS: [string, string, string, 1 | 2][] = [
  ['é', 'Hélène', 'Bézier', 2], ['è', 'Agnès', 'Lefèvre', 2], ['ê', 'Gwenaël', 'Forêt', 1], ['ë', 'Gaëlle', 'Noël', 2],
  ['à', 'Maëlle', 'Santà', 2], ['â', 'Blandine', 'Châtelain', 2], ['î', 'Benoît', 'Maître', 1], ['ï', 'Anaïs', 'Hoïbian', 2],
  ['ô', 'Jérôme', 'Côté', 1], ['ö', 'Jörg', 'Schöller', 1], ['ù', 'Marie', 'Santù', 2], ['û', 'Anne', 'Brûlé', 2],
  ['ü', 'Günther', 'Müller', 1], ['ç', 'François', 'Garçon', 1], ['ÿ', 'Laure', 'Laÿ', 2], ['æ', 'Lætitia', 'Cæsar', 2],
  ['œ', 'Chloé', 'Lœuillet', 2], ['’', 'Awa', 'N’Diaye', 2]
]

/** Sets the sex digit of the NIR (and of the MSA number, which is the NIR) to match a first name. */
function setSex (v: Record<string, string>, sex: 1 | 2): void {
  const nir = v.NIR ?? ''
  const msa = v.NUMERO_ALLOCATAIRE_MSA === nir
  v.NIR = `${sex}${nir.slice(1)}`
  if (msa) v.NUMERO_ALLOCATAIRE_MSA = v.NIR
}

function cases (): Case[] {
  const list: Case[] = []
  const resident = (d: string, name: string): Case => ({
    departement: d,
    label: `Résident de ${name} (${d})`,
    change: (v) => { v.CODE_INSEE_RESIDENCE = communesOf(d)[0]?.code ?? '' }
  })
  list.push(resident('2A', 'Corse-du-Sud'), resident('2B', 'Haute-Corse'))
  for (const [d, n] of [['971', 'Guadeloupe'], ['972', 'Martinique'], ['973', 'Guyane'], ['974', 'La Réunion'], ['976', 'Mayotte']]) list.push(resident(d as string, n as string))
  list.push({ departement: '57', label: 'Travailleur frontalier : commune de résidence à blanc', change: (v) => { v.CODE_INSEE_RESIDENCE = '' } })
  list.push({
    departement: '77',
    label: 'Noms les plus longs : naissance, marital et prénom de plus de 25 caractères, coupés',
    change: (v) => {
      v.NOM_NAISSANCE = 'de La Rochefoucauld-Montbazon-Saint-Germain'
      v.NOM_MARITAL = 'Dupont-Lefèvre de Beaumarchais-Villeneuve'
      v.PRENOM = 'Marie-Christine-Alexandrine'
      setSex(v, 2)
    }
  })
  for (const [accent, prenom, nom, sex] of ACCENTS) {
    list.push({ departement: '77', label: `Accent « ${accent} »`, change: (v) => { v.PRENOM = prenom; v.NOM_NAISSANCE = nom; setSex(v, sex) } })
  }
  for (const c of CATEGORIES) list.push({ departement: '77', label: `Catégorie ${c.code}`, change: (v) => { v.CODE_CATEGORIE_INSCRIPTION = c.code; v.LIBELLE_CATEGORIE_INSCRIPTION = c.label } })
  list.push({
    departement: '77',
    label: 'Dispensé de recherche d\'emploi : catégorie à blanc, inscrit avant 2012',
    change: (v) => {
      v.CODE_CATEGORIE_INSCRIPTION = ''
      v.LIBELLE_CATEGORIE_INSCRIPTION = ''
      v.DATE_NAISSANCE = '19520415'
      v.DATE_DEBUT_IDE = '20110905'
      v.DATE_SIGNATURE_PPAE = '20111003'
      v.DATE_NOTIFICATION_PPAE_CER = ''
      v.DATE_DERNIER_CONTACT = compactFromDay(REFERENCE - 20)
    }
  })
  for (const m of CESSATION_MOTIFS) {
    list.push({
      departement: '77',
      label: `Cessation, motif ${m.code}`,
      change: (v) => {
        end(v, 'DATE_CESSATION_IDE', CESSATION_RULES.get(m.code))
        v.MOTIF_CESSATION_IDE = m.code
        v.LIBELLE_MOTIF_CESSATION_IDE = m.label
      }
    })
  }
  for (const m of RADIATION_MOTIFS) {
    list.push({
      departement: '77',
      label: `Radiation, motif ${m.code} (${m.label})`,
      change: (v) => {
        end(v, 'DATE_RADIATION', RADIATION_RULES.get(m.code))
        v.MOTIF_RADIATION = m.code
        v.LIBELLE_MOTIF_RADIATION = m.label20
      }
    })
  }
  list.push({ departement: '77', label: 'Identité non certifiée, connu de la MSA, sans numéro CAF', change: (v) => { v.STATUT_CERTIFICATION_IDENTITE = 'N'; v.NUMERO_ALLOCATAIRE_MSA = v.NIR ?? ''; v.NUMERO_ALLOCATAIRE_CAF = '' } })
  list.push({ departement: '77', label: 'Identifiant Pôle emploi en 8 chiffres', change: (v) => { v.IDENTIFIANT_PE = '07712345' } })
  list.push({ departement: '77', label: 'Né un 29 février', change: (v) => birth(v, '19880229') })
  list.push({ departement: '77', label: 'Le plus jeune : 18 ans le vendredi 30 octobre 2026, inscrit ce jour-là', change: (v) => { birth(v, '20081030'); v.DATE_DEBUT_IDE = '20261030'; v.DATE_SIGNATURE_PPAE = ''; v.DATE_NOTIFICATION_PPAE_CER = ''; v.DATE_DERNIER_CONTACT = '20261030' } })
  list.push({ departement: '77', label: 'Le plus âgé : 64 ans', change: (v) => birth(v, '19621101') })
  return list
}

const CALENDAR = workCalendar([])
const OFFICE_DATES = ['DATE_DEBUT_IDE', 'DATE_SIGNATURE_PPAE', 'DATE_NOTIFICATION_PPAE_CER', 'DATE_DERNIER_CONTACT', 'DATE_CESSATION_IDE', 'DATE_RADIATION'] as const

/**
 * A cessation or radiation whose day fits its motif: in the days before the
 * reference date (the stock carries it), or inside the years of the measure
 * the motif names; the person's registration, PPAE, CER and last contact
 * come before it, and the age and category fit what the motif asks.
 */
function end (v: Record<string, string>, field: string, rule: CodeRule | undefined): void {
  const day = CALENDAR.onOrBefore(rule?.to !== undefined && rule.to < REFERENCE ? rule.to - 60 : REFERENCE - 10)
  v[field] = compactFromDay(day)
  if (rule?.minAge !== undefined) v.DATE_NAISSANCE = compactFromDay(minusYears(day, rule.minAge + 3))
  if (rule?.maxAge !== undefined) v.DATE_NAISSANCE = compactFromDay(minusYears(day, Math.min(rule.maxAge - 5, 35)))
  const category = rule?.categories?.[0]
  if (category !== undefined) {
    const c = CATEGORIES.find((x) => x.code === category)
    v.CODE_CATEGORIE_INSCRIPTION = category
    v.LIBELLE_CATEGORIE_INSCRIPTION = c?.label ?? ''
  }
  const at = (k: string): number => v[k] ? dayFromCompact(v[k] as string) : -1
  if (at('DATE_DEBUT_IDE') >= day - 30) v.DATE_DEBUT_IDE = compactFromDay(CALENDAR.onOrBefore(day - 400))
  const start = at('DATE_DEBUT_IDE')
  if (start - at('DATE_NAISSANCE') < 18 * 366) v.DATE_NAISSANCE = compactFromDay(minusYears(start, 30))
  if (v.DATE_SIGNATURE_PPAE) v.DATE_SIGNATURE_PPAE = compactFromDay(CALENDAR.onOrAfter(start + 20))
  if (v.DATE_NOTIFICATION_PPAE_CER) v.DATE_NOTIFICATION_PPAE_CER = compactFromDay(CALENDAR.onOrAfter(start + 30))
  v.DATE_DERNIER_CONTACT = compactFromDay(CALENDAR.onOrBefore(day - 3))
}

/** What every individual keeps: office dates on working days, a situation that fits its category, sex and age. */
function coherent (v: Record<string, string>): void {
  for (const k of OFFICE_DATES) if (v[k]) v[k] = compactFromDay(CALENDAR.onOrBefore(dayFromCompact(v[k] as string)))
  const start = dayFromCompact(v.DATE_DEBUT_IDE ?? '')
  const birthDay = dayFromCompact(v.DATE_NAISSANCE ?? '')
  const age = Math.floor((start - birthDay) / 365.25)
  const sex = (v.NIR ?? '').startsWith('2') ? 2 : 1
  if (!fits(SITUATION_RULES.get(v.CODE_SITUATION_EMPLOI ?? ''), start, v.CODE_CATEGORIE_INSCRIPTION ?? '', sex, age)) {
    const sob = SITUATIONS.find((x) => x.code === 'SOB')
    v.CODE_SITUATION_EMPLOI = 'SOB'
    v.LIBELLE_SITUATION_EMPLOI = sob?.label ?? ''
  }
}

function birth (v: Record<string, string>, date: string): void {
  v.DATE_NAISSANCE = date
  if (dayFromCompact(v.DATE_DEBUT_IDE ?? '') <= dayFromCompact(date) + 18 * 366) v.DATE_DEBUT_IDE = compactFromDay(REFERENCE - 30)
  for (const k of ['DATE_SIGNATURE_PPAE', 'DATE_NOTIFICATION_PPAE_CER', 'DATE_DERNIER_CONTACT']) if (v[k]) v[k] = compactFromDay(REFERENCE - 20)
}

/**
 * Gives individual `k` of its département the NIR of its final sex and birth
 * date at rank NIR_RANKS_PER_BUCKET - 1 - k, the MSA number following when it
 * was the NIR. The drawn people of a population take ranks from 0 up
 * (generators/nir.ts): an individual's NIR is therefore nobody else's.
 */
function reserveNir (v: Record<string, string>, k: number): void {
  const drawn = v.NIR ?? ''
  const date = v.DATE_NAISSANCE ?? ''
  v.NIR = makeNir(drawn.startsWith('2') ? 2 : 1, Number(date.slice(0, 4)), Number(date.slice(4, 6)), NIR_RANKS_PER_BUCKET - 1 - k)
  if (v.NUMERO_ALLOCATAIRE_MSA === drawn) v.NUMERO_ALLOCATAIRE_MSA = v.NIR
}

function edgeCases (): void {
  const all = cases()
  const codes = [...new Set(all.map((c) => c.departement))]
  const names = new Map(allDepartements().map((d) => [d.code, d.name]))
  const scenario: Scenario = {
    name: 'edge-cases',
    description: '',
    seed: 77,
    source: '',
    individuals: [],
    mix: DEFAULT_MIX,
    rates: DEFAULT_RATES,
    qualification: DEFAULT_QUALIFICATION,
    quotas: DEFAULT_QUOTAS,
    lockout: DEFAULT_LOCKOUT,
    faults: [],
    pecgm: { version: '001,0', terminator: 'LF', case: 'mixed' },
    departements: codes.map((code) => ({ code, name: names.get(code) ?? code, population: 0, quotas: DEFAULT_QUOTAS, holidays: [], daily: false }))
  }
  // the people of each département are its first slots, in order
  const counts = new Map<string, number>()
  const p = new PersonDraw()
  const individuals = all.map((c) => {
    const ctx = buildDepartementContext(scenario, { code: c.departement, name: '', population: 0, quotas: DEFAULT_QUOTAS, holidays: [], daily: false })
    const index = counts.get(c.departement) ?? 0
    counts.set(c.departement, index + 1)
    new Population(ctx, 1_000).stock(index, REFERENCE, p)
    const v = personValues(ctx, p)
    c.change(v, p)
    coherent(v)
    reserveNir(v, index)
    delete v.TYPE_ENREGISTREMENT
    delete v.FILLER
    return { departement: c.departement, label: c.label, fields: v }
  })
  const departements = codes.map((code) => ({ code, name: names.get(code) ?? code, population: (counts.get(code) ?? 0) + 20 }))
  const doc = {
    name: 'edge-cases',
    description: 'Un individu par cas difficile : Corse, outre-mer, frontalier, noms les plus longs, chaque accent, chaque catégorie, chaque motif de cessation et de radiation, dispensé, identifiant en 8 chiffres, dates limites. Chaque individu est écrit en entier ; ses dates sont cohérentes pour la date de référence du 1er novembre 2026.',
    seed: 77,
    departements,
    individuals
  }
  writeFileSync(join(root, 'scenarios', 'edge-cases.yaml'), header('Les cas difficiles (fait par generators/tools/build-scenarios.ts, puis relu).\nÀ générer avec --date 2026-11-01 ou après.') + stringify(doc, { lineWidth: 0 }))
}

national()
edgeCases()
