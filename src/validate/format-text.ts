import { FINDING_CODES, type FindingCode, type Severity } from './codes.js'
import type { Finding, ReportFormat, ValidationReport } from './report.js'
import { forTerminal } from '../text/controls.js'

/**
 * The report for a person, in French: the verdict, then the findings grouped
 * by code (errors first), each with its count and one line per finding:
 * `ligne L, col C, orientation R, FIELD : message` (for a PECGM,
 * `enregistrement R`).
 */

const SEVERITY_WORD: Readonly<Record<Severity, [string, string]>> = {
  error: ['erreur', 'erreurs'],
  warning: ['avertissement', 'avertissements'],
  info: ['information', 'informations']
}
const SEVERITY_RANK: Readonly<Record<Severity, number>> = { error: 0, warning: 1, info: 2 }

function count (n: number, [one, many]: [string, string]): string {
  return `${n.toLocaleString('fr-FR')} ${n > 1 ? many : one}`
}

/** What a report's records are: a CGPEM's orientations, a PECGM's records. */
export function recordWord (format: ReportFormat | null): string {
  return format === 'pecgm' ? 'enregistrement' : 'orientation'
}

export function findingLine (f: Finding, record = 'orientation'): string {
  const where: string[] = []
  if (f.line !== undefined) where.push(`ligne ${f.line}`)
  if (f.column !== undefined) where.push(`col ${f.column}`)
  if (f.record !== undefined) where.push(`${record} ${f.record}`)
  let s = where.join(', ')
  if (f.field !== undefined) s += `${s === '' ? '' : ', '}${f.field}`
  s += `${s === '' ? '' : ' : '}${f.message}`
  if (f.value !== undefined && f.value !== '' && !f.message.includes(f.value)) s += ` (lu « ${f.value} »)`
  return s
}

export function formatText (report: ValidationReport<ReportFormat>, fileName: string): string {
  const { stats } = report
  const form = report.format === 'xml' ? 'XML' : report.format === 'fixed' ? 'largeur fixe' : report.format === 'pecgm' ? 'PECGM' : 'forme inconnue'
  const records: [string, string] = report.format === 'pecgm' ? ['enregistrement détail', 'enregistrements détail'] : ['orientation', 'orientations']
  const word = recordWord(report.format)
  const lines = [
    `${forTerminal(fileName)} : ${report.valid ? 'ACCEPTÉ' : 'REJETÉ'} — ${count(stats.errors, SEVERITY_WORD.error)}, ${count(stats.warnings, SEVERITY_WORD.warning)}, ${count(stats.infos, SEVERITY_WORD.info)}`,
    `(${form}, ${count(stats.records, records)}, ${count(stats.bytes, ['octet', 'octets'])})`
  ]
  const groups = new Map<FindingCode, Finding[]>()
  for (const f of report.findings) {
    const list = groups.get(f.code)
    if (list) list.push(f)
    else groups.set(f.code, [f])
  }
  const codes = (Object.keys(stats.byCode) as FindingCode[])
    .sort((a, b) => SEVERITY_RANK[FINDING_CODES[a].severity] - SEVERITY_RANK[FINDING_CODES[b].severity])
  for (const code of codes) {
    const info = FINDING_CODES[code]
    const total = stats.byCode[code] ?? 0
    const shown = groups.get(code) ?? []
    const listed = shown.length < total ? ` (${shown.length.toLocaleString('fr-FR')} listés)` : ''
    lines.push('', `${code} — ${info.title} (${SEVERITY_WORD[info.severity][0]}) : ${total.toLocaleString('fr-FR')}${listed}`)
    for (const f of shown) lines.push(`  ${findingLine(f, word)}`)
  }
  if (report.truncated && report.omitted) {
    const omitted = Object.values(report.omitted).reduce((a, b) => a + (b ?? 0), 0)
    lines.push('', `Liste tronquée : ${count(omitted, ['constat non listé', 'constats non listés'])} ; tous sont comptés ci-dessus (--max-findings pour en lister plus).`)
  }
  return `${lines.join('\n')}\n`
}
