import type { FastifyInstance, LightMyRequestResponse } from 'fastify'
import { randomBytes } from 'node:crypto'

/**
 * A browser as far as the pages care, over app.inject: a cookie jar, the
 * form token of the last page read, same-origin headers on every POST.
 */
export class PageClient {
  readonly cookies = new Map<string, string>()
  /** the _csrf of the last page read */
  token = ''

  constructor (private readonly app: FastifyInstance, readonly address = '127.0.0.1') {}

  private cookieHeader (): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep (res: LightMyRequestResponse): LightMyRequestResponse {
    for (const c of res.cookies as { name: string, value: string, maxAge?: number, expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (m !== null) this.token = m[1] as string
    return res
  }

  async get (url: string, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    return this.keep(await this.app.inject({ method: 'GET', url, remoteAddress: this.address, headers: { accept: 'text/html', cookie: this.cookieHeader(), ...headers } }))
  }

  /** Posts a urlencoded form; its token is the last page's unless the fields say otherwise. */
  async post (url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> {
    const body = new URLSearchParams({ _csrf: this.token, ...fields }).toString()
    return this.keep(await this.app.inject({ method: 'POST', url, remoteAddress: this.address, payload: body, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80', cookie: this.cookieHeader(), ...headers } }))
  }

  /** Posts a file as the upload form does: the token field first, then the file part. */
  async upload (url: string, filename: string, content: Buffer, token = this.token): Promise<LightMyRequestResponse> {
    const b = `----phebus${randomBytes(8).toString('hex')}`
    const payload = Buffer.concat([
      Buffer.from(token === '' ? '' : `--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${b}--\r\n`)
    ])
    return this.keep(await this.app.inject({ method: 'POST', url, remoteAddress: this.address, payload, headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${b}`, origin: 'http://localhost:80', cookie: this.cookieHeader() } }))
  }

  /** Logs in through the login form; the answer of the POST. */
  async login (username: string, password: string): Promise<LightMyRequestResponse> {
    await this.get('/')
    return await this.post('/connexion', { identifiant: username, motDePasse: password })
  }
}

/** The text of an HTML page, tags removed and entities of the templates decoded, spaces collapsed. */
export function textOf (html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '').replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ').trim()
}
