import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { FileStore } from '../../src/storage/file-store.js'
import { depositFailure } from '../../src/server/services/maintenance.js'
import { Clock, DAY, testApp } from './helpers.js'

/**
 * /readyz follows the deposits' outcomes: 503 with a French reason once a
 * run's deposits fail (the start's or a later month's), 200 again once a run
 * succeeds; a run that begins changes nothing (but the very first).
 */

/** What Node says of a full disk, with its code. */
function noSpace (): Error {
  return Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC', errno: -28, syscall: 'write' })
}

async function readyz (app: FastifyInstance): Promise<{ status: number, message: string }> {
  const res = await app.inject({ url: '/readyz' })
  return { status: res.statusCode, message: res.json<{ message?: string }>().message ?? '' }
}

t.test('a later month\'s deposits failing make the server not ready, with the reason in French, until a run succeeds', async (t) => {
  const clock = new Clock()
  const app = await testApp(t, { now: clock.now })
  t.equal((await readyz(app)).status, 200)
  clock.advance(5 * DAY) // December's stocks are due
  const store = app.files.storage.store
  const createTemp = store.createTemp.bind(store)
  store.createTemp = async () => { throw noSpace() }
  await t.rejects(app.maintenance.runNow(false), { code: 'ENOSPC' })
  const failed = await readyz(app)
  t.equal(failed.status, 503, 'not ready: the month\'s deposits failed')
  t.match(failed.message, /dépôts impossibles \(le disque est plein\)/)
  t.notMatch(failed.message, /no space/, 'never Node\'s English')

  store.createTemp = createTemp
  await app.maintenance.runNow(false)
  t.equal((await readyz(app)).status, 200, 'ready again once a run has made them')
})

t.test('start deposits that fail: 503 in French, and the runs that try again leave the server not ready until one succeeds', async (t) => {
  const original = Object.getOwnPropertyDescriptor(FileStore.prototype, 'createTemp')
  t.teardown(() => { if (original !== undefined) Object.defineProperty(FileStore.prototype, 'createTemp', original) })
  let full = true
  let app: FastifyInstance | null = null
  const readyWhenWriting: boolean[] = []
  const createTemp = FileStore.prototype.createTemp
  FileStore.prototype.createTemp = async function (this: FileStore, ...args: Parameters<typeof createTemp>) {
    if (app !== null) readyWhenWriting.push(app.maintenance.ready)
    if (full) throw noSpace()
    return await createTemp.apply(this, args)
  }
  app = await testApp(t)
  const failed = await readyz(app)
  t.equal(failed.status, 503, 'the start\'s deposits failed')
  t.equal(failed.message, 'Le serveur n\'est pas prêt : dépôts impossibles (le disque est plein) ; la prochaine maintenance les réessaie.')
  t.equal(app.maintenance.error, 'le disque est plein')

  for (let i = 0; i < 2; i++) await t.rejects(app.maintenance.runNow(false), { code: 'ENOSPC' }, `try ${i + 1}, the disk still full`)
  t.ok(readyWhenWriting.length >= 2, 'the tries wrote')
  t.same([...new Set(readyWhenWriting)], [false], 'not ready while a try is under way')
  t.equal((await readyz(app)).status, 503)

  full = false
  await app.maintenance.runNow(false)
  t.equal((await readyz(app)).status, 200, 'ready once a try succeeds')
  t.equal(app.maintenance.error, null)
  t.ok(app.storage.files.list('77').length > 0, 'and the stocks are made')
})

t.test('the reason of a failure is French whatever the code', async (t) => {
  t.equal(depositFailure(noSpace()), 'le disque est plein')
  t.equal(depositFailure(Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' })), 'le disque est plein')
  t.equal(depositFailure(Object.assign(new Error('EIO: i/o error, write'), { code: 'EIO' })), 'erreur matérielle du disque')
  t.equal(depositFailure(Object.assign(new Error('ESTALE: stale file handle'), { code: 'ESTALE' })), 'erreur ESTALE, détaillée dans le journal du serveur')
  t.equal(depositFailure(new Error('fabrication du PECGM impossible')), 'erreur interne, détaillée dans le journal du serveur')
})
