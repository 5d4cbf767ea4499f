import { isDeepStrictEqual } from 'node:util'
import { cgpemChunks, CGPEM_XML_DECLARATION, orientationXml, type Orientation } from '../../src/generate/cgpem-file.js'
import { parseIsoDate } from '../../src/layouts/dates.js'
import type { FindingCode } from '../../src/validate/codes.js'
import type { Finding, ValidationReport } from '../../src/validate/report.js'
import { validateBuffer } from '../../src/validate/stream.js'
import { CgpemValidator, type ValidatorOptions } from '../../src/validate/validator.js'

/** The day of the upload in every test: 2026-11-20. */
export const TODAY = parseIsoDate('2026-11-20') as number

/** The spec's example: valid in every field. */
export const VALID: Readonly<Record<string, string>> = {
  NIR: '2850599042123',
  NOM_NAISSANCE: 'LEFÈVRE',
  PRENOM: 'Hélène',
  DATE_NAISSANCE: '19850512',
  CODE_PE: '077',
  IDENTIFIANT_PE: '1234567A',
  NATURE_ACCOMPAGNEMENT: '05',
  DATE_DECISION_ORIENTATION: '20261015',
  ORGANISME_REFERENT: 'Maison départementale des solidarités, 1 rue X, 77000 Melun',
  NOM_CORRESPONDANT: 'MARTIN',
  PRENOM_CORRESPONDANT: 'Paul',
  TEL_CORRESPONDANT: '0199001234',
  EMAIL_CORRESPONDANT: 'paul.martin@example.org',
  SERVICE_CORRESPONDANT: 'Service suivi RSA'
}

/** A different valid person, for files of several orientations. */
export function person (n: number, overrides: Record<string, string | undefined> = {}): Orientation {
  const order = String(n % 1000).padStart(3, '0')
  const names = ['MARTIN', 'DURAND', 'PETIT', 'LEROY', 'MOREAU', 'SIMON', 'LAURENT', 'MICHEL']
  return {
    ...VALID,
    NIR: `1${String(60 + (n % 40)).padStart(2, '0')}0199${String(1 + (Math.floor(n / 1000) % 99)).padStart(3, '0')}${order}`,
    NOM_NAISSANCE: `${names[n % names.length] ?? 'NOM'}-${'ABCDEFGHIJ'[Math.floor(n / 8) % 10] ?? 'A'}${'KLMNOPQRST'[Math.floor(n / 80) % 10] ?? 'K'}${'UVWXYZABCD'[Math.floor(n / 800) % 10] ?? 'U'}`,
    IDENTIFIANT_PE: `${String(n).padStart(7, '0')}A`,
    ...overrides
  }
}

export function xmlFile (orientations: Iterable<Orientation>): Buffer {
  return Buffer.concat([...cgpemChunks(orientations, 'xml')])
}

export function fixedFile (orientations: Iterable<Orientation>): Buffer {
  return Buffer.concat([...cgpemChunks(orientations, 'fixed')])
}

/** A whole XML file around a hand-written body, in ISO-8859-1: for what cgpemChunks cannot write. */
export function xmlDoc (body: string, declaration = CGPEM_XML_DECLARATION): Buffer {
  return Buffer.from(`${declaration}\n<CGPEM>\n${body}</CGPEM>\n`, 'latin1')
}

/** One ORIENTATION element, values written as they are (no escaping, no check). */
export function rawOrientation (values: Readonly<Record<string, string | undefined>>): string {
  let s = '  <ORIENTATION>\n'
  for (const [k, v] of Object.entries(values)) if (v !== undefined) s += `    <${k}>${v}</${k}>\n`
  return `${s}  </ORIENTATION>\n`
}

export { orientationXml }

/** Every file a test validates, when it does not choose a path: the fast path's report, checked equal to the complete path's. */
function bothPaths (buf: Buffer, options: Partial<ValidatorOptions>, run: (options: ValidatorOptions) => ValidationReport): ValidationReport {
  const fast = run({ today: TODAY, ...options })
  if (options.path !== undefined || options.onOrientation !== undefined) return fast
  const complete = run({ today: TODAY, ...options, path: 'complete' })
  if (!isDeepStrictEqual(fast, complete)) throw new Error(`the fast and complete paths differ on ${JSON.stringify(buf.toString('latin1', 0, 200))}…`)
  return fast
}

export function validate (buf: Buffer, options: Partial<ValidatorOptions> = {}): ValidationReport {
  return bothPaths(buf, options, (o) => validateBuffer(buf, o))
}

/** The file pushed in `chunks` (sizes, repeated). */
export function validateChunked (buf: Buffer, chunks: readonly number[], options: ValidatorOptions): ValidationReport {
  const v = new CgpemValidator(options)
  for (let at = 0, k = 0; at < buf.length; k++) {
    const size = chunks[k % chunks.length] as number
    v.push(buf.subarray(at, at + size))
    at += size
  }
  return v.end()
}

/** The same file pushed in chunks of `size` bytes. */
export function validateInChunks (buf: Buffer, size: number, options: Partial<ValidatorOptions> = {}): ValidationReport {
  return bothPaths(buf, options, (o) => validateChunked(buf, [size], o))
}

export function codes (r: ValidationReport): FindingCode[] {
  return r.findings.map((f) => f.code)
}

/** The codes of the report except the ones every file of a form gets. */
export function problems (r: ValidationReport): FindingCode[] {
  return codes(r).filter((c) => c !== 'CGPEM_FORMAT_FIXED')
}

export function finding (r: ValidationReport, code: FindingCode): Finding | undefined {
  return r.findings.find((f) => f.code === code)
}
