import {
  axisEntries, categoryEntries, cessationEntries, modalityEntries, radiationEntries, romeEntries,
  sectorEntries, situationEntries, trainingEntries, type WeightedEntry
} from '../../generators/employment.js'
import { communesOf, type Commune } from '../../generators/geography.js'
import { firstNamesFor, longSurnames, surnamesFor } from '../../generators/identity.js'
import { address, delegatedStructures, mainAgencies } from '../../generators/follow-up.js'
import { CESSATION_RULES, RADIATION_RULES, RuleTable, SITUATION_RULES, type CodeRule } from '../../generators/rules.js'
import { PhebusError } from '../errors.js'
import { getField, type Field } from '../layouts/engine.js'
import { getPecgmLayouts, type PecgmLayouts } from '../layouts/pecgm.js'
import type { CategoryKey, Departement, Mix, Rates, Scenario } from '../scenarios/model.js'
import {
  ODDS, ODDS_CAF, ODDS_CER, ODDS_CERTIFIED, ODDS_CROSS_BORDER, ODDS_DELEGATED, ODDS_DISPENSE, ODDS_LONG_NAMES, ODDS_MARRIED_MAN,
  ODDS_MARRIED_WOMAN, ODDS_MSA, ODDS_RADIATION, ODDS_RE_REGISTRATION, ODDS_YOUNG
} from './kernel-shared.js'
import { buildPool, type Pool } from './pools.js'
import { hashString, Rng, WeightedIndex } from './rng.js'

/**
 * Everything that is the same for every person of one département's
 * population: the pools of encoded values, the pickers, the offsets of the
 * fields written per record. Built once, then each record is copies.
 */

export interface WeightedPool {
  pool: Pool
  index: WeightedIndex
}

/** A code list whose draws are checked against rules: each entry's rule (a category by its index in `category.keys`), and the entry written when none fits. */
export interface CheckedPool extends WeightedPool {
  rules: RuleTable
  fallback: number
}

export interface DepartementContext {
  scenario: Scenario
  departement: Departement
  layouts: PecgmLayouts
  mix: Mix
  /** the shares a person is drawn with, at the ODDS_ indices (Rng#chanceOf) */
  odds: Float64Array
  upper: boolean
  /** stream key of this département */
  key: number
  /** CODE_INSTITUTION_PE of its agency zone */
  zone: string
  /** whether its agency identifiers are 8 digits (the others 7 digits and a letter) */
  eightDigits: boolean
  surnames: { birth: Pool, married: Pool, long: Pool }
  firstNames: { 1: Pool, 2: Pool }
  communes: WeightedPool
  /** categories 1–5 drawn by `index`, and the blank entry of the dispensed at `blank`; keys: each entry's category ('' for blank) */
  category: { pool: Pool, index: WeightedIndex, keys: readonly string[], blank: number }
  situation: CheckedPool
  /** and the entries of « Retraite » (48) and « Décès » (73) */
  cessation: CheckedPool & { retirement: number, death: number }
  radiation: CheckedPool
  principal: Pool
  /** for each commune of `communes`, the entry of `principal` competent for it */
  agencyOfCommune: Int32Array
  delegated: Pool
  training: WeightedPool
  sector: WeightedPool
  rome: WeightedPool
  adviser: Pool
  axis: WeightedPool
  modality: WeightedPool
  /** a detail record with its constant parts written */
  template: Buffer
  at: Record<'NIR' | 'DATE_NAISSANCE' | 'STATUT_CERTIFICATION_IDENTITE' | 'NUMERO_ALLOCATAIRE_CAF' | 'NUMERO_ALLOCATAIRE_MSA' |
  'DATE_DEBUT_IDE' | 'IDENTIFIANT_PE' | 'DATE_CESSATION_IDE' | 'DATE_RADIATION' | 'DATE_SIGNATURE_PPAE' |
  'DATE_NOTIFICATION_PPAE_CER' | 'DATE_DERNIER_CONTACT', Field>
}

/**
 * Pools are read only, and the same list, fields and case make the same
 * bytes: each is made once per process and layout, not once per département
 * (the 101 of the national scenario, each made on the server's threads,
 * spent most of their set-up encoding the same name and code lists again).
 */
const namePools = new WeakMap<PecgmLayouts['detail'], WeakMap<readonly string[], Map<string, Pool>>>()
const weightedPools = new WeakMap<PecgmLayouts, Map<string, WeightedPool>>()

function namePool (d: PecgmLayouts['detail'], list: readonly string[], field: string, upper: boolean): Pool {
  let byList = namePools.get(d)
  if (byList === undefined) namePools.set(d, byList = new WeakMap())
  let byField = byList.get(list)
  if (byField === undefined) byList.set(list, byField = new Map())
  const key = `${field}|${String(upper)}`
  let pool = byField.get(key)
  if (pool === undefined) byField.set(key, pool = buildPool(d, [field], list.map((n) => ({ [field]: n })), { upper }))
  return pool
}

function weighted (layouts: PecgmLayouts, fields: string[], entries: () => WeightedEntry[], upper: boolean): WeightedPool {
  let pools = weightedPools.get(layouts)
  if (pools === undefined) weightedPools.set(layouts, pools = new Map())
  const key = `${fields.join(',')}|${String(upper)}`
  let made = pools.get(key)
  if (made === undefined) {
    const list = entries()
    made = { pool: buildPool(layouts.detail, fields, list.map((e) => e.values), { upper }), index: new WeightedIndex(list.map((e) => e.weight)) }
    pools.set(key, made)
  }
  return made
}

/** CODE_INSTITUTION_PE: the project gives each département the zone '0' + its code ('077', '02A', '971'). */
export function zoneOf (departement: string): string {
  return departement.padStart(3, '0')
}

export function buildDepartementContext (scenario: Scenario, departement: Departement): DepartementContext {
  const layouts = getPecgmLayouts(scenario.pecgm.version)
  const d = layouts.detail
  const upper = scenario.pecgm.case === 'upper'
  const key = hashString(`${scenario.seed}:${departement.code}`)
  const rng = new Rng(scenario.seed, key, 0x5eed)
  const communes = communesOf(departement.code)
  if (communes.length === 0) {
    throw new PhebusError('PHEBUS_SCENARIO_INVALID', `Aucune commune connue pour le département ${departement.code}.`)
  }
  const names = (list: readonly string[], field: string): Pool => namePool(d, list, field, upper)
  const birth = surnamesFor(departement.code)
  const mix = scenario.mix

  const categoryKeys: CategoryKey[] = ['1', '2', '3', '4', '5']
  const keys = [...categoryKeys, '']
  const catPool = buildPool(d, ['CODE_CATEGORIE_INSCRIPTION', 'LIBELLE_CATEGORIE_INSCRIPTION'],
    [...categoryEntries().map((e) => e.values), { CODE_CATEGORIE_INSCRIPTION: '', LIBELLE_CATEGORIE_INSCRIPTION: '' }], { upper })
  const { structures: principal, agencyOfCommune } = mainAgencies(rng, communes)
  const delegated = delegatedStructures(rng, communes, departement.code)
  const advisers = Array.from({ length: 40 }, () => `${rng.pick(birth)} ${rng.pick(firstNamesFor(departement.code, rng.chance(0.6) ? 2 : 1))}`)

  const cessation = checked(weighted(layouts, ['MOTIF_CESSATION_IDE', 'LIBELLE_MOTIF_CESSATION_IDE'], cessationEntries, upper), 'MOTIF_CESSATION_IDE', '49', CESSATION_RULES, keys)
  const template = Buffer.alloc(d.length, 0x20)
  template.write('D', getField(d, 'TYPE_ENREGISTREMENT').offset, 'latin1')
  const zone = zoneOf(departement.code)
  template.write(zone, getField(d, 'CODE_INSTITUTION_PE').offset, 'latin1')

  const fieldNames = ['NIR', 'DATE_NAISSANCE', 'STATUT_CERTIFICATION_IDENTITE', 'NUMERO_ALLOCATAIRE_CAF', 'NUMERO_ALLOCATAIRE_MSA',
    'DATE_DEBUT_IDE', 'IDENTIFIANT_PE', 'DATE_CESSATION_IDE', 'DATE_RADIATION', 'DATE_SIGNATURE_PPAE',
    'DATE_NOTIFICATION_PPAE_CER', 'DATE_DERNIER_CONTACT'] as const
  const at = Object.fromEntries(fieldNames.map((n) => [n, getField(d, n)])) as DepartementContext['at']

  return {
    scenario,
    departement,
    layouts,
    mix,
    odds: oddsOf(mix, scenario.rates),
    upper,
    key,
    zone,
    eightDigits: (hashString(`8:${departement.code}`) / 4294967296) < mix.eightDigitIdentifiers,
    surnames: { birth: names(birth, 'NOM_NAISSANCE'), married: names(birth, 'NOM_MARITAL'), long: names(longSurnames(), 'NOM_NAISSANCE') },
    firstNames: { 1: names(firstNamesFor(departement.code, 1), 'PRENOM'), 2: names(firstNamesFor(departement.code, 2), 'PRENOM') },
    communes: communePool(d, communes, upper),
    category: { pool: catPool, index: new WeightedIndex(categoryKeys.map((k) => mix.categories[k])), keys, blank: categoryKeys.length },
    situation: checked(weighted(layouts, ['CODE_SITUATION_EMPLOI', 'LIBELLE_SITUATION_EMPLOI'], situationEntries, upper), 'CODE_SITUATION_EMPLOI', 'SOB', SITUATION_RULES, keys),
    cessation: {
      ...cessation,
      retirement: checked(cessation, 'MOTIF_CESSATION_IDE', '48', CESSATION_RULES, keys).fallback,
      death: checked(cessation, 'MOTIF_CESSATION_IDE', '73', CESSATION_RULES, keys).fallback
    },
    radiation: checked(weighted(layouts, ['MOTIF_RADIATION', 'LIBELLE_MOTIF_RADIATION'], radiationEntries, upper), 'MOTIF_RADIATION', '17', RADIATION_RULES, keys),
    principal: buildPool(d, Object.keys(principal[0] ?? address(rng, communes[0] as Commune, 'SUIVI_PRINCIPAL', '')), principal, { upper }),
    agencyOfCommune,
    delegated: buildPool(d, Object.keys(delegated[0] ?? address(rng, communes[0] as Commune, 'SUIVI_DELEGUE', '')), delegated, { upper }),
    training: weighted(layouts, ['NIVEAU_FORMATION', 'LIBELLE_NIVEAU_FORMATION'], trainingEntries, upper),
    sector: weighted(layouts, ['SECTEUR_FORMATION', 'LIBELLE_SECTEUR_FORMATION'], sectorEntries, upper),
    rome: weighted(layouts, ['CODE_ROME', 'LIBELLE_ROME'], romeEntries, upper),
    adviser: names(advisers, 'CONSEILLER_PE'),
    axis: weighted(layouts, ['AXE_TRAVAIL_PRINCIPAL'], axisEntries, upper),
    modality: weighted(layouts, ['MODALITE_ACCOMPAGNEMENT'], modalityEntries, upper),
    template,
    at
  }
}

function oddsOf (mix: Mix, rates: Rates): Float64Array {
  const odds = new Float64Array(ODDS)
  odds[ODDS_YOUNG] = mix.young
  odds[ODDS_LONG_NAMES] = mix.longNames
  // the products the draw compared with, made once
  odds[ODDS_MARRIED_WOMAN] = mix.marriedName * 1.8
  odds[ODDS_MARRIED_MAN] = mix.marriedName * 0.2
  odds[ODDS_CERTIFIED] = mix.certified
  odds[ODDS_CROSS_BORDER] = mix.crossBorder
  odds[ODDS_CAF] = mix.caf
  odds[ODDS_MSA] = mix.msa
  odds[ODDS_DISPENSE] = mix.categories.dispense
  odds[ODDS_CER] = mix.cer
  odds[ODDS_RADIATION] = rates.radiations
  odds[ODDS_RE_REGISTRATION] = rates.reRegistration
  odds[ODDS_DELEGATED] = Math.min(1, mix.delegated / 0.75)
  return odds
}

function checked (pool: WeightedPool, field: string, fallback: string, rules: ReadonlyMap<string, CodeRule>, categories: readonly string[]): CheckedPool {
  const i = pool.pool.values.findIndex((v) => v[field] === fallback)
  if (i < 0) throw new RangeError(`${field}: no entry ${fallback}`)
  return { ...pool, rules: new RuleTable(pool.pool.values.map((v) => rules.get(v[field] ?? '')), categories), fallback: i }
}

/** Residences weighted by the communes' population. */
function communePool (d: PecgmLayouts['detail'], communes: readonly Commune[], upper: boolean): WeightedPool {
  return {
    pool: buildPool(d, ['CODE_INSEE_RESIDENCE'], communes.map((c) => ({ CODE_INSEE_RESIDENCE: c.code })), { upper }),
    index: new WeightedIndex(communes.map((c) => Math.max(1, c.population)))
  }
}
