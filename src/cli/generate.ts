import { resolve } from 'node:path'
import { compactFromDay, todayDay } from '../layouts/dates.js'
import { pecgmChunks, pecgmFileName, planPecgm, type Periodicity } from '../generate/pecgm-file.js'
import { loadScenarioFile } from '../scenarios/load.js'
import { MAX_POPULATION } from '../scenarios/schema.js'
import { optionalChoice, optionalDate, optionalInteger, parseCommandArgs, requireString } from './args.js'
import { say, type CliIo } from './io.js'
import { writeChunks, writeFileAtomically } from './output.js'

export const GENERATE_HELP = `Usage : phebus-mock generate --scenario FICHIER --departement CODE [options]

Écrit le fichier PECGM (Pôle emploi → département) d'un département du scénario.

  --scenario FICHIER     le scénario YAML (par exemple scenarios/demo.yaml)
  --departement CODE     le département : 77, 2A, 971…
  --date AAAA-MM-JJ      la date de référence (par défaut : aujourd'hui) ;
                         pour un fichier mensuel, son mois est le mois de référence
  --made AAAA-MM-JJ      la date de fabrication (par défaut : la date de référence)
  --periodicity M|Q      M : stock mensuel (par défaut) ; Q : flux quotidien des nouveaux entrants
  --records N            le nombre d'enregistrements détail (par défaut : la population du scénario)
  --seed N               remplace la graine du scénario
  --output FICHIER|-     le fichier à écrire, - pour la sortie standard
                         (par défaut : le nom de la décision D9 dans le dossier courant)

Les mêmes entrées donnent les mêmes octets. Codes de sortie : 0 écrit, 1 scénario non conforme,
2 arguments invalides ou fichier illisible.`

export async function generateCommand (args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('generate', args, {
    scenario: { type: 'string' },
    departement: { type: 'string' },
    date: { type: 'string' },
    made: { type: 'string' },
    periodicity: { type: 'string' },
    records: { type: 'string' },
    seed: { type: 'string' },
    output: { type: 'string', short: 'o' }
  })
  if (values.help) {
    say(io.stdout, GENERATE_HELP)
    return 0
  }
  const scenarioPath = requireString('generate', values, 'scenario')
  const departement = requireString('generate', values, 'departement').toUpperCase()
  const referenceDay = optionalDate('generate', values, 'date') ?? todayDay(io.now())
  const fabricationDay = optionalDate('generate', values, 'made') ?? referenceDay
  const periodicity: Periodicity = optionalChoice('generate', values, 'periodicity', ['M', 'Q'] as const) ?? 'M'
  const records = optionalInteger('generate', values, 'records', 0, MAX_POPULATION)
  const seed = optionalInteger('generate', values, 'seed', 0, 4_294_967_295)
  const scenario = await loadScenarioFile(scenarioPath)
  const request = { scenario, departement, referenceDay, fabricationDay, periodicity, records, seed }
  const plan = planPecgm(request)
  const output = typeof values.output === 'string' ? values.output : pecgmFileName(departement, periodicity, referenceDay, fabricationDay)
  if (output === '-') {
    await writeChunks(pecgmChunks(request, plan), io.stdout)
    return 0
  }
  const bytes = await writeFileAtomically(resolve(output), pecgmChunks({ ...request, ring: 2 }, plan))
  say(io.stderr, `${output} : PECGM ${periodicity === 'M' ? 'mensuel' : 'quotidien'} du département ${departement}, référence ${compactFromDay(referenceDay)}, ${plan.count} enregistrement(s) détail, ${bytes} octets.`)
  return 0
}
