import { parseIsoDate } from '../../src/layouts/dates.js'
import { pecgmChunks, type PecgmRequest } from '../../src/generate/pecgm-file.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import type { Scenario } from '../../src/scenarios/model.js'

export const REFERENCE = parseIsoDate('2026-11-01') as number

export async function scenario (name: string): Promise<Scenario> {
  return loadScenarioFile(new URL(`../../scenarios/${name}.yaml`, import.meta.url).pathname)
}

export function generate (req: PecgmRequest): Buffer {
  return Buffer.concat([...pecgmChunks(req)])
}
