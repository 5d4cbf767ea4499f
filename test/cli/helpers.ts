import { Writable } from 'node:stream'
import { run } from '../../src/cli/run.js'

export interface CliResult {
  code: number
  stdout: Buffer
  stderr: string
}

class Collect extends Writable {
  chunks: Buffer[] = []
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk))
    cb()
  }
}

/** Runs the command line in-process with its own streams and a fixed clock (2026-11-27). */
export async function cli (...argv: string[]): Promise<CliResult> {
  const stdout = new Collect()
  const stderr = new Collect()
  const code = await run(argv, { stdout, stderr, now: () => Date.UTC(2026, 10, 27, 10), env: {} })
  return { code, stdout: Buffer.concat(stdout.chunks), stderr: Buffer.concat(stderr.chunks).toString('utf8') }
}
