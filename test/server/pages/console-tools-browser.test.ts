import t from 'tap'
import { parseNow } from '../../../src/clock.js'
import { ADMIN_PASSWORD, AS, monthlyName, testApp } from '../helpers.js'
import { browserSession, screenshot, withChromium } from './browser.js'
import { PageClient } from './client.js'

/**
 * The console's tools in a real Chromium: the journal, the messages, the
 * clock and the faults, each page checked by axe-core, the forms working
 * without JavaScript (the faults form showing only what applies with it),
 * no Content-Security-Policy violation anywhere.
 */

await withChromium(t, 'the console\'s tools in Chromium', main)

async function main (executablePath: string): Promise<void> {
  const start = parseNow('2026-11-02T08:00:00')?.at as number
  const app = await testApp(t, { clock: { mode: 'frozen', start: { at: start, zone: 'Europe/Paris' } } })
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const { cspViolations, context, accessible, login } = await browserSession(t, executablePath, base, { viewport: { width: 1100, height: 760 } })

  // what the pages show: 77's requests and misses, a message citing its stock, a request of 93 that met a fault
  for (let i = 0; i < 3; i++) {
    await app.inject({ url: '/api/v1/files', headers: AS.dept77 })
    await app.inject({ url: '/api/v1/files/ABSENT.xml', headers: AS.dept77 })
  }
  const writer = new PageClient(app, '192.0.2.77')
  await writer.login('dept77', 'demo-77')
  await writer.get('/nous-ecrire')
  await writer.post('/nous-ecrire', { sujet: 'Le stock s\'arrête à la moitié', message: 'Bonjour,\nle téléchargement du stock s\'arrête à 50 %.\nMerci.', fichier: monthlyName('77') })
  await app.faults.create({ code: 'http-500', departement: '93', route: 'list' }, 'admin')
  await app.inject({ url: '/api/v1/files', headers: AS.dept93 })

  await t.test('the journal, filtered and refused without JavaScript; the messages marked read', async (t) => {
    const ctx = await context({ javaScriptEnabled: false })
    const page = await ctx.newPage()
    await login(page, 'admin', ADMIN_PASSWORD, '**/console')
    await page.getByRole('navigation').getByRole('link', { name: 'Journal' }).click()
    t.equal(await page.locator('h1').innerText(), 'Journal d\'audit')
    t.match(await page.locator('table.journal').innerText(), /panne simulée n° 1/, 'the request that met the fault, marked')
    await accessible(t, page, 'journal', false)
    // the start's entry names the data folder, which is under the clone: the same everywhere in the image
    await screenshot(page, 'console-journal', { 'code.request-id': '3f2a9c4e-0d1b-4e7a-9c55-1b2d3e4f5a6b', 'span.duration': '1,2 ms', 'table.journal td > div:has-text("démarrage, dossier")': 'démarrage, dossier /srv/phebus-mock' })
    await page.locator('details.console-filters > summary').click()
    await page.getByLabel('Statut HTTP').fill('4xx')
    await page.getByLabel('Département').fill('77')
    await page.getByRole('button', { name: 'Filtrer le journal' }).click()
    t.match(page.url(), /departement=77.*statut=4xx/)
    const statuses = await page.locator('table.journal .status-code').allInnerTexts()
    t.ok(statuses.length >= 3 && statuses.every((s) => /^4\d\d$/.test(s)), `only 4xx: ${statuses.join(', ')}`)
    await page.getByLabel('Statut HTTP').fill('quatre')
    await page.getByRole('button', { name: 'Filtrer le journal' }).click()
    t.match(await page.locator('.error-summary').innerText(), /Statut illisible/)
    await accessible(t, page, 'journal refusé', false)

    await page.getByRole('navigation').getByRole('link', { name: 'Messages' }).click()
    t.match(await page.locator('.message').first().innerText(), /Le stock s'arrête à la moitié[\s\S]*non lu[\s\S]*PECGM_77_M_20261101_20261102\.txt/)
    await accessible(t, page, 'messages', false)
    await screenshot(page, 'console-messages')
    await page.getByRole('button', { name: /^Marquer comme lu/ }).first().click()
    t.match(await page.locator('.notice').innerText(), /marqué comme lu/)
    t.match(await page.locator('.message').first().innerText(), /\blu\b/)
    const m = (await app.inject({ url: '/api/v1/admin/messages', headers: AS.admin })).json().messages[0]
    t.not(m.readAt, null, 'read, for the API too')
    await ctx.close()
  })

  await t.test('the clock advanced by a month without JavaScript: its result, reloaded without moving; going back refused at the field', async (t) => {
    const ctx = await context({ javaScriptEnabled: false })
    const page = await ctx.newPage()
    await login(page, 'admin', ADMIN_PASSWORD, '**/console')
    await page.goto('/console/horloge')
    t.match(await page.locator('.clock-now').innerText(), /2026-11-02 08:00 \(Europe\/Paris\)/)
    await accessible(t, page, 'horloge', false)
    await screenshot(page, 'console-horloge')
    await page.getByRole('button', { name: 'Avancer d\'un mois (+1M)' }).click()
    await page.waitForURL('**/console/horloge/resultat/*')
    t.equal(await page.locator('h1').innerText(), 'Horloge avancée')
    t.match(await page.locator('main').innerText(), /PECGM_77_M_20261201_20261201\.txt/)
    await accessible(t, page, 'horloge avancée', false)
    await screenshot(page, 'console-horloge-resultat')
    const after = app.clock.now()
    await page.reload()
    t.equal(app.clock.now(), after, 'reloading the result moves nothing')
    await page.goto('/console/horloge')
    await page.getByLabel('Date', { exact: true }).fill('2026-11-20')
    await page.getByRole('button', { name: 'Aller à cette date' }).click()
    t.match(await page.locator('.error-summary').innerText(), /ne recule pas/)
    t.match(await page.locator('#date-erreur').innerText(), /ne recule pas/, 'at the field')
    await accessible(t, page, 'horloge refusée', false)
    await ctx.close()
  })

  await t.test('faults: with JavaScript only the chosen code\'s fields; set, listed, lifted; without it every field, the server reading what applies', async (t) => {
    const ctx = await context()
    const page = await ctx.newPage()
    await login(page, 'admin', ADMIN_PASSWORD, '**/console')
    await page.goto('/console/pannes?departement=77')
    t.equal(await page.locator('#departement').inputValue(), '77', 'pre-selected')
    t.equal(await page.locator('[data-for="http"]').isVisible(), false, 'nothing chosen: no target yet')
    await page.getByLabel('Panne', { exact: true }).selectOption('http-503')
    t.equal(await page.locator('[data-for="http"]').isVisible(), true, 'the requests to hit')
    t.equal(await page.getByLabel('Retry-After (secondes)').isVisible(), true)
    t.equal(await page.getByLabel('Délai avant la réponse (millisecondes)').isVisible(), false, 'not a delay')
    t.equal(await page.locator('[data-for="deposit"]').isVisible(), false, 'not a deposit')
    t.match(await page.locator('#code-effet').innerText(), /service indisponible/, 'what it does')
    await page.getByLabel('Les téléchargements de fichiers').check()
    await page.getByLabel('Retry-After (secondes)').fill('120')
    await accessible(t, page, 'pannes')
    await page.evaluate('window.scrollTo(0, 0)')
    await screenshot(page, 'console-pannes')
    await page.getByRole('button', { name: 'Poser la panne' }).click()
    t.match(await page.locator('.notice').innerText(), /Panne n° \d+ posée : Erreur 503 avec Retry-After, téléchargements, département 77/)
    const posed = app.faults.list({ departement: '77' }).faults[0]
    t.match(posed, { code: 'http-503', route: 'download', retryAfterSeconds: 120, active: true })
    await page.getByRole('button', { name: `Lever la panne n° ${posed?.id ?? 0}` }).click()
    t.match(await page.locator('.notice').innerText(), /levée/)
    t.equal(app.faults.find(posed?.id ?? 0)?.active, false)
    await ctx.close()

    const plain = await context({ javaScriptEnabled: false })
    const p = await plain.newPage()
    await login(p, 'admin', ADMIN_PASSWORD, '**/console')
    await p.goto('/console/pannes')
    t.equal(await p.getByLabel('Délai avant la réponse (millisecondes)').isVisible(), true, 'without JavaScript, every field')
    await p.getByLabel('Panne', { exact: true }).selectOption('truncated')
    await p.locator('#departement').selectOption('93')
    await p.getByLabel('Le prochain stock mensuel').check()
    await p.getByLabel('Délai avant la réponse (millisecondes)').fill('999')
    await p.getByRole('button', { name: 'Poser la panne' }).click()
    t.match(await p.locator('.notice').innerText(), /Fichier tronqué, prochain stock mensuel, département 93/)
    t.match(app.faults.list({ departement: '93', active: true }).faults[0], { code: 'truncated', deposit: 'stock', delayMs: null }, 'the delay, which does not apply, ignored')
    await p.getByLabel('Panne', { exact: true }).selectOption('delay')
    await p.getByLabel('Délai avant la réponse (millisecondes)').fill('99999999')
    await p.getByRole('button', { name: 'Poser la panne' }).click()
    t.match(await p.locator('.error-summary').innerText(), /Délai/)
    t.equal(await p.locator('#delai').getAttribute('aria-invalid'), 'true', 'at the field')
    await accessible(t, p, 'pannes refusée', false)
    await plain.close()
  })

  t.same(cspViolations, [], 'no Content-Security-Policy violation in any page')
}
