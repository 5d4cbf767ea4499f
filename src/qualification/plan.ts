import type { CheckId, PlanOverride } from '../scenarios/model.js'
import { frenchList, frenchPercent } from '../text/french.js'

/**
 * The qualification plan of Annexe 2: the checks a département's software
 * must pass, each with a stable id, a French title, whether it is required
 * and its parameters. The scenario may change any of them.
 */

export interface PlanParams {
  natures?: string[]
  threshold?: number
}

export interface PlanItem {
  id: CheckId
  title: string
  required: boolean
  params: PlanParams
}

const ALL_SIX = ['01', '02', '03', '04', '05', '06']

/** The titles that depend on the parameters: a title says what the check, as the scenario set it, asks. */
const TITLES: Partial<Record<CheckId, (p: PlanParams) => string>> = {
  natures: ({ natures = [] }) => {
    if (natures.length === ALL_SIX.length && ALL_SIX.every((n) => natures.includes(n))) return 'Ses orientations utilisent chacune des six natures d\'accompagnement'
    return natures.length === 1 ? `Ses orientations utilisent la nature d'accompagnement ${natures[0] ?? ''}` : `Ses orientations utilisent chacune des natures d'accompagnement ${frenchList(natures)}`
  },
  rapprochement: ({ threshold = 0.95 }) =>
    `Ses orientations désignent au moins ${frenchPercent(threshold, Number.isInteger(Math.round(threshold * 1000) / 10) ? 0 : 1)} des personnes de l'échantillon`
}

function titled (item: PlanItem): PlanItem {
  const title = TITLES[item.id]
  return title ? { ...item, title: title(item.params) } : item
}

export const DEFAULT_PLAN: readonly PlanItem[] = Object.freeze(([
  { id: 'connexion', title: 'Le département s\'est connecté avec son compte', required: true, params: {} },
  { id: 'echantillon', title: 'Il a téléchargé l\'échantillon d\'individus', required: true, params: {} },
  { id: 'cgpem-accepte', title: 'Il a déposé un fichier CGPEM de stock accepté (sans erreur)', required: true, params: {} },
  { id: 'natures', title: '(selon natures)', required: true, params: { natures: ALL_SIX } },
  { id: 'rapprochement', title: '(selon threshold)', required: true, params: { threshold: 0.95 } },
  { id: 'pecgm-telecharge', title: 'Il a téléchargé en entier le PECGM déposé en retour', required: true, params: {} },
  { id: 'aller-retour', title: 'Un CGPEM suivant reprend le code et l\'identifiant Pôle emploi donnés par le PECGM', required: true, params: {} }
] satisfies PlanItem[]).map(titled))

/** The default plan with the scenario's changes: a check may be made optional, disabled or given other parameters (its title says which). */
export function buildPlan (overrides: readonly PlanOverride[]): PlanItem[] {
  const byId = new Map(overrides.map((o) => [o.id, o]))
  return DEFAULT_PLAN.flatMap((item) => {
    const o = byId.get(item.id)
    if (!o) return [{ ...item, params: { ...item.params } }]
    if (o.enabled === false) return []
    return [titled({ ...item, required: o.required ?? item.required, params: { ...item.params, ...o.params } })]
  })
}
