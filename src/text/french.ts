/**
 * Numbers and dates as French typography writes them: a decimal comma,
 * thousands grouped by a no-break space, a no-break space before « % » and
 * the units, « 1er » for the first day of a month. The space is U+00A0
 * rather than the narrow U+202F that Intl gives: every font of the PDF has
 * the former, not the latter.
 */

const NBSP = '\u00a0'
const NARROW_NBSP = /\u202f/g

function numberFormat (digits: number | undefined): Intl.NumberFormat {
  return new Intl.NumberFormat('fr-FR', digits === undefined ? { maximumFractionDigits: 20 } : { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

/**
 * The formatters are made on first use: making one loads ICU's French data
 * (about 8 MB of memory), which a command that only imports this module for
 * an error message (`validate`'s arguments) should not pay for at start.
 */
let plain: Intl.NumberFormat | null = null

/** « 0 caractère », « 1 caractère », « 2 caractères »: French puts 0 and 1 in the singular. */
export function frenchCount (n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${Math.abs(n) < 2 ? singular : plural}`
}

/** 1234567.5 → "1 234 567,5"; with `digits`, that many decimals: (0.5, 1) → "0,5". */
export function frenchNumber (n: number, digits?: number): string {
  // a whole number needs no rounding: its decimals, if asked for, are zeros (95 % in the qualification's plan, made as its module loads)
  if (Number.isSafeInteger(n) && !Object.is(n, -0) && (digits === undefined || (Number.isInteger(digits) && digits >= 0 && digits <= 20))) {
    return digits === undefined || digits === 0 ? groupedInteger(n) : `${groupedInteger(n)},${'0'.repeat(digits)}`
  }
  return (digits === undefined ? (plain ??= numberFormat(undefined)) : numberFormat(digits)).format(n).replace(NARROW_NBSP, NBSP)
}

/**
 * A whole number as Intl writes it in French, groups of three digits from
 * the right: the counts of a command's last line (records, bytes, findings)
 * are all whole, and Intl's first French format loads ICU's data, about
 * 16 ms of every such command's run.
 */
function groupedInteger (n: number): string {
  const digits = String(Math.abs(n))
  let out = digits.slice(0, ((digits.length - 1) % 3) + 1)
  for (let at = out.length; at < digits.length; at += 3) out += NBSP + digits.slice(at, at + 3)
  return n < 0 ? `-${out}` : out
}

/** Items as French lists them: "01", "01 et 05", "01, 05 et 06". */
export function frenchList (items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} et ${items.at(-1) ?? ''}`
}

/** A share as a percentage: 1 → "100,0 %", 0.953 → "95,3 %". */
export function frenchPercent (share: number, digits = 1): string {
  return `${frenchNumber(share * 100, digits)}${NBSP}%`
}

/**
 * A date format of ICU's, made on its first use: the first format a process
 * makes loads ICU's data (some 25 ms), which neither a command given its
 * dates nor the server before it is ready should wait for.
 */
export function lazyDateFormat (locale: string, options: Intl.DateTimeFormatOptions): () => Intl.DateTimeFormat {
  let format: Intl.DateTimeFormat | null = null
  return () => (format ??= new Intl.DateTimeFormat(locale, options))
}

const dayMonthYear = lazyDateFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
const parisDate = lazyDateFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Paris' })
const parisTime = lazyDateFormat('fr-FR', { hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone: 'Europe/Paris' })

/** The parts of a long date, the first of the month as « 1er ». */
function longDate (format: Intl.DateTimeFormat, date: Date): string {
  return format.formatToParts(date).map((p) => p.type === 'day' && p.value === '1' ? '1er' : p.value).join('').replace(NARROW_NBSP, NBSP)
}

/** "2027-03-01" → "1er mars 2027"; a full date-time gives its UTC day. */
export function frenchDate (iso: string): string {
  return longDate(dayMonthYear(), new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso))
}

const MONTHS = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'] as const

/** A day as it was written, even one no calendar has: (2027, 2, 30) → "30 février 2027"; a month that is none, as numbers: "1/13/2027". */
export function frenchDayWords (year: number, month: number, day: number): string {
  const name = MONTHS[month - 1]
  return name === undefined ? `${day}/${month}/${year}` : `${day === 1 ? '1er' : day} ${name} ${year}`
}

/** An instant as Paris reads it: "1er mars 2027 à 08:05". */
export function frenchDateTime (at: string | number): string {
  const date = new Date(at)
  return `${longDate(parisDate(), date)} à ${parisTime().format(date)}`
}
