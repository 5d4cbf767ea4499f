import t from 'tap'
import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { buildServer } from '../../src/server/build.js'
import { appOptions, AS, validCgpem } from './helpers.js'

/** An app on `dir`, its first deposits made; the caller closes it. */
async function start (dir: string, reset: boolean): Promise<Awaited<ReturnType<typeof buildServer>>> {
  const app = await buildServer(appOptions(dir, { reset }))
  await app.maintenance.settled()
  return app
}

async function names (app: Awaited<ReturnType<typeof buildServer>>): Promise<string[]> {
  const res = await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
  return (res.json() as { files: { name: string }[] }).files.map((f) => f.name).sort()
}

t.test('--reset starts like the first run: files, uploads and trail of the earlier run are gone, nothing else in the folder is touched', async (t) => {
  const dir = t.testdir()
  const first = await start(dir, false)
  const fresh = await names(first)
  const upload = await first.inject({ method: 'POST', url: '/api/v1/files?name=CGPEM_77_essai.xml', headers: { ...AS.dept77, 'content-type': 'application/xml' }, payload: await validCgpem() })
  t.equal(upload.statusCode, 201)
  t.ok((await names(first)).includes('CGPEM_77_essai.xml'))
  await first.close()
  writeFileSync(join(dir, 'notes.txt'), 'à garder')

  const kept = await start(dir, false)
  t.ok((await names(kept)).includes('CGPEM_77_essai.xml'), 'without --reset, a restart keeps everything')
  const trail = (await kept.inject({ url: '/api/v1/admin/audit?limit=500', headers: AS.admin })).json() as { entries: { fileName: string | null }[] }
  t.ok(trail.entries.some((e) => e.fileName === 'CGPEM_77_essai.xml'), 'the upload is in the trail before the reset')
  await kept.close()

  const reset = await start(dir, true)
  t.teardown(() => reset.close())
  t.same(await names(reset), fresh, 'the same files as a first start, the upload gone')
  const audit = (await reset.inject({ url: '/api/v1/admin/audit?limit=500', headers: AS.admin })).json() as { entries: { fileName: string | null }[] }
  t.ok(audit.entries.length > 0)
  t.notOk(audit.entries.some((e) => e.fileName === 'CGPEM_77_essai.xml'), 'the trail starts again')
  t.ok(existsSync(join(dir, 'notes.txt')), 'a file that is not the server\'s is left alone')
  t.equal((await reset.inject({ url: '/api/v1/files', headers: AS.dept93 })).statusCode, 200, 'the demo accounts are there again')
})
