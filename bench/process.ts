import { spawn } from 'node:child_process'
import { accessSync, constants, existsSync, readFileSync, statSync } from 'node:fs'
import { delimiter, join } from 'node:path'

/**
 * A whole process as its user waits for it: from its start to its exit,
 * start-up included, its peak memory, and the processor time it used in
 * user space and in the kernel (GNU time's; null without it). The kernel's
 * share of a command that writes a large file is mostly the copy into the
 * page cache, whose cost varies on this machine from run to run (docs/performance.md).
 */
export interface ProcessRun { seconds: number, maxRssMB: number, userSeconds: number | null, systemSeconds: number | null }

/** Runs a command to its end and measures it: GNU time for the peak memory when present, else /proc polling. */
export async function measured (command: string, args: string[], options: { cwd?: string } = {}): Promise<ProcessRun> {
  const gnuTime = existsSync('/usr/bin/time')
  const start = process.hrtime.bigint()
  const child = gnuTime
    ? spawn('/usr/bin/time', ['-f', '%M %U %S', command, ...args], { stdio: ['ignore', 'ignore', 'pipe'], cwd: options.cwd })
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
  let userSeconds: number | null = null
  let systemSeconds: number | null = null
  if (gnuTime) {
    const [peak, user, system] = (stderr.trim().split('\n').pop() ?? '').split(' ').map(Number)
    peakKB = peak ?? 0
    userSeconds = user ?? null
    systemSeconds = system ?? null
  }
  return { seconds, maxRssMB: peakKB / 1024, userSeconds, systemSeconds }
}

/**
 * The first executable file called `name` in the directories of PATH, as a
 * shell would find it, or null: the system programs the bench compares with
 * (xmllint, curl) and the tests use (test/system-tools.ts).
 */
export function findProgram (name: string, path = process.env.PATH ?? ''): string | null {
  for (const dir of path.split(delimiter)) {
    if (dir === '') continue
    const candidate = join(dir, name)
    try {
      if (!statSync(candidate).isFile()) continue
      accessSync(candidate, constants.X_OK)
      return candidate
    } catch {
      continue
    }
  }
  return null
}
