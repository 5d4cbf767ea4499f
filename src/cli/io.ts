import type { Writable } from 'node:stream'
import { PhebusError } from '../errors.js'
import { forTerminal } from '../text/controls.js'

/** What a command may touch: its streams and the clock, given by cli.ts (tests pass their own). */
export interface CliIo {
  stdout: Writable
  stderr: Writable
  /** now, in ms (for "today") */
  now: () => number
  env: Readonly<Record<string, string | undefined>>
}

/** Writes a line (or lines) for a person: what it quotes (a path, a name) never drives the terminal (forTerminal). */
export function say (stream: Writable, text: string): void {
  const shown = forTerminal(text)
  stream.write(shown.endsWith('\n') ? shown : `${shown}\n`)
}

/** Thrown by writeChunks when its reader has gone (`| head` closed the pipe): not a failure of the command. */
export class ClosedOutput extends Error {
  constructor () {
    super('sortie fermée par son lecteur')
    this.name = 'ClosedOutput'
  }
}

const watched = new WeakSet<Writable>()

/** The error a watched stream failed with other than its reader going away (ENOSPC, EIO…): a real failure. */
const failures = new WeakMap<Writable, NodeJS.ErrnoException>()

/** outputFailure() once what was written to `stream` has gone out or failed (a write fails after it was taken: disk full). */
export async function settledFailure (stream: Writable): Promise<PhebusError | null> {
  if (!stream.destroyed) await new Promise<void>((resolve) => { stream.write('', () => resolve()) })
  return outputFailure(stream)
}

/** The write error of a stream that did not just lose its reader, as a PHEBUS_IO error (null when none). */
export function outputFailure (stream: Writable): PhebusError | null {
  const err = failures.get(stream)
  if (err === undefined) return null
  const why = err.code === 'ENOSPC' || err.code === 'EDQUOT'
    ? 'disque plein ou quota atteint'
    : err.code === 'EIO' ? 'erreur matérielle du disque' : `erreur système ${err.code ?? 'inconnue'}`
  return new PhebusError('PHEBUS_IO', `Écriture sur la sortie standard impossible (${why}) : ce qui a été écrit est incomplet.`, { cause: err })
}

/**
 * A stream whose reader goes away (EPIPE) is destroyed and emits 'error':
 * without a listener that is an uncaught exception and a stack trace. The
 * error is taken here; what is still written is dropped, and writeChunks
 * stops with ClosedOutput.
 */
export function keepQuietOnClose (stream: Writable): void {
  if (watched.has(stream)) return
  watched.add(stream)
  stream.on('error', (err: NodeJS.ErrnoException) => {
    // EPIPE: the reader went (`| head`), quiet; anything else (disk full…) is the command's failure
    if (err.code !== 'EPIPE' && err.code !== 'ERR_STREAM_DESTROYED') failures.set(stream, err)
  })
}

export function isClosedOutput (err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code
  return err instanceof ClosedOutput || code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED'
}

/** Resolves when the stream asks for more; throws ClosedOutput when its reader is gone, its PHEBUS_IO error when a write failed. */
export async function drained (out: Writable): Promise<void> {
  // destroyed: by its reader going (quiet), or by a failed write (disk full), which is the command's error
  if (out.destroyed) throw outputFailure(out) ?? new ClosedOutput()
  await new Promise<void>((resolve) => {
    const done = (): void => {
      out.off('drain', done)
      out.off('close', done)
      resolve()
    }
    out.on('drain', done)
    out.on('close', done)
  })
  if (out.destroyed) throw outputFailure(out) ?? new ClosedOutput()
}
