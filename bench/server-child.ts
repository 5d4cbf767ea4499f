import { firstOfMonth, todayDay } from '../src/layouts/dates.js'
import { createDepartement } from '../src/server/services/accounts.js'
import { depositPecgm } from '../src/server/services/deposits.js'
import { startQuietServer } from './support.js'

/**
 * The server under test, in a process of its own (loopback, port 0):
 *   server-child DATA_DIR [RECORDS]
 * starts `serve` on DATA_DIR, deposits for 77 a monthly PECGM of RECORDS
 * records when asked, starts 77's qualification (its uploads are then
 * tallied, matched and answered), creates a département outside the
 * scenario (13, no qualification campaign), then prints
 * { url, file, path, dept13 } and runs until SIGTERM.
 */
const [dataDir, recordsText] = process.argv.slice(2)
if (dataDir === undefined) throw new Error('usage: server-child DATA_DIR [RECORDS]')
const running = await startQuietServer(dataDir)
let file: string | null = null
let path: string | null = null
if (recordsText !== undefined) {
  const today = todayDay()
  const f = await depositPecgm(running.app.files, running.app.scenario, { departement: '77', periodicity: 'M', referenceDay: firstOfMonth(today), fabricationDay: today, records: Number(recordsText) })
  file = f.name
  path = running.app.storage.store.pathOf('77', f.name)
}
running.app.qualification.start('77', 'dept77')
const { password } = await createDepartement(running.app.storage.accounts, { code: '13', name: 'Bouches-du-Rhône' }, running.app.config.auth.scrypt, Date.now())
process.stdout.write(`${JSON.stringify({ url: running.url, file, path, dept13: password })}\n`)
await running.closed
