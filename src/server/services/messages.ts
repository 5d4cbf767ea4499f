import type { Message, MessageRepository } from '../../storage/sessions.js'
import type { FileService } from './files.js'
import { findForbiddenCharacter, forbiddenCharacterWords } from '../../text/controls.js'

/** How long a subject and a message may be, in characters. */
export const MESSAGE_LIMITS = Object.freeze({ subject: 200, body: 5000 })

export interface MessageDraft {
  subject: string
  body: string
  /** one of the département's files, or '' */
  fileName: string
}

export type MessageField = 'sujet' | 'message' | 'fichier'

export interface FieldError { field: MessageField, message: string }

/**
 * A draft's message as it is kept and measured: trimmed, each line break
 * one LF (a browser sends CRLF, yet its maxlength counts one character).
 */
function bodyOf (d: MessageDraft): string {
  return d.body.trim().replace(/\r\n?/g, '\n')
}

/**
 * « Nous écrire » (Annexe 6): a département writes to the support, about one
 * of its files or not. Messages are kept and read by the admin.
 */
export class MessageService {
  constructor (private readonly repo: MessageRepository, private readonly files: FileService) {}

  /** What is wrong with a draft, field by field (empty when it can be sent). */
  check (departement: string, d: MessageDraft): FieldError[] {
    const errors: FieldError[] = []
    const subject = d.subject.trim()
    if (subject === '') errors.push({ field: 'sujet', message: 'Indiquez le sujet du message.' })
    else if (subject.length > MESSAGE_LIMITS.subject) errors.push({ field: 'sujet', message: `Le sujet a ${subject.length} caractères : ${MESSAGE_LIMITS.subject} au plus.` })
    else {
      // as a département's name: a line break or a bidirectional override would break the lists that show it
      const forbidden = findForbiddenCharacter(subject)
      if (forbidden !== null) errors.push({ field: 'sujet', message: `Le sujet tient sur une ligne, sans caractère de contrôle ni de mise en forme bidirectionnelle : ${forbiddenCharacterWords(forbidden)}.` })
    }
    const body = bodyOf(d)
    if (body === '') errors.push({ field: 'message', message: 'Écrivez le message.' })
    else if (body.length > MESSAGE_LIMITS.body) errors.push({ field: 'message', message: `Le message a ${body.length} caractères : ${MESSAGE_LIMITS.body} au plus.` })
    else {
      // its lines and tabs are text; a bidirectional override would reorder what the admin reads
      const forbidden = findForbiddenCharacter(body.replace(/[\n\t]/g, ' '))
      if (forbidden !== null) errors.push({ field: 'message', message: `Le message contient un ${forbiddenCharacterWords(forbidden)} : ce n'est pas du texte à lire.` })
    }
    if (d.fileName !== '' && this.files.find(departement, d.fileName) === null) {
      errors.push({ field: 'fichier', message: 'Ce fichier n\'est pas (ou plus) parmi les fichiers du département : choisissez-en un dans la liste.' })
    }
    return errors
  }

  /** Keeps a message already checked; the file it names is cited with its SHA-256. */
  send (at: number, departement: string, username: string, d: MessageDraft): Message {
    const file = d.fileName === '' ? null : this.files.find(departement, d.fileName)
    return this.repo.insert({ at, departement, username, subject: d.subject.trim(), body: bodyOf(d), fileName: file?.name ?? null, fileSha256: file?.sha256 ?? null })
  }

  /** A message the département wrote (null for another's, as for none). */
  find (departement: string, id: number): Message | null {
    return this.repo.find(departement, id)
  }

  /** A page of messages, newest first (of one département when given, unread only when asked), and where the next page starts. */
  page (departement: string | null, before: number, limit: number, unread = false): { messages: Message[], next: number | null } {
    const messages = this.repo.page({ departement, unread, before, limit })
    return { messages, next: messages.length === limit ? (messages.at(-1)?.id ?? null) : null }
  }

  /**
   * The admin marks a message read or unread, answered or not (both doors:
   * the API's PATCH, the console's buttons). Unread is also unanswered, and
   * answered also read. The message as it is then, null when there is none;
   * `detail` says what changed, for the trail.
   */
  mark (id: number, change: MessageMark, by: string, at: number): { message: Message, detail: string } | null {
    if (this.repo.get(id) === null) return null
    if (change.read !== undefined) this.repo.setRead(id, change.read, at)
    if (change.answered !== undefined) this.repo.setAnswered(id, change.answered, at, by)
    const message = this.repo.get(id)
    if (message === null) return null
    const said: string[] = []
    if (change.read !== undefined) said.push(change.read ? 'lu' : 'non lu')
    if (change.answered !== undefined) said.push(change.answered ? 'répondu' : 'non répondu')
    return { message, detail: `message n° ${id} marqué ${said.join(' et ')} par ${by}` }
  }

  /** Any département's message (the admin). */
  get (id: number): Message | null {
    return this.repo.get(id)
  }
}

/** What the admin changes of a message: read or not, answered or not. */
export interface MessageMark {
  read?: boolean | undefined
  answered?: boolean | undefined
}
