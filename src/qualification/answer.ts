import { NATURES_POLE_EMPLOI } from '../layouts/cgpem.js'
import { compactFromDay, dayFromCompact, checkDate } from '../layouts/dates.js'
import type { SampleMember } from './sample.js'

/**
 * Pôle emploi's answer to a CGPEM (Annexe 2, step 2): the PECGM stock of the
 * sample's people known to Pôle emploi, with the identity as the sample has
 * it. A person the CGPEM oriented to Pôle emploi (05, 06) is shown as taken
 * in charge: an adviser, a PPAE signature and a CER notification dated after
 * the decision.
 */

export interface OrientationSeen {
  /** line of the orientation in its file, and its number */
  line: number
  record: number
  NIR?: string
  NOM_NAISSANCE?: string
  PRENOM?: string
  DATE_NAISSANCE?: string
  NATURE_ACCOMPAGNEMENT?: string
  DATE_DECISION_ORIENTATION?: string
  CODE_PE?: string
  IDENTIFIANT_PE?: string
}

/** The detail records of the answer: every known person, taken in charge when oriented to Pôle emploi. */
export function answerDetails (sample: readonly SampleMember[], orientations: ReadonlyMap<number, OrientationSeen>, today: number): Record<string, string>[] {
  return sample.filter((m) => m.known).map((m) => {
    const record = { ...m.record, ...m.person }
    const o = orientations.get(m.index)
    if (o && NATURES_POLE_EMPLOI.has(o.NATURE_ACCOMPAGNEMENT ?? '')) takeInCharge(record, o, today, m.index)
    return record
  })
}

/** PPAE signed 8 to 21 days after the decision, CER notified a week later, last contact after that: never after today. */
function takeInCharge (record: Record<string, string>, o: OrientationSeen, today: number, index: number): void {
  const decision = o.DATE_DECISION_ORIENTATION && !checkDate(o.DATE_DECISION_ORIENTATION) ? dayFromCompact(o.DATE_DECISION_ORIENTATION) : today - 30
  const registration = record.DATE_DEBUT_IDE ? dayFromCompact(record.DATE_DEBUT_IDE) : decision
  const ppae = Math.min(today, Math.max(registration, decision + 8 + (index % 14)))
  const cer = Math.min(today, ppae + 7)
  const contact = Math.min(today, Math.max(cer, dayFromCompact(record.DATE_DERNIER_CONTACT || compactFromDay(cer))))
  record.DATE_SIGNATURE_PPAE = compactFromDay(ppae)
  record.DATE_NOTIFICATION_PPAE_CER = compactFromDay(cer)
  record.DATE_DERNIER_CONTACT = compactFromDay(contact)
  for (const k of ['DATE_CESSATION_IDE', 'MOTIF_CESSATION_IDE', 'LIBELLE_MOTIF_CESSATION_IDE', 'DATE_RADIATION', 'MOTIF_RADIATION', 'LIBELLE_MOTIF_RADIATION']) record[k] = ''
}
