import type { Writable } from 'node:stream'

/** What a command may touch: its streams and the clock, given by cli.ts (tests pass their own). */
export interface CliIo {
  stdout: Writable
  stderr: Writable
  /** now, in ms (for "today") */
  now: () => number
  env: Readonly<Record<string, string | undefined>>
}

export function say (stream: Writable, text: string): void {
  stream.write(text.endsWith('\n') ? text : `${text}\n`)
}
