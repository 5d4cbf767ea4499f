import type { Bilan } from './bilan.js'
import type { CheckStatus } from './checks.js'

/** The words of a bilan, shared by the HTML page and the PDF. */

export const STATUS_WORDS: Record<CheckStatus, string> = { passed: 'réussi', failed: 'échoué', todo: 'à faire' }

export function dateFr (iso: string): string {
  const d = new Date(iso.length === 10 ? `${iso}T00:00:00Z` : iso)
  return d.toLocaleDateString('fr-FR', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' })
}

export function dateTimeFr (iso: string): string {
  return new Date(iso).toLocaleString('fr-FR', { dateStyle: 'long', timeStyle: 'short', timeZone: 'Europe/Paris' })
}

export function suiteText (b: Bilan): string {
  return b.suite.etape === 4
    ? `Bilan positif : la mise en œuvre de l'échange peut être planifiée (étape 4), à la livraison de ${b.suite.livraison} (${dateFr(b.suite.date)}).`
    : 'Bilan négatif : retour à l\'étape 2, préparation d\'une nouvelle qualification. À corriger :'
}

export function approvalText (who: string, a: Bilan['approvals']['departement']): string {
  return a ? `${who} : validé par ${a.by} le ${dateTimeFr(a.at)}` : `${who} : en attente de validation`
}
