import type { CliIo } from './io.js'

/**
 * The commands, each loaded when it runs: `generate` never pays for the
 * server's modules, nor `--help` for any. The installed command is built
 * with another copy of this module per command (scripts/bundle.mjs), which
 * holds that command alone (the launcher runs a command's bundle for it
 * only; the names are command-names.ts's).
 */

export type Command = (args: string[], io: CliIo) => Promise<number>

export const COMMANDS: Record<string, () => Promise<Command>> = {
  generate: async () => (await import('./generate.js')).generateCommand,
  scenario: async () => (await import('./scenario.js')).scenarioCommand,
  sample: async () => (await import('./sample.js')).sampleCommand,
  validate: async () => (await import('./validate.js')).validateCommand,
  serve: async () => (await import('./serve.js')).serveCommand,
  qualify: async () => (await import('./qualify.js')).qualifyCommand
}
