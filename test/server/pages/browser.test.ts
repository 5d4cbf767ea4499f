import t from 'tap'
import { readFileSync } from 'node:fs'
import type { Page } from 'playwright-core'
import { cli } from '../../cli/helpers.js'
import { AS, DEMO, monthlyName, testApp, validCgpem } from '../helpers.js'
import { browserSession, screenshot, withChromium } from './browser.js'

/**
 * The partner interface in a real Chromium, through its pages only: what a
 * département's technician does, with and without JavaScript, every page
 * checked by axe-core, no Content-Security-Policy violation anywhere.
 */

await withChromium(t, 'the partner interface in Chromium', main)

async function main (executablePath: string): Promise<void> {
  const app = await testApp(t)
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const { cspViolations, context, accessible, login } = await browserSession(t, executablePath, base, { oncePerKind: true })

  async function upload (page: Page, name: string, content: Buffer): Promise<void> {
    await page.goto('/envoi')
    await page.getByLabel('Fichier CGPEM').setInputFiles({ name, mimeType: 'application/xml', buffer: content })
    await Promise.all([page.waitForURL(/\/rapports\/|\/envoi/), page.getByRole('button', { name: 'Envoyer le fichier' }).click()])
    await page.waitForLoadState('load')
  }

  async function cgpem (more: string[] = []): Promise<Buffer> {
    const r = await cli('sample', 'cgpem', '--scenario', DEMO, '--departement', '77', '--qualification', '--date', '2026-11-27', ...more, '--output', '-')
    if (r.code !== 0) throw new Error(r.stderr)
    return r.stdout
  }

  await t.test('login: wrong, right, and locked with the time to try again', async (t) => {
    const ctx = await context()
    const page = await ctx.newPage()
    await page.goto('/')
    t.equal(await page.title(), 'Authentification — Phebus Interface Partenaire (simulateur)')
    t.equal(await page.getAttribute('html', 'lang'), 'fr')
    await accessible(t, page, 'connexion')
    await screenshot(page, 'connexion')
    // the keyboard reaches the fields, with a focus that shows
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    await page.keyboard.press('Tab')
    t.equal(await page.evaluate('document.activeElement && document.activeElement.id'), 'identifiant', 'skip link, brand, then the first field')
    t.not(await page.evaluate('getComputedStyle(document.activeElement).outlineStyle'), 'none', 'a visible focus')

    for (let i = 0; i < 5; i++) {
      await login(page, 'dept93', 'mauvais')
      t.match(await page.locator('.error-summary').innerText(), /Identifiant ou mot de passe incorrect/)
    }
    await login(page, 'dept93', 'demo-93')
    t.match(await page.locator('.error-summary').innerText(), /réessayez à \d{2} h \d{2} \(heure de Paris\)/)
    await accessible(t, page, 'connexion refusée')

    await login(page, 'dept77', 'demo-77')
    await page.waitForURL('**/fichiers')
    t.equal(await page.locator('h1').innerText(), 'Mes fichiers')
    const cookie = (await ctx.cookies()).find((c) => c.name === 'phebus_session')
    t.match(cookie, { httpOnly: true, sameSite: 'Strict' })
    await ctx.close()
  })

  await t.test('download, uploads accepted and refused, reports, deletion, logout, all without JavaScript', async (t) => {
    const ctx = await context({ javaScriptEnabled: false })
    const page = await ctx.newPage()
    await login(page, 'dept77', 'demo-77')
    await page.waitForURL('**/fichiers')
    await accessible(t, page, 'mes fichiers', false)
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: monthlyName('77') }).click()])
    const api = await app.inject({ url: `/api/v1/files/${monthlyName('77')}`, headers: AS.dept77 })
    t.ok(readFileSync(await download.path()).equals(api.rawPayload), 'the bytes of the API')

    await upload(page, 'CGPEM_77_navigateur.xml', await validCgpem('77', 20))
    t.match(page.url(), /\/rapports\/[0-9a-f-]{36}$/)
    t.match(await page.locator('.verdict').innerText(), /CGPEM_77_navigateur\.xml : accepté/)
    await accessible(t, page, 'rapport accepté', false)

    const broken = (await validCgpem('77', 5)).toString('latin1').replace(/<DATE_NAISSANCE>[0-9]{8}</, '<DATE_NAISSANCE>20230230<').replace(/<NOM_NAISSANCE>[^<]*</, '<NOM_NAISSANCE>&lt;b&gt;gras&lt;/b&gt;<')
    await upload(page, 'CGPEM_77_casse.xml', Buffer.from(broken, 'latin1'))
    t.match(await page.locator('.verdict').innerText(), /refusé/)
    t.ok(await page.locator('section.group').count() > 0, 'findings grouped by code')
    t.match(await page.locator('main').innerText(), /<b>gras<\/b>/, 'markup in a value is text')
    t.equal(await page.locator('main b').count(), 0)
    await accessible(t, page, 'rapport refusé', false)

    await page.goto('/fichiers')
    t.match(await page.locator('tbody').innerText(), /CGPEM_77_casse\.xml[\s\S]*refusé/)
    await page.getByRole('row', { name: /CGPEM_77_casse\.xml/ }).getByRole('link', { name: 'Supprimer' }).click()
    await accessible(t, page, 'suppression', false)
    await page.getByRole('button', { name: 'Supprimer le fichier' }).click()
    t.match(await page.locator('.notice').innerText(), /CGPEM_77_casse\.xml a été supprimé/)
    t.equal(app.files.find('77', 'CGPEM_77_casse.xml'), null)

    await page.getByRole('button', { name: 'Se déconnecter' }).click()
    t.match(await page.locator('.notice').innerText(), /Vous êtes déconnecté/)
    await page.goto('/fichiers')
    t.match(page.url(), /\/\?suivant=%2Ffichiers$/, 'the pages are closed again')
    await ctx.close()
  })

  await t.test('a name with markup is text, a form without its token is refused, another département\'s report is 404', async (t) => {
    // 93 sends through the API, from another address (the first test locked it from this one)
    const c93 = await app.inject({ method: 'POST', url: '/api/v1/files?name=CGPEM_93.xml', payload: await validCgpem('93', 3), remoteAddress: '192.0.2.93', headers: { ...AS.dept93, 'content-type': 'application/octet-stream' } })
    const report93 = c93.json().report.id as string

    const ctx = await context()
    const page = await ctx.newPage()
    await login(page, 'dept77', 'demo-77')
    await page.waitForURL('**/fichiers')
    const res = await page.goto(`/rapports/${report93}`)
    t.equal(res?.status(), 404)
    t.equal(await page.locator('h1').innerText(), 'Page introuvable')
    await accessible(t, page, 'page introuvable')

    await upload(page, '<b>gras</b>.xml', await validCgpem('77', 3))
    t.match(await page.locator('.error-summary').innerText(), /<b>gras<\/b>\.xml/)
    t.equal(await page.locator('main b').count(), 0, 'no element made of the name')
    t.ok(await page.locator('form[data-upload] [data-drop]').isVisible(), 'the page that replaced the refused one has its drop zone again (app.js set up anew)')
    await accessible(t, page, 'envoi refusé')

    await page.goto('/envoi')
    await page.evaluate('document.querySelector("form[data-upload] input[name=_csrf]").remove()')
    await page.getByLabel('Fichier CGPEM').setInputFiles({ name: 'CGPEM_77_sans_jeton.xml', mimeType: 'application/xml', buffer: await validCgpem('77', 3) })
    await page.getByRole('button', { name: 'Envoyer le fichier' }).click()
    // the refusal replaces the page's body where it is (app.js): wait for its heading, not the form's, which is there at
    // once. A locator, not waitForFunction: a string predicate that is not true at once is polled through eval, which
    // the page's CSP refuses (script-src 'self'), and the test failed whenever the answer came after the first look
    await page.locator('h1', { hasText: 'Accès refusé' }).waitFor()
    t.equal(await page.locator('h1').innerText(), 'Accès refusé')
    t.equal(app.files.find('77', 'CGPEM_77_sans_jeton.xml'), null, 'nothing kept')
    await ctx.close()
  })

  await t.test('« Nous écrire » from the login page\'s link, confirmed and read by the admin', async (t) => {
    const ctx = await context()
    const page = await ctx.newPage()
    await login(page, 'dept77', 'demo-77')
    await page.waitForURL('**/fichiers')
    await page.getByRole('link', { name: 'Nous écrire' }).first().click()
    await accessible(t, page, 'nous écrire')
    await page.getByLabel('Sujet').fill('Le PECGM ne se télécharge pas')
    await page.getByLabel('Message').fill('Bonjour,\nle téléchargement s\'arrête à 50 %.')
    await page.getByLabel('Fichier concerné (facultatif)').selectOption(monthlyName('77'))
    await page.getByRole('button', { name: 'Envoyer le message' }).click()
    t.equal(await page.locator('h1').innerText(), 'Message envoyé')
    await accessible(t, page, 'message envoyé')
    const admin = await app.inject({ url: '/api/v1/admin/messages?departement=77', headers: AS.admin })
    t.match(admin.json().messages[0], { subject: 'Le PECGM ne se télécharge pas', fileName: monthlyName('77') })
    await ctx.close()
  })

  await t.test('a whole qualification played from the pages ends with a positive bilan the département validates', async (t) => {
    const ctx = await context()
    const page = await ctx.newPage()
    await login(page, 'dept77', 'demo-77')
    await page.waitForURL('**/fichiers')
    const overflow = await page.evaluate('[...document.querySelectorAll(".table-wrap")].map((e) => e.scrollWidth - e.clientWidth)') as number[]
    t.same(overflow.filter((px) => px > 0), [], 'at 1000 pixels wide the list fits: no column, « Supprimer » the last, is out of view')
    await screenshot(page, 'mes-fichiers')
    await page.getByRole('navigation').getByRole('link', { name: 'Qualification' }).click()
    await accessible(t, page, 'qualification, bac à sable')
    await page.getByRole('button', { name: 'Commencer la qualification' }).click()
    t.match(await page.locator('.notice').innerText(), /Itération 1 commencée/)

    const [sample] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'télécharger en CSV' }).click()])
    t.match(readFileSync(await sample.path(), 'latin1'), /NIR/)

    await upload(page, 'CGPEM_77_qualification_1.xml', await cgpem())
    t.match(await page.locator('.verdict').innerText(), /accepté/)
    await screenshot(page, 'rapport')

    await page.getByRole('navigation').getByRole('link', { name: 'Mes fichiers' }).click()
    const answerName = await page.locator('tbody tr').first().locator('th a').innerText()
    t.match(answerName, /^PECGM_77_/, 'the answer PECGM heads the list')
    const [answer] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: answerName }).click()])
    const answerPath = await answer.path()

    await upload(page, 'CGPEM_77_qualification_2.xml', await cgpem(['--pecgm', answerPath]))
    t.match(await page.locator('.verdict').innerText(), /accepté/)

    await page.getByRole('navigation').getByRole('link', { name: 'Qualification' }).click()
    t.match(await page.locator('.verdict').first().innerText(), /verdict : positif/)
    t.equal(await page.locator('.badge.failed, .badge.todo').count(), 0, 'every check passed')
    await accessible(t, page, 'qualification en cours')
    await screenshot(page, 'qualification')

    await page.getByRole('link', { name: 'Lire le bilan' }).click()
    await accessible(t, page, 'bilan')
    await page.emulateMedia({ media: 'print' })
    const printed = await page.locator('body').innerText()
    t.notMatch(printed, /Simulateur phebus-mock|Se déconnecter/, 'printed: no banner, no menu')
    t.match(printed, /Données fictives produites par phebus-mock, serveur d'échange factice/, 'printed, the bilan still says it is fictitious, as its PDF does')
    await page.emulateMedia({ media: 'screen' })
    await page.getByRole('link', { name: 'Valider le bilan' }).click()
    await accessible(t, page, 'confirmation')
    await page.getByRole('button', { name: 'Valider le bilan' }).click()
    t.match(await page.locator('main').innerText(), /Département : validé par dept77/)
    await screenshot(page, 'bilan')
    const bilan = await app.inject({ url: '/api/v1/qualification/bilan', headers: AS.dept77 })
    t.match(bilan.json(), { verdict: 'positif', approvals: { departement: { by: 'dept77' } } })
    t.match(await page.locator('.seal').innerText(), bilan.json().seal as string)
    const pdf = await page.request.get('/qualification/bilan.pdf')
    t.equal(pdf.headers()['content-type'], 'application/pdf')
    await ctx.close()
  })

  await t.test('a slow upload\'s progress is announced by tens of percent, not at each of its progress events', async (t) => {
    const ctx = await context()
    const page = await ctx.newPage()
    await login(page, 'dept77', 'demo-77', '**/fichiers')
    await page.goto('/envoi')
    // 600 kB at 200 kB/s: a few seconds of progress events
    const cdp = await ctx.newCDPSession(page)
    await cdp.send('Network.enable')
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 200_000 })
    const said: string[] = []
    await page.exposeFunction('phebusSaid', (text: string) => { said.push(text) })
    await page.evaluate('new MutationObserver(() => { window.phebusSaid(document.querySelector("[data-progress-text]").textContent) }).observe(document.querySelector("[data-progress-text]"), { childList: true, characterData: true, subtree: true })')
    await page.getByLabel('Fichier CGPEM').setInputFiles({ name: 'CGPEM_77_lent.xml', mimeType: 'application/xml', buffer: Buffer.concat([await validCgpem('77', 3), Buffer.alloc(600_000, 0x20)]) })
    await Promise.all([page.waitForURL(/\/rapports\//, { timeout: 30_000 }), page.getByRole('button', { name: 'Envoyer le fichier' }).click()])
    await cdp.detach()
    await ctx.close()
    t.ok(said.length >= 3, `progress said as it went (${said.length} times)`)
    t.same(said.filter((text) => !/^Envoi : (0|[1-9]0|100) %$/.test(text)), [], 'only by tens of percent: a screen reader reads each change of the status')
  })

  await t.test('at 375 pixels wide nothing but the tables scrolls sideways', async (t) => {
    const ctx = await context({ width: 375 })
    const page = await ctx.newPage()
    await login(page, 'dept77', 'demo-77')
    await page.waitForURL('**/fichiers')
    for (const url of ['/', '/fichiers', '/envoi', '/qualification', '/qualification/bilan', '/nous-ecrire']) {
      await page.goto(url)
      const width = await page.evaluate('document.documentElement.scrollWidth') as number
      const wide = width <= 375 ? '' : await page.evaluate('[...document.querySelectorAll("body *")].filter((e) => e.getBoundingClientRect().right > 376 && !e.closest(".table-wrap")).map((e) => e.tagName + "." + e.className).slice(0, 5).join(", ")') as string
      t.ok(width <= 375, `${url} : ${width} px ${wide}`)
    }
    await screenshot(page, 'mobile-mes-fichiers')
    // a name as long as the rule allows (100 characters, no space to break at): its report, its deletion, its refusal
    const long = `CGPEM_77_${'n'.repeat(87)}.xml`
    await upload(page, long, await validCgpem('77', 3))
    await page.locator('.verdict').waitFor()
    for (const [what, url] of [['its report', page.url()], ['its deletion', `/fichiers/${long}/supprimer`]] as const) {
      await page.goto(url)
      const w = await page.evaluate('document.documentElement.scrollWidth') as number
      t.ok(w <= 375, `${what} : a long name wraps (${w} px)`)
    }
    await upload(page, long, await validCgpem('77', 3))
    await page.locator('.error-summary').waitFor()
    t.match(await page.locator('.error-summary').innerText(), /existe déjà/)
    t.ok(await page.evaluate('document.documentElement.scrollWidth') as number <= 375, 'the name refused wraps in the error summary')
    await ctx.close()
  })

  t.same(cspViolations, [], 'no Content-Security-Policy violation in any page')
}
