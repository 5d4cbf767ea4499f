import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Eta } from 'eta'
import { packageRoot } from '../paths.js'
import { lazyDateFormat } from '../text/french.js'

/**
 * The pages' templates (Eta, every `<%= %>` escaped) and static assets
 * (one stylesheet, one small script), addressed with their content hash so
 * that browsers keep them for a year.
 */

export const TEMPLATES_DIR = join(packageRoot(), 'src', 'server', 'templates')
export const ASSETS_DIR = join(packageRoot(), 'src', 'server', 'assets')

/** The support line of the login page (Annexe 6), from the block ARCEP keeps for fiction: it reaches nobody. */
export const SUPPORT = Object.freeze({ tel: '+33353018938', display: '03 53 01 89 38' })

export interface Assets { css: string, js: string }

function hashed (file: string): string {
  const digest = createHash('sha256').update(readFileSync(join(ASSETS_DIR, file))).digest('hex').slice(0, 16)
  return `/assets/${file}?v=${digest}`
}

export class Views {
  readonly assets: Assets
  private readonly eta: Eta

  constructor () {
    this.eta = new Eta({ views: TEMPLATES_DIR, cache: true, autoEscape: true, autoTrim: false, defaultExtension: '.eta' })
    this.assets = Object.freeze({ css: hashed('app.css'), js: hashed('app.js') })
  }

  render (template: string, data: object): string {
    return this.eta.render(`./${template}`, data)
  }
}

const dateTimeFormat = lazyDateFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Paris' })
const dateFormat = lazyDateFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', timeZone: 'Europe/Paris' })

/** "02/12/2026 à 07:15" (or without « à », in a table), Paris time. */
export function dateTimeText (at: number | string, words = true): string {
  const text = dateTimeFormat().format(new Date(at))
  return words ? text.replace(' ', ' à ') : text
}

/** "02/12/2026", Paris time. */
export function dateText (at: number | string): string {
  return dateFormat().format(new Date(at))
}
