import { execFileSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { median, type BenchResult } from './result.js'

const CHILD = fileURLToPath(new URL('./generate-child.js', import.meta.url))
const RECORDS = 1_000_000
const RUNS = 3

function measure (mode: 'generate' | 'raw'): { seconds: number, maxRssMB: number } {
  const out = execFileSync(process.execPath, [CHILD, mode, String(RECORDS)], { encoding: 'utf8' })
  return JSON.parse(out.trim().split('\n').pop() as string) as { seconds: number, maxRssMB: number }
}

/** Records/s of `generate` beside the raw ceiling of writing ready-made records to the same destination. */
export async function benchGenerate (): Promise<BenchResult[]> {
  const gen: { seconds: number, maxRssMB: number }[] = []
  const raw: { seconds: number, maxRssMB: number }[] = []
  for (let i = 0; i < RUNS; i++) { // interleaved, so that noise hits both alike
    gen.push(measure('generate'))
    raw.push(measure('raw'))
  }
  const rate = median(gen.map((m) => RECORDS / m.seconds))
  const ceiling = median(raw.map((m) => RECORDS / m.seconds))
  return [
    {
      name: 'generate (1 000 000 enregistrements, fichier)',
      value: rate,
      unit: 'enregistrements/s',
      reference: { name: 'écriture brute d\'enregistrements tout faits', value: ceiling },
      target: '≥ 500 000/s et ≥ 1/3 du plafond brut'
    },
    {
      name: 'generate : mémoire de pointe (1 000 000 enregistrements)',
      value: median(gen.map((m) => m.maxRssMB)),
      unit: 'Mo',
      reference: { name: 'écriture brute', value: median(raw.map((m) => m.maxRssMB)) },
      target: '< 200 Mo'
    }
  ]
}
