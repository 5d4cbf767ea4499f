import { run } from './run.js'

/** The command line of this process, run: its exit status. */
export async function main (argv: string[] = process.argv.slice(2)): Promise<number> {
  return await run(argv, { stdout: process.stdout, stderr: process.stderr, now: Date.now, env: process.env })
}
