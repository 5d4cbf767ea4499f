import type { FastifyInstance } from 'fastify'
import { randomBytes } from 'node:crypto'
import { cgpemChunks } from '../../src/generate/cgpem-file.js'
import { sampleOrientations } from '../../src/generate/cgpem-sample.js'
import { todayDay } from '../../src/layouts/dates.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { buildServer, type BuildOptions } from '../../src/server/build.js'
import type { AppOptionsInput } from '../../src/server/options.js'

export const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname
export const ADMIN_PASSWORD = 'admin-password-for-tests'
/** 2026-11-27 10:00 UTC: the monthly stock due is November's, made on its first working day: PECGM_<dept>_M_20261101_20261102.txt, at 06:00 (Paris) */
export const T0 = Date.UTC(2026, 10, 27, 10)
export const DAY = 86_400_000
/** Cheap scrypt for tests (the format and the code path are the same). */
export const TEST_SCRYPT = { N: 1024, r: 8, p: 1 }

interface Tap {
  testdir: () => string
  teardown: (fn: () => unknown) => void
}

/** A clock the test moves by hand. */
export class Clock {
  constructor (public at = T0) {}
  readonly now = (): number => this.at
  advance (ms: number): void {
    this.at += ms
  }
}

export function appOptions (dataDir: string, overrides: Partial<AppOptionsInput> = {}): AppOptionsInput {
  return { dataDir, scenarioPath: DEMO, adminPassword: ADMIN_PASSWORD, now: () => T0, ...overrides, auth: { scrypt: TEST_SCRYPT, ...overrides.auth } }
}

/** An app on a fresh data folder (or the one given), its first deposits made, closed at the end of the test. */
/** Listens on a free port of 127.0.0.1, for the tests that need a real socket: its port and its URL. */
export async function listenOnLoopback (app: FastifyInstance): Promise<{ port: number, url: string }> {
  await app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.server.address()
  const port = typeof address === 'object' && address !== null ? address.port : 0
  return { port, url: `http://127.0.0.1:${port}` }
}

export async function testApp (t: Tap, overrides: Partial<AppOptionsInput> = {}, build: BuildOptions = {}): Promise<FastifyInstance> {
  // the close registered before the test's folder is made: tap removes a t.testdir() after the teardowns registered
  // before it, and the close waits for what the server still does once it has answered (an answer PECGM being
  // written into that folder: the test's last upload in qualification, left failing with ENOENT and ENOTEMPTY)
  let built: FastifyInstance | null = null
  t.teardown(async () => { await built?.close() })
  const app = await buildServer(appOptions(overrides.dataDir ?? t.testdir(), overrides), build)
  built = app
  await app.maintenance.settled()
  return app
}

/**
 * A full disk at the server's next writes of a temporary file (a deposit's,
 * an answer PECGM's; an upload's own file is written by createIncoming):
 * `writes` says which of them fail with ENOSPC (true), one after another;
 * those after it succeed.
 */
export function diskFull (app: FastifyInstance, ...writes: boolean[]): void {
  const store = app.storage.store
  const createTemp = store.createTemp.bind(store)
  store.createTemp = async (...args) => {
    if (writes.shift() !== true) return await createTemp(...args)
    throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' })
  }
}

export function basic (user: string, password: string): { authorization: string } {
  return { authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}` }
}

export const AS = {
  dept77: basic('dept77', 'demo-77'),
  dept93: basic('dept93', 'demo-93'),
  dept971: basic('dept971', 'demo-971'),
  admin: basic('admin', ADMIN_PASSWORD)
}

export function monthlyName (dept: string): string {
  return `PECGM_${dept}_M_20261101_20261102.txt`
}

/** A valid CGPEM of the département (the sample a département's software would send), dated for the test clock. */
export async function validCgpem (departement = '77', records = 20, form: 'xml' | 'fixed' = 'xml'): Promise<Buffer> {
  const scenario = await loadScenarioFile(DEMO)
  const today = todayDay(T0)
  return Buffer.concat([...cgpemChunks(sampleOrientations({ scenario, departement, referenceDay: today, today, records }), form)])
}

/** A multipart/form-data body with one file part. */
export function multipart (filename: string, content: Buffer, field = 'file'): { payload: Buffer, headers: Record<string, string> } {
  const boundary = `----phebus${randomBytes(8).toString('hex')}`
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${filename}"\r\nContent-Type: application/xml\r\n\r\n`),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`)
  ])
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } }
}

export function raw (): Record<string, string> {
  return { 'content-type': 'application/octet-stream' }
}
