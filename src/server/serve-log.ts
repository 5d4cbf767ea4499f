import type { Writable } from 'node:stream'

/**
 * What `serve` tells the person or the program that started it: French
 * text for a person, or one JSON object a line for a pipeline
 * (`--log-format json`), each with its `event` and the wall time. The same
 * events in both forms, so that a script never has to scrape the text.
 */

export type LogFormat = 'text' | 'json'

export const LOG_FORMATS: readonly LogFormat[] = ['text', 'json']

export type ServeEvent =
  /** listening: the URL, the data folder, the scenario, the accounts */
  | 'listening'
  /** the first deposits are under way (a département's request waits for its own): /readyz answers 200 */
  | 'ready'
  /** the first deposits failed for now (they are tried again) */
  | 'not-ready'
  /** a signal, or the end of the npm process that started the server: a clean stop begins */
  | 'stopping'
  /** the requests still in progress past --stop-timeout: their connections cut */
  | 'stop-timeout'
  /** the deposits the stop gave up (files being made, départements not begun): the next start makes them */
  | 'given-up'
  /** a second signal: stop at once */
  | 'abort'
  /** stopped cleanly */
  | 'stopped'
  /** could not start, or could not stop cleanly */
  | 'error'

export interface ServeLog {
  readonly format: LogFormat
  /** `text`: the lines for a person (without a final newline); `fields`: what the JSON line carries beside the event */
  emit: (event: ServeEvent, text: string, fields?: Record<string, unknown>) => void
}

/**
 * JSON events all on `out` (one stream for a pipeline to read); text on
 * `out`, except `error` and the stop's (`stopping`, `stop-timeout`, `given-up`, `abort`, `stopped`) on `err`, where a
 * person expects them.
 */
export function serveLog (format: LogFormat, out: Writable, err: Writable, now: () => number): ServeLog {
  const toErr = new Set<ServeEvent>(['error', 'stopping', 'stop-timeout', 'given-up', 'abort', 'stopped'])
  return {
    format,
    emit (event, text, fields = {}) {
      if (format === 'text') (toErr.has(event) ? err : out).write(`${text}\n`)
      else out.write(`${JSON.stringify({ time: new Date(now()).toISOString(), event, ...fields, message: text })}\n`)
    }
  }
}
