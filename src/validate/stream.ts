import type { ValidationReport } from './report.js'
import { CgpemValidator, type ValidatorOptions } from './validator.js'

/**
 * Thin adapters around CgpemValidator: any async iterable of bytes (a Node
 * Readable, a web ReadableStream, an HTTP upload as it arrives) or one buffer.
 */

export async function validateStream (source: AsyncIterable<Uint8Array | string>, options: ValidatorOptions): Promise<ValidationReport> {
  const validator = new CgpemValidator(options)
  for await (const chunk of source) {
    if (typeof chunk === 'string') throw new TypeError('validateStream: the source must yield bytes, not text (no setEncoding)')
    validator.push(chunk)
  }
  return validator.end()
}

export function validateBuffer (buf: Uint8Array, options: ValidatorOptions): ValidationReport {
  const validator = new CgpemValidator(options)
  validator.push(buf)
  return validator.end()
}
