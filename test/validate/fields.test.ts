import t from 'tap'
import { CGPEM_FIELDS } from '../../src/layouts/cgpem.js'
import { Rng } from '../../src/generate/rng.js'
import { badCharIndex, checkField, FIELD_BLANK, FIELD_OK, FIELD_PROBLEM, fieldVerdict, todayAsNumber, TYPE_RANGES } from '../../src/validate/fields.js'
import { codes, rawOrientation, TODAY, validate, VALID, xmlDoc } from './helpers.js'

/** The spec's example with one field changed (undefined: left out), as written in the file. */
function withField (name: string, value: string | undefined): Buffer {
  const values: Record<string, string | undefined> = {}
  for (const f of CGPEM_FIELDS) values[f.name] = f.name === name ? value : VALID[f.name]
  return xmlDoc(rawOrientation(values))
}

const LINE: Record<string, number> = {}
{
  let line = 4
  for (const f of CGPEM_FIELDS) if (f.name !== 'NOM_MARITAL') LINE[f.name] = line++
}

t.test('each field: what passes and what fails, with its code, line, orientation and field', async (t) => {
  const cases: Array<{ name: string, field: string, value: string | undefined, expect: string | null }> = [
    // presence (D7 for the decision date)
    { name: 'birth name missing', field: 'NOM_NAISSANCE', value: undefined, expect: 'CGPEM_FIELD_REQUIRED' },
    { name: 'birth name empty', field: 'NOM_NAISSANCE', value: '', expect: 'CGPEM_FIELD_REQUIRED' },
    { name: 'birth name of spaces', field: 'NOM_NAISSANCE', value: '   ', expect: 'CGPEM_FIELD_REQUIRED' },
    { name: 'first name missing', field: 'PRENOM', value: undefined, expect: 'CGPEM_FIELD_REQUIRED' },
    { name: 'birth date missing', field: 'DATE_NAISSANCE', value: undefined, expect: 'CGPEM_FIELD_REQUIRED' },
    { name: 'nature missing', field: 'NATURE_ACCOMPAGNEMENT', value: undefined, expect: 'CGPEM_FIELD_REQUIRED' },
    { name: 'decision date missing (D7)', field: 'DATE_DECISION_ORIENTATION', value: undefined, expect: 'CGPEM_FIELD_EXPECTED' },
    { name: 'optional field missing', field: 'ORGANISME_REFERENT', value: undefined, expect: null },
    { name: 'optional field empty', field: 'SERVICE_CORRESPONDANT', value: '', expect: null },
    // lengths
    { name: 'birth name of 25', field: 'NOM_NAISSANCE', value: 'A'.repeat(25), expect: null },
    { name: 'birth name of 26', field: 'NOM_NAISSANCE', value: 'A'.repeat(26), expect: 'CGPEM_FIELD_TOO_LONG' },
    { name: 'organisme of 90', field: 'ORGANISME_REFERENT', value: 'x'.repeat(90), expect: null },
    { name: 'organisme of 91', field: 'ORGANISME_REFERENT', value: 'x'.repeat(91), expect: 'CGPEM_FIELD_TOO_LONG' },
    { name: 'correspondent name of 31', field: 'NOM_CORRESPONDANT', value: 'A'.repeat(31), expect: 'CGPEM_FIELD_TOO_LONG' },
    { name: 'e-mail of 61', field: 'EMAIL_CORRESPONDANT', value: `${'a'.repeat(49)}@example.org`, expect: 'CGPEM_FIELD_TOO_LONG' },
    { name: 'NIR of 12', field: 'NIR', value: '285059904212', expect: 'CGPEM_FIELD_LENGTH' },
    { name: 'NIR of 15, with its key', field: 'NIR', value: '285059904212345', expect: 'CGPEM_FIELD_LENGTH' },
    { name: 'CODE_PE of 2', field: 'CODE_PE', value: '77', expect: 'CGPEM_FIELD_LENGTH' },
    { name: 'date of 6', field: 'DATE_NAISSANCE', value: '850512', expect: 'CGPEM_FIELD_LENGTH' },
    { name: 'ISO date', field: 'DATE_NAISSANCE', value: '1985-05-12', expect: 'CGPEM_FIELD_LENGTH' },
    { name: 'phone of 9', field: 'TEL_CORRESPONDANT', value: '019900123', expect: 'CGPEM_FIELD_LENGTH' },
    { name: 'phone of 11', field: 'TEL_CORRESPONDANT', value: '01990012345', expect: 'CGPEM_FIELD_LENGTH' },
    { name: 'nature of 1', field: 'NATURE_ACCOMPAGNEMENT', value: '5', expect: 'CGPEM_FIELD_LENGTH' },
    // types
    { name: 'A: accents, hyphen, apostrophe, space', field: 'NOM_NAISSANCE', value: 'D\'ARC-ÉLÉONORE ÿ', expect: null },
    { name: 'A: digit', field: 'NOM_NAISSANCE', value: 'LOUIS XIV 2', expect: 'CGPEM_FIELD_TYPE' },
    { name: 'A: dot', field: 'PRENOM', value: 'J.', expect: 'CGPEM_FIELD_TYPE' },
    { name: 'A: ×', field: 'PRENOM', value: 'A×B', expect: 'CGPEM_FIELD_TYPE' },
    { name: 'A: character reference outside ISO-8859-1', field: 'PRENOM', value: 'Zo&#x153;', expect: 'CGPEM_FIELD_TYPE' },
    { name: 'AN: tab', field: 'ORGANISME_REFERENT', value: 'MDS\tNord', expect: 'CGPEM_FIELD_TYPE' },
    { name: 'AN: punctuation and «»', field: 'ORGANISME_REFERENT', value: '« MDS » n°3 : 1, rue X ; 77000 (Melun) €?'.replace('€', 'EUR'), expect: null },
    { name: 'N: letter', field: 'TEL_CORRESPONDANT', value: '01990O1234', expect: 'CGPEM_FIELD_TYPE' },
    { name: 'N: spaces inside', field: 'TEL_CORRESPONDANT', value: '01 9900123', expect: 'CGPEM_FIELD_TYPE' },
    { name: 'D: letter', field: 'DATE_DECISION_ORIENTATION', value: '2026101O', expect: 'CGPEM_FIELD_TYPE' },
    // dates
    { name: 'February 30th', field: 'DATE_NAISSANCE', value: '20230230', expect: 'CGPEM_DATE_INVALID' },
    { name: 'month 13', field: 'DATE_NAISSANCE', value: '19851305', expect: 'CGPEM_DATE_INVALID' },
    { name: 'day 00', field: 'DATE_DECISION_ORIENTATION', value: '20261000', expect: 'CGPEM_DATE_INVALID' },
    { name: 'year before 1900', field: 'DATE_NAISSANCE', value: '18991231', expect: 'CGPEM_DATE_INVALID' },
    { name: 'February 29th of a leap year', field: 'DATE_NAISSANCE', value: '20000229', expect: null },
    { name: 'February 29th otherwise', field: 'DATE_NAISSANCE', value: '19000229', expect: 'CGPEM_DATE_INVALID' },
    { name: 'birth tomorrow', field: 'DATE_NAISSANCE', value: '20261121', expect: 'CGPEM_DATE_FUTURE' },
    { name: 'birth today', field: 'DATE_NAISSANCE', value: '20261120', expect: 'CGPEM_DATE_FUTURE' },
    { name: 'birth yesterday', field: 'DATE_NAISSANCE', value: '20261119', expect: null },
    { name: 'decision today', field: 'DATE_DECISION_ORIENTATION', value: '20261120', expect: null },
    { name: 'decision tomorrow (D7)', field: 'DATE_DECISION_ORIENTATION', value: '20261121', expect: 'CGPEM_DATE_FUTURE' },
    // NIR
    { name: 'NIR born abroad', field: 'NIR', value: '1850599123456', expect: null },
    { name: 'NIR born in Corsica', field: 'NIR', value: '285052A123456', expect: null },
    { name: 'NIR with month 20, 30–42, 50–99', field: 'NIR', value: '1854275123456', expect: null },
    { name: 'NIR sex 7', field: 'NIR', value: '7850575123456', expect: null },
    { name: 'NIR sex 3', field: 'NIR', value: '3850575123456', expect: 'CGPEM_NIR_INVALID' },
    { name: 'NIR month 13', field: 'NIR', value: '1851375123456', expect: 'CGPEM_NIR_INVALID' },
    { name: 'NIR month 43', field: 'NIR', value: '1854375123456', expect: 'CGPEM_NIR_INVALID' },
    { name: 'NIR month 00', field: 'NIR', value: '1850075123456', expect: 'CGPEM_NIR_INVALID' },
    { name: 'NIR département 00', field: 'NIR', value: '1850500123456', expect: 'CGPEM_NIR_INVALID' },
    { name: 'NIR département 2C', field: 'NIR', value: '185052C123456', expect: 'CGPEM_NIR_INVALID' },
    { name: 'NIR commune with a letter', field: 'NIR', value: '18505751A3456', expect: 'CGPEM_NIR_INVALID' },
    { name: 'NIR order with a letter', field: 'NIR', value: '18505751234X6', expect: 'CGPEM_NIR_INVALID' },
    // nature, identifiant, e-mail, phone
    ...['01', '02', '03', '04', '05', '06'].map((v) => ({ name: `nature ${v}`, field: 'NATURE_ACCOMPAGNEMENT', value: v, expect: null })),
    { name: 'nature 00', field: 'NATURE_ACCOMPAGNEMENT', value: '00', expect: 'CGPEM_NATURE_UNKNOWN' },
    { name: 'nature 07', field: 'NATURE_ACCOMPAGNEMENT', value: '07', expect: 'CGPEM_NATURE_UNKNOWN' },
    { name: 'identifiant of 8 digits', field: 'IDENTIFIANT_PE', value: '12345678', expect: null },
    { name: 'identifiant lower-case letter', field: 'IDENTIFIANT_PE', value: '1234567a', expect: 'CGPEM_IDENTIFIANT_PE_INVALID' },
    { name: 'identifiant letter first', field: 'IDENTIFIANT_PE', value: 'A1234567', expect: 'CGPEM_IDENTIFIANT_PE_INVALID' },
    { name: 'identifiant two letters', field: 'IDENTIFIANT_PE', value: '123456AB', expect: 'CGPEM_IDENTIFIANT_PE_INVALID' },
    { name: 'e-mail with a plus and a sub-domain', field: 'EMAIL_CORRESPONDANT', value: 'p.martin+rsa@mds.departement77.fr', expect: null },
    { name: 'e-mail without @', field: 'EMAIL_CORRESPONDANT', value: 'paul.martin.example.org', expect: 'CGPEM_EMAIL_INVALID' },
    { name: 'e-mail without a domain dot', field: 'EMAIL_CORRESPONDANT', value: 'paul@localhost', expect: 'CGPEM_EMAIL_INVALID' },
    { name: 'e-mail with two @', field: 'EMAIL_CORRESPONDANT', value: 'paul@@example.org', expect: 'CGPEM_EMAIL_INVALID' },
    { name: 'e-mail with a space', field: 'EMAIL_CORRESPONDANT', value: 'paul martin@example.org', expect: 'CGPEM_EMAIL_INVALID' }
  ]
  for (const c of cases) {
    const r = validate(withField(c.field, c.value))
    if (c.expect === null) {
      t.same(r.findings, [], c.name)
      continue
    }
    t.same(codes(r), [c.expect], c.name)
    const line = c.value === undefined ? 3 : LINE[c.field]
    t.match(r.findings[0], { code: c.expect, line, record: 1, field: c.field }, c.name)
  }
})

t.test('identifiers are masked in findings; other values are shown, cut to 60 characters', async (t) => {
  const cases = [
    { field: 'NIR', value: '3850575123456', shown: '385**********' },
    { field: 'IDENTIFIANT_PE', value: '1234567a', shown: '12******' },
    { field: 'TEL_CORRESPONDANT', value: '01990O1234', shown: '01********' },
    { field: 'EMAIL_CORRESPONDANT', value: 'paul.martin.example.org', shown: 'p**********************' },
    { field: 'EMAIL_CORRESPONDANT', value: 'paul@localhost', shown: 'p***@localhost' },
    { field: 'NOM_NAISSANCE', value: 'LOUIS XIV 2', shown: 'LOUIS XIV 2' },
    { field: 'ORGANISME_REFERENT', value: 'x'.repeat(91), shown: `${'x'.repeat(59)}…` }
  ]
  for (const c of cases) {
    const f = validate(withField(c.field, c.value)).findings[0]
    t.equal(f?.value, c.shown, c.field)
    if (c.field === 'NIR') t.notMatch(f?.message ?? '', c.value, 'the message never shows the whole NIR')
  }
})

t.test('a forbidden space is named, not shown between quotes that would look empty', async (t) => {
  const f = validate(withField('TEL_CORRESPONDANT', '01 9900123')).findings[0]
  t.match(f, { code: 'CGPEM_FIELD_TYPE', message: 'TEL_CORRESPONDANT (type N : chiffres) contient une espace en position 3.' })
  const nature = validate(withField('NATURE_ACCOMPAGNEMENT', ' 5')).findings[0]
  t.match(nature, { code: 'CGPEM_FIELD_TYPE', message: /contient une espace en position 1\.$/ })
})

t.test('the type check and the XSD read the same character ranges', async (t) => {
  for (const type of ['A', 'AN', 'N', 'D'] as const) {
    for (let c = 0; c < 256; c++) {
      if (c >= 0x80 && c <= 0x9F) continue
      const inRanges = TYPE_RANGES[type].some(([lo, hi]) => c >= lo && c <= hi)
      const value = `${String.fromCharCode(c)}${type === 'N' || type === 'D' ? '1' : 'A'}`
      if ((badCharIndex(type, value) < 0) !== inRanges) t.fail(`${type} 0x${c.toString(16)}`)
    }
  }
  t.pass('all 224 characters agree for the four types')
})

/** Values near each field's rules: valid ones, then each mutated a few times. */
const NEAR: Readonly<Record<string, readonly string[]>> = {
  NIR: ['2850599042123', '1000101001001', '7992099999999', '8504220000000', '2855020000000', '2851399042123', '2850500042123', '2850502A42123', '2850502B42123', '2850502C42123', '3850599042123', '   '],
  DATE_NAISSANCE: ['19850512', '20261119', '20261120', '20261121', '20240229', '20230229', '18991231', '19000101', '20231301', '20230431', '20230400', '2023051'],
  DATE_DECISION_ORIENTATION: ['20261120', '20261121', '20261015', '20000101'],
  NATURE_ACCOMPAGNEMENT: ['01', '05', '06', '07', '00', '1', ' 1', '10'],
  IDENTIFIANT_PE: ['1234567A', '12345678', '1234567a', '123456AA', 'A2345678', '1234567'],
  CODE_PE: ['077', '77', '0 7', '   '],
  EMAIL_CORRESPONDANT: ['paul.martin@example.org', 'a@b.c', 'a@b', '@b.c', 'a@.c', 'a@b.', 'a@b..c', "o'neil+x_y%z-w.v@sub-d.ex-ample.org", 'a@b@c.d', 'a b@c.d', 'a@b_c.d', 'a.@b.c'],
  TEL_CORRESPONDANT: ['0199001234', '019900123', '01990O1234'],
  NOM_NAISSANCE: ['LEFÈVRE', "D'ARTAGNAN-LÉA", '  A  ', 'LOUIS XIV 2', 'A×B', ' '],
  ORGANISME_REFERENT: ['Maison départementale des solidarités, 1 rue X, 77000 Melun', '\u00a0', 'x'.repeat(90), 'x'.repeat(91)]
}
/** Characters the mutations put in: digits, letters, the pattern's signs, spaces, Latin-1, C1 and C0 bytes. */
const SPICE = '0123456789AZaz2B@.-_%+\' \t\u00a0\u00e9\u00d7\u00ff\u0085\u0081\u0001\u007f'

t.test('fieldVerdict, on the bytes, agrees with checkField on the string for every field and many values', async (t) => {
  const rng = new Rng(42)
  const today = todayAsNumber(TODAY)
  let checked = 0
  for (const field of CGPEM_FIELDS) {
    const seeds = [...(NEAR[field.name] ?? []), VALID[field.name] ?? '', '']
    for (const seed of seeds) {
      for (let m = 0; m < 200; m++) {
        let v = seed
        for (let k = rng.int(4); k > 0; k--) {
          const at = rng.int(v.length + 1)
          const c = SPICE.charAt(rng.int(SPICE.length))
          const r = rng.int(3)
          v = r === 0 ? v.slice(0, at) + c + v.slice(at + 1) : r === 1 ? v.slice(0, at) + c + v.slice(at) : v.slice(0, at) + v.slice(at + 1)
        }
        if (m === 0) v = seed
        const problem = checkField(field, v, v.length, today)
        const expected = problem !== null ? FIELD_PROBLEM : badCharIndex(field.type, v) === -2 ? FIELD_BLANK : FIELD_OK
        const bytes = Buffer.from(`<${v}>`, 'latin1')
        const got = fieldVerdict(field, bytes, 1, bytes.length - 1, today)
        if (got !== expected) t.fail(`${field.name} ${JSON.stringify(v)}: fieldVerdict ${got}, checkField ${expected}`)
        checked++
      }
    }
  }
  t.pass(`${checked} values agree`)
})
