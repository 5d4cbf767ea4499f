import t from 'tap'
import { isDeepStrictEqual } from 'node:util'
import { CGPEM_XML_DECLARATION } from '../../src/generate/cgpem-file.js'
import type { ValidationReport } from '../../src/validate/report.js'
import type { ReadPath } from '../../src/validate/xml-reader.js'
import { rawOrientation, TODAY, VALID, validateChunked, xmlDoc, xmlFile } from './helpers.js'

/**
 * The report of a file does not depend on how it is cut into chunks: small
 * files, valid and broken, read whole, a byte at a time and cut in two at
 * every offset, on both read paths. fast-path.test.ts compares the two paths
 * on the same chunks; here every chunking is compared with the file read
 * whole.
 */

const DECL = CGPEM_XML_DECLARATION
const BOM = Buffer.from([0xEF, 0xBB, 0xBF])
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1')

const FILES: ReadonlyArray<{ name: string, input: Buffer }> = [
  { name: 'text right after the root', input: latin1(`${DECL}<CGPEM/>garbage`) },
  { name: 'text between the declaration and the root', input: latin1(`${DECL}\nabc\n<CGPEM/>`) },
  { name: 'text after the root, after white space and line ends', input: latin1(`${DECL}\n<CGPEM/>\n \t\r\n  oops\n`) },
  { name: 'text after the root, CR line ends', input: latin1(`${DECL}\r<CGPEM/>\r\r  oops\r`) },
  { name: 'a reference after the root', input: latin1(`${DECL}\n<CGPEM/>\n  &amp;x`) },
  { name: 'a bare « & » after the root', input: latin1(`${DECL}\n<CGPEM/>\n  R&D <`) },
  { name: 'a comment then text after the root', input: latin1(`${DECL}\n<CGPEM/><!-- c -->\n x`) },
  { name: 'CDATA after the root', input: latin1(`${DECL}\n<CGPEM/>\n<![CDATA[x]]>`) },
  { name: 'a control byte after the root', input: latin1(`${DECL}\n<CGPEM/>\n\u0001 y`) },
  { name: 'text before the declaration', input: latin1(`x${DECL}<CGPEM/>`) },
  { name: 'text after an orientation and the root', input: Buffer.concat([xmlDoc(rawOrientation({ NIR: '2850599042123', NOM_NAISSANCE: 'A' })), latin1('\n  fin\n')]) },
  { name: 'text after the root, with a byte-order mark', input: Buffer.concat([BOM, latin1(`${DECL}<CGPEM/>garbage`)]) },
  { name: 'a valid file', input: xmlFile([VALID]) },
  { name: 'a valid file with a byte-order mark', input: Buffer.concat([BOM, xmlFile([VALID])]) },
  { name: 'a truncated file', input: xmlFile([VALID]).subarray(0, 300) },
  { name: 'a mismatched end tag', input: xmlDoc(rawOrientation({ NIR: '2850599042123' }).replace('</NIR>', '</NIX>')) }
]

function run (input: Buffer, path: ReadPath, chunks: readonly number[]): ValidationReport {
  return validateChunked(input, chunks, { today: TODAY, path })
}

t.test('text outside the root is reported at its first character that is not white space, however the file is cut', async (t) => {
  const cases: ReadonlyArray<{ input: Buffer, line: number, column: number }> = [
    // the declaration is 43 characters, <CGPEM/> 8: « g » is at column 52
    { input: latin1(`${DECL}<CGPEM/>garbage`), line: 1, column: 52 },
    { input: latin1(`${DECL}\nabc\n<CGPEM/>`), line: 2, column: 1 },
    { input: latin1(`${DECL}\n<CGPEM/>\n \t\r\n  oops\n`), line: 4, column: 3 },
    { input: latin1(`${DECL}\n<CGPEM/>\n  &amp;x`), line: 3, column: 3 }
  ]
  for (const { input, line, column } of cases) {
    for (const path of ['fast', 'complete'] as const) {
      for (const chunks of [[input.length], [1], [input.length - 2, 2]]) {
        const r = run(input, path, chunks)
        t.match(r.findings, [{ code: 'CGPEM_XML_MALFORMED', line, column, message: /texte hors de l'élément racine/ }], `${JSON.stringify(input.toString('latin1'))}, ${path}, chunks ${chunks.join(',')}`)
      }
    }
  }
})

t.test('small files, valid and broken: read whole, a byte at a time or cut anywhere in two, the same report on both paths', async (t) => {
  for (const { name, input } of FILES) {
    const whole = run(input, 'fast', [input.length])
    const differences: string[] = []
    const compare = (path: ReadPath, chunks: readonly number[]): void => {
      const r = run(input, path, chunks)
      if (!isDeepStrictEqual(r, whole)) differences.push(`${path}, chunks ${chunks.join(',')}: ${JSON.stringify(r.findings.slice(0, 2))}`)
    }
    compare('complete', [input.length])
    for (const path of ['fast', 'complete'] as const) {
      compare(path, [1])
      for (let at = 1; at < input.length; at++) compare(path, [at, input.length - at])
    }
    t.same(differences.slice(0, 3), [], `${name}: ${2 * input.length + 1} chunkings, the report read whole ${JSON.stringify(whole.findings.slice(0, 2))}`)
  }
})
