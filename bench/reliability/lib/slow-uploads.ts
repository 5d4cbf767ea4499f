import { createHash } from 'node:crypto'
import { request } from 'node:http'
import { demoPassword } from './cgpem.js'
import { basicAuth } from './http.js'
import type { Seeded } from './seeded.js'

/** Large CGPEMs sent slowly, by 64 KiB pieces, from several clients: what a kill -9 cuts. */

export const CHUNK = 64 << 10
export const UPLOADERS = ['77', '93', '971'] as const

export interface Upload {
  name: string
  departement: string
  sha256: string
  size: number
  started: boolean
  /** bytes written so far */
  sent: number
  /** when the last byte was written (Date.now()), or null */
  lastByteAt: number | null
  /** the answer's status; null while there is none, or when the connection died */
  status: number | null
  /** the upload is over: answered, or its connection gone */
  over: boolean
}

export const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

function slowUpload (url: string, u: Upload, body: Buffer, pauseMs: number): Promise<void> {
  return new Promise((resolve) => {
    const done = (status: number | null): void => { u.status = status; u.over = true; resolve() }
    const req = request(`${url}/api/v1/files?name=${u.name}`, {
      method: 'POST',
      headers: { authorization: basicAuth(`dept${u.departement}`, demoPassword(u.departement)), 'content-type': 'application/octet-stream', 'content-length': body.length }
    }, (res) => {
      res.resume()
      res.on('end', () => done(res.statusCode ?? null))
      res.on('error', () => done(null))
    })
    req.on('error', () => done(null))
    const write = async (): Promise<void> => {
      for (let at = 0; at < body.length && !req.destroyed; at += CHUNK) {
        req.write(body.subarray(at, at + CHUNK))
        u.sent = Math.min(body.length, at + CHUNK)
        if (u.sent === body.length) u.lastByteAt = Date.now()
        await delay(pauseMs)
      }
      if (!req.destroyed) req.end()
    }
    write().catch(() => done(null))
  })
}

export interface Load {
  uploads: Upload[]
  /** resolves once every upload is answered, cut, or held back */
  done: Promise<unknown>
  /** the uploads not yet started never will (the server is about to die) */
  hold: () => void
}

/** Starts `count` uploads, about `spacingMs` apart, each of the body of its département. */
export function startUploads (url: string, rng: Seeded, tag: string, count: number, bodies: Map<string, Buffer>, pauseMs: number, spacingMs: number): Load {
  const uploads: Upload[] = []
  const pending: Promise<void>[] = []
  let held = false
  for (let j = 0; j < count; j++) {
    const departement = UPLOADERS[j % UPLOADERS.length] as string
    const body = bodies.get(departement) as Buffer
    const u: Upload = { name: `kill-${tag}-${j}.xml`, departement, sha256: createHash('sha256').update(body).digest('hex'), size: body.length, started: false, sent: 0, lastByteAt: null, status: null, over: false }
    uploads.push(u)
    pending.push(delay(j * spacingMs + rng.int(spacingMs)).then(async () => {
      if (held) { u.over = true; return }
      u.started = true
      await slowUpload(url, u, body, pauseMs)
    }))
  }
  return { uploads, done: Promise.all(pending), hold: () => { held = true } }
}
