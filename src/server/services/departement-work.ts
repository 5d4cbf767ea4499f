/**
 * What the server still does for a département once it has answered the
 * request that asked for it: the PECGM the qualification answers an
 * accepted CGPEM with (Pôle emploi answers later, never within the upload;
 * the upload itself is recorded with its file). The département's next
 * requests wait for it (plugins/app/files.ts), the admin's for every
 * département's, so that no answer shows it half done; a stop waits for it
 * before the database closes, and what a kill left undone is made at the
 * next start (QualificationService.answerLater). A département's tasks run
 * one at a time, in the order they were given; one that fails is told to
 * its onError and does not stop the next.
 * A task never starts in the turn of the event loop it is given in: the
 * request that gives it writes its answer first. (It started in a microtask
 * before: the answer to an upload in qualification waited for the sync part
 * of its answer PECGM, 4 to 5 % of the upload's time.)
 */
export class DepartementWork {
  /** the last task given, by département, until it has run */
  private readonly tails = new Map<string, Promise<void>>()

  add (departement: string, task: () => Promise<void>, onError: (err: unknown) => void): void {
    const previous = this.tails.get(departement) ?? Promise.resolve()
    const tail: Promise<void> = previous.then(nextTurn).then(task).catch(onError).finally(() => {
      if (this.tails.get(departement) === tail) this.tails.delete(departement)
    })
    this.tails.set(departement, tail)
  }

  /** Resolves once the tasks of `departement` given so far have run (every département's, for null); null when none is waiting. */
  whenDone (departement: string | null): Promise<void> | null {
    if (this.tails.size === 0) return null
    if (departement !== null) return this.tails.get(departement) ?? null
    return Promise.all(this.tails.values()).then(() => {})
  }
}

/** Resolves in the next turn of the event loop, once what the current one writes (an answer) is written. */
function nextTurn (): Promise<void> {
  return new Promise((resolve) => { setImmediate(resolve) })
}
