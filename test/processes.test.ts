import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readFileSync } from 'node:fs'
import { isAlive } from '../src/processes.js'

t.test('a process that runs is alive; one that ended is not, nor one ended that its parent has not reaped yet (a zombie)', { skip: existsSync('/proc/self/stat') ? false : 'sans /proc (Linux seulement), un zombie ne se reconnaît pas' }, async (t) => {
  t.ok(isAlive(process.pid), 'this process')
  // sh starts a short sleep in the background, then becomes a long sleep that never reaps it: the short one stays a zombie
  const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] })
  t.teardown(() => { parent.kill('SIGKILL') })
  const pid = await new Promise<number>((resolve) => parent.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))))
  t.ok(isAlive(parent.pid as number), 'the parent runs')
  let state = ''
  for (let i = 0; i < 200 && state !== 'Z'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10))
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1')
    state = stat.charAt(stat.lastIndexOf(')') + 2)
  }
  t.equal(state, 'Z', 'the child has ended, unreaped')
  t.notOk(isAlive(pid), 'a zombie holds nothing: not alive')
  t.notOk(isAlive(2 ** 22 + 12345), 'a number no process has')
})
