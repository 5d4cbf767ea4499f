import t from 'tap'
import iconv from 'iconv-lite'
import { findNonLatin1 } from '../../src/text/latin1.js'
import { windows1252Byte } from '../../src/validate/windows-1252.js'
import { finding, fixedFile, problems, validate, VALID, xmlFile } from './helpers.js'

const UNDEFINED = [0x81, 0x8D, 0x8F, 0x90, 0x9D]
const BYTES = Array.from({ length: 0x20 }, (_, i) => 0x80 + i)

/** The file with its one « # » replaced by `byte`, and where that byte is: line and column, from 1. */
function placed (file: Buffer, byte: number): { input: Buffer, line: number, column: number } {
  const at = file.indexOf('#')
  const input = Buffer.from(file)
  input[at] = byte
  const before = file.subarray(0, at).toString('latin1')
  return { input, line: before.split('\n').length, column: at - before.lastIndexOf('\n') }
}

const hex = (b: number): string => `0x${b.toString(16).toUpperCase()}`

t.test('reads 0x80–0x9F as iconv-lite decodes Windows-1252, five bytes undefined', async (t) => {
  for (const b of BYTES) {
    const w = windows1252Byte(b)
    const decoded = iconv.decode(Buffer.from([b]), 'win1252')
    if (UNDEFINED.includes(b)) t.same(w, { char: null }, `${hex(b)} is undefined`)
    else t.equal(w.char, decoded, `${hex(b)} is « ${decoded} »`)
  }
})

t.test('gives every Windows-1252 character of 0x80–0x9F a printable ISO-8859-1 replacement', async (t) => {
  const table: Array<[number, string, string]> = [
    [0x80, '€', 'EUR'], [0x82, '‚', ','], [0x83, 'ƒ', 'f'], [0x84, '„', '"'], [0x85, '…', '...'], [0x86, '†', '+'],
    [0x87, '‡', '+'], [0x88, 'ˆ', '^'], [0x89, '‰', 'pour mille'], [0x8A, 'Š', 'S'], [0x8B, '‹', '\''], [0x8C, 'Œ', 'OE'],
    [0x8E, 'Ž', 'Z'], [0x91, '‘', '\''], [0x92, '’', '\''], [0x93, '“', '"'], [0x94, '”', '"'], [0x95, '•', '-'],
    [0x96, '–', '-'], [0x97, '—', '-'], [0x98, '˜', '~'], [0x99, '™', 'TM'], [0x9A, 'š', 's'], [0x9B, '›', '\''],
    [0x9C, 'œ', 'oe'], [0x9E, 'ž', 'z'], [0x9F, 'Ÿ', 'Y']
  ]
  t.same([...table.map(([b]) => b), ...UNDEFINED].sort((a, b) => a - b), BYTES, 'the table covers every byte')
  for (const [b, char, replacement] of table) {
    t.same(windows1252Byte(b), { char, replacement }, `${hex(b)} « ${char} » is written « ${replacement} »`)
    t.equal(findNonLatin1(replacement), null, `« ${replacement} » is ISO-8859-1`)
  }
})

const FORMS = [
  { form: 'XML', file: xmlFile([{ ...VALID, NOM_NAISSANCE: 'L#A' }]) },
  { form: 'fixed-width', file: fixedFile([{ ...VALID, NOM_NAISSANCE: 'L#A' }]) }
]

t.test('reports each byte of 0x80–0x9F with its position, field, Windows-1252 character and replacement, in both forms', async (t) => {
  for (const { form, file } of FORMS) {
    for (const b of BYTES) {
      const { input, line, column } = placed(file, b)
      const r = validate(input)
      const name = `${form}, ${hex(b)}`
      t.same(problems(r), ['CGPEM_WINDOWS_1252'], name)
      const w = windows1252Byte(b)
      const f = finding(r, 'CGPEM_WINDOWS_1252')
      if (w.char === null) {
        t.match(f, { line, column, record: 1, field: 'NOM_NAISSANCE', severity: 'error', value: hex(b) }, name)
        t.notOk(f !== undefined && 'expected' in f, `${name}: nothing to write instead`)
      } else {
        t.match(f, { line, column, record: 1, field: 'NOM_NAISSANCE', severity: 'error', value: w.char, expected: w.replacement }, name)
      }
      // the message names the byte, and the character and its replacement where there are some
      for (const part of w.char === null ? [hex(b), 'Windows-1252'] : [hex(b), `« ${w.char} »`, `« ${w.replacement} »`]) t.match(f?.message, part, `${name}: the message says ${part}`)
    }
  }
})
