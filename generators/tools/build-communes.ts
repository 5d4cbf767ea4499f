/**
 * Builds generators/data/communes.tsv and generators/data/departements.tsv.
 *
 * Source: the official geography (Code officiel géographique, COG, of INSEE)
 * as packaged by Etalab in the npm package @etalab/decoupage-administratif
 * (version 6.0.0, a devDependency of this project), files data/communes.json
 * and data/departements.json, with the postcodes (La Poste) and the legal
 * populations that package carries.
 *
 * Kept: the 101 départements (96 metropolitan, 2A and 2B included, and the
 * five DROM 971, 972, 973, 974, 976; not 975, 977, 978 nor the COM of the
 * Pacific). For each, the communes of type 'commune-actuelle' (Paris, Lyon
 * and Marseille are 75056, 69123 and 13055, never their arrondissements), at
 * most the 150 most populous. A département's population is the sum of the
 * populations of all its current communes.
 *
 * Run it again after upgrading the package:
 *   node --import=tsx generators/tools/build-communes.ts
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

interface SourceCommune {
  code: string
  nom: string
  type: string
  departement?: string
  codesPostaux?: string[]
  population?: number
}

interface SourceDepartement {
  code: string
  nom: string
  zone: string
}

const MAX_COMMUNES = 150
const ZONES = new Set(['metro', 'drom'])

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..')
const source = join(root, 'node_modules', '@etalab', 'decoupage-administratif')
const out = join(root, 'generators', 'data')

function readJson<T> (path: string): T {
  return JSON.parse(readFileSync(path, 'utf8')) as T
}

function clean (s: string): string {
  return s.replace(/[\t\r\n]/g, ' ')
}

const version = readJson<{ version: string }>(join(source, 'package.json')).version
const communes = readJson<SourceCommune[]>(join(source, 'data', 'communes.json'))
const departements = readJson<SourceDepartement[]>(join(source, 'data', 'departements.json'))
  .filter((d) => ZONES.has(d.zone))

if (departements.length !== 101) {
  throw new Error(`101 départements attendus, ${departements.length} trouvés`)
}

const byDept = new Map<string, SourceCommune[]>()
for (const c of communes) {
  if (c.type !== 'commune-actuelle' || c.departement === undefined) continue
  let list = byDept.get(c.departement)
  if (!list) byDept.set(c.departement, (list = []))
  list.push(c)
}

const communeLines = ['departement\tcode\tcodesPostaux\tpopulation\tnom']
const departementLines = ['code\tnom\tpopulation']
let skipped = 0
for (const d of departements) {
  const all = byDept.get(d.code) ?? []
  const population = all.reduce((sum, c) => sum + (c.population ?? 0), 0)
  departementLines.push(`${d.code}\t${clean(d.nom)}\t${population}`)
  const kept = all
    .filter((c) => {
      const ok = (c.codesPostaux ?? []).length > 0 && c.code.startsWith(d.code)
      if (!ok) skipped++
      return ok
    })
    .sort((a, b) => (b.population ?? 0) - (a.population ?? 0) || a.code.localeCompare(b.code))
    .slice(0, MAX_COMMUNES)
  for (const c of kept) {
    const postcodes = [...new Set(c.codesPostaux)].sort()
    communeLines.push(`${d.code}\t${c.code}\t${postcodes.join(',')}\t${c.population ?? 0}\t${clean(c.nom)}`)
  }
}

writeFileSync(join(out, 'communes.tsv'), communeLines.join('\n') + '\n')
writeFileSync(join(out, 'departements.tsv'), departementLines.join('\n') + '\n')
console.log(`@etalab/decoupage-administratif ${version}: ${departements.length} départements, ` +
  `${communeLines.length - 1} communes (${skipped} sans code postal ou hors département, écartées)`)
