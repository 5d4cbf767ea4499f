import { getField } from '../layouts/engine.js'
import { DEFAULT_PECGM_VERSION, getPecgmLayouts, PECGM_RECORD_LENGTH } from '../layouts/pecgm.js'
import type { Terminator } from '../layouts/pecgm-reader.js'
import { hashString, Rng } from '../generate/rng.js'
import { frenchNumber as n } from '../text/french.js'
import { DAMAGE_CODES, isDamageCode, type DamageCode } from './model.js'

/**
 * The damager of docs/pannes.md: turns the bytes of a correct PECGM into the
 * damaged bytes of one DAMAGE_CODES entry, as a pure state machine. Bytes go
 * in with push(), damaged bytes come out; it holds at most the first record
 * and one record at a time, so a deposit of hundreds of MB streams through.
 * The same code, seed and input give the same bytes.
 *
 * The file's geometry comes from its size (D1, D2): (N + 2) × (1200 + t),
 * t the terminator's length, checked against the bytes after the header.
 * Each damage says, record by record, which records pass through, which are
 * dropped, and which it holds whole to rewrite.
 */

export interface DamageResult {
  code: DamageCode
  /** the 1-based record damaged (1 = header), numbered as in the correct file; null when the damage is not one record's */
  record: number | null
  /** French, for the admin */
  detail: string
}

export type DamageErrorCode = 'DAMAGE_BAD_INPUT' | 'DAMAGE_NOT_APPLICABLE'

/** What stops a damage: input that is not a correct PECGM of the size given, or a damage this file cannot take. */
export class DamageError extends Error {
  readonly code: DamageErrorCode
  constructor (code: DamageErrorCode, message: string) {
    super(message)
    this.name = 'DamageError'
    this.code = code
  }
}

const LENGTH = PECGM_RECORD_LENGTH
const TERMINATORS: Readonly<Record<Terminator, Buffer>> = { LF: Buffer.from('\n'), CRLF: Buffer.from('\r\n'), none: Buffer.alloc(0) }
const TERMINATOR_NAMES: Readonly<Record<Terminator, string>> = { LF: 'LF', CRLF: 'CR LF', none: 'rien' }
/** enough bytes to see the first record's terminator */
const HEAD = LENGTH + 2

const layouts = getPecgmLayouts(DEFAULT_PECGM_VERSION)
const field = (name: string): { offset: number, length: number, from: number } => getField(layouts.detail, name)
const NIR = field('NIR')
const NOM = field('NOM_NAISSANCE')
const PRENOM = field('PRENOM')
const DATES = [field('DATE_NAISSANCE'), field('DATE_DEBUT_IDE')] as const
const NB = getField(layouts.footer, 'NB_ENREGISTREMENTS')
const CODES = [
  { name: 'CODE_CATEGORIE_INSCRIPTION', value: '9' },
  { name: 'AXE_TRAVAIL_PRINCIPAL', value: '99' },
  { name: 'MODALITE_ACCOMPAGNEMENT', value: 'XYZ' }
] as const
/** month and day that exist in no year */
const BAD_MONTH_DAYS = ['0230', '0231', '0431', '1301'] as const
/** ’ in Windows-1252: what a name typed in Word brings along */
const C1_APOSTROPHE = 0x92

interface Geometry {
  terminator: Terminator
  stride: number
  /** header + details + footer */
  records: number
  details: number
}

type Step = { kind: 'pass' | 'drop', until: number } | { kind: 'hold' }
const HOLD: Step = { kind: 'hold' }

/** One damage applied to one file: records are 0-based indexes here (0 = header). */
interface Edit {
  /** what happens from record `index` on: pass or drop up to `until` (exclusive, > index), or hold `index` whole */
  step: (index: number) => Step
  /** the bytes written for a held record (its 1200 bytes and terminator, which it may rewrite in place) */
  apply: (index: number, record: Buffer) => Buffer
  record: number | null
  detail: string
}

/** Holds the records `holds` (ascending), passes the others. */
function holding (holds: readonly number[], records: number): (index: number) => Step {
  return (i) => holds.includes(i) ? HOLD : { kind: 'pass', until: holds.find((h) => h > i) ?? records }
}

function detailName (index: number): string {
  return `l'enregistrement ${n(index + 1)} (détail ${n(index)})`
}

function capitalise (s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1)
}

function expectType (record: Buffer, index: number, type: 'D' | 'F'): void {
  if (record[0] !== type.charCodeAt(0)) {
    throw new DamageError('DAMAGE_BAD_INPUT', `Le fichier n'est pas un PECGM correct : l'enregistrement ${n(index + 1)} commence par « ${String.fromCharCode(record[0] ?? 0x20)} », « ${type} » attendu.`)
  }
}

function text (record: Buffer, f: { offset: number, length: number }): string {
  return record.toString('latin1', f.offset, f.offset + f.length).trimEnd()
}

/** A detail drawn by the seed; the footer when there is none (an empty flux can still be cut short or misshapen). */
function detailOrFooter (g: Geometry, rng: Rng): number {
  return g.details === 0 ? g.records - 1 : rng.between(1, g.details)
}

function truncated (g: Geometry, rng: Rng): Edit {
  const target = detailOrFooter(g, rng)
  const kept = rng.between(1, LENGTH - 1)
  const after = g.details - target
  return {
    step: (i) => i < target ? { kind: 'pass', until: target } : i === target ? HOLD : { kind: 'drop', until: g.records },
    apply: (_i, record) => record.subarray(0, kept),
    record: target + 1,
    detail: g.details === 0
      ? `Coupé dans l'enregistrement de fin (enregistrement ${n(target + 1)}), après l'octet ${n(kept)} sur ${n(LENGTH)} : le fichier n'a aucun détail, la fin de son dernier enregistrement manque.`
      : `Coupé dans ${detailName(target)}, après l'octet ${n(kept)} sur ${n(LENGTH)} : la fin de cet enregistrement${after > 0 ? `, les ${n(after)} détails suivants` : ''} et l'enregistrement de fin manquent.`
  }
}

function footerCount (g: Geometry, rng: Rng): Edit {
  const k = rng.between(1, 9)
  const announced = (rng.chance(0.5) && g.details >= k) || g.details + k > 999_999_999 ? g.details - k : g.details + k
  const footer = g.records - 1
  return {
    step: holding([footer], g.records),
    apply: (i, record) => {
      expectType(record, i, 'F')
      record.write(String(announced).padStart(NB.length, '0'), NB.offset, 'latin1')
      return record
    },
    record: footer + 1,
    detail: `L'enregistrement de fin (enregistrement ${n(footer + 1)}) annonce ${count(announced, 'détail')} dans NB_ENREGISTREMENTS, le fichier en contient ${n(g.details)}.`
  }
}

function headerMissing (g: Geometry): Edit {
  return {
    step: (i) => i === 0 ? { kind: 'drop', until: 1 } : { kind: 'pass', until: g.records },
    apply: (_i, record) => record,
    record: 1,
    detail: `L'entête (enregistrement 1) est retiré : le fichier commence par ${g.details > 0 ? 'le premier détail' : 'l\'enregistrement de fin'}.`
  }
}

function recordLength (g: Geometry, rng: Rng): Edit {
  const target = detailOrFooter(g, rng)
  const footer = g.details === 0
  const cut = rng.between(1, 9)
  const shift = g.terminator === 'none' && !footer ? ` ; sans fin de ligne, tout ce qui suit est décalé de ${count(cut, 'octet')}` : ''
  return {
    step: holding([target], g.records),
    apply: (i, record) => {
      expectType(record, i, footer ? 'F' : 'D')
      return Buffer.concat([record.subarray(0, LENGTH - cut), record.subarray(LENGTH)])
    },
    record: target + 1,
    detail: `${footer ? `L'enregistrement de fin (enregistrement ${n(target + 1)}, le fichier n'a aucun détail)` : capitalise(detailName(target))} perd les ${n(cut)} derniers octets de sa zone FILLER : ${n(LENGTH - cut)} octets au lieu de ${n(LENGTH)}${shift}.`
  }
}

function crlfLastLine (g: Geometry): Edit {
  const footer = g.records - 1
  const ending = g.terminator === 'CRLF' ? TERMINATORS.LF : TERMINATORS.CRLF
  const where = `l'enregistrement de fin (enregistrement ${n(footer + 1)})`
  return {
    step: holding([footer], g.records),
    apply: (_i, record) => Buffer.concat([record.subarray(0, LENGTH), ending]),
    record: footer + 1,
    detail: g.terminator === 'LF'
      ? `La dernière ligne, ${where}, finit par CR LF ; les autres par LF.`
      : g.terminator === 'CRLF'
        ? `Les lignes du fichier finissent par CR LF : la dernière, ${where}, finit par LF seul, pour que sa fin de ligne diffère des autres.`
        : `Les enregistrements du fichier sont bout à bout, sans fin de ligne : CR LF est ajouté après ${where}, et seulement là.`
  }
}

function noFinalNewline (g: Geometry): Edit {
  const footer = g.records - 1
  return {
    step: holding([footer], g.records),
    apply: (_i, record) => record.subarray(0, LENGTH),
    record: footer + 1,
    detail: `L'enregistrement de fin (enregistrement ${n(footer + 1)}) n'a plus sa fin de ligne ${TERMINATOR_NAMES[g.terminator]} ; les autres la gardent.`
  }
}

/** Latin-1 letters with a diacritic (× and ÷ are not letters). */
function isAccented (b: number): boolean {
  return b >= 0xC0 && b !== 0xD7 && b !== 0xF7
}

function hasAccent (record: Buffer, f: { offset: number, length: number }): boolean {
  return record.subarray(f.offset, f.offset + f.length).some(isAccented)
}

/** Where to put an accent when no name has one: the first E of a name, else its first letter. */
function accentSpot (record: Buffer): number | null {
  for (const letter of [/[Ee]/, /[A-Za-z]/]) {
    for (const f of [NOM, PRENOM]) {
      const k = record.toString('latin1', f.offset, f.offset + f.length).search(letter)
      if (k >= 0) return f.offset + k
    }
  }
  return null
}

/** Puts É (é after a small letter) into a name that has no accent; says what it did. */
function putAccent (record: Buffer): string {
  const k = accentSpot(record)
  if (k === null) {
    record[NOM.offset] = 0xC9
    return `sans nom accentué ni lettre, la colonne ${NOM.from} devient « É », puis `
  }
  const b = record[k] ?? 0
  const small = b >= 0x61
  record[k] = small ? 0xE9 : 0xC9
  return `sans nom accentué, la lettre « ${String.fromCharCode(b)} » en colonne ${k + 1} devient « ${small ? 'é' : 'É'} », puis `
}

/** « 1 caractère », « 2 caractères » */
function count (k: number, word: string): string {
  return `${n(k)} ${word}${k > 1 ? 's' : ''}`
}

/** The field's text re-encoded as UTF-8 (two bytes a character above 0x7F), padded back to its width where its blanks allow. */
function utf8Field (value: Buffer, width: number): Buffer {
  const bytes: number[] = []
  for (const b of value) {
    if (b < 0x80) bytes.push(b)
    else bytes.push(0xC0 | (b >> 6), 0x80 | (b & 0x3F))
  }
  while (bytes.length < width) bytes.push(0x20)
  return Buffer.from(bytes)
}

function utf8Name (g: Geometry, rng: Rng): Edit {
  const start = rng.between(1, g.details)
  let done = false
  const edit: Edit = {
    // from `start`, each detail is looked at until one has an accented name; the last detail takes one if none did
    step: (i) => done || i > g.details ? { kind: 'pass', until: g.records } : i < start ? { kind: 'pass', until: start } : HOLD,
    apply: (i, record) => {
      expectType(record, i, 'D')
      const accented = [NOM, PRENOM].filter((f) => hasAccent(record, f))
      if (accented.length === 0 && i < g.details) return record
      done = true
      const added = accented.length === 0 ? putAccent(record) : ''
      const f = accented.length === 0 ? (hasAccent(record, NOM) ? NOM : PRENOM) : (accented.length === 2 ? rng.pick(accented) : accented[0] ?? NOM)
      const name = f === NOM ? 'NOM_NAISSANCE' : 'PRENOM'
      const before = text(record, f)
      const value = Buffer.from(before, 'latin1')
      const utf8 = utf8Field(value, f.length)
      const extra = utf8.length - f.length
      const accents = value.filter((b) => b >= 0x80).length
      edit.record = i + 1
      edit.detail = `${capitalise(detailName(i))} : ${added}${name} « ${before} » est écrit en UTF-8 (${count(accents, 'caractère')} de 2 octets) ; ` +
        (extra === 0
          ? `les octets en plus sont pris sur les blancs de la zone : l'enregistrement garde ${n(LENGTH)} octets.`
          : `la zone n'a pas assez de blancs : l'enregistrement fait ${n(LENGTH + extra)} octets.`)
      return Buffer.concat([record.subarray(0, f.offset), utf8, record.subarray(f.offset + f.length)])
    },
    record: null,
    detail: ''
  }
  return edit
}

function c1Byte (g: Geometry, rng: Rng): Edit {
  const target = rng.between(1, g.details)
  const edit: Edit = {
    step: holding([target], g.records),
    apply: (i, record) => {
      expectType(record, i, 'D')
      const name = text(record, NOM)
      const apostrophe = name.indexOf('\'')
      const at = apostrophe >= 0 ? apostrophe : rng.int(Math.max(1, name.length))
      const replaced = apostrophe >= 0 ? 'l\'apostrophe' : `le caractère « ${name.charAt(at) || ' '} »`
      record[NOM.offset + at] = C1_APOSTROPHE
      edit.detail = `${capitalise(detailName(i))} : dans NOM_NAISSANCE « ${name} », ${replaced} en colonne ${NOM.from + at} devient l'octet 0x92 (’ en Windows-1252).`
      return record
    },
    record: target + 1,
    detail: ''
  }
  return edit
}

function unknownCode (g: Geometry, rng: Rng): Edit {
  const target = rng.between(1, g.details)
  const code = rng.pick(CODES)
  const f = field(code.name)
  const edit: Edit = {
    step: holding([target], g.records),
    apply: (i, record) => {
      expectType(record, i, 'D')
      const before = text(record, f)
      record.write(code.value.padEnd(f.length, ' '), f.offset, 'latin1')
      edit.detail = `${capitalise(detailName(i))} : ${code.name} vaut « ${code.value} » (au lieu de ${before === '' ? 'blanc' : `« ${before} »`}), un code d'aucune liste.`
      return record
    },
    record: target + 1,
    detail: ''
  }
  return edit
}

function invalidDate (g: Geometry, rng: Rng): Edit {
  const target = rng.between(1, g.details)
  const first = rng.int(DATES.length)
  const monthDay = rng.pick(BAD_MONTH_DAYS)
  const edit: Edit = {
    step: holding([target], g.records),
    apply: (i, record) => {
      expectType(record, i, 'D')
      // the drawn field, or the other one when the drawn one is blank
      const f = [DATES[first], DATES[1 - first]].find((d) => d !== undefined && text(record, d) !== '') ?? DATES[0]
      const before = text(record, f)
      const year = /^[0-9]{4}/.test(before) ? before.slice(0, 4) : '2000'
      const after = year + monthDay
      record.write(after, f.offset, 'latin1')
      const name = f === DATES[0] ? 'DATE_NAISSANCE' : 'DATE_DEBUT_IDE'
      edit.detail = `${capitalise(detailName(i))} : ${name} vaut ${after} au lieu de ${before === '' ? 'blanc' : before}, une date qui n'existe pas.`
      return record
    },
    record: target + 1,
    detail: ''
  }
  return edit
}

function duplicateNir (g: Geometry, rng: Rng): Edit {
  // the source comes first: its NIR is all that is kept until the target passes
  const source = rng.between(1, g.details - 1)
  const target = rng.between(source + 1, g.details)
  let nir = Buffer.alloc(0)
  const edit: Edit = {
    step: holding([source, target], g.records),
    apply: (i, record) => {
      expectType(record, i, 'D')
      if (i === source) {
        nir = Buffer.from(record.subarray(NIR.offset, NIR.offset + NIR.length))
        return record
      }
      nir.copy(record, NIR.offset)
      edit.detail = `Le NIR ${nir.toString('latin1')} de ${detailName(source)} est recopié dans ${detailName(target)}.`
      return record
    },
    record: target + 1,
    detail: ''
  }
  return edit
}

function empty (g: Geometry): Edit {
  const footer = g.records - 1
  return {
    step: (i) => i === 0 ? { kind: 'pass', until: 1 } : i < footer ? { kind: 'drop', until: footer } : HOLD,
    apply: (i, record) => {
      expectType(record, i, 'F')
      record.write('0'.repeat(NB.length), NB.offset, 'latin1')
      return record
    },
    record: null,
    detail: g.details === 0
      ? 'Le fichier n\'avait déjà aucun détail : il reste l\'entête et l\'enregistrement de fin (NB_ENREGISTREMENTS 000000000).'
      : `Les ${n(g.details)} enregistrements détail sont retirés : il reste l'entête et l'enregistrement de fin, qui annonce 000000000 dans NB_ENREGISTREMENTS.`
  }
}

function duplicateFile (g: Geometry): Edit {
  return {
    step: () => ({ kind: 'pass', until: g.records }),
    apply: (_i, record) => record,
    record: null,
    detail: 'Les octets ne changent pas : le même fichier est déposé deux fois, sous deux noms.'
  }
}

const EDITS: { readonly [K in DamageCode]: (g: Geometry, rng: Rng) => Edit } = {
  truncated,
  'footer-count': footerCount,
  'header-missing': headerMissing,
  'record-length': recordLength,
  'crlf-last-line': crlfLastLine,
  'no-final-newline': noFinalNewline,
  'utf8-name': utf8Name,
  'c1-byte': c1Byte,
  'unknown-code': unknownCode,
  'invalid-date': invalidDate,
  'duplicate-nir': duplicateNir,
  empty,
  'duplicate-file': duplicateFile
}

/** Details a damage needs: one to damage, two to copy a NIR from one to the other (a cut or a short record falls on the footer of a file without details). */
const MIN_DETAILS: Partial<Record<DamageCode, number>> = {
  'utf8-name': 1, 'c1-byte': 1, 'unknown-code': 1, 'invalid-date': 1, 'duplicate-nir': 2
}

/** Why `code` cannot damage a file of this terminator and number of details (French), or null when it can. */
export function damageProblem (code: DamageCode, terminator: Terminator, details: number): string | null {
  const min = MIN_DETAILS[code] ?? 0
  if (details < min) {
    return `La panne « ${code} » (${DAMAGE_CODES[code].title}) demande au moins ${min === 1 ? 'un enregistrement détail' : `${n(min)} enregistrements détail`} ; ce fichier en a ${n(details)}.`
  }
  if (code === 'no-final-newline' && terminator === 'none') {
    return 'La panne « no-final-newline » ne s\'applique pas à un fichier sans fin de ligne (enregistrements bout à bout, décision D2) : sa dernière ligne n\'en a déjà pas.'
  }
  return null
}

/** The terminators whose records fill `totalBytes` exactly, header and footer included (D1, D2). */
function terminatorsFor (totalBytes: number): Terminator[] {
  return (['LF', 'CRLF', 'none'] as const).filter((t) => {
    const stride = LENGTH + TERMINATORS[t].length
    return totalBytes % stride === 0 && totalBytes / stride >= 2
  })
}

/** The terminator the bytes after the first record show: LF, CR LF, or the next record's type. */
function terminatorSeen (head: Buffer): Terminator | null {
  const b = head[LENGTH]
  if (b === 0x0A) return 'LF'
  if (b === 0x0D && head[LENGTH + 1] === 0x0A) return 'CRLF'
  if (b === 0x45 || b === 0x44 || b === 0x46) return 'none'
  return null
}

export class PecgmDamager {
  private readonly code: DamageCode
  private readonly seed: number
  private readonly totalBytes: number
  private readonly candidates: Terminator[]
  private head: Buffer[] = []
  private headLength = 0
  private geometry: Geometry | null = null
  private edit: Edit | null = null
  private received = 0
  /** input bytes the edit has taken */
  private position = 0
  private held: Buffer | null = null
  private heldLength = 0
  private heldIndex = 0
  private ended = false

  constructor (code: DamageCode, seed: number, totalBytes: number) {
    if (!isDamageCode(code)) throw new DamageError('DAMAGE_BAD_INPUT', `Panne « ${String(code)} » inconnue ; pannes connues : ${Object.keys(DAMAGE_CODES).join(', ')}.`)
    if (!Number.isSafeInteger(seed)) throw new DamageError('DAMAGE_BAD_INPUT', `La graine d'une panne est un nombre entier, lu « ${String(seed)} ».`)
    if (!Number.isSafeInteger(totalBytes) || totalBytes < 0) throw new DamageError('DAMAGE_BAD_INPUT', `Taille de fichier impossible : « ${String(totalBytes)} ».`)
    this.code = code
    this.seed = seed
    this.totalBytes = totalBytes
    this.candidates = terminatorsFor(totalBytes)
    if (this.candidates.length === 0) {
      throw new DamageError('DAMAGE_BAD_INPUT', `Le fichier n'est pas un PECGM correct : ${n(totalBytes)} octets ne font pas un nombre entier d'enregistrements de ${n(LENGTH)} octets (au moins l'entête et la fin) suivis tous de LF, tous de CR LF ou tous de rien (décisions D1, D2).`)
    }
    // a problem the size alone shows is told before any byte is read
    const sure = this.candidates.length === 1 ? this.candidates[0] : undefined
    if (sure !== undefined) this.check(sure)
  }

  /** Damaged bytes ready to write; `chunk` is copied where kept, never returned. */
  push (chunk: Buffer): Buffer[] {
    if (this.ended) throw new DamageError('DAMAGE_BAD_INPUT', 'Octets reçus après la fin du fichier.')
    this.received += chunk.length
    if (this.received > this.totalBytes) throw new DamageError('DAMAGE_BAD_INPUT', `Le fichier reçu dépasse les ${n(this.totalBytes)} octets annoncés.`)
    if (this.edit !== null) return this.feed(chunk)
    this.head.push(Buffer.from(chunk))
    this.headLength += chunk.length
    return this.headLength >= HEAD ? this.start() : []
  }

  end (): Buffer[] {
    if (this.ended) return []
    const out = this.edit === null ? this.start() : []
    if (this.received < this.totalBytes) {
      throw new DamageError('DAMAGE_BAD_INPUT', `Le fichier reçu s'arrête après ${n(this.received)} octets sur les ${n(this.totalBytes)} annoncés.`)
    }
    this.ended = true
    return out
  }

  get result (): DamageResult {
    if (!this.ended || this.edit === null) throw new DamageError('DAMAGE_BAD_INPUT', 'Le résultat d\'une panne n\'est connu qu\'à la fin du fichier.')
    return { code: this.code, record: this.edit.record, detail: this.edit.detail }
  }

  private check (terminator: Terminator): Geometry {
    const stride = LENGTH + TERMINATORS[terminator].length
    const records = this.totalBytes / stride
    const problem = damageProblem(this.code, terminator, records - 2)
    if (problem !== null) throw new DamageError('DAMAGE_NOT_APPLICABLE', problem)
    return { terminator, stride, records, details: records - 2 }
  }

  private start (): Buffer[] {
    const head = Buffer.concat(this.head)
    this.head = []
    const seen = terminatorSeen(head)
    if (seen === null) {
      throw new DamageError('DAMAGE_BAD_INPUT', `Le fichier n'est pas un PECGM correct : après les ${n(LENGTH)} octets du premier enregistrement ne viennent ni LF, ni CR LF, ni un enregistrement « D » ou « F » (décision D2).`)
    }
    if (!this.candidates.includes(seen)) {
      throw new DamageError('DAMAGE_BAD_INPUT', `Le fichier n'est pas un PECGM correct : ses enregistrements finissent par ${TERMINATOR_NAMES[seen]}, mais ses ${n(this.totalBytes)} octets n'en font pas un nombre entier (décisions D1, D2).`)
    }
    this.geometry = this.check(seen)
    this.edit = EDITS[this.code](this.geometry, new Rng(this.seed >>> 0, hashString(this.code), Math.floor(this.seed / 4294967296) >>> 0))
    return this.feed(head)
  }

  private feed (chunk: Buffer): Buffer[] {
    const edit = this.edit as Edit
    const { stride } = this.geometry as Geometry
    const out: Buffer[] = []
    let off = 0
    while (off < chunk.length) {
      if (this.held !== null) {
        const take = Math.min(stride - this.heldLength, chunk.length - off)
        chunk.copy(this.held, this.heldLength, off, off + take)
        this.heldLength += take
        off += take
        this.position += take
        if (this.heldLength === stride) {
          const bytes = edit.apply(this.heldIndex, this.held)
          this.held = null
          if (bytes.length > 0) out.push(bytes)
        }
        continue
      }
      const index = Math.floor(this.position / stride)
      const step = edit.step(index)
      if (step.kind === 'hold') {
        this.held = Buffer.allocUnsafe(stride)
        this.heldLength = 0
        this.heldIndex = index
        continue
      }
      const take = Math.min(step.until * stride - this.position, chunk.length - off)
      if (step.kind === 'pass') out.push(Buffer.from(chunk.subarray(off, off + take)))
      off += take
      this.position += take
    }
    return out
  }
}

/** The damager over a file held in memory: for tests and small files. */
/**
 * Why `code` cannot damage a correct PECGM of `totalBytes` (in French), or
 * null when it can, or when only the file's bytes will tell (a size that
 * two terminators explain).
 */
export function damageProblemForSize (code: DamageCode, totalBytes: number): string | null {
  try {
    // the constructor checks what the size alone shows
    // eslint-disable-next-line no-new
    new PecgmDamager(code, 0, totalBytes)
    return null
  } catch (err) {
    if (err instanceof DamageError) return err.message
    throw err
  }
}

export function damagePecgm (bytes: Buffer, code: DamageCode, seed: number): { bytes: Buffer, result: DamageResult } {
  const damager = new PecgmDamager(code, seed, bytes.length)
  const out = [...damager.push(bytes), ...damager.end()]
  return { bytes: Buffer.concat(out), result: damager.result }
}
