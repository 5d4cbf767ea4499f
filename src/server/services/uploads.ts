import { randomUUID } from 'node:crypto'
import { finished, Readable } from 'node:stream'
import type { StoredFile, StoredReport } from '../../storage/files.js'
import type { IncomingFile } from '../../storage/direct-file.js'
import { calendarDay } from '../../clock.js'
import type { OrientationSummary, TallyMember } from '../../qualification/tally.js'
import { appendFindings, type Finding } from '../../validate/report.js'
import { ServerError } from '../errors.js'
import { formatSize } from '../options.js'
import { FILE_NAME_RULE } from '../../layouts/file-names.js'
import { visibleText } from '../schema-errors.js'
import type { FileService } from './files.js'
import { validateOnEventLoop, type UploadValidation, type ValidationRequest } from './validator-threads.js'

export interface UploadRequest {
  departement: string
  name: string
  /** the bytes as they arrive */
  source: AsyncIterable<Buffer>
  /** Content-Length of a raw upload, when given: refused at once when over the limit */
  declaredLength: number | null
  /** bytes of this upload that may wait for the disk (uploads at once share a budget) */
  queueBytes?: number
  maxBytes: number
  /** true when the source stopped at the limit (multipart: busboy's truncation) */
  truncated?: () => boolean
  /** told of every chunk's size (the trail counts bytes in, the gate the quota); may throw to stop the upload */
  onBytes?: (bytes: number) => void
  /** once the file's bytes are all in: what follows them may still refuse the upload (a second multipart file) */
  afterBody?: () => Promise<void>
  /** where the upload is validated (services/validator-threads.ts); on the event loop when not given */
  validation?: (request: ValidationRequest) => UploadValidation
  /** the qualification: adds its findings to the report, records the upload with it, then is told it is stored (it answers it once the upload is answered) */
  qualification?: {
    /** the sample the orientations are tallied against, null for a département with no campaign */
    sample: () => { key: string, members: readonly TallyMember[] } | null
    annotate: (summary: OrientationSummary) => { findings: Finding[], uncounted: number }
    /** in the transaction of the upload's row */
    recorded: (file: StoredFile, summary: OrientationSummary) => void
    uploaded: (file: StoredFile) => void
  }
}

export interface UploadResult {
  file: StoredFile
  /** as stored: reportView() reads it, reportJson() answers it */
  report: StoredReport
  accepted: boolean
}

/** The names of the files Pôle emploi deposits (D9: PECGM_<département>_…), whatever their case: never an upload's. */
const DEPOSIT_PREFIX = /^pecgm_/i

/** How a name the rule refuses is told, in the API's terms (the pages say it in theirs: routes/pages/page.ts). */
export const NAME_RULE_TEXT = `ne suit pas la règle D9 ${FILE_NAME_RULE.source}.`

/**
 * 400 unless the name follows D9 and is not one of a deposit (PECGM_…); 409 when the département already has it,
 * or a name the same ignoring case, or is writing one (nothing is read before
 * these checks).
 */
export function claimName (files: FileService, departement: string, name: string): () => void {
  // the name as sent, its control characters shown as « ? » (a NUL, a line feed would be written raw into the message)
  if (!FILE_NAME_RULE.test(name)) throw new ServerError('PHEBUS_FILE_NAME_INVALID', `Nom de fichier refusé : « ${visibleText(name.slice(0, 120))} » ${NAME_RULE_TEXT}`)
  if (DEPOSIT_PREFIX.test(name)) throw new ServerError('PHEBUS_FILE_NAME_INVALID', `Nom de fichier refusé : ${name} commence par PECGM_, comme les fichiers que Pôle emploi dépose pour le département (il prendrait le nom d'un dépôt à venir) ; un envoi du département est un CGPEM : nommez-le par exemple CGPEM_${departement}_….xml.`)
  const release = files.reserve(departement, name)
  if (release === null) throw nameTaken(name, files.holder(departement, name))
  return release
}

function nameTaken (name: string, holder: { name: string, writing: boolean } | null): ServerError {
  const other = holder?.name ?? name
  const what = holder?.writing === true ? `le fichier ${other} est en cours d'envoi pour ce département` : `le fichier ${other} existe déjà pour ce département`
  const message = other === name
    ? `${what.charAt(0).toUpperCase()}${what.slice(1)} : choisissez un autre nom.`
    : `Le nom ${name} est déjà pris : ${what}, et les deux noms ne diffèrent que par les majuscules et minuscules (un même fichier sur un disque qui ne les distingue pas, sous macOS ou Windows) ; choisissez un autre nom.`
  return new ServerError('PHEBUS_FILE_NAME_TAKEN', message)
}

/**
 * Receives a CGPEM: each chunk is written to a temporary file (hashed on the
 * way) and fed to the validator as it arrives, so that the report is ready
 * when the last byte is. Accepted or rejected, the file is kept with its
 * report; over the limit, cut short or failed, nothing is left.
 */
export async function receiveUpload (files: FileService, req: UploadRequest, release: () => void): Promise<UploadResult> {
  let temp: IncomingFile | null = null
  let validator: UploadValidation | null = null
  let committed = false
  try {
    validator = (req.validation ?? validateOnEventLoop)({ today: calendarDay(files.now, files.zone), sample: req.qualification?.sample() ?? null, declaredLength: req.declaredLength })
    temp = await files.storage.store.createIncoming(req.queueBytes)
    let bytes = 0
    const chunks = arrivals(req.source)
    try {
      for (;;) {
        let batch: Buffer[] | null
        try {
          batch = await chunks.next()
        } catch (err) {
          const code = (err as { code?: string }).code
          throw new ServerError('PHEBUS_FILE_INCOMPLETE', `Envoi interrompu : ${code === 'ECONNRESET' || (err as Error).message === 'aborted' ? 'la connexion a été coupée' : 'le corps de la requête s\'est arrêté'} avant la fin du fichier ; rien n'est gardé.`, { cause: err })
        }
        if (batch === null) break
        let queueFull: Promise<void> | null = null
        for (const chunk of batch) {
          bytes += chunk.length
          if (bytes > req.maxBytes) throw tooLarge(req.maxBytes)
          req.onBytes?.(chunk.length)
          queueFull = temp.push(chunk) ?? queueFull
          validator.push(chunk)
        }
        const behind = validator.flush()
        if (queueFull !== null) await queueFull
        if (behind !== null) await behind
        // back to the event loop once per batch: the socket is read while the validator runs, the
        // client keeps sending, and the next batch is whatever arrived meanwhile (up to 1 MiB)
        await new Promise(setImmediate)
      }
    } finally {
      chunks.stop()
    }
    if (req.truncated?.() === true) throw tooLarge(req.maxBytes)
    await req.afterBody?.()
    if (req.declaredLength !== null && bytes !== req.declaredLength) throw new ServerError('PHEBUS_FILE_INCOMPLETE', `Envoi interrompu : ${bytes} octets reçus sur ${req.declaredLength} annoncés.`)
    // the file is whole: synced while its report is made
    temp.seal()
    const { report: validated, summary } = await validator.end()
    const notes = summary !== null && validated.valid ? req.qualification?.annotate(summary) : undefined
    const result = notes ? appendFindings(validated, notes.findings, undefined, notes.uncounted) : validated
    const createdAt = files.now
    const id = randomUUID()
    const stored = { id, departement: req.departement, fileName: req.name, createdAt, valid: result.valid, body: JSON.stringify(result) }
    const file = await files.commit(temp, {
      departement: req.departement,
      name: req.name,
      kind: 'CGPEM',
      periodicity: null,
      referenceDay: null,
      format: result.format,
      createdAt,
      status: result.valid ? 'accepted' : 'rejected',
      reportId: id,
      answer: false
    }, stored, summary === null || req.qualification === undefined ? undefined : (f) => { req.qualification?.recorded(f, summary) })
    committed = true
    if (summary !== null) req.qualification?.uploaded(file)
    return { file, report: stored, accepted: result.valid }
  } finally {
    if (!committed) {
      validator?.discard()
      await temp?.discard()
    }
    release()
  }
}

/** Bytes of a stream's chunks waiting to be taken before it is paused. */
const WAITING_BYTES = 1 << 20

/**
 * The chunks of an upload, all those that arrived since the last call at
 * once (null at the end). From a stream they are taken as its 'data' events
 * give them, never concatenated (its async iterator copies whatever waits
 * into one new buffer, a MiB at a time); the stream pauses while a MiB
 * waits. stop() leaves the stream as it is, paused, not destroyed: the
 * answer goes out on its socket.
 */
function arrivals (source: AsyncIterable<Buffer>): { next: () => Promise<Buffer[] | null>, stop: () => void } {
  if (!(source instanceof Readable)) {
    // iterated by hand: a for-await left early would destroy the source
    const it = source[Symbol.asyncIterator]()
    return { next: async () => { const n = await it.next(); return n.done === true ? null : [n.value] }, stop: () => {} }
  }
  let waiting: Buffer[] = []
  let waitingBytes = 0
  let done = false
  let failure: Error | null = null
  let wake: (() => void) | null = null
  const woken = (): void => { const w = wake; wake = null; w?.() }
  const onData = (chunk: Buffer): void => {
    waiting.push(chunk)
    waitingBytes += chunk.length
    if (waitingBytes >= WAITING_BYTES) source.pause()
    woken()
  }
  // the errors the stream's async iterator would throw: an aborted request, a premature close
  const stopWatching = finished(source, (err) => {
    if (err != null) failure = err
    done = true
    woken()
  })
  source.on('data', onData)
  return {
    next: async () => {
      const idle = (): boolean => waiting.length === 0 && failure === null && !done
      while (idle()) await new Promise<void>((resolve) => { wake = resolve })
      if (waiting.length > 0) {
        const batch = waiting
        waiting = []
        waitingBytes = 0
        if (!done) source.resume()
        return batch
      }
      if (failure !== null) throw failure
      return null
    },
    stop: () => {
      source.off('data', onData)
      stopWatching()
      source.pause()
    }
  }
}

export function tooLarge (max: number): ServerError {
  return new ServerError('PHEBUS_FILE_TOO_LARGE', `Fichier trop volumineux : la limite est de ${formatSize(max)} (option --max-upload).`)
}
