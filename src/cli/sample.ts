import { resolve } from 'node:path'
import { calendarDay } from '../clock.js'
import { compactFromDay, isoFromDay } from '../layouts/dates.js'
import { cgpemChunks, type CgpemForm, type Orientation } from '../generate/cgpem-file.js'
import { sampleOrientations } from '../generate/cgpem-sample.js'
import { qualificationOrientations } from '../generate/qualification-cgpem.js'
import { buildSample, sampleJson } from '../qualification/sample.js'
import { loadScenarioFile } from '../scenarios/load.js'
import type { Scenario } from '../scenarios/model.js'
import { MAX_POPULATION } from '../scenarios/schema.js'
import { PhebusError } from '../errors.js'
import { frenchNumber } from '../text/french.js'
import { readAnswerPecgm } from './answer-pecgm.js'
import { optionalChoice, optionalDate, optionalInteger, optionalOutputFile, parseCommandArgs, requireString, usageError } from './args.js'
import { say, type CliIo } from './io.js'
import { MADE_AGAIN, writeChunks, writeFileAtomically } from './output.js'

export const SAMPLE_HELP = `Usage : phebus-mock sample cgpem --scenario FICHIER --departement CODE [options]

Écrit un fichier CGPEM valide, celui qu'enverrait le logiciel du département pour sa population :
une orientation par personne, les six natures 01 à 06, les identifiants Pôle emploi des personnes
orientées vers Pôle emploi, des correspondants fictifs.

  --scenario FICHIER     le scénario YAML
  --departement CODE     le département
  --form xml|fixed       XML (par défaut) ou lignes de largeur fixe (décision D6)
  --date AAAA-MM-JJ      « aujourd'hui » (par défaut : aujourd'hui) : les décisions sont datées
                         des 120 jours qui précèdent
  --records N            le nombre d'orientations (par défaut : la population du scénario)
  --seed N               remplace la graine du scénario
  -o, --output FICHIER|- le fichier à écrire (par défaut CGPEM_<dept>_<date>.xml ou .txt), - pour la sortie standard

Se qualifier à la main (annexe 2, étape 2), avec les CGPEM que déposerait « phebus-mock qualify » :
  --qualification        le CGPEM des seules personnes de l'échantillon de qualification (celles de
                         GET /api/v1/qualification/sample) : une orientation par personne, les
                         natures 01 à 06 à tour de rôle, des décisions datées de --date et des
                         19 jours qui précèdent. Le serveur tire l'échantillon du jour où la
                         qualification a commencé, qu'il donne dans planning.debut de
                         GET /api/v1/qualification : passez ce jour-là à --date (par défaut :
                         aujourd'hui). Sans --records ni --seed.
  --pecgm FICHIER        avec --qualification : le PECGM que le serveur a déposé en retour du
                         premier CGPEM ; chaque orientation vers Pôle emploi (05, 06) d'une personne
                         qu'il contient porte le code et l'identifiant Pôle emploi qu'il donne
                         (c'est le second CGPEM, contrôle « aller-retour »)

Par exemple, pour une qualification commencée le 27 novembre 2026 :
  phebus-mock sample cgpem --scenario scenarios/demo.yaml --departement 77 --qualification --date 2026-11-27 -o cgpem-1.xml
  (déposer cgpem-1.xml, puis télécharger le PECGM déposé en retour, ici pecgm-retour.txt)
  phebus-mock sample cgpem --scenario scenarios/demo.yaml --departement 77 --qualification --date 2026-11-27 --pecgm pecgm-retour.txt -o cgpem-2.xml

Un département de population 0 n'a personne à orienter : sans --records, la commande refuse (code 1)
plutôt que d'écrire un CGPEM sans orientation, que la validation refuse.

Codes de sortie : 0 écrit, 1 scénario non conforme, département absent ou de population 0,
2 arguments invalides, fichier illisible ou PECGM (--pecgm) qui n'est pas celui du département.`

export async function sampleCommand (args: string[], io: CliIo): Promise<number> {
  const [kind, ...rest] = args
  if (kind === '--help' || kind === '-h') {
    say(io.stdout, SAMPLE_HELP)
    return 0
  }
  if (kind !== 'cgpem') throw usageError(`seul « sample cgpem » existe${kind ? `, lu « ${kind} »` : ''}. Voir « phebus-mock sample --help ».`)
  const { values } = parseCommandArgs(COMMAND, rest, {
    scenario: { type: 'string' },
    departement: { type: 'string' },
    form: { type: 'string' },
    date: { type: 'string' },
    records: { type: 'string' },
    seed: { type: 'string' },
    output: { type: 'string', short: 'o' },
    qualification: { type: 'boolean' },
    pecgm: { type: 'string' }
  })
  if (values.help) {
    say(io.stdout, SAMPLE_HELP)
    return 0
  }
  const scenarioPath = requireString(COMMAND, values, 'scenario')
  const departement = requireString(COMMAND, values, 'departement').toUpperCase()
  const form: CgpemForm = optionalChoice(COMMAND, values, 'form', ['xml', 'fixed'] as const) ?? 'xml'
  const today = optionalDate(COMMAND, values, 'date') ?? calendarDay(io.now())
  const records = optionalInteger(COMMAND, values, 'records', 1, MAX_POPULATION)
  const seed = optionalInteger(COMMAND, values, 'seed', 0, 4_294_967_295)
  const qualification = values.qualification === true
  const pecgm = values.pecgm
  if (pecgm !== undefined && !qualification) throw usageError('--pecgm ne s\'emploie qu\'avec --qualification (le PECGM déposé en retour du premier CGPEM de qualification).')
  if (pecgm === '') throw usageError('--pecgm attend un fichier.')
  if (qualification && records !== undefined) throw usageError('--records ne s\'emploie pas avec --qualification : l\'échantillon a la taille que fixe le scénario (qualification.sampleSize).')
  // the server has no other seed than its scenario's: another one draws a sample it never gives, and a CGPEM of nobody in it
  if (qualification && seed !== undefined) throw usageError('--seed ne s\'emploie pas avec --qualification : le serveur tire l\'échantillon de la graine du scénario ; une autre graine donnerait des personnes qu\'il n\'a pas tirées, qu\'aucune orientation ne rapprocherait.')
  const outputFile = optionalOutputFile(values, [['scenario', scenarioPath], ['pecgm', typeof pecgm === 'string' ? pecgm : undefined]])
  const scenario = await loadScenarioFile(scenarioPath)
  // nobody to orient: a CGPEM without any orientation is one validate and the server refuse (CGPEM_NO_ORIENTATION)
  const population = scenario.departements.find((d) => d.code === departement)?.population
  if (population === 0 && (qualification || records === undefined)) {
    throw new PhebusError('PHEBUS_SCENARIO_INVALID', `le département ${departement} a une population de 0 dans le scénario ${scenarioPath} : son CGPEM n'aurait aucune orientation, ce que la validation refuse (CGPEM_NO_ORIENTATION). Donnez au département une population d'au moins 1${qualification ? '' : ', ou --records N'}.`, { position: { file: scenarioPath } })
  }
  let orientations: Iterable<Orientation>
  let summary: string
  if (qualification) {
    const made = await qualificationCgpem(scenario, departement, today, typeof pecgm === 'string' ? pecgm : undefined, io)
    orientations = made.orientations
    summary = made.summary
  } else {
    orientations = sampleOrientations({ scenario, departement, referenceDay: today, today, records, seed })
    summary = `CGPEM ${form === 'xml' ? 'XML' : 'largeur fixe'} du département ${departement}`
  }
  const chunks = cgpemChunks(orientations, form)
  // named after its date, as generate names a PECGM after its reference (D9)
  const output = outputFile ?? `CGPEM_${departement}_${compactFromDay(today)}.${form === 'xml' ? 'xml' : 'txt'}`
  if (output === '-') {
    await writeChunks(chunks, io.stdout)
    return 0
  }
  const bytes = await writeFileAtomically(resolve(output), chunks, MADE_AGAIN)
  say(io.stderr, `${output} : ${summary}, ${frenchNumber(bytes)} octets.`)
  return 0
}

const COMMAND = 'sample cgpem'

/** The qualification CGPEM of the sample the server draws on `day`, with the identifiers of the answer PECGM when given. */
async function qualificationCgpem (scenario: Scenario, departement: string, day: number, pecgm: string | undefined, io: CliIo): Promise<{ orientations: Orientation[], summary: string }> {
  const sample = sampleJson(buildSample(scenario, departement, day))
  const answer = pecgm === undefined ? undefined : await readAnswerPecgm('--pecgm', pecgm, departement, sample)
  const orientations = qualificationOrientations(sample, day, { identifiers: answer?.identifiers })
  let summary = `CGPEM de qualification du département ${departement}, échantillon du ${isoFromDay(day)} (${sample.length} personnes)`
  if (answer && pecgm !== undefined) {
    const carried = orientations.filter((o) => o.IDENTIFIANT_PE).length
    summary += `, ${carried} orientation(s) vers Pôle emploi avec le code et l'identifiant donnés par ${pecgm}`
    if (answer.details > 0 && answer.matched === 0) {
      say(io.stderr, `Attention : aucune des ${answer.details} personne(s) de ${pecgm} n'est dans l'échantillon du ${isoFromDay(day)}. --date est-il bien le jour où la qualification a commencé (planning.debut de GET /api/v1/qualification) ?`)
    }
  }
  return { orientations, summary }
}
