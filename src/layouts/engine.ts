import { PhebusError } from '../errors.js'
import { decodeLatin1, toLatin1Text, writeLatin1, type Latin1Text } from '../text/latin1.js'
import { checkDate } from './dates.js'

/**
 * AN: printable ISO-8859-1; A: letters, space, hyphen, apostrophe; N: digits;
 * D: a date SSAAMMJJ.
 */
export type FieldType = 'AN' | 'A' | 'N' | 'D'

export interface FieldSpec {
  readonly name: string
  /** 1-based first position, as the convention writes it */
  readonly from: number
  readonly length: number
  readonly type: FieldType
  readonly note?: string
}

export interface Field extends FieldSpec {
  /** 0-based offset in the record */
  readonly offset: number
  readonly to: number
}

export interface RecordLayout {
  readonly id: string
  readonly length: number
  readonly fields: readonly Field[]
  readonly byName: ReadonlyMap<string, Field>
}

/**
 * Builds a layout from its table and checks that the table is coherent: each
 * field starts right after the previous one, the record is covered exactly,
 * names are unique. A wrong table fails here, at load, not in a file.
 */
export function defineRecordLayout (id: string, length: number, specs: readonly FieldSpec[]): RecordLayout {
  const fields: Field[] = []
  const byName = new Map<string, Field>()
  let next = 1
  for (const spec of specs) {
    if (spec.from !== next) {
      throw new PhebusError('PHEBUS_LAYOUT_INVALID', `Mise en forme ${id} : la zone ${spec.name} commence en ${spec.from}, la précédente finit en ${next - 1}.`)
    }
    if (!(spec.length > 0) || byName.has(spec.name)) {
      throw new PhebusError('PHEBUS_LAYOUT_INVALID', `Mise en forme ${id} : zone ${spec.name} de longueur ${spec.length} ou en double.`)
    }
    const field: Field = Object.freeze({ ...spec, offset: spec.from - 1, to: spec.from + spec.length - 1 })
    fields.push(field)
    byName.set(spec.name, field)
    next += spec.length
  }
  if (next - 1 !== length) {
    throw new PhebusError('PHEBUS_LAYOUT_INVALID', `Mise en forme ${id} : les zones couvrent ${next - 1} caractères, l'enregistrement en compte ${length}.`)
  }
  return Object.freeze({ id, length, fields: Object.freeze(fields), byName })
}

/** Lays fields end to end from position 1: for tables given as lengths only. */
export function sequentialSpecs (list: readonly Omit<FieldSpec, 'from'>[]): FieldSpec[] {
  let from = 1
  return list.map((f) => {
    const spec = { ...f, from }
    from += f.length
    return spec
  })
}

export function getField (layout: RecordLayout, name: string): Field {
  const f = layout.byName.get(name)
  if (!f) throw new PhebusError('PHEBUS_LAYOUT_UNKNOWN_FIELD', `La mise en forme ${layout.id} n'a pas de zone ${name}.`)
  return f
}

/**
 * Decision D3: AN and A left-aligned, space-padded, cut to the width; N
 * right-aligned and zero-padded, all spaces when absent; D the date or spaces.
 */
export function fitToField (field: Field, text: Latin1Text): Latin1Text {
  const w = field.length
  if (text.length === 0) return ' '.repeat(w) as Latin1Text
  if (field.type === 'N') {
    return (text.length >= w ? text.slice(text.length - w) : text.padStart(w, '0')) as Latin1Text
  }
  return (text.length >= w ? text.slice(0, w) : text.padEnd(w, ' ')) as Latin1Text
}

export type RecordValues = Readonly<Record<string, string | null | undefined>>

/**
 * Writes one record: each value goes through the ISO-8859-1 pipeline, then is
 * fitted to its field. Fields not given are blank. A name not in the layout
 * is refused, so a typo cannot silently write nothing.
 */
export function encodeRecordInto (target: Buffer, offset: number, layout: RecordLayout, values: RecordValues, options: { upper?: boolean } = {}): void {
  target.fill(0x20, offset, offset + layout.length)
  encodeValuesInto(target, offset, layout, values, options)
}

/**
 * encodeRecordInto() of the given fields only, over what `target` already
 * holds (blank it first): the record starts at `offset`, which may be
 * negative when no field given lies before the start of `target` (a pool
 * of a few consecutive fields, pools.ts).
 */
export function encodeValuesInto (target: Buffer, offset: number, layout: RecordLayout, values: RecordValues, options: { upper?: boolean } = {}): void {
  for (const name of Object.keys(values)) {
    const field = getField(layout, name)
    const text = fieldText(field, values[name], options)
    if (text !== null) writeLatin1(target, offset + field.offset, text)
  }
}

/**
 * What encodeValuesInto() writes in `field` for `raw`: the text through the
 * ISO-8859-1 pipeline, fitted to the field; null for no value (the field
 * keeps what it holds, blank in a blank record).
 */
export function fieldText (field: Field, raw: string | null | undefined, options: { upper?: boolean } = {}): Latin1Text | null {
  if (raw === null || raw === undefined || raw === '') return null
  const upper = options.upper === true && (field.type === 'AN' || field.type === 'A')
  return fitToField(field, toLatin1Text(raw, { upper, what: `la zone ${field.name}` }))
}

export function encodeRecord (layout: RecordLayout, values: RecordValues, options: { upper?: boolean } = {}): Buffer {
  const b = Buffer.allocUnsafe(layout.length)
  encodeRecordInto(b, 0, layout, values, options)
  return b
}

export interface FieldProblem {
  code: 'FIELD_NOT_NUMERIC' | 'FIELD_BAD_DATE' | 'FIELD_NOT_PRINTABLE'
  field: string
  /** 1-based column in the record */
  column: number
  value: string
  message: string
}

/**
 * Reads one record: AN/A as text without the trailing padding, N as its
 * digits ('' when blank), D as SSAAMMJJ ('' when blank). What breaks a type
 * is returned as a problem, with the raw value.
 */
export function decodeRecord (layout: RecordLayout, source: Buffer, offset: number): { values: Record<string, string>, problems: FieldProblem[] } {
  const values: Record<string, string> = {}
  const problems: FieldProblem[] = []
  for (const field of layout.fields) {
    const start = offset + field.offset
    const raw = decodeLatin1(source, start, start + field.length)
    const column = field.from
    if (field.type === 'N' || field.type === 'D') {
      const blank = raw.trim() === ''
      if (blank) {
        values[field.name] = ''
        continue
      }
      if (!/^[0-9]+$/.test(raw)) {
        problems.push({ code: 'FIELD_NOT_NUMERIC', field: field.name, column, value: raw, message: `La zone ${field.name} doit être numérique, lu « ${raw} ».` })
      } else if (field.type === 'D') {
        const bad = checkDate(raw)
        if (bad) problems.push({ code: 'FIELD_BAD_DATE', field: field.name, column, value: raw, message: `La zone ${field.name} n'est pas une date SSAAMMJJ valide (${bad}), lu « ${raw} ».` })
      }
      values[field.name] = raw
      continue
    }
    for (let i = 0; i < raw.length; i++) {
      const c = raw.charCodeAt(i)
      if (!((c >= 0x20 && c <= 0x7E) || c >= 0xA0)) {
        problems.push({ code: 'FIELD_NOT_PRINTABLE', field: field.name, column: column + i, value: raw, message: `La zone ${field.name} contient l'octet 0x${c.toString(16).toUpperCase().padStart(2, '0')} en colonne ${column + i}, qui n'est pas un caractère imprimable ISO-8859-1.` })
        break
      }
    }
    values[field.name] = raw.replace(/ +$/, '')
  }
  return { values, problems }
}
