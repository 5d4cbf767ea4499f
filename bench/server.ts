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
import { findProgram, measured } from './process.js'
import { fmt, median, pairRatios, type BenchResult } from './result.js'
import { collectGarbage, CONNECTIONS, LOAD_SECONDS, requestsPerSecond, startChild, stopChild, threadsSpent, threadTimes } from './support.js'

/**
 * The server against its references, measured in the same run, interleaved
 * (the machine is shared): the server runs in a child process, the load
 * generator (autocannon, plain http) in another (bench/load-child.ts), over
 * loopback; this process only drives them, and measures the downloads and
 * uploads between two loads.
 */

const RUNS = 3
/** Uploads vary more than the loads from one run to the next, and cost a second each: more of them, for a steadier median. */
const UPLOAD_RUNS = 7
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

/** Milliseconds of processor this process has used (all its threads). */
function ownProcessor (): number {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e3
}

/** MB/s of the validator alone on the file (read in 1 MiB chunks), in this process; `cpu` collects its processor time. */
async function validateAlone (path: string, cpu: number[]): Promise<number> {
  const start = process.hrtime.bigint()
  const cpu0 = ownProcessor()
  const v = new CgpemValidator({ today: todayDay() })
  for await (const chunk of createReadStream(path, { highWaterMark: READ_CHUNK })) v.push(chunk as Buffer)
  v.end()
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  cpu.push(ownProcessor() - cpu0)
  return statSync(path).size / 1e6 / seconds
}

/** Where an upload's processor time went (ms): the server's main thread, its other threads, the client. */
interface UploadProcessor { main: number, others: number, client: number }

/**
 * The client of the uploads: curl in a process of its own, as the README's
 * users send a file (`curl -T`), whose start is in the measure; without
 * curl, Node's HTTP client in this process. Node's client piping a file
 * stream took about 100 ms of processor per 30 MB upload, on the two cores
 * the server has (curl: about 10), and the upload waited for it
 * (docs/performance.md).
 */
const CURL = findProgram('curl')
const CLIENT_NOTE = CURL === null
  ? 'client : celui de Node, dans le processus du banc (curl absent)'
  : 'client : curl -T dans son propre processus, démarrage compris'

/**
 * upload(), and the processor time it took, when the server's threads can
 * be read (Linux): a profile printed beside the figure, which says where
 * an upload's time goes on this machine, not a figure itself.
 */
async function profiledUpload (child: Child, path: string, name: string, authorization: string, profile: UploadProcessor[]): Promise<number> {
  const pid = child.process.pid ?? 0
  const before = threadTimes(pid)
  const { rate, clientMs } = await upload(child.url, path, name, authorization)
  const after = threadTimes(pid)
  if (before !== null && after !== null && clientMs !== null) profile.push({ ...threadsSpent(pid, before, after), client: clientMs })
  return rate
}

/**
 * Waits until the server has done what it does for the département once it
 * has answered an upload (in qualification: the record, the answer PECGM;
 * services/departement-work.ts), outside any measure: a request of the
 * département waits for it. Without this, that work fell into the next
 * measure, a third of the time the validator alone, the reference.
 */
async function settled (base: string, authorization: string): Promise<void> {
  const res = await fetch(`${base}/api/v1/files?limit=1`, { headers: { authorization } })
  await res.arrayBuffer()
  if (res.status !== 200) throw new Error(`settled: ${res.status}`)
}

/** The profile of some uploads and of the validator alone, in words (empty when the threads could not be read). */
function processorNote (profile: UploadProcessor[], alone: number[]): string {
  if (profile.length === 0) return ''
  const ms = (values: number[]): string => fmt(Math.round(median(values)))
  return ` ; processeur par envoi (médianes) : le fil principal du serveur ${ms(profile.map((p) => p.main))} ms, ses autres fils ` +
    `${ms(profile.map((p) => p.others))} ms (le validateur, sur son fil ; le SHA-256 et l'écriture du fichier, directe sur le disque là où le système de fichiers l'accepte ; V8), le client ${ms(profile.map((p) => p.client))} ms ; ` +
    `le validateur seul ${ms(alone)} ms`
}

/** MB/s of a raw upload, from the client's start to the report received, and the client's processor time (ms; null when unknown). */
async function upload (base: string, path: string, name: string, authorization = AUTH): Promise<{ rate: number, clientMs: number | null }> {
  const size = statSync(path).size
  if (CURL !== null) {
    // -f: an answer other than 2xx fails the bench; no "Expect: 100-continue" wait, as Node's client
    const run = await measured(CURL, ['-sSf', '-o', '/dev/null', '-X', 'POST', '-H', 'expect:', '-H', 'content-type: application/octet-stream',
      '-H', `authorization: ${authorization}`, '-T', path, `${base}/api/v1/files?name=${name}`])
    const clientMs = run.userSeconds === null || run.systemSeconds === null ? null : (run.userSeconds + run.systemSeconds) * 1000
    return { rate: size / 1e6 / run.seconds, clientMs }
  }
  const client0 = ownProcessor()
  const rate = await new Promise<number>((resolve, reject) => {
    const start = process.hrtime.bigint()
    const req = request(`${base}/api/v1/files?name=${name}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/octet-stream', 'content-length': size }
    }, (res) => {
      res.resume()
      res.on('end', () => {
        if (res.statusCode !== 201) reject(new Error(`upload: ${res.statusCode ?? '?'}`))
        else resolve(size / 1e6 / (Number(process.hrtime.bigint() - start) / 1e9))
      })
    })
    req.on('error', reject)
    createReadStream(path, { highWaterMark: READ_CHUNK }).pipe(req)
  })
  return { rate, clientMs: ownProcessor() - client0 }
}

export async function benchServer (): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-server-'))
  const child = await startChild<Omit<Child, 'process'>>('server-child', [join(dir, 'data'), String(PECGM_RECORDS)])
  try {
    const scenario = await loadScenarioFile(join(packageRoot(), 'scenarios', 'demo.yaml'))
    const today = todayDay()
    const cgpem = join(dir, 'cgpem.xml')
    await writeFileAtomically(cgpem, cgpemChunks(sampleOrientations({ scenario, departement: '77', referenceDay: today, today, records: CGPEM_RECORDS }), 'xml'))

    // warm-up: JIT, TCP windows, page cache; an upload of each kind, which starts the server's validating thread, and the validator alone
    await requestsPerSecond(`${child.url}/livez`)
    await download(`${child.url}/api/v1/files/${child.file}`)
    await readFromDisk(child.path)
    await upload(child.url, cgpem, 'warm-up.xml')
    await settled(child.url, AUTH)
    await upload(child.url, cgpem, 'warm-up.xml', `Basic ${Buffer.from(`dept13:${child.dept13}`).toString('base64')}`)
    await validateAlone(cgpem, [])
    const livez: number[] = []
    const files: number[] = []
    const downloads: number[] = []
    const disk: number[] = []
    const uploads: number[] = []
    const plainUploads: number[] = []
    const alone: number[] = []
    const aloneCpu: number[] = []
    const qualifying: UploadProcessor[] = []
    const plain: UploadProcessor[] = []
    const dept13 = `Basic ${Buffer.from(`dept13:${child.dept13}`).toString('base64')}`
    for (let i = 0; i < RUNS; i++) {
      livez.push(await requestsPerSecond(`${child.url}/livez`))
      files.push(await requestsPerSecond(`${child.url}/api/v1/files`, { authorization: AUTH }))
      downloads.push(await download(`${child.url}/api/v1/files/${child.file}`))
      disk.push(await readFromDisk(child.path))
    }
    const measures = [
      async (i: number) => { uploads.push(await profiledUpload(child, cgpem, `bench-${i}.xml`, AUTH, qualifying)); await settled(child.url, AUTH) },
      async (i: number) => { plainUploads.push(await profiledUpload(child, cgpem, `bench-${i}.xml`, dept13, plain)); await settled(child.url, dept13) },
      async () => { alone.push(await validateAlone(cgpem, aloneCpu)) }
    ]
    for (let i = 0; i < UPLOAD_RUNS; i++) {
      // each goes first in turn, and starts with this process's heap collected: the client of an upload and
      // the validator alone run here, and the garbage one leaves would otherwise be collected during the next
      for (let k = 0; k < measures.length; k++) {
        collectGarbage()
        await (measures[(i + k) % measures.length] as (i: number) => Promise<void>)(i)
      }
    }
    const pecgmMB = Math.round(statSync(child.path).size / 1e6)
    const cgpemMB = Math.round(statSync(cgpem).size / 1e6)
    return [
      {
        name: 'serveur : GET /api/v1/files authentifié (HTTP Basic)',
        value: median(files),
        unit: 'requêtes/s',
        reference: { name: 'GET /livez sans authentification (la même pile de requête, sans identifiants ni travail : le plafond du serveur)', value: median(livez) },
        pairs: pairRatios(files, livez),
        target: '≥ 85 % de la référence',
        note: `${CONNECTIONS} connexions, ${LOAD_SECONDS} s chacune, en alternance ; autocannon tourne dans un processus à lui, le serveur dans un autre`
      },
      {
        name: `serveur : téléchargement d'un PECGM de ${pecgmMB} Mo`,
        value: median(downloads),
        unit: 'Mo/s',
        reference: { name: 'lecture du même fichier sur disque, flux de 1 Mio', value: median(disk) },
        pairs: pairRatios(downloads, disk),
        target: '≥ 1 000 Mo/s'
      },
      {
        name: `serveur : envoi et validation d'un CGPEM de ${cgpemMB} Mo`,
        value: median(uploads),
        unit: 'Mo/s',
        reference: { name: 'validateur seul sur le même fichier', value: median(alone) },
        pairs: pairRatios(uploads, alone),
        target: '≥ 0,9 × le validateur seul (issue 13)',
        note: `médianes de ${UPLOAD_RUNS} envois alternés avec le validateur seul ; département 77 du scénario : avec le travail de la qualification (les orientations pointées sur l'échantillon pendant l'envoi ; le PECGM de réponse, fait après la réponse, attendu hors mesure) ; ${CLIENT_NOTE}${processorNote(qualifying, aloneCpu)}`
      },
      {
        name: `serveur : envoi et validation d'un CGPEM de ${cgpemMB} Mo, département hors scénario`,
        value: median(plainUploads),
        unit: 'Mo/s',
        reference: { name: 'validateur seul sur le même fichier', value: median(alone) },
        pairs: pairRatios(plainUploads, alone),
        target: '≥ 0,9 × le validateur seul (issue 13)',
        note: `médianes de ${UPLOAD_RUNS} envois ; département 13 créé par l'admin : pas de campagne de qualification ; ${CLIENT_NOTE}${processorNote(plain, aloneCpu)}`
      }
    ]
  } finally {
    await stopChild(child)
    rmSync(dir, { recursive: true, force: true })
  }
}
