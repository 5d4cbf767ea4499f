import type { CheckId, PlanOverride } from '../scenarios/model.js'

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

export const DEFAULT_PLAN: readonly PlanItem[] = Object.freeze([
  { id: 'connexion', title: 'Le département s\'est connecté avec son compte', required: true, params: {} },
  { id: 'echantillon', title: 'Il a téléchargé l\'échantillon d\'individus', required: true, params: {} },
  { id: 'cgpem-accepte', title: 'Il a déposé un fichier CGPEM de stock accepté (sans erreur)', required: true, params: {} },
  { id: 'natures', title: 'Ses orientations utilisent chacune des six natures d\'accompagnement', required: true, params: { natures: ['01', '02', '03', '04', '05', '06'] } },
  { id: 'rapprochement', title: 'Ses orientations désignent les personnes de l\'échantillon', required: true, params: { threshold: 0.95 } },
  { id: 'pecgm-telecharge', title: 'Il a téléchargé en entier le PECGM déposé en retour', required: true, params: {} },
  { id: 'aller-retour', title: 'Un CGPEM suivant reprend le code et l\'identifiant Pôle emploi donnés par le PECGM', required: true, params: {} }
] satisfies PlanItem[])

/** The default plan with the scenario's changes: a check may be made optional, disabled or given other parameters. */
export function buildPlan (overrides: readonly PlanOverride[]): PlanItem[] {
  const byId = new Map(overrides.map((o) => [o.id, o]))
  return DEFAULT_PLAN.flatMap((item) => {
    const o = byId.get(item.id)
    if (!o) return [{ ...item, params: { ...item.params } }]
    if (o.enabled === false) return []
    return [{ ...item, required: o.required ?? item.required, params: { ...item.params, ...o.params } }]
  })
}
