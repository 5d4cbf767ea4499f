import type { ChildProcess } from 'node:child_process'
import { createReadStream, mkdtempSync, rmSync, statSync } from 'node:fs'
import { request } from 'node:http'
import { connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomically } from '../src/cli/output.js'
import { cgpemChunks } from '../src/generate/cgpem-file.js'
import { sampleOrientations } from '../src/generate/cgpem-sample.js'
import { todayDay } from '../src/layouts/dates.js'
import { packageRoot } from '../src/paths.js'
import { loadScenarioFile } from '../src/scenarios/load.js'
import { CgpemValidator } from '../src/validate/validator.js'
import { median, type BenchResult } from './result.js'
import { CONNECTIONS, LOAD_SECONDS, requestsPerSecond, startChild, stopChild } from './support.js'

/**
 * The server against its references, measured in the same run, interleaved
 * (the machine is shared): the server runs in a child process, the load
 * generator (autocannon, plain http) in another (bench/load-child.ts), over
 * loopback; this process only drives them, and measures the downloads and
 * uploads between two loads.
 */

const RUNS = 3
const PECGM_RECORDS = 100_000
const CGPEM_RECORDS = 40_000
const READ_CHUNK = 1 << 20
const AUTH = `Basic ${Buffer.from('dept77:demo-77').toString('base64')}`

interface Child {
  process: ChildProcess
  url: string
  file: string
  path: string
  /** the password of dept13, a département outside the scenario */
  dept13: string
}

/**
 * MB/s (10^6 bytes) of a download, read with one reused 1 MiB buffer and
 * dropped. Node's http client tops out around 0.6 GB/s here, below what the
 * server sends: a lean reader measures the server, not the client.
 */
function download (url: string): Promise<number> {
  const u = new URL(url)
  const buffer = Buffer.allocUnsafe(READ_CHUNK)
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    let head = ''
    let status = 0
    let expected = -1
    let body = 0
    const socket = connect({
      host: u.hostname,
      port: Number(u.port),
      onread: {
        buffer,
        callback: (n: number) => {
          if (expected < 0) {
            head += buffer.toString('latin1', 0, n)
            const end = head.indexOf('\r\n\r\n')
            if (end < 0) return true
            status = Number(head.slice(9, 12))
            expected = Number(/\r\ncontent-length: *([0-9]+)/i.exec(head)?.[1] ?? 'NaN')
            body = head.length - end - 4
          } else {
            body += n
          }
          return true
        }
      }
    }, () => {
      socket.write(`GET ${u.pathname} HTTP/1.1\r\nHost: ${u.host}\r\nAuthorization: ${AUTH}\r\nConnection: close\r\n\r\n`)
    })
    socket.on('error', reject)
    socket.on('end', () => {
      if (status !== 200 || body !== expected) reject(new Error(`download: status ${status}, ${body} bytes of ${expected}`))
      else resolve(body / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9))
    })
  })
}

async function readFromDisk (path: string): Promise<number> {
  const start = process.hrtime.bigint()
  let bytes = 0
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) bytes += (chunk as Buffer).length
  return bytes / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9)
}

async function validateAlone (path: string): Promise<number> {
  const start = process.hrtime.bigint()
  const v = new CgpemValidator({ today: todayDay() })
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) v.push(chunk as Buffer)
  v.end()
  return statSync(path).size / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9)
}

/** MB/s of a raw upload, from the first byte sent to the report received. */
function upload (base: string, path: string, name: string, authorization = AUTH): Promise<number> {
  const size = statSync(path).size
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint()
    const req = request(`${base}/api/v1/files?name=${name}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/octet-stream', 'content-length': size }
    }, (res) => {
      res.resume()
      res.on('end', () => {
        if (res.statusCode !== 201 && res.statusCode !== 422) reject(new Error(`upload: ${res.statusCode ?? '?'}`))
        else resolve(size / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9))
      })
    })
    req.on('error', reject)
    createReadStream(path, { highWaterMark: READ_CHUNK }).pipe(req)
  })
}

export async function benchServer (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-server-'))
  const child = await startChild<Omit<Child, 'process'>>('server-child', [join(dir, 'data'), String(PECGM_RECORDS)])
  try {
    const scenario = await loadScenarioFile(join(packageRoot(), 'scenarios', 'demo.yaml'))
    const today = todayDay()
    const cgpem = join(dir, 'cgpem.xml')
    await writeFileAtomically(cgpem, cgpemChunks(sampleOrientations({ scenario, departement: '77', referenceDay: today, today, records: CGPEM_RECORDS }), 'xml'))

    // warm-up: JIT, TCP windows, page cache
    await requestsPerSecond(`${child.url}/livez`)
    await download(`${child.url}/api/v1/files/${child.file}`)
    await readFromDisk(child.path)
    const livez: number[] = []
    const files: number[] = []
    const downloads: number[] = []
    const disk: number[] = []
    const uploads: number[] = []
    const plainUploads: number[] = []
    const alone: number[] = []
    const dept13 = `Basic ${Buffer.from(`dept13:${child.dept13}`).toString('base64')}`
    for (let i = 0; i < RUNS; i++) {
      livez.push(await requestsPerSecond(`${child.url}/livez`))
      files.push(await requestsPerSecond(`${child.url}/api/v1/files`, { authorization: AUTH }))
      downloads.push(await download(`${child.url}/api/v1/files/${child.file}`))
      disk.push(await readFromDisk(child.path))
      uploads.push(await upload(child.url, cgpem, `bench-${i}.xml`))
      plainUploads.push(await upload(child.url, cgpem, `bench-${i}.xml`, dept13))
      alone.push(await validateAlone(cgpem))
    }
    const pecgmMB = Math.round(statSync(child.path).size / 1e6)
    const cgpemMB = Math.round(statSync(cgpem).size / 1e6)
    return [
      {
        name: 'serveur : GET /api/v1/files authentifié (HTTP Basic)',
        value: median(files),
        unit: 'requêtes/s',
        reference: { name: 'GET /livez sans authentification (la même pile de requête, sans identifiants ni travail : le plafond du serveur)', value: median(livez) },
        target: '≥ 85 % de la référence',
        note: `${CONNECTIONS} connexions, ${LOAD_SECONDS} s chacune, en alternance ; autocannon tourne dans un processus à lui, le serveur dans un autre`
      },
      {
        name: `serveur : téléchargement d'un PECGM de ${pecgmMB} Mo`,
        value: median(downloads),
        unit: 'Mo/s',
        reference: { name: 'lecture du même fichier sur disque, flux de 1 Mio', value: median(disk) },
        target: '≥ 1 000 Mo/s'
      },
      {
        name: `serveur : envoi et validation d'un CGPEM de ${cgpemMB} Mo`,
        value: median(uploads),
        unit: 'Mo/s',
        reference: { name: 'validateur seul sur le même fichier', value: median(alone) },
        target: '≥ 0,9 × le validateur seul (issue 13)',
        note: 'département 77 du scénario : avec le travail de la qualification (orientations gardées, rapprochement, PECGM de réponse)'
      },
      {
        name: `serveur : envoi et validation d'un CGPEM de ${cgpemMB} Mo, département hors scénario`,
        value: median(plainUploads),
        unit: 'Mo/s',
        reference: { name: 'validateur seul sur le même fichier', value: median(alone) },
        target: '≥ 0,9 × le validateur seul (issue 13)',
        note: 'département 13 créé par l\'admin : pas de campagne de qualification'
      }
    ]
  } finally {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
  }
}
