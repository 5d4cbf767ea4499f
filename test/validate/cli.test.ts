import t, { type Test } from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Writable } from 'node:stream'
import { SaxesParser } from 'saxes'
import { validateCommand, VALIDATE_HELP } from '../../src/cli/validate.js'
import { PhebusError } from '../../src/errors.js'
import type { ValidationReport } from '../../src/validate/report.js'
import { person, VALID, xmlFile } from './helpers.js'

class Collect extends Writable {
  text = ''
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString('utf8')
    cb()
  }
}

/** Runs `phebus-mock validate` in-process; "today" is 2026-11-27 unless --date says otherwise. */
async function validateCli (...args: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  const stdout = new Collect()
  const stderr = new Collect()
  const code = await validateCommand(args, { stdout, stderr, now: () => Date.UTC(2026, 10, 27, 10), env: {} })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

function files (t: Test): { valid: string, warned: string, rejected: string } {
  const dir = t.testdir()
  const valid = join(dir, 'valid.xml')
  const warned = join(dir, 'warned.xml')
  const rejected = join(dir, 'rejected.xml')
  writeFileSync(valid, xmlFile([person(1), person(2)]))
  writeFileSync(warned, xmlFile([person(1), { ...VALID, DATE_DECISION_ORIENTATION: undefined }]))
  writeFileSync(rejected, xmlFile([person(1), { ...VALID, NOM_NAISSANCE: undefined }, { ...person(3), DATE_NAISSANCE: '20230230' }]))
  return { valid, warned, rejected }
}

t.test('exit code 0 for an accepted file, warnings allowed; 1 for a rejected one', async (t) => {
  const f = files(t)
  t.equal((await validateCli(f.valid)).code, 0)
  t.equal((await validateCli(f.warned)).code, 0)
  t.equal((await validateCli(f.rejected)).code, 1)
})

t.test('--format json prints the report as it is', async (t) => {
  const f = files(t)
  const r = await validateCli(f.rejected, '--format', 'json')
  const report = JSON.parse(r.stdout) as ValidationReport
  t.equal(report.valid, false)
  t.same(report.findings.map((x) => [x.code, x.record, x.field]), [['CGPEM_FIELD_REQUIRED', 2, 'NOM_NAISSANCE'], ['CGPEM_DATE_INVALID', 3, 'DATE_NAISSANCE']])
})

t.test('--format text groups findings by code with their place', async (t) => {
  const f = files(t)
  const r = await validateCli(f.rejected)
  t.match(r.stdout, /^rejected\.xml : REJETÉ/)
  t.match(r.stdout, /CGPEM_FIELD_REQUIRED — .* : 1\n {2}ligne 19, col 3, orientation 2, NOM_NAISSANCE : /)
  t.match(r.stdout, /CGPEM_DATE_INVALID — .* : 1\n {2}ligne \d+, col 5, orientation 3, DATE_NAISSANCE : /)
  t.match((await validateCli(f.valid)).stdout, /^valid\.xml : ACCEPTÉ — 0 erreur, 0 avertissement/)
})

t.test('--format junit is well-formed XML with one failing testcase per broken rule', async (t) => {
  const f = files(t)
  const r = await validateCli(f.rejected, '--format', 'junit')
  const parser = new SaxesParser()
  const cases: string[] = []
  const failures: string[] = []
  parser.on('opentag', (tag) => {
    if (tag.name === 'testcase') cases.push(String(tag.attributes.name))
    if (tag.name === 'failure') failures.push(String(tag.attributes.type))
  })
  parser.write(r.stdout).close()
  t.ok(cases.length > 30, 'a testcase per code')
  t.same(failures.sort(), ['CGPEM_DATE_INVALID', 'CGPEM_FIELD_REQUIRED'])
  t.match(r.stdout, /<testsuite name="CGPEM rejected\.xml" tests="\d+" failures="2"/)
})

t.test('--date sets the day of the upload', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'f.xml')
  writeFileSync(file, xmlFile([{ ...VALID, DATE_DECISION_ORIENTATION: '20261201' }]))
  t.equal((await validateCli(file)).code, 1, 'a decision of 2026-12-01 is in the future on 2026-11-27')
  t.equal((await validateCli(file, '--date', '2026-12-01')).code, 0)
})

t.test('--max-findings caps the list, not the counts', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'f.xml')
  writeFileSync(file, xmlFile(Array.from({ length: 20 }, (_, i) => person(i, { PRENOM: undefined }))))
  const report = JSON.parse((await validateCli(file, '--format', 'json', '--max-findings', '5')).stdout) as ValidationReport
  t.same([report.findings.length, report.stats.errors, report.truncated], [5, 20, true])
})

t.test('could not validate: coded errors that the command line maps to exit code 2', async (t) => {
  const f = files(t)
  const cases = [
    { name: 'no file given', args: [], code: 'PHEBUS_CLI_USAGE' },
    { name: 'no such file', args: [join(t.testdirName, 'nope.xml')], code: 'PHEBUS_IO' },
    { name: 'a directory', args: [t.testdirName], code: 'PHEBUS_IO' },
    { name: 'unknown format', args: [f.valid, '--format', 'xml'], code: 'PHEBUS_CLI_USAGE' },
    { name: 'impossible date', args: [f.valid, '--date', '2026-02-30'], code: 'PHEBUS_CLI_USAGE' },
    { name: 'bad max-findings', args: [f.valid, '--max-findings', '-1'], code: 'PHEBUS_CLI_USAGE' },
    { name: 'two files', args: [f.valid, f.valid], code: 'PHEBUS_CLI_USAGE' },
    { name: 'unknown option', args: [f.valid, '--strict'], code: 'PHEBUS_CLI_USAGE' },
    { name: '« - » for standard input', args: ['-'], code: 'PHEBUS_CLI_USAGE', message: /donnez \/dev\/stdin/ }
  ]
  for (const c of cases) await t.rejects(validateCli(...c.args), { code: c.code, constructor: PhebusError, ...('message' in c ? { message: c.message } : {}) }, c.name)
})

t.test('--help prints the usage', async (t) => {
  const r = await validateCli('--help')
  t.equal(r.code, 0)
  t.equal(r.stdout.trim(), VALIDATE_HELP.trim())
})
