#!/usr/bin/env node
import { run } from './cli/run.js'

const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, now: Date.now, env: process.env })
process.exitCode = code
