import { FINDING_CODES, type FindingCode } from './codes.js'
import { findingLine, recordWord } from './format-text.js'
import type { Finding, ReportFormat, ValidationReport } from './report.js'

/**
 * The report as JUnit XML, for CI. One testsuite for the file; one testcase
 * per rule code of codes.ts for its kind of file (CGPEM_* or PECGM_*), every
 * time, so that a CI keeps the history of each rule from run to run. A rule
 * of severity error with findings fails (one <failure>, its findings
 * listed); warnings and infos never fail and are listed in <system-out>. The
 * findings left out of a capped report are counted in the failure's message.
 */

/** XML 1.0 text: escaped, without the characters XML forbids. */
export function xmlText (s: string): string {
  return s
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
}

export function formatJunit (report: ValidationReport<ReportFormat>, fileName: string): string {
  const byCode = new Map<FindingCode, Finding[]>()
  for (const f of report.findings) {
    const list = byCode.get(f.code)
    if (list) list.push(f)
    else byCode.set(f.code, [f])
  }
  const kind = report.format === 'pecgm' ? 'PECGM' : 'CGPEM'
  const codes = (Object.keys(FINDING_CODES) as FindingCode[]).filter((c) => c.startsWith(`${kind}_`))
  const word = recordWord(report.format)
  const suite = `${kind} ${fileName}`
  let failures = 0
  const cases: string[] = []
  for (const code of codes) {
    const info = FINDING_CODES[code]
    const total = report.stats.byCode[code] ?? 0
    const listed = (byCode.get(code) ?? []).map((f) => findingLine(f, word)).join('\n')
    const name = xmlText(`${code} : ${info.title}`)
    const head = `    <testcase classname="${xmlText(suite)}" name="${name}">`
    if (total === 0) {
      cases.push(`${head.slice(0, -1)}/>`)
      continue
    }
    const more = total > (byCode.get(code)?.length ?? 0) ? ` (liste tronquée : ${total - (byCode.get(code)?.length ?? 0)} non listé(s))` : ''
    if (info.severity === 'error') {
      failures++
      cases.push(`${head}\n      <failure type="${code}" message="${xmlText(`${total} constat(s) : ${info.title}${more}`)}">${xmlText(listed)}</failure>\n    </testcase>`)
    } else {
      cases.push(`${head}\n      <system-out>${xmlText(`${total} ${info.severity === 'warning' ? 'avertissement(s)' : 'information(s)'}${more}\n${listed}`)}</system-out>\n    </testcase>`)
    }
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="phebus-mock validate" tests="${codes.length}" failures="${failures}" errors="0">`,
    `  <testsuite name="${xmlText(suite)}" tests="${codes.length}" failures="${failures}" errors="0" skipped="0">`,
    `    <properties><property name="format" value="${report.format ?? 'inconnu'}"/><property name="records" value="${report.stats.records}"/><property name="bytes" value="${report.stats.bytes}"/><property name="valid" value="${String(report.valid)}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}
