import { PhebusError, type ErrorCode } from '../errors.js'
import type { CliIo } from './io.js'
import { say } from './io.js'

export const MAIN_HELP = `phebus-mock : un serveur Phebus factice pour qualifier les échanges PECGM / CGPEM.

Commandes :
  serve      démarre le serveur d'échange (npm start)
  generate   écrit le fichier PECGM d'un département à partir d'un scénario
  validate   valide un fichier CGPEM et dit tout ce qui ne va pas
  scenario   vérifie un scénario (phebus-mock scenario check FICHIER)
  sample     écrit un fichier CGPEM valide, celui qu'enverrait un département (sample cgpem)
  qualify    joue un département qui se qualifie contre un serveur phebus-mock

phebus-mock COMMANDE --help détaille chaque commande.`

type Command = (args: string[], io: CliIo) => Promise<number>

/** Each command is loaded when it runs: `generate` never pays for the server's modules, nor `--help` for any. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: async () => (await import('./generate.js')).generateCommand,
  scenario: async () => (await import('./scenario.js')).scenarioCommand,
  sample: async () => (await import('./sample.js')).sampleCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  qualify: async () => (await import('./qualify.js')).qualifyCommand
}

/** Errors that mean "the input you gave is wrong" (exit 1) rather than "I could not run" (exit 2). */
const INVALID_INPUT: ReadonlySet<ErrorCode> = new Set(['PHEBUS_SCENARIO_SYNTAX', 'PHEBUS_SCENARIO_INVALID', 'PHEBUS_SCENARIO_UNKNOWN_DEPARTEMENT', 'PHEBUS_TEXT_NOT_LATIN1'])

export async function run (argv: string[], io: CliIo): Promise<number> {
  const [name, ...args] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    say(name === undefined ? io.stderr : io.stdout, MAIN_HELP)
    return name === undefined ? 2 : 0
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!load) {
    say(io.stderr, `phebus-mock : commande inconnue « ${name} ».\n\n${MAIN_HELP}`)
    return 2
  }
  try {
    const command = await load()
    return await command(args, io)
  } catch (err) {
    if (err instanceof PhebusError) {
      say(io.stderr, `phebus-mock ${name} : ${err.message} [${err.code}]`)
      return INVALID_INPUT.has(err.code) ? 1 : 2
    }
    throw err
  }
}
