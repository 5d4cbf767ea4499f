import t from 'tap'
import type { Page } from 'playwright-core'
import { parseNow } from '../../../src/clock.js'
import { PecgmValidator } from '../../../src/validate/pecgm-validator.js'
import { cli } from '../../cli/helpers.js'
import { ADMIN_PASSWORD, basic, testApp } from '../helpers.js'
import { browserSession, withChromium } from './browser.js'

/**
 * A trainer's session, played in a real Chromium through the console only:
 * two départements created (each with its population, its deposits and its
 * campaign), one qualified (by the qualify command, as its software would)
 * and seen passing in the room without a reload, a damaged PECGM deposited
 * for the other and shown, a lock lifted, the clock advanced a month.
 */

await withChromium(t, 'a trainer\'s session in Chromium', main)

async function main (executablePath: string): Promise<void> {
  const start = parseNow('2026-11-02T08:00:00')?.at as number
  const app = await testApp(t, { clock: { mode: 'frozen', start: { at: start, zone: 'Europe/Paris' } } })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const { context, login } = await browserSession(t, executablePath, base, { viewport: { width: 1200, height: 800 }, timeout: 20_000 })
  const ctx = await context()
  const page: Page = await ctx.newPage()
  await login(page, 'admin', ADMIN_PASSWORD, /\/console$/)

  /** Creates a département through the form; its drawn password, read once on the confirmation page. */
  async function create (code: string, name: string): Promise<string> {
    await page.goto('/console/departements/nouveau')
    await page.getByLabel('Code du département').fill(code)
    await page.getByLabel('Nom du département').fill(name)
    await page.getByRole('button', { name: 'Créer le département' }).click()
    await page.getByRole('heading', { name: `Département ${code} créé` }).waitFor()
    return (await page.locator('.secret code').textContent())?.trim() ?? ''
  }

  const passwords: Record<string, string> = {}
  await t.test('the trainer creates two départements: each gets its account, its stock and a campaign', async (t) => {
    passwords['13'] = await create('13', 'Bouches-du-Rhône')
    t.match(await page.locator('main').textContent(), /PECGM_13_M_20261101_20261102\.txt/, 'its November stock, deposited at once')
    passwords['33'] = await create('33', 'Gironde')
    for (const code of ['13', '33']) {
      const files = await app.inject({ url: '/api/v1/files', headers: basic(`dept${code}`, passwords[code] as string) })
      t.equal(files.statusCode, 200, `dept${code} logs in with the password shown once`)
      t.ok(files.json().files.length >= 1, `dept${code} has its stock`)
      const q = await app.inject({ url: '/api/v1/qualification', headers: basic(`dept${code}`, passwords[code] as string) })
      t.equal(q.statusCode, 200, `dept${code} has a campaign to start, like the scenario's départements`)
    }
    await page.goto('/console')
    const rows = page.locator('tbody tr')
    t.match(await rows.filter({ hasText: 'Bouches-du-Rhône' }).textContent(), /dept13/)
    t.match(await rows.filter({ hasText: 'Gironde' }).textContent(), /dept33/)
  })

  await t.test('the room shows 13 passing its qualification, without a reload', async (t) => {
    await page.goto('/console')
    const row = page.locator('tbody tr', { hasText: 'Bouches-du-Rhône' })
    const before = await row.textContent()
    t.notMatch(before, /positif/)
    const run = await cli('qualify', '--url', base, '--user', 'dept13', '--password', passwords['13'] as string, '--format', 'json')
    t.equal(run.code, 0, run.stderr)
    t.equal(JSON.parse(run.stdout.toString('utf8')).verdict, 'positif')
    await row.filter({ hasText: /positif/ }).waitFor({ timeout: 20_000 })
    t.pass('the row says « positif » by itself')
  })

  let damaged = ''
  await t.test('a damaged PECGM for 33, set from the faults page, deposited from its page and shown there as damaged', async (t) => {
    await page.goto('/console/pannes?departement=33')
    await page.getByLabel('Panne', { exact: true }).selectOption('truncated')
    await page.getByRole('button', { name: 'Poser la panne' }).click()
    await page.waitForURL(/\/console\/pannes/)
    t.match(await page.locator('main').textContent(), /Fichier tronqué/)

    await page.goto('/console/departements/33')
    await page.getByLabel('le flux quotidien du jour').check()
    await page.getByRole('button', { name: 'Déposer maintenant' }).click()
    await page.waitForLoadState('load')
    const row = page.locator('tr', { hasText: 'endommagé' })
    await row.waitFor()
    t.match(await row.textContent(), /endommagé : Fichier tronqué/)
    damaged = (await row.locator('a[download]').first().textContent())?.trim() ?? ''
    t.match(damaged, /^PECGM_33_Q_20261102_20261102/)

    const download = await app.inject({ url: `/api/v1/files/${damaged}`, headers: basic('dept33', passwords['33'] as string) })
    const v = new PecgmValidator({ today: 20_800 })
    v.push(download.rawPayload)
    t.equal(v.end().valid, false, 'the département\'s validate flags what it downloaded')
    const listed = (await app.inject({ url: '/api/v1/files', headers: basic('dept33', passwords['33'] as string) })).json().files
    t.notOk(JSON.stringify(listed).includes('endommag'), 'the département is told nothing')

    await page.goto('/console/departements/33')
    await page.getByRole('button', { name: 'Déposer les versions correctes' }).click()
    await page.waitForLoadState('load')
    await page.goto('/console/departements/33')
    t.match(await page.locator('tr', { hasText: 'endommagé' }).textContent(), new RegExp(`remplacé par ${damaged.replace('.txt', '_2\\.txt')}`), 'its correct version, deposited at once')
  })

  await t.test('a lock on 33 after five wrong passwords, lifted from its page', async (t) => {
    for (let i = 0; i < 5; i++) await app.inject({ url: '/api/v1/files', headers: basic('dept33', 'mauvais'), remoteAddress: '192.0.2.33' })
    t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept33', passwords['33'] as string), remoteAddress: '192.0.2.33' })).statusCode, 429)
    await page.goto('/console/departements/33')
    await page.getByRole('button', { name: 'Lever le blocage' }).click()
    await page.waitForLoadState('load')
    t.equal(await page.getByRole('button', { name: 'Lever le blocage' }).count(), 0, 'no lock left on the page')
    t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept33', passwords['33'] as string), remoteAddress: '192.0.2.33' })).statusCode, 200)
  })

  await t.test('the clock advanced a month: the result lists December\'s stocks, and reloading it moves nothing', async (t) => {
    await page.goto('/console/horloge')
    await page.getByRole('button', { name: 'Avancer d\'un mois (+1M)' }).click()
    await page.waitForURL(/\/console\/horloge\/resultat\//)
    const text = (await page.locator('main').textContent()) ?? ''
    for (const code of ['13', '33', '77']) t.match(text, new RegExp(`PECGM_${code}_M_20261201_20261201\\.txt`), `${code}'s December stock`)
    await page.reload()
    t.match(await page.locator('main').textContent(), /PECGM_13_M_20261201_20261201/, 'reloading shows the result again')
    t.equal(app.clock.now(), parseNow('2026-12-02T08:00:00')?.at, 'and moves nothing twice')
  })
}
