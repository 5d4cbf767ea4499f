import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'

/** A whole process as its user waits for it: from its start to its exit, start-up included, and its peak memory. */
export interface ProcessRun { seconds: number, maxRssMB: number }

/** Runs a command to its end and measures it: GNU time for the peak memory when present, else /proc polling. */
export async function measured (command: string, args: string[], options: { cwd?: string } = {}): Promise<ProcessRun> {
  const gnuTime = existsSync('/usr/bin/time')
  const start = process.hrtime.bigint()
  const child = gnuTime
    ? spawn('/usr/bin/time', ['-f', '%M', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.cwd })
    : spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.cwd })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
  let peakKB = 0
  const poll = gnuTime
    ? null
    : setInterval(() => {
      try {
        const m = /VmHWM:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid ?? 0}/status`, 'utf8'))
        if (m) peakKB = Math.max(peakKB, Number(m[1]))
      } catch {}
    }, 10)
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? -1)))
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  if (poll) clearInterval(poll)
  if (code !== 0) throw new Error(`${command} a échoué (${code}) : ${stderr}`)
  if (gnuTime) peakKB = Number(stderr.trim().split('\n').pop())
  return { seconds, maxRssMB: peakKB / 1024 }
}
