import { resolve } from 'node:path'
import { todayDay } from '../layouts/dates.js'
import { cgpemChunks, type CgpemForm } from '../generate/cgpem-file.js'
import { sampleOrientations } from '../generate/cgpem-sample.js'
import { loadScenarioFile } from '../scenarios/load.js'
import { MAX_POPULATION } from '../scenarios/schema.js'
import { optionalChoice, optionalDate, optionalInteger, parseCommandArgs, requireString, usageError } from './args.js'
import { say, type CliIo } from './io.js'
import { writeChunks, writeFileAtomically } from './output.js'

export const SAMPLE_HELP = `Usage : phebus-mock sample cgpem --scenario FICHIER --departement CODE [options]

Écrit un fichier CGPEM valide, celui qu'enverrait le logiciel du département pour sa population :
une orientation par personne, les six natures 01 à 06, les identifiants Pôle emploi des personnes
orientées vers Pôle emploi, des correspondants fictifs.

  --scenario FICHIER     le scénario YAML
  --departement CODE     le département
  --form xml|fixed       XML (par défaut) ou lignes de largeur fixe (décision D6)
  --date AAAA-MM-JJ      « aujourd'hui » : les décisions sont datées des 120 jours qui précèdent
  --records N            le nombre d'orientations (par défaut : la population du scénario)
  --seed N               remplace la graine du scénario
  --output FICHIER|-     le fichier à écrire (par défaut CGPEM_<dept>_<date>.xml ou .txt), - pour la sortie standard`

export async function sampleCommand (args: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = args
  if (kind === '--help' || kind === '-h') {
    say(io.stdout, SAMPLE_HELP)
    return 0
  }
  if (kind !== 'cgpem') throw usageError(`phebus-mock sample : seul « sample cgpem » existe${kind ? `, lu « ${kind} »` : ''}.`)
  const { values } = parseCommandArgs('sample cgpem', rest, {
    scenario: { type: 'string' },
    departement: { type: 'string' },
    form: { type: 'string' },
    date: { type: 'string' },
    records: { type: 'string' },
    seed: { type: 'string' },
    output: { type: 'string', short: 'o' }
  })
  if (values.help) {
    say(io.stdout, SAMPLE_HELP)
    return 0
  }
  const scenarioPath = requireString('sample cgpem', values, 'scenario')
  const departement = requireString('sample cgpem', values, 'departement').toUpperCase()
  const form: CgpemForm = optionalChoice('sample cgpem', values, 'form', ['xml', 'fixed'] as const) ?? 'xml'
  const today = optionalDate('sample cgpem', values, 'date') ?? todayDay(io.now())
  const records = optionalInteger('sample cgpem', values, 'records', 0, MAX_POPULATION)
  const seed = optionalInteger('sample cgpem', values, 'seed', 0, 4_294_967_295)
  const scenario = await loadScenarioFile(scenarioPath)
  const orientations = sampleOrientations({ scenario, departement, referenceDay: today, today, records, seed })
  const chunks = cgpemChunks(orientations, form)
  const output = typeof values.output === 'string' ? values.output : `CGPEM_${departement}_${new Date(io.now()).toISOString().slice(0, 10).replace(/-/g, '')}.${form === 'xml' ? 'xml' : 'txt'}`
  if (output === '-') {
    await writeChunks(chunks, io.stdout)
    return 0
  }
  const bytes = await writeFileAtomically(resolve(output), chunks)
  say(io.stderr, `${output} : CGPEM ${form === 'xml' ? 'XML' : 'largeur fixe'} du département ${departement}, ${bytes} octets.`)
  return 0
}
