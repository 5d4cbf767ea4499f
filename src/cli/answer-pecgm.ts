import { PhebusError } from '../errors.js'
import { PecgmIdentifiers, type AgencyIdentifiers, type SampleIdentity } from '../generate/qualification-cgpem.js'
import { departementField } from '../layouts/pecgm.js'
import { PecgmReader, type PecgmChunkResult } from '../layouts/pecgm-reader.js'
import { usageError } from './args.js'
import { fileChunks } from './validate.js'

export interface AnswerIdentifiers<T> {
  /** the agency code and identifier of each person of the sample the PECGM names */
  identifiers: ReadonlyMap<T, AgencyIdentifiers>
  /** detail records read, and how many named a person of the sample */
  details: number
  matched: number
}

/**
 * Reads the PECGM a département got in answer to its first qualification
 * CGPEM, as it streams (flat memory, whatever its size), and takes the
 * agency identifiers it gives for the people of the sample. A file that is
 * not a clean PECGM of the département is a usage error of `option`: the
 * identifiers it carries could not be trusted.
 */
export async function readAnswerPecgm<T extends SampleIdentity> (option: string, path: string, departement: string, sample: readonly T[]): Promise<AnswerIdentifiers<T>> {
  const wrong = (why: string): PhebusError => usageError(`${option} ${path} ${why}`)
  const reader = new PecgmReader()
  const found = new PecgmIdentifiers(sample)
  const expected = departementField(departement).trim()
  let details = 0
  let matched = 0
  const take = (read: PecgmChunkResult): void => {
    const problem = read.problems[0]
    if (problem) {
      // the line (and the field) once: a finding's message may name them already
      const where = [problem.line > 0 && !problem.message.includes(`ligne ${problem.line}`) && `ligne ${problem.line}`, problem.field && !problem.message.includes(problem.field) && `zone ${problem.field}`].filter(Boolean).join(', ')
      throw wrong(`n'est pas un PECGM lisible${where ? `, ${where}` : ''} : ${problem.message} (constat ${problem.code}). ` +
        'Donnez le PECGM déposé en retour du premier CGPEM, tel que téléchargé.')
    }
    const list: Record<string, string>[] = []
    for (const r of read.records) {
      if (r.type === 'D') list.push(r.values)
      else if (r.type === 'E' && (r.values.DEPARTEMENT ?? '').trim() !== expected) {
        throw wrong(`est un PECGM du département ${(r.values.DEPARTEMENT ?? '').trim() || '(vide)'} (ligne ${r.line}, zone DEPARTEMENT de l'entête), pas du département ${departement}.`)
      }
    }
    details += list.length
    matched += found.add(list)
  }
  try {
    // fileChunks reuses its buffers; the reader may keep the end of one chunk until the next: a copy each
    for await (const chunk of fileChunks(path)) take(reader.push(Buffer.from(chunk)))
  } catch (err) {
    // unreadable: the file system's error, its code kept (PHEBUS_IO, exit 2), the option named
    if (err instanceof PhebusError && err.code === 'PHEBUS_IO') throw new PhebusError('PHEBUS_IO', `${option} : ${err.message}`, { position: err.position, cause: err })
    throw err
  }
  take(reader.end())
  return { identifiers: found.byPerson, details, matched }
}
