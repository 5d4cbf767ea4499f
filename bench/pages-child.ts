import { cgpemChunks } from '../src/generate/cgpem-file.js'
import { sampleOrientations } from '../src/generate/cgpem-sample.js'
import { todayDay } from '../src/layouts/dates.js'
import { createDepartement } from '../src/server/services/accounts.js'
import { startQuietServer } from './support.js'

/**
 * The server for the pages' figures, in a process of its own (loopback,
 * port 0):  pages-child DATA_DIR FILES
 * creates département 13 (outside the scenario: no qualification), gives it
 * FILES files in all (its monthly stock and small CGPEMs sent through the
 * API) and a browser session; opens one for 77 too (whose uploads the
 * figures compare, its qualification not started), then prints
 * { url, password, session, session77, csrf77, files } and runs until SIGTERM.
 */
const [dataDir, filesText] = process.argv.slice(2)
if (dataDir === undefined || filesText === undefined) throw new Error('usage: pages-child DATA_DIR FILES')
const running = await startQuietServer(dataDir)
const app = running.app
const { password } = await createDepartement(app.storage.accounts, { code: '13', name: 'Bouches-du-Rhône' }, app.config.auth.scrypt, Date.now())
const authorization = `Basic ${Buffer.from(`dept13:${password}`).toString('base64')}`
const today = todayDay()
const cgpem = Buffer.concat([...cgpemChunks(sampleOrientations({ scenario: app.scenario, departement: '77', referenceDay: today, today, records: 3 }), 'xml')])
for (let i = app.files.list('13').length; i < Number(filesText); i++) {
  const res = await app.inject({ method: 'POST', url: `/api/v1/files?name=CGPEM_13_${String(i).padStart(4, '0')}.xml`, payload: cgpem, headers: { authorization, 'content-type': 'application/octet-stream' } })
  if (res.statusCode !== 201) throw new Error(`setting up 13's files: ${res.statusCode} ${res.body}`)
}
const for13 = app.sessions.open('dept13')
const for77 = app.sessions.open('dept77')
process.stdout.write(`${JSON.stringify({ url: running.url, password, session: for13.token, session77: for77.token, csrf77: app.sessions.csrfToken(for77.session.csrfSecret), files: app.files.list('13').length })}\n`)
await running.closed
