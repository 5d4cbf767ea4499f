import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileSystemError, PhebusError, type ErrorCode } from '../errors.js'
import { packageRoot } from '../paths.js'
import { commandName, isCommand } from './command-names.js'
import { COMMANDS } from './commands.js'
import { isClosedOutput, keepQuietOnClose, say, settledFailure, type CliIo } from './io.js'

export const MAIN_HELP = `phebus-mock : un serveur Phebus factice pour qualifier les échanges PECGM / CGPEM.

Commandes :
  serve      démarre le serveur d'échange (npm start)
  generate   écrit le fichier PECGM d'un département à partir d'un scénario
  validate   valide un fichier CGPEM ou PECGM et dit tout ce qui ne va pas
  scenario   vérifie un scénario (phebus-mock scenario check FICHIER)
  sample     écrit un fichier CGPEM valide, celui qu'enverrait un département (sample cgpem)
  qualify    joue un département qui se qualifie contre un serveur phebus-mock

phebus-mock COMMANDE --help détaille chaque commande ; --version, seul ou après une commande,
affiche la version.`

/** Errors that mean "the input you gave is wrong" (exit 1) rather than "I could not run" (exit 2). */
const INVALID_INPUT: ReadonlySet<ErrorCode> = new Set(['PHEBUS_SCENARIO_SYNTAX', 'PHEBUS_SCENARIO_INVALID', 'PHEBUS_SCENARIO_UNKNOWN_DEPARTEMENT', 'PHEBUS_TEXT_NOT_LATIN1'])

export async function run (argv: string[], io: CliIo): Promise<number> {
  // a reader that stops early (`| head`) ends the command quietly, whatever it was writing
  keepQuietOnClose(io.stdout)
  keepQuietOnClose(io.stderr)
  // « phebus-mock help generate » is « phebus-mock generate --help »
  const [name, ...args] = argv[0] === 'help' && commandName(argv) !== null ? [argv[1] as string, '--help'] : argv
  if (name === '--version' || (name !== undefined && isCommand(name) && asksVersion(args))) {
    say(io.stdout, versionLine())
    return await written(io, 0)
  }
  if (name === 'help' && args[0] !== undefined && args[0] !== 'help') {
    say(io.stderr, `phebus-mock : commande inconnue « ${args[0]} ».\n\n${MAIN_HELP}`)
    return 2
  }
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    say(name === undefined ? io.stderr : io.stdout, MAIN_HELP)
    return name === undefined ? 2 : await written(io, 0)
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined
  if (!load) {
    say(io.stderr, `phebus-mock : commande inconnue « ${name} ».\n\n${MAIN_HELP}`)
    return 2
  }
  try {
    const command = await load()
    const code = await command(args, io)
    // what it wrote may have failed after it was taken (disk full): not a success
    const failure = await settledFailure(io.stdout)
    if (failure !== null) throw failure
    return code
  } catch (caught) {
    if (isClosedOutput(caught)) return 0
    const err = asPhebusError(caught)
    if (err === null) throw caught
    // one prefix: the command's name, put here, whatever the message began with
    say(io.stderr, `phebus-mock ${name} : ${err.message.replace(COMMAND_PREFIX, '')} [${err.code}]`)
    return INVALID_INPUT.has(err.code) ? 1 : 2
  }
}

/** `code`, once what was written to standard output is taken; 2 and the reason when it failed (disk full), as for a command. */
async function written (io: CliIo, code: number): Promise<number> {
  const failure = await settledFailure(io.stdout)
  if (failure === null) return code
  say(io.stderr, `phebus-mock : ${failure.message} [${failure.code}]`)
  return 2
}

/** "phebus-mock generate : ", "phebus-mock sample cgpem : ": what a message must not repeat. */
const COMMAND_PREFIX = /^phebus-mock [a-z-]+(?: [a-z-]+)? : /

/** --version anywhere among a command's options, before a `--`. */
function asksVersion (args: readonly string[]): boolean {
  const end = args.indexOf('--')
  return (end < 0 ? args : args.slice(0, end)).includes('--version')
}

/** "phebus-mock 0.1.0", from package.json: read when asked, no module loaded for it. */
export function versionLine (): string {
  const pkg = JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { name: string, version: string }
  return `${pkg.name} ${pkg.version}`
}

/** A coded error, or a system error on a file (one a command did not wrap) made one; null for a bug. */
function asPhebusError (err: unknown): PhebusError | null {
  if (err instanceof PhebusError) return err
  const e = err as Partial<NodeJS.ErrnoException> | null
  if (typeof e?.code !== 'string' || typeof e.syscall !== 'string' || !/^E[A-Z]+$/.test(e.code)) return null
  const reading = ['open', 'read', 'stat', 'lstat', 'scandir', 'access'].includes(e.syscall)
  return fileSystemError(err, typeof e.path === 'string' ? e.path : '(fichier)', reading ? 'lire' : 'écrire')
}
