import t from 'tap'
import { FormOrders } from '../../../src/server/routes/pages/orders.js'

t.test('two sends of one order in the same turn: the second waits for the first and is led where it went', async (t) => {
  const orders = new FormOrders()
  const [first, second] = [orders.claim('o-1'), orders.claim('o-1')]
  const a = await first
  if (!('settle' in a)) return t.fail('the first send carries the order out')
  setImmediate(() => { a.settle('/la') })
  t.same(await second, { already: '/la' })
  t.same(await orders.claim('o-1'), { already: '/la' }, 'and so is a later one')
})

t.test('an order refused may be sent again; an empty one and another scope\'s are never the same order', async (t) => {
  const orders = new FormOrders()
  const a = await orders.claim('o-2')
  if ('settle' in a) a.settle(null)
  t.ok('settle' in await orders.claim('o-2'), 'refused: carried out again')
  const e = await orders.claim('')
  if ('settle' in e) e.settle('/x')
  t.ok('settle' in await orders.claim(''), 'no order: never kept')
  const s = await orders.claim('o-3', '77')
  if ('settle' in s) s.settle('/77')
  t.ok('settle' in await orders.claim('o-3', '93'), 'another département\'s')
})

t.test('only the last orders are kept', async (t) => {
  const orders = new FormOrders(2)
  for (const o of ['a', 'b', 'c']) {
    const c = await orders.claim(o)
    if ('settle' in c) c.settle(`/${o}`)
  }
  t.ok('settle' in await orders.claim('a'), 'the oldest forgotten')
  t.same(await orders.claim('c'), { already: '/c' })
})

t.test('an order refused while two more sends of it wait: one of them carries it out, the other is led where it went', async (t) => {
  const orders = new FormOrders()
  const [first, second, third] = [orders.claim('o-4'), orders.claim('o-4'), orders.claim('o-4')]
  const a = await first
  if (!('settle' in a)) return t.fail('the first send carries the order out')
  a.settle(null)
  const b = await second
  if (!('settle' in b)) return t.fail('refused: the next send carries it out')
  setImmediate(() => { b.settle('/ici') })
  t.same(await third, { already: '/ici' }, 'the third waits for the second, not for the refused first')
})
