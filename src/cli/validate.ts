import { open } from 'node:fs/promises'
import { basename } from 'node:path'
import { fileSystemError } from '../errors.js'
import { calendarDay } from '../clock.js'
import { detectFileKind, type FileKind } from '../validate/pecgm-detect.js'
import type { PecgmValidator } from '../validate/pecgm-validator.js'
import { DEFAULT_MAX_FINDINGS, type ReportFormat, type ValidationReport } from '../validate/report.js'
import { CgpemValidator } from '../validate/validator.js'
import { optionalChoice, optionalDate, optionalInteger, parseCommandArgs, usageError } from './args.js'
import { say, type CliIo } from './io.js'

export const VALIDATE_HELP = `Usage : phebus-mock validate FICHIER [options]

Vérifie un fichier reçu ou à envoyer : un CGPEM (département → Pôle emploi), en XML ou en
largeur fixe (décision D6), ou un PECGM (Pôle emploi → département), enregistrements de 1200
caractères. Le type se lit dans les premiers octets : un PECGM commence par son entête « EPECG »,
ou par un enregistrement E, D ou F de 1200 caractères ; tout autre fichier est lu comme un CGPEM.
Sont vérifiés l'encodage ISO-8859-1, la structure, chaque zone, les règles entre zones et entre
enregistrements. Le fichier est lu par morceaux, en mémoire constante, quelle que soit sa taille.

  --format text|json|junit   la forme du rapport sur la sortie standard (par défaut : text) ;
                             junit : un cas de test par règle, pour l'intégration continue
  --max-findings N           les constats listés au plus (par défaut : ${DEFAULT_MAX_FINDINGS}) ; tous sont comptés
  --date AAAA-MM-JJ          le jour du dépôt, ou de la réception d'un PECGM (par défaut :
                             aujourd'hui) ; les dates sont vérifiées par rapport à lui

Les codes des constats sont expliqués dans docs/validation.md. Codes de sortie : 0 accepté
(avertissements permis), 1 rejeté, 2 impossible de valider (fichier introuvable ou illisible,
arguments invalides).`

const FORMATS = ['text', 'json', 'junit'] as const
/**
 * Bytes read at a time. Two read buffers and the copy the XML reader keeps
 * grow with it: 256 KiB takes 8 MB less at its peak than 1 MiB did, for as
 * many bytes a second.
 */
const CHUNK = 1 << 18

/**
 * The file's chunks, read into two reused buffers: each chunk is valid until
 * the next one is asked for, which suits a validator that reads it at once,
 * and the next chunk is read while this one is being checked. A stream
 * (fs.createReadStream) would allocate a fresh 1 MiB buffer per chunk; those
 * die in V8's old generation and pile up as external memory until a full
 * collection (peak memory 160 MB on a 120 MB file, against under 100 MB here).
 */
export async function * fileChunks (path: string, size = CHUNK): AsyncGenerator<Buffer> {
  let fh
  try {
    fh = await open(path, 'r')
  } catch (err) {
    throw fileSystemError(err, path, 'lire')
  }
  const file = fh
  const buffers = [Buffer.allocUnsafe(size), Buffer.allocUnsafe(size)]
  const read = (buf: Buffer): Promise<number> => file.read(buf, 0, size, null).then((r) => r.bytesRead, (err: unknown) => { throw fileSystemError(err, path, 'lire') })
  let next = read(buffers[0] as Buffer)
  try {
    for (let k = 0; ; k ^= 1) {
      const n = await next
      if (n === 0) return
      next = read(buffers[k ^ 1] as Buffer) // read ahead into the other buffer
      yield (buffers[k] as Buffer).subarray(0, n)
    }
  } finally {
    await next.catch(() => 0)
    await file.close()
  }
}

/** The PECGM validator and its layouts are loaded only for a PECGM: a CGPEM never pays for them at start. */
async function validatorFor (kind: FileKind, options: { today: number, maxFindings?: number }): Promise<CgpemValidator | PecgmValidator> {
  if (kind !== 'pecgm') return new CgpemValidator(options)
  const { PecgmValidator } = await import('../validate/pecgm-validator.js')
  return new PecgmValidator(options)
}

/** The report as the user asked for it; the text and JUnit writers are loaded for their format only. */
async function formatReport (report: ValidationReport<ReportFormat>, format: typeof FORMATS[number], name: string): Promise<string> {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`
  if (format === 'junit') return (await import('../validate/format-junit.js')).formatJunit(report, name)
  return (await import('../validate/format-text.js')).formatText(report, name)
}

/** Validates a CGPEM or a PECGM, as its first bytes tell (pecgm-detect.ts); they are held, copied, until they do. */
export async function validateFile (path: string, options: { today: number, maxFindings?: number }): Promise<ValidationReport<ReportFormat>> {
  const name = basename(path)
  let validator: CgpemValidator | PecgmValidator | null = null
  let held: Buffer[] = []
  for await (const chunk of fileChunks(path)) {
    if (validator !== null) {
      validator.push(chunk)
      continue
    }
    held.push(Buffer.from(chunk))
    const kind = detectFileKind(Buffer.concat(held), false, name)
    if (kind === null) continue
    validator = await validatorFor(kind, options)
    for (const h of held) validator.push(h)
    held = []
  }
  if (validator === null) {
    validator = await validatorFor(detectFileKind(Buffer.concat(held), true, name) ?? 'cgpem', options)
    for (const h of held) validator.push(h)
  }
  return validator.end()
}

export async function validateCommand (args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs('validate', args, {
    format: { type: 'string' },
    'max-findings': { type: 'string' },
    date: { type: 'string' }
  }, 1)
  if (values.help) {
    say(io.stdout, VALIDATE_HELP)
    return 0
  }
  const file = positionals[0]
  if (file === undefined || file === '') throw usageError('indiquez le fichier à vérifier. Voir « phebus-mock validate --help ».')
  // « - » names no file here: standard input is given by its path
  if (file === '-') throw usageError('« - » : validate lit un fichier par son chemin ; pour l\'entrée standard, donnez /dev/stdin (… | phebus-mock validate /dev/stdin).')
  const format = optionalChoice('validate', values, 'format', FORMATS) ?? 'text'
  const maxFindings = optionalInteger('validate', values, 'max-findings', 0, 1_000_000) ?? DEFAULT_MAX_FINDINGS
  const today = optionalDate('validate', values, 'date') ?? calendarDay(io.now())
  const report = await validateFile(file, { today, maxFindings })
  io.stdout.write(await formatReport(report, format, basename(file)))
  return report.valid ? 0 : 1
}
