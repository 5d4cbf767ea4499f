import { startHelper } from './helper.js'
import { clock, spread, type Spread } from './stats.js'

/** The /livez prober (livez-child.ts) seen from the run: start it, stop it, read its latencies by phase. */

export interface LivezSample { at: number, ms: number }

export interface LivezRecord {
  samples: LivezSample[]
  failures: { at: number, error: string }[]
}

export interface Prober {
  /** stops probing and returns every latency it measured */
  stop: () => Promise<LivezRecord>
}

/** Starts probing GET /livez every `everyMs` from a process of its own; resolves once the first answer came. */
export async function startProber (url: string, everyMs: number): Promise<Prober> {
  const helper = startHelper('livez-child', { url, everyMs })
  await helper.message('ready')
  return {
    stop: async () => {
      helper.stop()
      const m = await helper.message<{ samples: number[], failures: LivezRecord['failures'] }>('result')
      const samples: LivezSample[] = []
      for (let i = 0; i + 1 < m.samples.length; i += 2) samples.push({ at: m.samples[i] as number, ms: m.samples[i + 1] as number })
      return { samples, failures: m.failures }
    }
  }
}

/** A phase of the run: from its start to its end (Date.now()). */
export interface Phase { name: string, from: number, to: number }

export interface PhaseLatency {
  phase: Phase
  spread: Spread
  /** the slowest probe of the phase: when it was sent, how long it waited */
  worst: LivezSample | null
  /** the probes that waited longer than the limit */
  over: LivezSample[]
}

export function latencyDuring (record: LivezRecord, phase: Phase, limitMs: number): PhaseLatency {
  const within = record.samples.filter((s) => s.at >= phase.from && s.at <= phase.to)
  let worst: LivezSample | null = null
  for (const s of within) if (worst === null || s.ms > worst.ms) worst = s
  return { phase, spread: spread(within.map((s) => s.ms)), worst, over: within.filter((s) => s.ms > limitMs) }
}

/** "à 12:03:04.567 (41,2 s après le début de la phase « envois »)" */
export function whenInPhase (at: number, phase: Phase): string {
  return `à ${clock(at)} UTC (${((at - phase.from) / 1000).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} s après le début de la phase « ${phase.name} »)`
}
