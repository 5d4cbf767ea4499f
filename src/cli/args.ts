import { statSync } from 'node:fs'
import { parseArgs, type ParseArgsConfig } from 'node:util'
import { PhebusError } from '../errors.js'
import { EXCHANGE_RANGE_TEXT, isExchangeDay, parseIsoDate } from '../layouts/dates.js'
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
    // one with no name (--=x) is shown whole, between guillemets: « option inconnue --. » said nothing
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION': return /^-+$/.test(option) ? `option inconnue « ${quoted} ».` : `option inconnue ${option}.`
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
  if (day === null || !isExchangeDay(day)) {
    // a real date out of the range (1899-12-31 included, which parseIsoDate refuses) is told as such
    // (Date.parse reads a month 13 as NaN, whose toISOString throws: « 2026-13-02 » ended the command with a RangeError)
    const text = String(v)
    const at = /^[0-9]{4}-[0-9]{2}-[0-9]{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN
    const real = typeof v === 'string' && !Number.isNaN(at) && new Date(at).toISOString().startsWith(text)
    throw real ? outOfExchangeRange(name, text) : usageError(`--${name} attend une date réelle AAAA-MM-JJ, lu « ${text} ».`)
  }
  return day
}

/** A date option (--date, --now…) that reads well but is not one an exchange may have (isExchangeDay). */
export function outOfExchangeRange (name: string, text: string, label = `--${name}`): PhebusError {
  return usageError(`${label} attend une date ${EXCHANGE_RANGE_TEXT} (les dates d'un échange que le simulateur sait faire), lu « ${text} ».`)
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

/**
 * The file --output (or `name`) names, when given: never empty, never a
 * folder's name (a trailing slash: the file would take the folder's name),
 * never one of the files the command reads (`inputs`: option and path),
 * which writing it would destroy. « - » (standard output) passes.
 */
export function optionalOutputFile (values: Record<string, unknown>, inputs: readonly [string, string | undefined][], name = 'output'): string | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v === '') throw usageError(`--${name} attend le nom du fichier à écrire, lu « ${String(v)} ».`)
  if (v === '-') return v
  if (v.endsWith('/')) throw usageError(`--${name} ${v} : un nom de fichier est attendu, pas un dossier.`)
  const out = identity(v)
  for (const [option, path] of inputs) {
    if (out !== null && path !== undefined && identity(path) === out) {
      throw usageError(`--${name} ${v} est le fichier que la commande lit (--${option}) : il serait écrasé. Donnez un autre nom.`)
    }
  }
  return v
}

/** A file's device and inode (the same file under any path, a link included), null when there is none. */
function identity (path: string): string | null {
  try {
    const s = statSync(path)
    return `${s.dev}:${s.ino}`
  } catch {
    return null
  }
}

/** The folder --output-dir (or `name`) names, when given: never empty. */
export function optionalFolder (values: Record<string, unknown>, name: string): string | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || v === '') throw usageError(`--${name} attend un dossier, lu « ${String(v)} ».`)
  return v
}
