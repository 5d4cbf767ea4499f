/** The names of the commands: what the installed command's launcher picks a bundle by. */
export const COMMAND_NAMES = ['generate', 'scenario', 'sample', 'validate', 'serve', 'qualify'] as const

/**
 * The command a command line runs: its first word, or the word after
 * `help` (« phebus-mock help generate » is « generate --help »); null for
 * anything else (--help, --version, an unknown word, nothing).
 */
export function commandName (argv: readonly string[]): string | null {
  const word = argv[0] === 'help' ? argv[1] : argv[0]
  return word !== undefined && isCommand(word) ? word : null
}

/** Whether a word is the name of a command. */
export function isCommand (word: string): boolean {
  return (COMMAND_NAMES as readonly string[]).includes(word)
}
