import { parseArgs, type ParseArgsConfig } from 'node:util'
import { PhebusError } from '../errors.js'
import { parseIsoDate } from '../layouts/dates.js'

/** Command-line parsing with French messages; every mistake is a PHEBUS_CLI_USAGE error (exit 2). */

export type OptionSpec = NonNullable<ParseArgsConfig['options']>

export function usageError (message: string): PhebusError {
  return new PhebusError('PHEBUS_CLI_USAGE', message)
}

export function parseCommandArgs (command: string, args: string[], options: OptionSpec, positionals = 0): { values: Record<string, string | boolean | undefined>, positionals: string[] } {
  let parsed
  try {
    parsed = parseArgs({ args, options: { ...options, help: { type: 'boolean', short: 'h' } }, allowPositionals: true, strict: true })
  } catch (err) {
    const e = err as Error & { code?: string }
    const m = /'(-{1,2}[^']+)'/.exec(e.message)
    const opt = m?.[1] ?? ''
    if (e.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') throw usageError(`phebus-mock ${command} : option inconnue ${opt}. Voir « phebus-mock ${command} --help ».`)
    if (e.code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw usageError(`phebus-mock ${command} : l'option ${opt.split(' ')[0] ?? opt} attend une valeur.`)
    throw usageError(`phebus-mock ${command} : ${e.message}`)
  }
  if (parsed.positionals.length > positionals) {
    throw usageError(`phebus-mock ${command} : argument en trop « ${parsed.positionals[positionals] ?? ''} ».`)
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals }
}

export function requireString (command: string, values: Record<string, unknown>, name: string): string {
  const v = values[name]
  if (typeof v !== 'string' || v === '') throw usageError(`phebus-mock ${command} : l'option --${name} est obligatoire.`)
  return v
}

export function optionalDate (command: string, values: Record<string, unknown>, name: string): number | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  const day = typeof v === 'string' ? parseIsoDate(v) : null
  if (day === null) throw usageError(`phebus-mock ${command} : --${name} attend une date réelle AAAA-MM-JJ, lu « ${String(v)} ».`)
  return day
}

export function optionalInteger (command: string, values: Record<string, unknown>, name: string, min: number, max: number): number | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !/^[0-9]+$/.test(v) || Number(v) < min || Number(v) > max) {
    throw usageError(`phebus-mock ${command} : --${name} attend un nombre entier de ${min} à ${max}, lu « ${String(v)} ».`)
  }
  return Number(v)
}

export function optionalChoice<T extends string> (command: string, values: Record<string, unknown>, name: string, choices: readonly T[]): T | undefined {
  const v = values[name]
  if (v === undefined) return undefined
  if (typeof v !== 'string' || !(choices as readonly string[]).includes(v)) {
    throw usageError(`phebus-mock ${command} : --${name} attend ${choices.join(' ou ')}, lu « ${String(v)} ».`)
  }
  return v as T
}
