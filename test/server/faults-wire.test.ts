import t, { type Test } from 'tap'
import { createServer, get, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sendPaced } from '../../src/server/faults-wire.js'

/** Serves one body through sendPaced; resolves with what the client got, the bytes sent and the most 'close' listeners the response had above its own. */
async function pacedOnce (t: Test, body: Buffer, bytesPerSecond: number): Promise<{ got: Buffer, sent: number, extraListeners: number }> {
  let sent = 0
  let extraListeners = 0
  const server = createServer((_req, res: ServerResponse) => {
    const own = res.listenerCount('close')
    const watch = setInterval(() => { extraListeners = Math.max(extraListeners, res.listenerCount('close') - own) }, 1)
    res.writeHead(200, { 'content-length': body.length })
    sendPaced(res, [body], { faultId: 1, bytesPerSecond, afterBytes: null }).then((n) => {
      sent = n
      clearInterval(watch)
    }, t.error)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`)
  const got = Buffer.from(await res.arrayBuffer())
  // the server's side settles just after the client has the last byte
  await new Promise((resolve) => setTimeout(resolve, 50))
  return { got, sent, extraListeners }
}

t.test('a slow body is sent whole, in many paced pieces, with one listener of its own on the response whatever their number', async (t) => {
  const warnings: Error[] = []
  const onWarning = (w: Error): void => { warnings.push(w) }
  process.on('warning', onWarning)
  t.teardown(() => { process.off('warning', onWarning) })
  // 64 KiB slices every 7 ms: 24 pieces
  const body = Buffer.alloc(24 * 65_536, 0x41)
  const { got, sent, extraListeners } = await pacedOnce(t, body, 10_000_000)
  t.equal(got.length, body.length, 'the whole body')
  t.equal(sent, body.length, 'counted as sent')
  t.ok(extraListeners <= 2, `at most two 'close' listeners of its own at any time (saw ${extraListeners})`)
  t.notOk(warnings.some((w) => w.name === 'MaxListenersExceededWarning'), 'no MaxListenersExceededWarning')
})

t.test('a client gone mid-way ends the paced sending: it resolves with fewer bytes than the body', async (t) => {
  const body = Buffer.alloc(40 * 65_536, 0x42)
  const done = new Promise<number>((resolve) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': body.length })
      sendPaced(res, [body], { faultId: 1, bytesPerSecond: 2_000_000, afterBytes: null }).then(resolve, t.error)
    })
    server.listen(0, '127.0.0.1', () => {
      t.teardown(() => { server.close() })
      const req = get(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`, (res) => {
        res.once('data', () => { req.destroy() })
      })
      req.on('error', () => {})
    })
  })
  const sent = await done
  t.ok(sent > 0 && sent < body.length, `stopped part way (${sent} of ${body.length} bytes)`)
})
