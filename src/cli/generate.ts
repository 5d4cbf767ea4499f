import { dirname, join, resolve } from 'node:path'
import { calendarDay } from '../clock.js'
import { compactFromDay, isoFromDay } from '../layouts/dates.js'
import type { Periodicity } from '../generate/pecgm-file.js'
import { PARALLEL_MIN_SLOTS, startHelpers, type PecgmHelpers } from '../generate/helper-threads.js'
import type { Scenario } from '../scenarios/model.js'
import { fileSystemError, PhebusError } from '../errors.js'
import { makeFolders } from '../folders.js'
import { frenchNumber } from '../text/french.js'
import { optionalChoice, optionalDate, optionalFolder, optionalInteger, optionalOutputFile, parseCommandArgs, requireString, usageError } from './args.js'
import { say, type CliIo } from './io.js'
import type { PlannedStock } from './generate-stock.js'
import { MADE_AGAIN, ProvisionalFiles, writeChunks, writeFileAtomically } from './output.js'

// The generator and the scenario reader (TypeBox, YAML) are imported when used: a large file's helper
// threads start first, and load the generator while this thread loads the rest (helper-threads.ts).

export const GENERATE_HELP = `Usage : phebus-mock generate --scenario FICHIER --departement CODE [options]

Écrit le fichier PECGM (Pôle emploi → département) d'un département du scénario.

  --scenario FICHIER     le scénario YAML (par exemple scenarios/demo.yaml)
  --departement CODE     le département : 77, 2A, 971…
  --date AAAA-MM-JJ      la date de référence (par défaut : aujourd'hui) ; le stock du serveur
                         est daté du 1er du mois et fabriqué le premier jour ouvré (--made)
  --made AAAA-MM-JJ      la date de fabrication (par défaut : la date de référence ; pas avant elle)
  --periodicity M|Q      M : stock mensuel (par défaut) ; Q : flux quotidien des entrants du jour
  --records N            la taille de la population, donc du stock (par défaut : celle du scénario) ;
                         la personne n reste la même quelle que soit la taille
  --seed N               remplace la graine du scénario
  -o, --output FICHIER|- le fichier à écrire, - pour la sortie standard
                         (par défaut : le nom de la décision D9 dans le dossier courant)

Une période au lieu d'une date : les fichiers que le serveur y déposerait, et leurs mouvements.

  --from AAAA-MM-JJ --to AAAA-MM-JJ
                         écrit chaque stock mensuel (le premier jour ouvré de chaque mois) et,
                         pour un département « daily » du scénario ou avec --daily, chaque flux
                         quotidien ; plus MOUVEMENTS_<dept>_<du>_<au>.csv : entrées, réinscriptions,
                         changements de catégorie, cessations, radiations, sorties du stock, datés
  --daily                écrit aussi les flux quotidiens d'un département qui n'en a pas
  --output-dir DOSSIER   où les écrire (par défaut : le dossier courant)

Les dates vont du 1980-01-01 au 2099-12-31. Les mêmes entrées donnent les mêmes octets ; une
période s'écrit en entier ou pas du tout. Codes de sortie : 0 écrit, 1 scénario non conforme ou
département absent du scénario, 2 arguments invalides ou fichier illisible.`

export async function generateCommand (args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs('generate', args, {
    scenario: { type: 'string' },
    departement: { type: 'string' },
    date: { type: 'string' },
    made: { type: 'string' },
    periodicity: { type: 'string' },
    records: { type: 'string' },
    seed: { type: 'string' },
    output: { type: 'string', short: 'o' },
    from: { type: 'string' },
    to: { type: 'string' },
    daily: { type: 'boolean' },
    'output-dir': { type: 'string' }
  })
  if (values.help) {
    say(io.stdout, GENERATE_HELP)
    return 0
  }
  // a large stock to disk: its helpers start now (--records known), or once the population is (see below)
  const asked = typeof values.records === 'string' && /^[0-9]+$/.test(values.records) ? Number(values.records) : 0
  const stock = values.from === undefined && values.to === undefined && values.output !== '-' && values.periodicity !== 'Q'
  let helpers: PecgmHelpers | null = stock && asked >= PARALLEL_MIN_SLOTS ? startHelpers() : null
  // the generator (and a large stock's writer) load beside the scenario's modules, their files read meanwhile
  const generator = awaitedLater(import('../generate/pecgm-file.js'))
  const stockWriter = helpers !== null ? awaitedLater(import('./generate-stock.js')) : null
  try {
    const { MAX_POPULATION } = await import('../scenarios/schema.js')
    const scenarioPath = requireString('generate', values, 'scenario')
    const departement = requireString('generate', values, 'departement').toUpperCase()
    const referenceDay = optionalDate('generate', values, 'date') ?? calendarDay(io.now())
    const fabricationDay = optionalDate('generate', values, 'made') ?? referenceDay
    const periodicity: Periodicity = optionalChoice('generate', values, 'periodicity', ['M', 'Q'] as const) ?? 'M'
    const records = optionalInteger('generate', values, 'records', 0, MAX_POPULATION)
    const seed = optionalInteger('generate', values, 'seed', 0, 4_294_967_295)
    const from = optionalDate('generate', values, 'from')
    const to = optionalDate('generate', values, 'to')
    const outputFile = optionalOutputFile(values, [['scenario', scenarioPath]])
    const outputDir = optionalFolder(values, 'output-dir')
    const { loadScenarioFile } = await import('../scenarios/load.js')
    if ((from === undefined) !== (to === undefined)) throw usageError('--from et --to vont ensemble : donnez les deux dates de la période.')
    if (from !== undefined && to !== undefined) {
      for (const alone of ['date', 'made', 'periodicity', 'output'] as const) {
        if (values[alone] !== undefined) throw usageError(`--${alone} ne va pas avec --from et --to : une période écrit ses fichiers sous leurs noms D9.`)
      }
      if (to < from) throw usageError(`--to (${isoFromDay(to)}) est avant --from (${isoFromDay(from)}).`)
      if (to - from > MAX_PERIOD_DAYS) throw usageError(`une période de ${frenchNumber(to - from + 1)} jours : ${frenchNumber(MAX_PERIOD_DAYS + 1)} au plus (cinq ans).`)
      // a period is several files: « - » is not the standard output here, and no folder should get that name by mistake
      if (outputDir === '-') throw usageError('--output-dir - : une période fait plusieurs fichiers, qui ne vont pas sur la sortie standard ; donnez un dossier.')
      const scenario = await loadScenarioFile(scenarioPath)
      return await generatePeriod(io, { scenario, departement, records, seed }, from, to, values.daily === true, outputDir ?? '.')
    }
    if (values.daily !== undefined || values['output-dir'] !== undefined) throw usageError('--daily et --output-dir vont avec une période (--from et --to).')
    // the file tells the people as they are on its reference day: made earlier, its details would be dated after it was made
    if (fabricationDay < referenceDay) throw usageError(`--made (${isoFromDay(fabricationDay)}) est avant --date (${isoFromDay(referenceDay)}) : le fichier montre les personnes telles qu'elles sont à sa date de référence, il est fabriqué ce jour-là ou après. Pour un stock mensuel fabriqué le ${isoFromDay(fabricationDay)}, donnez --date ${isoFromDay(fabricationDay).slice(0, 8)}01.`)
    // the scenario read and the file planned, while what follows goes on
    const planning = awaitedLater((async (): Promise<PlannedStock> => {
      const scenario = await loadScenarioFile(scenarioPath)
      const { planPecgm } = await generator
      const request = { scenario, departement, referenceDay, fabricationDay, periodicity, records, seed }
      // the helpers already started plan the file while this thread does
      helpers?.prepare(request)
      return { request, plan: planPecgm(request) }
    })())
    const { pecgmChunks, pecgmFileName } = await generator
    const output = outputFile ?? pecgmFileName(departement, periodicity, referenceDay, fabricationDay)
    let bytes: number
    if (helpers !== null && stockWriter !== null) {
      // its size known from the start (--records): its file is opened while the scenario is read and planned
      bytes = await (await stockWriter).writeStockFile(resolve(output), planning, helpers)
    } else {
      const { request, plan } = await planning
      if (output === '-') {
        await writeChunks(pecgmChunks(request, plan), io.stdout)
        return 0
      }
      const parallel = periodicity === 'M' && plan.count >= PARALLEL_MIN_SLOTS
      if (parallel && helpers === null) helpers = startHelpers()
      // the same bytes either way: on several threads when there are helpers, else on this one
      bytes = parallel && helpers !== null
        ? await (await import('./generate-stock.js')).writeStockFile(resolve(output), { request, plan }, helpers)
        : await writeFileAtomically(resolve(output), pecgmChunks({ ...request, ring: 2 }, plan), MADE_AGAIN)
    }
    const { plan } = await planning
    const stride = plan.context.layouts.detail.length + plan.terminator.length
    const details = Math.round(bytes / stride) - 2
    say(io.stderr, `${output} : PECGM ${periodicity === 'M' ? 'mensuel' : 'quotidien'} du département ${departement}, référence ${compactFromDay(referenceDay)}, ${frenchNumber(details)} enregistrement(s) détail, ${frenchNumber(bytes)} octets.`)
    return 0
  } finally {
    await helpers?.close()
  }
}

/**
 * Work started ahead of its use: its failure is seen where it is awaited,
 * and not before as a rejection nobody handles yet (which would end the
 * process, where the command says what failed).
 */
function awaitedLater<T> (work: Promise<T>): Promise<T> {
  work.catch(() => {})
  return work
}

/** Five years of files at most: a period's cost grows with its length. */
const MAX_PERIOD_DAYS = 5 * 366

async function generatePeriod (io: CliIo, base: { scenario: Scenario, departement: string, records?: number, seed?: number }, from: number, to: number, forceDaily: boolean, dir: string): Promise<number> {
  const { pecgmChunks, pecgmFileName, planPecgm } = await import('../generate/pecgm-file.js')
  const { movementsCsv, periodFiles } = await import('../generate/movements.js')
  const plan = planPecgm({ ...base, referenceDay: from })
  const d = plan.context.departement
  const target = resolve(dir)
  const files = periodFiles(d.holidays, d.daily || forceDaily, from, to)
  const csv = `MOUVEMENTS_${d.code}_${compactFromDay(from)}_${compactFromDay(to)}.csv`
  // the period is written whole or not at all: what this run made goes if it fails or is stopped midway
  const made = new ProvisionalFiles()
  let stocks = 0
  let fluxes = 0
  try {
    let first: string | undefined
    try {
      first = makeFolders(target)
    } catch (err) {
      throw fileSystemError(err, dir, 'créer le dossier')
    }
    if (first !== undefined) for (const folder of foldersFrom(first, target)) made.add(folder, true)
    // every file to a temporary one beside its target, all put in place by keep() once written: an earlier
    // run's files of the same names (another --seed, --records, scenario) stay as they were until then
    const write = async (name: string, chunks: Iterable<Buffer>): Promise<void> => {
      await made.write(join(target, name), chunks, MADE_AGAIN)
    }
    for (const f of files) {
      await write(pecgmFileName(d.code, f.periodicity, f.referenceDay, f.fabricationDay), pecgmChunks({ ...base, ...f, ring: 2 }))
      if (f.periodicity === 'M') stocks++
      else fluxes++
    }
    await write(csv, [movementsCsv(base, from, to)])
    made.keep()
  } catch (err) {
    const removed = made.removeAll()
    if (!(err instanceof PhebusError)) throw err
    throw new PhebusError(err.code, `${err.message} La période n'est pas écrite : ${removed === 0 ? '' : removed === 1 ? 'le fichier qu\'elle avait préparé est effacé, ' : `les ${frenchNumber(removed)} fichiers qu'elle avait préparés sont effacés, `}${dir} est tel qu'il était.`, { cause: err, position: err.position, details: err.details })
  }
  say(io.stderr, `${dir} : ${stocks} stock(s) mensuel(s), ${fluxes} flux quotidien(s) du département ${d.code} du ${compactFromDay(from)} au ${compactFromDay(to)}, et ${csv}.`)
  return 0
}

/** The folders from `first` (the outermost mkdir made) down to `last`, in that order. */
function foldersFrom (first: string, last: string): string[] {
  const out: string[] = []
  for (let f = last; f.length >= first.length && f !== dirname(f); f = dirname(f)) out.unshift(f)
  return out
}
