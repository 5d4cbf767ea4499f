import { encodeLatin1, toLatin1Text } from './latin1.js'

/**
 * The project's CSV files (the qualification sample, the movements of a
 * period): ';'-separated, ISO-8859-1, CRLF line ends (RFC 4180), a cell
 * quoted only when it holds ';', '"' or a line end.
 */

function cell (v: string): string {
  return /[;"\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v
}

const CRLF = Buffer.from('\r\n')

/** The rows (the header line first) as the bytes of a CSV file. */
export function latin1Csv (rows: readonly (readonly string[])[]): Buffer {
  return Buffer.concat(rows.map((r) => Buffer.concat([encodeLatin1(toLatin1Text(r.map(cell).join(';'))), CRLF])))
}
