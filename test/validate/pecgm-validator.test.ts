import t from 'tap'
import { pecgmChunks, pecgmFromDetails, type Periodicity } from '../../src/generate/pecgm-file.js'
import { getField } from '../../src/layouts/engine.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { getPecgmLayouts, PECGM_RECORD_LENGTH } from '../../src/layouts/pecgm.js'
import type { Terminator } from '../../src/layouts/pecgm-reader.js'
import { answerDetails, type OrientationSeen } from '../../src/qualification/answer.js'
import { buildSample } from '../../src/qualification/sample.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import type { Scenario } from '../../src/scenarios/model.js'
import { PecgmValidator } from '../../src/validate/pecgm-validator.js'
import type { ValidationReport } from '../../src/validate/report.js'
import { describeLeaks, findLeaks } from '../messages-english.js'

/** The reference day of the generated files, and the day of the check: 2026-11-01. */
const REFERENCE = parseIsoDate('2026-11-01') as number
const LAYOUTS = getPecgmLayouts('001,0')
const TERMINATORS: readonly Terminator[] = ['LF', 'CRLF', 'none']
const ENDS: Readonly<Record<Terminator, string>> = { LF: '\n', CRLF: '\r\n', none: '' }
type RecordType = 'E' | 'D' | 'F'

async function scenario (name: string): Promise<Scenario> {
  return loadScenarioFile(new URL(`../../scenarios/${name}.yaml`, import.meta.url).pathname)
}

interface PecgmOptions {
  terminator?: Terminator
  records?: number
  periodicity?: Periodicity
  seed?: number
  departement?: string
  referenceDay?: number
  fabricationDay?: number
}

/** A PECGM as `phebus-mock generate` writes it. */
function generated (s: Scenario, o: PecgmOptions = {}): Buffer {
  const req = {
    scenario: { ...s, pecgm: { ...s.pecgm, terminator: o.terminator ?? 'LF' } },
    departement: o.departement ?? '77',
    referenceDay: o.referenceDay ?? REFERENCE,
    periodicity: o.periodicity ?? 'M',
    records: o.records ?? 10,
    ...(o.seed === undefined ? {} : { seed: o.seed }),
    ...(o.fabricationDay === undefined ? {} : { fabricationDay: o.fabricationDay })
  }
  return Buffer.concat([...pecgmChunks(req)])
}

/** The records of a file (copies, without their terminators). */
function recordsOf (file: Buffer, terminator: Terminator = 'LF'): Buffer[] {
  const stride = PECGM_RECORD_LENGTH + ENDS[terminator].length
  const out: Buffer[] = []
  for (let at = 0; at < file.length; at += stride) out.push(Buffer.from(file.subarray(at, at + PECGM_RECORD_LENGTH)))
  return out
}

function fileOf (records: readonly Buffer[], terminator: Terminator = 'LF'): Buffer {
  const end = Buffer.from(ENDS[terminator], 'latin1')
  return Buffer.concat(records.flatMap((r) => [r, end]))
}

function layoutOf (type: RecordType): (typeof LAYOUTS)['detail'] {
  return type === 'E' ? LAYOUTS.header : type === 'D' ? LAYOUTS.detail : LAYOUTS.footer
}

/** A copy of `record` with `value` (latin1 text or bytes) in field `name`, padded with spaces to its width. */
function withField (record: Buffer, type: RecordType, name: string, value: string | Buffer): Buffer {
  const f = getField(layoutOf(type), name)
  const out = Buffer.from(record)
  out.fill(0x20, f.offset, f.offset + f.length)
  ;(typeof value === 'string' ? Buffer.from(value, 'latin1') : value).copy(out, f.offset)
  return out
}

function fieldOf (record: Buffer, type: RecordType, name: string): string {
  const f = getField(layoutOf(type), name)
  return record.toString('latin1', f.offset, f.offset + f.length).replace(/ +$/, '')
}

/** Validates `bytes` pushed in chunks of `size` (all at once by default). */
function validate (bytes: Buffer, options: { today?: number, maxFindings?: number, size?: number } = {}): ValidationReport<'pecgm'> {
  const v = new PecgmValidator({ today: options.today ?? REFERENCE, ...(options.maxFindings === undefined ? {} : { maxFindings: options.maxFindings }) })
  const size = options.size ?? Math.max(1, bytes.length)
  for (let at = 0; at < bytes.length; at += size) v.push(bytes.subarray(at, at + size))
  return v.end()
}

type Where = [string, number | undefined, string | undefined]

/** The findings as [code, record, field]: what the tests compare. */
function where (r: ValidationReport<'pecgm'>): Where[] {
  return r.findings.map((f) => [f.code, f.record, f.field])
}

const demo = await scenario('demo')
/** header, 10 details (records 2 to 11), footer (record 12), LF */
const BASE = generated(demo)
const R = recordsOf(BASE)
const HEADER = R[0] as Buffer
const FOOTER = R[11] as Buffer
const DETAILS = R.slice(1, 11)

/** The base file with detail `k` (1–10, record k + 1) changed. */
function detail (k: number, name: string, value: string | Buffer): Buffer {
  return fileOf(R.map((r, i) => i === k ? withField(r, 'D', name, value) : r))
}

function header (name: string, value: string): Buffer {
  return fileOf([withField(HEADER, 'E', name, value), ...R.slice(1)])
}

function footer (name: string, value: string): Buffer {
  return fileOf([...R.slice(0, -1), withField(FOOTER, 'F', name, value)])
}

interface Row {
  name: string
  input: Buffer
  expect: Where[]
  /** accepted: warnings only (default: false when an expected code is an error) */
  valid?: boolean
}

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8')
const TABLE: Row[] = [
  { name: 'a generated file', input: BASE, expect: [], valid: true },
  { name: 'an empty file', input: Buffer.alloc(0), expect: [['PECGM_EMPTY', undefined, undefined]] },
  { name: 'the header missing', input: fileOf(R.slice(1)), expect: [['PECGM_HEADER_MISSING', 1, undefined]] },
  { name: 'the header after a detail', input: fileOf([R[1] as Buffer, HEADER, ...R.slice(2)]), expect: [['PECGM_HEADER_NOT_FIRST', 2, undefined]] },
  { name: 'a second header', input: fileOf([HEADER, ...R.slice(1, 5), HEADER, ...R.slice(5)]), expect: [['PECGM_HEADER_NOT_FIRST', 6, undefined]] },
  { name: 'the footer missing', input: fileOf(R.slice(0, -1)), expect: [['PECGM_FOOTER_MISSING', 11, undefined]] },
  { name: 'a record after the footer', input: fileOf([...R, withField(R[3] as Buffer, 'D', 'NIR', '1850599042123')]), expect: [['PECGM_RECORD_AFTER_FOOTER', 13, undefined]] },
  { name: 'an empty line at the end', input: Buffer.concat([BASE, Buffer.from('\n')]), expect: [['PECGM_RECORD_LENGTH', 13, undefined]] },
  { name: 'the file cut in a detail', input: BASE.subarray(0, 4 * 1201 + 700), expect: [['PECGM_TRUNCATED', 5, undefined]] },
  { name: 'the file cut in a detail, back to back', input: fileOf(R, 'none').subarray(0, 4 * 1200 + 700), expect: [['PECGM_TRUNCATED', 5, undefined]] },
  { name: 'a detail 3 bytes short', input: fileOf(R.map((r, i) => i === 3 ? r.subarray(0, 1197) : r)), expect: [['PECGM_RECORD_LENGTH', 4, undefined]] },
  { name: 'a header too short', input: fileOf([HEADER.subarray(0, 1100), ...R.slice(1)]), expect: [['PECGM_RECORD_LENGTH', 1, undefined]] },
  { name: 'a footer too short', input: fileOf([...R.slice(0, -1), FOOTER.subarray(0, 1100)]), expect: [['PECGM_RECORD_LENGTH', 12, undefined]] },
  { name: 'one CR LF among LF', input: Buffer.concat(R.map((r, i) => Buffer.concat([r, Buffer.from(i === 4 ? '\r\n' : '\n')]))), expect: [['PECGM_TERMINATOR', 5, undefined]] },
  { name: 'one LF among CR LF', input: Buffer.concat(R.map((r, i) => Buffer.concat([r, Buffer.from(i === 6 ? '\n' : '\r\n')]))), expect: [['PECGM_TERMINATOR', 7, undefined]] },
  { name: 'the last line without its LF', input: BASE.subarray(0, BASE.length - 1), expect: [['PECGM_TERMINATOR', 12, undefined]] },
  { name: 'the last line without its CR LF', input: fileOf(R, 'CRLF').subarray(0, fileOf(R, 'CRLF').length - 2), expect: [['PECGM_TERMINATOR', 12, undefined]] },
  { name: 'an unknown version', input: header('VERSION', '002,0'), expect: [['PECGM_UNKNOWN_VERSION', 1, 'VERSION']] },
  { name: 'FICHIER is not PECG', input: header('FICHIER', 'PECX'), expect: [['PECGM_HEADER_FIELD', 1, 'FICHIER']] },
  { name: 'an unknown periodicity', input: header('PERIODICITE', 'A'), expect: [['PECGM_HEADER_FIELD', 1, 'PERIODICITE']] },
  { name: 'a département right-aligned', input: fileOf([withField(HEADER, 'E', 'DEPARTEMENT', ' 77'), ...R.slice(1, -1), withField(FOOTER, 'F', 'DEPARTEMENT', ' 77')]), expect: [['PECGM_HEADER_FIELD', 1, 'DEPARTEMENT']] },
  { name: 'a département that does not exist (00), header and footer alike', input: fileOf([withField(HEADER, 'E', 'DEPARTEMENT', '00'), ...R.slice(1, -1), withField(FOOTER, 'F', 'DEPARTEMENT', '00')]), expect: [['PECGM_HEADER_FIELD', 1, 'DEPARTEMENT']] },
  { name: 'département 20 (now 2A and 2B)', input: fileOf([withField(HEADER, 'E', 'DEPARTEMENT', '20'), ...R.slice(1, -1), withField(FOOTER, 'F', 'DEPARTEMENT', '20')]), expect: [['PECGM_HEADER_FIELD', 1, 'DEPARTEMENT']] },
  { name: 'a header département refused: the footer that keeps the right one is no second finding', input: header('DEPARTEMENT', ' 77'), expect: [['PECGM_HEADER_FIELD', 1, 'DEPARTEMENT']] },
  { name: 'a header reference date refused: the footer is no second finding', input: header('DATE_REFERENCE', '20261131'), expect: [['PECGM_DATE_INVALID', 1, 'DATE_REFERENCE']] },
  { name: 'a header two bytes too long: that record alone, the rest read by its LF', input: fileOf([Buffer.concat([HEADER, Buffer.from('  ')]), ...R.slice(1)]), expect: [['PECGM_RECORD_LENGTH', 1, undefined]] },
  { name: 'a header one byte too long, CR LF', input: fileOf([Buffer.concat([HEADER, Buffer.from(' ')]), ...R.slice(1)], 'CRLF'), expect: [['PECGM_RECORD_LENGTH', 1, undefined]] },
  { name: 'records ended by CR alone: said once', input: Buffer.concat(R.flatMap((r) => [r, Buffer.from('\r')])), expect: [['PECGM_TERMINATOR', 1, undefined]] },
  { name: 'a header made tomorrow', input: header('DATE_FABRICATION', '20261102'), expect: [['PECGM_DATE_FUTURE', 1, 'DATE_FABRICATION']] },
  { name: 'a header date that does not exist', input: header('DATE_FABRICATION', '20261131'), expect: [['PECGM_DATE_INVALID', 1, 'DATE_FABRICATION']] },
  { name: 'the footer counts 11', input: footer('NB_ENREGISTREMENTS', '000000011'), expect: [['PECGM_FOOTER_COUNT', 12, 'NB_ENREGISTREMENTS']] },
  { name: 'the footer counts blank', input: footer('NB_ENREGISTREMENTS', ''), expect: [['PECGM_FOOTER_COUNT', 12, 'NB_ENREGISTREMENTS']] },
  { name: 'the footer count not numeric', input: footer('NB_ENREGISTREMENTS', '00000001O'), expect: [['PECGM_FIELD_NOT_NUMERIC', 12, 'NB_ENREGISTREMENTS']] },
  { name: 'the footer of another département', input: footer('DEPARTEMENT', '91'), expect: [['PECGM_FOOTER_MISMATCH', 12, 'DEPARTEMENT']] },
  { name: 'the footer of another date', input: footer('DATE_REFERENCE', '20261201'), expect: [['PECGM_FOOTER_MISMATCH', 12, 'DATE_REFERENCE']] },
  { name: 'an unknown record type', input: detail(2, 'TYPE_ENREGISTREMENT', 'X'), expect: [['PECGM_UNKNOWN_RECORD_TYPE', 3, 'TYPE_ENREGISTREMENT']] },
  { name: 'a Windows-1252 apostrophe', input: detail(2, 'NOM_NAISSANCE', Buffer.from([0x4F, 0x92, 0x4E, 0x45, 0x49, 0x4C, 0x4C])), expect: [['PECGM_WINDOWS_1252', 3, 'NOM_NAISSANCE']] },
  { name: 'a UTF-8 first name, same length', input: detail(5, 'PRENOM', utf8('Hélène')), expect: [['PECGM_UTF8', 6, 'PRENOM']] },
  { name: 'a UTF-8 first name, 2 bytes longer', input: fileOf(R.map((r, i) => i === 2 ? Buffer.concat([r.subarray(0, 64), utf8('Hélène'), r.subarray(70)]) : r)), expect: [['PECGM_RECORD_LENGTH', 3, undefined], ['PECGM_UTF8', 3, undefined]] },
  { name: 'a UTF-8 byte-order mark', input: Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), BASE]), expect: [['PECGM_UTF8_BOM', undefined, undefined]] },
  { name: 'a control character in a name', input: detail(2, 'PRENOM', 'AB\x01C'), expect: [['PECGM_CONTROL_CHAR', 3, 'PRENOM']] },
  { name: 'a tab in a name', input: detail(2, 'PRENOM', 'AB\tC'), expect: [['PECGM_CONTROL_CHAR', 3, 'PRENOM']] },
  { name: 'a Windows-1252 byte in a date: one finding', input: detail(2, 'DATE_NAISSANCE', Buffer.from([0x31, 0x39, 0x38, 0x35, 0x96, 0x30, 0x35, 0x31])), expect: [['PECGM_WINDOWS_1252', 3, 'DATE_NAISSANCE']] },
  { name: 'a postcode with a letter', input: detail(2, 'SUIVI_PRINCIPAL_CODE_POSTAL', '77A00'), expect: [['PECGM_FIELD_NOT_NUMERIC', 3, 'SUIVI_PRINCIPAL_CODE_POSTAL']] },
  { name: 'a postcode padded with spaces', input: detail(2, 'SUIVI_PRINCIPAL_CEDEX', ' 3'), expect: [['PECGM_FIELD_NOT_NUMERIC', 3, 'SUIVI_PRINCIPAL_CEDEX']] },
  { name: 'a birth on 30 February', input: detail(2, 'DATE_NAISSANCE', '19850230'), expect: [['PECGM_DATE_INVALID', 3, 'DATE_NAISSANCE']] },
  { name: 'a date in 1899', input: detail(2, 'DATE_DEBUT_IDE', '18991231'), expect: [['PECGM_DATE_INVALID', 3, 'DATE_DEBUT_IDE']] },
  { name: 'a last contact tomorrow', input: detail(2, 'DATE_DERNIER_CONTACT', '20261102'), expect: [['PECGM_DATE_FUTURE', 3, 'DATE_DERNIER_CONTACT']] },
  { name: 'a birth today', input: detail(2, 'DATE_NAISSANCE', '20261101'), expect: [['PECGM_DATE_FUTURE', 3, 'DATE_NAISSANCE']] },
  { name: 'a last contact today', input: detail(2, 'DATE_DERNIER_CONTACT', '20261101'), expect: [], valid: true },
  { name: 'category 9', input: detail(2, 'CODE_CATEGORIE_INSCRIPTION', '9'), expect: [['PECGM_CODE_UNKNOWN', 3, 'CODE_CATEGORIE_INSCRIPTION']] },
  { name: 'category blank (dispensed) for a registration after 2011: Annexe 4 dispenses those before 1 January 2012 only', input: detail(2, 'CODE_CATEGORIE_INSCRIPTION', ''), expect: [['PECGM_CATEGORY_INCOHERENT', 3, 'CODE_CATEGORIE_INSCRIPTION']], valid: true },
  { name: 'certification blank', input: detail(2, 'STATUT_CERTIFICATION_IDENTITE', ''), expect: [['PECGM_CODE_UNKNOWN', 3, 'STATUT_CERTIFICATION_IDENTITE']] },
  { name: 'certification X', input: detail(2, 'STATUT_CERTIFICATION_IDENTITE', 'X'), expect: [['PECGM_CODE_UNKNOWN', 3, 'STATUT_CERTIFICATION_IDENTITE']] },
  { name: 'axis 08', input: detail(2, 'AXE_TRAVAIL_PRINCIPAL', '08'), expect: [['PECGM_CODE_UNKNOWN', 3, 'AXE_TRAVAIL_PRINCIPAL']] },
  { name: 'axis blank', input: detail(2, 'AXE_TRAVAIL_PRINCIPAL', ''), expect: [], valid: true },
  { name: 'modality XYZ', input: detail(2, 'MODALITE_ACCOMPAGNEMENT', 'XYZ'), expect: [['PECGM_CODE_UNKNOWN', 3, 'MODALITE_ACCOMPAGNEMENT']] },
  { name: 'modality blank', input: detail(2, 'MODALITE_ACCOMPAGNEMENT', ''), expect: [], valid: true },
  { name: 'training level NV6', input: detail(2, 'NIVEAU_FORMATION', 'NV6'), expect: [['PECGM_CODE_UNKNOWN', 3, 'NIVEAU_FORMATION']] },
  { name: 'cessation motif 17', input: fileOf(R.map((r, i) => i === 2 ? withField(withField(r, 'D', 'DATE_CESSATION_IDE', '20261015'), 'D', 'MOTIF_CESSATION_IDE', '17') : r)), expect: [['PECGM_CODE_UNKNOWN', 3, 'MOTIF_CESSATION_IDE']] },
  { name: 'an unknown situation code (D10)', input: detail(2, 'CODE_SITUATION_EMPLOI', 'ZZZ'), expect: [['PECGM_CODE_UNKNOWN_OWN', 3, 'CODE_SITUATION_EMPLOI']], valid: true },
  { name: 'radiation motif 99 (D10)', input: fileOf(R.map((r, i) => i === 2 ? withField(withField(r, 'D', 'DATE_RADIATION', '20261015'), 'D', 'MOTIF_RADIATION', '99') : r)), expect: [['PECGM_CODE_UNKNOWN_OWN', 3, 'MOTIF_RADIATION']], valid: true },
  { name: 'a NIR of sex 3', input: detail(2, 'NIR', '3850599042123'), expect: [['PECGM_NIR_INVALID', 3, 'NIR']] },
  { name: 'a NIR of 12 characters', input: detail(2, 'NIR', '185059904212'), expect: [['PECGM_NIR_INVALID', 3, 'NIR']] },
  { name: 'a NIR blank', input: detail(2, 'NIR', ''), expect: [], valid: true },
  { name: 'an identifier with a small letter', input: detail(2, 'IDENTIFIANT_PE', '1234567a'), expect: [['PECGM_IDENTIFIANT_PE_INVALID', 3, 'IDENTIFIANT_PE']] },
  { name: 'an identifier of 8 digits', input: detail(2, 'IDENTIFIANT_PE', '12345678'), expect: [], valid: true },
  { name: 'a commune code of 4 digits', input: detail(2, 'CODE_INSEE_RESIDENCE', '7700'), expect: [['PECGM_FIELD_FORM', 3, 'CODE_INSEE_RESIDENCE']] },
  { name: 'a Corsican commune code', input: detail(2, 'CODE_INSEE_RESIDENCE', '2A004'), expect: [], valid: true },
  { name: 'a ROME code Z1234', input: detail(2, 'CODE_ROME', 'Z1234'), expect: [['PECGM_FIELD_FORM', 3, 'CODE_ROME']] },
  { name: 'a FORMACODE of letters', input: detail(2, 'SECTEUR_FORMATION', 'ABCDE'), expect: [['PECGM_FIELD_FORM', 3, 'SECTEUR_FORMATION']] },
  { name: 'text in a detail filler', input: detail(2, 'FILLER', 'X'), expect: [['PECGM_FILLER_NOT_BLANK', 3, 'FILLER']], valid: true },
  { name: 'text in the header filler', input: header('FILLER', 'X'), expect: [['PECGM_FILLER_NOT_BLANK', 1, 'FILLER']], valid: true },
  { name: 'a cessation date without motif', input: fileOf(R.map((r, i) => i === 2 ? withField(withField(r, 'D', 'DATE_RADIATION', ''), 'D', 'MOTIF_RADIATION', '') : r).map((r, i) => i === 2 ? withField(withField(r, 'D', 'DATE_CESSATION_IDE', '20261015'), 'D', 'MOTIF_CESSATION_IDE', '') : r)), expect: [['PECGM_END_INCOMPLETE', 3, 'MOTIF_CESSATION_IDE']], valid: true },
  { name: 'a radiation motif without date', input: fileOf(R.map((r, i) => i === 2 ? withField(withField(r, 'D', 'MOTIF_RADIATION', '05'), 'D', 'DATE_RADIATION', '') : r).map((r, i) => i === 2 ? withField(withField(r, 'D', 'DATE_CESSATION_IDE', ''), 'D', 'MOTIF_CESSATION_IDE', '') : r)), expect: [['PECGM_END_INCOMPLETE', 3, 'DATE_RADIATION']], valid: true },
  { name: 'the same NIR twice', input: detail(6, 'NIR', fieldOf(R[2] as Buffer, 'D', 'NIR')), expect: [['PECGM_DUPLICATE_NIR', 7, 'NIR']] },
  { name: 'a stock without detail', input: fileOf([HEADER, withField(FOOTER, 'F', 'NB_ENREGISTREMENTS', '000000000')]), expect: [['PECGM_NO_DETAIL', 2, 'NB_ENREGISTREMENTS']], valid: true },
  { name: 'a daily flux without detail', input: fileOf([withField(HEADER, 'E', 'PERIODICITE', 'Q'), withField(FOOTER, 'F', 'NB_ENREGISTREMENTS', '000000000')]), expect: [], valid: true }
]

t.test('a file built by editing a generated PECGM: the expected finding, its record and field, and no other', async (t) => {
  for (const row of TABLE) {
    const r = validate(row.input)
    t.same(where(r), row.expect, row.name)
    t.equal(r.valid, row.valid ?? false, `${row.name}: ${row.valid === true ? 'accepted' : 'rejected'}`)
    t.equal(r.format, 'pecgm', row.name)
  }
})

t.test('a message never quotes a control character as it is', async (t) => {
  for (const type of ['\r', '\x01', '\x1b']) {
    const r = validate(detail(2, 'TYPE_ENREGISTREMENT', type))
    const finding = r.findings.find((f) => f.code === 'PECGM_UNKNOWN_RECORD_TYPE')
    t.ok(finding, JSON.stringify(type))
    // eslint-disable-next-line no-control-regex
    t.notMatch(finding?.message ?? '', /[\u0000-\u001f\u007f-\u009f]/, `${JSON.stringify(type)}: shown as U+FFFD`)
    t.match(finding?.message ?? '', /'\uFFFD'/)
  }
})

t.test('positions, values and what is expected', async (t) => {
  const nir = validate(detail(2, 'NIR', '3850599042123')).findings[0]
  t.match(nir, { line: 3, column: 2, value: '385**********', expected: String })
  const dup = validate(detail(6, 'NIR', fieldOf(R[2] as Buffer, 'D', 'NIR'))).findings[0]
  t.match(dup, { record: 7, firstRecord: 3, column: 2 })
  t.equal(dup?.value, `${fieldOf(R[2] as Buffer, 'D', 'NIR').slice(0, 3)}**********`, 'a repeated NIR is masked')
  const id = validate(detail(2, 'IDENTIFIANT_PE', '1234567a')).findings[0]
  t.equal(id?.value, '12******', 'an identifier is masked')
  const msa = validate(detail(2, 'NUMERO_ALLOCATAIRE_MSA', '2850599042123')).findings[0]
  t.match(msa, { code: 'PECGM_MSA_NOT_NIR', value: '285**********' }, 'an MSA number, a NIR (Annexe 3), is masked as one')
  const w = validate(detail(2, 'NOM_NAISSANCE', Buffer.from([0x4F, 0x92, 0x4E]))).findings[0]
  t.match(w, { column: getField(LAYOUTS.detail, 'NOM_NAISSANCE').from + 1, value: '’', expected: '\'' })
  const u = validate(detail(5, 'PRENOM', utf8('Zoé'))).findings[0]
  t.match(u, { column: getField(LAYOUTS.detail, 'PRENOM').from + 2, value: 'é', expected: 'ISO-8859-1' })
  const len = validate(fileOf(R.map((r, i) => i === 3 ? r.subarray(0, 1197) : r))).findings[0]
  t.match(len, { line: 4, column: 1198, value: '1197', expected: '1200 caractères' })
  const code = validate(detail(2, 'AXE_TRAVAIL_PRINCIPAL', '08')).findings[0]
  t.match(code, { column: getField(LAYOUTS.detail, 'AXE_TRAVAIL_PRINCIPAL').from, value: '08', expected: /01 à 07/ })
  const filler = validate(detail(2, 'FILLER', `${' '.repeat(80)}X`)).findings[0]
  t.match(filler, { code: 'PECGM_FILLER_NOT_BLANK', column: getField(LAYOUTS.detail, 'FILLER').from, message: /« X » en position 81 \(colonne 1000\)/ }, 'a filler\'s finding says where its first character is')
  const back = validate(fileOf(R.map((r, i) => i === 4 ? withField(r, 'D', 'PRENOM', 'A\x02B') : r), 'none')).findings[0]
  t.match(back, { code: 'PECGM_CONTROL_CHAR', line: 5, record: 5, column: getField(LAYOUTS.detail, 'PRENOM').from + 1, field: 'PRENOM' }, 'back to back, a record is 1200 bytes')
})

t.test('each kind of byte problem once per record', async (t) => {
  const bad = Buffer.from([0x92, 0x41, 0x93, 0x94])
  const r = validate(fileOf(R.map((x, i) => i === 2 ? withField(withField(x, 'D', 'PRENOM', bad), 'D', 'NOM_NAISSANCE', bad) : i === 3 ? withField(x, 'D', 'PRENOM', bad) : x)))
  t.same(where(r), [['PECGM_WINDOWS_1252', 3, 'NOM_NAISSANCE'], ['PECGM_WINDOWS_1252', 4, 'PRENOM']])
})

t.test('the same report whatever the chunks: 1 byte, 7 bytes, the whole file', async (t) => {
  const variants: Array<[string, Buffer]> = [
    ...TERMINATORS.map((term): [string, Buffer] => [`valid ${term}`, fileOf(R, term)]),
    ...TERMINATORS.map((term): [string, Buffer] => [`damaged ${term}`, fileOf(R.map((r, i) => i === 3 ? withField(withField(r, 'D', 'PRENOM', utf8('Zoé')), 'D', 'DATE_NAISSANCE', '19850230') : i === 5 ? withField(r, 'D', 'NOM_NAISSANCE', Buffer.from([0x92, 0x0D])) : r), term)]),
    ['UTF-8 across records, back to back', fileOf(R.map((r, i) => i === 3 ? Buffer.concat([r.subarray(0, 1199), Buffer.from([0xC3])]) : i === 4 ? Buffer.concat([Buffer.from([0xA9]), r.subarray(1)]) : r), 'none')],
    ['CR at the end of a chunk', Buffer.concat(R.map((r, i) => Buffer.concat([r, Buffer.from(i === 4 ? '\r\r\n' : '\r\n')])))],
    ['cut without its line end', BASE.subarray(0, 6 * 1201 + 300)],
    ['a byte-order mark', Buffer.concat([Buffer.from([0xEF, 0xBB, 0xBF]), fileOf(R, 'none')])],
    ['short', fileOf([HEADER.subarray(0, 500)])]
  ]
  for (const [name, bytes] of variants) {
    const whole = validate(bytes)
    t.same(validate(bytes, { size: 1 }), whole, `${name}: 1 byte`)
    t.same(validate(bytes, { size: 7 }), whole, `${name}: 7 bytes`)
    t.same(validate(bytes, { size: 1201 }), whole, `${name}: 1201 bytes`)
  }
})

t.test('generated files pass with no finding: every scenario, terminator, stock and flux, several seeds', async (t) => {
  const edge = await scenario('edge-cases')
  const national = await scenario('national')
  const cases: Array<{ s: Scenario, departement: string, records: number }> = [
    ...demo.departements.map((d) => ({ s: demo, departement: d.code, records: 150 })),
    ...edge.departements.map((d) => ({ s: edge, departement: d.code, records: d.population })),
    ...national.departements.slice(0, 6).map((d) => ({ s: national, departement: d.code, records: 80 }))
  ]
  let files = 0
  for (const c of cases) {
    for (const terminator of TERMINATORS) {
      for (const periodicity of ['M', 'Q'] as const) {
        for (const seed of [1, 2026]) {
          const bytes = generated(c.s, { departement: c.departement, records: c.records, terminator, periodicity, seed })
          const r = validate(bytes)
          files++
          if (r.findings.length > 0) t.same(where(r), [], `${c.s.name} ${c.departement} ${terminator} ${periodicity} seed ${seed}`)
        }
      }
    }
  }
  t.ok(files > 80, `${files} files, none with a finding`)
})

t.test('a server stock (made on the first working day) and a year of daily fluxes pass', async (t) => {
  const made = parseIsoDate('2026-11-02') as number
  t.same(where(validate(generated(demo, { records: 200, fabricationDay: made }), { today: made })), [])
  for (let day = REFERENCE - 364; day <= REFERENCE; day += 7) {
    const r = validate(generated(demo, { records: 300, periodicity: 'Q', referenceDay: day }), { today: day })
    if (r.findings.length > 0) t.same(where(r), [], `flux of day ${day}`)
  }
})

t.test('the qualification\'s answer PECGM passes, people taken in charge or not', async (t) => {
  const today = parseIsoDate('2026-11-27') as number
  for (const departement of ['77', '971']) {
    const sample = buildSample(demo, departement, today)
    const oriented = new Map<number, OrientationSeen>(sample.map((m, i) => [m.index, { line: i + 1, record: i + 1, NATURE_ACCOMPAGNEMENT: i % 2 === 0 ? '05' : '01', DATE_DECISION_ORIENTATION: '20261120' }]))
    for (const orientations of [new Map<number, OrientationSeen>(), oriented]) {
      for (const terminator of TERMINATORS) {
        const frame = { scenario: { ...demo, pecgm: { ...demo.pecgm, terminator } }, departement, periodicity: 'M' as const, referenceDay: REFERENCE, fabricationDay: today }
        const r = validate(pecgmFromDetails(frame, answerDetails(sample, orientations, today)), { today })
        t.same(where(r), [], `${departement} ${terminator}, ${orientations.size} orientations`)
      }
    }
  }
})

t.test('a stock of 20 000 records, read in chunks of 64 KiB', async (t) => {
  const bytes = generated(demo, { records: 20_000, terminator: 'CRLF' })
  const r = validate(bytes, { size: 65_536 })
  t.same(where(r), [])
  t.equal(r.stats.records, 20_000)
  t.equal(r.stats.bytes, bytes.length)
})

t.test('the list is capped, the counts are not', async (t) => {
  const many = fileOf(R.map((r, i) => i >= 1 && i <= 10 ? withField(r, 'D', 'AXE_TRAVAIL_PRINCIPAL', '99') : r))
  const r = validate(many, { maxFindings: 3 })
  t.same([r.findings.length, r.stats.errors, r.truncated, r.omitted?.PECGM_CODE_UNKNOWN], [3, 10, true, 7])
})

t.test('misuse is a programming error, thrown', async (t) => {
  t.throws(() => new PecgmValidator({ today: 1.5 }), TypeError)
  t.throws(() => new PecgmValidator({ today: REFERENCE, maxFindings: -1 }), RangeError)
  const v = new PecgmValidator({ today: REFERENCE })
  v.end()
  t.throws(() => v.push(Buffer.from('E')))
  t.throws(() => v.end())
})

t.test('every message is French', async (t) => {
  for (const row of TABLE) {
    for (const f of validate(row.input).findings) {
      const leaks = findLeaks(f.message)
      if (leaks.length > 0) t.fail(`${row.name}: ${describeLeaks(leaks)}`)
    }
  }
  t.pass('no English')
})

t.test('the file the table edits is a header, ten details and a footer', async (t) => {
  t.equal(DETAILS.length, 10)
  t.ok(DETAILS.every((d) => d[0] === 0x44))
  t.equal(HEADER[0], 0x45)
  t.equal(FOOTER[0], 0x46)
})

t.test('rules across the fields of a detail the convention sets: the MSA number is the NIR, one end (cessation or radiation), dates that can be, what Annexe 4 ties to the category', async (t) => {
  const LATER = parseIsoDate('2026-12-01') as number
  const nir = fieldOf(R[2] as Buffer, 'D', 'NIR')
  const birth = fieldOf(R[2] as Buffer, 'D', 'DATE_NAISSANCE')
  const start = fieldOf(R[2] as Buffer, 'D', 'DATE_DEBUT_IDE')
  /** detail 2 (record 3) with `values`, and no end but those given */
  const edited = (values: Readonly<Record<string, string>>): Buffer => {
    let r = R[2] as Buffer
    for (const name of ['DATE_CESSATION_IDE', 'MOTIF_CESSATION_IDE', 'LIBELLE_MOTIF_CESSATION_IDE', 'DATE_RADIATION', 'MOTIF_RADIATION', 'LIBELLE_MOTIF_RADIATION']) r = withField(r, 'D', name, '')
    for (const [name, value] of Object.entries(values)) r = withField(r, 'D', name, value)
    return fileOf(R.map((x, i) => i === 2 ? r : x))
  }
  const rows: Array<{ name: string, input: Buffer, expect: Where[], today?: number, valid?: boolean }> = [
    { name: 'an MSA number that is the NIR', input: edited({ NUMERO_ALLOCATAIRE_MSA: nir }), expect: [] },
    { name: 'an MSA number that is not the NIR', input: edited({ NUMERO_ALLOCATAIRE_MSA: '1234567890123' }), expect: [['PECGM_MSA_NOT_NIR', 3, 'NUMERO_ALLOCATAIRE_MSA']] },
    { name: 'a cessation and a radiation', input: edited({ DATE_CESSATION_IDE: '20261015', MOTIF_CESSATION_IDE: '90', DATE_RADIATION: '20261016', MOTIF_RADIATION: '02' }), expect: [['PECGM_END_BOTH', 3, 'DATE_RADIATION']] },
    { name: 'a registration before the birth', input: edited({ DATE_DEBUT_IDE: String(Number(birth) - 10000) }), expect: [['PECGM_DATE_ORDER', 3, 'DATE_DEBUT_IDE']] },
    { name: 'a registration on the day of birth', input: edited({ DATE_DEBUT_IDE: birth }), expect: [['PECGM_DATE_ORDER', 3, 'DATE_DEBUT_IDE']] },
    { name: 'a cessation before the registration', input: edited({ DATE_CESSATION_IDE: String(Number(start) - 10000), MOTIF_CESSATION_IDE: '90' }), expect: [['PECGM_DATE_ORDER', 3, 'DATE_CESSATION_IDE']] },
    { name: 'a radiation on the day of registration', input: edited({ DATE_RADIATION: start, MOTIF_RADIATION: '02' }), expect: [] },
    { name: 'a last contact after the file was made', input: edited({ DATE_DERNIER_CONTACT: '20261115' }), today: LATER, expect: [['PECGM_DATE_ORDER', 3, 'DATE_DERNIER_CONTACT']] },
    { name: 'a cessation before a registration after the file was made: one finding a field', input: edited({ DATE_DEBUT_IDE: '20261115', DATE_CESSATION_IDE: '20261110', MOTIF_CESSATION_IDE: '90', DATE_SIGNATURE_PPAE: '', DATE_NOTIFICATION_PPAE_CER: '', DATE_DERNIER_CONTACT: '' }), today: LATER, expect: [['PECGM_DATE_ORDER', 3, 'DATE_CESSATION_IDE'], ['PECGM_DATE_ORDER', 3, 'DATE_DEBUT_IDE']] },
    { name: 'a last contact on the day the file was made', input: edited({ DATE_DERNIER_CONTACT: '20261101' }), today: LATER, expect: [] },
    { name: 'a blank category (dispensed) for a registration of 2011', input: edited({ CODE_CATEGORIE_INSCRIPTION: '', DATE_DEBUT_IDE: '20111231', DATE_SIGNATURE_PPAE: '', DATE_NOTIFICATION_PPAE_CER: '' }), expect: [] },
    { name: 'a blank category (dispensed) for a registration of 2012', input: edited({ CODE_CATEGORIE_INSCRIPTION: '', DATE_DEBUT_IDE: '20120101', DATE_SIGNATURE_PPAE: '', DATE_NOTIFICATION_PPAE_CER: '' }), expect: [['PECGM_CATEGORY_INCOHERENT', 3, 'CODE_CATEGORIE_INSCRIPTION']] },
    { name: 'cessation motif 43 (category 5 only) in category 5', input: edited({ CODE_CATEGORIE_INSCRIPTION: '5', DATE_CESSATION_IDE: '20261015', MOTIF_CESSATION_IDE: '43' }), expect: [] },
    { name: 'cessation motif 43 (category 5 only) in category 1', input: edited({ CODE_CATEGORIE_INSCRIPTION: '1', DATE_CESSATION_IDE: '20261015', MOTIF_CESSATION_IDE: '43' }), expect: [['PECGM_CATEGORY_INCOHERENT', 3, 'MOTIF_CESSATION_IDE']] },
    { name: 'cessation motif 95 (categories 4 or 5) in category 4', input: edited({ CODE_CATEGORIE_INSCRIPTION: '4', DATE_CESSATION_IDE: '20261015', MOTIF_CESSATION_IDE: '95' }), expect: [] },
    { name: 'cessation motif 95 (categories 4 or 5) in category 3', input: edited({ CODE_CATEGORIE_INSCRIPTION: '3', DATE_CESSATION_IDE: '20261015', MOTIF_CESSATION_IDE: '95' }), expect: [['PECGM_CATEGORY_INCOHERENT', 3, 'MOTIF_CESSATION_IDE']] },
    { name: 'a category not in its list: its own finding only', input: edited({ CODE_CATEGORIE_INSCRIPTION: '9', DATE_CESSATION_IDE: '20261015', MOTIF_CESSATION_IDE: '43' }), expect: [['PECGM_CODE_UNKNOWN', 3, 'CODE_CATEGORIE_INSCRIPTION']], valid: false }
  ]
  for (const row of rows) {
    const r = validate(row.input, row.today === undefined ? {} : { today: row.today })
    t.same(where(r), row.expect, row.name)
    t.equal(r.valid, row.valid ?? true, `${row.name}: ${row.valid === false ? 'refused' : 'accepted, flagged'}`)
  }
})

t.test('a stock made before its reference day: its details are dated up to the reference day, not flagged', async (t) => {
  const file = generated(demo, { referenceDay: parseIsoDate('2026-11-20') as number, fabricationDay: parseIsoDate('2026-11-02') as number, records: 300 })
  const r = validate(file, { today: parseIsoDate('2026-12-01') as number })
  t.same(where(r), [])
})
