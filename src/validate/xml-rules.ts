import { CGPEM_FIELDS, type CgpemField } from '../layouts/cgpem.js'

/**
 * What the XML reader tells apart, kept out of its event plumbing: the
 * fields by name, blank text, tolerated attributes, where stray text starts.
 */

/**
 * Field names told apart by their length and first letter (checked unique
 * here), then compared once: no hashing of the fresh strings saxes makes.
 */
const nameKey = (name: string): number => ((name.length & 63) << 7) | (name.charCodeAt(0) & 127)
const FIELD_BY_KEY = new Int8Array(64 << 7).fill(-1)
for (const [i, f] of CGPEM_FIELDS.entries()) {
  if (FIELD_BY_KEY[nameKey(f.name)] !== -1) throw new Error('xml-reader: two CGPEM fields share a length and a first letter')
  FIELD_BY_KEY[nameKey(f.name)] = i
}

/** The field's index in the table, without hashing the fresh string saxes made; undefined for another name. */
export function fieldIndex (name: string): number | undefined {
  const i = FIELD_BY_KEY[nameKey(name)] as number
  return i >= 0 && (CGPEM_FIELDS[i] as CgpemField).name === name ? i : undefined
}

/** The namespace of XML Schema's instance attributes (xsi:…). */
export const XSI_NAMESPACE = 'http://www.w3.org/2001/XMLSchema-instance'

/**
 * What is no data among attributes, as a schema validator reads them (the
 * XSD of docs/cgpem.xsd, libxml2): namespace declarations (xmlns="" and
 * xmlns:…), and where the schema is (xsi:schemaLocation,
 * xsi:noNamespaceSchemaLocation) when the prefix xsi is bound to XSI's
 * namespace (`xsiBound`). Any other xsi:… (nil, type) changes what the
 * schema checks, and libxml2 refuses it on a CGPEM: it is an attribute like
 * any other.
 */
export function allowedAttribute (name: string, value: string, xsiBound: boolean): boolean {
  if (name.startsWith('xmlns:') || (name === 'xmlns' && value === '')) return true
  return xsiBound && (name === 'xsi:schemaLocation' || name === 'xsi:noNamespaceSchemaLocation')
}

/** Blank for the structure: XML white space, and the stand-in of bytes already reported. */
export function isBlankText (t: string): boolean {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c !== 0x20 && c !== 0x0A && c !== 0x09 && c !== 0x0D && (c < 0x80 || c > 0x9F)) return false
  }
  return true
}

/**
 * Where the first non-blank character of a text event stands, from where
 * saxes is now (just past the '<' that ended the text, at `column`) and where
 * the tag before the text ended (`startColumn`).
 */
export function firstNonBlank (t: string, line: number, column: number, startColumn: number): { line: number, column: number, text: string } {
  const k = t.search(/[^ \t\r\n\u0080-\u009f]/)
  const after = t.slice(k)
  const newlines = after.split('\n').length - 1
  const before = t.lastIndexOf('\n', k)
  return {
    line: line - newlines,
    column: newlines === 0 ? column - after.length : before >= 0 ? k - before : startColumn + k + 1,
    text: after.trim()
  }
}
