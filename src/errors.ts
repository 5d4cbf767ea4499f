/**
 * Every error that stops a command carries a stable code, declared here and
 * listed in docs/erreurs.md (a test keeps both in step). Problems found in a
 * file are not errors: they are returned as findings.
 */
export const ERROR_CODES = {
  // text
  PHEBUS_TEXT_NOT_LATIN1: 'Caractère hors ISO-8859-1',
  // layouts
  PHEBUS_LAYOUT_INVALID: 'Description de mise en forme incohérente',
  PHEBUS_LAYOUT_UNKNOWN_FIELD: 'Zone inconnue dans la mise en forme',
  PHEBUS_LAYOUT_UNKNOWN_VERSION: 'Version de mise en forme inconnue',
  // scenarios
  PHEBUS_SCENARIO_UNREADABLE: 'Scénario illisible',
  PHEBUS_SCENARIO_SYNTAX: 'Scénario : YAML mal formé',
  PHEBUS_SCENARIO_INVALID: 'Scénario non conforme',
  PHEBUS_SCENARIO_UNKNOWN_DEPARTEMENT: 'Département absent du scénario',
  // generation
  PHEBUS_GENERATE_CAPACITY: 'Plus de NIR fictif unique disponible',
  // command line
  PHEBUS_CLI_USAGE: 'Arguments invalides',
  PHEBUS_IO: 'Erreur d\'entrée/sortie'
} as const

export type ErrorCode = keyof typeof ERROR_CODES

export interface ErrorPosition {
  file?: string
  line?: number
  column?: number
  path?: string
}

export class PhebusError extends Error {
  readonly code: ErrorCode
  readonly position: ErrorPosition | undefined
  readonly details: readonly string[]

  constructor (code: ErrorCode, message: string, options: { position?: ErrorPosition, details?: readonly string[], cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'PhebusError'
    this.code = code
    this.position = options.position
    this.details = options.details ?? []
  }
}

/** "fichier:ligne:colonne" as editors and terminals understand it. */
export function formatPosition (p: ErrorPosition): string {
  let s = p.file ?? ''
  if (p.line !== undefined) s += `${s ? ':' : 'ligne '}${p.line}`
  if (p.line !== undefined && p.column !== undefined) s += `:${p.column}`
  if (p.path) s += `${s ? ' ' : ''}(${p.path})`
  return s
}
