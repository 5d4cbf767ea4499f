import { parseArgs, type ParseArgsConfig } from 'node:util'
import { PhebusError } from '../errors.js'
import { parseIsoDate } from '../layouts/dates.js'
import { frenchNumber } from '../text/french.js'

/**
 * Command-line parsing with French messages; every mistake is a
 * PHEBUS_CLI_USAGE error (exit 2). Messages do not name the command:
 * run.ts puts « phebus-mock COMMANDE : » before them, once.
 */

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

export function usageError (message: string): PhebusError {
  return new PhebusError('PHEBUS_CLI_USAGE', message)
}

export function parseCommandArgs (command: string, args: string[], options: OptionSpec, positionals = 0): { values: Record<string, string | boolean | undefined>, positionals: string[] } {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (err) {
    throw usageError(`${parseArgsProblem(err as Error & { code?: string })} Voir « phebus-mock ${command} --help ».`)
  }
  if (parsed.positionals.length > positionals) {
    throw usageError(`argument en trop « ${parsed.positionals[positionals] ?? ''} ». Voir « phebus-mock ${command} --help ».`)
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals }
}

/** What node:util's parseArgs refused, in French (its own messages are English). */
function parseArgsProblem (e: Error & { code?: string }): string {
  // "Unknown option '--x'", "Option '-o, --output <value>' argument missing": the long name when there is one
  const quoted = /'([^']*)'/.exec(e.message)?.[1] ?? ''
  const option = /--[^\s<,=]+/.exec(quoted)?.[0] ?? /-[^\s<,=]+/.exec(quoted)?.[0] ?? quoted
  switch (e.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return `option inconnue ${option}.`
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(e.message)) return `l'option ${option} ne prend pas de valeur.`
      if (/ambiguous/.test(e.message)) return `l'option ${option} attend une valeur ; une valeur qui commence par un tiret s'écrit ${option}=VALEUR.`
      return `l'option ${option} attend une valeur.`
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': return 'argument en trop.'
    default: return 'arguments illisibles.'
  }
}

export function requireString (command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name]
  if (typeof v !== 'string' || v === '') throw usageError(`l'option --${name} est obligatoire. Voir « phebus-mock ${command} --help ».`)
  return v
}

export function optionalDate (command: string, values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  const day = typeof v === 'string' ? parseIsoDate(v) : null
  if (day === null) throw usageError(`--${name} attend une date réelle AAAA-MM-JJ, lu « ${String(v)} ».`)
  return day
}

export function optionalInteger (command: string, values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw usageError(`--${name} attend un nombre entier de ${frenchNumber(min)} à ${frenchNumber(max)}, lu « ${String(v)} ».`)
  }
  return Number(v)
}

export function optionalChoice<T extends string> (command: string, values: Record<string, unknown>, name: string, choices: readonly T[]): T | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw usageError(`--${name} attend ${choices.join(' ou ')}, lu « ${String(v)} ».`)
  }
  return v as T
}
