import { CGPEM_FIELDS, CGPEM_RECORD, CGPEM_ROOT, NATURES_ACCOMPAGNEMENT, type CgpemField } from '../layouts/cgpem.js'
import type { FindingCode } from './codes.js'
import { EMAIL_PATTERN, IDENTIFIANT_PE_PATTERN, NIR_PATTERN, TYPE_RANGES } from './fields.js'

/**
 * The CGPEM XSD, built from CGPEM_FIELDS and the validator's own patterns:
 * element order, required (minOccurs), lengths, characters of each type, the
 * NIR, identifiant and e-mail patterns, the natures 01–06. It ships as
 * docs/cgpem.xsd; test/validate/xsd.test.ts checks that the file is this
 * text. To regenerate it:
 *
 *   node --import=tsx -e "import('./src/validate/xsd.ts').then((m) => process.stdout.write(m.buildCgpemXsd()))" > docs/cgpem.xsd
 *
 * Rules an XSD cannot say stay with the validator alone: calendar dates,
 * dates against the day of the upload, the encoding of the bytes, rules across
 * fields and records. A blank value (spaces only) of an optional field is an
 * absent one, for the validator as for this schema.
 */

/** Findings an XSD can express: the validator and xmllint must agree on them. */
export const XSD_EXPRESSIBLE: ReadonlySet<FindingCode> = new Set<FindingCode>([
  'CGPEM_XML_MALFORMED', 'CGPEM_ROOT', 'CGPEM_ELEMENT_UNKNOWN', 'CGPEM_ELEMENT_REPEATED', 'CGPEM_ELEMENT_ORDER',
  'CGPEM_ATTRIBUTE_UNEXPECTED', 'CGPEM_TEXT_UNEXPECTED', 'CGPEM_ORIENTATION_EMPTY', 'CGPEM_NO_ORIENTATION',
  'CGPEM_FIELD_REQUIRED', 'CGPEM_FIELD_TOO_LONG', 'CGPEM_FIELD_LENGTH', 'CGPEM_FIELD_TYPE',
  'CGPEM_NIR_INVALID', 'CGPEM_NATURE_UNKNOWN', 'CGPEM_IDENTIFIANT_PE_INVALID', 'CGPEM_EMAIL_INVALID'
])

/** One character of a class: letters and digits as they are, regex metacharacters escaped, the rest as references. */
function charRef (c: number): string {
  const ch = String.fromCharCode(c)
  if (/[A-Za-z0-9]/.test(ch)) return ch
  if ('-[]\\^'.includes(ch)) return `\\${ch}`
  return `&#x${c.toString(16).toUpperCase()};`
}

/** A character class of XSD regular expressions, characters written as references. */
function charClass (ranges: ReadonlyArray<readonly [number, number]>, withoutSpace = false): string {
  let s = ''
  for (const [lo, hi] of ranges) {
    if (withoutSpace && lo === 0x20 && hi === 0x20) continue
    if (withoutSpace && lo === 0x20) s += `${charRef(0x21)}-${charRef(hi)}`
    else s += lo === hi ? charRef(lo) : `${charRef(lo)}-${charRef(hi)}`
  }
  return `[${s}]`
}

const RULE_PATTERNS: Partial<Record<CgpemField['rule'], string>> = {
  nir: NIR_PATTERN,
  'identifiant-pe': IDENTIFIANT_PE_PATTERN,
  email: EMAIL_PATTERN
}

/** The facets of one field, as lines of XML. */
function facets (f: CgpemField): string[] {
  const required = f.required === true
  if (f.rule === 'nature') {
    return [...NATURES_ACCOMPAGNEMENT.keys()].map((v) => `<xs:enumeration value="${v}"/>`)
  }
  const chars = charClass(TYPE_RANGES[f.type])
  const rule = RULE_PATTERNS[f.rule]
  if (f.fixed) {
    const exact = rule ?? `${chars}{${f.length}}`
    return required ? [`<xs:length value="${f.length}"/>`, `<xs:pattern value="${exact}"/>`] : [`<xs:pattern value=" *|${exact}"/>`]
  }
  const lines = [`<xs:maxLength value="${f.length}"/>`]
  if (rule !== undefined) lines.push(`<xs:pattern value="${required ? '' : ' *|'}${rule}"/>`)
  else if (required) lines.push(`<xs:pattern value=" *${charClass(TYPE_RANGES[f.type], true)}${chars}*"/>`)
  else lines.push(`<xs:pattern value="${chars}*"/>`)
  return lines
}

function describe (f: CgpemField): string {
  const presence = f.required === true ? 'obligatoire' : f.required === 'warning' ? 'attendue (absente : avertissement, décision D7)' : 'facultative'
  return `${f.label} : ${f.type === 'D' ? 'date SSAAMMJJ' : f.type}, ${f.fixed ? 'exactement' : 'au plus'} ${f.length} caractères, ${presence}`
}

function fieldElement (f: CgpemField): string {
  const pad = '              '
  return [
    `${pad}<xs:element name="${f.name}"${f.required === true ? '' : ' minOccurs="0"'}>`,
    `${pad}  <xs:annotation><xs:documentation>${describe(f).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</xs:documentation></xs:annotation>`,
    `${pad}  <xs:simpleType>`,
    `${pad}    <xs:restriction base="xs:string">`,
    ...facets(f).map((l) => `${pad}      ${l}`),
    `${pad}    </xs:restriction>`,
    `${pad}  </xs:simpleType>`,
    `${pad}</xs:element>`
  ].join('\n')
}

export function buildCgpemXsd (): string {
  return `<?xml version="1.0" encoding="UTF-8"?>
<!-- CGPEM, forme XML (Annexe 3 et décision D6 de phebus-mock).
     Fichier produit par src/validate/xsd.ts à partir de la table CGPEM_FIELDS : ne pas le modifier à la main.
     Ce schéma ne vérifie ni les dates du calendrier, ni les dates par rapport au jour du dépôt,
     ni l'encodage des octets, ni les règles entre zones et entre orientations :
     « phebus-mock validate » les vérifie. -->
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:element name="${CGPEM_ROOT}">
    <xs:complexType>
      <xs:sequence>
        <xs:element name="${CGPEM_RECORD}" maxOccurs="unbounded">
          <xs:complexType>
            <xs:sequence>
${CGPEM_FIELDS.map(fieldElement).join('\n')}
            </xs:sequence>
          </xs:complexType>
        </xs:element>
      </xs:sequence>
    </xs:complexType>
  </xs:element>
</xs:schema>
`
}
