import { basename, dirname } from 'node:path'

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
  // serve, once started
  PHEBUS_SERVER_READY_FILE: 'Fichier --ready-file impossible à écrire',
  // qualify, against a server
  PHEBUS_QUALIFY_UNREACHABLE: 'Serveur injoignable',
  PHEBUS_QUALIFY_REFUSED: 'Requête refusée par le serveur',
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

export type FileAction = 'lire' | 'écrire' | 'créer le dossier'

/**
 * A file-system error (ENOENT, EACCES, ENOSPC…) told in French, naming the
 * file the user gave rather than the one the system tried (never a
 * temporary file): "Dossier introuvable : /a/b (pour écrire g.txt)".
 */
export function fileSystemReason (err: unknown, path: string, action: FileAction): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code
  const writing = action !== 'lire'
  switch (code) {
    case 'ENOENT':
      // makeFolders (folders.ts) makes each missing folder under one it found: its ENOENT is a folder that takes none (/proc)
      if (action === 'créer le dossier') {
        const at = (err as NodeJS.ErrnoException).path ?? path
        return `${dirname(at)} existe, mais son système de fichiers n'y accepte aucun nouveau dossier (un système virtuel comme /proc ou /sys) : ${at} ne peut pas y être créé`
      }
      return writing ? `Dossier introuvable : ${dirname(path)} (pour écrire ${basename(path)})` : `Fichier introuvable : ${path}`
    case 'ENOTDIR': return `Dossier introuvable : un élément du chemin ${path} n'est pas un dossier`
    case 'EISDIR': return writing ? `${path} est un dossier : donnez le nom d'un fichier` : `${path} est un dossier, pas un fichier`
    case 'EACCES':
    case 'EPERM': return writing ? `Permission refusée : impossible d'écrire dans ${action === 'écrire' ? dirname(path) : path}` : `Permission refusée : ${path} ne peut pas être lu`
    case 'ENOSPC':
    case 'EDQUOT': return `Disque plein (ou quota atteint) : ${path} n'a pas pu être écrit en entier ; rien n'a été gardé`
    case 'EROFS': return `Système de fichiers en lecture seule : impossible d'écrire ${path}`
    case 'EEXIST': return action === 'créer le dossier' ? `${path} existe déjà et n'est pas un dossier` : `${path} existe déjà`
    case 'EMFILE':
    case 'ENFILE': return `Trop de fichiers ouverts à la fois : impossible d'ouvrir ${path}`
    case 'ENAMETOOLONG': return `Nom trop long : ${path}`
    case 'ELOOP': return `Trop de liens symboliques en chaîne : ${path}`
    case 'EIO': return `Erreur matérielle de lecture ou d'écriture du disque : ${path}`
    case 'EFBIG': return `Fichier trop grand pour la limite du système (EFBIG : ulimit -f, ou la taille maximale d'un fichier de ce système de fichiers) : ${path} n'a pas pu être écrit en entier ; rien n'a été gardé`
    case 'ENXIO': return writing ? `${path} n'est pas un fichier où écrire (une socket, ou un périphérique absent ou sans lecteur : un tube nommé que personne ne lit, /dev/tty sans terminal) (ENXIO)` : `${path} ne peut pas être lu : une socket, ou un périphérique absent (ENXIO)`
    default: return `Impossible ${action === 'écrire' ? 'd\'écrire' : `de ${action}`} ${path} (erreur système ${code ?? 'inconnue'})`
  }
}

/** A PHEBUS_IO error for a file the user named. */
export function fileSystemError (err: unknown, path: string, action: FileAction): PhebusError {
  return new PhebusError('PHEBUS_IO', `${fileSystemReason(err, path, action)}.`, { position: { file: path }, cause: err })
}
