import t from 'tap'
import { writeFileSync } from 'node:fs'
import { loadScenarioFile, parseScenario } from '../../src/scenarios/load.js'
import { PhebusError } from '../../src/errors.js'
import { MINIMAL_SCENARIO } from './minimal.js'

const VALID = MINIMAL_SCENARIO

function problems (yaml: string): { code: string, details: readonly string[], line: number | undefined } {
  try {
    parseScenario(yaml, 'x.yaml')
  } catch (err) {
    if (err instanceof PhebusError) return { code: err.code, details: err.details, line: err.position?.line }
    throw err
  }
  throw new Error('no error')
}

t.test('loads a minimal scenario and fills in the defaults', async (t) => {
  const s = parseScenario(VALID, 'x.yaml')
  t.match(s, { name: 'petit', seed: 42, pecgm: { version: '001,0', terminator: 'LF', case: 'upper' } })
  t.equal(s.mix.delegated, 0.2)
  t.same(s.rates, { exits: 0.03, radiations: 0.3, categoryMoves: 0.02, reRegistration: 0.25 })
  t.same(s.individuals, [])
})

t.test('a bad scenario gets an error naming the file, the line and the path of the bad value', async (t) => {
  const cases = [
    { name: 'share above 1', yaml: VALID + 'mix:\n  delegated: 1.5\n', line: 9, path: 'mix.delegated' },
    { name: 'unknown key', yaml: VALID + 'mixe:\n  delegated: 0.1\n', line: 8, path: 'mixe' },
    { name: 'bad département code', yaml: VALID.replace('\'77\'', '\'20\''), line: 5, path: 'departements[0].code' },
    { name: 'département as a number', yaml: VALID.replace('\'77\'', '77'), line: 5, path: 'departements[0].code' },
    { name: 'missing seed', yaml: VALID.replace('seed: 42\n', ''), line: 1, path: '' },
    { name: 'bad terminator', yaml: VALID + 'pecgm:\n  terminator: CR\n', line: 9, path: 'pecgm.terminator' },
    { name: 'duplicate département', yaml: VALID + '  - code: \'77\'\n    name: bis\n    population: 1\n', line: 8, path: 'departements[1].code' },
    {
      name: 'individual in an unknown département',
      yaml: VALID + 'individuals:\n  - departement: \'93\'\n    label: x\n    fields: { NOM_NAISSANCE: X }\n',
      line: 9,
      path: 'individuals[0].departement'
    },
    {
      name: 'individual with an unknown field',
      yaml: VALID + 'individuals:\n  - departement: \'77\'\n    label: x\n    fields:\n      NOM: X\n',
      line: 12,
      path: 'individuals[0].fields.NOM'
    },
    {
      name: 'individual with a character outside ISO-8859-1',
      yaml: VALID + 'individuals:\n  - departement: \'77\'\n    label: x\n    fields:\n      PRENOM: "Zoë 🙂"\n',
      line: 12,
      path: 'individuals[0].fields.PRENOM'
    },
    {
      name: 'individual with an impossible date',
      yaml: VALID + 'individuals:\n  - departement: \'77\'\n    label: x\n    fields:\n      DATE_NAISSANCE: \'20230230\'\n',
      line: 12,
      path: 'individuals[0].fields.DATE_NAISSANCE'
    }
  ]
  for (const c of cases) {
    const p = problems(c.yaml)
    t.equal(p.code, 'PHEBUS_SCENARIO_INVALID', c.name)
    t.equal(p.line, c.line, `${c.name}: line`)
    t.match(p.details[0], new RegExp(`^x\\.yaml:${c.line}:\\d+ ${c.path.replace(/[[\].]/g, '\\$&')}`), `${c.name}: position and path`)
  }
})

t.test('reports every problem of a scenario, not only the first', async (t) => {
  const p = problems(VALID.replace('seed: 42', 'seed: -1').replace('population: 10', 'population: many'))
  t.equal(p.details.length, 2)
})

t.test('a YAML syntax error is positioned', async (t) => {
  const p = problems('name: [unclosed\nseed: 1\n')
  t.equal(p.code, 'PHEBUS_SCENARIO_SYNTAX')
  t.ok(p.line !== undefined)
})

t.test('an unclosed [ or { is reported where it opened, as such, not as « indentation incorrecte » on the line after', async (t) => {
  const list = problems(VALID + 'mix:\n  categories: { 1: 0.42, 2: 0.07\n  delegated: 0.2\n')
  t.equal(list.code, 'PHEBUS_SCENARIO_SYNTAX')
  t.same(list.details, ['x.yaml:9:15 : accolade « { » ouverte ici et jamais fermée : « } » manque, ou les lignes qui la continuent ne sont pas plus en retrait que sa clé'])
  const seq = problems(VALID.replace('population: 10', "population: 10\n    holidays: ['05-27'"))
  t.same(seq.details, ['x.yaml:8:15 : crochet « [ » ouvert ici et jamais fermé : « ] » manque, ou les lignes qui le continuent ne sont pas plus en retrait que sa clé'])
  // closed, but its second line no further in than its key: the same place, the same words
  const indent = problems(VALID.replace('population: 10', "population: 10\n    holidays: ['05-27',\n    '07-14']"))
  t.match(indent.details[0], /^x\.yaml:8:15 : crochet « \[ » ouvert ici et jamais fermé/)
  // nested: the inner one that is open
  const nested = problems('name: [a, {b: 1]\n')
  t.match(nested.details[0], /^x\.yaml:1:11 : accolade « \{ » ouverte ici/)
})

t.test('a missing file is an unreadable scenario', async (t) => {
  await t.rejects(loadScenarioFile('/nonexistent/scenario.yaml'), { code: 'PHEBUS_SCENARIO_UNREADABLE' })
})

t.test('« - » as a scenario (standard input, as other tools read it) says to give /dev/stdin, where it said « Fichier introuvable : - »', async (t) => {
  await t.rejects(loadScenarioFile('-'), { code: 'PHEBUS_SCENARIO_UNREADABLE', message: /^Impossible de lire le scénario : « - » n'est pas un fichier : le scénario se lit par son chemin ; pour l'entrée standard, donnez \/dev\/stdin \(… \| phebus-mock scenario check \/dev\/stdin\)\.$/ })
  // as the server names it, resolved
  await t.rejects(loadScenarioFile('/nonexistent/-'), { code: 'PHEBUS_SCENARIO_UNREADABLE', message: /« - » n'est pas un fichier/ })
})

t.test('the shipped scenarios load', async (t) => {
  for (const name of ['demo', 'edge-cases', 'national']) {
    const s = await loadScenarioFile(new URL(`../../scenarios/${name}.yaml`, import.meta.url).pathname)
    t.equal(s.name, name)
  }
})

t.test('categories 1 to 5 all weighing nothing are refused, whatever the share of the dispensed', async (t) => {
  for (const categories of ['{ 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, dispense: 0.5 }', '{ dispense: 0.5 }', '{ 1: 0 }']) {
    const p = problems(VALID + `mix:\n  categories: ${categories}\n`)
    t.equal(p.code, 'PHEBUS_SCENARIO_INVALID', categories)
    t.match(p.details[0], /^x\.yaml:9:\d+ mix\.categories.*au moins une catégorie doit avoir un poids positif/, `${categories}: positioned`)
  }
  t.doesNotThrow(() => parseScenario(VALID + 'mix:\n  categories: { 1: 1, dispense: 0.5 }\n', 'x.yaml'))
  // the dispensed are a share, not a weight
  t.match(problems(VALID + 'mix:\n  categories: { 1: 1, dispense: 2 }\n').details[0], /mix\.categories\.dispense/)
})

t.test('a holiday that no calendar has is refused where it is written', async (t) => {
  const p = problems(VALID.replace('    population: 10\n', "    population: 10\n    holidays: ['02-29', '02-30', '04-31']\n"))
  t.equal(p.code, 'PHEBUS_SCENARIO_INVALID')
  t.equal(p.details.length, 2, '29 February exists (leap years)')
  t.match(p.details[0], /^x\.yaml:8:25 departements\[0\]\.holidays\[1\].*« 02-30 » \(MM-JJ\) n'existe pas : février n'a pas de 30/)
  t.match(p.details[1], /holidays\[2\].*« 04-31 »/)
})

t.test('a département\'s name with a control or a bidirectional formatting character is refused where it is written, as the admin API refuses it', async (t) => {
  for (const [name, expect] of [['"Seine\\net-Marne"', /caractère de contrôle U\+000A \(saut de ligne\) en position 6/], ['"Seine-et-Marne\\u202E"', /U\+202E \(forçage droite-à-gauche\) en position 15/]] as const) {
    const p = problems(VALID.replace('name: Seine-et-Marne', `name: ${name}`))
    t.equal(p.code, 'PHEBUS_SCENARIO_INVALID', name)
    t.match(p.details[0], /^x\.yaml:6:\d+ departements\[0\]\.name.*nom refusé : /, `${name}: positioned`)
    t.match(p.details[0], expect)
  }
})

t.test('aliases that would unfold beyond reason (« billion laughs ») are a syntax error, not a crash', async (t) => {
  let yaml = 'a0: &a0 [x]\n'
  for (let i = 1; i < 12; i++) yaml += `a${i}: &a${i} [${Array.from({ length: 9 }, () => `*a${i - 1}`).join(', ')}]\n`
  const p = problems(VALID + yaml)
  t.equal(p.code, 'PHEBUS_SCENARIO_SYNTAX')
  const first = VALID.split('\n').length + 1
  t.match(p.details[0], new RegExp(`^x\\.yaml:${first}:10 : trop d'alias YAML`), 'at the first alias (a1: &a1 [*a0, …)')
})

t.test('an alias whose anchor is not set before it is refused where it is written, named', async (t) => {
  const start = VALID.split('\n').length
  const missing = problems(VALID + 'x: &b [1]\ny: *b\nz: [1, *c]\n')
  t.equal(missing.code, 'PHEBUS_SCENARIO_SYNTAX')
  t.same(missing.details, [`x.yaml:${start + 2}:8 : alias YAML « *c » sans ancre « &c » avant lui`], 'the alias, not the one that resolves')
  t.equal(missing.line, start + 2)
  // yaml takes the last anchor of the name before the alias: one set after it does not count
  t.same(problems(VALID + 'y: *b\nx: &b [1]\n').details, [`x.yaml:${start}:4 : alias YAML « *b » sans ancre « &b » avant lui`])
  // resolved aliases go on to the schema, which names the keys it does not know
  t.equal(problems(VALID + 'x: &b [1]\ny: *b\n').code, 'PHEBUS_SCENARIO_INVALID')
})

t.test('a scenario saved in ISO-8859-1 is refused at its first byte UTF-8 cannot read', async (t) => {
  const text = VALID + 'individuals:\n  - departement: \'77\'\n    label: x\n    fields:\n      PRENOM: Hélène\n'
  const dir = t.testdir({ 'latin1.yaml': Buffer.from(text, 'latin1'), 'utf8.yaml': Buffer.from(`\ufeff${text}`, 'utf8') })
  // the first é is in the description, line 2
  await t.rejects(loadScenarioFile(`${dir}/latin1.yaml`), { code: 'PHEBUS_SCENARIO_SYNTAX', position: { line: 2, column: 25 }, details: [/latin1\.yaml:2:25 .*octet 0xE9 illisible en UTF-8/] })
  // what TextDecoder refuses, however well shaped: an overlong form, a surrogate, a code point past U+10FFFF
  for (const bad of [[0xE0, 0x80, 0x80], [0xED, 0xA0, 0x80], [0xC0, 0xAF], [0xF4, 0x90, 0x80, 0x80]]) {
    writeFileSync(`${dir}/bad.yaml`, Buffer.concat([Buffer.from('name: x\ndescription: a'), Buffer.from(bad), Buffer.from('\n')]))
    await t.rejects(loadScenarioFile(`${dir}/bad.yaml`), { code: 'PHEBUS_SCENARIO_SYNTAX', position: { line: 2, column: 15 } }, bad.join(' '))
  }
  const s = await loadScenarioFile(`${dir}/utf8.yaml`)
  t.equal(s.individuals[0]?.fields.PRENOM, 'Hélène', 'UTF-8, with or without its byte-order mark')
})

t.test('a key a union accepts in two forms gets one message saying both, never one per form', async (t) => {
  const bytes = problems(VALID.replace('    population: 10\n', "    population: 10\n    quotas: { uploadedBytes: 'beaucoup' }\n"))
  t.same(bytes.details, ['x.yaml:8:15 departements[0].quotas.uploadedBytes : taille attendue : un nombre d\'octets d\'au moins 1, ou 500k, 128M, 5G (multiples de 1024).'])
  const negative = problems(VALID.replace('    population: 10\n', '    population: 10\n    quotas: { uploadedBytes: -5 }\n'))
  t.equal(negative.details.length, 1, negative.details.join('\n'))
  const times = problems(VALID + "faults:\n  - { code: http-503, departement: '77', times: 0 }\n")
  t.equal(times.details.length, 1, times.details.join('\n'))
  t.match(times.details[0], /^x\.yaml:9:42 faults\[0\]\.times : un entier de 1 à 1\s000\s000, ou null \(jusqu'à ce qu'elle soit levée\)\.$/)
  const field = problems(VALID + "individuals:\n  - departement: '77'\n    label: x\n    fields: { PRENOM: 3 }\n")
  t.same(field.details, ['x.yaml:11:15 individuals[0].fields.PRENOM : attendu : un texte, ou vide.'])
})

t.test('a list too long and a holiday badly written are told in words, not by the schema\'s keyword', async (t) => {
  const holidays = Array.from({ length: 21 }, (_, i) => `'01-${String(i + 1).padStart(2, '0')}'`).join(', ')
  const long = problems(VALID.replace('    population: 10\n', `    population: 10\n    holidays: [${holidays}]\n`))
  t.same(long.details, ['x.yaml:8:5 departements[0].holidays : la liste a au plus 20 élément(s).'])
  const faults = problems(VALID + 'faults:\n' + "  - { code: http-503, departement: '77' }\n".repeat(1001))
  t.same(faults.details, ['x.yaml:8:1 faults : la liste a au plus 1000 élément(s).'])
  const written = problems(VALID.replace('    population: 10\n', "    population: 10\n    holidays: ['1-5']\n"))
  t.same(written.details, ['x.yaml:8:16 departements[0].holidays[0] : jour férié attendu sous la forme MM-JJ, par exemple \'05-27\'.'])
})

t.test('an empty scenario is told as such, at its first line', async (t) => {
  for (const text of ['', '\n\n', '# rien\n', '---\n']) {
    const p = problems(text)
    t.equal(p.code, 'PHEBUS_SCENARIO_INVALID', JSON.stringify(text))
    t.match(p.details, [/^x\.yaml:1:1 : le scénario est vide ; il faut au moins « name », « description », « seed » et « departements »\.$/], JSON.stringify(text))
  }
})

t.test('a key that is a list or a table is refused where it is written, in French, and nothing is said in English beside it', async (t) => {
  const warnings: string[] = []
  const listen = (w: Error): void => { warnings.push(w.message) }
  process.on('warning', listen)
  t.teardown(() => { process.off('warning', listen) })
  const p = problems(VALID + '? [a, b]\n: c\n')
  t.equal(p.code, 'PHEBUS_SCENARIO_SYNTAX')
  t.same(p.details, ['x.yaml:8:3 : une clé doit être un texte, pas une liste ni une table'])
  await new Promise((resolve) => setImmediate(resolve))
  t.same(warnings, [], 'no warning of Node\'s')
})

t.test('two keys the same once read (1 and \'1\') are a duplicate key, not the second silently kept', async (t) => {
  const p = problems(VALID + "mix:\n  categories: { 1: 1, '1': 2 }\n")
  t.equal(p.code, 'PHEBUS_SCENARIO_SYNTAX')
  t.same(p.details, ["x.yaml:9:23 : clé « '1' » en double"])
})

t.test('every YAML syntax error is named in French, none as a vague « YAML mal formé »', async (t) => {
  const cases: [string, RegExp][] = [
    [`${VALID}x: ${'['.repeat(2000)}${']'.repeat(2000)}\n`, /imbrication trop profonde/],
    [`${VALID}x: "\\q"\n`, /séquence d'échappement/],
    [`${VALID}x: &a &b 1\n`, /deux ancres/],
    [`${VALID}x: !!str !!int 1\n`, /deux étiquettes/],
    [`${VALID}${'k'.repeat(1100)}: 1\n`, /clé de plus de 1024 caractères/],
    [`${VALID}x: @y\n`, /ne peut pas commencer par « @ » ni « ` »/],
    [`${VALID}y: &a 1\nx: &b *a\n`, /un alias ne prend ni ancre ni étiquette/],
    [`${VALID}x: *\n`, /alias sans nom/]
  ]
  for (const [yaml, message] of cases) {
    const p = problems(yaml)
    t.equal(p.code, 'PHEBUS_SCENARIO_SYNTAX', String(message))
    t.match(p.details[0], /^x\.yaml:\d+:\d+ : /, `${String(message)}: positioned`)
    t.match(p.details[0], message)
    t.notMatch(p.details[0], /YAML mal formé/)
  }
})

t.test('a YAML tag the scenario cannot know is refused where it is written, not read as text', async (t) => {
  const start = VALID.split('\n').length
  const p = problems(VALID.replace('seed: 42', 'seed: !graine 42'))
  t.equal(p.code, 'PHEBUS_SCENARIO_SYNTAX')
  t.same(p.details, ['x.yaml:3:7 : étiquette YAML « !graine » inconnue : un scénario n\'écrit que des textes, des nombres, des listes et des tables'])
  t.match(problems(VALID + 'x: !!js/function "f() {}"\n').details, [new RegExp(`^x\\.yaml:${start}:4 : étiquette YAML « !!js/function » inconnue`)])
})

t.test('a control character in a field is named as one, never printed raw nor said to be outside ISO-8859-1', async (t) => {
  const p = problems(VALID + 'individuals:\n  - departement: \'77\'\n    label: x\n    fields: { NOM_NAISSANCE: "DUP\\nONT", PRENOM: "A\\u0085B", NOM_MARITAL: "C\\tD" }\n')
  t.equal(p.details.length, 3)
  t.match(p.details[0], /NOM_NAISSANCE : caractère de contrôle U\+000A \(saut de ligne\) : une zone PECGM ne prend que des caractères imprimables\.$/)
  t.match(p.details[1], /PRENOM : caractère de contrôle U\+0085 : une zone PECGM ne prend que des caractères imprimables\.$/)
  t.match(p.details[2], /NOM_MARITAL : caractère de contrôle U\+0009 \(tabulation\)/)
  for (const d of p.details) t.notOk([...d].some((c) => (c.codePointAt(0) ?? 0) < 0x20 || ((c.codePointAt(0) ?? 0) >= 0x7F && (c.codePointAt(0) ?? 0) <= 0x9F)), 'no raw control character in the message')
  t.match(problems(VALID + 'individuals:\n  - departement: \'77\'\n    label: x\n    fields: { PRENOM: "Zoë 🙂" }\n').details[0], /le caractère « 🙂 » \(U\+1F642\) n'existe pas en ISO-8859-1/)
})

t.test('a scenario saved in UTF-16 (with its byte-order mark or without), or with the old Mac\'s line ends, is told so at its first line', async (t) => {
  const dir = t.testdir({
    'le.yaml': Buffer.concat([Buffer.from([0xFF, 0xFE]), Buffer.from(VALID, 'utf16le')]),
    'be.yaml': Buffer.concat([Buffer.from([0xFE, 0xFF]), Buffer.from(VALID, 'utf16le').swap16()]),
    'cr.yaml': VALID.replace(/\n/g, '\r'),
    'le-sans-marque.yaml': Buffer.from(VALID, 'utf16le'),
    'be-sans-marque.yaml': Buffer.from(VALID, 'utf16le').swap16()
  })
  for (const name of ['le.yaml', 'be.yaml', 'le-sans-marque.yaml', 'be-sans-marque.yaml']) {
    await t.rejects(loadScenarioFile(`${dir}/${name}`), { code: 'PHEBUS_SCENARIO_SYNTAX', details: [new RegExp(`/${name.replace('.', '\\.')}:1:1 : le fichier est en UTF-16 : un scénario s'écrit en UTF-8`)] }, name)
  }
  await t.rejects(loadScenarioFile(`${dir}/cr.yaml`), { code: 'PHEBUS_SCENARIO_SYNTAX', details: [/\/cr\.yaml:1:\d+ : fins de ligne CR seules \(ancien Mac\) : enregistrez le scénario avec des fins de ligne LF ou CR LF$/] })
})

t.test('a control character in a scenario (a NUL in a description) is refused at its place, naming it', async (t) => {
  const dir = t.testdir({ 'nul.yaml': VALID.replace(/^(description: [^\n]*)/m, '$1\u0000') })
  const line = VALID.split('\n').findIndex((l) => l.startsWith('description: ')) + 1
  t.ok(line > 0, 'the fixture has a description')
  await t.rejects(loadScenarioFile(`${dir}/nul.yaml`), { code: 'PHEBUS_SCENARIO_SYNTAX', details: [new RegExp(`/nul\\.yaml:${line}:\\d+ : caractère de contrôle U\\+0000 : un scénario n'en contient aucun`)] })
})

t.test('more named individuals than their département\'s population: each one past it is a problem at its place in the YAML', async (t) => {
  const yaml = VALID.replace('population: 10', 'population: 1') + 'individuals:\n' +
    '  - departement: \'77\'\n    label: premier\n    fields: { NOM_NAISSANCE: UN }\n' +
    '  - departement: \'77\'\n    label: deuxième\n    fields: { NOM_NAISSANCE: DEUX }\n' +
    '  - departement: \'77\'\n    label: troisième\n    fields: { NOM_NAISSANCE: TROIS }\n'
  const p = problems(yaml)
  t.equal(p.code, 'PHEBUS_SCENARIO_INVALID')
  t.equal(p.details.length, 2, 'the second and the third')
  t.match(p.details[0], /^x\.yaml:12:5 individuals\[1\] : l'individu « deuxième » est le 2e nommé du département 77, dont la population est 1 : il ne serait dans aucun fichier/)
  t.match(p.details[1], /^x\.yaml:15:5 individuals\[2\] : l'individu « troisième » est le 3e/)
  t.doesNotThrow(() => parseScenario(yaml.replace('population: 1', 'population: 3'), 'x.yaml'), 'as many as the population: all in the files')
})

t.test('a scenario file past 16 MiB (/dev/zero, a data file) is refused unread beyond its bound, in French, exit 2, by every command that loads one', async (t) => {
  const { MAX_SCENARIO_BYTES } = await import('../../src/scenarios/load.js')
  const { cli } = await import('../cli/helpers.js')
  const started = Date.now()
  await t.rejects(loadScenarioFile('/dev/zero'), { code: 'PHEBUS_SCENARIO_UNREADABLE', message: /dépasse 16 Mio/ })
  t.ok(Date.now() - started < 10_000, 'stopped at its bound')
  const dir = t.testdir()
  const big = `${dir}/grand.yaml`
  writeFileSync(big, `${MINIMAL_SCENARIO}# ${'x'.repeat(MAX_SCENARIO_BYTES)}\n`)
  for (const argv of [['scenario', 'check', big], ['scenario', 'check', '/dev/zero'], ['generate', '--scenario', big, '--departement', '77', '--output', '-'], ['sample', 'cgpem', '--scenario', big, '--departement', '77', '--output', '-']]) {
    const r = await cli(...argv)
    t.equal(r.code, 2, argv.join(' '))
    t.match(r.stderr, /dépasse 16 Mio.*\[PHEBUS_SCENARIO_UNREADABLE\]/)
  }
  writeFileSync(big, `${MINIMAL_SCENARIO}# ${'x'.repeat(MAX_SCENARIO_BYTES - Buffer.byteLength(MINIMAL_SCENARIO) - 3)}\n`)
  await t.resolves(loadScenarioFile(big), 'exactly 16 MiB: read')
})

t.test('every unknown key of a mapping is reported, each at its place, not only the first', async (t) => {
  const p = problems(VALID + 'foo: 1\nbar: 2\nbaz: 3\n')
  t.equal(p.code, 'PHEBUS_SCENARIO_INVALID')
  t.same(p.details, ['x.yaml:8:1 foo : clé « foo » inconnue ici.', 'x.yaml:9:1 bar : clé « bar » inconnue ici.', 'x.yaml:10:1 baz : clé « baz » inconnue ici.'])
})

t.test('a duplicate key is named', async (t) => {
  const p = problems(VALID.replace('seed: 42\n', 'seed: 42\nname: bis\n'))
  t.same(p.details, ['x.yaml:4:1 : clé « name » en double'])
})

t.test('an unclosed quote is reported where it opened, not at the end of the file', async (t) => {
  const yaml = VALID.replace('seed: 42', 'seed: "abc').replace('description: un petit scénario', "description: 'un petit scénario'") + '# fin\n# du\n# fichier\n'
  const p = problems(yaml)
  t.equal(p.code, 'PHEBUS_SCENARIO_SYNTAX')
  t.match(p.details[0], /^x\.yaml:3:7 : guillemet " ouvert ici et jamais fermé : tout ce qui suit, jusqu'à la ligne \d+, serait son texte$/)
  const single = problems(VALID.replace('name: Seine-et-Marne', "name: 'Seine-et-Marne"))
  t.match(single.details[0], /^x\.yaml:6:11 : guillemet ' ouvert ici et jamais fermé/)
})

t.test('a named individual\'s values are checked by the PECGM validator\'s own rules (NIR, lists, forms, IDENTIFIANT_PE), each at its place; dates against the day of generation are not', async (t) => {
  const yaml = VALID + 'individuals:\n  - departement: \'77\'\n    label: a\n    fields:\n' +
    '      NIR: "12345678901234567"\n      CODE_CATEGORIE_INSCRIPTION: "9"\n      IDENTIFIANT_PE: "ABC"\n      CODE_ROME: "Z1234"\n      DATE_DEBUT_IDE: "20990101"\n'
  const p = problems(yaml)
  t.equal(p.code, 'PHEBUS_SCENARIO_INVALID')
  t.match(p.details, [
    /^x\.yaml:12:7 individuals\[0\]\.fields\.NIR : NIR a exactement 13 caractères, lu 17 \(la validation du PECGM le refuserait : PECGM_NIR_INVALID\)\.$/,
    /^x\.yaml:13:7 individuals\[0\]\.fields\.CODE_CATEGORIE_INSCRIPTION : .*« 9 », hors de sa liste.*PECGM_CODE_UNKNOWN/,
    /^x\.yaml:14:7 individuals\[0\]\.fields\.IDENTIFIANT_PE : .*PECGM_IDENTIFIANT_PE_INVALID/,
    /^x\.yaml:15:7 individuals\[0\]\.fields\.CODE_ROME : .*PECGM_FIELD_FORM/
  ])
  t.equal(p.details.length, 4, 'the date is a real one: judged against the day of each file, not here')
})
