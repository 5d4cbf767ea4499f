import { frenchDate, frenchDateTime } from '../text/french.js'
import type { Bilan } from './bilan.js'
import type { CheckStatus } from './checks.js'

/** The words of a bilan, shared by the HTML page and the PDF. */

/** What the bilan says of itself first, in its PDF and in its printable page (whose banner is not printed). */
export const FICTION_NOTICE = 'Données fictives produites par phebus-mock, serveur d\'échange factice : ce document n\'engage aucune partie réelle.'

export const STATUS_WORDS: Record<CheckStatus, string> = { passed: 'réussi', failed: 'échoué', todo: 'à faire' }

/** "1er mars 2027" */
export const dateFr = frenchDate

/** "1er mars 2027 à 08:00", Paris time */
export const dateTimeFr = (iso: string): string => frenchDateTime(iso)

export function suiteText (b: Bilan): string {
  if (b.suite.etape === 4) return `Bilan positif : la mise en œuvre de l'échange peut être planifiée (étape 4), à la livraison de ${b.suite.livraison} (${dateFr(b.suite.date)}).`
  if (b.suite.etape === 2) return 'Bilan négatif : retour à l\'étape 2, préparation d\'une nouvelle qualification. À corriger :'
  return 'Qualification en cours : ce bilan n\'a pas encore de verdict. Reste à faire :'
}

/** What the bilan lists under its suite: the checks to fix (negative), or those left to do (in progress). */
export function suiteItems (b: Bilan): string[] {
  return b.suite.etape === 2 ? b.suite.aCorriger : b.suite.etape === null ? b.suite.aFaire : []
}

/** "positif", "négatif", "en cours": as the bilan says it, capitalised for a heading. */
export function verdictHeading (b: Bilan): string {
  return b.verdict.charAt(0).toUpperCase() + b.verdict.slice(1)
}

export function approvalText (who: string, a: Bilan['approvals']['departement']): string {
  return a ? `${who} : validé par ${a.by} le ${dateTimeFr(a.at)}` : `${who} : en attente de validation`
}
