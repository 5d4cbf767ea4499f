import { lazyDateFormat } from '../../../../text/french.js'
import { SCENARIO } from '../../../services/faults.js'

/** What the console's pages share: dates to the second, links to a département and to a fault, a form's errors, the address's values. */

const dateTimeSecondsFormat = lazyDateFormat('fr-FR', { day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'Europe/Paris' })

/** "27/11/2026 11:00:05", Paris time. */
export function dateTimeSeconds (at: number): string {
  return dateTimeSecondsFormat().format(new Date(at))
}

/** A département's page of the console (room.ts). */
export function departementHref (code: string): string {
  return `/console/departements/${encodeURIComponent(code)}`
}

/** A file on its département's page of the console. */
export function departementFileHref (code: string, name: string): string {
  return `${departementHref(code)}#fichier-${encodeURIComponent(name)}`
}

/** A fault in the list of the faults page. */
export function faultHref (id: number): string {
  return `/console/pannes#panne-${id}`
}

/** Who set a fault, as the console says it: « le scénario », or the admin's user name. */
export function faultSetBy (setBy: string): string {
  return setBy === SCENARIO ? 'le scénario' : setBy
}

/** The first error of each field, for the message beside it. */
export function fieldErrors (errors: readonly { field: string, message: string }[]): Record<string, string> {
  const err: Record<string, string> = {}
  for (const e of errors) err[e.field] ??= e.message
  return err
}

/** A value of the address or of a form as text, trimmed and cut ('' when absent or repeated). */
export function queryText (v: unknown, max: number): string {
  return typeof v === 'string' ? v.trim().slice(0, max) : ''
}
