import { Agent, request, type IncomingHttpHeaders } from 'node:http'
import { connect } from 'node:net'

/** Real HTTP over loopback: node:http for well-formed requests, a raw socket for the fuzzer's malformed ones. */

export interface Answer {
  status: number
  headers: IncomingHttpHeaders
  body: Buffer
}

export interface SendOptions {
  method?: string
  headers?: Record<string, string | number>
  body?: Buffer | string
  /** the client's address on loopback (127.x.y.z): lock-outs count per address */
  localAddress?: string
  agent?: Agent
}

export function basicAuth (user: string, password: string): string {
  return `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`
}

export function send (url: string, options: SendOptions = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body)
    const headers = { ...options.headers, ...(body === undefined ? {} : { 'content-length': body.length }) }
    const req = request(url, {
      method: options.method ?? 'GET',
      headers,
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress }),
      ...(options.agent === undefined ? {} : { agent: options.agent })
    }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (c: Buffer) => chunks.push(c))
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }))
      res.on('error', reject)
    })
    req.on('error', reject)
    req.end(body)
  })
}

export function json<T> (a: Answer): T {
  return JSON.parse(a.body.toString('utf8')) as T
}

/** The error body's code, or null when the body is not JSON with a string `code`. */
export function codeOf (a: { body: Buffer }): string | null {
  try {
    const v = JSON.parse(a.body.toString('utf8')) as { code?: unknown }
    return typeof v === 'object' && v !== null && typeof v.code === 'string' ? v.code : null
  } catch {
    return null
  }
}

/** One step of a raw exchange: bytes to write, then a pause. */
export interface Segment {
  bytes: Buffer
  pauseMs?: number
}

export interface RawOutcome {
  responses: Answer[]
  /** every segment was written */
  sent: boolean
  /** how the connection ended: closed by the server (FIN), reset, or cut by us */
  ended: 'closed' | 'reset' | 'destroyed' | 'timeout'
  error: string | null
}

export interface RawOptions {
  /** after the last segment: wait for the server, or cut the connection (a client that dies mid-request) */
  ending: 'wait' | 'destroy'
  /** stop waiting this long after the last byte sent or received */
  quietMs: number
}

/**
 * Writes bytes as they are (malformed framing included) on a fresh
 * connection and reads every response the server sends back until it closes
 * the connection, or nothing has come for `quietMs`.
 */
export function rawExchange (url: string, segments: readonly Segment[], options: RawOptions): Promise<RawOutcome> {
  const u = new URL(url)
  return new Promise((resolve) => {
    const parser = new ResponseParser()
    let sent = false
    let error: string | null = null
    let settled = false
    let quiet: NodeJS.Timeout | null = null
    const socket = connect({ host: u.hostname, port: Number(u.port) })
    const finish = (ended: RawOutcome['ended']): void => {
      if (settled) return
      settled = true
      if (quiet !== null) clearTimeout(quiet)
      socket.destroy()
      resolve({ responses: parser.responses, sent, ended, error })
    }
    const arm = (): void => {
      if (quiet !== null) clearTimeout(quiet)
      quiet = setTimeout(() => finish('timeout'), options.quietMs)
    }
    socket.on('data', (c: Buffer) => { parser.push(c); arm() })
    socket.on('end', () => { parser.end(); finish('closed') })
    socket.on('error', (err: NodeJS.ErrnoException) => {
      error = err.code ?? err.message
      parser.end()
      finish(err.code === 'ECONNRESET' || err.code === 'EPIPE' ? 'reset' : 'closed')
    })
    socket.on('close', () => { parser.end(); finish('closed') })
    const write = async (): Promise<void> => {
      for (const s of segments) {
        if (settled || socket.destroyed) return
        if (s.bytes.length > 0 && !socket.write(s.bytes)) await new Promise((resolve) => socket.once('drain', resolve))
        if (s.pauseMs !== undefined && s.pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, s.pauseMs))
      }
      sent = true
      if (options.ending === 'destroy') finish('destroyed')
      else arm()
    }
    socket.once('connect', () => { write().catch(() => finish('reset')) })
  })
}

/**
 * HTTP/1.1 responses out of a byte stream, as many as come: bodies framed by
 * Content-Length, chunked encoding, or the end of the connection.
 */
export class ResponseParser {
  readonly responses: Answer[] = []
  private buffer: Buffer = Buffer.alloc(0)
  private current: { status: number, headers: IncomingHttpHeaders, length: number | 'chunked' | 'close', chunks: Buffer[] } | null = null
  private done = false

  push (chunk: Buffer): void {
    if (this.done) return
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk])
    while (this.step()) { /* keep parsing */ }
  }

  end (): void {
    if (this.done) return
    this.done = true
    if (this.current !== null && this.current.length === 'close') {
      this.current.chunks.push(this.buffer)
      this.emit()
    }
  }

  private step (): boolean {
    if (this.current === null) {
      const end = this.buffer.indexOf('\r\n\r\n')
      if (end < 0) return false
      const head = this.buffer.subarray(0, end).toString('latin1').split('\r\n')
      this.buffer = this.buffer.subarray(end + 4)
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head[0] ?? '')?.[1] ?? 0)
      const headers: IncomingHttpHeaders = {}
      for (const line of head.slice(1)) {
        const i = line.indexOf(':')
        if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim()
      }
      const te = String(headers['transfer-encoding'] ?? '').toLowerCase()
      const cl = headers['content-length']
      const bodiless = status === 204 || status === 304 || (status >= 100 && status < 200)
      this.current = { status, headers, length: bodiless ? 0 : te.includes('chunked') ? 'chunked' : cl !== undefined ? Number(cl) : 'close', chunks: [] }
      if (status === 100) { this.current = null; return true } // 100 Continue: the real answer follows
      return true
    }
    const c = this.current
    if (typeof c.length === 'number') {
      if (this.buffer.length < c.length) return false
      c.chunks.push(this.buffer.subarray(0, c.length))
      this.buffer = this.buffer.subarray(c.length)
      this.emit()
      return true
    }
    if (c.length === 'chunked') {
      const eol = this.buffer.indexOf('\r\n')
      if (eol < 0) return false
      const size = parseInt(this.buffer.subarray(0, eol).toString('latin1'), 16)
      if (Number.isNaN(size)) { this.done = true; return false }
      if (size === 0) {
        const end = this.buffer.indexOf('\r\n\r\n', eol)
        if (end < 0) return false
        this.buffer = this.buffer.subarray(end + 4)
        this.emit()
        return true
      }
      if (this.buffer.length < eol + 2 + size + 2) return false
      c.chunks.push(this.buffer.subarray(eol + 2, eol + 2 + size))
      this.buffer = this.buffer.subarray(eol + 2 + size + 2)
      return true
    }
    return false // 'close': the body runs to the end of the connection
  }

  private emit (): void {
    const c = this.current
    if (c === null) return
    this.responses.push({ status: c.status, headers: c.headers, body: Buffer.concat(c.chunks) })
    this.current = null
  }
}

/** A keep-alive agent for a run of well-formed requests; destroy() it at the end. */
export function keepAliveAgent (): Agent {
  return new Agent({ keepAlive: true, maxSockets: 16 })
}
