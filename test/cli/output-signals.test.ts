import t from 'tap'
import { spawn } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { installedCommand } from '../../src/paths.js'
import { waitFor } from '../waiting.js'

/**
 * A command stopped by Ctrl+C (SIGINT), SIGTERM or a closed terminal
 * (SIGHUP) while it writes a file leaves nothing behind: neither the file
 * nor its temporary one (src/cli/output.ts), and it ends by the signal, as
 * a shell expects. The installed command (`npm run build` first), on a file
 * large enough to be stopped midway: a stock written by several threads,
 * and a CGPEM written chunk by chunk.
 */

const BIN = installedCommand()
const built = existsSync(BIN)
const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname

const commands = [
  { name: 'generate (a stock on several threads)', args: ['generate', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-01', '--records', '3000000', '--output', 'big.txt'] },
  { name: 'sample cgpem (chunk by chunk)', args: ['sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--date', '2026-11-02', '--records', '4000000', '--output', 'big.xml'] }
]

for (const command of commands) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    t.test(`${command.name} stopped by ${signal} while writing: nothing left in the folder, ended by the signal`, { skip: !built && 'dist/ not built (npm run build)' }, async (t) => {
      const dir = t.testdir()
      // the test runner's hooks are in NODE_OPTIONS: env(1) drops them, as a user's shell has none
      const child = spawn('env', ['-u', 'NODE_OPTIONS', process.execPath, BIN, ...command.args], { cwd: dir, stdio: ['ignore', 'ignore', 'pipe'] })
      let stderr = ''
      child.stderr.on('data', (d: Buffer) => { stderr += d.toString() })
      const closed = new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('close', (code, s) => resolve([code, s])))
      t.teardown(() => { if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL') })
      // stopped once its temporary file holds some bytes: midway
      const temporary = await waitFor('the temporary file', () => readdirSync(dir).find((f) => f.endsWith('.tmp') && statSync(join(dir, f)).size > 1 << 20) ?? null, 60_000, 20)
      t.match(temporary, /^\.big\.(txt|xml)\.\d+\.tmp$/)
      child.kill(signal)
      const [code, ended] = await closed
      t.same([code, ended], [null, signal], `ended by ${signal} (exit status 128 + its number in a shell); stderr: ${stderr}`)
      t.same(readdirSync(dir), [], 'neither the file nor its temporary one')
    })
  }
}
