import t from 'tap'
import type { FastifyInstance } from 'fastify'
import { DepartementWork } from '../../src/server/services/departement-work.js'
import { AS, diskFull, raw, testApp, validCgpem } from './helpers.js'

/** A task that runs until open() is called. */
function gate (): { task: () => Promise<void>, open: () => void } {
  let open: () => void = () => {}
  const opened = new Promise<void>((resolve) => { open = resolve })
  return { task: async () => { await opened }, open }
}

/** Holds every task given to the app's DepartementWork from now on until open() (the upload's own request would wait for a task added to it). */
function holdWork (app: FastifyInstance): () => void {
  const held = gate()
  const add = app.departementWork.add.bind(app.departementWork)
  app.departementWork.add = (departement, task, onError) => { add(departement, async () => { await held.task(); await task() }, onError) }
  return held.open
}

/** Whether a promise has settled after the turns already queued have run. */
async function settledYet (p: Promise<unknown>): Promise<boolean> {
  let settled = false
  p.then(() => { settled = true }, () => { settled = true })
  for (let i = 0; i < 20; i++) await new Promise(setImmediate)
  return settled
}

t.test('a département\'s tasks run one at a time in the order given; one that fails is told and the next runs', async (t) => {
  const work = new DepartementWork()
  t.equal(work.whenDone('77'), null, 'nothing to wait for')
  const order: string[] = []
  const errors: unknown[] = []
  const first = gate()
  work.add('77', async () => { order.push('a start'); await first.task(); order.push('a end') }, (err) => errors.push(err))
  work.add('77', async () => { order.push('b'); throw new Error('b a échoué') }, (err) => errors.push(err))
  work.add('77', async () => { order.push('c') }, (err) => errors.push(err))
  work.add('93', async () => { order.push('93') }, (err) => errors.push(err))
  const done77 = work.whenDone('77') as Promise<void>
  t.equal(await settledYet(done77), false, '77 waits for its first task')
  t.same(order, ['a start', '93'], 'another département does not wait for 77')
  t.equal(work.whenDone('93'), null, '93 is done')
  first.open()
  await done77
  t.same(order, ['a start', '93', 'a end', 'b', 'c'])
  t.match(errors, [{ message: 'b a échoué' }])
  t.equal(work.whenDone(null), null, 'nothing left once every task has run')
})

t.test('a task never starts in the turn it is given in, even with nothing before it: the request that gives it answers first', async (t) => {
  const work = new DepartementWork()
  const order: string[] = []
  work.add('77', async () => { order.push('task') }, (err) => { throw err })
  order.push('given')
  for (let i = 0; i < 10; i++) await Promise.resolve()
  order.push('microtasks of the same turn')
  await work.whenDone('77')
  t.same(order, ['given', 'microtasks of the same turn', 'task'])
})

t.test('an upload in qualification is answered before its answer PECGM is made; the département\'s next request, and the admin\'s, wait for it; another département\'s does not', async (t) => {
  const app = await testApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const open = holdWork(app)
  const upload = await app.inject({ method: 'POST', url: '/api/v1/files?name=qualif.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77') })
  t.equal(upload.statusCode, 201, 'the upload is answered while its answer waits')
  t.equal(upload.json().file.status, 'accepted')
  t.notOk(app.files.list('77').some((f) => f.role === 'answer'), 'no answer PECGM yet')

  const list77 = app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  const admin = app.inject({ url: '/api/v1/admin/audit', headers: AS.admin })
  t.equal((await app.inject({ url: '/api/v1/files', headers: AS.dept93 })).statusCode, 200, '93 is answered at once')
  t.equal(await settledYet(list77), false, '77\'s list waits for its answer')
  t.equal(await settledYet(admin), false, 'so does the admin')
  open()
  const files = (await list77).json().files as Array<{ name: string, role?: string }>
  t.ok(files.some((f) => f.role === 'answer' && f.name.startsWith('PECGM_77_')), 'the list shows the answer PECGM')
  t.equal((await admin).statusCode, 200)
})

t.test('a stop waits for a département\'s work before the database closes', async (t) => {
  const app = await testApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  const open = holdWork(app)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=qualif.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77') })).statusCode, 201)
  let answers = -1
  app.departementWork.add('77', async () => { answers = app.files.list('77').filter((f) => f.role === 'answer').length }, (err) => { throw err })
  const closing = app.close()
  t.equal(await settledYet(closing), false, 'the stop waits')
  open()
  await closing
  t.equal(answers, 1, 'the answer was deposited, and the task after it ran, before the database closed')
})

t.test('an answer PECGM that fails (a full disk) is logged and stays due: the département\'s next upload in qualification makes it, before its own', async (t) => {
  const app = await testApp(t)
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201)
  // only the answer's write fails
  diskFull(app, true)
  const answered = async (): Promise<{ name: string, answerTo: string }[]> => {
    const state = (await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json()
    const names = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json().files.filter((f: { role?: string }) => f.role === 'answer').map((f: { name: string }) => f.name)
    return state.answer === null ? names : [state.answer, ...names]
  }
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=premier.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77') })).statusCode, 201)
  t.same(await answered(), [], 'no answer: its deposit failed')
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/files?name=second.xml', headers: { ...AS.dept77, ...raw() }, payload: await validCgpem('77') })).statusCode, 201)
  const [cited, ...files] = await answered()
  t.match(cited, { answerTo: 'premier.xml' }, 'the answer the iteration cites is the first accepted upload\'s')
  t.equal(files.length, 2, 'both uploads answered, once each')
})
