import { createRequire } from 'node:module'
import { dirname, join, sep } from 'node:path'
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs'

/**
 * A PDF read back as text by pdf.js (Firefox's reader, from npm): the tests
 * check what a reader of the document sees, with nothing but Node. Offline:
 * the standard fonts come from the package, nothing is fetched, no script of
 * the document is evaluated, and in Node pdf.js parses in this thread.
 */

const STANDARD_FONTS = join(dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json')), 'standard_fonts') + sep

/** The text of every page, in reading order, each run of blanks and line ends as one space. */
export async function pdfText (pdf: Uint8Array): Promise<string> {
  // pdf.js takes the bytes over: hand it a copy
  const doc = await getDocument({ data: new Uint8Array(pdf), standardFontDataUrl: STANDARD_FONTS, isEvalSupported: false, useSystemFonts: false, stopAtErrors: true }).promise
  try {
    let text = ''
    for (let n = 1; n <= doc.numPages; n++) {
      const page = await doc.getPage(n)
      const content = await page.getTextContent()
      for (const item of content.items) if ('str' in item) text += item.str + (item.hasEOL ? '\n' : '')
      text += '\n'
      page.cleanup()
    }
    return text.replace(/\s+/g, ' ').trim()
  } finally {
    await doc.destroy()
  }
}
