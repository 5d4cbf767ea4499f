import { encodeRecordInto } from '../layouts/engine.js'
import { CGPEM_FIELDS, CGPEM_FIXED_LAYOUT, CGPEM_RECORD, CGPEM_ROOT } from '../layouts/cgpem.js'
import { encodeLatin1, toLatin1Text, type Latin1Text } from '../text/latin1.js'

/**
 * Writes CGPEM files, the département's orientations, in either form of
 * decision D6: XML (ISO-8859-1, the declaration naming it) or fixed-width
 * lines. Values go through the same ISO-8859-1 pipeline as every text the
 * project writes. An orientation maps element names to values; an absent or
 * empty optional value is left out (XML) or blank (fixed).
 */

export type CgpemForm = 'xml' | 'fixed'
export type Orientation = Readonly<Record<string, string | undefined>>

export const CGPEM_XML_DECLARATION = '<?xml version="1.0" encoding="ISO-8859-1"?>'

function escapeXml (s: string): string {
  return s.replace(/[&<>]/g, (c) => c === '&' ? '&amp;' : c === '<' ? '&lt;' : '&gt;')
}

export function orientationXml (o: Orientation): string {
  let s = `  <${CGPEM_RECORD}>\n`
  for (const f of CGPEM_FIELDS) {
    const v = o[f.name]
    if (v === undefined || v === '') continue
    s += `    <${f.name}>${escapeXml(toLatin1Text(v, { what: `l'élément ${f.name}` }))}</${f.name}>\n`
  }
  return `${s}  </${CGPEM_RECORD}>\n`
}

/** The file as chunks of about `chunkSize` bytes: flat memory for any number of orientations. */
export function * cgpemChunks (orientations: Iterable<Orientation>, form: CgpemForm, chunkSize = 1 << 20): Generator<Buffer> {
  if (form === 'fixed') {
    const stride = CGPEM_FIXED_LAYOUT.length + 1
    const perChunk = Math.max(1, Math.floor(chunkSize / stride))
    let out = Buffer.allocUnsafe(perChunk * stride)
    let n = 0
    for (const o of orientations) {
      encodeRecordInto(out, n * stride, CGPEM_FIXED_LAYOUT, o)
      out[n * stride + CGPEM_FIXED_LAYOUT.length] = 0x0A
      if (++n === perChunk) {
        yield out
        out = Buffer.allocUnsafe(perChunk * stride)
        n = 0
      }
    }
    if (n > 0) yield out.subarray(0, n * stride)
    return
  }
  let text = `${CGPEM_XML_DECLARATION}\n<${CGPEM_ROOT}>\n`
  for (const o of orientations) {
    text += orientationXml(o)
    if (text.length >= chunkSize) {
      yield encodeLatin1(text as Latin1Text)
      text = ''
    }
  }
  text += `</${CGPEM_ROOT}>\n`
  yield encodeLatin1(text as Latin1Text)
}
