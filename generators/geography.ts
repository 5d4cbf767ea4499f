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

let communesBytes: Buffer | null = null
const communesByDept = new Map<string, readonly Commune[]>()
let departements: DepartementInfo[] | null = null

function rows (file: string): string[][] {
  return readFileSync(dataFile(file), 'utf8').split('\n').slice(1).filter((l) => l !== '').map((l) => l.split('\t'))
}

/** The communes of a département, in the file's order: its lines only are read (a process makes one or a few départements). */
export function communesOf (departement: string): readonly Commune[] {
  let list = communesByDept.get(departement)
  if (list === undefined) {
    // searched as bytes, and only the département's lines decoded: the whole file read as text was most of a plan's
    // reading (its accents make it UTF-8 to decode, then a two-byte string to search)
    const bytes = communesBytes ??= readFileSync(dataFile('communes.tsv'))
    const found: Commune[] = []
    // a line of the département begins after a newline (never the header's, the first line) with its code and a tab
    const start = Buffer.from(`\n${departement}\t`, 'utf8')
    for (let at = bytes.indexOf(start); at >= 0; at = bytes.indexOf(start, at + 1)) {
      const end = bytes.indexOf(0x0A, at + 1)
      const [dept = '', code = '', postcodes = '', population = '0', name = ''] = bytes.toString('utf8', at + 1, end < 0 ? bytes.length : end).split('\t')
      found.push({ departement: dept, code, postcodes: postcodes.split(','), population: Number(population), name })
    }
    communesByDept.set(departement, list = found)
  }
  return list
}

export function allDepartements (): readonly DepartementInfo[] {
  if (departements === null) {
    departements = rows('departements.tsv').map(([code = '', name = '', population = '0']) => ({ code, name, population: Number(population) }))
  }
  return departements
}
