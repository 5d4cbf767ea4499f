import { exampleEmail, fictionPhone } from '../../generators/contact.js'
import { firstNames, surnames } from '../../generators/identity.js'
import { isoFromDay } from '../layouts/dates.js'
import { hashString, Rng } from '../generate/rng.js'
import type { Scenario } from '../scenarios/model.js'
import { buildPlan, type PlanItem } from './plan.js'
import { sampleSizeOf } from './sample.js'

/**
 * A qualification campaign (Annexe 2, steps 2 and 3) of one département:
 * its iteration, planning, the correspondents of both parties for the roles
 * of Annexe 5 (fictitious people that reach nobody), and the plan.
 */

export interface Correspondent {
  nom: string
  prenom: string
  fonction: string
  telephone: string
  email: string
}

export interface CorrespondentRole {
  role: 'gouvernance' | 'suivi-operationnel' | 'securite' | 'donnees-personnelles'
  libelle: string
  poleEmploi: Correspondent
  departement: Correspondent
}

export interface Campaign {
  departement: { code: string, nom: string }
  iteration: number
  /** ISO date-time the iteration started */
  startedAt: string
  planning: { debut: string, fin: string }
  correspondents: CorrespondentRole[]
  sampleSize: number
  plan: PlanItem[]
}

const ROLES: readonly [CorrespondentRole['role'], string, string, string][] = [
  ['gouvernance', 'Gouvernance du partenariat', 'Directeur territorial', 'Directeur de l\'insertion'],
  ['suivi-operationnel', 'Suivi opérationnel de l\'échange de données', 'Chargé de mission', 'Chef de projet SI insertion'],
  ['securite', 'Sécurité des systèmes d\'information', 'Responsable de la sécurité des SI', 'RSSI du département'],
  ['donnees-personnelles', 'Protection des données personnelles', 'Délégué à la protection des données', 'Délégué à la protection des données']
]

export function newCampaign (scenario: Scenario, departement: { code: string, name: string }, iteration: number, startDay: number, now: Date): Campaign {
  const rng = new Rng(scenario.seed, hashString(`campagne:${departement.code}`), iteration)
  const last = surnames()
  const first = [...firstNames(1), ...firstNames(2)]
  const person = (fonction: string): Correspondent => {
    const prenom = rng.pick(first)
    const nom = rng.pick(last)
    return { nom: nom.toUpperCase(), prenom, fonction, telephone: fictionPhone(rng), email: exampleEmail(rng, prenom, nom) }
  }
  return {
    departement: { code: departement.code, nom: departement.name },
    iteration,
    startedAt: now.toISOString(),
    planning: { debut: isoFromDay(startDay), fin: isoFromDay(startDay + scenario.qualification.durationDays) },
    correspondents: ROLES.map(([role, libelle, pe, dept]) => ({ role, libelle, poleEmploi: person(pe), departement: person(dept) })),
    sampleSize: sampleSizeOf(scenario, departement.code),
    plan: buildPlan(scenario.qualification.plan)
  }
}
