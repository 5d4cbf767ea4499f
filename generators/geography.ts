import { readFileSync } from 'node:fs'
import { dataFile } from '../src/paths.js'

/**
 * The official geography (COG), from @etalab/decoupage-administratif, reduced
 * to what the project uses: for each of the 101 départements its most
 * populous communes, with their postcodes and population
 * (generators/data/communes.tsv, made by generators/tools/build-communes.ts).
 */

export interface Commune {
  departement: string
  code: string
  postcodes: readonly string[]
  population: number
  name: string
}

export interface DepartementInfo {
  code: string
  name: string
  population: number
}

let communesByDept: Map<string, Commune[]> | null = null
let departements: DepartementInfo[] | null = null

function rows (file: string): string[][] {
  return readFileSync(dataFile(file), 'utf8').split('\n').slice(1).filter((l) => l !== '').map((l) => l.split('\t'))
}

export function communesOf (departement: string): readonly Commune[] {
  if (communesByDept === null) {
    const m = new Map<string, Commune[]>()
    for (const [dept = '', code = '', postcodes = '', population = '0', name = ''] of rows('communes.tsv')) {
      let list = m.get(dept)
      if (!list) m.set(dept, (list = []))
      list.push({ departement: dept, code, postcodes: postcodes.split(','), population: Number(population), name })
    }
    communesByDept = m
  }
  return communesByDept.get(departement) ?? []
}

export function allDepartements (): readonly DepartementInfo[] {
  if (departements === null) {
    departements = rows('departements.tsv').map(([code = '', name = '', population = '0']) => ({ code, name, population: Number(population) }))
  }
  return departements
}
