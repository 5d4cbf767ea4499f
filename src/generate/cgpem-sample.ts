import { exampleEmail, fictionPhone } from '../../generators/contact.js'
import { communesOf } from '../../generators/geography.js'
import { firstNames, surnames } from '../../generators/identity.js'
import { compactFromDay } from '../layouts/dates.js'
import { NATURES_POLE_EMPLOI } from '../layouts/cgpem.js'
import type { Orientation } from './cgpem-file.js'
import { planPecgm, type PecgmRequest } from './pecgm-file.js'
import { PersonDraw, personValues } from './person.js'
import { hashString, Rng } from './rng.js'

/**
 * The CGPEM a département's software would send for its population: one
 * orientation per person, natures 01–06 all used, the agency identifiers
 * given for the people oriented to Pôle emploi, correspondents that reach
 * nobody. It is what the tests, the examples and `sample cgpem` use.
 */

export interface SampleRequest extends PecgmRequest {
  /** "today": decisions are dated in the 120 days before it */
  today: number
}

/** Relative weights of the natures: most RSA beneficiaries are oriented to Pôle emploi or a social referent. */
const NATURES: readonly [string, number][] = [['01', 30], ['02', 6], ['03', 4], ['04', 3], ['05', 40], ['06', 17]]

const SERVICES = ['Service insertion RSA', 'Service suivi RSA', 'Direction de l\'insertion', 'Pôle orientation RSA']

export function * sampleOrientations (req: SampleRequest): Generator<Orientation> {
  const plan = planPecgm({ ...req, periodicity: 'M' })
  const ctx = plan.context
  const side = new Rng()
  const p = new PersonDraw()
  const communes = communesOf(ctx.departement.code).slice(0, 8)
  const last = surnames()
  const first = [...firstNames(1), ...firstNames(2)]
  const total = NATURES.reduce((n, [, w]) => n + w, 0)
  for (let i = 0; i < plan.count; i++) {
    plan.population.stock(i, plan.referenceDay, p)
    const v = personValues(ctx, p)
    side.reseed(ctx.scenario.seed, hashString(`cgpem:${ctx.departement.code}`), i)
    // the first six people take one nature each, so that a small sample still uses all six
    let nature = NATURES[i % NATURES.length]?.[0] ?? '01'
    if (i >= NATURES.length) {
      let x = side.float() * total
      for (const [code, w] of NATURES) {
        if ((x -= w) < 0) { nature = code; break }
      }
    }
    const toPe = NATURES_POLE_EMPLOI.has(nature)
    const commune = side.pick(communes)
    const correspondent = { first: side.pick(first), last: side.pick(last) }
    const referent = toPe
      ? `Pôle emploi ${commune?.name ?? ''}`
      : `Maison départementale des solidarités, ${side.between(1, 90)} rue de la République, ${commune?.postcodes[0] ?? ''} ${commune?.name ?? ''}`
    yield {
      NIR: side.chance(0.92) ? v.NIR : undefined,
      NOM_NAISSANCE: v.NOM_NAISSANCE,
      NOM_MARITAL: v.NOM_MARITAL,
      PRENOM: v.PRENOM,
      DATE_NAISSANCE: v.DATE_NAISSANCE,
      CODE_PE: toPe ? v.CODE_INSTITUTION_PE : undefined,
      IDENTIFIANT_PE: toPe ? v.IDENTIFIANT_PE : undefined,
      NATURE_ACCOMPAGNEMENT: nature,
      DATE_DECISION_ORIENTATION: compactFromDay(req.today - side.int(120)),
      ORGANISME_REFERENT: referent.slice(0, 90),
      NOM_CORRESPONDANT: correspondent.last.slice(0, 30),
      PRENOM_CORRESPONDANT: correspondent.first.slice(0, 25),
      TEL_CORRESPONDANT: fictionPhone(side),
      EMAIL_CORRESPONDANT: exampleEmail(side, correspondent.first, correspondent.last),
      SERVICE_CORRESPONDANT: side.pick(SERVICES)
    }
  }
}
