import type { Session } from '../../services/sessions.js'

/**
 * What each session did lately, in memory: a few words for each of the
 * latest sessions (a file it deleted, an action of the console and its
 * département). A page says an action is done only when its own session did
 * it, never because its address says so: a link anyone can write would put
 * its words on the page. Lost at a restart, when the page then says nothing
 * rather than something untrue.
 */
export class SessionMemory {
  private readonly bySession = new Map<string, string[]>()

  constructor (private readonly sessions = 200, private readonly words = 20) {}

  add (session: Session | null, word: string): void {
    if (session === null) return
    const words = (this.bySession.get(session.idHash) ?? []).filter((w) => w !== word)
    words.push(word)
    if (words.length > this.words) words.shift()
    // the latest session last: the first of the map is the one that did something longest ago
    this.bySession.delete(session.idHash)
    this.bySession.set(session.idHash, words)
    for (const oldest of this.bySession.keys()) if (this.bySession.size > this.sessions) this.bySession.delete(oldest)
  }

  has (session: Session | null, word: string): boolean {
    return session !== null && (this.bySession.get(session.idHash)?.includes(word) ?? false)
  }
}
