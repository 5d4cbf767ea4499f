import type { FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'

/** What the tests read of an answer, over app.inject or over a socket. */
export interface PageResponse {
  statusCode: number
  headers: Record<string, string | string[] | undefined>
  body: string
  rawPayload: Buffer
  cookies: { name: string, value: string, maxAge?: number }[]
  json: () => any
}

interface Request {
  method: 'GET' | 'POST'
  url: string
  headers: Record<string, string>
  payload?: string | Buffer
}

/** Over a listening server: fetch, redirects not followed, Set-Cookie read as a browser would. */
async function overSocket (base: string, r: Request): Promise<PageResponse> {
  const res = await fetch(new URL(r.url, base), { method: r.method, headers: r.headers, body: r.payload, redirect: 'manual' })
  const rawPayload = Buffer.from(await res.arrayBuffer())
  const headers: Record<string, string> = {}
  res.headers.forEach((v, k) => { headers[k] = v })
  const cookies = res.headers.getSetCookie().map((line) => {
    const [pair = '', ...attrs] = line.split(';')
    const eq = pair.indexOf('=')
    const maxAge = attrs.map((a) => /^\s*max-age=(-?\d+)/i.exec(a)?.[1]).find((x) => x !== undefined)
    return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), ...(maxAge === undefined ? {} : { maxAge: Number(maxAge) }) }
  })
  const body = rawPayload.toString('utf8')
  return { statusCode: res.status, headers, body, rawPayload, cookies, json: () => JSON.parse(body) }
}

/**
 * A browser as far as the pages care, over app.inject: a cookie jar, the
 * form token of the last page read, same-origin headers on every POST.
 */
export class PageClient {
  readonly cookies = new Map<string, string>()
  /** the _csrf of the last page read */
  token = ''

  /** over app.inject from `address`; over a socket when `base` (the listening server's URL) is given */
  constructor (private readonly app: FastifyInstance, readonly address = '127.0.0.1', private readonly base: string | null = null) {}

  private async send (r: Request): Promise<PageResponse> {
    if (this.base !== null) return await overSocket(this.base, { ...r, headers: { ...r.headers, ...(r.method === 'POST' ? { origin: new URL(this.base).origin } : {}) } })
    const res = await this.app.inject({ method: r.method, url: r.url, remoteAddress: this.address, headers: r.headers, ...(r.payload === undefined ? {} : { payload: r.payload }) })
    return res as unknown as PageResponse
  }

  private cookieHeader (): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ')
  }

  private keep (res: PageResponse): PageResponse {
    for (const c of res.cookies as { name: string, value: string, maxAge?: number, expires?: Date }[]) {
      if (c.value === '' || c.maxAge === 0 || (c.expires !== undefined && c.expires.getTime() <= Date.now())) this.cookies.delete(c.name)
      else this.cookies.set(c.name, c.value)
    }
    const m = /name="_csrf" value="([^"]+)"/.exec(res.body)
    if (m !== null) this.token = m[1] as string
    return res
  }

  async get (url: string, headers: Record<string, string> = {}): Promise<PageResponse> {
    return this.keep(await this.send({ method: 'GET', url, headers: { accept: 'text/html', cookie: this.cookieHeader(), ...headers } }))
  }

  /** Posts a urlencoded form; its token is the last page's unless the fields say otherwise. */
  async post (url: string, fields: Record<string, string>, headers: Record<string, string> = {}): Promise<PageResponse> {
    const body = new URLSearchParams({ _csrf: this.token, ...fields }).toString()
    return this.keep(await this.send({ method: 'POST', url, payload: body, headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost:80', cookie: this.cookieHeader(), ...headers } }))
  }

  /** Posts a file as the upload form does: the token field first, then the file part. */
  async upload (url: string, filename: string, content: Buffer, token = this.token): Promise<PageResponse> {
    const b = `----phebus${randomBytes(8).toString('hex')}`
    const payload = Buffer.concat([
      Buffer.from(token === '' ? '' : `--${b}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${token}\r\n`),
      Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      content,
      Buffer.from(`\r\n--${b}--\r\n`)
    ])
    return this.keep(await this.send({ method: 'POST', url, payload, headers: { accept: 'text/html', 'content-type': `multipart/form-data; boundary=${b}`, origin: 'http://localhost:80', cookie: this.cookieHeader() } }))
  }

  /** Logs in through the login form; the answer of the POST. */
  async login (username: string, password: string): Promise<PageResponse> {
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
