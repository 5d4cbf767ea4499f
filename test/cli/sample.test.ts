import t from 'tap'
import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { cgpemChunks } from '../../src/generate/cgpem-file.js'
import { pecgmChunks, pecgmFromDetails } from '../../src/generate/pecgm-file.js'
import { qualificationOrientations } from '../../src/generate/qualification-cgpem.js'
import { CGPEM_FIELDS, NATURES_POLE_EMPLOI } from '../../src/layouts/cgpem.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { readPecgm } from '../../src/layouts/pecgm-reader.js'
import { answerDetails, type OrientationSeen } from '../../src/qualification/answer.js'
import { buildSample, sampleJson } from '../../src/qualification/sample.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import type { ValidationReport } from '../../src/validate/report.js'
import { CgpemValidator } from '../../src/validate/validator.js'
import { cli } from './helpers.js'

const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname
const demo = await loadScenarioFile(DEMO)
/** the day the qualification started (planning.debut) */
const START = '2026-11-20'
const DAY = parseIsoDate(START) as number

/** Reads a CGPEM back: its report and its orientations, by element name. */
function readCgpem (bytes: Buffer, today: number): { report: ValidationReport, orientations: Record<string, string>[] } {
  const orientations: Record<string, string>[] = []
  const validator = new CgpemValidator({ today, onOrientation: (o) => orientations.push(Object.fromEntries(CGPEM_FIELDS.map((f, i) => [f.name, o.values[i] ?? '']))) })
  validator.push(bytes)
  return { report: validator.end(), orientations }
}

/** The answer the server deposits to the first CGPEM: the sample's people known to Pôle emploi, taken in charge when oriented to it. */
function answerPecgm (departement: string): Buffer {
  const sample = buildSample(demo, departement, DAY)
  const first = qualificationOrientations(sampleJson(sample), DAY)
  const seen = new Map<number, OrientationSeen>(sample.map((m, i) => [m.index, { line: 0, record: i + 1, ...first[i] }]))
  return pecgmFromDetails({ scenario: demo, departement, periodicity: 'M', referenceDay: DAY, fabricationDay: DAY }, answerDetails(sample, seen, DAY + 2))
}

/** `sample cgpem --qualification` of 77 for START, written in `dir`. */
async function sampleCgpem (dir: string, ...options: string[]): Promise<{ code: number, stderr: string, bytes: Buffer, path: string }> {
  const path = join(dir, 'cgpem.xml')
  const r = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--date', START, '--output', path, ...options)
  return { code: r.code, stderr: r.stderr, bytes: r.code === 0 ? readFileSync(path) : Buffer.alloc(0), path }
}

t.test('--qualification writes one orientation for each person of the qualification sample, with the six natures, and validate accepts it', async (t) => {
  const r = await sampleCgpem(t.testdir())
  t.equal(r.code, 0, r.stderr)
  t.match(r.stderr, /échantillon du 2026-11-20 \(60 personnes\)/)
  const { report, orientations } = readCgpem(r.bytes, DAY)
  t.equal(report.valid, true)
  t.same(report.stats.byCode, {})
  const sample = buildSample(demo, '77', DAY)
  const identity = (o: Record<string, string | undefined>): string[] => [o.NIR ?? '', o.NOM_NAISSANCE ?? '', o.PRENOM ?? '', o.DATE_NAISSANCE ?? '']
  t.same(orientations.map(identity), sample.map((m) => identity(m.person)), 'exactly the sample\'s people, in its order')
  t.same([...new Set(orientations.map((o) => o.NATURE_ACCOMPAGNEMENT))].sort(), ['01', '02', '03', '04', '05', '06'])
  t.notOk(orientations.some((o) => o.IDENTIFIANT_PE || o.CODE_PE), 'no agency identifier before the answer PECGM')
  const validate = await cli('validate', r.path, '--date', START)
  t.equal(validate.code, 0, validate.stdout.toString())
})

t.test('--qualification writes the very file qualify builds from the same sample and day', async (t) => {
  const r = await sampleCgpem(t.testdir())
  const people = sampleJson(buildSample(demo, '77', DAY))
  t.ok(r.bytes.equals(Buffer.concat([...cgpemChunks(qualificationOrientations(people, DAY), 'xml')])))
})

t.test('with --pecgm, each orientation to Pôle emploi of a person in the answer carries the code and identifier it gives, and only those', async (t) => {
  const answer = answerPecgm('77')
  const dir = t.testdir()
  const pecgm = join(dir, 'retour.txt')
  writeFileSync(pecgm, answer)
  const r = await sampleCgpem(dir, '--pecgm', pecgm)
  t.equal(r.code, 0, r.stderr)
  const { report, orientations } = readCgpem(r.bytes, DAY)
  t.equal(report.valid, true)
  const known = new Map(buildSample(demo, '77', DAY).filter((m) => m.known).map((m) => [m.person.NIR, m.record]))
  let carried = 0
  for (const o of orientations) {
    const record = known.get(o.NIR ?? '')
    const expected = record && NATURES_POLE_EMPLOI.has(o.NATURE_ACCOMPAGNEMENT ?? '') ? [record.CODE_INSTITUTION_PE, record.IDENTIFIANT_PE] : ['', '']
    if (expected[0]) carried++
    t.same([o.CODE_PE, o.IDENTIFIANT_PE], expected, `${o.NATURE_ACCOMPAGNEMENT} ${record ? 'known' : 'unknown'}`)
  }
  t.ok(carried > 5, `${carried} orientations carry identifiers`)
  t.match(r.stderr, new RegExp(`${carried} orientation\\(s\\) vers Pôle emploi avec le code et l'identifiant`))
  t.equal((await cli('validate', r.path, '--date', START)).code, 0)
})

t.test('a --pecgm that names nobody of the sample gets a warning that asks whether --date is the start of the qualification', async (t) => {
  const others = readPecgm(Buffer.concat([...pecgmChunks({ scenario: demo, departement: '77', referenceDay: DAY, records: 100 })])).records
    .filter((r) => r.type === 'D').slice(60).map((r) => r.values)
  const dir = t.testdir()
  const pecgm = join(dir, 'retour.txt')
  writeFileSync(pecgm, pecgmFromDetails({ scenario: demo, departement: '77', periodicity: 'M', referenceDay: DAY, fabricationDay: DAY }, others))
  const r = await sampleCgpem(dir, '--pecgm', pecgm)
  t.equal(r.code, 0)
  t.match(r.stderr, /aucune des 40 personne\(s\) de .*retour\.txt n'est dans l'échantillon du 2026-11-20/)
  t.match(r.stderr, /planning\.debut/)
  t.match(r.stderr, /0 orientation\(s\) vers Pôle emploi/)
})

t.test('a --pecgm that is not the département\'s answer, or without --qualification, is a usage error (exit 2) that says why', async (t) => {
  const dir = t.testdir({ 'empty.txt': '', 'other.xml': '<CGPEM/>\n' })
  const of93 = join(dir, 'pecgm-93.txt')
  writeFileSync(of93, answerPecgm('93'))
  const broken = join(dir, 'broken.txt')
  writeFileSync(broken, answerPecgm('77').subarray(0, 1201 * 3 + 500))
  const cases = [
    { name: 'missing file', pecgm: join(dir, 'nope.txt'), expect: /--pecgm : Fichier introuvable : .*nope\.txt\./, code: 'PHEBUS_IO' },
    { name: 'a directory', pecgm: dir, expect: /--pecgm : .* est un dossier, pas un fichier\./, code: 'PHEBUS_IO' },
    { name: 'empty file', pecgm: join(dir, 'empty.txt'), expect: /empty\.txt n'est pas un PECGM lisible : Le fichier est vide\. \(constat PECGM_EMPTY\)/, code: 'PHEBUS_CLI_USAGE' },
    { name: 'not a PECGM', pecgm: join(dir, 'other.xml'), expect: /other\.xml n'est pas un PECGM lisible : L'enregistrement 1 \(ligne 1\) fait \d+ caractères .*\(constat PECGM_RECORD_LENGTH\)/, code: 'PHEBUS_CLI_USAGE' },
    { name: 'cut short', pecgm: broken, expect: /broken\.txt n'est pas un PECGM lisible, ligne 4 : .*\(constat PECGM_TERMINATOR\)/, code: 'PHEBUS_CLI_USAGE' },
    { name: 'another département', pecgm: of93, expect: /pecgm-93\.txt est un PECGM du département 93 \(ligne 1, zone DEPARTEMENT de l'entête\), pas du département 77\./, code: 'PHEBUS_CLI_USAGE' }
  ]
  for (const c of cases) {
    const r = await sampleCgpem(dir, '--pecgm', c.pecgm)
    t.equal(r.code, 2, c.name)
    t.match(r.stderr, c.expect, c.name)
    t.equal(r.stderr.match(/\[[A-Z_]+\]/g)?.join(' '), `[${c.code}]`, `${c.name}: one code, the error's`)
  }
  const alone = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--pecgm', of93, '--output', '-')
  t.equal(alone.code, 2)
  t.match(alone.stderr, /--pecgm ne s'emploie qu'avec --qualification/)
  const records = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--records', '5', '--output', '-')
  t.equal(records.code, 2)
  t.match(records.stderr, /--records ne s'emploie pas avec --qualification/)
})

t.test('--seed with --qualification is a usage error (exit 2), nothing written: the server draws the sample from the scenario\'s own seed, another one gives people it never sampled', async (t) => {
  const dir = t.testdir()
  const r = await sampleCgpem(dir, '--seed', '5')
  t.equal(r.code, 2)
  t.match(r.stderr, /--seed ne s'emploie pas avec --qualification : le serveur tire l'échantillon de la graine du scénario.*\[PHEBUS_CLI_USAGE\]/)
  t.same(readdirSync(dir), [], 'nothing written')
})

t.test('sample --help tells where the day of the sample comes from', async (t) => {
  const r = await cli('sample', '--help')
  t.equal(r.code, 0)
  t.match(r.stdout.toString(), /--qualification/)
  t.match(r.stdout.toString(), /planning\.debut/)
  t.match(r.stdout.toString(), /--pecgm FICHIER/)
})

t.test('sample --help gives the causes of exit code 2 on one line, as generate and validate do, not broken after its first cause', async (t) => {
  const r = await cli('sample', '--help')
  t.match(r.stdout.toString(), /\n2 arguments invalides, fichier illisible ou PECGM \(--pecgm\) qui n'est pas celui du département\.\n/)
})

t.test('sample cgpem names its file after --date by default, as generate names a PECGM after its reference', async (t) => {
  const dir = t.testdir()
  const cwd = process.cwd()
  process.chdir(dir)
  t.teardown(() => process.chdir(cwd))
  const r = await cli('sample', 'cgpem', '--scenario', new URL('../../scenarios/demo.yaml', import.meta.url).pathname, '--departement', '77', '--date', '2026-11-02', '--records', '3')
  t.equal(r.code, 0)
  t.same(readdirSync(dir), ['CGPEM_77_20261102.xml'])
})

t.test('a département of population 0 has nobody to orient: sample cgpem refuses, exit 1, in French, and writes nothing (validate would refuse a CGPEM without orientation)', async (t) => {
  const dir = t.testdir({ 'vide.yaml': 'name: vide\ndescription: x\nseed: 1\ndepartements:\n  - code: \'77\'\n    name: X\n    population: 0\n' })
  for (const extra of [[], ['--qualification']]) {
    const r = await cli('sample', 'cgpem', '--scenario', join(dir, 'vide.yaml'), '--departement', '77', '--date', START, ...extra, '--output', join(dir, 'c.xml'))
    t.equal(r.code, 1, extra.join(' '))
    t.match(r.stderr, /le département 77 a une population de 0 .* aucune orientation.*CGPEM_NO_ORIENTATION.*\[PHEBUS_SCENARIO_INVALID\]/)
  }
  t.same(readdirSync(dir), ['vide.yaml'], 'nothing written')
  const asked = await cli('sample', 'cgpem', '--scenario', join(dir, 'vide.yaml'), '--departement', '77', '--date', START, '--records', '3', '--output', '-')
  t.equal(asked.code, 0, '--records N: N orientations, asked for')
  t.ok(readCgpem(asked.stdout, DAY).report.valid)
})
