import { xmlText } from '../validate/format-junit.js'

/**
 * What `qualify` found, in the three forms of `validate`: text for a person
 * (the steps as they happen, then the checks and the verdict), one JSON
 * document, or JUnit XML with one test case per check of the plan, for a
 * CI's test report.
 */

export const QUALIFY_FORMATS = ['text', 'json', 'junit'] as const
export type QualifyFormat = typeof QUALIFY_FORMATS[number]

export interface QualifyCheck { id: string, title: string, status: string, reason?: string }

export interface QualifyRun {
  user: string
  url: string
  iteration: number | null
  step: number | null
  /** the steps played, in order */
  steps: { n: number, text: string }[]
  checks: QualifyCheck[]
  /** 'positif', 'négatif', 'en cours'… as the server says; null when the run stopped before it */
  verdict: string | null
  approved: boolean
  /** set when the run stopped on a refusal or an unreachable server */
  error: { code: string, message: string } | null
  exitCode: number
}

const MARKS: Record<string, string> = { passed: '✔', failed: '✘', todo: '…' }

/** The closing part of the text form (the steps were printed as they happened). */
export function qualifyText (run: QualifyRun): string {
  const lines = ['', 'Contrôles :']
  for (const c of run.checks) {
    lines.push(`  ${MARKS[c.status] ?? c.status} ${c.id} : ${c.title}`)
    if (c.reason) lines.push(`      ${c.reason}`)
  }
  lines.push('', `Verdict : ${run.verdict ?? 'inconnu'}`)
  if (run.approved) lines.push('Bilan validé au nom du département.')
  return lines.join('\n')
}

export function qualifyJson (run: QualifyRun): string {
  return `${JSON.stringify(run, null, 2)}\n`
}

export function qualifyJunit (run: QualifyRun): string {
  const suite = `qualification ${run.user}`
  const failures = run.checks.filter((c) => c.status === 'failed').length
  const skipped = run.checks.filter((c) => c.status !== 'failed' && c.status !== 'passed').length
  const errors = run.error === null ? 0 : 1
  const cases = run.checks.map((c) => {
    const head = `    <testcase classname="${xmlText(suite)}" name="${xmlText(`${c.id} : ${c.title}`)}">`
    if (c.status === 'passed') return `${head.slice(0, -1)}/>`
    if (c.status === 'failed') return `${head}\n      <failure type="${xmlText(c.id)}" message="${xmlText(c.reason ?? c.title)}"/>\n    </testcase>`
    return `${head}\n      <skipped message="${xmlText(c.reason ?? 'pas encore fait')}"/>\n    </testcase>`
  })
  if (run.error !== null) {
    cases.push(`    <testcase classname="${xmlText(suite)}" name="serveur">\n      <error type="${xmlText(run.error.code)}" message="${xmlText(run.error.message)}"/>\n    </testcase>`)
  }
  const tests = cases.length
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="phebus-mock qualify" tests="${tests}" failures="${failures}" errors="${errors}">`,
    `  <testsuite name="${xmlText(suite)}" tests="${tests}" failures="${failures}" errors="${errors}" skipped="${skipped}">`,
    `    <properties><property name="url" value="${xmlText(run.url)}"/><property name="iteration" value="${run.iteration ?? ''}"/><property name="verdict" value="${xmlText(run.verdict ?? '')}"/></properties>`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    ''
  ].join('\n')
}
