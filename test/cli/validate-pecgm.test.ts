import t, { type Test } from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { SaxesParser } from 'saxes'
import { VALIDATE_HELP } from '../../src/cli/validate.js'
import { pecgmChunks } from '../../src/generate/pecgm-file.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import type { Terminator } from '../../src/layouts/pecgm-reader.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { FINDING_CODES } from '../../src/validate/codes.js'
import type { ReportFormat, ValidationReport } from '../../src/validate/report.js'
import { person, xmlFile } from '../validate/helpers.js'
import { cli } from './helpers.js'

/** `phebus-mock validate` on a PECGM: recognised from its bytes, reported with the CGPEM's machinery (the clock of cli() is 2026-11-27). */

const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname
const demo = await loadScenarioFile(DEMO)
const STRIDE = 1201
const DETAILS = 30
const PECGM_CODES = Object.keys(FINDING_CODES).filter((c) => c.startsWith('PECGM_'))

/** A stock of 30 details written by `phebus-mock generate` (LF, record 32 its footer). */
async function generatedFile (t: Test, name = 'PECGM_77_M_20261101_20261101.txt'): Promise<string> {
  const path = join(t.testdir(), name)
  const r = await cli('generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', String(DETAILS), '--output', path)
  t.equal(r.code, 0, 'generated')
  return path
}

function write (t: Test, name: string, bytes: Buffer): string {
  const path = join(t.testdirName, name)
  writeFileSync(path, bytes)
  return path
}

async function json (...args: string[]): Promise<{ code: number, report: ValidationReport<ReportFormat> }> {
  const r = await cli('validate', ...args, '--format', 'json')
  return { code: r.code, report: JSON.parse(r.stdout.toString('utf8')) as ValidationReport<ReportFormat> }
}

t.test('a generated stock is accepted, with no finding, and read as a PECGM', async (t) => {
  const file = await generatedFile(t)
  const r = await cli('validate', file)
  t.equal(r.code, 0)
  t.match(r.stdout.toString('utf8'), /^PECGM_77_M_20261101_20261101\.txt : ACCEPTÉ — 0 erreur, 0 avertissement, 0 information\n\(PECGM, 30 enregistrements détail, 38\s432 octets\)\n$/)
  const { report } = await json(file)
  t.same([report.format, report.valid, report.stats.records, report.findings], ['pecgm', true, DETAILS, []])
})

t.test('every terminator, a stock and a flux, under any name', async (t) => {
  const dir = t.testdir()
  const day = parseIsoDate('2026-11-02') as number
  for (const terminator of ['LF', 'CRLF', 'none'] as Terminator[]) {
    for (const periodicity of ['M', 'Q'] as const) {
      const scenario = { ...demo, pecgm: { ...demo.pecgm, terminator } }
      const path = join(dir, `recu-${terminator}-${periodicity}.dat`)
      writeFileSync(path, Buffer.concat([...pecgmChunks({ scenario, departement: '93', referenceDay: day, periodicity, records: 200 })]))
      const { code, report } = await json(path, '--date', '2026-11-02')
      t.same([code, report.format, report.findings], [0, 'pecgm', []], `${terminator} ${periodicity}`)
    }
  }
})

t.test('exit code 1 for a damaged PECGM; the JSON report names the record and field', async (t) => {
  const file = await generatedFile(t)
  const bytes = readFileSync(file)
  const footer = (DETAILS + 1) * STRIDE
  bytes.write('000000031', footer + 12, 'latin1') // NB_ENREGISTREMENTS, columns 13–21
  writeFileSync(file, bytes)
  const { code, report } = await json(file)
  t.equal(code, 1)
  t.equal(report.format, 'pecgm')
  t.same(report.findings.map((f) => [f.code, f.line, f.record, f.field, f.column]), [['PECGM_FOOTER_COUNT', 32, 32, 'NB_ENREGISTREMENTS', 13]])
})

t.test('--date is the day of the check: a file made after it is rejected', async (t) => {
  const file = await generatedFile(t)
  const { code, report } = await json(file, '--date', '2026-10-31')
  t.equal(code, 1)
  t.ok(report.findings.some((f) => f.code === 'PECGM_DATE_FUTURE' && f.record === 1 && f.field === 'DATE_FABRICATION'))
})

t.test('--format text says « enregistrement » and masks the NIR', async (t) => {
  const file = await generatedFile(t)
  const bytes = readFileSync(file)
  bytes.write('3', 3 * STRIDE + 1, 'latin1') // the NIR of record 4 gets sex 3
  writeFileSync(file, bytes)
  const r = await cli('validate', file)
  const out = r.stdout.toString('utf8')
  t.equal(r.code, 1)
  t.match(out, /REJETÉ — 1 erreur/)
  t.match(out, /PECGM_NIR_INVALID — NIR non conforme \(erreur\) : 1\n {2}ligne 4, col 2, enregistrement 4, NIR : NIR ne suit pas les règles du NIR : le sexe .* \(lu « 3\d\d\*{10} »\)/)
})

t.test('--format junit: one testcase per PECGM code, the broken rules failing', async (t) => {
  const file = await generatedFile(t)
  const bytes = readFileSync(file)
  bytes[5 * STRIDE + 20] = 0x92 // in NOM_NAISSANCE of record 6
  writeFileSync(file, bytes)
  const r = await cli('validate', file, '--format', 'junit')
  t.equal(r.code, 1)
  const xml = r.stdout.toString('utf8')
  const parser = new SaxesParser()
  const cases: string[] = []
  const failures: string[] = []
  let format = ''
  parser.on('opentag', (tag) => {
    if (tag.name === 'testcase') cases.push(String(tag.attributes.name).split(' ')[0] ?? '')
    if (tag.name === 'failure') failures.push(String(tag.attributes.type))
    if (tag.name === 'property' && tag.attributes.name === 'format') format = String(tag.attributes.value)
  })
  parser.write(xml).close()
  t.same(cases, PECGM_CODES, 'the PECGM codes, in their order, and no CGPEM code')
  t.same(failures, ['PECGM_WINDOWS_1252'])
  t.equal(format, 'pecgm')
  t.match(xml, /<testsuite name="PECGM PECGM_77_M_20261101_20261101\.txt" tests="\d+" failures="1"/)
  t.match(xml, /ligne 6, col 21, enregistrement 6, NOM_NAISSANCE : Octet 0x92/)
})

t.test('an empty stock is accepted with a warning', async (t) => {
  const file = await generatedFile(t)
  const bytes = readFileSync(file)
  const empty = Buffer.concat([bytes.subarray(0, STRIDE), bytes.subarray((DETAILS + 1) * STRIDE)])
  empty.write('000000000', STRIDE + 12, 'latin1')
  const { code, report } = await json(write(t, 'vide.txt', empty))
  t.equal(code, 0)
  t.same(report.findings.map((f) => [f.code, f.severity, f.record]), [['PECGM_NO_DETAIL', 'warning', 2]])
})

t.test('a PECGM without its header is recognised from its 1200-byte records', async (t) => {
  const file = await generatedFile(t)
  const { code, report } = await json(write(t, 'sans-entete.txt', readFileSync(file).subarray(STRIDE)))
  t.equal(code, 1)
  t.equal(report.format, 'pecgm')
  t.same(report.findings.map((f) => [f.code, f.record]), [['PECGM_HEADER_MISSING', 1]])
})

t.test('an empty file: a PECGM by its name, else a CGPEM', async (t) => {
  t.testdir()
  const pecgm = await json(write(t, 'PECGM_77_M_20261101_20261102.txt', Buffer.alloc(0)))
  t.same([pecgm.code, pecgm.report.format, pecgm.report.findings.map((f) => f.code)], [1, 'pecgm', ['PECGM_EMPTY']])
  const other = await json(write(t, 'depot.xml', Buffer.alloc(0)))
  t.same([other.code, other.report.format, other.report.findings.map((f) => f.code)], [1, null, ['CGPEM_EMPTY']])
})

t.test('a CGPEM is still read as a CGPEM', async (t) => {
  t.testdir()
  const { code, report } = await json(write(t, 'cgpem.xml', xmlFile([person(1), person(2)])), '--date', '2026-11-27')
  t.same([code, report.format, report.stats.records], [0, 'xml', 2])
})

t.test('exit code 2 when the file cannot be read', async (t) => {
  const r = await cli('validate', join(t.testdir(), 'PECGM_absent.txt'))
  t.equal(r.code, 2)
  t.match(r.stderr, /PHEBUS_IO/)
})

t.test('--max-findings caps the list of a PECGM, not its counts', async (t) => {
  const file = await generatedFile(t)
  const bytes = readFileSync(file)
  for (let k = 1; k <= DETAILS; k++) bytes.write('99', k * STRIDE + 906, 'latin1') // AXE_TRAVAIL_PRINCIPAL
  writeFileSync(file, bytes)
  const { code, report } = await json(file, '--max-findings', '4')
  t.same([code, report.findings.length, report.stats.errors, report.truncated], [1, 4, DETAILS, true])
})

t.test('the help says both files are read', async (t) => {
  const r = await cli('validate', '--help')
  t.equal(r.code, 0)
  t.equal(r.stdout.toString('utf8').trim(), VALIDATE_HELP.trim())
  t.match(VALIDATE_HELP, /CGPEM/)
  t.match(VALIDATE_HELP, /PECGM/)
})
