/** Sizes as people write them ("128M", "5G") and as the messages say them ("5 Gio"). */

export const KIB = 1024
export const MIB = 1024 ** 2
export const GIB = 1024 ** 3

/** "128M", "1G", "500k" or a number of bytes (binary multiples). Null when not understood. */
export function parseSize (text: string): number | null {
  const m = /^([0-9]{1,15})([kKMG]?)$/.exec(text.trim())
  if (!m) return null
  const n = Number(m[1]) * ({ '': 1, k: KIB, K: KIB, M: MIB, G: GIB }[m[2] as '' | 'k' | 'K' | 'M' | 'G'])
  return n > 0 && Number.isSafeInteger(n) ? n : null
}

/** 1073741824 → "1 Gio", 500 × 1024 → "500 Kio", 1536 × 1024 → "1,5 Mio": sizes as the banner and the messages say them. */
export function formatSize (bytes: number): string {
  for (const [unit, size] of [['Gio', GIB], ['Mio', MIB], ['Kio', KIB]] as const) {
    if (bytes >= size) {
      const n = bytes / size
      return `${Number.isInteger(n) ? n : n.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ${unit}`
    }
  }
  return `${bytes} octets`
}
