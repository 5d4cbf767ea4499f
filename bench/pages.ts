import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomically } from '../src/cli/output.js'
import { cgpemChunks } from '../src/generate/cgpem-file.js'
import { sampleOrientations } from '../src/generate/cgpem-sample.js'
import { todayDay } from '../src/layouts/dates.js'
import { packageRoot } from '../src/paths.js'
import { loadScenarioFile } from '../src/scenarios/load.js'
import { median, pairRatios, type BenchResult } from './result.js'
import { CONNECTIONS, LOAD_SECONDS, requestsPerSecond, startChild, stopChild } from './support.js'

/**
 * The partner interface against the JSON API, measured in the same run and
 * interleaved: « Mes fichiers » for a département with 1,000 files against
 * GET /api/v1/files of the same files; an upload through the form against
 * the API's raw upload of the same file.
 */

const RUNS = 4
const FILES = 1000
const CGPEM_RECORDS = 40_000
const READ_CHUNK = 1 << 20

interface Child {
  url: string
  password: string
  session: string
  session77: string
  csrf77: string
  files: number
}

/** MB/s of an upload, from the first byte sent to the answer received: raw to the API, or multipart as the form sends it. */
function upload (base: string, path: string, name: string, as: { authorization: string } | { cookie: string, csrf: string }): Promise<number> {
  const size = statSync(path).size
  const form = 'cookie' in as
  const boundary = '----phebusbench7f3a'
  const head = Buffer.from(form ? `--${boundary}\r\nContent-Disposition: form-data; name="_csrf"\r\n\r\n${as.csrf}\r\n--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: application/xml\r\n\r\n` : '')
  const tail = Buffer.from(form ? `\r\n--${boundary}--\r\n` : '')
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const req = request(form ? `${base}/envoi` : `${base}/api/v1/files?name=${name}`, {
      method: 'POST',
      headers: form
        ? { cookie: `phebus_session=${as.cookie}`, origin: base, 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + size + tail.length }
        : { authorization: as.authorization, 'content-type': 'application/octet-stream', 'content-length': size }
    }, (res) => {
      res.resume()
      res.on('end', () => {
        const ok = form ? res.statusCode === 303 && /^\/rapports\//.test(res.headers.location ?? '') : res.statusCode === 201
        if (!ok) reject(new Error(`${form ? 'form' : 'API'} upload: ${res.statusCode ?? '?'}`))
        else resolve(size / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9))
      })
    })
    req.on('error', reject)
    req.write(head)
    const body = createReadStream(path, { highWaterMark: READ_CHUNK })
    body.on('end', () => { req.end(tail) })
    body.pipe(req, { end: false })
  })
}

export async function benchPages (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-pages-'))
  const child = await startChild<Child>('pages-child', [join(dir, 'data'), String(FILES)])
  try {
    const scenario = await loadScenarioFile(join(packageRoot(), 'scenarios', 'demo.yaml'))
    const today = todayDay()
    const cgpem = join(dir, 'cgpem.xml')
    await writeFileAtomically(cgpem, cgpemChunks(sampleOrientations({ scenario, departement: '77', referenceDay: today, today, records: CGPEM_RECORDS }), 'xml'))
    const basic13 = { authorization: `Basic ${Buffer.from(`dept13:${child.password}`).toString('base64')}` }
    const basic77 = { authorization: `Basic ${Buffer.from('dept77:demo-77').toString('base64')}` }
    const page13 = { cookie: `phebus_session=${child.session}` }
    const form77 = { cookie: child.session77, csrf: child.csrf77 }

    // warm-up: JIT, TCP windows, page cache, the list and its rows
    await requestsPerSecond(`${child.url}/api/v1/files`, basic13)
    await requestsPerSecond(`${child.url}/fichiers`, page13)
    await upload(child.url, cgpem, 'warm-api.xml', basic77)
    await upload(child.url, cgpem, 'warm-form.xml', form77)
    const api: number[] = []
    const pages: number[] = []
    const apiUploads: number[] = []
    const formUploads: number[] = []
    for (let i = 0; i < RUNS; i++) {
      api.push(await requestsPerSecond(`${child.url}/api/v1/files`, basic13))
      pages.push(await requestsPerSecond(`${child.url}/fichiers`, page13))
      // each first in turn: what runs just after the load above pays for its aftermath
      if (i % 2 === 0) apiUploads.push(await upload(child.url, cgpem, `api-${i}.xml`, basic77))
      formUploads.push(await upload(child.url, cgpem, `form-${i}.xml`, form77))
      if (i % 2 === 1) apiUploads.push(await upload(child.url, cgpem, `api-${i}.xml`, basic77))
    }
    const mb = Math.round(statSync(cgpem).size / 1e6)
    return [
      {
        name: `pages : « Mes fichiers », département de ${child.files} fichiers (session)`,
        value: median(pages),
        unit: 'pages/s',
        reference: { name: 'GET /api/v1/files des mêmes fichiers (HTTP Basic)', value: median(api) },
        pairs: pairRatios(pages, api),
        target: '≥ 50 % de la référence',
        note: `${CONNECTIONS} connexions, ${LOAD_SECONDS} s ; autocannon tourne dans un processus à lui, le serveur dans un autre`
      },
      {
        name: `pages : envoi par le formulaire d'un CGPEM de ${mb} Mo (multipart, jeton du formulaire)`,
        value: median(formUploads),
        unit: 'Mo/s',
        reference: { name: 'envoi brut du même fichier par l\'API', value: median(apiUploads) },
        pairs: pairRatios(formUploads, apiUploads),
        target: '≥ 80 % de la référence',
        note: 'département 77, qualification pas commencée ; du premier octet envoyé à la réponse (303 vers le rapport, 201)'
      }
    ]
  } finally {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
  }
}
