import t from 'tap'
import { timeOrderedId } from '../../src/server/request-id.js'
import { testApp } from './helpers.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

t.test('a request id is a UUID of version 7 whose first 48 bits are its time in ms', async (t) => {
  const at = Date.UTC(2026, 11, 2, 8, 30)
  const id = timeOrderedId(at)
  t.match(id, UUID_V7)
  t.equal(parseInt(id.slice(0, 8) + id.slice(9, 13), 16), at)
})

t.test('ids made in time order sort in time order, and never repeat, even within one millisecond', async (t) => {
  const at = Date.UTC(2026, 11, 2)
  const ids = Array.from({ length: 20_000 }, (_, i) => timeOrderedId(at + Math.floor(i / 100)))
  t.equal(new Set(ids).size, ids.length, 'all different')
  const outOfOrder = ids.findIndex((id, i) => i % 100 === 0 && i > 0 && (ids[i - 1] as string) >= id)
  t.equal(outOfOrder, -1, 'each millisecond\'s ids sort after the one before\'s')
  t.ok(ids.every((id) => UUID_V7.test(id)))
})

t.test('the server answers each request with such an id', async (t) => {
  const app = await testApp(t)
  const res = await app.inject({ url: '/livez' })
  t.match(res.headers['x-request-id'], UUID_V7)
})
