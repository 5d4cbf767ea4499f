import t from 'tap'
import { findLeaks, pageText } from './messages-english.js'

/** What the detector of English and traces flags, and what it lets pass (test/cli/messages.test.ts and test/server/messages.test.ts use it). */

const FLAGGED: readonly { name: string, text: string, kind: 'trace' | 'english' }[] = [
  { name: 'an Ajv message', text: 'Requête invalide : querystring/kind must be equal to constant', kind: 'english' },
  { name: 'an Ajv message on the body', text: 'body must NOT have additional properties', kind: 'english' },
  { name: 'a required property', text: 'body must have required property \'code\'', kind: 'english' },
  { name: 'an errno text', text: 'Impossible d\'écrire /a/g.txt : ENOENT: no such file or directory, open \'/a/.g.txt.14476.tmp\'', kind: 'trace' },
  { name: 'a temporary file alone', text: 'Dossier introuvable : /a/.g.txt.14476.tmp', kind: 'trace' },
  { name: 'a stack trace', text: 'Error: write EPIPE\n    at afterWriteDispatched (node:internal/stream_base_commons:161:15)\n    at writeGeneric (node:internal/stream_base_commons:152:3)', kind: 'trace' },
  { name: 'a stack frame of the project', text: 'oups\n    at generateCommand (file:///work/main/dist/src/cli/generate.js:89:15)', kind: 'trace' },
  { name: 'a TypeError', text: 'TypeError: Cannot read properties of undefined (reading \'x\')', kind: 'trace' },
  { name: 'fetch\'s reason', text: 'serveur injoignable à http://127.0.0.1:1 (bad port).', kind: 'english' },
  { name: 'URL\'s reason', text: 'adresse refusée (Invalid URL).', kind: 'english' },
  { name: 'a reason phrase in a message', text: 'Requête invalide : Not Found', kind: 'english' },
  { name: 'Fastify\'s JSON parser', text: 'Requête invalide : Body is not valid JSON but content-type is set to \'application/json\'', kind: 'english' },
  { name: 'a DNS error', text: 'Impossible d\'écouter sur 999.1.1.1:22 : getaddrinfo ENOTFOUND 999.1.1.1.', kind: 'trace' },
  { name: 'OpenSSL', text: 'Certificat TLS illisible /tmp/c.pem : error:0480006C:PEM routines::no start line', kind: 'english' },
  { name: 'the YAML parser', text: 'indentation incorrecte (Flow sequence in block collection must be sufficiently indented and end with a ])', kind: 'english' },
  { name: 'undefined in a message', text: 'Le fichier undefined est accepté.', kind: 'trace' },
  { name: 'an object printed', text: 'Département [object Object] inconnu.', kind: 'trace' },
  { name: 'a Fastify code in a message', text: 'Requête invalide (FST_ERR_CTP_INVALID_MEDIA_TYPE).', kind: 'trace' },
  { name: 'an English sentence in parentheses', text: 'Envoi interrompu (the client closed the connection).', kind: 'english' },
  { name: 'an English word inside a long quotation', text: 'Corps mal formé : « Unexpected end of form »', kind: 'english' }
]

const PASSED: readonly { name: string, text: string }[] = [
  { name: 'a usage error', text: 'phebus-mock generate : option inconnue --bogus. Voir « phebus-mock generate --help ». [PHEBUS_CLI_USAGE]' },
  { name: 'a translated file error', text: 'phebus-mock generate : Dossier introuvable : /nonexistent/dir (pour écrire g.txt). [PHEBUS_IO]' },
  { name: 'a translated validation', text: 'Requête invalide : le paramètre « kind » de l\'adresse vaut « zzz » ; valeurs permises : « request », « deposit », « purge ».' },
  { name: 'an unknown field named', text: 'Requête invalide : le champ « inconnu » du corps n\'est pas prévu (permis : « code », « name », « password »).' },
  { name: 'the convention\'s field names', text: 'ligne 3, zone NOM_NAISSANCE : obligatoire, absente ; PRENOM et DATE_NAISSANCE aussi. [CGPEM_FIELD_REQUIRED]' },
  { name: 'a file name and an option', text: 'CGPEM_77_20261127.xml : --max-findings attend un nombre entier de 0 à 1 000 000, lu « beaucoup ».' },
  { name: 'the multipart part « file »', text: 'Nom de fichier absent : une partie « file » en multipart/form-data, ou ?name= avec les octets bruts.' },
  { name: 'the French « file »', text: 'Trop de mots de passe en file d\'attente : réessayez dans un instant.' },
  { name: 'headers named', text: 'Serveur occupé : réessayez après le délai de Retry-After (en-tête Content-Type : application/json).' },
  { name: 'an argument too many', text: 'phebus-mock validate : argument en trop « b ». [PHEBUS_CLI_USAGE]' },
  { name: 'French typography', text: 'Bilan positif : à la livraison de mars 2027 (1er mars 2027). 100,0 % des natures ; 1 234 octets.' },
  { name: 'a time and HTTP words', text: 'Trop d\'échecs : réessayez à 14 h 05 (heure de Paris). Authentification HTTP Basic requise.' },
  { name: 'a JSON literal', text: 'Requête invalide : le champ « to » du corps vaut « 3 » ; attendu : un texte ou null.' },
  { name: 'the partner interface', text: 'Phebus Interface Partenaire · Support : Nous écrire' },
  { name: 'a URL', text: 'Prêt : https://127.0.0.1:8443/ ; la description de l\'API est à /docs/json.' }
]

t.test('the detector flags English and traces', async (t) => {
  for (const c of FLAGGED) {
    const leaks = findLeaks(c.text)
    t.ok(leaks.some((l) => l.kind === c.kind), `${c.name}: ${c.kind}`)
  }
})

t.test('the detector lets French, names and codes pass', async (t) => {
  for (const c of PASSED) t.same(findLeaks(c.text), [], c.name)
})

t.test('a page is read as its reader sees it: no tags, scripts or styles', async (t) => {
  const html = '<html><head><style>.error { color: red }</style></head><body><p class="error" data-state="invalid">Fichier <strong>refusé</strong> &amp; gardé</p>' +
    '<script>if (x === undefined) throw new Error("bad")</script></body></html>'
  t.equal(pageText(html).replace(/\s+/g, ' ').trim(), 'Fichier refusé & gardé')
  t.same(findLeaks(pageText(html)), [])
  t.ok(findLeaks(pageText('<p>Internal Server Error</p>')).length > 0, 'English in a page is found')
})
