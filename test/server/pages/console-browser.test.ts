import t from 'tap'
import { ADMIN_PASSWORD, AS, basic, monthlyName, testApp, validCgpem } from '../helpers.js'
import { browserSession, screenshot, withChromium } from './browser.js'

/**
 * The console's room, a département's page and creating a département in a
 * real Chromium: every page checked by axe-core, the forms working without
 * JavaScript, the room's table updated without a reload, no
 * Content-Security-Policy violation anywhere.
 */

await withChromium(t, 'the console in Chromium', main)

async function main (executablePath: string): Promise<void> {
  const app = await testApp(t)
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const { cspViolations, context, accessible, login } = await browserSession(t, executablePath, base, { viewport: { width: 1100, height: 760 } })

  // what the pages show: an upload of 77 with its report, its campaign started, a lock on 93
  await app.inject({ method: 'POST', url: '/api/v1/files?name=CGPEM_77_navigateur.xml', payload: await validCgpem('77', 5), headers: { ...AS.dept77, 'content-type': 'application/octet-stream' } })
  await app.inject({ method: 'POST', url: '/api/v1/qualification/start', headers: AS.dept77 })
  for (let i = 0; i < 5; i++) await app.inject({ url: '/api/v1/files', remoteAddress: '192.0.2.9', headers: basic('dept93', 'mauvais') })

  await t.test('the room: the admin lands there, and its table follows what happens without a reload', async (t) => {
    const ctx = await context()
    const page = await ctx.newPage()
    await login(page, 'admin', ADMIN_PASSWORD, '**/console')
    t.equal(await page.locator('h1').innerText(), 'La salle')
    await accessible(t, page, 'la salle')
    const row93 = page.getByRole('row', { name: /93 — Seine-Saint-Denis/ })
    t.match(await row93.innerText(), /dept93 depuis 192\.0\.2\.9/)
    await screenshot(page, 'console-salle')
    await page.evaluate('window.notReloaded = true')
    // a keyboard user on a row's link when the rows are replaced
    await row93.getByRole('link', { name: /93 — Seine-Saint-Denis/ }).focus()
    await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '93', periodicity: 'Q' } })
    // locators wait in Playwright's own world: the page's CSP forbids the eval of waitForFunction
    await row93.locator('td.num', { hasText: /^2$/ }).waitFor({ timeout: 12_000 })
    t.equal(await page.evaluate('window.notReloaded'), true, 'the same page, its rows replaced')
    t.equal(await page.evaluate('document.activeElement && document.activeElement.getAttribute("href")'), '/console/departements/93', 'the focus stays on the link it was on, in the new rows')
    t.match(await page.locator('[data-refresh-status]').innerText(), /Tableau mis à jour à/)
    await page.getByRole('link', { name: '77 — Seine-et-Marne' }).click()
    await page.waitForURL('**/console/departements/77')
    await ctx.close()
  })

  await t.test('a département\'s page, its report, its bilan and its confirmations pass axe-core', async (t) => {
    await app.faults.create({ code: 'truncated', departement: '77', deposit: 'flux' }, 'admin')
    await app.inject({ method: 'POST', url: '/api/v1/admin/deposits', headers: AS.admin, payload: { departement: '77', periodicity: 'Q' } })
    await app.faults.create({ code: 'http-503', departement: '77', route: 'download', times: 3 }, 'admin')
    const ctx = await context()
    const page = await ctx.newPage()
    await login(page, 'admin', ADMIN_PASSWORD, '**/console')
    await page.goto('/console/departements/77')
    t.match(await page.locator('main').innerText(), /endommagé : Fichier tronqué/)
    t.match(await page.locator('main').innerText(), /Erreur 503 avec Retry-After/)
    await accessible(t, page, 'page du département')
    await screenshot(page, 'console-departement')
    await page.getByRole('link', { name: 'accepté' }).click()
    t.match(await page.locator('.verdict').innerText(), /CGPEM_77_navigateur\.xml : accepté/)
    await accessible(t, page, 'rapport (console)')
    await page.goto('/console/departements/77')
    await page.getByRole('link', { name: 'Lire le bilan' }).click()
    await accessible(t, page, 'bilan (console)')
    await page.getByRole('link', { name: 'Approuver le bilan' }).click()
    await accessible(t, page, 'confirmation (console)')
    await page.getByRole('button', { name: 'Approuver le bilan' }).click()
    t.match(await page.locator('.notice').innerText(), /Bilan approuvé pour Pôle emploi/)
    await ctx.close()
  })

  await t.test('without JavaScript: create a département, give a password, deposit, lift a lock', async (t) => {
    const ctx = await context({ javaScriptEnabled: false })
    const page = await ctx.newPage()
    await login(page, 'admin', ADMIN_PASSWORD, '**/console')
    t.ok(await page.getByRole('link', { name: 'Actualiser' }).isVisible(), 'a visible way to refresh')
    await page.getByRole('link', { name: 'Créer un département' }).click()
    await accessible(t, page, 'création', false)
    await page.getByLabel('Code du département').fill('975')
    await page.getByLabel('Mot de passe (facultatif)').fill('court')
    await page.getByRole('button', { name: 'Créer le département' }).click()
    const summary = page.locator('.error-summary')
    t.match(await summary.innerText(), /Département 975 refusé[\s\S]*Nom du département absent[\s\S]*Mot de passe trop court/)
    await accessible(t, page, 'création refusée', false)
    await screenshot(page, 'console-nouveau-departement')
    await summary.getByRole('link', { name: /Nom du département absent/ }).click()
    t.match(page.url(), /#nom$/, 'the summary leads to the field')
    await page.getByLabel('Code du département').fill('78')
    await page.getByLabel('Nom du département').fill('Yvelines')
    await page.getByRole('button', { name: 'Créer le département' }).click()
    t.equal(await page.locator('h1').innerText(), 'Département 78 créé')
    const password = await page.locator('.secret code').innerText()
    t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept78', password) })).json().files[0]?.name, monthlyName('78'))
    // no screenshot here: the drawn password differs at each run
    await accessible(t, page, 'département créé', false)

    await page.getByRole('link', { name: 'La page du département 78' }).click()
    await page.getByRole('button', { name: 'Déposer maintenant' }).click()
    t.match(await page.locator('.notice').innerText(), /PECGM_78_M_20261101_20261127\.txt déposé\./)
    await page.getByRole('link', { name: 'Nouveau mot de passe' }).click()
    await accessible(t, page, 'nouveau mot de passe', false)
    await page.getByRole('button', { name: 'Changer le mot de passe' }).click()
    const again = await page.locator('.secret code').innerText()
    t.not(again, password)
    t.equal((await app.inject({ url: '/api/v1/files', headers: basic('dept78', again) })).statusCode, 200)
    await accessible(t, page, 'mot de passe changé', false)

    await page.goto('/console/departements/93')
    await page.getByRole('button', { name: 'Lever le blocage' }).click()
    t.match(await page.locator('.notice').innerText(), /Blocage levé/)
    t.same(app.authenticator.locks(), [])
    await ctx.close()
  })

  t.same(cspViolations, [], 'no Content-Security-Policy violation in any page')
}
