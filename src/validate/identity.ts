/**
 * The keys that tell whether a person is oriented twice, as 52-bit hashes:
 * with 52 bits, two different people share a hash with a probability near
 * 10⁻⁶ for a million records. duplicates.ts keeps them.
 */

import { mix32 } from '../generate/rng.js'

/** Two 32-bit FNV-1a accumulators, fed character by character, mixed into 52 bits. */
class Hasher {
  private a = 0x811c9dc5
  private b = 0x9e3779b9

  add (c: number): void {
    this.a = Math.imul(this.a ^ c, 0x01000193)
    this.b = Math.imul(this.b ^ c, 0x01000197)
  }

  /** The 52-bit hash, never 0 (0 marks an empty slot); the hasher starts over. */
  take (): number {
    const hi = mix32(this.a)
    const lo = mix32(this.b) >>> 12
    this.a = 0x811c9dc5
    this.b = 0x9e3779b9
    return hi * 0x100000 + lo || 1
  }
}

const hasher = new Hasher()

/** A 52-bit hash of a string, never 0. */
export function hash52 (s: string): number {
  for (let i = 0; i < s.length; i++) hasher.add(s.charCodeAt(i))
  return hasher.take()
}

/** hash52 of the ISO-8859-1 text b[start, end) (a byte is a character), without the string. */
export function hash52Bytes (b: Uint8Array, start: number, end: number): number {
  for (let i = start; i < end; i++) hasher.add(b[i] as number)
  return hasher.take()
}

/** ISO-8859-1 folded for comparing names: upper case, accents dropped (é → E, Ç → C). */
const FOLD: Uint16Array = (() => {
  const t = new Uint16Array(256)
  for (let c = 0; c < 256; c++) {
    const folded = String.fromCharCode(c).normalize('NFD').replace(/[\u0300-\u036f]/g, '').toUpperCase()
    t[c] = folded.length === 1 ? folded.charCodeAt(0) : c
  }
  return t
})()

function addFolded (s: string): void {
  let space = true
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c === 0x20 || c === 0x09 || c === 0x0A || c === 0x0D) {
      space = true
      continue
    }
    if (space) hasher.add(0x20)
    space = false
    hasher.add(c < 256 ? FOLD[c] as number : c)
  }
  hasher.add(0x7C)
}

/** addFolded on the ISO-8859-1 text b[start, end). */
function addFoldedBytes (b: Uint8Array, start: number, end: number): void {
  let space = true
  for (let i = start; i < end; i++) {
    const c = b[i] as number
    if (c === 0x20 || c === 0x09 || c === 0x0A || c === 0x0D) {
      space = true
      continue
    }
    if (space) hasher.add(0x20)
    space = false
    hasher.add(FOLD[c] as number)
  }
  hasher.add(0x7C)
}

/** identityHash of three ISO-8859-1 texts of b, each given by its start and end, without the strings. */
export function identityHashBytes (b: Uint8Array, nomStart: number, nomEnd: number, prenomStart: number, prenomEnd: number, dateStart: number, dateEnd: number): number {
  addFoldedBytes(b, nomStart, nomEnd)
  addFoldedBytes(b, prenomStart, prenomEnd)
  addFoldedBytes(b, dateStart, dateEnd)
  return hasher.take()
}

/**
 * The hash of an identity: case, accents and runs of blanks do not tell two
 * identities apart ("Lefèvre  Hélène" is "LEFEVRE HELENE").
 */
export function identityHash (nomNaissance: string, prenom: string, dateNaissance: string): number {
  addFolded(nomNaissance)
  addFolded(prenom)
  addFolded(dateNaissance)
  return hasher.take()
}
