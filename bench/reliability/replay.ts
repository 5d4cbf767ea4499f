import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { HEAVY_FUZZ } from './fuzz.js'
import { demoScenario, validCgpem } from './lib/cgpem.js'
import { createAccounts, drawCase } from './lib/fuzzer.js'
import { json, rawExchange, send } from './lib/http.js'
import { loggedErrors, startServer, stopServer } from './lib/spawn.js'

/**
 * One fuzzed upload replayed alone, to look at a broken invariant:
 *   node dist/bench/reliability/replay.js SEED INDEX [--light] [--times N]
 * draws upload INDEX of the run of SEED (the heavy run's, or with --light the
 * test's), prints what goes on the wire, sends it N times (3 by default) to a
 * fresh server, and prints each answer, whether the file is kept, and what
 * the server logged.
 */
const args = process.argv.slice(2)
const [seed, index] = args.filter((a) => /^\d+$/.test(a)).map(Number)
const light = args.includes('--light')
const times = Number(args[args.indexOf('--times') + 1] ?? 3) || 3
if (seed === undefined || index === undefined) {
  process.stderr.write('usage : replay.js GRAINE NUMÉRO [--light] [--times N]\n')
  process.exit(2)
}
const params = light ? { largeShare: 0, extraDepartements: 0, idleTimeout: 2 } : HEAVY_FUZZ
const dir = mkdtempSync(join(tmpdir(), 'phebus-replay-'))
const server = await startServer({ dataDir: dir, args: ['--idle-timeout', String(params.idleTimeout)] })
try {
  const scenario = await demoScenario()
  const bases = [validCgpem(scenario, '77', 5), validCgpem(scenario, '93', 20), validCgpem(scenario, '971', 12, 'fixed'), validCgpem(scenario, '77', 40)]
  const large = params.largeShare > 0 ? validCgpem(scenario, '93', 4000) : null
  const accounts = await createAccounts(server.url, params.extraDepartements)
  const c = drawCase({ dataDir: dir, seed, uploads: index + 1, concurrency: 1, ...params }, index, accounts, bases, large, new URL(server.url).host)
  const wire = Buffer.concat(c.wire.segments.map((s) => s.bytes))
  const end = wire.indexOf('\r\n\r\n')
  process.stdout.write(`envoi ${index} (graine ${seed}) : ${c.account.user}, ${c.mutations.join(' + ') || 'témoin'}\n`)
  process.stdout.write(`${wire.subarray(0, end + 4).toString('latin1').replace(/^Authorization: .*$/m, 'Authorization: …')}`)
  process.stdout.write(`… puis ${wire.length - end - 4} octets ; ${c.wire.ending === 'destroy' ? 'connexion coupée' : 'attente de la réponse'}\n\n`)
  for (let i = 1; i <= times; i++) {
    const out = await rawExchange(server.url, c.wire.segments, { ending: c.wire.ending, quietMs: (params.idleTimeout + 3) * 1000 })
    process.stdout.write(`essai ${i} : connexion ${out.ended}${out.error === null ? '' : ` (${out.error})`}, ${out.responses.length} réponse(s)\n`)
    for (const r of out.responses) process.stdout.write(`  ${r.status} ${r.body.subarray(0, 240).toString('utf8')}\n`)
    const files = json<{ files: { name: string, size: number, sha256: string }[] }>(await send(`${server.url}/api/v1/files`, { headers: { authorization: c.account.authorization } })).files
    const kept = files.find((f) => f.name === c.name)
    process.stdout.write(`  ${c.name.slice(0, 60)} : ${kept === undefined ? 'pas gardé' : `gardé, ${kept.size} octets`}\n`)
  }
} finally {
  await stopServer(server)
  for (const e of loggedErrors(server)) process.stdout.write(`journal du serveur : ${e}\n`)
  rmSync(dir, { recursive: true, force: true })
}
