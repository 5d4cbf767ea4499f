import t from 'tap'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseIsoDate } from '../../src/layouts/dates.js'
import { newCampaign } from '../../src/qualification/campaign.js'
import { buildSample, sampleSizeOf } from '../../src/qualification/sample.js'
import { loadScenarioFile } from '../../src/scenarios/load.js'
import { AS, testApp } from '../server/helpers.js'

const DAY = parseIsoDate('2026-11-27') as number
const SMALL = `name: petit
description: un petit scénario de test
seed: 7
departements:
  - { code: '77', name: Seine-et-Marne, population: 21 }
  - { code: '93', name: Seine-Saint-Denis, population: 0 }
  - { code: '971', name: Guadeloupe, population: 200 }
`

t.test('a sample is qualification.sampleSize people, never more than the population they are the first of', async (t) => {
  const file = join(t.testdir(), 'petit.yaml')
  writeFileSync(file, SMALL)
  const scenario = await loadScenarioFile(file)
  t.equal(sampleSizeOf(scenario, '971'), 60, 'the default size, the population being larger')
  t.equal(sampleSizeOf(scenario, '77'), 21, 'a population of 21: a sample of 21')
  t.equal(sampleSizeOf(scenario, '93'), 0)
  const sample = buildSample(scenario, '77', DAY)
  t.equal(sample.length, 21)
  t.same(sample.map((m) => m.index), Array.from({ length: 21 }, (_, i) => i), 'the first 21 people, all of the population')
  t.equal(newCampaign(scenario, { code: '77', name: 'Seine-et-Marne' }, 1, DAY, new Date(0)).sampleSize, 21, 'the campaign says the same size')
})

t.test('a département of population 0 starts no qualification: 409 in French, nothing opened', async (t) => {
  const dir = t.testdir()
  const file = join(dir, 'petit.yaml')
  writeFileSync(file, SMALL)
  const app = await testApp(t, { scenarioPath: file, dataDir: join(dir, 'data') })
  const res = await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept93 })
  t.equal(res.statusCode, 409)
  t.match(res.json(), { code: 'PHEBUS_QUALIFICATION_NO_SAMPLE', message: /n'a personne dans sa population/ })
  t.match((await app.inject({ url: '/api/v1/qualification', headers: AS.dept93 })).json(), { started: false })
  t.equal((await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })).statusCode, 201, 'a population of 21 starts')
  t.equal((await app.inject({ url: '/api/v1/qualification/sample', headers: AS.dept77 })).json().length, 21)
})
