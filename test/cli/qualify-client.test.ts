import t from 'tap'
import { createServer } from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseServerUrl, QualifyClient } from '../../src/cli/qualify-client.js'
import { PhebusError } from '../../src/errors.js'

t.test('the server\'s address is read as a URL, or refused with the reason in French', async (t) => {
  t.equal(parseServerUrl('http://127.0.0.1:8080').href, 'http://127.0.0.1:8080/')
  t.equal(parseServerUrl('https://[::1]:8443/').host, '[::1]:8443', 'an IPv6 address between brackets')
  const cases = [
    { text: '127.0.0.1:8080', says: /il manque http:\/\/ ou https:\/\// },
    { text: '[::1', says: /il manque http:\/\/ ou https:\/\// },
    { text: 'http://[::1', says: /le crochet fermant de l'adresse IPv6 manque \(par exemple http:\/\/\[::1\]:8080\)/ },
    { text: 'http://[::1/api', says: /le crochet fermant de l'adresse IPv6 manque/ },
    { text: 'http://[::1]:99999', says: /le port « 99999 » n'est pas un nombre de 0 à 65535/ },
    { text: 'http://127.0.0.1:huit', says: /le port « huit » n'est pas un nombre/ },
    { text: 'http://pas une adresse', says: /ce n'est pas une URL/ },
    { text: 'ftp://127.0.0.1', says: /en http:\/\/ ou https:\/\/, pas en ftp:\/\// },
    { text: 'http://127.0.0.1:8080/?x=1', says: /ne porte ni « \? » ni « # »/ },
    { text: 'http://127.0.0.1:8080/#api', says: /ne porte ni « \? » ni « # »/ }
  ]
  for (const c of cases) {
    let caught: unknown = null
    try {
      parseServerUrl(c.text)
    } catch (err) {
      caught = err
    }
    t.ok(caught instanceof PhebusError, `${c.text}: refused`)
    t.match(caught, { code: 'PHEBUS_QUALIFY_UNREACHABLE', message: c.says }, c.text)
  }
})

t.test('an address carrying the account (http://dept93:demo-93@…, as curl takes it) is refused, saying to give --user and --password, its password never repeated; it was « serveur injoignable : erreur réseau »', async (t) => {
  for (const text of ['http://dept93:demo-93@127.0.0.1:8080', 'http://dept93@127.0.0.1:8080/']) {
    let caught: unknown = null
    try {
      parseServerUrl(text)
    } catch (err) {
      caught = err
    }
    t.match(caught, { code: 'PHEBUS_QUALIFY_UNREACHABLE', message: /^adresse invalide « http:\/\/dept93(:\*\*\*)?@127\.0\.0\.1:8080\/? » : le compte ne se donne pas dans l'adresse ; donnez --user et --password \(ou PHEBUS_PASSWORD\)\.$/ }, text)
    t.notMatch((caught as Error).message, /demo-93/, 'the password is not repeated')
  }
})

t.test('an HTTP server reached by https:// is said to be one, whatever code the TLS library gives the failure', async (t) => {
  const server = createServer((_req, res) => { res.end('{}') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo
  const client = new QualifyClient(new URL(`https://127.0.0.1:${port}`), 'Basic eDp5')
  await t.rejects(client.request('GET', '/api/v1/qualification'), { code: 'PHEBUS_QUALIFY_UNREACHABLE', message: /^serveur injoignable à https:\/\/127\.0\.0\.1:\d+\/ : la connexion TLS a échoué \(un serveur HTTP joint en https:\/\/ \?\)/ })
})

t.test('a server behind a prefix (a reverse proxy\'s path) is asked under it, with or without the last slash', async (t) => {
  const asked: string[] = []
  const server = createServer((req, res) => {
    asked.push(req.url ?? '')
    res.setHeader('content-type', 'application/json')
    res.end('{"ok":true}')
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo
  for (const base of [`http://127.0.0.1:${port}/phebus`, `http://127.0.0.1:${port}/phebus/`, `http://127.0.0.1:${port}`]) {
    const client = new QualifyClient(parseServerUrl(base), 'Basic eDp5')
    t.same(await client.json('GET', '/api/v1/files?limit=1'), { ok: true })
  }
  t.same(asked, ['/phebus/api/v1/files?limit=1', '/phebus/api/v1/files?limit=1', '/api/v1/files?limit=1'], 'the prefix kept, once')
})

t.test('a server started with --tls reached by http:// is said maybe to be one: the connection cut is all fetch sees', async (t) => {
  const { loadTls } = await import('../../src/server/tls.js')
  const { createServer: createHttpsServer } = await import('node:https')
  const material = await loadTls({ mode: 'self-signed' }, t.testdir(), Date.UTC(2026, 11, 2))
  const server = createHttpsServer({ key: material?.key, cert: material?.cert }, (_req, res) => { res.end('{}') })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  t.teardown(() => { server.close() })
  const { port } = server.address() as AddressInfo
  const client = new QualifyClient(new URL(`http://127.0.0.1:${port}`), 'Basic eDp5')
  await t.rejects(client.request('GET', '/api/v1/qualification'), { code: 'PHEBUS_QUALIFY_UNREACHABLE', message: /^serveur injoignable à http:\/\/127\.0\.0\.1:\d+\/ : connexion coupée par le serveur \(un serveur HTTPS, lancé avec --tls, joint en http:\/\/ \?\)\.$/ })
})
