import { PhebusError } from '../errors.js'

/**
 * The HTTP client `qualify` plays a département with: every way the server
 * can be out of reach or say no, told in French with what to do about it.
 * A refusal is a PHEBUS_QUALIFY_REFUSED error, an unreachable server
 * PHEBUS_QUALIFY_UNREACHABLE (both exit 2, as `validate` does when it cannot
 * validate).
 */

export function unreachable (message: string): PhebusError {
  return new PhebusError('PHEBUS_QUALIFY_UNREACHABLE', message)
}

function refused (message: string): PhebusError {
  return new PhebusError('PHEBUS_QUALIFY_REFUSED', message)
}

/** The server's base URL, or a French reason why `text` is none. */
export function parseServerUrl (text: string): URL {
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) throw unreachable(`adresse invalide « ${text} » : il manque http:// ou https:// (par exemple http://127.0.0.1:8080).`)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    // an IPv6 address is written between brackets, and its colons are no port's
    if (/^[a-z][a-z0-9+.-]*:\/\/\[[^\]/]*(\/|$)/i.test(text)) throw unreachable(`adresse invalide « ${text} » : le crochet fermant de l'adresse IPv6 manque (par exemple http://[::1]:8080).`)
    const port = /^[a-z][a-z0-9+.-]*:\/\/(?:\[[^\]/]*\]|[^/:[\]]+):([^/]*)/i.exec(text)?.[1]
    if (port !== undefined && !(/^[0-9]{1,5}$/.test(port) && Number(port) <= 65535)) throw unreachable(`adresse invalide « ${text} » : le port « ${port} » n'est pas un nombre de 0 à 65535.`)
    throw unreachable(`adresse invalide « ${text} » : ce n'est pas une URL (par exemple http://127.0.0.1:8080).`)
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw unreachable(`adresse invalide « ${text} » : le serveur se joint en http:// ou https://, pas en ${url.protocol}//.`)
  // as curl takes it (http://dept93:demo-93@…): fetch refuses such a URL, which read as « erreur réseau »; the password is not repeated
  if (url.username !== '' || url.password !== '') {
    const shown = text.replace(/^([^:]+:\/\/[^/@:]*):[^/@]*@/, '$1:***@')
    throw unreachable(`adresse invalide « ${shown} » : le compte ne se donne pas dans l'adresse ; donnez --user et --password (ou PHEBUS_PASSWORD).`)
  }
  if (url.search !== '' || url.hash !== '') throw unreachable(`adresse invalide « ${text} » : l'adresse du serveur ne porte ni « ? » ni « # » (par exemple http://127.0.0.1:8080, ou http://proxy/phebus derrière un proxy).`)
  return url
}

/** Why a connection failed, by the network error's code. */
const NETWORK_REASONS: Readonly<Record<string, string>> = {
  ECONNREFUSED: 'connexion refusée : aucun serveur n\'écoute à cette adresse (est-il démarré, sur ce port ?)',
  ENOTFOUND: 'nom de machine inconnu',
  EAI_AGAIN: 'nom de machine introuvable pour l\'instant (résolution DNS)',
  ECONNRESET: 'connexion coupée par le serveur',
  ETIMEDOUT: 'le serveur ne répond pas (délai dépassé)',
  UND_ERR_CONNECT_TIMEOUT: 'le serveur ne répond pas (délai de connexion dépassé)',
  UND_ERR_SOCKET: 'connexion coupée par le serveur',
  EHOSTUNREACH: 'machine injoignable',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'certificat auto-signé non reconnu : lancez avec NODE_EXTRA_CA_CERTS=DOSSIER_DE_DONNEES/tls/cert.pem',
  SELF_SIGNED_CERT_IN_CHAIN: 'certificat auto-signé non reconnu : lancez avec NODE_EXTRA_CA_CERTS=DOSSIER_DE_DONNEES/tls/cert.pem',
  ERR_TLS_CERT_ALTNAME_INVALID: 'le certificat du serveur ne porte pas ce nom de machine',
  EPROTO: 'la connexion TLS a échoué (un serveur HTTP joint en https:// ?)',
  // what fetch (undici, OpenSSL 3) gives for the same: the HTTP answer read as a TLS record
  ERR_SSL_WRONG_VERSION_NUMBER: 'la connexion TLS a échoué (un serveur HTTP joint en https:// ?)',
  ERR_SSL_PACKET_LENGTH_TOO_LONG: 'la connexion TLS a échoué (un serveur HTTP joint en https:// ?)'
}

/** Why a request never got an answer, from the network error's code. */
export function networkProblem (err: unknown, base: string, beforeAnswer = true): string {
  const cause = (err as { cause?: { code?: string, message?: string } }).cause
  if (cause?.message === 'bad port') return `port refusé à ${base} : fetch ne joint jamais les ports réservés à d'autres protocoles (1, 21, 25, 6000…) ; lancez le serveur sur un autre port (8080 par exemple).`
  const code = cause?.code ?? (err as { code?: string }).code ?? ''
  const reason = NETWORK_REASONS[code] ?? `erreur réseau${code === '' ? '' : ` (${code})`}`
  // a server started with --tls closes a connection whose first bytes are no TLS handshake: all fetch sees
  // (not once an answer has begun: that one came in HTTP)
  const cut = beforeAnswer && (code === 'UND_ERR_SOCKET' || code === 'ECONNRESET')
  return `serveur injoignable à ${base} : ${reason}${cut && base.startsWith('http://') ? ' (un serveur HTTPS, lancé avec --tls, joint en http:// ?)' : ''}.`
}

/** What an HTTP refusal means for someone playing a département, with the server's own (French) message. */
export function refusal (method: string, path: string, status: number, body: string, retryAfter: string | null): PhebusError {
  let said = ''
  try {
    const message = (JSON.parse(body) as { message?: unknown }).message
    if (typeof message === 'string') said = ` Le serveur dit : « ${message} »`
  } catch {}
  const meaning: Record<number, string> = {
    400: 'requête refusée (400)',
    401: 'identifiant ou mot de passe refusé (401) : vérifiez --user et --password (ou PHEBUS_PASSWORD)',
    403: 'accès refusé (403) : ce compte ne peut pas faire cela (le compte admin ne se qualifie pas : prenez celui d\'un département)',
    404: 'introuvable (404) : est-ce bien un serveur phebus-mock, et le département est-il de son scénario ?',
    409: 'refusé (409) : en conflit avec l\'état du serveur',
    413: 'fichier trop gros pour ce serveur (413)',
    429: `trop d'essais (429) : compte bloqué depuis cette adresse ou quota atteint${retryAfter === null ? '' : ` ; réessayez dans ${retryAfter} s`}`,
    503: `serveur occupé ou pas encore prêt (503)${retryAfter === null ? '' : ` ; réessayez dans ${retryAfter} s`}`
  }
  const text = meaning[status] ?? `réponse inattendue ${status}`
  return refused(`${method} ${path} : ${text}.${said}`)
}

export class QualifyClient {
  private readonly base: string

  constructor (base: URL, private readonly auth: string) {
    // a server behind a prefix (http://proxy/phebus, a reverse proxy's path): its routes are under it
    this.base = base.href.endsWith('/') ? base.href : `${base.href}/`
  }

  async request (method: string, path: string, init: { body?: Buffer, accept?: string, type?: string } = {}): Promise<Response> {
    try {
      return await fetch(new URL(path.replace(/^\/+/, ''), this.base), {
        method,
        headers: { authorization: this.auth, accept: init.accept ?? 'application/json', ...(init.type ? { 'content-type': init.type } : {}) },
        ...(init.body ? { body: init.body } : {})
      })
    } catch (err) {
      throw unreachable(networkProblem(err, this.base))
    }
  }

  /** The JSON answer of a request, when its status is one of `ok`; a refusal otherwise. */
  async json<T> (method: string, path: string, init: { body?: Buffer, type?: string } = {}, ok = [200]): Promise<T> {
    const res = await this.request(method, path, init)
    let text: string
    try {
      text = await res.text()
    } catch (err) {
      // the body cut on its way (a reset after the headers): fetch says « terminated », in English
      throw unreachable(networkProblem(err, this.base, false))
    }
    if (!ok.includes(res.status)) throw refusal(method, path, res.status, text, res.headers.get('retry-after'))
    try {
      return JSON.parse(text) as T
    } catch {
      throw refused(`${method} ${path} : la réponse n'est pas du JSON (est-ce bien un serveur phebus-mock ?).`)
    }
  }
}
