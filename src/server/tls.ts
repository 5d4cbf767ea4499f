import { X509Certificate } from 'node:crypto'
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileSystemReason } from '../errors.js'
import { ServerError } from './errors.js'

export type TlsSetting = { mode: 'off' } | { mode: 'self-signed' } | { mode: 'files', cert: string, key: string }

export interface TlsMaterial {
  key: string
  cert: string
  /** where the certificate is */
  certPath: string
  /** true when it was made at this start */
  generated: boolean
  /** SHA-256 fingerprint, to check it by hand */
  fingerprint: string
}

const DAY = 86_400_000
/** A kept certificate this close to its end is replaced. */
const RENEW_BEFORE = 7 * DAY

/**
 * The key and certificate for HTTPS: given files, or a self-signed
 * certificate made at the first start and kept in <data>/tls/ (renewed when
 * it nears its end), for localhost, 127.0.0.1 and ::1.
 */
export async function loadTls (setting: TlsSetting, dataDir: string, now: number): Promise<TlsMaterial | null> {
  if (setting.mode === 'off') return null
  if (setting.mode === 'files') {
    const key = read(setting.key, 'la clé')
    const cert = read(setting.cert, 'le certificat')
    return { key, cert, certPath: setting.cert, generated: false, fingerprint: fingerprintOf(cert, setting.cert) }
  }
  const dir = join(dataDir, 'tls')
  const certPath = join(dir, 'cert.pem')
  const keyPath = join(dir, 'key.pem')
  try {
    const cert = readFileSync(certPath, 'utf8')
    const key = readFileSync(keyPath, 'utf8')
    if (Date.parse(new X509Certificate(cert).validTo) - now > RENEW_BEFORE) return { key, cert, certPath, generated: false, fingerprint: fingerprintOf(cert, certPath) }
  } catch { /* none yet, or unreadable: made anew */ }
  // selfsigned and its X.509 libraries take a quarter of a second to load: only when a certificate is made
  const { generate } = await import('selfsigned')
  const pems = await generate([{ name: 'commonName', value: 'localhost' }, { name: 'organizationName', value: 'phebus-mock (certificat de test)' }], {
    keyType: 'ec',
    curve: 'P-256',
    // selfsigned signs with SHA-1 unless told: no client should have to accept that
    algorithm: 'sha256',
    notBeforeDate: new Date(now - DAY),
    notAfterDate: new Date(now + 365 * DAY),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: [{ type: 2, value: 'localhost' }, { type: 7, ip: '127.0.0.1' }, { type: 7, ip: '::1' }] }
    ]
  })
  mkdirSync(dir, { recursive: true })
  writeAtomically(keyPath, pems.private, 0o600)
  writeAtomically(certPath, pems.cert, 0o644)
  return { key: pems.private, cert: pems.cert, certPath, generated: true, fingerprint: fingerprintOf(pems.cert, certPath) }
}

function read (path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8')
  } catch (err) {
    throw new ServerError('PHEBUS_SERVER_TLS', `Impossible de lire ${what} TLS. ${fileSystemReason(err, path, 'lire')}.`, { cause: err })
  }
}

function fingerprintOf (cert: string, path: string): string {
  try {
    return new X509Certificate(cert).fingerprint256
  } catch (err) {
    throw new ServerError('PHEBUS_SERVER_TLS', `Certificat TLS illisible : ${path} n'est pas un certificat X.509 au format PEM (-----BEGIN CERTIFICATE-----).`, { cause: err })
  }
}

function writeAtomically (path: string, text: string, mode: number): void {
  const tmp = `${path}.${process.pid}.tmp`
  writeFileSync(tmp, text, { mode })
  renameSync(tmp, path)
}
