import { loadScenarioFile } from '../scenarios/load.js'
import { frenchNumber } from '../text/french.js'
import { parseCommandArgs, usageError } from './args.js'
import { say, type CliIo } from './io.js'

export const SCENARIO_HELP = `Usage : phebus-mock scenario check FICHIER

Vérifie un scénario : chaque problème est donné avec sa ligne et son chemin.
Codes de sortie : 0 conforme, 1 non conforme, 2 fichier illisible ou arguments invalides.`

export async function scenarioCommand (args: string[], io: CliIo): Promise<number> {
  const [sub, ...rest] = args
  if (sub === undefined || sub === '--help' || sub === '-h') {
    say(sub === undefined ? io.stderr : io.stdout, SCENARIO_HELP)
    return sub === undefined ? 2 : 0
  }
  if (sub !== 'check') throw usageError(`sous-commande « ${sub} » inconnue ; seule « check » existe. Voir « phebus-mock scenario --help ».`)
  const { values, positionals } = parseCommandArgs('scenario check', rest, {}, 1)
  if (values.help) {
    say(io.stdout, SCENARIO_HELP)
    return 0
  }
  const file = positionals[0]
  if (!file) throw usageError('indiquez le fichier du scénario. Voir « phebus-mock scenario --help ».')
  const s = await loadScenarioFile(file)
  const people = s.departements.reduce((n, d) => n + d.population, 0)
  say(io.stdout, `${file} : scénario « ${s.name} » conforme.`)
  const listed = s.departements.slice(0, 12).map((d) => `${d.code} (${frenchNumber(d.population)})`).join(', ')
  say(io.stdout, `  ${s.departements.length} département(s) : ${listed}${s.departements.length > 12 ? ', …' : ''}`)
  say(io.stdout, `  ${frenchNumber(people)} personne(s), ${s.individuals.length} individu(s) nommé(s), graine ${s.seed}, fin d'enregistrement ${s.pecgm.terminator}, casse ${s.pecgm.case === 'upper' ? 'majuscules' : 'mixte'}.`)
  return 0
}
