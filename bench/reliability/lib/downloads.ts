import { createHash } from 'node:crypto'
import { request, type Agent } from 'node:http'
import { performance } from 'node:perf_hooks'
import { basicAuth, codeOf, json, send } from './http.js'

/** Downloads as a département's software makes them, timed from the request to the last byte, checked against the listing. */

export interface Stock {
  name: string
  size: number
  sha256: string
  authorization: string
}

interface Listed { name: string, kind: string, periodicity: string | null, size: number, sha256: string }

/** The département's monthly PECGM, as its own listing gives it (null when it has none). */
export async function monthlyStock (url: string, departement: string, password: string, options: { agent?: Agent, localAddress?: string } = {}): Promise<Stock | null> {
  const authorization = basicAuth(`dept${departement}`, password)
  const res = await send(`${url}/api/v1/files`, { headers: { authorization }, ...options })
  if (res.status !== 200) throw new Error(`liste de ${departement} : statut ${res.status} ${res.body.toString('utf8').slice(0, 200)}`)
  const f = json<{ files: Listed[] }>(res).files.find((x) => x.kind === 'PECGM' && x.periodicity === 'M')
  return f === undefined ? null : { name: f.name, size: f.size, sha256: f.sha256, authorization }
}

export interface Downloaded {
  status: number
  ms: number
  /** what is wrong with it: a status other than 200, bytes missing, another SHA-256, no answer; null when whole */
  problem: string | null
  retryAfter: string | undefined
  /** the error body's code, when it is not a 200 */
  code: string | null
}

/** Downloads the file, hashing it as it comes (the client checks what it gets: that is in the time). */
export function download (url: string, file: Stock, options: { agent?: Agent | false, localAddress?: string } = {}): Promise<Downloaded> {
  const start = performance.now()
  return new Promise((resolve) => {
    const req = request(`${url}/api/v1/files/${encodeURIComponent(file.name)}`, {
      headers: { authorization: file.authorization },
      ...(options.agent === undefined ? {} : { agent: options.agent }),
      ...(options.localAddress === undefined ? {} : { localAddress: options.localAddress })
    }, (res) => {
      const hash = createHash('sha256')
      let bytes = 0
      const head: Buffer[] = []
      res.on('data', (c: Buffer) => {
        hash.update(c)
        bytes += c.length
        if (res.statusCode !== 200 && head.length < 4) head.push(c)
      })
      res.on('end', () => {
        const ms = performance.now() - start
        const status = res.statusCode ?? 0
        const retryAfter = res.headers['retry-after']
        const code = status === 200 ? null : codeOf({ body: Buffer.concat(head) })
        if (status !== 200) resolve({ status, ms, retryAfter, code, problem: `statut ${status} : ${Buffer.concat(head).toString('utf8').slice(0, 200)}` })
        else if (bytes !== file.size) resolve({ status, ms, retryAfter, code, problem: `${bytes} octets reçus sur ${file.size}` })
        else if (hash.digest('hex') !== file.sha256) resolve({ status, ms, retryAfter, code, problem: 'SHA-256 différent de celui de la liste' })
        else resolve({ status, ms, retryAfter, code, problem: null })
      })
      res.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, ms: performance.now() - start, retryAfter: undefined, code: null, problem: `coupé : ${err.code ?? err.message}` }))
    })
    req.on('error', (err: NodeJS.ErrnoException) => resolve({ status: 0, ms: performance.now() - start, retryAfter: undefined, code: null, problem: `pas de réponse : ${err.code ?? err.message}` }))
    req.end()
  })
}
