import type { Segment } from './http.js'
import type { Seeded } from './seeded.js'

/**
 * An upload as bytes on the wire, framed right or wrong: raw body with
 * `?name=` or multipart/form-data (random boundaries, parts missing or
 * doubled…), Content-Length exact, short, long or bogus, chunked bodies
 * whole or cut short, slow senders, clients that vanish.
 */

export interface WireRequest {
  content: Buffer
  name: string
  authorization: string
  host: string
  /** a client that stops sending is allowed (the server's idle timeout is short) */
  allowSilent: boolean
  /** no mutation of the framing: the control cases */
  clean: boolean
}

export interface WireCase {
  mutations: string[]
  segments: Segment[]
  /** after the last segment: wait for the answer, or cut the connection */
  ending: 'wait' | 'destroy'
  /** complete and framed as HTTP allows: the server must answer it */
  mustAnswer: boolean
  /** the bytes the server must keep if it keeps the file (201 or 422); null when it cannot be told */
  expected: Buffer | null
}

const BOUNDARY_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789'()+_,-./:=?"
const latin1 = (s: string): Buffer => Buffer.from(s, 'latin1')

function boundary (rng: Seeded): string {
  let s = ''
  for (let n = rng.between(1, 70); n > 0; n--) s += BOUNDARY_CHARS[rng.int(BOUNDARY_CHARS.length)]
  return s
}

interface Body {
  bytes: Buffer
  contentType: string | null
  expected: Buffer | null
  path: string
}

function weighted<T extends string> (rng: Seeded, table: readonly (readonly [T, number])[]): T {
  const total = table.reduce((n, [, w]) => n + w, 0)
  let x = rng.float() * total
  for (const [v, w] of table) if ((x -= w) < 0) return v
  return (table[0] as readonly [T, number])[0]
}

const RAW_TYPES = ['application/octet-stream', 'application/xml', 'text/plain', 'text/xml; charset=ISO-8859-1', null, 'application/json', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz']

function rawBody (rng: Seeded, req: WireRequest, mutations: string[]): Body {
  const contentType = req.clean ? 'application/octet-stream' : rng.pick(RAW_TYPES)
  if (contentType !== 'application/octet-stream') mutations.push(`Content-Type ${contentType ?? 'absent'}`)
  let path = `/api/v1/files?name=${encodeURIComponent(req.name)}`
  if (!req.clean && rng.chance(0.03)) { path = '/api/v1/files'; mutations.push('?name= absent') }
  if (!req.clean && rng.chance(0.03)) { path = `/api/v1/files?name=${req.name.replace(/[\r\n ]/g, '')}&name=autre.xml`; mutations.push('?name= en double') }
  const multipart = contentType?.startsWith('multipart/') === true
  return { bytes: req.content, contentType, expected: multipart ? null : req.content, path }
}

type MultipartKind = 'multipart' | 'partie file absente' | 'parties file dupliquées' | 'autre nom de champ' | 'sans filename' | 'champ avant le fichier' |
  'fin absente' | 'boundary différente' | 'boundary dans le contenu' | 'trop de parties' | 'filename*= (RFC 5987)' | 'Content-Type sans boundary' | 'LF sans CR'

function multipartBody (rng: Seeded, req: WireRequest, mutations: string[]): Body {
  const b = boundary(rng)
  const kind: MultipartKind = req.clean
    ? 'multipart'
    : weighted<MultipartKind>(rng, [['multipart', 12], ['partie file absente', 1], ['parties file dupliquées', 1], ['autre nom de champ', 1], ['sans filename', 1], ['champ avant le fichier', 1],
      ['fin absente', 1], ['boundary différente', 1], ['boundary dans le contenu', 1], ['trop de parties', 1], ['filename*= (RFC 5987)', 1], ['Content-Type sans boundary', 1], ['LF sans CR', 1]])
  mutations.push(kind)
  const quoted = /[^A-Za-z0-9'+_\-.]/.test(b) || rng.chance(0.3)
  const filePart = (field: string, disposition = `; filename="${req.name}"`): Buffer => Buffer.concat([
    latin1(`--${b}\r\nContent-Disposition: form-data; name="${field}"${disposition}\r\nContent-Type: application/xml\r\n\r\n`), req.content, latin1('\r\n')
  ])
  const field = (name: string, value: string): Buffer => latin1(`--${b}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`)
  const close = latin1(`--${b}--\r\n`)
  let parts: Buffer[] = [filePart('file'), close]
  let expected: Buffer | null = req.content
  let header = `multipart/form-data; boundary=${quoted ? `"${b}"` : b}`
  switch (kind) {
    case 'multipart': break
    case 'partie file absente': parts = [field('note', 'rien'), close]; expected = null; break
    case 'parties file dupliquées': parts = [filePart('file'), filePart('file'), close]; expected = null; break
    case 'autre nom de champ': parts = [filePart('fichier'), close]; expected = null; break
    case 'sans filename': parts = [filePart('file', ''), close]; expected = null; break
    case 'champ avant le fichier': parts = [field('commentaire', 'envoi du mois'), filePart('file'), close]; break
    case 'fin absente': parts = [filePart('file')]; expected = null; break
    case 'boundary différente': header = `multipart/form-data; boundary=${boundary(rng)}x`; expected = null; break
    case 'boundary dans le contenu': {
      const at = rng.int(req.content.length + 1)
      const content = Buffer.concat([req.content.subarray(0, at), latin1(`\r\n--${b}\r\n`), req.content.subarray(at)])
      parts = [latin1(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${req.name}"\r\n\r\n`), content, latin1('\r\n'), close]
      expected = null
      break
    }
    case 'trop de parties': parts = [...Array.from({ length: rng.between(6, 40) }, (_, i) => field(`f${i}`, 'x')), filePart('file'), close]; expected = null; break
    case 'filename*= (RFC 5987)': parts = [filePart('file', `; filename*=UTF-8''${encodeURIComponent(req.name)}`), close]; expected = null; break
    case 'Content-Type sans boundary': header = 'multipart/form-data'; expected = null; break
    case 'LF sans CR': parts = [latin1(Buffer.concat([filePart('file'), close]).toString('latin1').replace(/\r\n/g, '\n'))]; expected = null; break
  }
  return { bytes: Buffer.concat(parts), contentType: header, expected, path: '/api/v1/files' }
}

type Transport = 'Content-Length exact' | 'chunked' | 'envoi lent' | 'Content-Length trop court' | 'Content-Length trop long, coupé' |
  'Content-Length trop long, silence' | 'chunked coupé' | 'chunked invalide' | 'Content-Length et chunked' | 'Content-Length invalide' |
  'sans longueur' | 'Expect: 100-continue' | 'en-tête énorme' | 'HTTP/1.0'

function chunked (rng: Seeded, bytes: Buffer): Buffer[] {
  const out: Buffer[] = []
  for (let at = 0; at < bytes.length;) {
    const n = Math.min(bytes.length - at, rng.between(1, 256 << 10))
    out.push(latin1(`${n.toString(16)}\r\n`), bytes.subarray(at, at + n), latin1('\r\n'))
    at += n
  }
  out.push(latin1('0\r\n\r\n'))
  return out
}

/** Cuts `bytes` into 1–8 segments, each followed by a short pause. */
function slowly (rng: Seeded, bytes: Buffer): Segment[] {
  const out: Segment[] = []
  const cuts = [...Array.from({ length: rng.between(1, 8) }, () => rng.int(bytes.length + 1)), bytes.length].sort((a, b) => a - b)
  let from = 0
  for (const to of cuts) { out.push({ bytes: bytes.subarray(from, to), pauseMs: rng.between(1, 30) }); from = to }
  return out
}

export function buildUpload (rng: Seeded, req: WireRequest): WireCase {
  const mutations: string[] = []
  const body = req.clean || rng.chance(0.55) ? rawBody(rng, req, mutations) : multipartBody(rng, req, mutations)
  const transport: Transport = req.clean
    ? 'Content-Length exact'
    : weighted<Transport>(rng, [['Content-Length exact', 40], ['chunked', 10], ['envoi lent', 5], ['Content-Length trop court', 4], ['Content-Length trop long, coupé', 4],
      ['Content-Length trop long, silence', req.allowSilent ? 1 : 0], ['chunked coupé', 4], ['chunked invalide', 2], ['Content-Length et chunked', 2],
      ['Content-Length invalide', 3], ['sans longueur', 2], ['Expect: 100-continue', 3], ['en-tête énorme', 2], ['HTTP/1.0', 2]])
  if (transport !== 'Content-Length exact') mutations.push(transport)
  const keepAlive = transport === 'Content-Length trop court' || transport === 'sans longueur'
  const headers: string[] = [`Host: ${req.host}`, `Authorization: ${req.authorization}`]
  if (body.contentType !== null) headers.push(`Content-Type: ${body.contentType}`)
  if (!keepAlive) headers.push('Connection: close')
  const head = (extra: string[], version = '1.1'): Buffer => latin1(`POST ${body.path} HTTP/${version}\r\n${[...headers, ...extra].join('\r\n')}\r\n\r\n`)
  const n = body.bytes.length
  const cut = (): Buffer => body.bytes.subarray(0, rng.int(n + 1))
  const out = (segments: Segment[], mustAnswer: boolean, expected: Buffer | null, ending: WireCase['ending'] = 'wait'): WireCase =>
    ({ mutations, segments, ending, mustAnswer, expected })
  switch (transport) {
    case 'Content-Length exact': return out([{ bytes: head([`Content-Length: ${n}`]) }, { bytes: body.bytes }], true, body.expected)
    case 'HTTP/1.0': return out([{ bytes: head([`Content-Length: ${n}`], '1.0') }, { bytes: body.bytes }], true, body.expected)
    case 'chunked': return out([{ bytes: head(['Transfer-Encoding: chunked']) }, ...chunked(rng, body.bytes).map((bytes) => ({ bytes }))], true, body.expected)
    case 'envoi lent': return out([{ bytes: head([`Content-Length: ${n}`]), pauseMs: rng.int(20) }, ...slowly(rng, body.bytes)], true, body.expected)
    case 'Content-Length trop court': {
      const short = rng.int(n)
      const expected = body.expected === null || body.contentType?.startsWith('multipart/') === true ? null : body.bytes.subarray(0, short)
      return out([{ bytes: head([`Content-Length: ${short}`]) }, { bytes: body.bytes }], true, expected)
    }
    case 'Content-Length trop long, coupé': return out([{ bytes: head([`Content-Length: ${n + rng.between(1, 1 << 20)}`]) }, { bytes: cut(), pauseMs: rng.int(50) }], false, null, 'destroy')
    case 'Content-Length trop long, silence': return out([{ bytes: head([`Content-Length: ${n + rng.between(1, 1000)}`]) }, { bytes: cut() }], false, null)
    case 'chunked coupé': {
      const chunks = Buffer.concat(chunked(rng, body.bytes))
      return out([{ bytes: head(['Transfer-Encoding: chunked']) }, { bytes: chunks.subarray(0, rng.int(chunks.length - 4)), pauseMs: rng.int(50) }], false, null, 'destroy')
    }
    case 'chunked invalide': {
      // a size line HTTP refuses; or a one-byte chunk with a long extension, which the body's next bytes break (unless it ends there: then it is cut short)
      const line = rng.pick(['zz', '-1', 'fffffffffffffffffff', `1;x=${'y'.repeat(9000)}`, ''])
      const complete = !line.startsWith('1;') || (n >= 3 && body.bytes.subarray(1, 3).toString('latin1') !== '\r\n')
      return out([{ bytes: head(['Transfer-Encoding: chunked']) }, { bytes: latin1(`${line}\r\n`) }, { bytes: body.bytes }], complete, null)
    }
    case 'Content-Length et chunked': return out([{ bytes: head([`Content-Length: ${n}`, 'Transfer-Encoding: chunked']) }, ...chunked(rng, body.bytes).map((bytes) => ({ bytes }))], true, null)
    case 'Content-Length invalide': {
      const bogus = rng.pick([['Content-Length: abc'], ['Content-Length: -1'], ['Content-Length: 1e3'], [`Content-Length: ${n}`, `Content-Length: ${n + 1}`], [`Content-Length: ${n}, ${n}`], ['Content-Length: 99999999999999999999']])
      return out([{ bytes: head(bogus) }, { bytes: body.bytes }], true, null)
    }
    case 'sans longueur': return out([{ bytes: head([]) }, { bytes: body.bytes }], true, body.contentType?.startsWith('multipart/') === true ? null : Buffer.alloc(0))
    case 'Expect: 100-continue': return out([{ bytes: head([`Content-Length: ${n}`, 'Expect: 100-continue']), pauseMs: 20 }, { bytes: body.bytes }], true, body.expected)
    case 'en-tête énorme': return out([{ bytes: head([`Content-Length: ${n}`, `X-Remplissage: ${'x'.repeat(rng.between(17 << 10, 64 << 10))}`]) }, { bytes: body.bytes }], true, null)
  }
}
