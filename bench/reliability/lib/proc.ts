import { readdirSync, readFileSync } from 'node:fs'

/** What Linux says of the server process under /proc: processor time by thread, open descriptors, their limit. */

/** Clock ticks a second of /proc/…/stat (USER_HZ: 100 on Linux everywhere this runs). */
const TICKS = 100

export interface CpuTime {
  /** seconds of processor time of the main thread (the event loop) */
  main: number
  /** of all the other threads (libuv's pool, where scrypt runs; V8's helpers; workers) */
  others: number
}

/** The processor time the process has used so far, main thread apart; null once it is gone. */
export function cpuTime (pid: number): CpuTime | null {
  try {
    const t: CpuTime = { main: 0, others: 0 }
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let stat: string
      try { stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8') } catch { continue }
      // the fields after "pid (comm) ": state is the third field, utime the 14th, stime the 15th
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS
      if (Number(tid) === pid) t.main += seconds
      else t.others += seconds
    }
    return t
  } catch {
    return null
  }
}

export function cpuBetween (before: CpuTime | null, after: CpuTime | null): CpuTime {
  if (before === null || after === null) return { main: Number.NaN, others: Number.NaN }
  return { main: after.main - before.main, others: after.others - before.others }
}

/** Descriptors the process has open now; null once it is gone. */
export function openDescriptors (pid: number): number | null {
  try {
    return readdirSync(`/proc/${pid}/fd`).length
  } catch {
    return null
  }
}

/** The process's limit of open files (its soft limit), as it sees it; null when it cannot be read. */
export function descriptorLimitOf (pid: number): number | null {
  try {
    const m = /^Max open files\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/limits`, 'utf8'))
    return m ? Number(m[1]) : null
  } catch {
    return null
  }
}
