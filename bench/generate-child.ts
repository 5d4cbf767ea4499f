import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MADE_AGAIN, writeFileAtomically } from '../src/cli/output.js'

/**
 * One measurement, in its own process so that its peak memory is its own:
 *   generate-child generate N   — `phebus-mock generate` of N records to a file
 *   generate-child raw N FILE   — the same number of ready-made 1201-byte records to FILE
 * Prints { seconds, maxRssMB }. The raw mode loads nothing of the generator:
 * as a whole process, it is the ceiling `phebus-mock generate` is measured
 * against. It leaves its file, as `generate` does: whoever measures it
 * removes it after, outside the measure (removing 1.2 GB just written takes
 * 50 to 90 ms here, which the ceiling's time once included and generate's never did).
 */
const [mode, countText, file] = process.argv.slice(2)
const count = Number(countText)
// a folder of its own only when no file is given
const given = mode === 'raw' ? file : undefined
const dir = given === undefined ? mkdtempSync(join(tmpdir(), 'phebus-bench-')) : null
const target = given ?? join(dir as string, 'out.txt')
let start = process.hrtime.bigint()
if (mode === 'generate') {
  // a profile of the generator: timed once its modules and the scenario are loaded
  const { parseIsoDate } = await import('../src/layouts/dates.js')
  const { pecgmChunks } = await import('../src/generate/pecgm-file.js')
  const { loadScenarioFile } = await import('../src/scenarios/load.js')
  const { packageRoot } = await import('../src/paths.js')
  const scenario = await loadScenarioFile(join(packageRoot(), 'scenarios', 'demo.yaml'))
  start = process.hrtime.bigint()
  await writeFileAtomically(target, pecgmChunks({ scenario, departement: '77', referenceDay: parseIsoDate('2026-11-01') as number, records: count, ring: 2 }), MADE_AGAIN)
} else {
  const stride = 1201
  const perChunk = Math.floor((1 << 20) / stride)
  const chunk = Buffer.alloc(perChunk * stride, 0x41)
  const chunks = function * (): Generator<Buffer> {
    for (let left = count; left > 0; left -= perChunk) yield left >= perChunk ? chunk : chunk.subarray(0, left * stride)
  }
  await writeFileAtomically(target, chunks(), MADE_AGAIN)
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
if (dir !== null) rmSync(dir, { recursive: true, force: true })
process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n')
