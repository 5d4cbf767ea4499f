import { dayFromYmd } from '../src/layouts/dates.js'

/**
 * When a code of Annexe 4 fits a person: the employment situations and the
 * motifs of cessation and radiation name measures that existed in some
 * years only, concern some categories, one sex or some ages. The generator
 * draws a code, then keeps it only if it fits (rejection), so the weights of
 * employment.ts stay the shares among the codes that fit.
 *
 * The eras are those of the measures in French employment law (the
 * project's reading, docs/donnees-de-reference.md): a situation holds from
 * the day it begins; a motif, on the day of the cessation or radiation.
 */

export interface CodeRule {
  /** first and last day the code may be given (day numbers) */
  from?: number
  to?: number
  /** registration categories it fits ('' for the dispensed) */
  categories?: readonly string[]
  /** 2: women only */
  sex?: 1 | 2
  /** ages (full years) it fits */
  minAge?: number
  maxAge?: number
}

const year = (y: number, m = 1, d = 1): number => dayFromYmd(y, m, d)
const UNEMPLOYED = ['1', '2', '3'] as const
const NOT_AVAILABLE = ['4', '5'] as const

/**
 * CODE_SITUATION_EMPLOI. Categories 1–3 are people without a job and
 * immediately available: only situations that say nothing of a job or a
 * course fit them. Training courses make a person not immediately available
 * (4, or 5 beyond 40 hours, as Annexe 4 says); contracts and jobs are
 * category 5's. The dispensed (blank category) are « Sans objet ».
 */
export const SITUATION_RULES: ReadonlyMap<string, CodeRule> = new Map<string, CodeRule>([
  ['SOB', { categories: [...UNEMPLOYED, ...NOT_AVAILABLE, ''] }],
  ['DIV', { categories: [...UNEMPLOYED, ...NOT_AVAILABLE] }],
  ['DAS', { categories: [...UNEMPLOYED, '4'] }],
  ['ADR', { categories: UNEMPLOYED, from: year(2001), to: year(2011, 12, 31) }],
  ['ASC', { categories: UNEMPLOYED, from: year(2001), to: year(2011, 12, 31) }],
  ['PRR', { categories: NOT_AVAILABLE, from: year(2008) }],
  ['AIF', { categories: NOT_AVAILABLE, to: year(2009, 12, 31) }],
  ['AFO', { categories: NOT_AVAILABLE }],
  ['SAE', { categories: NOT_AVAILABLE, to: year(2009, 12, 31) }],
  ['SMN', { categories: NOT_AVAILABLE }],
  ['SRP', { categories: NOT_AVAILABLE }],
  ['SMO', { categories: NOT_AVAILABLE, to: year(2009, 12, 31) }],
  ['SIV', { categories: NOT_AVAILABLE, to: year(1991, 12, 31), maxAge: 25 }],
  ['SJE', { categories: NOT_AVAILABLE, to: year(1998, 12, 31), maxAge: 25 }],
  ['FNC', { categories: NOT_AVAILABLE, to: year(2008, 12, 31) }],
  ['FNF', { categories: NOT_AVAILABLE, to: year(2008, 12, 31), sex: 2 }],
  ['PLI', { categories: NOT_AVAILABLE, sex: 2 }],
  ['CRP', { categories: ['4'], from: year(2005, 6, 1), to: year(2011, 12, 31) }],
  ['CTP', { categories: ['4'], from: year(2006, 4, 15), to: year(2011, 12, 31) }],
  ['CEN', { categories: NOT_AVAILABLE }],
  ['CAD', { categories: ['5'], to: year(2004, 9, 30), maxAge: 25 }],
  ['COR', { categories: ['5'], to: year(2004, 9, 30), maxAge: 25 }],
  ['CQU', { categories: ['5'], to: year(2004, 9, 30), maxAge: 25 }],
  ['CLO', { categories: ['5'], to: year(2004, 9, 30), maxAge: 25 }],
  ['APP', { categories: ['5'], maxAge: 29 }],
  ['CES', { categories: ['5'], from: year(1990), to: year(2005, 12, 31) }],
  ['CRE', { categories: ['5'], from: year(1989), to: year(1995, 7, 31) }],
  ['CIE', { categories: ['5'], from: year(1995, 7, 1), to: year(2009, 12, 31) }],
  ['CAE', { categories: ['5'], from: year(2005, 5, 1), to: year(2009, 12, 31) }],
  ['CAV', { categories: ['5'], from: year(2005, 3, 1), to: year(2009, 12, 31) }],
  ['RMA', { categories: ['5'], from: year(2004, 1, 1), to: year(2009, 5, 31) }],
  ['PTP', { categories: ['5'] }],
  ['PTC', { categories: ['5'] }],
  ['PEF', { categories: ['5'] }],
  ['PNE', { categories: ['5'] }],
  ['DEP', { categories: ['5'] }]
])

/** MOTIF_CESSATION_IDE. Those Annexe 4 ties to categories (43, 95), to an age (48, 72) or to a measure's years. */
export const CESSATION_RULES: ReadonlyMap<string, CodeRule> = new Map<string, CodeRule>([
  ['18', { to: year(2009, 12, 31) }],
  ['19', { from: year(2005, 5, 1) }],
  ['33', { from: year(2005, 6, 1), to: year(2011, 12, 31) }],
  ['34', { from: year(2009) }],
  ['37', { from: year(2006, 4, 15), to: year(2011, 12, 31) }],
  ['38', { from: year(2006, 4, 15), to: year(2011, 12, 31) }],
  ['39', { from: year(2004), to: year(2014, 12, 31), maxAge: 50 }],
  ['43', { categories: ['5'] }],
  ['48', { minAge: 60 }],
  ['72', { to: year(2011, 12, 31), minAge: 55 }],
  ['95', { categories: ['4', '5'] }]
])

/** MOTIF_RADIATION: the CRP's own refusals and absences existed with it only. */
export const RADIATION_RULES: ReadonlyMap<string, CodeRule> = new Map<string, CodeRule>(
  ['07', '08', '09', '10', '11'].map((code) => [code, { from: year(2005, 6, 1), to: year(2011, 12, 31) }])
)

/** Whether a code with rule `rule` fits on `day` a person of that category, sex and age. */
export function fits (rule: CodeRule | undefined, day: number, category: string, sex: 1 | 2, age: number): boolean {
  if (rule === undefined) return true
  if (rule.from !== undefined && day < rule.from) return false
  if (rule.to !== undefined && day > rule.to) return false
  if (rule.categories !== undefined && !rule.categories.includes(category)) return false
  if (rule.sex !== undefined && rule.sex !== sex) return false
  if (rule.minAge !== undefined && age < rule.minAge) return false
  if (rule.maxAge !== undefined && age > rule.maxAge) return false
  return true
}

/**
 * The rules of a code list's entries in flat arrays, for the generator,
 * which checks a draw or two per person: fitsAt(i, …) answers as
 * fits(rules[i], …) (a rule's fields, each there or not, make objects of
 * many shapes, slow to read in a hot loop), the category given by its index
 * in `categories`. Days and ages are whole numbers.
 */
export class RuleTable {
  readonly from: Int32Array
  readonly to: Int32Array
  /** bit c: the rule fits categories[c] */
  readonly categories: Int32Array
  /** 0: either sex */
  readonly sex: Int8Array
  readonly minAge: Int32Array
  readonly maxAge: Int32Array

  constructor (rules: readonly (CodeRule | undefined)[], categories: readonly string[]) {
    if (categories.length > 31) throw new RangeError('RuleTable: 31 categories at most')
    const n = Math.max(1, rules.length)
    this.from = new Int32Array(n).fill(-2_147_483_648)
    this.to = new Int32Array(n).fill(2_147_483_647)
    this.categories = new Int32Array(n).fill((1 << categories.length) - 1)
    this.sex = new Int8Array(n)
    this.minAge = new Int32Array(n).fill(-2_147_483_648)
    this.maxAge = new Int32Array(n).fill(2_147_483_647)
    rules.forEach((rule, i) => {
      if (rule === undefined) return
      if (rule.from !== undefined) this.from[i] = rule.from
      if (rule.to !== undefined) this.to[i] = rule.to
      const only = rule.categories
      if (only !== undefined) this.categories[i] = categories.reduce((mask, c, bit) => only.includes(c) ? mask | (1 << bit) : mask, 0)
      if (rule.sex !== undefined) this.sex[i] = rule.sex
      if (rule.minAge !== undefined) this.minAge[i] = rule.minAge
      if (rule.maxAge !== undefined) this.maxAge[i] = rule.maxAge
    })
  }

  /** Whether entry `i`'s code fits on `day` a person of category `categories[category]`, that sex and age. */
  fitsAt (i: number, day: number, category: number, sex: 1 | 2, age: number): boolean {
    const only = this.sex[i] as number
    return day >= (this.from[i] as number) && day <= (this.to[i] as number) &&
      ((this.categories[i] as number) & (1 << category)) !== 0 && (only === 0 || only === sex) &&
      age >= (this.minAge[i] as number) && age <= (this.maxAge[i] as number)
  }
}

/** The age reached at which people retire: from 62 a cessation is « Retraite » for most. */
export const RETIREMENT_AGE = 62
/** No one stays registered past this age. */
export const OLDEST_AGE = 66
/** Dispensation of job search (DRE) concerned job seekers of 57 and more, and ended for new entrants on 1 January 2012. */
export const DISPENSE_MIN_AGE = 57
export const DISPENSE_UNTIL = year(2011, 12, 31)
