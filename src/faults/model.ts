import { frenchNumber } from '../text/french.js'
import { DEPARTEMENT_CODE } from '../layouts/departements.js'
import { FILE_NAME_RULE } from '../layouts/file-names.js'

/**
 * Faults on demand (docs/pannes.md): what the real exchange does on a bad
 * day, provoked on purpose and the same way every run. Two families:
 *
 * - damaged deposits: a PECGM deposited with its bytes damaged (the file is
 *   stored as deposited, its SHA-256 that of the damaged bytes), then
 *   followed by a correct one;
 * - HTTP faults: what goes on the wire for a département's requests (a
 *   status, a delay, a slow body, a reset), never what is stored.
 *
 * Each fault has a stable code; its title, what it does and what the
 * département's software should do about it are said once, here.
 */

export interface FaultCodeInfo {
  readonly title: string
  /** what the fault does, in French */
  readonly effect: string
  /** what the département's software should do about it, in French */
  readonly expected: string
}

export const DAMAGE_CODES = {
  truncated: {
    title: 'Fichier tronqué',
    effect: 'Le fichier s\'arrête au milieu d\'un enregistrement détail : la fin de cet enregistrement, les suivants et l\'enregistrement de fin manquent (au milieu de l\'enregistrement de fin, pour un fichier sans détail).',
    expected: 'Voir que l\'enregistrement de fin (F) manque et que le dernier enregistrement est incomplet ; ne rien intégrer du fichier, le signaler, et reprendre la version correcte déposée ensuite.'
  },
  'footer-count': {
    title: 'Nombre d\'enregistrements faux',
    effect: 'L\'enregistrement de fin annonce un nombre d\'enregistrements détail (NB_ENREGISTREMENTS) qui n\'est pas celui du fichier.',
    expected: 'Compter les enregistrements D et comparer au nombre annoncé ; rejeter le fichier entier en cas d\'écart.'
  },
  'header-missing': {
    title: 'Entête absent',
    effect: 'Le fichier commence directement par un enregistrement détail : l\'enregistrement d\'entête (E) manque.',
    expected: 'Refuser un fichier qui ne commence pas par l\'entête E : sans lui, ni la période, ni le département, ni la version ne sont connus.'
  },
  'record-length': {
    title: 'Enregistrement de mauvaise longueur',
    effect: 'Un enregistrement détail (l\'enregistrement de fin, pour un fichier sans détail) a quelques caractères de moins que les 1 200 prévus (décision D1).',
    expected: 'Contrôler la longueur de chaque enregistrement ; rejeter le fichier, ou au moins l\'enregistrement, en le signalant avec son numéro.'
  },
  'crlf-last-line': {
    title: 'Fin de ligne différente sur la dernière ligne',
    effect: 'La dernière ligne ne finit pas comme les autres (décision D2) : CR LF quand les autres finissent par LF ; LF seul quand elles finissent par CR LF ; CR LF ajouté après l\'enregistrement de fin d\'un fichier sans fins de ligne.',
    expected: 'Ne pas compter le CR dans l\'enregistrement : lire la fin de ligne du fichier et signaler celle qui diffère.'
  },
  'no-final-newline': {
    title: 'Dernière ligne sans fin de ligne',
    effect: 'La dernière ligne (l\'enregistrement de fin) n\'a pas de fin de ligne, alors que les autres en ont une (décision D2). Sans objet pour un fichier sans fins de ligne (la panne attend alors le dépôt suivant).',
    expected: 'Lire aussi un dernier enregistrement sans fin de ligne, sans le perdre ni attendre la suite.'
  },
  'utf8-name': {
    title: 'Nom en UTF-8',
    effect: 'Un nom accentué est écrit en UTF-8 (é devient les deux octets C3 A9) dans un fichier ISO-8859-1 : le nom lu est « Ã© ». L\'enregistrement garde ses 1 200 octets quand la zone a assez de blancs à sa fin, sinon il s\'allonge d\'un octet par accent.',
    expected: 'Lire le fichier en ISO-8859-1, repérer les suites d\'octets UTF-8 et signaler l\'enregistrement, sans enregistrer un nom déformé.'
  },
  'c1-byte': {
    title: 'Octet de 0x80 à 0x9F',
    effect: 'Un octet de 0x80 à 0x9F (un caractère Windows-1252 comme ’ ou œ) se trouve dans un nom : ce n\'est jamais du texte ISO-8859-1 (décision D8).',
    expected: 'Refuser ou signaler le caractère de contrôle C1 au lieu de l\'enregistrer tel quel.'
  },
  'unknown-code': {
    title: 'Code inconnu',
    effect: 'Une zone à liste de codes (catégorie d\'inscription, axe de travail, modalité d\'accompagnement) porte un code qui n\'est dans aucune liste.',
    expected: 'Contrôler chaque code contre sa liste ; signaler l\'enregistrement au lieu de lui donner un sens par défaut.'
  },
  'invalid-date': {
    title: 'Date inexistante',
    effect: 'Une date d\'un enregistrement détail n\'existe pas au calendrier (un 30 février, un mois 13).',
    expected: 'Contrôler chaque date SSAAMMJJ ; signaler l\'enregistrement plutôt que de laisser la date devenir le 2 mars.'
  },
  'duplicate-nir': {
    title: 'NIR en double',
    effect: 'Deux enregistrements détail portent le même NIR : celui du premier est recopié dans un autre.',
    expected: 'Repérer les NIR en double dans un même fichier et ne pas fusionner deux personnes en une.'
  },
  empty: {
    title: 'Fichier vide',
    effect: 'Le fichier n\'a que l\'entête et l\'enregistrement de fin (NB_ENREGISTREMENTS à zéro) : aucune personne.',
    expected: 'Ne pas conclure que tout le monde est sorti : un stock vide se signale et s\'attend à être remplacé, rien n\'est supprimé de la base.'
  },
  'duplicate-file': {
    title: 'Même fichier déposé deux fois',
    effect: 'Le même fichier (les mêmes octets) est déposé deux fois sous deux noms (deux numéros de séquence).',
    expected: 'Reconnaître un fichier déjà intégré (à son empreinte SHA-256, ou à sa date de référence et de fabrication) et ne pas l\'intégrer deux fois.'
  }
} as const satisfies Record<string, FaultCodeInfo>

export type DamageCode = keyof typeof DAMAGE_CODES

export const HTTP_FAULT_CODES = {
  'http-500': {
    title: 'Erreur 500',
    effect: 'La requête reçoit 500 (erreur interne du serveur) sans être traitée.',
    expected: 'Réessayer plus tard, avec un délai croissant ; ne rien considérer comme fait.'
  },
  'http-502': {
    title: 'Erreur 502',
    effect: 'La requête reçoit 502 (mauvaise passerelle) sans être traitée.',
    expected: 'Réessayer plus tard, avec un délai croissant ; ne rien considérer comme fait.'
  },
  'http-503': {
    title: 'Erreur 503 avec Retry-After',
    effect: 'La requête reçoit 503 (service indisponible) avec un en-tête Retry-After, sans être traitée.',
    expected: 'Attendre le délai de Retry-After, puis réessayer.'
  },
  'http-429': {
    title: 'Erreur 429 avec Retry-After',
    effect: 'La requête reçoit 429 (trop de requêtes) avec un en-tête Retry-After, sans être traitée.',
    expected: 'Ralentir : attendre le délai de Retry-After avant la requête suivante.'
  },
  delay: {
    title: 'Réponse lente',
    effect: 'La réponse ne commence qu\'après un délai.',
    expected: 'Attendre avec un délai d\'expiration raisonnable, sans envoyer la même requête en parallèle.'
  },
  'slow-body': {
    title: 'Corps lent',
    effect: 'Le corps de la réponse arrive à un débit limité (octets par seconde).',
    expected: 'Lire jusqu\'au bout sans abandonner trop tôt, ou recommencer le téléchargement (le serveur n\'honore pas `Range` : un téléchargement est toujours entier) ; vérifier la taille et l\'empreinte reçues.'
  },
  'reset-after': {
    title: 'Connexion coupée en cours de réponse',
    effect: 'La connexion est coupée (TCP reset) après un nombre d\'octets donné de la réponse.',
    expected: 'Voir que le fichier reçu est incomplet (taille annoncée, empreinte) et le télécharger de nouveau ; ne jamais intégrer un morceau.'
  },
  reset: {
    title: 'Connexion coupée avant la réponse',
    effect: 'La connexion est coupée (TCP reset) avant le moindre octet de réponse.',
    expected: 'Traiter l\'erreur réseau comme une panne passagère : réessayer plus tard ; pour un envoi, vérifier dans la liste des fichiers s\'il est arrivé avant de le renvoyer.'
  }
} as const satisfies Record<string, FaultCodeInfo>

export type HttpFaultCode = keyof typeof HTTP_FAULT_CODES
export type FaultCode = DamageCode | HttpFaultCode

export const FAULT_CODES: Readonly<Record<FaultCode, FaultCodeInfo>> = { ...DAMAGE_CODES, ...HTTP_FAULT_CODES }

export function isDamageCode (code: string): code is DamageCode {
  return Object.hasOwn(DAMAGE_CODES, code)
}

export function isHttpFaultCode (code: string): code is HttpFaultCode {
  return Object.hasOwn(HTTP_FAULT_CODES, code)
}

/** Which deposits a damage applies to: the next monthly stock, the next daily flux, or the next deposit of either. */
export type DepositTarget = 'stock' | 'flux' | 'any'
/** Which requests an HTTP fault applies to: downloads of a file, uploads, the file list, or every request of the département. */
export type RouteTarget = 'download' | 'upload' | 'list' | 'any'

export const DEPOSIT_TARGETS: readonly DepositTarget[] = ['stock', 'flux', 'any']
export const ROUTE_TARGETS: readonly RouteTarget[] = ['download', 'upload', 'list', 'any']

/** What a fault is asked to be (the admin API's body, a scenario's entry, the console's form). */
export interface FaultInput {
  code: FaultCode
  departement: string
  /** a damage: which deposits (default 'any') */
  deposit?: DepositTarget
  /** an HTTP fault: which requests (default 'any') */
  route?: RouteTarget
  /** an HTTP fault: only requests for this file name; a damage: a file already deposited, deposited again now, damaged */
  file?: string
  /** how many deposits or requests it applies to (default 1); null: until lifted */
  times?: number | null
  /** an HTTP fault: the share of the matching requests it applies to (0 to 1, default 1), drawn from the seed */
  share?: number
  /** the draws of the fault (which record is damaged, which requests fail); default: from the scenario's seed and the fault's number */
  seed?: number
  /** http-503, http-429: Retry-After in seconds (default 30) */
  retryAfterSeconds?: number
  /** delay: milliseconds before the answer (default 5 000) */
  delayMs?: number
  /** slow-body: bytes per second (default 10 000) */
  bytesPerSecond?: number
  /** reset-after: bytes of the answer sent before the reset (default 1 024) */
  afterBytes?: number
}

/** A fault as the admin sees it (the API, the console). */
export interface FaultView extends Omit<FaultSpec, 'seed'> {
  id: number
  family: 'deposit' | 'http'
  title: string
  /** the seed its draws use: the one given, else drawn from the scenario's seed and the fault's number */
  seed: number
  /** how many deposits or requests it hit so far */
  hits: number
  /** 'scenario', or the admin's user name */
  setBy: string
  setAt: string
  /** null while active */
  liftedAt: string | null
  /** 'used' once its count is spent, or the admin who lifted it */
  liftedBy: string | null
  active: boolean
  /** in French, its target: « prochain stock mensuel », « téléchargements de PECGM_77… » */
  target: string
}

/** Bounds of the parameters (the schemas and the scenario say the same). */
export const FAULT_LIMITS = Object.freeze({
  times: 1_000_000,
  retryAfterSeconds: 86_400,
  delayMs: 120_000,
  bytesPerSecond: { min: 1, max: 1_000_000_000 },
  afterBytes: 1_000_000_000_000
})

/** Defaults of the parameters (docs/pannes.md says the same). */
export const FAULT_DEFAULTS = Object.freeze({ retryAfterSeconds: 30, delayMs: 5_000, bytesPerSecond: 10_000, afterBytes: 1_024 })

/** A fault as it is kept, once checked and its defaults filled in (who set it and when aside). */
export interface FaultSpec {
  code: FaultCode
  departement: string
  deposit: DepositTarget | null
  route: RouteTarget | null
  file: string | null
  /** deposits or requests it still applies to; null: until lifted */
  remaining: number | null
  share: number | null
  /** null: drawn from the scenario's seed and the fault's number */
  seed: number | null
  retryAfterSeconds: number | null
  delayMs: number | null
  bytesPerSecond: number | null
  afterBytes: number | null
}

/** What is wrong with a fault asked for: the key in error and why, in French. */
export interface FaultProblem { field: keyof FaultInput, message: string }

/** Codes as the messages show them: « truncated », « footer-count »… */
function quoted (codes: readonly string[]): string {
  return codes.map((c) => `« ${c} »`).join(', ')
}

/**
 * A fault asked for (the admin API, the console, a scenario), checked and
 * completed, or the first problem with it: one set of rules for every door.
 */
export function faultSpec (input: FaultInput): FaultSpec | FaultProblem {
  const code = String(input.code)
  const problem = (field: keyof FaultInput, message: string): FaultProblem => ({ field, message })
  if (!isDamageCode(code) && !isHttpFaultCode(code)) return problem('code', `Panne inconnue : « ${code.slice(0, 40)} » ; pannes de dépôt : ${quoted(Object.keys(DAMAGE_CODES))} ; pannes HTTP : ${quoted(Object.keys(HTTP_FAULT_CODES))}.`)
  const departement = String(input.departement).toUpperCase()
  if (!DEPARTEMENT_CODE.test(departement)) return problem('departement', `Code de département invalide : « ${departement.slice(0, 10)} » (01 à 95, 2A, 2B, 971 à 976).`)
  const damage = isDamageCode(code)
  if (damage && input.route !== undefined) return problem('route', `Une panne de dépôt ne vise pas des requêtes : donnez « deposit » (${quoted(DEPOSIT_TARGETS)}), ou « file ».`)
  if (!damage && input.deposit !== undefined) return problem('deposit', `Une panne HTTP ne vise pas des dépôts : donnez « route » (${quoted(ROUTE_TARGETS)}).`)
  if (input.deposit !== undefined && !DEPOSIT_TARGETS.includes(input.deposit)) return problem('deposit', `Dépôts visés : ${quoted(DEPOSIT_TARGETS)}.`)
  if (input.route !== undefined && !ROUTE_TARGETS.includes(input.route)) return problem('route', `Requêtes visées : ${quoted(ROUTE_TARGETS)}.`)
  if (input.file !== undefined && !FILE_NAME_RULE.test(input.file)) return problem('file', `Nom de fichier refusé : « ${String(input.file).slice(0, 100)} » (décision D9).`)
  if (!damage && input.route === 'list' && input.file !== undefined) return problem('file', 'La liste des fichiers ne nomme aucun fichier : une panne sur les listes vise toutes les listes ; « file » va avec « download », « upload » ou « any ».')
  if (damage && input.file !== undefined && input.deposit !== undefined) return problem('file', 'Une panne de dépôt vise les prochains dépôts (« deposit ») ou un fichier déjà déposé (« file »), pas les deux.')
  if (damage && input.share !== undefined) return problem('share', 'Une part des requêtes n\'a de sens que pour une panne HTTP.')
  const times = input.times === undefined ? 1 : input.times
  if (times !== null && (!Number.isInteger(times) || times < 1 || times > FAULT_LIMITS.times)) return problem('times', `Nombre de fois : un entier de 1 à ${frenchNumber(FAULT_LIMITS.times)}, ou null (jusqu'à ce qu'elle soit levée).`)
  if (input.share !== undefined && !(input.share > 0 && input.share <= 1)) return problem('share', 'Part des requêtes : un nombre de 0 (exclu) à 1.')
  if (input.seed !== undefined && (!Number.isInteger(input.seed) || input.seed < 0 || input.seed > 0xffffffff)) return problem('seed', 'Graine : un entier de 0 à 4 294 967 295.')
  const params: Pick<FaultSpec, 'retryAfterSeconds' | 'delayMs' | 'bytesPerSecond' | 'afterBytes'> = { retryAfterSeconds: null, delayMs: null, bytesPerSecond: null, afterBytes: null }
  const rules = [
    ['retryAfterSeconds', code === 'http-503' || code === 'http-429', 0, FAULT_LIMITS.retryAfterSeconds, 'Retry-After (secondes)'],
    ['delayMs', code === 'delay', 0, FAULT_LIMITS.delayMs, 'Délai (millisecondes)'],
    ['bytesPerSecond', code === 'slow-body', FAULT_LIMITS.bytesPerSecond.min, FAULT_LIMITS.bytesPerSecond.max, 'Débit (octets par seconde)'],
    ['afterBytes', code === 'reset-after', 0, FAULT_LIMITS.afterBytes, 'Octets envoyés avant la coupure']
  ] as const
  for (const [key, applies, min, max, text] of rules) {
    const v = input[key]
    if (!applies) {
      if (v !== undefined) return problem(key, `${text} ne s'applique pas à la panne « ${code} ».`)
      continue
    }
    if (v !== undefined && (!Number.isInteger(v) || v < min || v > max)) return problem(key, `${text} : un entier de ${frenchNumber(min)} à ${frenchNumber(max)}.`)
    params[key] = v ?? FAULT_DEFAULTS[key]
  }
  return {
    code,
    departement,
    deposit: damage && input.file === undefined ? (input.deposit ?? 'any') : null,
    route: damage ? null : (input.route ?? 'any'),
    file: input.file ?? null,
    remaining: times,
    share: damage ? null : (input.share ?? null),
    seed: input.seed ?? null,
    ...params
  }
}
