import { repeatedKeys } from './duplicates.js'
import { hash52 } from './identity.js'

/**
 * The NIRs of a PECGM's detail records, to find a person listed twice: per
 * record, a 52-bit hash of its NIR (identity.ts), its record number and the
 * NIR's first three characters, 16 bytes in typed arrays, never the NIR. At
 * the end, the repeated hashes are found as the CGPEM's are (duplicates.ts).
 */

export interface NirRepeat {
  record: number
  /** the record that came first */
  first: number
  /** the NIR's first three characters */
  prefix: string
}

export class NirIndex {
  private size = 0
  private keys = new Float64Array(1024)
  private records = new Int32Array(1024)
  private prefixes = new Int32Array(1024)

  add (record: number, nir: string): void {
    if (this.size === this.keys.length) this.grow()
    const i = this.size++
    this.keys[i] = hash52(nir)
    this.records[i] = record
    this.prefixes[i] = (nir.charCodeAt(0) & 0xFF) | ((nir.charCodeAt(1) & 0xFF) << 8) | ((nir.charCodeAt(2) & 0xFF) << 16)
  }

  /** The records that repeat an earlier NIR, in file order, each naming the first. */
  * repeats (): Generator<NirRepeat> {
    const repeated = repeatedKeys(this.keys, this.size)
    if (repeated.size === 0) return
    const first = new Map<number, number>()
    for (let i = 0; i < this.size; i++) {
      const k = this.keys[i] as number
      if (!repeated.has(k)) continue
      const record = this.records[i] as number
      const f = first.get(k)
      if (f === undefined) {
        first.set(k, record)
        continue
      }
      const p = this.prefixes[i] as number
      yield { record, first: f, prefix: String.fromCharCode(p & 0xFF, (p >> 8) & 0xFF, (p >> 16) & 0xFF) }
    }
  }

  private grow (): void {
    const n = this.keys.length * 2
    const keys = new Float64Array(n)
    keys.set(this.keys)
    this.keys = keys
    const records = new Int32Array(n)
    records.set(this.records)
    this.records = records
    const prefixes = new Int32Array(n)
    prefixes.set(this.prefixes)
    this.prefixes = prefixes
  }
}
