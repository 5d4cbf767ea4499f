import { connect, type Socket } from 'node:net'
import { ResponseParser, type Answer } from './http.js'

/**
 * One client connection held open on purpose, written to by hand: a
 * keep-alive connection that goes quiet, an upload that sends a few bytes
 * now and then, or a request among many sent at once. Each response is read
 * as it comes (http.ts's parser); `next()` waits for the following one, or
 * tells that the connection closed without it.
 */
export class Connection {
  readonly socket: Socket
  /** the connection is gone (closed by either side, or reset) */
  closed = false
  /** why it closed, when it was an error (ECONNRESET…) */
  error: string | null = null
  private readonly parser = new ResponseParser()
  private taken = 0
  private waiting: (() => void)[] = []

  constructor (url: string, localAddress?: string) {
    const u = new URL(url)
    this.socket = connect({ host: u.hostname, port: Number(u.port), ...(localAddress === undefined ? {} : { localAddress }) })
    this.socket.on('data', (c: Buffer) => { this.parser.push(c); this.wake() })
    this.socket.on('error', (err: NodeJS.ErrnoException) => { this.error = err.code ?? err.message })
    this.socket.on('close', () => { this.parser.end(); this.closed = true; this.wake() })
  }

  /** Resolves once connected, or false if it could not be. */
  connected (): Promise<boolean> {
    if (this.closed) return Promise.resolve(false)
    if (!this.socket.connecting) return Promise.resolve(true)
    return new Promise((resolve) => {
      this.socket.once('connect', () => resolve(true))
      this.socket.once('close', () => resolve(false))
    })
  }

  write (bytes: Buffer | string): void {
    if (!this.closed && !this.socket.destroyed) this.socket.write(bytes)
  }

  /** The next response on this connection; null if it closed first, or none came within `timeoutMs`. */
  async next (timeoutMs: number): Promise<Answer | null> {
    const deadline = Date.now() + timeoutMs
    while (this.parser.responses.length <= this.taken && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, deadline - Date.now())
        this.waiting.push(() => { clearTimeout(timer); resolve() })
      })
    }
    const a = this.parser.responses[this.taken]
    if (a === undefined) return null
    this.taken++
    return a
  }

  close (): void {
    this.socket.destroy()
  }

  private wake (): void {
    const w = this.waiting
    this.waiting = []
    for (const f of w) f()
  }
}

/** A request's bytes, HTTP/1.1, the connection kept alive. */
export function requestBytes (method: string, path: string, headers: Record<string, string | number>, body?: Buffer): Buffer {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)]
  if (body !== undefined) lines.push(`Content-Length: ${body.length}`)
  const head = Buffer.from(`${lines.join('\r\n')}\r\n\r\n`, 'latin1')
  return body === undefined ? head : Buffer.concat([head, body])
}
