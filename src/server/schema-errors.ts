import { CONTROL_CHARACTERS } from '../text/controls.js'

/**
 * Schema validation errors in French: which parameter, where (the address,
 * the path, a header, the body), what is allowed, and what was sent. Ajv's
 * errors and TypeBox's have the same shape but for `required` and
 * `additionalProperties` (one name, or a list and a false-schema error at
 * each); both are read.
 */

/** One error of a validation, as Ajv and TypeBox give it. */
export interface SchemaIssue {
  keyword: string
  instancePath: string
  schemaPath?: string
  params?: Record<string, unknown>
}

type Part = 'querystring' | 'params' | 'headers' | 'body'

const PARTS: Readonly<Record<Part, { field: (name: string) => string, whole: string }>> = {
  querystring: { field: (n) => `le paramètre « ${n} » de l'adresse`, whole: 'les paramètres de l\'adresse' },
  params: { field: (n) => `le paramètre « ${n} » du chemin`, whole: 'le chemin' },
  headers: { field: (n) => `l'en-tête « ${n} »`, whole: 'les en-têtes' },
  body: { field: (n) => `le champ « ${n} » du corps`, whole: 'le corps de la requête' }
}

const TYPE_WORDS: Readonly<Record<string, string>> = {
  integer: 'un nombre entier',
  number: 'un nombre',
  string: 'un texte',
  boolean: 'true ou false',
  object: 'un objet JSON',
  array: 'une liste',
  null: 'null'
}

const FORMAT_WORDS: Readonly<Record<string, string>> = {
  'date-time': 'une date et une heure ISO 8601 avec fuseau (2026-11-27T08:00:00Z)',
  date: 'une date AAAA-MM-JJ',
  time: 'une heure HH:MM:SS',
  email: 'une adresse électronique',
  uri: 'une adresse complète (https://…)',
  uuid: 'un identifiant UUID'
}

/** "/a/0/b" → ['a', '0', 'b'] (JSON pointer). */
function segments (pointer: string): string[] {
  return pointer === '' ? [] : pointer.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
}

function placeOf (part: Part, path: readonly string[]): string {
  if (path.length === 0) return PARTS[part].whole
  const name = path.map((s, i) => /^\d+$/.test(s) ? `[${s}]` : i === 0 ? s : `.${s}`).join('')
  return PARTS[part].field(name)
}

function valueAt (data: unknown, path: readonly string[]): unknown {
  let v = data
  for (const s of path) v = v !== null && typeof v === 'object' ? (v as Record<string, unknown>)[s] : undefined
  return v
}

/** What was sent, shown briefly: « zzz », « 0 », un objet, une liste. */
function shown (v: unknown): string {
  // a list of one is shown as its element, without recursion: [[[[…]]]] nested 100 000 deep must not overflow the stack
  while (Array.isArray(v) && v.length === 1) v = v[0]
  if (v === undefined) return ''
  if (v === null) return 'null'
  if (Array.isArray(v)) return 'une liste'
  if (typeof v === 'object') return 'un objet'
  const text = visibleText(String(v))
  return `« ${text.length > 60 ? `${text.slice(0, 60)}…` : text} »`
}

/** A value sent by a client, as a message shows it: its control characters as « ? », for the message is one line of text. */
export function visibleText (text: string): string {
  return text.replace(CONTROL_CHARACTERS, '?')
}

function quoted (values: readonly unknown[]): string {
  return values.map((v) => v === null ? 'null' : `« ${String(v)} »`).join(', ')
}

/** The schema node a schemaPath ("#/properties/a") names, or undefined. */
function schemaAt (schema: unknown, pointer: string | undefined): unknown {
  if (pointer === undefined || !pointer.startsWith('#')) return undefined
  return valueAt(schema, segments(pointer.slice(1)))
}

/** The names an object schema allows, found from where its additionalProperties refused one. */
function allowedNames (schema: unknown, issue: SchemaIssue): string[] {
  for (const at of [issue.schemaPath, issue.schemaPath?.replace(/\/[^/]*$/, '')]) {
    const node = schemaAt(schema, at) as { properties?: Record<string, unknown> } | undefined
    if (node?.properties !== undefined) return Object.keys(node.properties)
  }
  return []
}

function describeGroup (part: Part, path: string[], issues: readonly SchemaIssue[], data: unknown): string[] {
  const where = placeOf(part, path)
  const value = valueAt(data, path)
  const seen = value === undefined ? '' : `, lu ${shown(value)}`
  const out: string[] = []
  const choices: unknown[] = []
  const types: string[] = []
  const alternatives = issues.some((i) => i.keyword === 'anyOf' || i.keyword === 'oneOf')
  for (const issue of issues) {
    const p = issue.params ?? {}
    switch (issue.keyword) {
      case 'anyOf': case 'oneOf': break
      case 'const': choices.push(p.allowedValue); break
      case 'enum': choices.push(...(p.allowedValues as unknown[] ?? [])); break
      case 'type':
        if (alternatives) types.push(...String(p.type).split(','))
        else out.push(`${where} doit être ${String(p.type).split(',').map((t) => TYPE_WORDS[t] ?? t).join(' ou ')}${seen}`)
        break
      case 'minimum': out.push(`${where} doit valoir au moins ${String(p.limit)}${seen}`); break
      case 'maximum': out.push(`${where} doit valoir au plus ${String(p.limit)}${seen}`); break
      case 'exclusiveMinimum': out.push(`${where} doit être supérieur à ${String(p.limit)}${seen}`); break
      case 'exclusiveMaximum': out.push(`${where} doit être inférieur à ${String(p.limit)}${seen}`); break
      case 'multipleOf': out.push(`${where} doit être un multiple de ${String(p.multipleOf)}${seen}`); break
      case 'minLength': out.push(`${where} doit avoir au moins ${String(p.limit)} caractère(s)${seen}`); break
      case 'maxLength': out.push(`${where} doit avoir au plus ${String(p.limit)} caractères${typeof value === 'string' ? `, en a ${value.length}` : ''}`); break
      case 'pattern': out.push(`${where} doit suivre le modèle ${String(p.pattern)}${seen}`); break
      case 'format': out.push(`${where} doit être ${FORMAT_WORDS[String(p.format)] ?? `au format ${String(p.format)}`}${seen}`); break
      case 'minItems': out.push(`${where} doit avoir au moins ${String(p.limit)} élément(s)`); break
      case 'maxItems': out.push(`${where} doit avoir au plus ${String(p.limit)} éléments`); break
      case 'minProperties': out.push(`${where} doit avoir au moins ${String(p.limit)} champ(s)`); break
      case 'maxProperties': out.push(`${where} doit avoir au plus ${String(p.limit)} champs`); break
      case 'uniqueItems': out.push(`${where} ne doit pas répéter un élément`); break
      default: out.push(`${where} n'est pas conforme (règle ${issue.keyword})${seen}`)
    }
  }
  if (choices.length > 0 || types.length > 0) {
    const distinct = [...new Set(choices)]
    const words = types.map((t) => TYPE_WORDS[t] ?? t).join(' ou ')
    const allowed = distinct.length === 0
      ? `attendu : ${words}`
      : `${distinct.length > 1 ? 'valeurs permises' : 'valeur permise'} : ${quoted(distinct)}${words ? `, ou ${words}` : ''}`
    out.unshift(`${where}${value === undefined ? ' est mal formé' : ` vaut ${shown(value)}`} ; ${allowed}`)
  }
  return out
}

/** The French sentence of a validation error: each problem, joined. */
export function describeValidation (part: string, issues: readonly SchemaIssue[], data: unknown, schema: unknown): string {
  const p: Part = part in PARTS ? part as Part : 'body'
  const problems: string[] = []
  const groups = new Map<string, SchemaIssue[]>()
  const extra = new Map<string, { names: Set<string>, issue: SchemaIssue }>()
  for (const issue of issues) {
    const params = issue.params ?? {}
    if (issue.keyword === 'required') {
      const missing = (params.requiredProperties as string[] | undefined) ?? [String(params.missingProperty)]
      for (const name of missing) problems.push(`il manque ${placeOf(p, [...segments(issue.instancePath), name])}`)
    } else if (issue.keyword === 'additionalProperties' || (issue.keyword === 'boolean' && issue.schemaPath?.endsWith('/additionalProperties'))) {
      // Ajv names one property, TypeBox lists them, and adds a "false schema" error at each
      const own = issue.keyword === 'boolean'
      const parent = own ? issue.instancePath.replace(/\/[^/]*$/, '') : issue.instancePath
      const names = own ? [segments(issue.instancePath).at(-1) ?? ''] : (params.additionalProperties as string[] | undefined) ?? [String(params.additionalProperty)]
      const entry = extra.get(parent) ?? { names: new Set<string>(), issue: { ...issue, schemaPath: own ? issue.schemaPath?.replace(/\/additionalProperties$/, '') : issue.schemaPath } }
      for (const n of names) entry.names.add(n)
      extra.set(parent, entry)
    } else {
      const list = groups.get(issue.instancePath) ?? []
      list.push(issue)
      groups.set(issue.instancePath, list)
    }
  }
  for (const [parent, { names, issue }] of extra) {
    const allowed = allowedNames(schema, issue)
    const path = segments(parent)
    const what = [...names].map((n) => placeOf(p, [...path, n])).join(', ')
    problems.push(`${what} ${names.size > 1 ? 'ne sont pas prévus' : 'n\'est pas prévu'}${allowed.length > 0 ? ` (permis : ${quoted(allowed)})` : ''}`)
  }
  for (const [pointer, list] of groups) problems.push(...describeGroup(p, segments(pointer), list, data))
  return problems.length > 0 ? `Requête invalide : ${problems.join(' ; ')}.` : 'Requête invalide.'
}
