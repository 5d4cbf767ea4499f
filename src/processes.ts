/**
 * Whether process `pid` still runs: a signal 0 reaches it (EPERM: it runs,
 * as another user). What tells a lock or a temporary file left by a process
 * that is gone from one still in use.
 */
export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}
