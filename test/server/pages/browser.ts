import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { chromium, type Browser, type Page } from 'playwright-core'
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

/** The serious and critical violations axe-core finds in the page (WCAG 2.1 A and AA, and its best practices). */
export async function axeViolations (page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE)
  const result = await page.evaluate('axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] } })') as { violations: AxeViolation[] }
  return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
}

/** A screenshot for the README, under docs/images/, written only when it changed (the pages' dates come from the test clock). */
export async function screenshot (page: Page, name: string): Promise<void> {
  const png = await page.screenshot({ fullPage: false })
  const path = new URL(`../../../docs/images/${name}.png`, import.meta.url)
  if (!existsSync(path) || !readFileSync(path).equals(png)) writeFileSync(path, png)
}
