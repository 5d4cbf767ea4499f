import { CONTROL_CHARACTERS } from '../text/controls.js'

/**
 * saxes reports well-formedness errors in English ("1:5: disallowed
 * character."). The users read French: every message saxes 6 can give is
 * translated here, each matched whole (a test reads them from saxes' own
 * source, so that an upgrade bringing a new one fails it). A message none
 * matches still reads as French, saxes' words quoted.
 */

/**
 * Where saxes stood when it failed, as saxes-parser.ts reads it
 * (failureContext): the character it had just read, and the element it had
 * just closed or still has open. Either may be missing.
 */
export interface SaxesFailure {
  seen?: string
  element?: string
  /** the name saxes was reading: in the XML declaration, the pseudo-attribute's */
  name?: string
}

type Translate = (m: RegExpExecArray, at: SaxesFailure) => string

/** U+0001 */
function codePoint (c: string): string {
  return `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`
}

/** A character as a message names it: never a control character as it is. */
function describe (c: string): string {
  const code = c.codePointAt(0) ?? 0
  if (c === ' ') return 'un espace'
  if (c === '\t') return 'une tabulation'
  if (c === '\n' || c === '\r' || code === 0x85 || code === 0x2028) return 'une fin de ligne'
  if (code < 0x20 || (code >= 0x7F && code <= 0xA0) || code >= 0xD800) return `le caractère ${codePoint(c)}`
  return `« ${c} »`
}

/** « : what was read », when saxes says which character it failed on. */
function read (at: SaxesFailure): string {
  return at.seen === undefined ? '' : ` : ${describe(at.seen)}`
}

/** « de « x » », « d'un espace », « du caractère U+0001 » */
function of (c: string): string {
  const d = describe(c)
  return d.startsWith('un') ? `d'${d}` : d.startsWith('le ') ? `du ${d.slice(3)}` : `de ${d}`
}

/** A name from the file, quoted: control characters shown as �, at most 40 characters. */
function quoted (name: string): string {
  const shown = name.replace(CONTROL_CHARACTERS, '\ufffd')
  return `« ${shown.length > 40 ? `${shown.slice(0, 40)}…` : shown} »`
}

/**
 * saxes' « expected the name X » / « expected one of X, Y »: the name it read
 * instead (at.name) says more. A '>' where a name should be is a declaration
 * that ends without its '?'.
 */
function unexpectedPseudoAttribute (expected: string, at: SaxesFailure): string {
  if (at.name?.startsWith('>') === true) return 'la déclaration XML se termine par « ?> », pas par « > »'
  const name = at.name === undefined || at.name === '' ? 'pseudo-attribut' : `pseudo-attribut ${quoted(at.name)}`
  if (expected === '' || expected === 'undefined') return `${name} de trop : la déclaration XML n'a rien après standalone`
  return `${name} inattendu dans la déclaration XML, qui attend ici ${expected.split(', ').join(' ou ')} (${DECLARATION_ORDER})`
}

const DECLARATION_ORDER = 'version, encoding puis standalone, dans cet ordre'

/** Each message of saxes 6 (its final period optional), and our own (saxes-parser.ts), whole. */
const TRANSLATIONS: ReadonlyArray<readonly [RegExp, Translate]> = [
  // characters
  [/^disallowed character\.$/, (_, at) => `caractère interdit en XML${at.seen === undefined ? '' : ` : ${codePoint(at.seen)}`}`],
  [/^the string "\]\]>" is disallowed in char data\.$/, () => 'la suite « ]]> » est interdite dans le texte ; « > » s\'y écrit &gt;'],
  // tags
  [/^disallowed character in tag name$/, (_, at) => at.seen === undefined
    ? '« < » qui n\'ouvre pas de balise ; dans une valeur, « < » s\'écrit &lt;'
    : `« < » suivi ${of(at.seen)}, qui ne peut pas commencer un nom de balise ; dans une valeur, « < » s'écrit &lt;`],
  [/^disallowed character in tag name\.$/, (_, at) => `caractère interdit dans un nom de balise${read(at)}`],
  [/^disallowed character in closing tag\.$/, (_, at) => `caractère interdit dans une balise fermante${read(at)} ; elle s'écrit </NOM>`],
  [/^forward-slash in opening tag not followed by >\.$/, () => '« / » dans une balise ouvrante, sans « > » juste après (un élément vide s\'écrit <NOM/>)'],
  [/^weird empty close tag\.$/, () => 'balise fermante sans nom « </> »'],
  [/^unexpected close tag\.$/, (_, at) => at.element === undefined
    ? 'balise fermante qui ne ferme pas le dernier élément ouvert'
    : `balise fermante qui ne ferme pas ${at.element}, le dernier élément ouvert`],
  [/^unmatched closing tag: (.*)\.$/, (m) => `balise fermante </${m[1] ?? ''}> sans balise ouvrante`],
  [/^unclosed tag: (.*)$/, (m) => `élément ${m[1] ?? ''} jamais fermé (fichier tronqué ?)`],
  [/^documents may contain only one root\.$/, () => 'un second élément racine ; un document XML n\'en a qu\'un'],
  [/^document must contain a root element\.$/, () => 'aucun élément racine'],
  [/^text data outside of root node\.$/, () => 'texte hors de l\'élément racine'],
  [/^unexpected end\.$/, () => 'fin de fichier au milieu d\'une construction XML (fichier tronqué ?)'],
  // attributes
  [/^disallowed character in attribute name\.$/, (_, at) => `caractère interdit dans un nom d'attribut${read(at)}`],
  [/^attribute without value\.$/, () => 'attribut sans valeur ; un attribut s\'écrit nom="valeur"'],
  [/^unquoted attribute value\.$/, () => 'valeur d\'attribut sans guillemets ; un attribut s\'écrit nom="valeur"'],
  [/^no whitespace between attributes\.$/, () => 'deux attributs sans blanc entre eux'],
  [/^duplicate attribute: (.*)\.$/, (m) => `attribut ${quoted(m[1] ?? '')} écrit deux fois dans la même balise`],
  // references
  [/^entity reference without its semicolon\.$/, () => '« & » sans « ; » : une référence s\'écrit &nom; ; une esperluette seule s\'écrit &amp;'],
  [/^empty entity name\.$/, () => 'référence vide « &; » ; une esperluette seule s\'écrit &amp;'],
  [/^undefined entity\.$/, () => 'entité inconnue ; sans DTD, seules &amp; &lt; &gt; &quot; &apos; et les références numériques existent'],
  [/^disallowed character in entity name\.$/, () => 'caractère interdit dans le nom d\'une référence (&nom;) ; une esperluette seule s\'écrit &amp;'],
  [/^malformed character entity\.$/, () => 'référence de caractère invalide : &#nombre; ou &#xhexadécimal; doit désigner un caractère permis en XML'],
  // comments, processing instructions, DOCTYPE, <!…
  [/^malformed comment\.$/, () => 'commentaire mal formé (« -- » y est interdit)'],
  [/^incorrect syntax\.$/, () => '« <! » n\'ouvre ni un commentaire (<!--), ni une section CDATA (<![CDATA[), ni un DOCTYPE'],
  [/^inappropriately located doctype declaration\.$/, () => 'DOCTYPE mal placé : il n\'en faut qu\'un, avant l\'élément racine (un CGPEM n\'en a pas)'],
  [/^processing instruction without a target\.$/, () => 'instruction de traitement sans nom : « <? » doit être suivi d\'un nom'],
  [/^disallowed character in processing instruction name\.$/, (_, at) => `caractère interdit dans le nom d'une instruction de traitement${read(at)}`],
  [/^processing instructions are not allowed before root\.$/, () => 'instruction de traitement mal placée avant l\'élément racine'],
  // the XML declaration
  [/^(?:an XML declaration must be|the XML declaration must appear) at the start of the document\.$/, () => 'la déclaration XML doit ouvrir le fichier, sans rien avant'],
  [/^XML declaration is incomplete\.$/, () => 'déclaration XML inachevée : « ? » avant la fin d\'un pseudo-attribut (version="1.0", encoding="ISO-8859-1")'],
  [/^XML declaration must contain a version\.$/, () => 'la déclaration XML ne donne pas la version : elle commence par version="1.0"'],
  [/^did not expect any more name\/value pairs\.$/, () => `pseudo-attribut sans nom dans la déclaration XML (${DECLARATION_ORDER})`],
  [/^expected the name (.*)\.$/, (m, at) => unexpectedPseudoAttribute(m[1] ?? '', at)],
  [/^expected one of (.*)$/, (m, at) => unexpectedPseudoAttribute(m[1] ?? '', at)],
  [/^value required\.$/, () => '« = » attendu après le nom d\'un pseudo-attribut de la déclaration XML (version="1.0")'],
  [/^value must be quoted\.$/, () => 'valeur sans guillemets dans la déclaration XML (version="1.0")'],
  [/^version number must match .*\.$/, () => 'numéro de version mal écrit dans la déclaration XML : version="1.0"'],
  [/^encoding value must match .*\.$/, () => 'valeur d\'encodage mal écrite dans la déclaration XML : encoding="ISO-8859-1"'],
  [/^standalone value must match "yes" or "no"\.$/, () => 'standalone vaut « yes » ou « no » dans la déclaration XML'],
  [/^whitespace required\.$/, (_, at) => at.seen === '>'
    ? 'la déclaration XML se termine par « ?> », pas par « > »'
    : at.seen === undefined
      ? 'dans la déclaration XML, une valeur est suivie d\'autre chose qu\'un blanc ; les pseudo-attributs se séparent par un espace'
      : `dans la déclaration XML, une valeur est suivie ${of(at.seen)} sans blanc ; les pseudo-attributs se séparent par un espace`],
  [/^The character \? is disallowed anywhere in XML declarations\.$/, () => '« ? » dans la déclaration XML ailleurs que dans son « ?> » final'],
  // namespaces (saxes checks them only when asked to, which the reader does not)
  [/^xml prefix must be bound to (.*)\.$/, (m) => `le préfixe xml ne peut désigner que ${m[1] ?? ''}`],
  [/^xmlns prefix must be bound to (.*)\.$/, (m) => `le préfixe xmlns ne peut désigner que ${m[1] ?? ''}`],
  [/^the default namespace may not be set to (.*)\.$/, (m) => `l'espace de noms par défaut ne peut pas être ${m[1] ?? ''}`],
  [/^may not assign a prefix \(even "xmlns"\) to the URI (.*)\.$/, (m) => `aucun préfixe ne peut désigner ${m[1] ?? ''}`],
  [/^may not assign the xml namespace to another prefix\.$/, () => 'l\'espace de noms de xml ne peut pas recevoir un autre préfixe'],
  [/^invalid attempt to undefine prefix in XML 1\.0$/, () => 'en XML 1.0, un préfixe d\'espace de noms ne peut pas être déclaré vide'],
  [/^tags may not have "xmlns" as prefix\.$/, () => 'un nom de balise ne peut pas avoir le préfixe xmlns'],
  [/^unbound namespace prefix: (.*)\.$/, (m) => `préfixe d'espace de noms ${m[1] ?? ''} non déclaré`],
  [/^malformed name: (.*)\.$/, (m) => `nom mal formé : ${m[1] ?? ''}`],
  // the parser used after its end (never by the reader)
  [/^cannot write after close; assign an onready handler\.$/, () => 'données reçues après la fin du document']
]

export function translateSaxesError (raw: string, at: SaxesFailure = {}): string {
  const message = raw.replace(/^(?:[^:]*:)?\d+:\d+: /, '')
  for (const [re, fr] of TRANSLATIONS) {
    const m = re.exec(message)
    if (m) return `XML mal formé : ${fr(m, at)}`
  }
  return `XML mal formé (message de l'analyseur XML : « ${message.replace(/\.$/, '')} »)`
}
