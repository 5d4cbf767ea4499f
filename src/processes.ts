import { readFileSync } from 'node:fs'

/**
 * Whether process `pid` still runs: a signal 0 reaches it (EPERM: it runs,
 * as another user), and it is no zombie. What tells a lock or a temporary
 * file left by a process that is gone from one still in use.
 */
export function isAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
  return !isZombie(pid)
}

/**
 * A process that has ended but that its parent has not yet reaped (state Z
 * in Linux's /proc/PID/stat): a signal 0 still reaches it, yet it holds
 * nothing any more. A server killed by `kill -9` is one for a moment, and a
 * restart at once was refused its data folder as still in use. False where
 * /proc cannot tell.
 */
function isZombie (pid: number): boolean {
  let stat: string
  try {
    stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
  } catch {
    return false
  }
  // the state follows the command's name, which is between parentheses and may hold any character, « ) » included
  const end = stat.lastIndexOf(')')
  return end >= 0 && stat.charAt(end + 2) === 'Z'
}
