import t from 'tap'
import { connect } from 'node:net'
import { AS, listenOnLoopback, testApp, validCgpem } from '../server/helpers.js'

/**
 * HTTP/1.1 answers in order: bytes the parser cannot read after a request
 * on the same connection get their 400 after that request's answer, never
 * instead of it.
 */
t.test('garbage after a whole upload on the same connection: the upload\'s answer first, then the 400', async (t) => {
  const app = await testApp(t)
  const { port } = await listenOnLoopback(app)
  const body = await validCgpem('77', 200)
  const text = await new Promise<string>((resolve) => {
    let got = ''
    const socket = connect(port, '127.0.0.1', () => {
      socket.write(`POST /api/v1/files?name=suivi-de-dechets.xml HTTP/1.1\r\nHost: x\r\nAuthorization: ${AS.dept77.authorization}\r\nContent-Type: application/xml\r\nContent-Length: ${body.length}\r\n\r\n`)
      socket.write(Buffer.concat([body, Buffer.from('PAS UNE REQUETE\r\n\r\n')]))
    })
    socket.on('data', (c: Buffer) => { got += c.toString('latin1') })
    socket.on('close', () => resolve(got))
    socket.on('error', () => resolve(got))
  })
  const statuses = [...text.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1])
  t.same(statuses, ['201', '400'], 'the upload\'s 201, then the 400 of the garbage')
  t.ok(app.storage.files.find('77', 'suivi-de-dechets.xml'), 'and the upload the client was told of is kept')
})

t.test('a département posting to an admin route gets the very answer of a route that does not exist, connection header included', async (t) => {
  const app = await testApp(t)
  const post = async (path: string): Promise<{ statusCode: number, headers: Record<string, unknown>, body: string }> =>
    await app.inject({ method: 'POST', url: `/api/v1/admin/${path}`, headers: { ...AS.dept77, 'content-type': 'application/json' }, payload: '{}' })
  const real = await post('departements')
  const none = await post('nexiste-pas')
  t.equal(real.statusCode, 404)
  t.equal(real.headers.connection, none.headers.connection)
  t.equal(real.body.replace(/"requestId":"[^"]+"/, ''), none.body.replace(/"requestId":"[^"]+"/, ''))
})
