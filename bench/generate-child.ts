import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeFileAtomically } from '../src/cli/output.js'
import { parseIsoDate } from '../src/layouts/dates.js'
import { pecgmChunks } from '../src/generate/pecgm-file.js'
import { loadScenarioFile } from '../src/scenarios/load.js'
import { packageRoot } from '../src/paths.js'

/**
 * One measurement, in its own process so that its peak memory is its own:
 *   generate-child generate N   — `phebus-mock generate` of N records to a file
 *   generate-child raw N        — the same number of ready-made 1201-byte records to a file
 * Prints { seconds, maxRssMB }.
 */
const [mode, countText] = process.argv.slice(2)
const count = Number(countText)
const dir = mkdtempSync(join(tmpdir(), 'phebus-bench-'))
const target = join(dir, 'out.txt')
const start = process.hrtime.bigint()
if (mode === 'generate') {
  const scenario = await loadScenarioFile(join(packageRoot(), 'scenarios', 'demo.yaml'))
  await writeFileAtomically(target, pecgmChunks({ scenario, departement: '77', referenceDay: parseIsoDate('2026-11-01') as number, records: count, ring: 2 }))
} else {
  const stride = 1201
  const perChunk = Math.floor((1 << 20) / stride)
  const chunk = Buffer.alloc(perChunk * stride, 0x41)
  const chunks = function * (): Generator<Buffer> {
    for (let left = count; left > 0; left -= perChunk) yield left >= perChunk ? chunk : chunk.subarray(0, left * stride)
  }
  await writeFileAtomically(target, chunks())
}
const seconds = Number(process.hrtime.bigint() - start) / 1e9
rmSync(dir, { recursive: true, force: true })
process.stdout.write(JSON.stringify({ seconds, maxRssMB: process.resourceUsage().maxRSS / 1024 }) + '\n')
