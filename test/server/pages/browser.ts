import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core'
import type { Test } from 'tap'
import { findProgram, missingProgram } from '../../system-tools.js'

/**
 * What the browser tests need: Debian's Chromium on PATH (or PHEBUS_CHROMIUM),
 * axe-core run in each page, screenshots for the README.
 */

const NAMES = ['chromium', 'chromium-browser', 'google-chrome']
const GIVEN = process.env.PHEBUS_CHROMIUM ?? ''

/** The browser to drive, or null when none is installed. */
export function chromiumPath (): string | null {
  if (GIVEN !== '') return existsSync(GIVEN) ? GIVEN : null
  for (const name of NAMES) {
    const found = findProgram(name)
    if (found !== null) return found
  }
  return null
}

/** Set by .ci/run: there, a missing browser is a failure, never a skip. */
export const BROWSER_REQUIRED = process.env.PHEBUS_REQUIRE_BROWSER === '1'

/** Why there is no browser to drive. */
export const MISSING_MESSAGE = GIVEN !== ''
  ? `PHEBUS_CHROMIUM=${GIVEN} : ce fichier n'existe pas`
  : `${missingProgram('chromium', 'chromium')} ; PHEBUS_CHROMIUM=/chemin/du/navigateur en désigne un autre`

/** Runs main with the browser to drive; without one, a skip named what, or a failure where a browser is required. */
export async function withChromium (t: Test, what: string, main: (executablePath: string) => Promise<void>): Promise<void> {
  const executable = chromiumPath()
  if (executable === null) {
    if (BROWSER_REQUIRED) t.fail(`PHEBUS_REQUIRE_BROWSER=1 exige un navigateur : ${MISSING_MESSAGE}`)
    else t.pass(what, { skip: `les tests dans le navigateur sont sautés : ${MISSING_MESSAGE}` })
  } else {
    await main(executable)
  }
}

export async function launch (executablePath: string): Promise<Browser> {
  // no background traffic: this machine's network is closed, and a test must not depend on one
  return await chromium.launch({
    executablePath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage']
  })
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8')

export interface AxeViolation { id: string, impact: string | null, help: string, nodes: { target: string[] }[] }

/** The violations axe-core finds in the page (WCAG 2.1 A and AA, and its best practices), but the minor ones. */
export async function axeViolations (page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE)
  const result = await page.evaluate('axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })') as { violations: AxeViolation[] }
  return result.violations.filter((v) => v.impact !== 'minor')
}

/** A screenshot for the README, under docs/images/, written only when it changed (the pages' dates come from the test clock). */
/** `steady`: elements whose text changes from one run to the next (request ids, durations), each given a fixed text first, so that the image does not change. */
export async function screenshot (page: Page, name: string, steady: Record<string, string> = {}): Promise<void> {
  for (const [selector, text] of Object.entries(steady)) {
    await page.locator(selector).evaluateAll((nodes, t) => { for (const n of nodes) n.textContent = t }, text)
  }
  const png = await page.screenshot({ fullPage: false })
  const path = new URL(`../../../docs/images/${name}.png`, import.meta.url)
  if (!existsSync(path) || !readFileSync(path).equals(png)) writeFileSync(path, png)
}

export interface SessionOptions {
  /** The pages' size (1000 × 700 unless told); a context may ask for another width. */
  viewport?: { width: number, height: number }
  /** Playwright's default timeout, in milliseconds (15 s unless told). */
  timeout?: number
  /** axe-core once per kind of page: a kind already checked is passed over. */
  oncePerKind?: boolean
}

export interface ContextOptions { javaScriptEnabled?: boolean, width?: number }

/** What a browser test does with the app at base: a browser, its contexts, axe-core on their pages, the login form, the CSP violations seen. */
export interface BrowserSession {
  browser: Browser
  /** Every Content-Security-Policy message from the console of the contexts' pages. */
  cspViolations: string[]
  context: (options?: ContextOptions) => Promise<BrowserContext>
  accessible: (t: Test, page: Page, kind: string, scripts?: boolean) => Promise<void>
  login: (page: Page, user: string, password: string, landing?: string | RegExp) => Promise<void>
}

/** Launches the browser at executablePath, closed when t ends, for the app listening at base. */
export async function browserSession (t: Test, executablePath: string, base: string, options: SessionOptions = {}): Promise<BrowserSession> {
  const browser = await launch(executablePath)
  t.teardown(() => browser.close())
  const viewport = options.viewport ?? { width: 1000, height: 700 }
  const cspViolations: string[] = []
  const checked = new Set<string>()

  async function context (opts: ContextOptions = {}): Promise<BrowserContext> {
    const ctx = await browser.newContext({ baseURL: base, acceptDownloads: true, javaScriptEnabled: opts.javaScriptEnabled ?? true, viewport: { width: opts.width ?? viewport.width, height: viewport.height }, locale: 'fr-FR' })
    ctx.setDefaultTimeout(options.timeout ?? 15_000)
    ctx.on('page', (p) => { p.on('console', (m) => { if (/Content Security Policy/i.test(m.text())) cspViolations.push(m.text()) }) })
    return ctx
  }

  /** axe-core on the page; a page without JavaScript is opened again (GET, same cookies) in a page where axe can run. */
  async function accessible (tt: Test, page: Page, kind: string, scripts = true): Promise<void> {
    if (options.oncePerKind === true) {
      if (checked.has(kind)) return
      checked.add(kind)
    }
    let target = page
    let extra: BrowserContext | null = null
    if (!scripts) {
      extra = await context()
      await extra.addCookies(await page.context().cookies())
      target = await extra.newPage()
      await target.goto(page.url())
    }
    const violations = await axeViolations(target)
    await extra?.close()
    tt.same(violations.map((v) => `${v.id} (${v.impact ?? ''}) : ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`), [], `axe-core, ${kind} : aucune violation, sinon mineure`)
  }

  /** Through the login form; with landing, until the page it leads to. */
  async function login (page: Page, user: string, password: string, landing?: string | RegExp): Promise<void> {
    await page.goto('/')
    await page.getByLabel('Saisissez votre identifiant').fill(user)
    await page.getByLabel('Saisissez votre mot de passe').fill(password)
    await page.getByRole('button', { name: 'Se connecter' }).click()
    if (landing !== undefined) await page.waitForURL(landing)
  }

  return { browser, cspViolations, context, accessible, login }
}
