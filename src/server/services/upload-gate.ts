import type { Quotas } from '../../scenarios/model.js'
import type { Usage } from '../../storage/files.js'
import { formatSize, MIB } from '../../units.js'
import { ServerError } from '../errors.js'
import type { LimitOptions } from '../options.js'

/**
 * Uploads let in: at most so many at once (in all, and per département;
 * past them 503 with Retry-After), and never past a département's quotas on
 * what it keeps (files and bytes it sent, those being received included;
 * past them 507). Checked before the body is read, then at every chunk.
 */

export interface UploadTicket {
  /** counts bytes received; throws 507 when they take the département past its quota */
  add: (bytes: number) => void
  /** bytes this upload may queue for the disk: the uploads at once share a budget */
  queueBytes: number
  release: () => void
}

export interface UploadGateOptions {
  limits: LimitOptions
  quotas: (departement: string) => Quotas
  usage: (departement: string) => Usage
}

const RETRY_AFTER_S = 5
/** What all the uploads at once may hold in memory waiting for the disk, and each one's share at most and at least. */
const QUEUE_BUDGET = 64 * MIB
const QUEUE_MAX = 8 * MIB

export class UploadGate {
  private total = 0
  private readonly inFlight = new Map<string, { count: number, bytes: number }>()

  constructor (private readonly options: UploadGateOptions) {}

  get active (): number {
    return this.total
  }

  enter (departement: string, declaredBytes: number | null): UploadTicket {
    const { limits } = this.options
    if (this.total >= limits.maxUploads) throw busy(`Trop d'envois en cours sur le serveur (${limits.maxUploads} au plus à la fois) : réessayez dans ${RETRY_AFTER_S} s.`)
    const mine = this.inFlight.get(departement) ?? { count: 0, bytes: 0 }
    if (mine.count >= limits.maxUploadsPerDepartement) throw busy(`Ce département a déjà ${mine.count} envois en cours (${limits.maxUploadsPerDepartement} au plus à la fois) : attendez la fin de l'un d'eux.`)
    const quotas = this.options.quotas(departement)
    const usage = this.options.usage(departement)
    if (usage.uploadedFiles + mine.count + 1 > quotas.uploadedFiles) {
      throw quota(`Quota du département atteint : ${quotas.uploadedFiles} fichiers envoyés gardés au plus, ${usage.uploadedFiles} le sont déjà.`)
    }
    checkBytes(quotas, usage, mine.bytes + (declaredBytes ?? 0))
    mine.count++
    this.total++
    this.inFlight.set(departement, mine)
    let counted = 0
    let released = false
    return {
      queueBytes: Math.max(MIB, Math.min(QUEUE_MAX, Math.floor(QUEUE_BUDGET / this.total))),
      add: (bytes) => {
        mine.bytes += bytes
        counted += bytes
        checkBytes(quotas, this.options.usage(departement), mine.bytes)
      },
      release: () => {
        if (released) return
        released = true
        this.total--
        mine.count--
        mine.bytes -= counted
        if (mine.count === 0) this.inFlight.delete(departement)
      }
    }
  }
}

function checkBytes (quotas: Quotas, usage: Usage, incoming: number): void {
  if (usage.uploadedBytes + incoming <= quotas.uploadedBytes) return
  throw quota(`Quota du département atteint : ${formatSize(quotas.uploadedBytes)} de fichiers envoyés gardés au plus ; ${formatSize(usage.uploadedBytes)} le sont déjà, cet envoi les dépasserait.`)
}

function busy (message: string): ServerError {
  return new ServerError('PHEBUS_HTTP_BUSY', message, { retryAfter: RETRY_AFTER_S })
}

/** What a quota's refusal says to do, in the API's terms (the pages say it in theirs: routes/pages/page.ts). */
export const QUOTA_ADVICE = 'Supprimez des fichiers envoyés (DELETE /api/v1/files/NOM ; les plus anciens d\'abord, les refusés ne servent plus) avant d\'en envoyer d\'autres.'

function quota (message: string): ServerError {
  return new ServerError('PHEBUS_FILE_QUOTA', `${message} ${QUOTA_ADVICE}`)
}
