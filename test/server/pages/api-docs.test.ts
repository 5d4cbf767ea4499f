import t from 'tap'
import type { ConsoleMessage } from 'playwright-core'
import { testApp } from '../helpers.js'
import { launch, withChromium } from './browser.js'

/**
 * The API browser at /docs in a real Chromium: it reads /docs/json and lists
 * the operations, under the app's Content-Security-Policy (which it adapts
 * for its own page only) and without credentials.
 */

await withChromium(t, 'the API browser in Chromium', main)

async function main (executablePath: string): Promise<void> {
  const app = await testApp(t)
  const base = await app.listen({ host: '127.0.0.1', port: 0 })
  const browser = await launch(executablePath)
  t.teardown(() => browser.close())

  await t.test('/docs lists the operations by their operationId, with no Content-Security-Policy violation', async (t) => {
    const context = await browser.newContext({ baseURL: base, locale: 'fr-FR' })
    // the bundle is large (1.5 MB of script): room for a loaded machine
    context.setDefaultTimeout(30_000)
    const messages: string[] = []
    const failed: string[] = []
    const page = await context.newPage()
    page.on('console', (m: ConsoleMessage) => { if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) messages.push(m.text()) })
    page.on('pageerror', (err) => { messages.push(err.message) })
    page.on('requestfailed', (r) => { failed.push(`${r.url()} : ${r.failure()?.errorText ?? ''}`) })
    const answer = await page.goto('/docs')
    t.equal(answer?.status(), 200, 'the page, without credentials')
    t.match(answer?.headers()['content-security-policy'] ?? '', /script-src 'self';/, 'under the app\'s policy: no inline script')
    await page.locator('.opblock').first().waitFor()
    const operations = await page.locator('.opblock-summary-operation-id').allTextContents()
    for (const id of ['listFiles', 'uploadFile', 'downloadFile', 'deleteFile', 'getReport', 'startQualification', 'checkLiveness']) {
      t.ok(operations.includes(id), `${id} is listed`)
    }
    t.ok(await page.getByText('Les fichiers du département, des plus anciens aux plus récents').first().isVisible(), 'with its summary')
    t.same(messages.filter((m) => /Content Security Policy/i.test(m)), [], 'no Content-Security-Policy violation')
    t.same(messages, [], 'no error in the console')
    t.same(failed, [], 'every asset loaded')
    await context.close()
  })
}
