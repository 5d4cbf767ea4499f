import t from 'tap'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { AS, monthlyName, multipart, testApp } from '../server/helpers.js'
import { cli } from './helpers.js'

const DEMO = new URL('../../scenarios/demo.yaml', import.meta.url).pathname

interface Check { id: string, status: string, reason?: string }

/** An upload of `path` by the 77, as a form would send it. */
function upload (name: string, path: string): { method: 'POST', url: string, headers: Record<string, string>, payload: Buffer } {
  const form = multipart(name, readFileSync(path))
  return { method: 'POST', url: '/api/v1/files', headers: { ...AS.dept77, ...form.headers }, payload: form.payload }
}

t.test('a person qualifies by hand with the files sample cgpem --qualification writes, the second one from the answer PECGM', async (t) => {
  const dir = t.testdir()
  const app = await testApp(t, { dataDir: join(dir, 'data') })
  const started = await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  t.equal(started.statusCode, 201)
  const debut = (started.json() as { planning: { debut: string } }).planning.debut
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).statusCode, 200)

  const first = join(dir, 'cgpem-1.xml')
  const made1 = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--date', debut, '--output', first)
  t.equal(made1.code, 0, made1.stderr)
  const up1 = await app.inject(upload('cgpem-1.xml', first))
  t.equal(up1.statusCode, 201, up1.body)
  t.equal(up1.json().report.stats.warnings, 0, 'every orientation designates a person of the sample')

  await app.maintenance.settled()
  const files = (await app.inject({ url: '/api/v1/files', headers: AS.dept77 })).json() as { files: { name: string, kind: string, createdAt: string }[] }
  const answer = files.files.find((f) => f.kind === 'PECGM' && f.name !== monthlyName('77'))
  t.ok(answer, `the server deposited its answer beside the monthly stock: ${files.files.map((f) => f.name).join(', ')}`)
  const pecgm = join(dir, 'retour.txt')
  writeFileSync(pecgm, (await app.inject({ url: `/api/v1/files/${encodeURIComponent(answer?.name ?? '')}`, headers: AS.dept77 })).rawPayload)

  const second = join(dir, 'cgpem-2.xml')
  const made2 = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--date', debut, '--pecgm', pecgm, '--output', second)
  t.equal(made2.code, 0, made2.stderr)
  const up2 = await app.inject(upload('cgpem-2.xml', second))
  t.equal(up2.statusCode, 201, up2.body)
  await app.maintenance.settled()

  const checks = ((await app.inject({ url: '/api/v1/qualification', headers: AS.dept77 })).json() as { checks: Check[] }).checks
  for (const id of ['natures', 'rapprochement', 'aller-retour']) t.match(checks.find((c) => c.id === id), { status: 'passed' }, id)
})
