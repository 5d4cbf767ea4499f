import t from 'tap'
import { Writable } from 'node:stream'
import { run } from '../../src/cli/run.js'

/**
 * « Today », for the commands that default to it (generate, sample cgpem,
 * validate), is the day in Paris, as the server's: at 00:30 in Paris the
 * day has begun there while it is still the day before in UTC.
 */

const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname
/** 27 November 2026, 00:30 in Paris (23:30 UTC on the 26th) */
const JUST_AFTER_MIDNIGHT = Date.UTC(2026, 10, 26, 23, 30)
/** 27 November 2026, 23:30 in Paris (22:30 UTC on the 27th) */
const JUST_BEFORE_MIDNIGHT = Date.UTC(2026, 10, 27, 22, 30)

class Collect extends Writable {
  chunks: Buffer[] = []
  override _write (chunk: Buffer, _enc: BufferEncoding, cb: () => void): void {
    this.chunks.push(Buffer.from(chunk))
    cb()
  }

  get text (): string {
    return Buffer.concat(this.chunks).toString('latin1')
  }
}

async function cliAt (now: number, ...argv: string[]): Promise<{ code: number, stdout: string, stderr: string }> {
  const stdout = new Collect()
  const stderr = new Collect()
  const code = await run(argv, { stdout, stderr, now: () => now, env: {} })
  return { code, stdout: stdout.text, stderr: stderr.text }
}

t.test('generate without --date: the reference is the day in Paris', async (t) => {
  for (const [now, day] of [[JUST_AFTER_MIDNIGHT, '20261127'], [JUST_BEFORE_MIDNIGHT, '20261127']] as const) {
    const out = await cliAt(now, 'generate', '--scenario', DEMO, '--departement', '77', '--records', '1', '--output', '-')
    t.equal(out.code, 0, out.stderr)
    t.equal(out.stdout.slice(9, 17), day, `header DATE_REFERENCE at ${new Date(now).toISOString()}`)
  }
})

t.test('sample cgpem without --date: its decisions are of the day in Paris', async (t) => {
  const qualification = await cliAt(JUST_AFTER_MIDNIGHT, 'sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--output', '-')
  t.equal(qualification.code, 0, qualification.stderr)
  t.match(qualification.stdout, /<DATE_DECISION_ORIENTATION>20261127</, 'the qualification\'s decisions end on the 27th, in Paris')
})

t.test('validate without --date: a decision of the day in Paris is not « in the future »', async (t) => {
  const dir = t.testdir()
  const made = await cliAt(JUST_AFTER_MIDNIGHT, 'sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--date', '2026-11-27', '--output', `${dir}/q.xml`)
  t.equal(made.code, 0, made.stderr)
  const out = await cliAt(JUST_AFTER_MIDNIGHT, 'validate', `${dir}/q.xml`, '--format', 'json')
  t.equal(out.code, 0, out.stdout.slice(0, 800))
})
