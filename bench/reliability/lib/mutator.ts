import type { Seeded } from './seeded.js'

/**
 * Seeded mutations of a valid CGPEM's bytes and of its name: what a
 * département's software could send by mistake, and what a hostile client
 * would try. Each is a row { name, apply }; the same seed gives the same
 * bytes.
 */

export interface ContentMutation {
  name: string
  apply: (rng: Seeded, body: Buffer) => Buffer
}

const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1')

function insertAt (body: Buffer, at: number, what: Buffer): Buffer {
  return Buffer.concat([body.subarray(0, at), what, body.subarray(at)])
}

/** A position just after a '>' (between two elements or inside a text node's start). */
function afterTag (rng: Seeded, body: Buffer): number {
  if (body.length === 0) return 0
  const from = rng.int(body.length)
  const i = body.indexOf(0x3e, from)
  return i < 0 ? body.length : i + 1
}

/** Just after the XML declaration, where a DOCTYPE goes. */
function afterDeclaration (body: Buffer): number {
  const end = body.indexOf('?>')
  return end < 0 ? 0 : end + 2
}

const DOCTYPES = [
  '<!DOCTYPE CGPEM [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
  '<!DOCTYPE CGPEM SYSTEM "http://127.0.0.1:1/cgpem.dtd">',
  '<!DOCTYPE CGPEM [<!ENTITY % p SYSTEM "http://127.0.0.1:1/x"> %p;]>',
  '<!DOCTYPE CGPEM [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;"><!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">]>',
  '<!DOCTYPE CGPEM [<!ELEMENT CGPEM ANY>]>',
  '<!DOCTYPE'
]

const ENTITIES = ['&x;', '&f;', '&#0;', '&#xD800;', '&#99999999;', '&amp', '&lt;&gt;', '&#x;', '&;', '&eacute;']

export const CONTENT_MUTATIONS: readonly ContentMutation[] = [
  {
    name: 'octets inversés',
    apply: (rng, b) => {
      const out = Buffer.from(b)
      for (let n = rng.between(1, 8); n > 0 && out.length > 0; n--) {
        const i = rng.int(out.length)
        out[i] = (out[i] as number) ^ (1 + rng.int(255))
      }
      return out
    }
  },
  { name: 'tronqué', apply: (rng, b) => b.subarray(0, rng.int(b.length + 1)) },
  { name: 'DOCTYPE', apply: (rng, b) => insertAt(b, afterDeclaration(b), latin1(rng.pick(DOCTYPES))) },
  { name: 'entités', apply: (rng, b) => insertAt(b, afterTag(rng, b), latin1(rng.pick(ENTITIES))) },
  { name: 'UTF-8 dans un CGPEM ISO-8859-1', apply: (rng, b) => insertAt(b, afterTag(rng, b), Buffer.from(rng.pick(['é', 'Ç', '€', '😀', 'Ã©']), 'utf8')) },
  { name: 'UTF-16 avec BOM', apply: (_rng, b) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(b.toString('latin1'), 'utf16le')]) },
  { name: 'déclaration d\'encodage fausse', apply: (rng, b) => latin1(b.toString('latin1').replace('ISO-8859-1', rng.pick(['UTF-8', 'UTF-16', 'EBCDIC-XX', '', 'ISO-8859-1" standalone="maybe']))) },
  { name: 'BOM UTF-8', apply: (_rng, b) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), b]) },
  { name: 'CRLF', apply: (rng, b) => latin1(b.toString('latin1').replace(/\n/g, rng.chance(0.5) ? '\r\n' : '\r')) },
  {
    name: 'NUL',
    apply: (rng, b) => {
      let out = b
      for (let n = rng.between(1, 4); n > 0; n--) out = insertAt(out, rng.int(out.length + 1), Buffer.alloc(rng.between(1, 16)))
      return out
    }
  },
  { name: 'ligne énorme', apply: (rng, b) => insertAt(b, afterTag(rng, b), Buffer.alloc(rng.between(64 << 10, 512 << 10), 0x41)) },
  {
    name: 'tranche dupliquée',
    apply: (rng, b) => {
      const from = rng.int(b.length + 1)
      const to = Math.min(b.length, from + rng.int(4096))
      return insertAt(b, to, b.subarray(from, to))
    }
  },
  { name: 'vide', apply: () => Buffer.alloc(0) },
  {
    name: 'octets aléatoires',
    apply: (rng, b) => {
      const out = Buffer.alloc(rng.between(1, 32 << 10))
      for (let i = 0; i < out.length; i++) out[i] = rng.int(256)
      return rng.chance(0.5) ? out : Buffer.concat([b.subarray(0, rng.int(b.length + 1)), out])
    }
  },
  { name: 'imbrication profonde', apply: (rng, b) => { const n = rng.between(1000, 20000); return insertAt(b, afterTag(rng, b), latin1('<a>'.repeat(n) + (rng.chance(0.5) ? '</a>'.repeat(n) : ''))) } },
  { name: 'CDATA, commentaire, instruction', apply: (rng, b) => insertAt(b, afterTag(rng, b), latin1(rng.pick(['<![CDATA[<NIR>]]>', '<!-- -- -->', '<?xml version="1.0"?>', '<?php ?>', ']]>', '<!---->', '<![CDATA[']))) },
  {
    name: 'balise fermante retirée',
    apply: (rng, b) => {
      const from = rng.int(b.length + 1)
      const i = b.indexOf('</', from)
      const j = i < 0 ? -1 : b.indexOf('>', i)
      return j < 0 ? b : Buffer.concat([b.subarray(0, i), b.subarray(j + 1)])
    }
  },
  { name: 'attributs', apply: (rng, b) => insertAt(b, Math.max(0, afterTag(rng, b) - 1), latin1(` a="${'x'.repeat(rng.int(5000))}" a="2" xmlns:p="urn:x" p:b='`)) }
]

export interface NameMutation {
  name: string
  /** the name to send, from the one that would be right */
  apply: (rng: Seeded, name: string) => string
}

export const NAME_MUTATIONS: readonly NameMutation[] = [
  { name: 'nom énorme', apply: (rng, n) => `${'N'.repeat(rng.pick([101, 250, 4000, 12_000, 40_000]))}${n}` },
  { name: 'chemin', apply: (rng, n) => rng.pick([`../${n}`, '../../phebus.sqlite', `a/${n}`, `..\\${n}`, '..', '.', `/${n}`]) },
  { name: 'accent', apply: (_rng, n) => `é${n}` },
  { name: 'nom vide', apply: () => '' },
  { name: 'NUL dans le nom', apply: (_rng, n) => `${n}\u0000.txt` },
  { name: 'espaces', apply: (_rng, n) => ` ${n} ` },
  { name: 'point initial', apply: (_rng, n) => `.${n}` },
  { name: 'contrôles', apply: (rng, n) => `${n}${rng.pick(['\r\n', '\t', '\u007f', '"', ';', '%'])}x` }
]
