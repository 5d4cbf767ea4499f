import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseDocument } from 'yaml'
import { cgpemChunks, type CgpemForm } from '../../../src/generate/cgpem-file.js'
import { sampleOrientations } from '../../../src/generate/cgpem-sample.js'
import { todayDay } from '../../../src/layouts/dates.js'
import { packageRoot } from '../../../src/paths.js'
import { loadScenarioFile } from '../../../src/scenarios/load.js'
import type { Scenario } from '../../../src/scenarios/model.js'

/** Valid CGPEMs and scenarios for the reliability runs, built the way the tests build theirs. */

export const DEMO_SCENARIO = join(packageRoot(), 'scenarios', 'demo.yaml')
export const DEMO_DEPARTEMENTS = ['77', '93', '971'] as const
export type DemoDepartement = typeof DEMO_DEPARTEMENTS[number]

export function demoPassword (departement: string): string {
  return `demo-${departement}`
}

export async function demoScenario (): Promise<Scenario> {
  return await loadScenarioFile(DEMO_SCENARIO)
}

/** A valid CGPEM of the département (what its software would send), dated for the server's real today. */
export function validCgpem (scenario: Scenario, departement: string, records: number, form: CgpemForm = 'xml'): Buffer {
  const today = todayDay()
  return Buffer.concat([...cgpemChunks(sampleOrientations({ scenario, departement, referenceDay: today, today, records }), form)])
}

/** scenarios/demo.yaml with one département's population changed, written to `dir`; returns its path. */
export function writeScenario (dir: string, departement: string, population: number): string {
  const doc = parseDocument(readFileSync(DEMO_SCENARIO, 'utf8'))
  const list = doc.get('departements') as { items: { get: (k: string) => unknown, set: (k: string, v: unknown) => void }[] }
  const entry = list.items.find((d) => String(d.get('code')) === departement)
  if (entry === undefined) throw new Error(`département ${departement} absent de demo.yaml`)
  entry.set('population', population)
  const path = join(dir, `demo-${departement}-${population}.yaml`)
  writeFileSync(path, doc.toString())
  return path
}
