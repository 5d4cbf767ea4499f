import { benchGenerate } from './generate.js'
import { benchPages } from './pages.js'
import { benchServer } from './server.js'
import { benchNational, benchStartup } from './startup.js'
import { benchValidate } from './validate.js'
import { formatResult, type BenchResult } from './result.js'

/**
 * `npm run bench`: every figure beside its reference, measured in the same
 * run (the machine is shared and noisy: read the ratios, medians of 3 runs).
 * `npm run bench -- generate` runs one group only.
 */
const GROUPS: Record<string, () => Promise<BenchResult[]>> = {
  startup: benchStartup,
  generate: benchGenerate,
  validate: benchValidate,
  server: benchServer,
  pages: benchPages,
  national: benchNational
}

const only = process.argv.slice(2)
for (const [name, run] of Object.entries(GROUPS)) {
  if (only.length > 0 && !only.includes(name)) continue
  process.stdout.write(`# ${name}\n`)
  for (const r of await run()) process.stdout.write(`${formatResult(r)}\n`)
}
