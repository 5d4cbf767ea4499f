/**
 * saxes reports well-formedness errors in English ("1:5: disallowed
 * character."). The users read French: the common ones are translated, the
 * others keep saxes' words in parentheses.
 */
const TRANSLATIONS: ReadonlyArray<[RegExp, (m: RegExpExecArray) => string]> = [
  [/^disallowed character in tag name/, () => 'caractère interdit dans un nom de balise'],
  [/^disallowed character in closing tag/, () => 'caractère interdit dans une balise fermante'],
  [/^disallowed character in attribute name/, () => 'caractère interdit dans un nom d\'attribut'],
  [/^disallowed character/, () => 'caractère interdit en XML'],
  [/^unexpected close tag/, () => 'balise fermante qui ne ferme pas le dernier élément ouvert'],
  [/^unmatched closing tag: (.*?)\.?$/, (m) => `balise fermante </${m[1] ?? ''}> sans balise ouvrante`],
  [/^unclosed tag: (.*)$/, (m) => `élément ${m[1] ?? ''} jamais fermé (fichier tronqué ?)`],
  [/^unexpected end/, () => 'fin de fichier au milieu d\'une construction XML (fichier tronqué ?)'],
  [/^document must contain a root element/, () => 'aucun élément racine'],
  [/^documents may contain only one root/, () => 'un second élément racine ; un document XML n\'en a qu\'un'],
  [/^text data outside of root node/, () => 'texte hors de l\'élément racine'],
  [/^entity reference without its semicolon/, () => '« & » sans « ; » : une référence s\'écrit &nom; ; une esperluette seule s\'écrit &amp;'],
  [/^undefined entity/, () => 'entité inconnue ; sans DTD, seules &amp; &lt; &gt; &quot; &apos; et les références numériques existent'],
  [/^malformed character entity/, () => 'référence de caractère invalide'],
  [/^(an )?XML declaration must be at the start|^the XML declaration must appear at the start/i, () => 'la déclaration XML doit ouvrir le fichier, sans rien avant'],
  [/^attribute without value|^unquoted attribute value/, () => 'attribut mal écrit'],
  [/^the string "\]\]>" is disallowed/, () => 'la suite « ]]> » est interdite dans le texte'],
  [/^malformed comment/, () => 'commentaire mal formé (« -- » y est interdit)'],
  [/^encoding value must match/, () => 'valeur d\'encodage mal écrite dans la déclaration XML']
]

export function translateSaxesError (raw: string): string {
  const message = raw.replace(/^(?:[^:]*:)?\d+:\d+: /, '')
  for (const [re, fr] of TRANSLATIONS) {
    const m = re.exec(message)
    if (m) return `XML mal formé : ${fr(m)}`
  }
  return `XML mal formé (${message.replace(/\.$/, '')})`
}
