import { frenchDate, frenchDateTime } from '../text/french.js'
import type { Bilan } from './bilan.js'
import type { CheckStatus } from './checks.js'

/** The words of a bilan, shared by the HTML page and the PDF. */

export const STATUS_WORDS: Record<CheckStatus, string> = { passed: 'réussi', failed: 'échoué', todo: 'à faire' }

/** "1er mars 2027" */
export const dateFr = frenchDate

/** "1er mars 2027 à 08:00", Paris time */
export const dateTimeFr = (iso: string): string => frenchDateTime(iso)

export function suiteText (b: Bilan): string {
  return b.suite.etape === 4
    ? `Bilan positif : la mise en œuvre de l'échange peut être planifiée (étape 4), à la livraison de ${b.suite.livraison} (${dateFr(b.suite.date)}).`
    : 'Bilan négatif : retour à l\'étape 2, préparation d\'une nouvelle qualification. À corriger :'
}

export function approvalText (who: string, a: Bilan['approvals']['departement']): string {
  return a ? `${who} : validé par ${a.by} le ${dateTimeFr(a.at)}` : `${who} : en attente de validation`
}
