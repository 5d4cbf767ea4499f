import { parentPort } from 'node:worker_threads'
import { tallyingValidator, type OrientationSummary, type OrientationTally, type TallyMember } from '../../qualification/tally.js'
import type { ValidationReport } from '../../validate/report.js'
import type { CgpemValidator } from '../../validate/validator.js'

/**
 * A thread that validates the uploads (see services/validator-threads.ts):
 * the CGPEM validator, and the qualification's tally of its orientations,
 * run here, beside the event loop that receives the bytes, hashes and
 * writes them. One upload at a time; each chunk taken is told back, so that
 * the server sends only a few ahead. The same validator as on the event
 * loop, fed the same bytes: the same report.
 */

export type ValidateJob =
  /** sample: the members of the sample of that key, null when the thread already holds them (the last sent) */
  | { id: number, start: { today: number, sampleKey: string | null, sample: readonly TallyMember[] | null } }
  | { id: number, chunk: Uint8Array }
  | { id: number, end: true }
  | { id: number, cancel: true }
export type ValidateReply =
  | { ready: true }
  | { id: number, taken: number }
  | { id: number, report: ValidationReport, summary: OrientationSummary | null }
  | { id: number, error: string }

const port = parentPort
if (port === null) throw new Error('cgpem-validate.ts runs as a worker thread')

let current: { id: number, validator: CgpemValidator, tally: OrientationTally | null } | null = null
/** the last sample sent: the same members, so the tally's index of them is made once (tally.ts) */
let held: { key: string, members: readonly TallyMember[] } | null = null

port.on('message', (m: ValidateJob) => {
  try {
    if ('start' in m) {
      const { sampleKey, sample } = m.start
      if (sampleKey !== null && sample !== null) held = { key: sampleKey, members: sample }
      if (sampleKey !== null && held?.key !== sampleKey) throw new Error(`échantillon ${sampleKey} inconnu du fil`)
      current = { id: m.id, ...tallyingValidator(m.start.today, sampleKey === null || held === null ? null : held.members) }
      return
    }
    // what comes after a cancel, or for an upload given up, is dropped
    if (current?.id !== m.id) return
    if ('cancel' in m) {
      current = null
    } else if ('chunk' in m) {
      current.validator.push(m.chunk)
      port.postMessage({ id: m.id, taken: m.chunk.byteLength } satisfies ValidateReply)
    } else {
      const { validator, tally } = current
      current = null
      const report = validator.end()
      port.postMessage({ id: m.id, report, summary: tally?.summary() ?? null } satisfies ValidateReply)
    }
  } catch (err) {
    current = null
    port.postMessage({ id: m.id, error: (err as Error).message } satisfies ValidateReply)
  }
})

port.postMessage({ ready: true } satisfies ValidateReply)
