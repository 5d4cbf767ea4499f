import { FILE_NAME_RULE } from '../layouts/file-names.js'

/**
 * The server's error codes, in the manner of @fastify/error: one table, each
 * code with its HTTP status and its default French message, grouped by area.
 * docs/serveur.md lists them (a test keeps both in step). The command-line
 * codes stay in src/errors.ts.
 */
export const SERVER_ERRORS = {
  // start-up (the server does not start)
  PHEBUS_SERVER_OPTIONS: { status: 500, message: 'Option du serveur invalide' },
  PHEBUS_SERVER_DATA_DIR_LOCKED: { status: 500, message: 'Dossier de données déjà utilisé par un autre serveur' },
  PHEBUS_SERVER_DATABASE: { status: 500, message: 'Base de données inutilisable' },
  PHEBUS_SERVER_TLS: { status: 500, message: 'Certificat TLS inutilisable' },
  PHEBUS_SERVER_SCENARIO: { status: 500, message: 'Scénario inutilisable' },
  // the stop (an event of serve's log)
  PHEBUS_SERVER_STOP: { status: 500, message: 'Arrêt difficile' },
  // authentication
  PHEBUS_AUTH_REQUIRED: { status: 401, message: 'Authentification requise : identifiant et mot de passe (HTTP Basic).' },
  PHEBUS_AUTH_LOCKED: { status: 429, message: 'Trop d\'échecs de connexion pour cet identifiant depuis cette adresse : réessayez plus tard.' },
  PHEBUS_AUTH_ADDRESS_LOCKED: { status: 429, message: 'Trop d\'échecs de connexion depuis cette adresse, tous identifiants confondus : réessayez plus tard.' },
  PHEBUS_AUTH_BUSY: { status: 503, message: 'Trop de mots de passe en cours de vérification : réessayez dans un instant.' },
  PHEBUS_AUTH_FORBIDDEN: { status: 403, message: 'Cette route est réservée aux comptes des départements.' },
  // requests
  PHEBUS_HTTP_NOT_FOUND: { status: 404, message: 'Ressource introuvable.' },
  PHEBUS_HTTP_BAD_REQUEST: { status: 400, message: 'Requête invalide.' },
  PHEBUS_HTTP_BAD_URL: { status: 400, message: 'Adresse mal formée : un échappement %XX ne désigne pas un caractère UTF-8.' },
  PHEBUS_HTTP_URI_TOO_LONG: { status: 414, message: 'Adresse trop longue : le serveur lit 16 Kio au plus pour la ligne de requête et les en-têtes ensemble.' },
  PHEBUS_HTTP_HEADERS_TOO_LARGE: { status: 431, message: 'En-têtes trop longs : le serveur lit 16 Kio au plus pour la ligne de requête et les en-têtes ensemble.' },
  PHEBUS_HTTP_METHOD_NOT_ALLOWED: { status: 405, message: 'Méthode non permise sur cette ressource.' },
  PHEBUS_HTTP_BODY_TOO_LARGE: { status: 413, message: 'Corps de requête trop volumineux pour cette route (un formulaire ou un objet JSON, pas un fichier) : rien n\'a été fait.' },
  PHEBUS_HTTP_PRECONDITION_FAILED: { status: 412, message: 'If-Match ne désigne pas la version présente de la ressource : rien n\'a été fait.' },
  PHEBUS_HTTP_UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Type de contenu refusé : cette route ne lit pas ce que dit l\'en-tête Content-Type.' },
  PHEBUS_HTTP_CROSS_ORIGIN: { status: 403, message: 'Requête venue d\'un autre site refusée : son en-tête Origin ne désigne pas ce serveur.' },
  PHEBUS_HTTP_BUSY: { status: 503, message: 'Serveur occupé : trop de connexions ou d\'envois en même temps, réessayez après le délai de Retry-After.' },
  PHEBUS_HTTP_IDLE_TIMEOUT: { status: 408, message: 'Connexion coupée par le serveur : le client n\'envoyait plus rien.' },
  PHEBUS_HTTP_STOPPING: { status: 503, message: 'Connexion coupée par le serveur : il s\'arrêtait, et la requête n\'était pas finie dans le délai de --stop-timeout.' },
  PHEBUS_HTTP_NOT_READY: { status: 503, message: 'Le serveur démarre : le scénario et les dépôts ne sont pas encore prêts.' },
  PHEBUS_HTTP_INTERNAL: { status: 500, message: 'Erreur interne du serveur.' },
  PHEBUS_HTTP_BAD_GATEWAY: { status: 502, message: 'Le serveur d\'échange n\'a pas répondu au frontal : réessayez dans un moment.' },
  PHEBUS_HTTP_UNAVAILABLE: { status: 503, message: 'Service momentanément indisponible : réessayez après le délai de Retry-After.' },
  PHEBUS_HTTP_TOO_MANY_REQUESTS: { status: 429, message: 'Trop de requêtes : ralentissez, et réessayez après le délai de Retry-After.' },
  // files
  PHEBUS_FILE_NAME_INVALID: { status: 400, message: `Nom de fichier refusé (décision D9 : ${FILE_NAME_RULE.source}).` },
  PHEBUS_FILE_NAME_MISSING: { status: 400, message: 'Nom de fichier absent : une partie « file » en multipart/form-data, ou ?name= avec les octets bruts.' },
  PHEBUS_FILE_NAME_TAKEN: { status: 409, message: 'Un fichier de ce nom existe déjà pour ce département.' },
  PHEBUS_FILE_TOO_LARGE: { status: 413, message: 'Fichier trop volumineux.' },
  PHEBUS_FILE_INCOMPLETE: { status: 400, message: 'Envoi interrompu avant la fin du fichier.' },
  PHEBUS_FILE_FORM_FIELDS: { status: 400, message: 'Formulaire multipart/form-data refusé : trop de champs (dix au plus, avant et après la partie « file » ensemble).' },
  PHEBUS_FILE_SECOND_PART: { status: 400, message: 'Formulaire multipart/form-data refusé : une seule partie fichier par envoi.' },
  PHEBUS_FILE_GONE: { status: 410, message: 'Ce fichier n\'est plus sur le serveur : il a été retiré du dossier de données hors de phebus-mock.' },
  PHEBUS_FILE_READ_ONLY: { status: 403, message: 'Seuls les fichiers envoyés par le département (CGPEM) peuvent être supprimés.' },
  PHEBUS_FILE_QUOTA: { status: 507, message: 'Quota du département atteint : supprimez des fichiers envoyés (DELETE /api/v1/files/NOM) avant d\'en envoyer d\'autres.' },
  PHEBUS_STORAGE_READ_ONLY: { status: 503, message: 'Le dossier de données du serveur est en lecture seule : rien n\'a été gardé ni changé. Réessayez quand il pourra de nouveau être écrit (l\'administrateur le voit dans /readyz).' },
  PHEBUS_STORAGE_FULL: { status: 507, message: 'Le disque du serveur est plein : rien n\'a été gardé ni changé ; réessayez quand de la place aura été faite.' },
  // qualification
  PHEBUS_QUALIFICATION_NOT_STARTED: { status: 409, message: 'La qualification n\'est pas commencée : POST /api/v1/qualification/start la commence ; ce qui a été fait avant ne compte pas.' },
  PHEBUS_QUALIFICATION_NO_SAMPLE: { status: 409, message: 'Le département n\'a personne dans sa population (0 dans le scénario) : pas d\'échantillon, pas de qualification possible. Donnez-lui une population d\'au moins une personne.' },
  PHEBUS_QUALIFICATION_BILAN_CHANGED: { status: 409, message: 'Le bilan a changé depuis que vous l\'avez lu (une preuve nouvelle, ou la validation de l\'autre partie) : rien n\'est validé. Relisez-le, puis validez-le tel qu\'il est.' },
  PHEBUS_QUALIFICATION_ITERATION_CHANGED: { status: 409, message: 'L\'itération ouverte n\'est plus celle que la confirmation nommait : rien n\'a été clos. Relisez la page du département, puis recommencez si c\'est toujours voulu.' },
  // pages (the partner interface)
  PHEBUS_PAGE_CSRF: { status: 403, message: 'Formulaire refusé : il ne vient pas d\'une page de cette session (jeton anti-falsification absent ou périmé). Rechargez la page et recommencez.' },
  PHEBUS_PAGE_SESSION: { status: 401, message: 'Session absente ou terminée : reconnectez-vous.' },
  PHEBUS_CONTACT_INVALID: { status: 400, message: 'Message incomplet : un sujet et un message sont nécessaires.' },
  // the exchange clock
  PHEBUS_CLOCK_INVALID: { status: 400, message: 'Heure ou pas d\'horloge illisible : une date AAAA-MM-JJ[THH:MM[:SS]][±HH:MM], ou +Nmin, +Nh, +Nd, +NM.' },
  PHEBUS_CLOCK_BACKWARDS: { status: 409, message: 'L\'horloge de l\'échange ne recule pas : elle a déjà montré une heure plus tardive.' },
  PHEBUS_CLOCK_BUSY: { status: 409, message: 'L\'horloge de l\'échange est déjà en train d\'avancer : attendez la fin de ce déplacement.' },
  // administration
  PHEBUS_FAULT_INVALID: { status: 400, message: 'Panne refusée : code, département, cible ou paramètre invalide.' },
  PHEBUS_ADMIN_DEPARTEMENT_EXISTS: { status: 409, message: 'Ce département a déjà un compte.' },
  PHEBUS_ADMIN_PASSWORD_INVALID: { status: 400, message: 'Mot de passe refusé : 12 caractères au moins, 1024 au plus, sans caractère de contrôle.' }
} as const satisfies Record<string, { status: number, message: string }>

export type ServerErrorCode = keyof typeof SERVER_ERRORS

export class ServerError extends Error {
  readonly code: ServerErrorCode
  readonly statusCode: number
  /** for 429: seconds before a new attempt */
  readonly retryAfter: number | undefined
  /** the field of a form or body in error, when the refusal is about one */
  readonly field: string | undefined

  constructor (code: ServerErrorCode, message?: string, options: { cause?: unknown, retryAfter?: number, field?: string } = {}) {
    super(message ?? SERVER_ERRORS[code].message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = 'ServerError'
    this.code = code
    this.statusCode = SERVER_ERRORS[code].status
    this.retryAfter = options.retryAfter
    this.field = options.field
  }
}

export function isServerError (err: unknown): err is ServerError {
  return err instanceof ServerError
}
