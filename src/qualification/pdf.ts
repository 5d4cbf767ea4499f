import PDFDocument from 'pdfkit'
import type { Bilan } from './bilan.js'
import { approvalText, dateFr, dateTimeFr, FICTION_NOTICE, STATUS_WORDS, suiteItems, suiteText, verdictHeading } from './render.js'

/**
 * The bilan as a PDF, made by the server itself (pdfkit, its standard
 * Helvetica: no browser, no font file). Dated by the bilan, not by the clock,
 * so the same bilan gives the same document.
 */
export async function bilanPdf (bilan: Bilan): Promise<Buffer> {
  const b = printable(bilan)
  const doc = new PDFDocument({
    size: 'A4',
    margin: 50,
    info: { Title: `Bilan de qualification — département ${b.departement.code}, itération ${b.iteration}`, Author: 'phebus-mock', Subject: b.convention.annexe, CreationDate: new Date(b.issuedAt), ModDate: new Date(b.issuedAt) }
  })
  const chunks: Buffer[] = []
  doc.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)))
    doc.on('error', reject)
  })

  const h2 = (text: string): void => { doc.moveDown(0.8).font('Helvetica-Bold').fontSize(13).text(text).moveDown(0.3).font('Helvetica').fontSize(10) }
  doc.font('Helvetica').fontSize(8).fillColor('#555').text(FICTION_NOTICE).fillColor('black')
  doc.moveDown().font('Helvetica-Bold').fontSize(18).text('Bilan de qualification')
  doc.font('Helvetica').fontSize(10)
    .text(`${b.convention.modele} — ${b.convention.annexe}`)
    .text(`Parties : ${b.convention.parties[0]} et ${b.convention.parties[1]} (${b.departement.code})`)
    .text(`Itération ${b.iteration} · émis le ${dateTimeFr(b.issuedAt)} · planning du ${dateFr(b.planning.debut)} au ${dateFr(b.planning.fin)}`)

  h2('Correspondants')
  for (const r of b.correspondents) {
    doc.font('Helvetica-Bold').text(r.libelle).font('Helvetica')
      .text(`Pôle emploi : ${r.poleEmploi.prenom} ${r.poleEmploi.nom}, ${r.poleEmploi.fonction}, ${r.poleEmploi.telephone}, ${r.poleEmploi.email}`, { indent: 12 })
      .text(`Département : ${r.departement.prenom} ${r.departement.nom}, ${r.departement.fonction}, ${r.departement.telephone}, ${r.departement.email}`, { indent: 12 })
  }

  h2('Plan de qualification')
  for (const c of b.checks) {
    const color = c.status === 'passed' ? '#075' : c.status === 'failed' ? '#b00' : '#666'
    doc.font('Helvetica-Bold').fillColor(color).text(`${STATUS_WORDS[c.status].toUpperCase()}  `, { continued: true })
      .fillColor('black').text(`${c.id} : ${c.title}${c.required ? '' : ' (facultatif)'}`)
    doc.font('Helvetica')
    if (c.reason) doc.fillColor('#b00').text(c.reason, { indent: 12 }).fillColor('black')
    for (const e of c.evidence) {
      doc.fontSize(9).text(`• ${e.what}${e.file ? ` — ${e.file}` : ''}${e.at ? ` (${dateTimeFr(e.at)})` : ''}${e.reportId ? `, rapport ${e.reportId}` : ''}${e.sha256 ? `, SHA-256 ${e.sha256}` : ''}`, { indent: 12 }).fontSize(10)
    }
    doc.moveDown(0.3)
  }

  h2('Verdict')
  doc.font('Helvetica-Bold').fontSize(14).text(verdictHeading(b)).font('Helvetica').fontSize(10)
  doc.text(suiteText(b))
  for (const x of suiteItems(b)) doc.text(`• ${x}`, { indent: 12 })

  h2('Validations')
  doc.text(approvalText('Département', b.approvals.departement)).text(approvalText('Pôle emploi', b.approvals.poleEmploi))
    .text(b.final ? 'Validé par les deux parties : ce bilan est définitif.' : 'Ce bilan n\'est pas encore validé par les deux parties.')

  h2('Sceau')
  doc.text('SHA-256 du JSON canonique du bilan :').font('Courier').fontSize(9).text(b.seal)
  doc.end()
  return done
}

/** What pdfkit's standard fonts (WinAnsiEncoding) have besides the printable characters of Latin-1. */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ')
/** Letters without a decomposition, written as their base letter. */
const BASE_LETTERS: Readonly<Record<string, string>> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't' }

function inFont (c: string): boolean {
  const n = c.codePointAt(0) ?? 0
  return (n >= 0x20 && n <= 0x7e) || (n >= 0xa0 && n <= 0xff) || WIN_ANSI_EXTRA.has(c)
}

/**
 * A text as the PDF's font can print it: a letter it lacks without its marks
 * (ź: z), or its base letter (ł: l), else « ? ». pdfkit writes any other
 * character as bytes of its code, which a reader shows as other letters or
 * control characters (an admin names the départements it creates freely).
 */
export function pdfPrintable (s: string): string {
  let all = true
  for (const c of s) if (!inFont(c)) { all = false; break }
  if (all) return s
  return [...s].map((c) => inFont(c) ? c : BASE_LETTERS[c] ?? ([...c.normalize('NFD')].filter(inFont).join('') || '?')).join('')
}

/** The bilan with every text printable (pdfPrintable); its seal, hexadecimal, as it is. */
function printable<T> (value: T): T {
  if (typeof value === 'string') return pdfPrintable(value) as T
  if (Array.isArray(value)) return value.map(printable) as T
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, printable(v)])) as T
  return value
}
