import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import Value from 'typebox/value'
import { isAlias, isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Alias, type Document, type Node, type YAMLMap, type YAMLSeq } from 'yaml'
import { PhebusError, fileSystemReason, formatPosition, type ErrorPosition } from '../errors.js'
import { checkDate, daysInMonth } from '../layouts/dates.js'
import { FAULT_LIMITS, faultSpec, isDamageCode, type FaultInput } from '../faults/model.js'
import { getPecgmLayouts, DEFAULT_PECGM_VERSION } from '../layouts/pecgm.js'
import { frenchNumber } from '../text/french.js'
import { prepareText, findNonLatin1, describeCodePoint } from '../text/latin1.js'
import { findForbiddenCharacter, forbiddenCharacterWords } from '../text/controls.js'
import { parseSize } from '../units.js'
import { checkPecgmField, ruleOf } from '../validate/pecgm-fields.js'
import { DEFAULT_LOCKOUT, DEFAULT_MIX, DEFAULT_QUALIFICATION, DEFAULT_RATES, DEFAULT_QUOTAS, type Individual, type Mix, type Quotas, type Scenario } from './model.js'
import { ScenarioSchema, type QuotasInput, type ScenarioInput } from './schema.js'

const YAML_ERRORS: Record<string, string> = {
  DUPLICATE_KEY: 'clé en double',
  BAD_INDENT: 'indentation incorrecte',
  TAB_AS_INDENT: 'tabulation utilisée pour indenter (utilisez des espaces)',
  MISSING_CHAR: 'caractère fermant manquant',
  MULTILINE_IMPLICIT_KEY: 'clé sur plusieurs lignes',
  BLOCK_AS_IMPLICIT_KEY: 'bloc utilisé comme clé',
  UNEXPECTED_TOKEN: 'élément inattendu',
  MULTIPLE_DOCS: 'plusieurs documents dans le fichier',
  RESOURCE_EXHAUSTION: 'imbrication trop profonde (listes ou tables les unes dans les autres)',
  BAD_DQ_ESCAPE: 'séquence d\'échappement inconnue entre guillemets doubles (\\n, \\t, \\", \\\\, \\xHH, \\uHHHH…)',
  MULTIPLE_ANCHORS: 'deux ancres (&) sur une même valeur',
  MULTIPLE_TAGS: 'deux étiquettes (!) sur une même valeur',
  KEY_OVER_1024_CHARS: 'clé de plus de 1024 caractères',
  BAD_SCALAR_START: 'une valeur sans guillemets ne peut pas commencer par « @ » ni « ` » : mettez-la entre guillemets',
  ALIAS_PROPS: 'un alias ne prend ni ancre ni étiquette',
  BAD_ALIAS: 'alias sans nom (* seul)',
  BLOCK_IN_FLOW: 'liste ou table en retrait à l\'intérieur de [ ] ou { }',
  BAD_PROP_ORDER: 'ancre ou étiquette mal placée',
  BAD_DIRECTIVE: 'directive YAML (%) inconnue',
  NON_STRING_KEY: 'une clé doit être un texte',
  BAD_COLLECTION_TYPE: 'étiquette qui ne convient pas à cette liste ou table',
  TAG_RESOLVE_FAILED: 'étiquette YAML (!) inconnue',
  IMPOSSIBLE: 'YAML illisible'
}

export interface ScenarioProblem extends ErrorPosition {
  message: string
}

const NOT_WRITABLE = new Set(['TYPE_ENREGISTREMENT', 'FILLER'])

/**
 * The largest scenario file read: far above any real one (the national
 * scenario is a few kilobytes), and a bound on what a mistake (/dev/zero,
 * a data file given as --scenario) makes a command read and hold.
 */
export const MAX_SCENARIO_BYTES = 16 * 1024 * 1024

/** Reads and checks a scenario file; every problem is reported, each with its line. */
export async function loadScenarioFile (path: string): Promise<Scenario> {
  let bytes: Buffer
  try {
    bytes = await readAtMost(path, MAX_SCENARIO_BYTES + 1)
  } catch (err) {
    // « - » names no file here (a file of that name is read): standard input is given by its path
    if (basename(path) === '-' && (err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new PhebusError('PHEBUS_SCENARIO_UNREADABLE', 'Impossible de lire le scénario : « - » n\'est pas un fichier : le scénario se lit par son chemin ; pour l\'entrée standard, donnez /dev/stdin (… | phebus-mock scenario check /dev/stdin).', { position: { file: path }, cause: err })
    }
    throw new PhebusError('PHEBUS_SCENARIO_UNREADABLE', `Impossible de lire le scénario : ${fileSystemReason(err, path, 'lire')}.`, { position: { file: path }, cause: err })
  }
  if (bytes.length > MAX_SCENARIO_BYTES) {
    throw new PhebusError('PHEBUS_SCENARIO_UNREADABLE', `Le scénario ${path} dépasse ${frenchNumber(MAX_SCENARIO_BYTES / 1024 / 1024)} Mio : ce n'est pas un scénario (un scénario fait quelques kilo-octets) ; il n'est pas lu plus loin.`, { position: { file: path } })
  }
  return parseScenario(utf8Text(bytes, path), path)
}

/** The first `limit` bytes of a file (all of it when shorter), read without knowing its size (a device, a pipe). */
async function readAtMost (path: string, limit: number): Promise<Buffer> {
  const fh = await open(path, 'r')
  try {
    const chunks: Buffer[] = []
    let total = 0
    while (total < limit) {
      const buffer = Buffer.allocUnsafe(Math.min(1 << 20, limit - total))
      const { bytesRead } = await fh.read(buffer, 0, buffer.length, null)
      if (bytesRead === 0) break
      chunks.push(buffer.subarray(0, bytesRead))
      total += bytesRead
    }
    return Buffer.concat(chunks, total)
  } finally {
    await fh.close()
  }
}

/**
 * A scenario's text, which is UTF-8: a file saved in ISO-8859-1 or
 * Windows-1252 (« Hélène » as one byte for é) is refused at its first byte
 * that UTF-8 cannot read, instead of that byte read as « � ».
 */
function utf8Text (bytes: Buffer, path: string): string {
  // Notepad's « Unicode »: a byte-order mark of UTF-16, whose zero bytes UTF-8 reads but YAML does not
  // or without its mark: an ASCII character and a zero byte, in either order, to begin with
  const unmarked = bytes.length >= 2 && (bytes[0] === 0) !== (bytes[1] === 0)
  if ((bytes[0] === 0xFF && bytes[1] === 0xFE) || (bytes[0] === 0xFE && bytes[1] === 0xFF) || unmarked) {
    throw scenarioError('PHEBUS_SCENARIO_SYNTAX', [{ file: path, line: 1, column: 1, message: 'le fichier est en UTF-16 : un scénario s\'écrit en UTF-8 (réenregistrez-le en choisissant UTF-8)' }])
  }
  let text: string
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    const good = firstBadUtf8(bytes)
    const { line, column } = positionAfter(bytes.subarray(0, good).toString('utf8'))
    throw scenarioError('PHEBUS_SCENARIO_SYNTAX', [{ file: path, line, column, message: `octet 0x${(bytes[good] ?? 0).toString(16).toUpperCase().padStart(2, '0')} illisible en UTF-8 : un scénario s'écrit en UTF-8 (enregistré en ISO-8859-1 ou Windows-1252 ?)` }])
  }
  // YAML allows no control character but tab and line ends; the parser let a NUL through, into names and pages
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.exec(text)
  if (control !== null) {
    const { line, column } = positionAfter(text.slice(0, control.index))
    const code = (control[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')
    throw scenarioError('PHEBUS_SCENARIO_SYNTAX', [{ file: path, line, column, message: `caractère de contrôle U+${code} : un scénario n'en contient aucun (seuls la tabulation et les fins de ligne sont permis)` }])
  }
  return text
}

/** The line and column (from 1) of what follows `before`, the text that precedes it. */
function positionAfter (before: string): { line: number, column: number } {
  return { line: before.split('\n').length, column: before.length - before.lastIndexOf('\n') }
}

/** Where the first character UTF-8 cannot read starts (bytes.length when none): the rules TextDecoder applies (RFC 3629). */
function firstBadUtf8 (bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length;) {
    const b = bytes[i] as number
    const n = b < 0x80 ? 1 : b >= 0xC2 && b <= 0xDF ? 2 : b >= 0xE0 && b <= 0xEF ? 3 : b >= 0xF0 && b <= 0xF4 ? 4 : 0
    if (n === 0 || i + n > bytes.length) return i
    // the second byte's range: no overlong form, no surrogate, nothing past U+10FFFF
    const second = bytes[i + 1] as number
    const low = b === 0xE0 ? 0xA0 : b === 0xF0 ? 0x90 : 0x80
    const high = b === 0xED ? 0x9F : b === 0xF4 ? 0x8F : 0xBF
    if (n > 1 && (second < low || second > high)) return i
    for (let k = 2; k < n; k++) if (((bytes[i + k] as number) & 0xC0) !== 0x80) return i
    i += n
  }
  return bytes.length
}

/**
 * Why the aliases of a document that yaml would not make into data failed,
 * and where: the first alias whose anchor is not set before it (yaml
 * resolves an alias to the last anchor of its name before it, in the order
 * of the text), else the first alias of a document whose aliases would
 * expand it beyond reason. One walk over the document, whatever its number
 * of aliases.
 */
function aliasProblem (doc: Document, lineCounter: LineCounter, source: string): ScenarioProblem {
  const anchors = new Set<string>()
  // set in the visitor: typed here as what they may become, not as the null TypeScript would narrow them to
  let first = null as Alias | null
  let unresolved = null as Alias | null
  visit(doc, {
    Node: (_key, node) => {
      if (isAlias(node)) {
        first ??= node
        if (!anchors.has(node.source)) {
          unresolved = node
          return visit.BREAK
        }
      } else if (node.anchor !== undefined) {
        anchors.add(node.anchor)
      }
      return undefined
    }
  })
  const at = (node: Alias | null): { line: number, column: number } => {
    if (node?.range == null) return { line: 1, column: 1 }
    const pos = lineCounter.linePos(node.range[0])
    return { line: pos.line, column: pos.col }
  }
  if (unresolved !== null) return { file: source, ...at(unresolved), message: `alias YAML « *${unresolved.source} » sans ancre « &${unresolved.source} » avant lui` }
  return { file: source, ...at(first), message: 'trop d\'alias YAML (&ancre / *alias) : le document se déplierait démesurément' }
}

/** An unknown tag, named as written (`!graine`), at its place. */
function tagProblem (offset: number, text: string, lineCounter: LineCounter, source: string): ScenarioProblem {
  const pos = lineCounter.linePos(offset)
  const tag = /^!\S*/.exec(text.slice(offset))?.[0]
  const named = tag === undefined ? 'étiquette YAML inconnue' : `étiquette YAML « ${tag.slice(0, 60)} » inconnue`
  return { file: source, line: pos.line, column: pos.col, message: `${named} : un scénario n'écrit que des textes, des nombres, des listes et des tables` }
}

/** The quoted scalar that runs to `end` (where yaml found its closing quote missing): its quote and where it opened. */
function unclosedQuote (doc: Document, end: number): { quote: string, offset: number } | null {
  let found: { quote: string, offset: number } | null = null
  visit(doc, {
    Scalar: (_key, node) => {
      if ((node.type !== 'QUOTE_DOUBLE' && node.type !== 'QUOTE_SINGLE') || node.range == null) return
      const [start, valueEnd] = node.range
      if (start < end && valueEnd >= end && (found === null || start > found.offset)) found = { quote: node.type === 'QUOTE_DOUBLE' ? '"' : '\'', offset: start }
    }
  })
  return found
}

/** Where the flow list (or table, `map`) that yaml found unclosed at `end` opened: the innermost that ends there; null when none. */
function unclosedFlow (doc: Document, end: number, map: boolean): number | null {
  let found: number | null = null
  const look = (node: YAMLSeq | YAMLMap): void => {
    if (node.flow !== true || node.range == null || node.range[1] !== end) return
    if (found === null || node.range[0] > found) found = node.range[0]
  }
  visit(doc, map ? { Map: (_key, node) => { look(node) } } : { Seq: (_key, node) => { look(node) } })
  return found
}

/** A key of the document that starts at `offset`, as written (quotes included), '' when none. */
function keyWrittenAt (doc: Document, text: string, offset: number): string {
  let found = ''
  visit(doc, {
    Pair: (_key, pair) => {
      const key = pair.key as Node | null
      if (key?.range?.[0] !== offset) return undefined
      found = text.slice(key.range[0], key.range[1]).trim()
      return visit.BREAK
    }
  })
  return found
}

/** The key a scalar becomes in the data (yaml's toJS: null is '', anything else its text). */
function keyText (value: unknown): string {
  return value === null || value === undefined ? '' : String(value)
}

/**
 * The first key that is a list or a table (`? [a, b]`), or an alias of one:
 * the data would get its text as a key (and Node an English warning about it).
 */
function collectionKey (doc: Document, lineCounter: LineCounter, source: string): ScenarioProblem | null {
  let found: ScenarioProblem | null = null
  visit(doc, {
    Pair: (_key, pair) => {
      const key = pair.key as Node | null
      const target = isAlias(key) ? key.resolve(doc) : key
      if (!isCollection(target)) return undefined
      const pos = lineCounter.linePos(key?.range?.[0] ?? 0)
      found = { file: source, line: pos.line, column: pos.col, message: 'une clé doit être un texte, pas une liste ni une table' }
      return visit.BREAK
    }
  })
  return found
}

export function parseScenario (text: string, source: string): Scenario {
  // CR alone ends no line for yaml: the whole file is one line of « blocks as keys »
  const cr = /\r(?!\n)/.exec(text)
  if (cr !== null && !text.includes('\n')) throw scenarioError('PHEBUS_SCENARIO_SYNTAX', [{ file: source, line: 1, column: cr.index + 1, message: 'fins de ligne CR seules (ancien Mac) : enregistrez le scénario avec des fins de ligne LF ou CR LF' }])
  const lineCounter = new LineCounter()
  // two keys are the same when the data gets one key of them (1 and '1', null and ''): yaml's own rule compares their values
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: (a, b) => a === b || (isScalar(a) && isScalar(b) && keyText(a.value) === keyText(b.value)) })
  // a tag yaml does not know (!graine, !!js/function) would make its value a text: refused, as an error is
  const unknownTags = doc.warnings.filter((w) => w.code === 'TAG_RESOLVE_FAILED')
  if (doc.errors.length === 0 && unknownTags.length > 0) throw scenarioError('PHEBUS_SCENARIO_SYNTAX', unknownTags.map((w) => tagProblem(w.pos[0], text, lineCounter, source)))
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => {
      const pos = lineCounter.linePos(e.pos[0])
      const what = YAML_ERRORS[e.code] ?? 'YAML mal formé'
      if (e.code === 'MISSING_CHAR' && /quote/.test(e.message)) {
        // yaml places it where the text ends (often the end of the file): said where the quote opened
        const opened = unclosedQuote(doc, e.pos[0])
        if (opened !== null) {
          const at = lineCounter.linePos(opened.offset)
          return { file: source, line: at.line, column: at.col, message: `guillemet ${opened.quote} ouvert ici et jamais fermé : tout ce qui suit, jusqu'à la ligne ${pos.line}, serait son texte` }
        }
        return { file: source, line: pos.line, column: pos.col, message: 'guillemet ouvert et jamais fermé' }
      }
      // an unclosed [ or { (or its next lines no further in than its key): yaml says « bad indent » where the next line starts
      if (e.code === 'BAD_INDENT' && /^Flow (sequence|map)/.test(e.message)) {
        const map = e.message.startsWith('Flow map')
        const opened = unclosedFlow(doc, e.pos[0], map)
        if (opened !== null) {
          const at = lineCounter.linePos(opened)
          return { file: source, line: at.line, column: at.col, message: map ? 'accolade « { » ouverte ici et jamais fermée : « } » manque, ou les lignes qui la continuent ne sont pas plus en retrait que sa clé' : 'crochet « [ » ouvert ici et jamais fermé : « ] » manque, ou les lignes qui le continuent ne sont pas plus en retrait que sa clé' }
        }
      }
      // the key a duplicate is, as written
      if (e.code === 'DUPLICATE_KEY') {
        const key = keyWrittenAt(doc, text, e.pos[0])
        if (key !== '') return { file: source, line: pos.line, column: pos.col, message: `clé « ${key.slice(0, 80)} » en double` }
      }
      // the position says where; the parser's own words are English, its code is translated
      return { file: source, line: pos.line, column: pos.col, message: what }
    })
    throw scenarioError('PHEBUS_SCENARIO_SYNTAX', problems)
  }
  const key = collectionKey(doc, lineCounter, source)
  if (key !== null) throw scenarioError('PHEBUS_SCENARIO_SYNTAX', [key])
  let data: unknown
  try {
    data = doc.toJS()
  } catch (err) {
    // yaml refuses an alias whose anchor is not set before it, and documents whose aliases would expand beyond reason (a « billion laughs »)
    if (!(err instanceof ReferenceError)) throw err
    throw scenarioError('PHEBUS_SCENARIO_SYNTAX', [aliasProblem(doc, lineCounter, source)])
  }
  // nothing but comments, or nothing at all: said as such, not as « a table of keys expected » nowhere
  if (data === null || data === undefined) throw scenarioError('PHEBUS_SCENARIO_INVALID', [{ file: source, line: 1, column: 1, message: 'le scénario est vide ; il faut au moins « name », « description », « seed » et « departements ».' }])
  const locate = (path: (string | number)[]): ErrorPosition => locatePath(doc, lineCounter, path, source)

  const problems: ScenarioProblem[] = []
  for (const p of schemaProblems([...Value.Errors(ScenarioSchema, data)])) {
    problems.push({ ...locate(p.path), path: pathLabel(p.path), message: p.message })
  }
  if (problems.length > 0) throw scenarioError('PHEBUS_SCENARIO_INVALID', dedupe(problems))

  const input = data as ScenarioInput
  problems.push(...checkMeaning(input, locate))
  if (problems.length > 0) throw scenarioError('PHEBUS_SCENARIO_INVALID', problems)

  const quotas = buildQuotas(DEFAULT_QUOTAS, input.quotas)
  return {
    name: input.name,
    description: input.description,
    seed: input.seed,
    pecgm: {
      version: input.pecgm?.version ?? DEFAULT_PECGM_VERSION,
      terminator: input.pecgm?.terminator ?? 'LF',
      case: input.pecgm?.case ?? 'upper'
    },
    departements: input.departements.map((d) => ({ ...d, quotas: buildQuotas(quotas, d.quotas), holidays: d.holidays ?? [], daily: d.daily ?? false })),
    mix: buildMix(input),
    rates: { ...DEFAULT_RATES, ...input.rates },
    individuals: (input.individuals ?? []).map((ind, i): Individual => ({
      departement: ind.departement,
      label: ind.label,
      fields: { ...ind.fields },
      line: locate(['individuals', i]).line ?? 0
    })),
    qualification: { ...DEFAULT_QUALIFICATION, ...input.qualification, plan: input.qualification?.plan ?? [] },
    quotas,
    lockout: { ...DEFAULT_LOCKOUT, ...input.lockout },
    faults: (input.faults ?? []) as FaultInput[],
    source
  }
}

/** The quotas a scenario gives (sizes written 5G, 500M… or in bytes) over the defaults. */
function buildQuotas (base: Quotas, input: QuotasInput | undefined): Quotas {
  const bytes = input?.uploadedBytes
  return {
    uploadedFiles: input?.uploadedFiles ?? base.uploadedFiles,
    uploadedBytes: bytes === undefined ? base.uploadedBytes : typeof bytes === 'number' ? bytes : parseSize(bytes) ?? base.uploadedBytes
  }
}

function buildMix (input: ScenarioInput): Mix {
  const m = input.mix ?? {}
  const { categories, ...shares } = m
  return {
    ...DEFAULT_MIX,
    ...shares,
    categories: categories ? { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0, dispense: 0, ...categories } : DEFAULT_MIX.categories
  }
}

/** C0, DEL and C1: in ISO-8859-1, but no text; never printed as they are in a message (a line feed would cut it). */
function isControl (cp: number): boolean {
  return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)
}

const CONTROL_NAMES: Readonly<Record<number, string>> = { 0x09: ' (tabulation)', 0x0A: ' (saut de ligne)', 0x0D: ' (retour chariot)', 0x00: ' (octet nul)' }

const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre']

/** Rules a schema cannot say: uniqueness, cross references, values of the PECGM fields. */
function checkMeaning (input: ScenarioInput, locate: (p: (string | number)[]) => ErrorPosition): ScenarioProblem[] {
  const problems: ScenarioProblem[] = []
  const at = (path: (string | number)[], message: string): void => {
    problems.push({ ...locate(path), path: pathLabel(path), message })
  }
  let layouts
  try {
    layouts = getPecgmLayouts(input.pecgm?.version ?? DEFAULT_PECGM_VERSION)
  } catch (err) {
    at(['pecgm', 'version'], (err as Error).message)
    return problems
  }
  const seen = new Map<string, number>()
  input.departements.forEach((d, i) => {
    d.holidays?.forEach((h, j) => {
      const [mm, dd] = h.split('-').map(Number) as [number, number]
      // a holiday recurs every year: its month's days in a leap year (02-29 is one)
      if (dd > daysInMonth(2000, mm)) at(['departements', i, 'holidays', j], `le jour férié « ${h} » (MM-JJ) n'existe pas : ${MONTH_NAMES[mm - 1] ?? `le mois ${mm}`} n'a pas de ${dd}.`)
    })
    // the name becomes its account's: the rule of a département created by the admin (services/accounts.ts)
    const forbidden = findForbiddenCharacter(d.name)
    if (forbidden !== null) at(['departements', i, 'name'], `nom refusé : ${forbiddenCharacterWords(forbidden)} ; un nom ne prend que des caractères affichables, sans caractère de contrôle ni de mise en forme bidirectionnelle.`)
    const first = seen.get(d.code)
    if (first !== undefined) at(['departements', i, 'code'], `le département ${d.code} est déjà décrit (départements n° ${first + 1}).`)
    else seen.set(d.code, i)
  })
  const mix = input.mix
  // dispense is a share of the dispensable, not a category weight: only categories 1 to 5 count
  const weights = mix?.categories as Record<string, number | undefined> | undefined
  if (weights && ['1', '2', '3', '4', '5'].every((k) => !weights[k])) {
    at(['mix', 'categories'], 'au moins une catégorie doit avoir un poids positif.')
  }
  // the named individuals are the first people of their département's population: one past it would be in no file
  const named = new Map<string, number>()
  input.individuals?.forEach((ind, i) => {
    const d = input.departements[seen.get(ind.departement) ?? -1]
    if (d === undefined) at(['individuals', i, 'departement'], `le département ${ind.departement} n'est pas dans la liste « departements » du scénario.`)
    else {
      const rank = (named.get(d.code) ?? 0) + 1
      named.set(d.code, rank)
      if (rank > d.population) at(['individuals', i], `l'individu « ${ind.label} » est le ${frenchNumber(rank)}${rank === 1 ? 'er' : 'e'} nommé du département ${d.code}, dont la population est ${frenchNumber(d.population)} : il ne serait dans aucun fichier. Portez « population » à ${frenchNumber(rank)} au moins, ou retirez-le.`)
    }
    for (const [name, value] of Object.entries(ind.fields)) {
      const path = ['individuals', i, 'fields', name]
      const field = layouts.detail.byName.get(name)
      if (!field || NOT_WRITABLE.has(name)) {
        at(path, `zone « ${name} » inconnue dans l'enregistrement détail PECGM ${layouts.version}.`)
        continue
      }
      if (value === null || value === '') continue
      const bad = findNonLatin1(prepareText(value))
      if (bad && isControl(bad.codePoint)) at(path, `caractère de contrôle ${describeCodePoint(bad.codePoint)}${CONTROL_NAMES[bad.codePoint] ?? ''} : une zone PECGM ne prend que des caractères imprimables.`)
      else if (bad) at(path, `le caractère « ${bad.char} » (${describeCodePoint(bad.codePoint)}) n'existe pas en ISO-8859-1.`)
      else if ((field.type === 'N' || field.type === 'D') && !/^[0-9]+$/.test(value)) at(path, `la zone ${name} est numérique, lu « ${value} ».`)
      else if (field.type === 'D' && checkDate(value)) at(path, `la zone ${name} attend une date SSAAMMJJ réelle, lu « ${value} » (${checkDate(value)}).`)
      // an AN text longer than its field is cut, as Pôle emploi cuts long names (docs/scenarios.md); a number or a date is not
      else if (value.length > field.length && field.type !== 'AN') at(path, `la zone ${name} fait ${field.length} caractères, lu ${value.length}.`)
      else {
        // the PECGM validator's own rule of the field (lists, forms, NIR, IDENTIFIANT_PE); the rules of dates
        // against the day of the check are not judged here: a scenario serves every day (docs/scenarios.md)
        const rule = ruleOf('D', field)
        const problem = rule === null || rule.kind === 'date' ? null : checkPecgmField(rule, name, value, 0)
        // a code of the project's own list (decision D10) is accepted by the validator, only signalled
        if (problem !== null && problem.code !== 'PECGM_CODE_UNKNOWN_OWN') at(path, `${problem.message.replace(/\.$/, '')} (la validation du PECGM le refuserait : ${problem.code}).`)
      }
    }
  })
  input.faults?.forEach((f, i) => {
    if (!seen.has(f.departement)) at(['faults', i, 'departement'], `le département ${f.departement} n'est pas dans la liste « departements » du scénario.`)
    const spec = faultSpec(f as FaultInput)
    if ('field' in spec) at(['faults', i, spec.field], spec.message)
    else if (isDamageCode(spec.code) && spec.file !== null) at(['faults', i, 'file'], 'au démarrage, aucun fichier n\'est encore déposé : une panne de dépôt d\'un scénario vise les prochains dépôts (« deposit »).')
  })
  return problems
}

interface SchemaErrorLike {
  keyword: string
  schemaPath: string
  instancePath: string
  params: Record<string, unknown>
}

/**
 * The schema's errors in words: a value a union refuses (a size given as
 * bytes or as 5G, a number of times or null…) gets one message saying
 * what it may be, not one per form it failed.
 */
function schemaProblems (errors: readonly SchemaErrorLike[]): { path: (string | number)[], message: string }[] {
  const unions = errors.filter((e) => e.keyword === 'anyOf')
  const out: { path: (string | number)[], message: string }[] = []
  for (const e of errors) {
    if (e.keyword === 'anyOf') {
      const path = decodePointer(e.instancePath)
      out.push({ path, message: unionMessage(path, errors.filter((b) => b.schemaPath.startsWith(`${e.schemaPath}/anyOf/`))) })
      continue
    }
    // a branch's own error: its union's message says it
    if (unions.some((u) => e.schemaPath.startsWith(`${u.schemaPath}/anyOf/`))) continue
    out.push(...describeSchemaError(e))
  }
  return out
}

/** What a value refused by a union may be, by the key it is for. */
function unionMessage (path: (string | number)[], branches: readonly SchemaErrorLike[]): string {
  const last = path[path.length - 1]
  if (last === 'uploadedBytes') return 'taille attendue : un nombre d\'octets d\'au moins 1, ou 500k, 128M, 5G (multiples de 1024).'
  if (last === 'times') return `un entier de 1 à ${frenchNumber(FAULT_LIMITS.times)}, ou null (jusqu'à ce qu'elle soit levée).`
  if (path.includes('fields')) return 'attendu : un texte, ou vide.'
  const types = [...new Set(branches.filter((b) => b.keyword === 'type').map((b) => TYPE_WORDS[String(b.params.type)] ?? String(b.params.type)))]
  return types.length > 0 ? `attendu : ${types.join(', ou ')}.` : 'valeur non conforme.'
}

function decodePointer (p: string): (string | number)[] {
  if (p === '') return []
  return p.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~')).map((s) => /^[0-9]+$/.test(s) ? Number(s) : s)
}

const TYPE_WORDS: Record<string, string> = {
  string: 'un texte', number: 'un nombre', integer: 'un nombre entier', object: 'une table de clés', array: 'une liste', boolean: 'vrai ou faux', null: 'vide'
}

/** A schema error in words a scenario author understands, with the path it is about (one per unknown key). */
function describeSchemaError (e: SchemaErrorLike): { path: (string | number)[], message: string }[] {
  if (e.keyword === 'additionalProperties') {
    // every unknown key, each at its own place
    const keys = (e.params.additionalProperties as string[] | undefined) ?? []
    const path = decodePointer(e.instancePath)
    return keys.map((key) => ({ path: [...path, key], message: `clé « ${key} » inconnue ici.` }))
  }
  const one = describeOneSchemaError(e)
  return one === null ? [] : [one]
}

function describeOneSchemaError (e: SchemaErrorLike): { path: (string | number)[], message: string } | null {
  const path = decodePointer(e.instancePath)
  const p = e.params
  switch (e.keyword) {
    case 'required': {
      const keys = (p.requiredProperties as string[] | undefined) ?? []
      return { path, message: `clé${keys.length > 1 ? 's' : ''} obligatoire${keys.length > 1 ? 's' : ''} absente${keys.length > 1 ? 's' : ''} : ${keys.map((k) => `« ${k} »`).join(', ')}.` }
    }
    case 'type': return { path, message: `attendu : ${TYPE_WORDS[String(p.type)] ?? String(p.type)}.` }
    case 'enum': return { path, message: `valeur non prévue ; valeurs possibles : ${(p.allowedValues as unknown[]).map((v) => `« ${String(v)} »`).join(', ')}.` }
    case 'minimum': return { path, message: `la valeur doit être au moins ${String(p.limit)}.` }
    case 'maximum': return { path, message: `la valeur doit être au plus ${String(p.limit)}.` }
    case 'exclusiveMinimum': return { path, message: `la valeur doit être plus grande que ${String(p.limit)}.` }
    case 'minLength': return { path, message: `texte trop court (au moins ${String(p.limit)} caractère(s)).` }
    case 'maxLength': return { path, message: `texte trop long (au plus ${String(p.limit)} caractères).` }
    case 'minItems': return { path, message: `la liste doit avoir au moins ${String(p.limit)} élément(s).` }
    case 'maxItems': return { path, message: `la liste a au plus ${String(p.limit)} élément(s).` }
    case 'pattern': return { path, message: patternMessage(path) }
    case 'boolean': case 'anyOf': return null
    default: return { path, message: `valeur non conforme (${e.keyword}).` }
  }
}

function patternMessage (path: (string | number)[]): string {
  const last = path[path.length - 1]
  if (last === 'code' || last === 'departement') return 'code de département attendu : 01 à 95, 2A, 2B, 971 à 976 (entre guillemets, par exemple \'01\').'
  if (last === 'name') return 'nom en minuscules, chiffres et tirets, par exemple « demo ».'
  if (path.includes('fields')) return 'nom de zone PECGM en majuscules attendu, par exemple NOM_NAISSANCE.'
  if (path.includes('holidays')) return 'jour férié attendu sous la forme MM-JJ, par exemple \'05-27\'.'
  return 'format non conforme.'
}

function pathLabel (path: (string | number)[]): string {
  return path.map((s, i) => typeof s === 'number' ? `[${s}]` : `${i === 0 ? '' : '.'}${s}`).join('')
}

function dedupe (problems: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>()
  return problems.filter((p) => {
    const k = `${p.line}:${p.path}:${p.message}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
}

/** The line and column of the key (or list item) at `path`; of the nearest existing parent when it is absent. */
function locatePath (doc: Document, lc: LineCounter, path: (string | number)[], file: string): ErrorPosition {
  const at = (offset: number): ErrorPosition => {
    const pos = lc.linePos(offset)
    return { file, line: pos.line, column: pos.col }
  }
  for (let n = path.length; n > 0; n--) {
    const parent = (n === 1 ? doc.contents : doc.getIn(path.slice(0, n - 1), true)) as unknown
    const key = path[n - 1]
    if (isMap(parent)) {
      const pair = parent.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(key))
      if (pair && isScalar(pair.key) && pair.key.range) return at(pair.key.range[0])
    } else if (isSeq(parent) && typeof key === 'number') {
      const item = parent.items[key] as Node | undefined
      if (item?.range) return at(item.range[0])
    }
  }
  const root = doc.contents as Node | null
  return root?.range ? at(root.range[0]) : { file }
}

function scenarioError (code: 'PHEBUS_SCENARIO_SYNTAX' | 'PHEBUS_SCENARIO_INVALID', problems: ScenarioProblem[]): PhebusError {
  const lines = problems.map((p) => `${formatPosition({ file: p.file, line: p.line, column: p.column })}${p.path ? ` ${p.path}` : ''} : ${p.message}`)
  const head = problems.length === 1 ? 'Scénario non conforme' : `Scénario non conforme (${problems.length} problèmes)`
  const first = problems[0]
  return new PhebusError(code, `${head} :\n  ${lines.join('\n  ')}`, { position: first, details: lines })
}
